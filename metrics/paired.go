package metrics

import (
	"fmt"
	"math"
)

// PairedInterval95 is the mean of the paired differences a[i] − b[i] with
// its two-sided 95% Student-t interval, mean ± t_{0.975, n−1} · s_d/√n (s_d
// the sample standard deviation of the differences): the paired t interval,
// which removes the variation the two arms share (the same data sample,
// initialisation and batch order under common random numbers). The bounds
// are NaN for fewer than two pairs; everything is NaN when the lengths
// differ or there are no pairs.
func PairedInterval95(a, b []float64) (mean, lo, hi float64) {
	if len(a) != len(b) || len(a) == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i] - b[i]
	}
	lo, hi = ConfidenceInterval95(d)
	return Mean(d), lo, hi
}

// McNemarResult is McNemar's exact test on paired binary outcomes, e.g. two
// models' correctness on the same test examples.
type McNemarResult struct {
	N         int // paired examples
	Both      int // correct under both A and B
	OnlyA     int // correct under A only (discordant)
	OnlyB     int // correct under B only (discordant)
	Neither   int
	PValue    float64 // two-sided exact p-value, McNemarExact(OnlyA, OnlyB)
	AccuracyA float64 // (Both+OnlyA)/N
	AccuracyB float64 // (Both+OnlyB)/N
}

// Difference is accuracy A − accuracy B = (OnlyA − OnlyB)/N.
func (m McNemarResult) Difference() float64 {
	if m.N == 0 {
		return math.NaN()
	}
	return float64(m.OnlyA-m.OnlyB) / float64(m.N)
}

// McNemar pairs a[i] with b[i] (correctness of two models on example i) and
// runs McNemar's exact test on the discordant pairs.
func McNemar(a, b []bool) (McNemarResult, error) {
	if len(a) != len(b) {
		return McNemarResult{}, fmt.Errorf("mcnemar: %d outcomes paired with %d", len(a), len(b))
	}
	r := McNemarResult{N: len(a)}
	for i := range a {
		switch {
		case a[i] && b[i]:
			r.Both++
		case a[i]:
			r.OnlyA++
		case b[i]:
			r.OnlyB++
		default:
			r.Neither++
		}
	}
	r.PValue = McNemarExact(r.OnlyA, r.OnlyB)
	if r.N > 0 {
		r.AccuracyA = float64(r.Both+r.OnlyA) / float64(r.N)
		r.AccuracyB = float64(r.Both+r.OnlyB) / float64(r.N)
	} else {
		r.AccuracyA, r.AccuracyB = math.NaN(), math.NaN()
	}
	return r, nil
}

// McNemarExact is the two-sided p-value of McNemar's exact test with b and
// c discordant pairs: under the null hypothesis each discordant pair goes
// either way with probability ½, so with n = b + c and k = min(b, c),
//
//	p = min(1, 2 · Σ_{i=0..k} C(n, i) / 2ⁿ)
//
// (the binomial test of k successes in n trials, doubled;
// statsmodels.stats.contingency_tables.mcnemar(exact=True) semantics). It is
// 1 with no discordant pairs and NaN for negative counts. Terms are summed
// in log space, so n may be in the tens of thousands.
func McNemarExact(b, c int) float64 {
	if b < 0 || c < 0 {
		return math.NaN()
	}
	n := b + c
	k := min(b, c)
	if n == 0 {
		return 1
	}
	lgamma := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	lnN := lgamma(float64(n) + 1)
	sum := 0.0
	for i := 0; i <= k; i++ {
		sum += math.Exp(lnN - lgamma(float64(i)+1) - lgamma(float64(n-i)+1) - float64(n)*math.Ln2)
	}
	return math.Min(1, 2*sum)
}
