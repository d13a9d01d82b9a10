package graph

import (
	"math"
	"slices"
	"testing"
)

// handModel is the toy model of program_test.go with values chosen so the
// task gradients can be written down: loss_k = Σ_rows Σ_j x_j²·w_j, whose
// gradient on one read of row x is 2·x⊙w.
//
//	embedding row 0 = (1,0,0), row 1 = (0,1,0), row 3 = (1,1,0)
//	primary reads rows {0, 1, 1} with w = (1,1,1):
//	  g_p: row 0 = (2,0,0), row 1 = 2·(0,2,0) = (0,4,0); |g_p|² = 4+16 = 20
//	aux reads rows {1, 3, pad} with w = (−1,−1,−1):
//	  g_a: row 1 = (0,−2,0), row 3 = (−2,−2,0);          |g_a|² = 4+8 = 12
//	g_a·g_p = row 1 only = 4·(−2) = −8; cos = −8/√240 = −0.516398
func handModel(t testing.TB) (*Model, *Program) {
	t.Helper()
	m, primary, aux := newToyModel(t)
	clear(m.Embedding.W)
	copy(m.Embedding.Row(0), []float32{1, 0, 0})
	copy(m.Embedding.Row(1), []float32{0, 1, 0})
	copy(m.Embedding.Row(3), []float32{1, 1, 0})
	aux.ids = []int32{1, 3, -1}
	p, err := m.Program(primary, aux)
	if err != nil {
		t.Fatal(err)
	}
	copy(m.params["primary/w"].Data(), []float32{1, 1, 1})
	copy(m.params["aux/w"].Data(), []float32{-1, -1, -1})
	return m, p
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }

func TestTaskGradsByHand(t *testing.T) {
	_, p := handModel(t)
	called := false
	_, err := p.StepEach([]float64{1, 1}, true, func(g *TaskGrads) error {
		called = true
		if g.Modules() != 2 || g.Name(1) != "aux" || !slices.Equal(g.Shared(), []string{"embedding"}) {
			t.Errorf("modules %d, aux %q, shared %v", g.Modules(), g.Name(1), g.Shared())
		}
		if g.Rows(0) != 2 || g.Rows(1) != 2 {
			t.Errorf("rows touched: primary %d aux %d, want 2 and 2 (duplicates summed, padding skipped)", g.Rows(0), g.Rows(1))
		}
		checks := []struct {
			what      string
			got, want float64
		}{
			{"g_a·g_p", g.Dot(1, 0), -8},
			{"g_p·g_a", g.Dot(0, 1), -8},
			{"|g_p|", g.Norm(0), math.Sqrt(20)},
			{"|g_a|", g.Norm(1), math.Sqrt(12)},
			{"cos", g.Cosine(1, 0), -8 / math.Sqrt(240)},
		}
		for _, c := range checks {
			if !near(c.got, c.want) {
				t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
			}
		}
		// PCGrad: c = −8/20 = −0.4; g_a −= c·g_p gives row 0 = (0.8,0,0),
		// row 1 = (0,−2+1.6,0) = (0,−0.4,0), row 3 unchanged; then g_a·g_p = 1.6 − 1.6 = 0.
		if !g.Project(1, 0) {
			t.Fatal("Project: conflicting gradients not projected")
		}
		want := map[int32][]float32{0: {0.8, 0, 0}, 1: {0, -0.4, 0}, 3: {-2, -2, 0}}
		sr := &g.per[1][0]
		for id, w := range want {
			k := sr.slot[id]
			if k < 0 {
				t.Fatalf("row %d missing after projection", id)
			}
			for j := range w {
				if math.Abs(float64(sr.g[int(k)*3+j]-w[j])) > 1e-6 {
					t.Errorf("projected row %d = %v, want %v", id, sr.g[int(k)*3:int(k)*3+3], w)
					break
				}
			}
		}
		if d := g.Dot(1, 0); math.Abs(d) > 1e-6 {
			t.Errorf("after projection g_a·g_p = %v, want 0", d)
		}
		if !near(g.Norm(1), math.Sqrt(0.64+0.16+8)) {
			t.Errorf("|g_a| after projection = %v, want √8.8", g.Norm(1))
		}
		if g.Project(1, 0) {
			t.Error("second projection of an orthogonal gradient changed it")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !called {
		t.Fatal("decide not called on a measured step")
	}
	// Buffers are cleared for the next step.
	for _, sr := range p.split.per[1] {
		if len(sr.ids) != 0 || slices.ContainsFunc(sr.slot, func(s int32) bool { return s >= 0 }) {
			t.Error("split gradient not cleared after the step")
		}
	}
}

func TestStepEachZeroWeightAppliesNothingOfTheTask(t *testing.T) {
	m, p := handModel(t)
	before, auxW := slices.Clone(m.Embedding.W), slices.Clone(m.params["aux/w"].Data())
	if _, err := p.StepEach([]float64{1, 1}, true, func(g *TaskGrads) error { g.SetWeight(1, 0); return nil }); err != nil {
		t.Fatal(err)
	}
	if got := changedRows(before, m.Embedding.W, 3); !slices.Equal(got, []int{0, 1}) {
		t.Errorf("rows changed with the aux weight at 0: %v, want the primary's [0 1]", got)
	}
	if !slices.Equal(auxW, m.params["aux/w"].Data()) {
		t.Error("aux parameter moved although its weight was 0")
	}
}

// StepEach without measuring and with measuring but no change applies the
// same update as Step (the split path only regroups the row sums).
func TestStepEachMatchesStep(t *testing.T) {
	ws := []float64{1, 0.5}
	run := func(step func(p *Program) error) ([]float32, []float32) {
		m, p := handModel(t)
		for range 3 {
			if err := step(p); err != nil {
				t.Fatal(err)
			}
		}
		return slices.Clone(m.Embedding.W), slices.Clone(m.params["aux/w"].Data())
	}
	wantE, wantP := run(func(p *Program) error { _, err := p.Step(ws); return err })
	for _, measure := range []bool{false, true} {
		gotE, gotP := run(func(p *Program) error { _, err := p.StepEach(ws, measure, nil); return err })
		for i := range wantE {
			if math.Abs(float64(gotE[i]-wantE[i])) > 1e-6 {
				t.Fatalf("measure=%v: embedding %v, Step gives %v", measure, gotE, wantE)
			}
		}
		for i := range wantP {
			if math.Abs(float64(gotP[i]-wantP[i])) > 1e-6 {
				t.Fatalf("measure=%v: aux/w %v, Step gives %v", measure, gotP, wantP)
			}
		}
	}
}

// The default step does none of the per-task work: it never builds
// StepEach's buffers (BenchmarkStep and BenchmarkStepEachMeasured time the
// two paths).
func TestStepDoesNoPerTaskWork(t *testing.T) {
	_, p := handModel(t)
	for range 3 {
		if _, err := p.Step([]float64{1, 0.5}); err != nil {
			t.Fatal(err)
		}
	}
	if p.split != nil || p.ones != nil {
		t.Error("Step built StepEach's buffers")
	}
}

func BenchmarkStep(b *testing.B) {
	_, p := handModel(b)
	for b.Loop() {
		if _, err := p.Step([]float64{1, 0.5}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStepEachMeasured(b *testing.B) {
	_, p := handModel(b)
	for b.Loop() {
		if _, err := p.StepEach([]float64{1, 0.5}, true, func(g *TaskGrads) error { _ = g.Cosine(1, 0); return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
