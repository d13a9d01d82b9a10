package lstm

import (
	"fmt"
	"hash"
	"sync/atomic"

	"github.com/chewxy/hm"
	"github.com/mt2st/mt2st/graph"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Output selects what the op returns.
type Output int

const (
	// AllStates returns the hidden state at every position, (B·T, H)
	// batch-major (row b·T+t), and 0 at padded positions (mask 0), so that a
	// sum over positions is a sum over real tokens.
	AllStates Output = iota
	// LastState returns the state after the last step, (B, H): for the
	// forward direction the state after each sequence's last real token, for
	// the reverse direction the state after t = 0.
	LastState
)

func (o Output) String() string {
	switch o {
	case AllStates:
		return "all-states"
	case LastState:
		return "last-state"
	}
	return fmt.Sprintf("Output(%d)", int(o))
}

// Options configure one LSTM layer direction.
type Options struct {
	// Reverse runs the recurrence from t = T−1 down to 0, as the reverse half
	// of a bidirectional LSTM.
	Reverse bool
	// Output selects all hidden states or the last one.
	Output Output
}

// Apply adds a masked LSTM over B sequences of T steps to x's graph:
//
//	x    (B·T, D)  inputs, batch-major: row b·T+t is sequence b at time t
//	mask (B, T)    1 for real tokens, 0 for padding (any non-zero counts as 1)
//	wx   (D, 4H)   input weights, gate columns in PyTorch's order i|f|g|o
//	wh   (H, 4H)   recurrent weights, same column order
//	bias (4H)      b_ih + b_hh
//
// B and T are taken from mask's shape. Where mask[b,t] is 0 the state
// (h and c) is carried over unchanged. With an all-ones mask the result
// equals torch.nn.LSTM with weight_ih = wxᵀ, weight_hh = whᵀ (Reverse: the
// reverse half of a bidirectional nn.LSTM); with right padding it equals
// nn.LSTM over a packed sequence (pack_padded_sequence).
//
// The node is differentiable with respect to x, wx, wh and bias (not mask).
// All inputs must have the same dtype, Float32 (the fast path) or Float64.
func Apply(x, mask, wx, wh, bias *G.Node, opts Options) (*G.Node, error) {
	if opts.Output != AllStates && opts.Output != LastState {
		return nil, fmt.Errorf("lstm: unknown output %v", opts.Output)
	}
	shapes := []struct {
		name string
		node *G.Node
		dims int
	}{{"x", x, 2}, {"mask", mask, 2}, {"wx", wx, 2}, {"wh", wh, 2}, {"bias", bias, 1}}
	for _, s := range shapes {
		if s.node == nil {
			return nil, fmt.Errorf("lstm: %s is nil", s.name)
		}
		if got := s.node.Shape().Dims(); got != s.dims {
			return nil, fmt.Errorf("lstm: %s has shape %v, want %d dimensions", s.name, s.node.Shape(), s.dims)
		}
	}
	b, t := mask.Shape()[0], mask.Shape()[1]
	d := x.Shape()[1]
	h := wh.Shape()[0]
	switch {
	case b < 1 || t < 1 || d < 1 || h < 1:
		return nil, fmt.Errorf("lstm: empty shapes: mask %v, x %v, wh %v", mask.Shape(), x.Shape(), wh.Shape())
	case x.Shape()[0] != b*t:
		return nil, fmt.Errorf("lstm: x has %d rows, want B·T = %d·%d = %d (mask %v)", x.Shape()[0], b, t, b*t, mask.Shape())
	case wx.Shape()[0] != d || wx.Shape()[1] != 4*h:
		return nil, fmt.Errorf("lstm: wx has shape %v, want (%d, %d)", wx.Shape(), d, 4*h)
	case wh.Shape()[1] != 4*h:
		return nil, fmt.Errorf("lstm: wh has shape %v, want (%d, %d)", wh.Shape(), h, 4*h)
	case bias.Shape()[0] != 4*h:
		return nil, fmt.Errorf("lstm: bias has shape %v, want (%d)", bias.Shape(), 4*h)
	}
	dt := x.Dtype()
	if dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("lstm: dtype %v, want float32 or float64", dt)
	}
	op := &forwardOp{id: nextOpID.Add(1), opts: opts, b: b, t: t, d: d, h: h}
	out, err := G.ApplyOp(op, x, mask, wx, wh, bias)
	if err != nil {
		return nil, fmt.Errorf("lstm: %w", err)
	}
	return out, nil
}

// nextOpID makes every Apply a distinct node: each owns its buffers.
var nextOpID atomic.Uint64

