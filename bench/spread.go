package bench

import (
	"fmt"
	"math"
	"slices"
)

// Spread is the distribution of a model's step times in milliseconds:
// quantiles by linear interpolation between order statistics (numpy's
// default, Python's statistics.quantiles(method="inclusive")).
type Spread struct {
	P10    float64 `json:"p10_ms"`
	P25    float64 `json:"p25_ms"`
	Median float64 `json:"median_ms"`
	P75    float64 `json:"p75_ms"`
	P90    float64 `json:"p90_ms"`
	N      int     `json:"n"`
}

// IQR is the interquartile range, P75 − P25.
func (s Spread) IQR() float64 { return round3(s.P75 - s.P25) }

// String is "median M (IQR L–U, p10–p90 A–B, n N)".
func (s Spread) String() string {
	return fmt.Sprintf("median %.3f (IQR %.3f–%.3f, p10–p90 %.3f–%.3f, n %d)", s.Median, s.P25, s.P75, s.P10, s.P90, s.N)
}

// SpreadOf returns the spread of xs (all zero for no values).
func SpreadOf(xs []float64) Spread {
	s := slices.Clone(xs)
	slices.Sort(s)
	return Spread{
		P10: round3(quantile(s, 0.10)), P25: round3(quantile(s, 0.25)), Median: round3(quantile(s, 0.5)),
		P75: round3(quantile(s, 0.75)), P90: round3(quantile(s, 0.90)), N: len(s),
	}
}

// quantile is the q-quantile of sorted values, interpolating linearly at
// position q·(n−1).
func quantile(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	pos := q * float64(n-1)
	lo := int(math.Floor(pos))
	if lo >= n-1 {
		return sorted[n-1]
	}
	frac := pos - float64(lo)
	return sorted[lo] + frac*(sorted[lo+1]-sorted[lo])
}
