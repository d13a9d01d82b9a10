package results

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// The statistics below are small and unexported on purpose: the metrics
// package is meant to own Mean, Std, StudentTQuantile, ConfidenceInterval95
// and SpeedupInterval; these can be replaced by it once it lands.

// confidenceLevel is the two-sided level of every interval in this package.
const confidenceLevel = 0.95

// mean returns the arithmetic mean of xs, NaN when xs is empty.
func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// sampleStd returns the sample standard deviation (ddof=1), NaN for fewer
// than two values.
func sampleStd(xs []float64) float64 {
	if len(xs) < 2 {
		return math.NaN()
	}
	m := mean(xs)
	var ss float64
	for _, x := range xs {
		d := x - m
		ss += d * d
	}
	return math.Sqrt(ss / float64(len(xs)-1))
}

// tQuantile returns the two-sided critical value of Student's t with df
// degrees of freedom for the package's confidence level, i.e. the
// (1+level)/2 quantile. df may be fractional (Welch). It inverts the
// regularised incomplete beta function, P(|T| > t) = I_{df/(df+t²)}(df/2, 1/2),
// instead of using stat/distuv, whose package pulls golang.org/x/exp into the
// module graph.
func tQuantile(df float64) float64 {
	alpha := 1 - confidenceLevel
	switch {
	case math.IsInf(df, 1):
		return math.Sqrt2 * math.Erfinv(confidenceLevel)
	case !(df > 0):
		return math.NaN()
	}
	x := mathext.InvRegIncBeta(df/2, 0.5, alpha)
	return math.Sqrt(df * (1 - x) / x)
}

// meanInterval returns the Student-t confidence interval of the mean of xs.
// NaNs when len(xs) < 2.
func meanInterval(xs []float64) (low, high float64) {
	n := len(xs)
	if n < 2 {
		return math.NaN(), math.NaN()
	}
	m := mean(xs)
	half := tQuantile(float64(n-1)) * sampleStd(xs) / math.Sqrt(float64(n))
	return m - half, m + half
}

// Interval is an estimate with a two-sided 95% confidence interval. Low and
// High are NaN when the interval is undefined (too few runs); Value is NaN
// when the estimate itself is undefined.
type Interval struct {
	Value     float64 `json:"value"`
	Low       float64 `json:"low"`
	High      float64 `json:"high"`
	DF        float64 `json:"df"` // degrees of freedom of the t quantile used
	Undefined bool    `json:"-"`  // true when Value is NaN
}

// HasInterval reports whether Low and High are defined.
func (iv Interval) HasInterval() bool {
	return !math.IsNaN(iv.Low) && !math.IsNaN(iv.High)
}

func undefinedInterval() Interval {
	return Interval{Value: math.NaN(), Low: math.NaN(), High: math.NaN(), DF: math.NaN(), Undefined: true}
}

// welchDifference returns mean(a) − mean(b) with Welch's t interval: standard
// error sqrt(sa²/na + sb²/nb) and Welch–Satterthwaite degrees of freedom.
// Both samples need at least two values for the interval.
func welchDifference(a, b []float64) Interval {
	if len(a) == 0 || len(b) == 0 {
		return undefinedInterval()
	}
	d := mean(a) - mean(b)
	if len(a) < 2 || len(b) < 2 {
		return Interval{Value: d, Low: math.NaN(), High: math.NaN(), DF: math.NaN()}
	}
	va := sq(sampleStd(a)) / float64(len(a))
	vb := sq(sampleStd(b)) / float64(len(b))
	return symmetricInterval(d, va, vb, float64(len(a)-1), float64(len(b)-1))
}

// symmetricInterval builds est ± t·sqrt(va+vb) with the Welch–Satterthwaite
// degrees of freedom (va+vb)² / (va²/dfa + vb²/dfb). When both variance
// components are 0 the interval collapses to the estimate.
func symmetricInterval(est, va, vb, dfa, dfb float64) Interval {
	se := math.Sqrt(va + vb)
	if se == 0 {
		return Interval{Value: est, Low: est, High: est, DF: math.Inf(1)}
	}
	df := sq(va+vb) / (sq(va)/dfa + sq(vb)/dfb)
	half := tQuantile(df) * se
	return Interval{Value: est, Low: est - half, High: est + half, DF: df}
}

// ratioOfMeans returns mean(num)/mean(den) with an interval from the delta
// method on the log scale: Var(log x̄) ≈ s²/(n·x̄²), so
// log R ± t·sqrt(s_n²/(n_n·x̄_n²) + s_d²/(n_d·x̄_d²)) with Welch–Satterthwaite
// degrees of freedom, exponentiated. The interval is asymmetric and stays
// positive. Both means must be positive; both samples need two values for
// the interval.
func ratioOfMeans(num, den []float64) Interval {
	if len(num) == 0 || len(den) == 0 {
		return undefinedInterval()
	}
	mn, md := mean(num), mean(den)
	if !(mn > 0) || !(md > 0) {
		return undefinedInterval()
	}
	r := mn / md
	if len(num) < 2 || len(den) < 2 {
		return Interval{Value: r, Low: math.NaN(), High: math.NaN(), DF: math.NaN()}
	}
	vn := sq(sampleStd(num)) / (float64(len(num)) * mn * mn)
	vd := sq(sampleStd(den)) / (float64(len(den)) * md * md)
	logIv := symmetricInterval(math.Log(r), vn, vd, float64(len(num)-1), float64(len(den)-1))
	return Interval{Value: r, Low: math.Exp(logIv.Low), High: math.Exp(logIv.High), DF: logIv.DF}
}

func sq(x float64) float64 { return x * x }