// runner is an engine of either dtype behind tensor values.
type runner interface {
	forward(x, mask, wx, wh, bias G.Value) (G.Value, error)
	backward(dOut, wx, wh G.Value) (G.Value, error)
	gradient(which int) G.Value
}

// Input positions of the forward op, also naming the gradients pickOp returns.
const (
	inX = iota
	inMask
	inWx
	inWh
	inBias
)

// forwardOp is the whole recurrence as one node. Its engine keeps the gates
// and states the backward op needs; both run in the same machine step.
type forwardOp struct {
	graph.OpTraits
	id         uint64
	opts       Options
	b, t, d, h int
	run        runner // created by the first Do, for the dtype seen
}

func (op *forwardOp) Arity() int { return 5 }

func (op *forwardOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	m := G.TensorType{Dims: 2, Of: a}
	return hm.NewFnType(m, m, m, m, G.TensorType{Dims: 1, Of: a}, m)
}

func (op *forwardOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	if op.opts.Output == LastState {
		return tensor.Shape{op.b, op.h}, nil
	}
	return tensor.Shape{op.b * op.t, op.h}, nil
}

func (op *forwardOp) Do(vals ...G.Value) (G.Value, error) {
	if len(vals) != 5 {
		return nil, fmt.Errorf("%v: got %d inputs, want 5", op, len(vals))
	}
	if op.run == nil {
		r, err := newRunner(vals[inX].Dtype(), op.b, op.t, op.d, op.h, op.opts)
		if err != nil {
			return nil, fmt.Errorf("%v: %w", op, err)
		}
		op.run = r
	}
	v, err := op.run.forward(vals[inX], vals[inMask], vals[inWx], vals[inWh], vals[inBias])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	return v, nil
}

func (op *forwardOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%v", op) }
func (op *forwardOp) Hashcode() uint32      { return graph.HashOf(op) }

func (op *forwardOp) String() string {
	dir := "fwd"
	if op.opts.Reverse {
		dir = "rev"
	}
	return fmt.Sprintf("LSTM#%d{B=%d,T=%d,D=%d,H=%d,%s,%v}", op.id, op.b, op.t, op.d, op.h, dir, op.opts.Output)
}

// DiffWRT: x, wx, wh and bias; not the mask.
func (op *forwardOp) DiffWRT(inputs int) []bool { return []bool{true, false, true, true, true} }

// SymDiff adds one backward node computing every gradient at once (its value
// is dx) and pick nodes returning dwx, dwh and dbias from it.
func (op *forwardOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if len(inputs) != 5 {
		return nil, fmt.Errorf("%v: SymDiff got %d inputs, want 5", op, len(inputs))
	}
	bw, err := G.ApplyOp(&backwardOp{fwd: op}, inputs[inWx], inputs[inWh], output, grad)
	if err != nil {
		return nil, fmt.Errorf("%v backward: %w", op, err)
	}
	grads := G.Nodes{bw, nil, nil, nil, nil}
	for _, which := range []int{inWx, inWh, inBias} {
		dims := 2
		if which == inBias {
			dims = 1
		}
		if grads[which], err = G.ApplyOp(&pickOp{fwd: op, which: which, dims: dims}, bw); err != nil {
			return nil, fmt.Errorf("%v gradient %d: %w", op, which, err)
		}
	}
	return grads, nil
}

// backwardOp runs the backward recurrence. Inputs: wx, wh, the forward
// output (only to order it after the forward op) and the output gradient.
type backwardOp struct {
	graph.OpTraits
	fwd *forwardOp
}

func (op *backwardOp) Arity() int { return 4 }

func (op *backwardOp) Type() hm.Type {
	m := G.TensorType{Dims: 2, Of: hm.TypeVariable('a')}
	return hm.NewFnType(m, m, m, m, m)
}

func (op *backwardOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape{op.fwd.b * op.fwd.t, op.fwd.d}, nil
}

func (op *backwardOp) Do(vals ...G.Value) (G.Value, error) {
	if len(vals) != 4 {
		return nil, fmt.Errorf("%v: got %d inputs, want 4", op, len(vals))
	}
	if op.fwd.run == nil {
		return nil, fmt.Errorf("%v: the forward op has not run", op)
	}
	v, err := op.fwd.run.backward(vals[3], vals[0], vals[1])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	return v, nil
}

func (op *backwardOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%v", op) }
func (op *backwardOp) Hashcode() uint32      { return graph.HashOf(op) }
func (op *backwardOp) String() string        { return fmt.Sprintf("∂%v", op.fwd) }

// pickOp returns one weight gradient computed by the backward op it reads.
type pickOp struct {
	graph.OpTraits
	fwd   *forwardOp
	which int
	dims  int
}

func (op *pickOp) Arity() int { return 1 }

func (op *pickOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: 2, Of: a}, G.TensorType{Dims: op.dims, Of: a})
}

