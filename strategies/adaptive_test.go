package strategies

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// fakeGrads holds two-dimensional gradients written down by hand: the
// primary's and each auxiliary task's, all on the same shared rows.
type fakeGrads struct {
	primary []float64
	aux     map[string][]float64
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func (f *fakeGrads) Dot(aux string) float64 { return dot(f.aux[aux], f.primary) }
func (f *fakeGrads) Norm(task string) float64 {
	if g, ok := f.aux[task]; ok {
		return math.Sqrt(dot(g, g))
	}
	return math.Sqrt(dot(f.primary, f.primary))
}
func (f *fakeGrads) Cosine(aux string) float64 { return f.Dot(aux) / (f.Norm(aux) * f.Norm("primary")) }
func (f *fakeGrads) Project(aux string) bool {
	d := f.Dot(aux)
	if d >= 0 {
		return false
	}
	c := d / dot(f.primary, f.primary)
	for i := range f.aux[aux] {
		f.aux[aux][i] -= c * f.primary[i]
	}
	return true
}

func start(t *testing.T, spec string, aux ...string) Controller {
	t.Helper()
	s, err := Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	a, ok := s.(Adaptive)
	if !ok {
		t.Fatalf("%s is not adaptive", spec)
	}
	return a.Start(aux)
}

func approx(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.12g, want %.12g", what, got, want)
	}
}

// g_primary = (1, 0); g_sim = (1, 1): cos = 1/√2; g_ana = (−1, 1): cos = −1/√2.
func handGrads() *fakeGrads {
	return &fakeGrads{primary: []float64{1, 0}, aux: map[string][]float64{"sim": {1, 1}, "ana": {-1, 1}}}
}

func TestGCSByHand(t *testing.T) {
	for _, c := range []struct {
		spec     string
		sim, ana float64
	}{
		{"gcs:lambda=0.5", 0.5 / math.Sqrt2, 0}, // λ·max(0, cos): 0.5·(1/√2), 0.5·max(0, −1/√2)
		{"gcs-binary:lambda=0.5", 0.5, 0},       // λ if cos > 0 else 0
	} {
		ctl := start(t, c.spec, "sim", "ana")
		w := ctl.Epoch(1, History{})
		if w["sim"] != 0.5 || w["ana"] != 0.5 {
			t.Errorf("%s: epoch weights %v, want λ = 0.5 (both run)", c.spec, w)
		}
		s := &Step{Epoch: 1, Weights: w, Grads: handGrads()}
		ctl.Step(s)
		approx(t, c.spec+" sim", s.Weights["sim"], c.sim)
		approx(t, c.spec+" ana", s.Weights["ana"], c.ana)
		// An unmeasured step keeps the decision.
		s.Grads = nil
		ctl.Step(s)
		approx(t, c.spec+" sim, unmeasured step", s.Weights["sim"], c.sim)
	}
}

func TestOLAUXByHand(t *testing.T) {
	// λ0 = 1, β = 0.1, n = 2. Steps 1 and 2 measure cos_sim = 1/√2 and
	// cos_ana = −1/√2: after step 2, λ_sim = 1 + 0.1·2/√2 = 1.1414213562,
	// λ_ana = 1 − 0.1·√2 = 0.8585786438. With β = 1 λ_ana = max(0, 1 − √2) = 0.
	ctl := start(t, "olaux:lambda=1,beta=0.1,n=2", "sim", "ana")
	w := ctl.Epoch(1, History{})
	s := &Step{Weights: w}
	for range 2 {
		s.Grads = handGrads()
		ctl.Step(s)
		approx(t, "λ_sim applied before the update", s.Weights["sim"], 1)
	}
	st := ctl.(Stater).State()
	approx(t, "λ_sim", st["lambda/sim"], 1+0.1*2/math.Sqrt2)
	approx(t, "λ_ana", st["lambda/ana"], 1-0.1*math.Sqrt2)
	s.Grads = nil
	ctl.Step(s)
	approx(t, "next step's weight", s.Weights["ana"], 1-0.1*math.Sqrt2)

	ctl = start(t, "olaux:lambda=1,beta=1,n=2", "sim", "ana")
	s = &Step{Weights: ctl.Epoch(1, History{})}
	for range 2 {
		s.Grads = handGrads()
		ctl.Step(s)
	}
	approx(t, "clamped λ_ana", ctl.(Stater).State()["lambda/ana"], 0)
	if w := ctl.Epoch(2, History{}); w["ana"] != 1 {
		t.Errorf("epoch weight of a task at λ = 0: %v, want the starting λ (the task keeps running)", w["ana"])
	}
}

