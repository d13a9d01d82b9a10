package lstm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestMatchesReference checks the custom op against the stock-op graph on
// the same inputs over three consecutive machine steps with different
// inputs and weights each time: outputs and every gradient agree to 1e-5,
// so nothing computed in one step leaks into the next. It covers both
// directions and outputs, right padding (including a sequence of one real
// token and a fully padded one) and the recurrence split over goroutines.
func TestMatchesReference(t *testing.T) {
	type shape struct {
		b, t, d, h int
		lengths    []int
		parts      int
	}
	shapes := []shape{
		{b: 2, t: 3, d: 4, h: 5},
		{b: 1, t: 2, d: 3, h: 3},
		// T = 1 is left to TestFiniteDifferences: the reference never reads
		// wh then, and Gorgonia refuses to differentiate with respect to it.
		{b: 3, t: 5, d: 3, h: 4, lengths: []int{5, 1, 3}},
		{b: 17, t: 4, d: 3, h: 2, lengths: []int{4, 4, 3, 2, 1, 4, 4, 4, 0, 4, 4, 2, 3, 4, 4, 1, 4}, parts: 3},
	}
	for _, sh := range shapes {
		for _, reverse := range []bool{false, true} {
			for _, output := range []Output{AllStates, LastState} {
				opts := Options{Reverse: reverse, Output: output}
				name := fmt.Sprintf("B%dT%dD%dH%d/parts=%d/reverse=%v/%v", sh.b, sh.t, sh.d, sh.h, sh.parts, reverse, output)
				t.Run(name, func(t *testing.T) {
					defer func(p int) { forceParts = p }(forceParts)
					forceParts = sh.parts
					op := newSession(t, tensor.Float32, sh.b, sh.t, sh.d, sh.h, opts, Apply)
					ref := newSession(t, tensor.Float32, sh.b, sh.t, sh.d, sh.h, opts, Reference)
					rng := rand.New(rand.NewPCG(uint64(sh.b), uint64(sh.h)))
					outRows := sh.b * sh.t
					if output == LastState {
						outRows = sh.b
					}
					for step := 0; step < 3; step++ {
						in := randomInputs(rng, sh.b, sh.t, sh.d, sh.h, outRows, sh.lengths)
						got, err := op.step(in)
						if err != nil {
							t.Fatal(err)
						}
						want, err := ref.step(in)
						if err != nil {
							t.Fatal(err)
						}
						compareResults(t, fmt.Sprintf("step %d", step), got, want, 1e-5)
					}
				})
			}
		}
	}
}

func TestApplyRejectsBadInputs(t *testing.T) {
	g := G.NewGraph()
	m := func(name string, dt tensor.Dtype, s ...int) *G.Node {
		if len(s) == 1 {
			return G.NewVector(g, dt, G.WithShape(s...), G.WithName(name))
		}
		return G.NewMatrix(g, dt, G.WithShape(s...), G.WithName(name))
	}
	f := tensor.Float32
	x, mask := m("x", f, 6, 4), m("mask", f, 2, 3)
	wx, wh, bias := m("wx", f, 4, 8), m("wh", f, 2, 8), m("bias", f, 8)
	if _, err := Apply(x, mask, wx, wh, bias, Options{}); err != nil {
		t.Fatalf("valid inputs: %v", err)
	}
	for _, tc := range []struct {
		name                  string
		x, mask, wx, wh, bias *G.Node
		opts                  Options
	}{
		{"x rows ≠ B·T", m("x5", f, 5, 4), mask, wx, wh, bias, Options{}},
		{"wx rows ≠ D", x, mask, m("wx3", f, 3, 8), wh, bias, Options{}},
		{"wh not H×4H", x, mask, wx, m("wh9", f, 2, 9), bias, Options{}},
		{"bias ≠ 4H", x, mask, wx, wh, m("bias7", f, 7), Options{}},
		{"bias a matrix", x, mask, wx, wh, m("bias2d", f, 1, 8), Options{}},
		{"nil mask", x, nil, wx, wh, bias, Options{}},
		{"mixed dtypes", x, m("mask64", tensor.Float64, 2, 3), wx, wh, bias, Options{}},
		{"unknown output", x, mask, wx, wh, bias, Options{Output: Output(7)}},
	} {
		if _, err := Apply(tc.x, tc.mask, tc.wx, tc.wh, tc.bias, tc.opts); err == nil {
			t.Errorf("%s: no error", tc.name)
		} else {
			t.Logf("%s: %v", tc.name, err)
		}
	}
}

// TestConcurrentGraphs runs two graphs with their own ops in parallel
// goroutines, as the project trains graphs concurrently: each gets the same
// results as when run alone (and `go test -race` finds no shared state).
func TestConcurrentGraphs(t *testing.T) {
	const b, steps, d, h = 16, 5, 4, 8
	opts := []Options{{Output: AllStates}, {Reverse: true, Output: LastState}}
	rng := rand.New(rand.NewPCG(21, 22))
	ins := make([]inputs, len(opts))
	want := make([]results, len(opts))
	sessions := make([]*session, len(opts))
	for i, o := range opts {
		rows := b * steps
		if o.Output == LastState {
			rows = b
		}
		ins[i] = randomInputs(rng, b, steps, d, h, rows, nil)
		sessions[i] = newSession(t, tensor.Float32, b, steps, d, h, o, Apply)
		var err error
		if want[i], err = sessions[i].step(ins[i]); err != nil {
			t.Fatal(err)
		}
	}
	errs := make(chan error, len(opts))
	got := make([]results, len(opts))
	for i := range opts {
		go func() {
			var err error
			for rep := 0; rep < 3 && err == nil; rep++ {
				got[i], err = sessions[i].step(ins[i])
			}
			errs <- err
		}()
	}
	for range opts {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	for i := range opts {
		compareResults(t, fmt.Sprintf("graph %d", i), got[i], want[i], 0)
	}
}