func (op *pickOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	f := op.fwd
	switch op.which {
	case inWx:
		return tensor.Shape{f.d, 4 * f.h}, nil
	case inWh:
		return tensor.Shape{f.h, 4 * f.h}, nil
	}
	return tensor.Shape{4 * f.h}, nil
}

func (op *pickOp) Do(vals ...G.Value) (G.Value, error) {
	if op.fwd.run == nil {
		return nil, fmt.Errorf("%v: the forward op has not run", op)
	}
	return op.fwd.run.gradient(op.which), nil
}

func (op *pickOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%v", op) }
func (op *pickOp) Hashcode() uint32      { return graph.HashOf(op) }

func (op *pickOp) String() string {
	return fmt.Sprintf("∂%v/∂%s", op.fwd, [...]string{"x", "mask", "wx", "wh", "bias"}[op.which])
}

// dtypeRunner adapts engine[F] to tensor values of dtype F.
type dtypeRunner[F float] struct {
	e                        *engine[F]
	out, dx, dwx, dwh, dbias *tensor.Dense
}

func newRunner(dt tensor.Dtype, b, t, d, h int, opts Options) (runner, error) {
	switch dt {
	case tensor.Float32:
		return newDtypeRunner(newEngine[float32](b, t, d, h, opts, &matmul32{}, act32{})), nil
	case tensor.Float64:
		return newDtypeRunner(newEngine[float64](b, t, d, h, opts, &matmul64{}, act64{})), nil
	}
	return nil, fmt.Errorf("dtype %v, want float32 or float64", dt)
}

func newDtypeRunner[F float](e *engine[F]) *dtypeRunner[F] {
	outShape := tensor.Shape{e.b * e.t, e.h}
	if e.output == LastState {
		outShape = tensor.Shape{e.b, e.h}
	}
	dense := func(shape tensor.Shape, data []F) *tensor.Dense {
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data))
	}
	return &dtypeRunner[F]{
		e:     e,
		out:   dense(outShape, e.out),
		dx:    dense(tensor.Shape{e.b * e.t, e.d}, e.dx),
		dwx:   dense(tensor.Shape{e.d, 4 * e.h}, e.dwx),
		dwh:   dense(tensor.Shape{e.h, 4 * e.h}, e.dwh),
		dbias: dense(tensor.Shape{4 * e.h}, e.dbias),
	}
}

func (r *dtypeRunner[F]) forward(x, mask, wx, wh, bias G.Value) (G.Value, error) {
	var vals [5][]F
	for i, v := range []G.Value{x, mask, wx, wh, bias} {
		s, err := data[F](v)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", [...]string{"x", "mask", "wx", "wh", "bias"}[i], err)
		}
		vals[i] = s
	}
	if err := r.e.forward(vals[0], vals[1], vals[2], vals[3], vals[4]); err != nil {
		return nil, err
	}
	return r.out, nil
}

func (r *dtypeRunner[F]) backward(dOut, wx, wh G.Value) (G.Value, error) {
	var vals [3][]F
	for i, v := range []G.Value{dOut, wx, wh} {
		s, err := data[F](v)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", [...]string{"output gradient", "wx", "wh"}[i], err)
		}
		vals[i] = s
	}
	if err := r.e.backward(vals[0], vals[1], vals[2]); err != nil {
		return nil, err
	}
	return r.dx, nil
}

func (r *dtypeRunner[F]) gradient(which int) G.Value {
	switch which {
	case inWx:
		return r.dwx
	case inWh:
		return r.dwh
	}
	return r.dbias
}

// data returns the elements of v in row-major order, copying only when v is
// a strided view.
func data[F float](v G.Value) ([]F, error) {
	d, ok := v.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("value %T, want *tensor.Dense", v)
	}
	if d.IsView() {
		d = d.Materialize().(*tensor.Dense)
	}
	var s []F
	if d.Dtype() == tensor.Float32 {
		if p, ok := any(&s).(*[]float32); ok {
			*p = d.Float32s()
			return s, nil
		}
	}
	if d.Dtype() == tensor.Float64 {
		if p, ok := any(&s).(*[]float64); ok {
			*p = d.Float64s()
			return s, nil
		}
	}
	return nil, fmt.Errorf("dtype %v, want %T", d.Dtype(), s)
}
