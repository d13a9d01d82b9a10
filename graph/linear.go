package graph

import (
	"fmt"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/mt2st/mt2st/graph/linalg"
)

// Linear returns x·W + b for x (n, in), W (in, out) and b (1, out), or x·W
// when b is nil: a fully connected layer as one node, with one node per
// gradient (dx = dy·Wᵀ, dW = xᵀ·dy, db = Σ_rows dy), each owning its buffer
// and multiplying with linalg.Sgemm. The stock composition (Mul and
// BroadcastAdd) allocates every intermediate and every gradient per step.
func Linear(x, w, b *G.Node) (*G.Node, error) {
	if err := checkFloat32("linear: x", x, 2); err != nil {
		return nil, err
	}
	if err := checkFloat32("linear: W", w, 2); err != nil {
		return nil, err
	}
	n, in, out := x.Shape()[0], x.Shape()[1], w.Shape()[1]
	if w.Shape()[0] != in {
		return nil, fmt.Errorf("linear: x %v and W %v do not chain", x.Shape(), w.Shape())
	}
	inputs := G.Nodes{x, w}
	if b != nil {
		if err := checkFloat32("linear: b", b, 2); err != nil {
			return nil, err
		}
		if b.Shape()[0] != 1 || b.Shape()[1] != out {
			return nil, fmt.Errorf("linear: b has shape %v, want (1, %d)", b.Shape(), out)
		}
		inputs = append(inputs, b)
	}
	op := &linearOp{fusedBase: newFusedBase("linear"), n: n, in: in, out: out, bias: b != nil}
	y, err := G.ApplyOp(op, inputs...)
	if err != nil {
		return nil, fmt.Errorf("linear: %w", err)
	}
	return y, nil
}

type linearOp struct {
	fusedBase
	n, in, out int
	bias       bool
	y          *tensor.Dense
}

func (op *linearOp) Arity() int {
	if op.bias {
		return 3
	}
	return 2
}

func (op *linearOp) Type() hm.Type {
	m := G.TensorType{Dims: 2, Of: hm.TypeVariable('a')}
	if op.bias {
		return hm.NewFnType(m, m, m, m)
	}
	return hm.NewFnType(m, m, m)
}

func (op *linearOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape{op.n, op.out}, nil
}

func (op *linearOp) Do(vals ...G.Value) (G.Value, error) {
	in, err := inputs32(op, vals, op.Arity())
	if err != nil {
		return nil, err
	}
	op.y = ownedDense(op.y, op.n, op.out)
	y := op.y.Float32s()
	linalg.Sgemm(false, false, op.n, op.out, op.in, 1, in[0], op.in, in[1], op.out, 0, y, op.out)
	if op.bias {
		for r := range op.n {
			addTo(y[r*op.out:(r+1)*op.out], in[2])
		}
	}
	return op.y, nil
}

func (op *linearOp) DiffWRT(n int) []bool {
	d := make([]bool, n)
	for i := range d {
		d[i] = true
	}
	return d
}

func (op *linearOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	grads := make(G.Nodes, len(inputs))
	for i := range inputs {
		g := &linearGradOp{fusedBase: newFusedBase(fmt.Sprintf("∂linear/∂%s", "xWb"[i:i+1])), fwd: op, which: i}
		args := G.Nodes{grad, inputs[1]} // dx = dy·Wᵀ
		switch i {
		case 1:
			args = G.Nodes{grad, inputs[0]} // dW = xᵀ·dy
		case 2:
			args = G.Nodes{grad} // db = Σ_rows dy
		}
		var err error
		if grads[i], err = G.ApplyOp(g, args...); err != nil {
			return nil, fmt.Errorf("%v backward: %w", op, err)
		}
	}
	return grads, nil
}

// linearGradOp computes one of the linear layer's gradients from the output
// gradient (and W for dx, x for dW).
type linearGradOp struct {
	fusedBase
	fwd   *linearOp
	which int // 0: x, 1: W, 2: b
	g     *tensor.Dense
}

func (op *linearGradOp) Arity() int {
	if op.which == 2 {
		return 1
	}
	return 2
}

func (op *linearGradOp) Type() hm.Type {
	m := G.TensorType{Dims: 2, Of: hm.TypeVariable('a')}
	if op.which == 2 {
		return hm.NewFnType(m, m)
	}
	return hm.NewFnType(m, m, m)
}

func (op *linearGradOp) shape() []int {
	f := op.fwd
	switch op.which {
	case 0:
		return []int{f.n, f.in}
	case 1:
		return []int{f.in, f.out}
	}
	return []int{1, f.out}
}

func (op *linearGradOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape(op.shape()), nil
}

func (op *linearGradOp) Do(vals ...G.Value) (G.Value, error) {
	in, err := inputs32(op, vals, op.Arity())
	if err != nil {
		return nil, err
	}
	f := op.fwd
	op.g = ownedDense(op.g, op.shape()...)
	g, dy := op.g.Float32s(), in[0]
	switch op.which {
	case 0: // (n,out)·(in,out)ᵀ
		linalg.Sgemm(false, true, f.n, f.in, f.out, 1, dy, f.out, in[1], f.out, 0, g, f.in)
	case 1: // (n,in)ᵀ·(n,out)
		linalg.Sgemm(true, false, f.in, f.out, f.n, 1, in[1], f.in, dy, f.out, 0, g, f.out)
	case 2:
		clear(g)
		for r := range f.n {
			addTo(g, dy[r*f.out:(r+1)*f.out])
		}
	}
	return op.g, nil
}

// inputs32 returns the float32 values of an op's n (at most 3) inputs.
func inputs32(op fmt.Stringer, vals []G.Value, n int) (out [3][]float32, err error) {
	if len(vals) != n || n > len(out) {
		return out, fmt.Errorf("%v: %d inputs, want %d", op, len(vals), n)
	}
	for i, v := range vals {
		if out[i], err = Float32Data(v); err != nil {
			return out, fmt.Errorf("%v: input %d: %w", op, i, err)
		}
	}
	return out, nil
}