func TestAutoSwitchPlateauByHand(t *testing.T) {
	// patience 2: validation accuracy 0.6, 0.7, 0.7, 0.65: best at epoch 2,
	// not improved in epochs 3 and 4 → the plateau rule fires after epoch 4.
	ctl := start(t, "switch-auto:patience=2,conflict=0", "sim", "ana")
	acc := []float64{0.6, 0.7, 0.7, 0.65}
	for e := 1; e <= 4; e++ {
		if w := ctl.Epoch(e, History{}); w["sim"] != 1 || w["ana"] != 1 {
			t.Fatalf("epoch %d weights %v before the switch", e, w)
		}
		ev := ctl.EndEpoch(e, History{ValAccuracy: acc[:e]})
		if e < 4 && len(ev) > 0 {
			t.Fatalf("epoch %d: switched early: %v", e, ev)
		}
		if e == 4 {
			if len(ev) != 1 || ev[0].Rule != "plateau" || !slices.Equal(ev[0].Tasks, []string{"sim", "ana"}) || !strings.Contains(ev[0].Detail, "single-task from epoch 5") {
				t.Fatalf("epoch 4 events %+v", ev)
			}
		}
	}
	if w := ctl.Epoch(5, History{}); w["sim"] != 0 || w["ana"] != 0 {
		t.Errorf("weights after the switch: %v", w)
	}
}

func TestAutoSwitchConflictByHand(t *testing.T) {
	// ema = 0.5, patience 2, plateau off. ana's cosine is −1/√2 every step:
	// its EMA starts at −0.7071 and stays there; sim's is +0.7071. ana ends
	// epochs 1 and 2 below 0 → stops after epoch 2; sim keeps running.
	ctl := start(t, "switch-auto:patience=2,ema=0.5,plateau=0", "sim", "ana")
	for e := 1; e <= 2; e++ {
		s := &Step{Epoch: e, Weights: ctl.Epoch(e, History{})}
		for range 3 {
			s.Grads = handGrads()
			ctl.Step(s)
		}
		ev := ctl.EndEpoch(e, History{ValAccuracy: make([]float64, e)})
		if e == 1 && len(ev) != 0 {
			t.Fatalf("epoch 1 events %v", ev)
		}
		if e == 2 && (len(ev) != 1 || ev[0].Rule != "conflict" || !slices.Equal(ev[0].Tasks, []string{"ana"})) {
			t.Fatalf("epoch 2 events %+v", ev)
		}
	}
	approx(t, "EMA of ana", ctl.(Stater).State()["cos_ema/ana"], -1/math.Sqrt2)
	if w := ctl.Epoch(3, History{}); w["ana"] != 0 || w["sim"] != 1 {
		t.Errorf("epoch 3 weights %v, want ana off and sim on", w)
	}
}

func TestUncertaintyByHand(t *testing.T) {
	// s = log σ² = 0: w = 1/(2σ²) = 0.5. With L = 3 the derivative of
	// ½e^(−s)L + ½s is −½·3 + ½ = −1; Adam's first step moves s by
	// lr·m̂/(√v̂+ε) = lr·(−1)/1 against the gradient: s = 0.1,
	// w = 0.5·e^(−0.1) = 0.45241870901797976.
	ctl := start(t, "uncertainty:lr=0.1", "sim")
	w := ctl.Epoch(1, History{})
	approx(t, "initial weight", w["sim"], 0.5)
	s := &Step{Weights: w, Losses: map[string]float64{"primary": 1, "sim": 3}}
	ctl.Step(s)
	approx(t, "log σ²", ctl.(Stater).State()["log_var/sim"], 0.1)
	approx(t, "weight for the next step", s.Weights["sim"], 0.5*math.Exp(-0.1))
}

