package graph

import (
	"fmt"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// SoftmaxCrossEntropy returns the scalar −Σ_{b,c} y[b,c] · log softmax(z[b])_c
// for logits z and target weights y, both (B, C). With y[b,c] = 1/n at the
// true class of each of n real rows (0 on padding rows) it is the mean
// cross-entropy. One fused op in place of LogSoftMax, HadamardProd, Sum and
// Neg; differentiable with respect to the logits only:
//
//	∂/∂z[b,c] = (Σ_c' y[b,c']) · softmax(z[b])_c − y[b,c]
func SoftmaxCrossEntropy(logits, target *G.Node) (*G.Node, error) {
	if err := checkFloat32("softmax cross-entropy: logits", logits, 2); err != nil {
		return nil, err
	}
	if err := checkFloat32("softmax cross-entropy: target", target, 2); err != nil {
		return nil, err
	}
	if !logits.Shape().Eq(target.Shape()) {
		return nil, fmt.Errorf("softmax cross-entropy: logits %v and target %v differ in shape", logits.Shape(), target.Shape())
	}
	op := &xentOp{fusedBase: newFusedBase("xent"), b: logits.Shape()[0], c: logits.Shape()[1]}
	out, err := G.ApplyOp(op, logits, target)
	if err != nil {
		return nil, fmt.Errorf("softmax cross-entropy: %w", err)
	}
	return out, nil
}

type xentOp struct {
	fusedBase
	b, c int
	loss G.F32
}

func (op *xentOp) Arity() int { return 2 }

func (op *xentOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	m := G.TensorType{Dims: 2, Of: a}
	return hm.NewFnType(m, m, a)
}

func (op *xentOp) InferShape(...G.DimSizer) (tensor.Shape, error) { return tensor.ScalarShape(), nil }

func (op *xentOp) Do(vals ...G.Value) (G.Value, error) {
	z, y, err := op.inputs(vals)
	if err != nil {
		return nil, err
	}
	var loss float64
	for i := range op.b {
		zi, yi := z[i*op.c:(i+1)*op.c], y[i*op.c:(i+1)*op.c]
		lse := logSumExp(zi)
		for k, yk := range yi {
			if yk != 0 {
				loss -= float64(yk) * (float64(zi[k]) - lse)
			}
		}
	}
	op.loss = G.F32(loss)
	return &op.loss, nil
}

func (op *xentOp) inputs(vals []G.Value) (z, y []float32, err error) {
	if len(vals) < 2 {
		return nil, nil, fmt.Errorf("%v: %d inputs, want 2", op, len(vals))
	}
	if z, err = Float32Data(vals[0]); err != nil {
		return nil, nil, fmt.Errorf("%v: logits: %w", op, err)
	}
	if y, err = Float32Data(vals[1]); err != nil {
		return nil, nil, fmt.Errorf("%v: target: %w", op, err)
	}
	return z, y, nil
}

// logSumExp returns log Σ exp(z), computed in float64 around the maximum.
func logSumExp(z []float32) float64 {
	m := float64(z[0])
	for _, v := range z[1:] {
		m = max(m, float64(v))
	}
	var s float64
	for _, v := range z {
		s += math.Exp(float64(v) - m)
	}
	return m + math.Log(s)
}

func (op *xentOp) DiffWRT(int) []bool { return []bool{true, false} }

func (op *xentOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	dz, err := G.ApplyOp(&xentGradOp{fusedBase: newFusedBase("∂xent"), fwd: op}, inputs[0], inputs[1], grad)
	if err != nil {
		return nil, fmt.Errorf("%v backward: %w", op, err)
	}
	return G.Nodes{dz, nil}, nil
}

// xentGradOp computes the logits' gradient from (logits, target, dLoss).
type xentGradOp struct {
	fusedBase
	fwd *xentOp
	dz  *tensor.Dense
}

func (op *xentGradOp) Arity() int { return 3 }

func (op *xentGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	m := G.TensorType{Dims: 2, Of: a}
	return hm.NewFnType(m, m, a, m)
}

func (op *xentGradOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape{op.fwd.b, op.fwd.c}, nil
}

func (op *xentGradOp) Do(vals ...G.Value) (G.Value, error) {
	if len(vals) != 3 {
		return nil, fmt.Errorf("%v: %d inputs, want 3", op, len(vals))
	}
	z, y, err := op.fwd.inputs(vals)
	if err != nil {
		return nil, err
	}
	g, err := scalar32(vals[2])
	if err != nil {
		return nil, fmt.Errorf("%v: loss gradient: %w", op, err)
	}
	b, c := op.fwd.b, op.fwd.c
	op.dz = ownedDense(op.dz, b, c)
	dz := op.dz.Float32s()
	for i := range b {
		zi, yi, di := z[i*c:(i+1)*c], y[i*c:(i+1)*c], dz[i*c:(i+1)*c]
		var sumY float64
		for _, v := range yi {
			sumY += float64(v)
		}
		if sumY == 0 {
			clear(di)
			continue
		}
		lse := logSumExp(zi)
		for k := range di {
			di[k] = float32(float64(g) * (sumY*math.Exp(float64(zi[k])-lse) - float64(yi[k])))
		}
	}
	return op.dz, nil
}
