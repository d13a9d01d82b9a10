package lstm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// inputs are one step's values, in float64 whatever the graph's dtype.
type inputs struct {
	x, mask, wx, wh, bias, dout []float64
}

// results are the output and the gradients of sum(out ⊙ dout).
type results struct {
	out, dx, dwx, dwh, dbias []float64
}

type buildFunc func(x, mask, wx, wh, bias *G.Node, opts Options) (*G.Node, error)

// session is one built graph with its machine, run step after step as the
// project does: Let the inputs, RunAll, read the gradient nodes, Reset.
type session struct {
	dt                          tensor.Dtype
	b, t, d, h                  int
	x, mask, wx, wh, bias, dout *G.Node
	out                         *G.Node
	gx, gwx, gwh, gbias         *G.Node
	vm                          G.VM
}

func newSession(t *testing.T, dt tensor.Dtype, b, steps, d, h int, opts Options, build buildFunc) *session {
	t.Helper()
	s, err := buildSession(dt, b, steps, d, h, opts, build)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.vm.Close() })
	return s
}

func buildSession(dt tensor.Dtype, b, steps, d, h int, opts Options, build buildFunc) (*session, error) {
	g := G.NewGraph()
	s := &session{dt: dt, b: b, t: steps, d: d, h: h}
	s.x = G.NewMatrix(g, dt, G.WithShape(b*steps, d), G.WithName("x"))
	s.mask = G.NewMatrix(g, dt, G.WithShape(b, steps), G.WithName("mask"))
	s.wx = G.NewMatrix(g, dt, G.WithShape(d, 4*h), G.WithName("wx"))
	s.wh = G.NewMatrix(g, dt, G.WithShape(h, 4*h), G.WithName("wh"))
	s.bias = G.NewVector(g, dt, G.WithShape(4*h), G.WithName("bias"))
	var err error
	if s.out, err = build(s.x, s.mask, s.wx, s.wh, s.bias, opts); err != nil {
		return nil, err
	}
	s.dout = G.NewMatrix(g, dt, G.WithShape(s.out.Shape()...), G.WithName("dout"))
	prod, err := G.HadamardProd(s.out, s.dout)
	if err != nil {
		return nil, err
	}
	loss, err := G.Sum(prod)
	if err != nil {
		return nil, err
	}
	grads, err := G.Grad(loss, s.x, s.wx, s.wh, s.bias)
	if err != nil {
		return nil, fmt.Errorf("grad: %w", err)
	}
	s.gx, s.gwx, s.gwh, s.gbias = grads[0], grads[1], grads[2], grads[3]
	s.vm = G.NewTapeMachine(g)
	return s, nil
}

func (s *session) step(in inputs) (results, error) {
	lets := []struct {
		n *G.Node
		v []float64
	}{{s.x, in.x}, {s.mask, in.mask}, {s.wx, in.wx}, {s.wh, in.wh}, {s.bias, in.bias}, {s.dout, in.dout}}
	for _, l := range lets {
		if err := G.Let(l.n, toTensor(s.dt, l.n.Shape(), l.v)); err != nil {
			return results{}, fmt.Errorf("let %s: %w", l.n.Name(), err)
		}
	}
	if err := s.vm.RunAll(); err != nil {
		return results{}, err
	}
	defer s.vm.Reset()
	return results{
		out: fromValue(s.out.Value()), dx: fromValue(s.gx.Value()), dwx: fromValue(s.gwx.Value()),
		dwh: fromValue(s.gwh.Value()), dbias: fromValue(s.gbias.Value()),
	}, nil
}

func toTensor(dt tensor.Dtype, shape tensor.Shape, v []float64) *tensor.Dense {
	if dt == tensor.Float64 {
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), v...)))
	}
	f := make([]float32, len(v))
	for i, x := range v {
		f[i] = float32(x)
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f))
}

// fromValue copies a value out: the op's buffers are overwritten next step.
func fromValue(v G.Value) []float64 {
	switch d := v.Data().(type) {
	case []float32:
		out := make([]float64, len(d))
		for i, x := range d {
			out[i] = float64(x)
		}
		return out
	case []float64:
		return append([]float64(nil), d...)
	}
	return nil // compare then reports the missing values
}

// randomInputs draws float32-representable values, so that float32 and
// float64 graphs see the same numbers. lengths gives each sequence's real
// tokens (right padding); nil means no padding.
func randomInputs(rng *rand.Rand, b, t, d, h, outRows int, lengths []int) inputs {
	u := func(n int, scale float64) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = float64(float32((rng.Float64()*2 - 1) * scale))
		}
		return s
	}
	mask := make([]float64, b*t)
	for i := 0; i < b; i++ {
		n := t
		if lengths != nil {
			n = lengths[i]
		}
		for j := 0; j < n; j++ {
			mask[i*t+j] = 1
		}
	}
	return inputs{
		x: u(b*t*d, 1), mask: mask, wx: u(d*4*h, 0.8), wh: u(h*4*h, 0.8), bias: u(4*h, 0.5),
		dout: u(outRows*h, 1),
	}
}

// compare fails when got and want differ by more than tol·max(1, |want|).
func compare(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if d := math.Abs(got[i] - want[i]); !(d <= tol*math.Max(1, math.Abs(want[i]))) {
			t.Fatalf("%s[%d] = %.9g, want %.9g (diff %.3g > %.3g)", what, i, got[i], want[i], d, tol)
		}
	}
}

func compareResults(t *testing.T, what string, got, want results, tol float64) {
	t.Helper()
	compare(t, what+" out", got.out, want.out, tol)
	compare(t, what+" dx", got.dx, want.dx, tol)
	compare(t, what+" dwx", got.dwx, want.dwx, tol)
	compare(t, what+" dwh", got.dwh, want.dwh, tol)
	compare(t, what+" dbias", got.dbias, want.dbias, tol)
}
