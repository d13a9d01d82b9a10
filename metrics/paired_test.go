package metrics

import (
	"math"
	"testing"
)

func TestMcNemarExactByHand(t *testing.T) {
	for _, c := range []struct {
		b, c int
		want float64
		why  string
	}{
		// n = 7, k = 1: 2·(C(7,0)+C(7,1))/2⁷ = 2·8/128.
		{1, 6, 0.125, "2·8/128"},
		{6, 1, 0.125, "symmetric"},
		// n = 12, k = 2: 2·(1+12+66)/4096.
		{2, 10, 0.03857421875, "2·79/4096"},
		// n = 10, k = 5: 2·638/1024 > 1, capped.
		{5, 5, 1, "capped at 1"},
		{0, 0, 1, "no discordant pairs"},
		// n = 1000, k = 480: Python 3, 2*sum(math.comb(1000, i) for i in range(481))/2**1000
		// (exact integer arithmetic) = 0.21744829320414094.
		{480, 520, 0.21744829320414094, "large n, exact rational sum"},
	} {
		if got := McNemarExact(c.b, c.c); !near(got, c.want, 1e-9) {
			t.Errorf("McNemarExact(%d, %d) = %v, want %v (%s)", c.b, c.c, got, c.want, c.why)
		}
	}
	if !math.IsNaN(McNemarExact(-1, 2)) {
		t.Error("negative count must give NaN")
	}
}

func TestMcNemarCounts(t *testing.T) {
	// 10 examples: both right 5, only A 3, only B 1, neither 1.
	a := []bool{true, true, true, true, true, true, true, true, false, false}
	b := []bool{true, true, true, true, true, false, false, false, true, false}
	r, err := McNemar(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if r.Both != 5 || r.OnlyA != 3 || r.OnlyB != 1 || r.Neither != 1 || r.N != 10 {
		t.Fatalf("counts %+v", r)
	}
	// n = 4, k = 1: 2·(1+4)/16 = 0.625; accuracy 0.8 − 0.6 = 0.2 = (3−1)/10.
	if !near(r.PValue, 0.625, 1e-12) || !near(r.Difference(), 0.2, 1e-12) || !near(r.AccuracyA, 0.8, 1e-12) {
		t.Errorf("p %v, diff %v, acc A %v", r.PValue, r.Difference(), r.AccuracyA)
	}
	if _, err := McNemar(a, b[:3]); err == nil {
		t.Error("lengths 10 and 3 must be an error")
	}
}

func TestPairedInterval95ByHand(t *testing.T) {
	// Differences 0.06, 0.05, 0.04: mean 0.05, s_d 0.01; t(0.975, 2) =
	// 4.3026527297494618 (mpmath, scripts/metrics_golden.py; TestStudentTQuantileMatchesScipy), half-width
	// 4.3026527297494618·0.01/√3 = 0.0248413771175034 (by hand).
	m, lo, hi := PairedInterval95([]float64{0.86, 0.88, 0.84}, []float64{0.80, 0.83, 0.80})
	if !near(m, 0.05, 1e-12) || !near(lo, 0.025158622882496633, 1e-9) || !near(hi, 0.0748413771175033, 1e-9) {
		t.Errorf("paired = %v [%v, %v]", m, lo, hi)
	}
	// One pair: no interval.
	if m, lo, _ := PairedInterval95([]float64{1}, []float64{0.5}); m != 0.5 || !math.IsNaN(lo) {
		t.Errorf("one pair = %v [%v]", m, lo)
	}
	if m, _, _ := PairedInterval95([]float64{1, 2}, []float64{1}); !math.IsNaN(m) {
		t.Error("unequal lengths must give NaN")
	}
}
