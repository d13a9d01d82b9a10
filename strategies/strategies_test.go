package strategies

import (
	"math"
	"strings"
	"testing"
)

func TestWeightsEqualFormulas(t *testing.T) {
	aux := []string{"similarity", "analogy"}
	cases := []struct {
		spec  string
		epoch int
		want  float64
		where string
	}{
		{"stl", 1, 0, "STL: w = 0"},
		{"stl", 25, 0, "STL: w = 0"},
		{"mtl:lambda=0.5", 1, 0.5, "MTL: w = λ"},
		{"mtl:lambda=0.5", 25, 0.5, "MTL: w = λ"},
		{"mtl", 7, 1, "MTL default λ = 1"},
		// math.Exp(-0.3) = 0.7408182206817179
		{"diminish:gamma=1,eta=0.3,nu=1", 1, 0.7408182206817179, "γ·exp(−η·t^ν), t=1"},
		// math.Exp(-3) = 0.049787068367863944
		{"diminish:gamma=1,eta=0.3,nu=1", 10, 0.049787068367863944, "t=10"},
		// 2·exp(−0.3·3²) = 2·exp(−2.7) = 2·0.06720551273974976
		{"diminish:gamma=2,eta=0.3,nu=2", 3, 0.13441102547949952, "ν=2, γ=2, t=3"},
		// 0.5·exp(−0.1·4^0.5) = 0.5·exp(−0.2) = 0.5·0.8187307530779818
		{"diminish:gamma=0.5,eta=0.1,nu=0.5", 4, 0.4093653765389909, "ν=0.5, t=4"},
		// The authors' schedule (docs/design.md, "The paper"): 0.95^(2^(t−1)) = 0.95, 0.9025, 0.8145, 0.663, 0.440, 0.194, 0.0375, 0.0014
		{"diminish-squared:alpha=0.95", 1, 0.95, "α^(2^0)"},
		{"diminish-squared:alpha=0.95", 2, 0.9025, "α^(2^1)"},
		{"diminish-squared:alpha=0.95", 3, 0.81450625, "α^(2^2) = 0.9025²"},
		{"diminish-squared:alpha=0.95", 8, math.Pow(0.95, 128), "α^(2^7)"},
		{"diminish-squared:alpha=0.95", 40, 0, "underflows to 0"},
		{"switch:epoch=15,lambda=1", 1, 1, "t ≤ T"},
		{"switch:epoch=15,lambda=1", 15, 1, "t = T still on"},
		{"switch:epoch=15,lambda=1", 16, 0, "t > T off"},
		{"switch:epoch=3,lambda=0.7", 3, 0.7, "λ before the switch"},
	}
	for _, c := range cases {
		s, err := Parse(c.spec)
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.spec, err)
		}
		w := s.Weights(c.epoch, aux, History{})
		for _, task := range aux {
			if got := w[task]; math.Abs(got-c.want) > 1e-12*math.Max(1, c.want) {
				t.Errorf("%s epoch %d task %s: got %.17g, want %.17g (%s)", c.spec, c.epoch, task, got, c.want, c.where)
			}
		}
	}
}

func TestDiminishSquaredRoundedValues(t *testing.T) {
	// Rounded values listed in docs/design.md ("The paper") for α = 0.95.
	want := []float64{0.95, 0.9025, 0.8145, 0.663, 0.440, 0.194, 0.0375, 0.0014}
	s, err := Parse("diminish-squared:alpha=0.95")
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		got := s.Weights(i+1, []string{"x"}, History{})["x"]
		if math.Abs(got-w) > 0.0006 {
			t.Errorf("epoch %d: got %.5f, docs/design.md lists %.4f", i+1, got, w)
		}
	}
}

