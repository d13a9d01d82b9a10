package graph

import (
	"fmt"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ConcatColumns returns [a | b] for a (n, p) and b (n, q): the columns of a
// then those of b, as one node whose backward pass hands each input its own
// columns of the output gradient.
//
// It replaces G.Concat(1, a, b), whose gradient is wrong at some widths:
// Gorgonia v0.9.18 hashes a slice's bounds as one byte each, so the
// gradient slices [0, 256) and [256, 512) of a width-512 concatenation
// hash alike, are merged as one node, and b receives a's gradient (the
// BiLSTM's two last states at 256 units per direction). Every op here is a
// fused op with its own identity, so nothing is merged.
func ConcatColumns(a, b *G.Node) (*G.Node, error) {
	if err := checkFloat32("concat: a", a, 2); err != nil {
		return nil, err
	}
	if err := checkFloat32("concat: b", b, 2); err != nil {
		return nil, err
	}
	if a.Shape()[0] != b.Shape()[0] {
		return nil, fmt.Errorf("concat: %v and %v have different row counts", a.Shape(), b.Shape())
	}
	op := &concatOp{fusedBase: newFusedBase("concat"), n: a.Shape()[0], p: a.Shape()[1], q: b.Shape()[1]}
	y, err := G.ApplyOp(op, a, b)
	if err != nil {
		return nil, fmt.Errorf("concat: %w", err)
	}
	return y, nil
}

type concatOp struct {
	fusedBase
	n, p, q int
	y       *tensor.Dense
}

func (op *concatOp) Arity() int { return 2 }

func (op *concatOp) Type() hm.Type {
	m := G.TensorType{Dims: 2, Of: hm.TypeVariable('a')}
	return hm.NewFnType(m, m, m)
}

func (op *concatOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape{op.n, op.p + op.q}, nil
}

func (op *concatOp) Do(vals ...G.Value) (G.Value, error) {
	in, err := inputs32(op, vals, 2)
	if err != nil {
		return nil, err
	}
	w := op.p + op.q
	op.y = ownedDense(op.y, op.n, w)
	y := op.y.Float32s()
	for r := range op.n {
		copy(y[r*w:r*w+op.p], in[0][r*op.p:(r+1)*op.p])
		copy(y[r*w+op.p:(r+1)*w], in[1][r*op.q:(r+1)*op.q])
	}
	return op.y, nil
}

func (op *concatOp) DiffWRT(n int) []bool { return []bool{true, true} }

func (op *concatOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	grads := make(G.Nodes, 2)
	for i := range grads {
		g := &concatGradOp{fusedBase: newFusedBase(fmt.Sprintf("∂concat/∂%s", "ab"[i:i+1])), fwd: op, which: i}
		var err error
		if grads[i], err = G.ApplyOp(g, grad); err != nil {
			return nil, fmt.Errorf("%v backward: %w", op, err)
		}
	}
	return grads, nil
}

// concatGradOp takes one input's columns out of the output gradient.
type concatGradOp struct {
	fusedBase
	fwd   *concatOp
	which int // 0: a's columns, 1: b's
	g     *tensor.Dense
}

func (op *concatGradOp) Arity() int { return 1 }

func (op *concatGradOp) Type() hm.Type {
	m := G.TensorType{Dims: 2, Of: hm.TypeVariable('a')}
	return hm.NewFnType(m, m)
}

func (op *concatGradOp) cols() (from, width int) {
	if op.which == 0 {
		return 0, op.fwd.p
	}
	return op.fwd.p, op.fwd.q
}

func (op *concatGradOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	_, width := op.cols()
	return tensor.Shape{op.fwd.n, width}, nil
}

func (op *concatGradOp) Do(vals ...G.Value) (G.Value, error) {
	in, err := inputs32(op, vals, 1)
	if err != nil {
		return nil, err
	}
	from, width := op.cols()
	w := op.fwd.p + op.fwd.q
	op.g = ownedDense(op.g, op.fwd.n, width)
	g := op.g.Float32s()
	for r := range op.fwd.n {
		copy(g[r*width:(r+1)*width], in[0][r*w+from:r*w+from+width])
	}
	return op.g, nil
}