func TestDWAByHand(t *testing.T) {
	// Losses: epoch 1 sim 2, ana 4; epoch 2 sim 1, ana 4 → r_sim = 0.5,
	// r_ana = 1. T = 2: e^0.25 = 1.2840254166877414, e^0.5 = 1.6487212707001282,
	// sum 2.9327466873878696; w = K·e^(r/T)/sum with K = 2:
	// w_sim = 0.8756480197..., w_ana = 1.1243519802...
	ctl := start(t, "dwa:temperature=2", "sim", "ana")
	h := History{Loss: []map[string]float64{{"sim": 2, "ana": 4}, {"sim": 1, "ana": 4}}}
	for e := 1; e <= 2; e++ {
		if w := ctl.Epoch(e, h); w["sim"] != 1 || w["ana"] != 1 {
			t.Errorf("epoch %d: %v, want λ = 1 for t ≤ 2", e, w)
		}
	}
	w := ctl.Epoch(3, h)
	sum := math.Exp(0.25) + math.Exp(0.5)
	approx(t, "w_sim", w["sim"], 2*1.2840254166877414/2.9327466873878696)
	approx(t, "w_ana", w["ana"], 2*math.Exp(0.5)/sum)
	approx(t, "Σw = K", w["sim"]+w["ana"], 2)
}

func TestPCGradByHand(t *testing.T) {
	// g_ana = (−1, 1) conflicts with g_primary = (1, 0): g_ana·g_p = −1,
	// |g_p|² = 1, g_ana −= (−1)·(1, 0) → (0, 1). g_sim = (1, 1) does not
	// conflict and is kept.
	ctl := start(t, "pcgrad:lambda=0.5", "sim", "ana")
	g := handGrads()
	s := &Step{Weights: ctl.Epoch(1, History{}), Grads: g}
	ctl.Step(s)
	if !slices.Equal(g.aux["ana"], []float64{0, 1}) || !slices.Equal(g.aux["sim"], []float64{1, 1}) {
		t.Errorf("after projection sim %v ana %v, want (1,1) and (0,1)", g.aux["sim"], g.aux["ana"])
	}
	if s.Weights["ana"] != 0.5 {
		t.Errorf("weight %v, want λ = 0.5", s.Weights["ana"])
	}
	st := ctl.(Stater).State()
	if st["projected/ana"] != 1 || st["projected/sim"] != 0 {
		t.Errorf("state %v", st)
	}
}

func TestAdaptiveSpecs(t *testing.T) {
	for _, c := range []struct {
		spec, canonical, label string
		grads                  bool
	}{
		{"gcs", "gcs:lambda=1,every=1", "GCS", true},
		{"gcs-binary:every=4", "gcs-binary:lambda=1,every=4", "GCS-binary", true},
		{"olaux", "olaux:lambda=1,beta=0.1,n=5,every=1", "OL-AUX", true},
		{"switch-auto", "switch-auto:lambda=1,patience=3,ema=0.9,plateau=1,conflict=1,every=1", "Adaptive-Switch", true},
		{"switch-auto:conflict=0", "switch-auto:lambda=1,patience=3,ema=0.9,plateau=1,conflict=0,every=1", "Adaptive-Switch", false},
		{"uncertainty", "uncertainty:lr=0.01,init=0", "Uncertainty", false},
		{"dwa", "dwa:lambda=1,temperature=2", "DWA", false},
		{"pcgrad", "pcgrad:lambda=1,every=1", "PCGrad-primary", true},
	} {
		s, err := ParseSpec(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		if s.String() != c.canonical || s.Label() != c.label || !s.IsAdaptive() {
			t.Errorf("%s: canonical %q label %q adaptive %v", c.spec, s.String(), s.Label(), s.IsAdaptive())
		}
		if got := s.Strategy().(Adaptive).Needs().Gradients; got != c.grads {
			t.Errorf("%s: needs gradients %v, want %v", c.spec, got, c.grads)
		}
	}
	if MustParseSpec("switch:epoch=3").IsAdaptive() {
		t.Error("switch is not adaptive")
	}
	for _, bad := range []string{"gcs:every=0", "olaux:n=1.5", "switch-auto:plateau=2", "uncertainty:lr=0", "dwa:temperature=0"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q): no error", bad)
		}
	}
	if (Signals{Gradients: true, Every: 3}).Measured(1) || !(Signals{Gradients: true, Every: 3}).Measured(3) || (Signals{}).Measured(0) {
		t.Error("Signals.Measured")
	}
}
