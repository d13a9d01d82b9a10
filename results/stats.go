package results

import (
	"math"

	"github.com/mt2st/mt2st/metrics"
	"gonum.org/v1/gonum/mathext"
)

// The means, standard deviations and Student-t intervals of a mean come
// from the metrics package. Welch's interval for a
// difference of means needs a t quantile at fractional degrees of freedom,
// which metrics does not export, so tQuantile below provides it.

// confidenceLevel is the two-sided level of every interval in this package.
const confidenceLevel = 0.95

// mean returns the arithmetic mean of xs, NaN when xs is empty.
func mean(xs []float64) float64 { return metrics.Mean(xs) }

// sampleStd returns the sample standard deviation (ddof=1), NaN for fewer
// than two values: a single run has no spread to show (metrics.Std says 0).
func sampleStd(xs []float64) float64 {
	if len(xs) < 2 {
		return math.NaN()
	}
	return metrics.Std(xs)
}

// meanInterval returns the 95% Student-t confidence interval of the mean of
// xs; NaNs when len(xs) < 2.
func meanInterval(xs []float64) (low, high float64) { return metrics.ConfidenceInterval95(xs) }

// tQuantile returns the two-sided critical value of Student's t with df
// degrees of freedom for the package's confidence level, i.e. the
// (1+level)/2 quantile; df may be fractional (Welch). It inverts the
// regularised incomplete beta function: P(|T| > t) = I_{df/(df+t²)}(df/2, 1/2).
func tQuantile(df float64) float64 {
	switch {
	case math.IsInf(df, 1):
		return math.Sqrt2 * math.Erfinv(confidenceLevel)
	case !(df > 0):
		return math.NaN()
	}
	x := mathext.InvRegIncBeta(df/2, 0.5, 1-confidenceLevel)
	return math.Sqrt(df * (1 - x) / x)
}

// Interval is an estimate with a two-sided 95% confidence interval. Low and
// High are NaN when the interval is undefined (too few runs, or an unbounded
// Fieller set); Undefined says the estimate itself is (Value is NaN).
type Interval struct {
	Value     float64
	Low       float64
	High      float64
	DF        float64 // degrees of freedom of the t quantile, NaN when not reported
	Undefined bool
}

// HasInterval reports whether Low and High are defined.
func (iv Interval) HasInterval() bool {
	return !math.IsNaN(iv.Low) && !math.IsNaN(iv.High)
}

func undefinedInterval() Interval {
	return Interval{Value: math.NaN(), Low: math.NaN(), High: math.NaN(), DF: math.NaN(), Undefined: true}
}

// welchDifference returns mean(a) − mean(b) with Welch's t interval:
// standard error sqrt(sa²/na + sb²/nb), Welch–Satterthwaite degrees of
// freedom (va+vb)² / (va²/(na−1) + vb²/(nb−1)). Both samples need at least
// two values for the interval; with no spread at all it collapses.
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
	se := math.Sqrt(va + vb)
	if se == 0 {
		return Interval{Value: d, Low: d, High: d, DF: math.Inf(1)}
	}
	df := sq(va+vb) / (sq(va)/float64(len(a)-1) + sq(vb)/float64(len(b)-1))
	half := tQuantile(df) * se
	return Interval{Value: d, Low: d - half, High: d + half, DF: df}
}

func sq(x float64) float64 { return x * x }

// logMeanInterval returns the geometric mean of xs and the 95% Student-t
// interval of the mean of log xs, back-transformed: exp(m ± t(0.975, n−1)·s/√n)
// with m and s the mean and sample standard deviation of the logs. For
// times, which are positive and skewed, the bounds are positive and the
// interval is asymmetric. All NaN when xs is empty or a value is not
// positive; the bounds are NaN for fewer than two values.
func logMeanInterval(xs []float64) (gm, lo, hi float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	logs := make([]float64, len(xs))
	for i, x := range xs {
		if !(x > 0) {
			return math.NaN(), math.NaN(), math.NaN()
		}
		logs[i] = math.Log(x)
	}
	l, h := meanInterval(logs)
	return math.Exp(mean(logs)), math.Exp(l), math.Exp(h)
}
