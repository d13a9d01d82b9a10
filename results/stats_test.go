package results

import (
	"math"
	"testing"
)

// Golden values below come from testdata/golden_stats.py
// (/usr/bin/python3 results/testdata/golden_stats.py, scipy 1.10.1).

func TestTQuantileMatchesScipy(t *testing.T) {
	// scipy.stats.t.ppf(0.975, df)
	cases := []struct{ df, want float64 }{
		{1, 12.706204736432095},
		{2, 4.302652729911275},
		{3.7, 2.8675207071912086},
		{4, 2.7764451051977987},
		{9, 2.2621571627409915},
		{29, 2.045229642132703},
	}
	for _, c := range cases {
		if got := tQuantile(c.df); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("tQuantile(%v) = %.15g, scipy t.ppf(0.975, %v) = %.15g", c.df, got, c.df, c.want)
		}
	}
	// scipy.stats.norm.ppf(0.975) = 1.959963984540054: the limit df → ∞.
	if got := tQuantile(math.Inf(1)); math.Abs(got-1.959963984540054) > 1e-12 {
		t.Errorf("tQuantile(+Inf) = %.15g", got)
	}
	if !math.IsNaN(tQuantile(0)) {
		t.Errorf("tQuantile(0) should be NaN")
	}
}

func TestMeanStdAndInterval(t *testing.T) {
	a := []float64{0.80, 0.82, 0.85}
	// numpy.mean(a) = 0.8233333333333334, numpy.std(a, ddof=1) = 0.025166114784235805
	if got := mean(a); math.Abs(got-0.8233333333333334) > 1e-12 {
		t.Errorf("mean = %v", got)
	}
	if got := sampleStd(a); math.Abs(got-0.025166114784235805) > 1e-12 {
		t.Errorf("sampleStd = %v", got)
	}
	// scipy.stats.t.interval(0.95, 2, loc=mean(a), scale=sem(a))
	lo, hi := meanInterval(a)
	if math.Abs(lo-0.7608172385372246) > 1e-9 || math.Abs(hi-0.8858494281294421) > 1e-9 {
		t.Errorf("meanInterval = [%v, %v], scipy (0.7608172385372246, 0.8858494281294421)", lo, hi)
	}
	if lo, hi := meanInterval([]float64{0.5}); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("one value must give no interval, got [%v, %v]", lo, hi)
	}
	if !math.IsNaN(sampleStd([]float64{1})) || !math.IsNaN(mean(nil)) {
		t.Errorf("std of one value and mean of none must be NaN")
	}
}

func TestWelchDifference(t *testing.T) {
	a := []float64{0.80, 0.82, 0.85}
	b := []float64{0.70, 0.74, 0.71, 0.73}
	// golden_stats.py welch(a, b)
	iv := welchDifference(a, b)
	want := Interval{Value: 0.10333333333333339, Low: 0.05304586105779715, High: 0.15362080560886962, DF: 3.5244667503136813}
	if math.Abs(iv.Value-want.Value) > 1e-12 || math.Abs(iv.Low-want.Low) > 1e-9 ||
		math.Abs(iv.High-want.High) > 1e-9 || math.Abs(iv.DF-want.DF) > 1e-9 {
		t.Errorf("welchDifference = %+v, want %+v", iv, want)
	}
	if iv := welchDifference([]float64{1, 1}, []float64{0.5, 0.5}); iv.Value != 0.5 || iv.Low != 0.5 || iv.High != 0.5 {
		t.Errorf("no spread: got %+v, want 0.5 [0.5, 0.5]", iv)
	}
	if iv := welchDifference(a, []float64{0.7}); iv.HasInterval() || math.Abs(iv.Value-(0.8233333333333334-0.7)) > 1e-12 {
		t.Errorf("one-value sample: got %+v, want the difference without interval", iv)
	}
}