func TestPerTaskOverride(t *testing.T) {
	s, err := Parse("diminish:eta=0.3,analogy.eta=0.6")
	if err != nil {
		t.Fatal(err)
	}
	w := s.Weights(2, []string{"similarity", "analogy"}, History{})
	if got, want := w["similarity"], math.Exp(-0.6); math.Abs(got-want) > 1e-15 {
		t.Errorf("similarity: got %v want exp(-0.3·2) = %v", got, want)
	}
	if got, want := w["analogy"], math.Exp(-1.2); math.Abs(got-want) > 1e-15 {
		t.Errorf("analogy: got %v want exp(-0.6·2) = %v", got, want)
	}
	if got, want := s.String(), "diminish:gamma=1,eta=0.3,nu=1,analogy.eta=0.6"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestCanonicalStringRoundTrips(t *testing.T) {
	for _, in := range []string{"stl", "mtl:lambda=0.5", "diminish:gamma=1,eta=0.3,nu=1", "diminish-squared:alpha=0.95", "switch:epoch=15,lambda=1", "switch", " diminish : eta = 0.5 "} {
		s, err := Parse(in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		again, err := Parse(s.String())
		if err != nil {
			t.Fatalf("Parse(String()=%q): %v", s.String(), err)
		}
		if again.String() != s.String() {
			t.Errorf("%q: %q then %q", in, s.String(), again.String())
		}
	}
}

func TestParseErrorsListValidChoices(t *testing.T) {
	cases := []struct{ spec, want string }{
		{"annealing", "valid strategies are stl, mtl, diminish, diminish-squared, switch"},
		{"diminish:decay=0.3", `unknown key "decay" for diminish: valid keys are gamma, eta, nu`},
		{"switch:epochs=10", "valid keys are epoch, lambda"},
		{"stl:lambda=1", "valid keys are none"},
		{"mtl:lambda=abc", `key lambda: "abc" is not a finite number`},
		{"mtl:lambda", "is not key=value"},
		{"mtl:lambda=-1", "lambda=-1: want >= 0"},
		{"switch:epoch=2.5", "want a whole number"},
		{"diminish-squared:alpha=1.5", "want 0 < alpha <= 1"},
		{"mtl:lambda=NaN", "not a finite number"},
	}
	for _, c := range cases {
		_, err := Parse(c.spec)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) error = %v, want it to contain %q", c.spec, err, c.want)
		}
	}
}

func TestParamAndLabel(t *testing.T) {
	s, err := ParseSpec("switch:epoch=12")
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := s.Param("epoch"); !ok || v != 12 {
		t.Errorf("Param(epoch) = %v, %v", v, ok)
	}
	if Label("switch") != "MT2ST-Switch" || Label("stl") != "STL" {
		t.Errorf("labels: %q %q", Label("switch"), Label("stl"))
	}
}

func TestSpecRoundTripsAsText(t *testing.T) {
	var s Spec
	if s.Name() != "stl" || s.String() != "stl" || !s.IsZero() {
		t.Errorf("zero Spec = %q (%s), want stl", s.String(), s.Name())
	}
	if err := s.UnmarshalText([]byte("diminish:eta=0.5,analogy.nu=2")); err != nil {
		t.Fatal(err)
	}
	const want = "diminish:gamma=1,eta=0.5,nu=1,analogy.nu=2"
	b, _ := s.MarshalText()
	if string(b) != want {
		t.Errorf("MarshalText = %s, want %s", b, want)
	}
	if got := s.Params(); len(got) != 4 || got[3] != (Param{"analogy.nu", 2}) {
		t.Errorf("Params = %v", got)
	}
	if v, _ := s.ParamFor("analogy", "nu"); v != 2 {
		t.Errorf("ParamFor(analogy, nu) = %v, want 2", v)
	}
	w, err := s.With("similarity.eta", 0.7)
	if err != nil || w.String() != "diminish:gamma=1,eta=0.5,nu=1,analogy.nu=2,similarity.eta=0.7" {
		t.Errorf("With = %v, %v", w, err)
	}
	if err := w.CheckTasks([]string{"analogy"}); err == nil || !strings.Contains(err.Error(), "similarity is not an auxiliary task") {
		t.Errorf("CheckTasks: %v", err)
	}
	if err := w.CheckTasks([]string{"analogy", "similarity"}); err != nil {
		t.Errorf("CheckTasks: %v", err)
	}
}

func TestRegisterOpensTheRegistry(t *testing.T) {
	// A linear decay, w(t) = max(0, 1 - t/T): at T = 4, epoch 1 gives 0.75.
	err := Register(Definition{Name: "linear-test", Label: "Linear", Keys: []string{"t"}, Defaults: map[string]float64{"t": 4},
		Weight: func(p map[string]float64, e int) float64 { return max(0, 1-float64(e)/p["t"]) }})
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseSpec("linear-test")
	if err != nil {
		t.Fatal(err)
	}
	if w := s.Weights(1, []string{"a"}, History{})["a"]; w != 0.75 || s.Label() != "Linear" || s.String() != "linear-test:t=4" {
		t.Errorf("weight %v label %q spec %q", w, s.Label(), s.String())
	}
	if err := Register(Definition{Name: "linear-test", Weight: func(map[string]float64, int) float64 { return 0 }}); err == nil {
		t.Error("registering a taken name succeeded")
	}
	if err := Register(Definition{Name: "bad:name", Weight: func(map[string]float64, int) float64 { return 0 }}); err == nil {
		t.Error("registering a name with ':' succeeded")
	}
}

func TestRuns(t *testing.T) {
	for _, c := range []struct {
		w, skip float64
		want    bool
	}{{0, 0, false}, {1e-5, 1e-4, false}, {1e-4, 1e-4, true}, {0.5, 0, true}} {
		if got := Runs(c.w, c.skip); got != c.want {
			t.Errorf("Runs(%g, %g) = %v, want %v", c.w, c.skip, got, c.want)
		}
	}
}
