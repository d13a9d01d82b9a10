package lstm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestFiniteDifferences checks the hand-written backward pass of the engine
// in float64 against central differences of L = sum(out ⊙ dout), for every
// element of x, wx, wh and bias, both directions and both outputs, with
// right padding (lengths 4, 2, 1, 0) and the batch split over two
// goroutines, and for a single time step (where dwh must be 0).
func TestFiniteDifferences(t *testing.T) {
	for _, sh := range []struct {
		b, steps, d, h, parts int
		lengths               []int
	}{
		{4, 4, 3, 2, 2, []int{4, 2, 1, 0}},
		{2, 1, 2, 3, 1, []int{1, 1}},
	} {
		for _, reverse := range []bool{false, true} {
			for _, output := range []Output{AllStates, LastState} {
				checkFiniteDifferences(t, sh.b, sh.steps, sh.d, sh.h, sh.parts, sh.lengths, Options{Reverse: reverse, Output: output})
			}
		}
	}
}

func checkFiniteDifferences(t *testing.T, b, steps, d, h, parts int, lengths []int, opts Options) {
	t.Run(fmt.Sprintf("B%dT%d/reverse=%v/%v", b, steps, opts.Reverse, opts.Output), func(t *testing.T) {
		defer func(p int) { forceParts = p }(forceParts)
		forceParts = parts
		e := newEngine[float64](b, steps, d, h, opts, &matmul64{}, act64{})
		rng := rand.New(rand.NewPCG(7, uint64(len(e.out))))
		in := randomInputs(rng, b, steps, d, h, len(e.out)/h, lengths)
		loss := func() float64 {
			if err := e.forward(in.x, in.mask, in.wx, in.wh, in.bias); err != nil {
				t.Fatal(err)
			}
			var l float64
			for i, v := range e.out {
				l += v * in.dout[i]
			}
			return l
		}
		loss()
		if err := e.backward(in.dout, in.wx, in.wh); err != nil {
			t.Fatal(err)
		}
		analytic := map[string][]float64{
			"x": append([]float64(nil), e.dx...), "wx": append([]float64(nil), e.dwx...),
			"wh": append([]float64(nil), e.dwh...), "bias": append([]float64(nil), e.dbias...),
		}
		params := map[string][]float64{"x": in.x, "wx": in.wx, "wh": in.wh, "bias": in.bias}
		const eps = 1e-6
		for name, p := range params {
			for i := range p {
				old := p[i]
				p[i] = old + eps
				up := loss()
				p[i] = old - eps
				down := loss()
				p[i] = old
				numeric := (up - down) / (2 * eps)
				// Central differences are accurate to ~eps² plus rounding ~1e-16/eps.
				if diff := math.Abs(numeric - analytic[name][i]); diff > 1e-8*math.Max(1, math.Abs(numeric)) {
					t.Errorf("d/d%s[%d]: analytic %.10g, numeric %.10g", name, i, analytic[name][i], numeric)
				}
			}
		}
		// Positions the padding hides have zero input gradient.
		for bi, n := range lengths {
			for tt := n; tt < steps; tt++ {
				for j := 0; j < d; j++ {
					if g := analytic["x"][(bi*steps+tt)*d+j]; g != 0 {
						t.Errorf("dx at padded b=%d t=%d is %g, want 0", bi, tt, g)
					}
				}
			}
		}
	})
}

// TestBackwardNeedsForward: the backward pass reuses the forward pass's
// gates, so it refuses to run twice on one forward pass.
func TestBackwardNeedsForward(t *testing.T) {
	e := newEngine[float64](1, 2, 1, 1, Options{}, &matmul64{}, act64{})
	dout := make([]float64, 2)
	w := make([]float64, 4)
	if err := e.backward(dout, w, w); err == nil {
		t.Fatal("backward before any forward pass succeeded")
	}
	if err := e.forward([]float64{1, 2}, []float64{1, 1}, w, w, w); err != nil {
		t.Fatal(err)
	}
	if err := e.backward(dout, w, w); err != nil {
		t.Fatal(err)
	}
	if err := e.backward(dout, w, w); err == nil {
		t.Fatal("second backward on one forward pass succeeded")
	}
}
