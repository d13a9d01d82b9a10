package graph

import (
	"fmt"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// CosineEps is added to each squared norm inside the square root, so a zero
// row has a finite gradient (the value tasks.RowNorms uses).
const CosineEps = 1e-12

// RowCosines returns the (n) cosine similarities of the rows of a and b
// (n, d): a_i·b_i / (√(|a_i|²+ε) · √(|b_i|²+ε)), ε = CosineEps. One fused op
// in place of the stock chain (products, sums, square roots, divisions:
// about twenty nodes, each allocating per step), differentiable with respect
// to both inputs:
//
//	∂cos_i/∂a_i = b_i/(‖a_i‖‖b_i‖) − cos_i · a_i/‖a_i‖²   (and symmetrically for b)
func RowCosines(a, b *G.Node) (*G.Node, error) {
	if err := checkFloat32("row cosines: a", a, 2); err != nil {
		return nil, err
	}
	if err := checkFloat32("row cosines: b", b, 2); err != nil {
		return nil, err
	}
	if !a.Shape().Eq(b.Shape()) {
		return nil, fmt.Errorf("row cosines: a %v and b %v differ in shape", a.Shape(), b.Shape())
	}
	op := &cosineOp{fusedBase: newFusedBase("cos"), n: a.Shape()[0], d: a.Shape()[1]}
	out, err := G.ApplyOp(op, a, b)
	if err != nil {
		return nil, fmt.Errorf("row cosines: %w", err)
	}
	return out, nil
}

type cosineOp struct {
	fusedBase
	n, d int
	out  *tensor.Dense
}

func (op *cosineOp) Arity() int { return 2 }

func (op *cosineOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	m := G.TensorType{Dims: 2, Of: a}
	return hm.NewFnType(m, m, G.TensorType{Dims: 1, Of: a})
}

func (op *cosineOp) InferShape(...G.DimSizer) (tensor.Shape, error) { return tensor.Shape{op.n}, nil }

func (op *cosineOp) Do(vals ...G.Value) (G.Value, error) {
	in, err := inputs32(op, vals, 2)
	if err != nil {
		return nil, err
	}
	op.out = ownedDense(op.out, op.n)
	out := op.out.Float32s()
	for i := range op.n {
		out[i] = float32(op.row(in[0], in[1], i).cos)
	}
	return op.out, nil
}

// cosRow holds one row's dot product, norms and cosine, in float64.
type cosRow struct{ dot, na, nb, cos float64 }

func (op *cosineOp) row(a, b []float32, i int) cosRow {
	ai, bi := a[i*op.d:(i+1)*op.d], b[i*op.d:(i+1)*op.d]
	var dot, aa, bb float64
	for j := range ai {
		x, y := float64(ai[j]), float64(bi[j])
		dot += x * y
		aa += x * x
		bb += y * y
	}
	r := cosRow{dot: dot, na: math.Sqrt(aa + CosineEps), nb: math.Sqrt(bb + CosineEps)}
	r.cos = dot / (r.na * r.nb)
	return r
}

func (op *cosineOp) DiffWRT(int) []bool { return []bool{true, true} }

func (op *cosineOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	grads := make(G.Nodes, 2)
	for which := range grads {
		g := &cosineGradOp{fusedBase: newFusedBase(fmt.Sprintf("∂cos/∂%c", 'a'+which)), fwd: op, which: which}
		var err error
		if grads[which], err = G.ApplyOp(g, inputs[0], inputs[1], grad); err != nil {
			return nil, fmt.Errorf("%v backward: %w", op, err)
		}
	}
	return grads, nil
}

// cosineGradOp computes the gradient of a (which 0) or b (which 1) from
// (a, b, dcos).
type cosineGradOp struct {
	fusedBase
	fwd   *cosineOp
	which int
	g     *tensor.Dense
}

func (op *cosineGradOp) Arity() int { return 3 }

func (op *cosineGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	m := G.TensorType{Dims: 2, Of: a}
	return hm.NewFnType(m, m, G.TensorType{Dims: 1, Of: a}, m)
}

func (op *cosineGradOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape{op.fwd.n, op.fwd.d}, nil
}

func (op *cosineGradOp) Do(vals ...G.Value) (G.Value, error) {
	in, err := inputs32(op, vals, 3)
	if err != nil {
		return nil, err
	}
	f := op.fwd
	op.g = ownedDense(op.g, f.n, f.d)
	g := op.g.Float32s()
	self, other := in[0], in[1]
	if op.which == 1 {
		self, other = in[1], in[0]
	}
	for i := range f.n {
		r := f.row(in[0], in[1], i)
		ns := r.na
		if op.which == 1 {
			ns = r.nb
		}
		dy := float64(in[2][i])
		cOther := dy / (r.na * r.nb) // coefficient of the other row
		cSelf := -dy * r.cos / (ns * ns)
		gi, si, oi := g[i*f.d:(i+1)*f.d], self[i*f.d:(i+1)*f.d], other[i*f.d:(i+1)*f.d]
		for j := range gi {
			gi[j] = float32(cOther*float64(oi[j]) + cSelf*float64(si[j]))
		}
	}
	return op.g, nil
}
