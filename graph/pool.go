package graph

import (
	"fmt"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// WeightedPool returns the (B, D) weighted sums of B groups of T rows:
//
//	out[b] = Σ_t w[b,t] · x[b·T+t]      x (B·T, D), w (B, T)
//
// With w[b,t] = 1/n_b on a sequence's n_b real tokens and 0 on padding it is
// the masked mean. It is one fused op (the stock composition, a reshape and
// a BatchedMatMul of (B,1,T) by (B,T,D), allocates a (B,T,D) gradient every
// step) and is differentiable with respect to x only; rows with weight 0 get
// a zero gradient.
func WeightedPool(x, w *G.Node) (*G.Node, error) {
	if err := checkFloat32("weighted pool: x", x, 2); err != nil {
		return nil, err
	}
	if err := checkFloat32("weighted pool: w", w, 2); err != nil {
		return nil, err
	}
	b, t, d := w.Shape()[0], w.Shape()[1], x.Shape()[1]
	if x.Shape()[0] != b*t {
		return nil, fmt.Errorf("weighted pool: x has %d rows, want B·T = %d·%d (w %v)", x.Shape()[0], b, t, w.Shape())
	}
	op := &poolOp{fusedBase: newFusedBase("pool"), b: b, t: t, d: d}
	out, err := G.ApplyOp(op, x, w)
	if err != nil {
		return nil, fmt.Errorf("weighted pool: %w", err)
	}
	return out, nil
}

type poolOp struct {
	fusedBase
	b, t, d int
	out     *tensor.Dense
}

func (op *poolOp) Arity() int { return 2 }

func (op *poolOp) Type() hm.Type {
	m := G.TensorType{Dims: 2, Of: hm.TypeVariable('a')}
	return hm.NewFnType(m, m, m)
}

func (op *poolOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape{op.b, op.d}, nil
}

func (op *poolOp) Do(vals ...G.Value) (G.Value, error) {
	if len(vals) != 2 {
		return nil, fmt.Errorf("%v: %d inputs, want 2", op, len(vals))
	}
	x, err := Float32Data(vals[0])
	if err != nil {
		return nil, fmt.Errorf("%v: x: %w", op, err)
	}
	w, err := Float32Data(vals[1])
	if err != nil {
		return nil, fmt.Errorf("%v: w: %w", op, err)
	}
	op.out = ownedDense(op.out, op.b, op.d)
	pool(op.out.Float32s(), x, w, op.b, op.t, op.d)
	return op.out, nil
}

func pool(out, x, w []float32, b, t, d int) {
	clear(out)
	for i := range b {
		o := out[i*d : (i+1)*d]
		for j, wj := range w[i*t : (i+1)*t] {
			if wj == 0 {
				continue
			}
			r := (i*t + j) * d
			axpy(o, x[r:r+d], wj)
		}
	}
}

func (op *poolOp) DiffWRT(int) []bool { return []bool{true, false} }

func (op *poolOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	dx, err := G.ApplyOp(&poolGradOp{fusedBase: newFusedBase("∂pool"), fwd: op}, inputs[1], grad)
	if err != nil {
		return nil, fmt.Errorf("%v backward: %w", op, err)
	}
	return G.Nodes{dx, nil}, nil
}

// poolGradOp computes dx[b·T+t] = w[b,t] · dOut[b] from (w, dOut).
type poolGradOp struct {
	fusedBase
	fwd *poolOp
	dx  *tensor.Dense
}

func (op *poolGradOp) Arity() int { return 2 }

func (op *poolGradOp) Type() hm.Type {
	m := G.TensorType{Dims: 2, Of: hm.TypeVariable('a')}
	return hm.NewFnType(m, m, m)
}

func (op *poolGradOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape{op.fwd.b * op.fwd.t, op.fwd.d}, nil
}

func (op *poolGradOp) Do(vals ...G.Value) (G.Value, error) {
	if len(vals) != 2 {
		return nil, fmt.Errorf("%v: %d inputs, want 2", op, len(vals))
	}
	w, err := Float32Data(vals[0])
	if err != nil {
		return nil, fmt.Errorf("%v: w: %w", op, err)
	}
	dy, err := Float32Data(vals[1])
	if err != nil {
		return nil, fmt.Errorf("%v: output gradient: %w", op, err)
	}
	b, t, d := op.fwd.b, op.fwd.t, op.fwd.d
	op.dx = ownedDense(op.dx, b*t, d)
	dx := op.dx.Float32s()
	for i := range b {
		g := dy[i*d : (i+1)*d]
		for j, wj := range w[i*t : (i+1)*t] {
			r := dx[(i*t+j)*d : (i*t+j+1)*d]
			if wj == 0 {
				clear(r)
				continue
			}
			scaleTo(r, g, wj)
		}
	}
	return op.dx, nil
}
