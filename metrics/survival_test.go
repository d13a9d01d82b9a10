package metrics

import (
	"math"
	"testing"
)

func TestKaplanMeierByHand(t *testing.T) {
	// Worked by hand with the product-limit formula S(t) = Π (1 − d_j/n_j):
	//   t=1: 5 at risk, 1 event              S = 4/5         = 0.8
	//   t=2: 4 at risk, 1 event, 1 censored  S = 0.8 · 3/4   = 0.6
	//   t=3: 2 at risk, 1 event              S = 0.6 · 1/2   = 0.3
	//   t=4: 1 at risk, 1 censored           S = 0.3
	// The median is the first time with S ≤ ½: 3.
	times := []float64{3, 2, 1, 4, 2}
	event := []bool{true, false, true, false, true}
	steps, err := KaplanMeier(times, event)
	if err != nil {
		t.Fatal(err)
	}
	want := []SurvivalStep{
		{Time: 1, AtRisk: 5, Events: 1, Survival: 0.8},
		{Time: 2, AtRisk: 4, Events: 1, Censored: 1, Survival: 0.6},
		{Time: 3, AtRisk: 2, Events: 1, Survival: 0.3},
		{Time: 4, AtRisk: 1, Censored: 1, Survival: 0.3},
	}
	if len(steps) != len(want) {
		t.Fatalf("steps = %+v", steps)
	}
	for i := range want {
		w, g := want[i], steps[i]
		if g.Time != w.Time || g.AtRisk != w.AtRisk || g.Events != w.Events || g.Censored != w.Censored || !near(g.Survival, w.Survival, 1e-12) {
			t.Errorf("step %d = %+v, want %+v", i, g, w)
		}
	}
	if m, err := KaplanMeierMedian(times, event); err != nil || m != 3 {
		t.Errorf("median = %v, %v; want 3", m, err)
	}
	// Without censoring the KM median is the first order statistic at which
	// the empirical survival reaches ½: times 4, 6 → S(4) = ½ → 4.
	if m, _ := KaplanMeierMedian([]float64{6, 4}, []bool{true, true}); m != 4 {
		t.Errorf("uncensored median = %v, want 4", m)
	}
	// One event in four, the rest censored later: S never falls below 0.75.
	if m, _ := KaplanMeierMedian([]float64{1, 5, 5, 5}, []bool{true, false, false, false}); !math.IsInf(m, 1) {
		t.Errorf("median of a curve staying above ½ = %v, want +Inf", m)
	}
	if _, err := KaplanMeier([]float64{1}, nil); err == nil {
		t.Error("mismatched lengths must be an error")
	}
}

func TestQuantile(t *testing.T) {
	xs := []float64{1, 2, 3, 4}
	// numpy.quantile([1,2,3,4], 0.025) = 1 + 0.075·1 = 1.075 (h = 0.025·3), by hand.
	if q := Quantile(xs, 0.025); !near(q, 1.075, 1e-12) {
		t.Errorf("q(0.025) = %v", q)
	}
	if q := Quantile([]float64{1, math.Inf(1)}, 0.5); !math.IsInf(q, 1) {
		t.Errorf("quantile touching +Inf = %v", q)
	}
	if q := Quantile([]float64{1, 2, math.Inf(1)}, 0.5); q != 2 {
		t.Errorf("median of 1, 2, +Inf = %v, want 2", q)
	}
}

func TestBootstrapPercentile95(t *testing.T) {
	xs := []float64{3, 4, 5, 10}
	mean := func(idx [][]int) float64 {
		s := 0.0
		for _, i := range idx[0] {
			s += xs[i]
		}
		return s / float64(len(idx[0]))
	}
	lo, hi, dropped := BootstrapPercentile95([]int{len(xs)}, mean, 2000, 7)
	// The resampled mean lies between the smallest and the largest value, and
	// the interval must contain the sample mean 5.5 without reaching the extremes.
	if dropped != 0 || !(lo > 3 && lo < 5.5 && hi > 5.5 && hi < 10) {
		t.Errorf("interval [%v, %v], %d dropped", lo, hi, dropped)
	}
	lo2, hi2, _ := BootstrapPercentile95([]int{len(xs)}, mean, 2000, 7)
	if lo2 != lo || hi2 != hi {
		t.Error("the same seed must give the same interval")
	}
	_, _, dropped = BootstrapPercentile95([]int{2}, func([][]int) float64 { return math.NaN() }, 10, 1)
	if dropped != 10 {
		t.Errorf("dropped = %d, want 10", dropped)
	}
}
