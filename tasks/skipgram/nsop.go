package skipgram

import (
	"fmt"
	"hash"
	"math"
	"sync/atomic"

	"github.com/chewxy/hm"
	"github.com/mt2st/mt2st/graph"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// NSLoss adds word2vec's negative-sampling loss as one fused node:
//
//	L = Σ_r weight_r · softplus(sign_r · e_{⌊r/G⌋} · u_r)
//
// e (P, D) holds P input vectors (a centre word's row, or CBOW's mean of
// context rows), u (P·G, D) the G output rows of each (the true word, then
// the noise words), sign (P·G) is −1 on a true word and +1 on a noise word,
// weight (P·G) scales each term (0 on padding). softplus(−x) = −log σ(x), so
// with G = K+1 this is the sum over pairs of −log σ(e·u_o) − Σ_k log σ(−e·u_k).
//
// Fusing it matters: the same loss from stock ops (repeat-gathered centres,
// HadamardProd, Sum, Softplus) spends most of a step copying (P·G, D)
// intermediates; here the forward pass is one dot product per row and the
// backward pass one scaled row per input. float32 only.
func NSLoss(e, u, sign, weight *G.Node) (*G.Node, error) {
	if e.Dims() != 2 || u.Dims() != 2 || sign.Dims() != 1 || weight.Dims() != 1 {
		return nil, fmt.Errorf("negative-sampling loss: shapes e %v, u %v, sign %v, weight %v: want (P,D), (P·G,D), (P·G), (P·G)",
			e.Shape(), u.Shape(), sign.Shape(), weight.Shape())
	}
	p, d, r := e.Shape()[0], e.Shape()[1], u.Shape()[0]
	if u.Shape()[1] != d || r%p != 0 || sign.Shape()[0] != r || weight.Shape()[0] != r {
		return nil, fmt.Errorf("negative-sampling loss: shapes e %v, u %v, sign %v, weight %v: want (P,D), (P·G,D), (P·G), (P·G)",
			e.Shape(), u.Shape(), sign.Shape(), weight.Shape())
	}
	for _, n := range []*G.Node{e, u, sign, weight} {
		if n.Dtype() != tensor.Float32 {
			return nil, fmt.Errorf("negative-sampling loss: %s has dtype %v, want float32", n.Name(), n.Dtype())
		}
	}
	op := &nsOp{id: nsOpID.Add(1), p: p, g: r / p, d: d}
	op.coef = make([]float32, r)
	op.de = tensor.New(tensor.WithShape(p, d), tensor.Of(tensor.Float32))
	op.du = tensor.New(tensor.WithShape(r, d), tensor.Of(tensor.Float32))
	return G.ApplyOp(op, e, u, sign, weight)
}

var nsOpID atomic.Uint64

// nsOp is the forward node. It keeps coef_r = weight_r·sign_r·σ(sign_r·dot_r),
// the derivative of term r with respect to its dot product, for the backward
// nodes that run after it in the same machine step.
type nsOp struct {
	graph.OpTraits
	id      uint64
	p, g, d int
	coef    []float32
	de, du  *tensor.Dense
	ran     bool
}

func (op *nsOp) Arity() int { return 4 }

func (op *nsOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	m, v := G.TensorType{Dims: 2, Of: a}, G.TensorType{Dims: 1, Of: a}
	return hm.NewFnType(m, m, v, v, a)
}

func (op *nsOp) InferShape(...G.DimSizer) (tensor.Shape, error) { return tensor.ScalarShape(), nil }

func (op *nsOp) Do(vals ...G.Value) (G.Value, error) {
	if len(vals) != 4 {
		return nil, fmt.Errorf("%v: got %d inputs, want 4", op, len(vals))
	}
	var in [4][]float32
	for i, v := range vals {
		s, err := graph.Float32Data(v)
		if err != nil {
			return nil, fmt.Errorf("%v input %d: %w", op, i, err)
		}
		in[i] = s
	}
	e, u, sign, weight := in[0], in[1], in[2], in[3]
	d := op.d
	var loss float64
	for r := range op.coef {
		w := weight[r]
		if w == 0 {
			op.coef[r] = 0
			continue
		}
		p := r / op.g
		dot := dot32(e[p*d:(p+1)*d], u[r*d:(r+1)*d])
		z := float64(sign[r] * dot)
		loss += float64(w) * softplus(z)
		op.coef[r] = w * sign[r] * float32(sigmoid(z))
	}
	op.ran = true
	return G.NewF32(float32(loss)), nil
}

func (op *nsOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%v", op) }
func (op *nsOp) Hashcode() uint32      { return graph.HashOf(op) }
func (op *nsOp) String() string {
	return fmt.Sprintf("NSLoss#%d{P=%d,G=%d,D=%d}", op.id, op.p, op.g, op.d)
}

// DiffWRT: e and u; not sign or weight.
func (op *nsOp) DiffWRT(int) []bool { return []bool{true, true, false, false} }

// SymDiff adds one node per differentiable input: ∂L/∂e reads u, ∂L/∂u
// reads e; both read the forward output so they run after it.
func (op *nsOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if len(inputs) != 4 {
		return nil, fmt.Errorf("%v: SymDiff got %d inputs, want 4", op, len(inputs))
	}
	de, err := G.ApplyOp(&nsGradOp{fwd: op, wrtE: true}, inputs[1], output, grad)
	if err != nil {
		return nil, err
	}
	du, err := G.ApplyOp(&nsGradOp{fwd: op}, inputs[0], output, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{de, du, nil, nil}, nil
}

// nsGradOp computes ∂L/∂e (wrtE; input: u) or ∂L/∂u (input: e), times the
// incoming scalar gradient.
type nsGradOp struct {
	graph.OpTraits
	fwd  *nsOp
	wrtE bool
}

func (op *nsGradOp) Arity() int { return 3 }

func (op *nsGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	m := G.TensorType{Dims: 2, Of: a}
	return hm.NewFnType(m, a, a, m)
}

func (op *nsGradOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	if op.wrtE {
		return tensor.Shape{op.fwd.p, op.fwd.d}, nil
	}
	return tensor.Shape{op.fwd.p * op.fwd.g, op.fwd.d}, nil
}

func (op *nsGradOp) Do(vals ...G.Value) (G.Value, error) {
	f := op.fwd
	if len(vals) != 3 {
		return nil, fmt.Errorf("%v: got %d inputs, want 3", op, len(vals))
	}
	if !f.ran {
		return nil, fmt.Errorf("%v: the forward op has not run", op)
	}
	other, err := graph.Float32Data(vals[0])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	g, err := scalar32(vals[2])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	d := f.d
	if op.wrtE {
		de := f.de.Float32s()
		clear(de)
		for r, c := range f.coef {
			if c != 0 {
				p := r / f.g
				axpy32(g*c, other[r*d:(r+1)*d], de[p*d:(p+1)*d])
			}
		}
		return f.de, nil
	}
	du := f.du.Float32s()
	for r, c := range f.coef {
		row := du[r*d : (r+1)*d]
		if c == 0 {
			clear(row)
			continue
		}
		p := r / f.g
		scale32(g*c, other[p*d:(p+1)*d], row)
	}
	return f.du, nil
}

func (op *nsGradOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%v", op) }
func (op *nsGradOp) Hashcode() uint32      { return graph.HashOf(op) }
func (op *nsGradOp) String() string {
	if op.wrtE {
		return fmt.Sprintf("∂%v/∂e", op.fwd)
	}
	return fmt.Sprintf("∂%v/∂u", op.fwd)
}

// softplus(z) = log(1+e^z), stable for large |z|.
func softplus(z float64) float64 {
	if z > 0 {
		return z + math.Log1p(math.Exp(-z))
	}
	return math.Log1p(math.Exp(z))
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	ez := math.Exp(z)
	return ez / (1 + ez)
}

func dot32(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// axpy32: y += alpha·x.
func axpy32(alpha float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

// scale32: y = alpha·x.
func scale32(alpha float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] = alpha * v
	}
}

func scalar32(v G.Value) (float32, error) {
	switch x := v.Data().(type) {
	case float32:
		return x, nil
	case []float32:
		if len(x) == 1 {
			return x[0], nil
		}
	}
	return 0, fmt.Errorf("gradient %T, want a float32 scalar", v.Data())
}
