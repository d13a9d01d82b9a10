package metrics

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// Mean is the arithmetic mean; NaN for no values.
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// Std is the sample standard deviation (ddof=1, numpy.std(xs, ddof=1));
// 0 for a single value (one run has no spread to report) and NaN for none.
func Std(xs []float64) float64 {
	switch len(xs) {
	case 0:
		return math.NaN()
	case 1:
		return 0
	}
	m := Mean(xs)
	ss := 0.0
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	return math.Sqrt(ss / float64(len(xs)-1))
}

// StudentTQuantile is the p-quantile of Student's t distribution with df
// degrees of freedom (scipy.stats.t.ppf(p, df)): -Inf at p = 0, +Inf at p = 1,
// NaN for p outside [0, 1] or df < 1.
func StudentTQuantile(p float64, df int) float64 {
	if df < 1 {
		return math.NaN()
	}
	return studentTQuantile(p, float64(df))
}

// studentTQuantile accepts a real df, as the Welch–Satterthwaite
// approximation in SpeedupInterval needs.
//
// The upper tail of t is P(T > t) = I_{df/(df+t²)}(df/2, 1/2) / 2 for t ≥ 0,
// with I the regularised incomplete beta function. The quantile solves
// tail(t) = min(p, 1-p) for t ≥ 0 by Newton steps (the derivative is minus the
// density) kept inside a bisection bracket, so it always converges; working
// on the tail keeps full relative precision far out in it.
func studentTQuantile(p, df float64) float64 {
	switch {
	case math.IsNaN(p) || p < 0 || p > 1 || !(df > 0):
		return math.NaN()
	case p == 0:
		return math.Inf(-1)
	case p == 1:
		return math.Inf(1)
	case p == 0.5:
		return 0
	}
	target := math.Min(p, 1-p)
	tail := func(t float64) float64 { return 0.5 * mathext.RegIncBeta(df/2, 0.5, df/(df+t*t)) }
	lgamma := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	logNorm := lgamma((df+1)/2) - lgamma(df/2) - 0.5*math.Log(df*math.Pi)
	density := func(t float64) float64 { return math.Exp(logNorm - (df+1)/2*math.Log1p(t*t/df)) }

	// Bracket: tail(lo) > target ≥ tail(hi).
	lo, hi := 0.0, 1.0
	for tail(hi) > target {
		lo, hi = hi, 2*hi
		if math.IsInf(hi, 1) {
			return math.Copysign(hi, p-0.5)
		}
	}
	t := (lo + hi) / 2
	for iter := 0; iter < 200; iter++ {
		f := tail(t) - target
		if f > 0 {
			lo = t
		} else {
			hi = t
		}
		next := t + f/density(t) // Newton: d tail/dt = -density
		if !(next > lo && next < hi) {
			next = (lo + hi) / 2
		}
		if math.Abs(next-t) <= 1e-15*math.Max(1, math.Abs(t)) || hi-lo <= 1e-15*hi {
			t = next
			break
		}
		t = next
	}
	if p < 0.5 {
		return -t
	}
	return t
}

// ConfidenceInterval95 is the two-sided 95% Student-t interval for the mean
// of xs: mean ± t_{0.975, n-1} · s/√n with s the sample standard deviation.
// Both bounds are NaN for fewer than two values.
func ConfidenceInterval95(xs []float64) (lo, hi float64) {
	n := len(xs)
	if n < 2 {
		return math.NaN(), math.NaN()
	}
	m := Mean(xs)
	half := StudentTQuantile(0.975, n-1) * Std(xs) / math.Sqrt(float64(n))
	return m - half, m + half
}

// SpeedupInterval estimates how many times faster treated runs are than base
// runs: ratio = mean(base) / mean(treated) (with times as inputs, > 1 means
// treated is faster), with a 95% interval by Fieller's theorem for the ratio
// of two independent means.
//
// With a = mean(base), b = mean(treated), va = s²_base/n_base and
// vb = s²_treated/n_treated, the interval is the set of R with
// (a - R·b)² ≤ t²·(va + R²·vb), i.e. with g = t²·vb/b²:
//
//	(R̂ ± (t/b)·√(va·(1-g) + R̂²·vb)) / (1-g),  R̂ = a/b.
//
// t is the 0.975 quantile of Student's t with the Welch–Satterthwaite degrees
// of freedom of a - R̂·b: (va + R̂²vb)² / (va²/(n_base-1) + R̂⁴vb²/(n_treated-1)).
// Unlike the delta method the interval is asymmetric, as a ratio's should be;
// for g → 0 both agree. The bounds are NaN when either sample has fewer than
// two runs, or when g ≥ 1 (the treated mean is not significantly different
// from 0, and the Fieller set is unbounded). With no spread in either sample
// the interval collapses to the ratio.
func SpeedupInterval(base, treated []float64) (ratio, lo, hi float64) {
	a, b := Mean(base), Mean(treated)
	ratio = a / b
	if len(base) < 2 || len(treated) < 2 {
		return ratio, math.NaN(), math.NaN()
	}
	sa, sb := Std(base), Std(treated)
	va := sa * sa / float64(len(base))
	vb := sb * sb / float64(len(treated))
	v := va + ratio*ratio*vb
	if v == 0 {
		return ratio, ratio, ratio
	}
	df := v * v / (va*va/float64(len(base)-1) + math.Pow(ratio, 4)*vb*vb/float64(len(treated)-1))
	t := studentTQuantile(0.975, df)
	g := t * t * vb / (b * b)
	if !(g < 1) {
		return ratio, math.NaN(), math.NaN()
	}
	half := t / math.Abs(b) * math.Sqrt(va*(1-g)+ratio*ratio*vb)
	return ratio, (ratio - half) / (1 - g), (ratio + half) / (1 - g)
}
