package metrics

import (
	"math"
	"sort"
)

// Rank returns the 1-based ranks of x, ties sharing the average of the ranks
// they span, like scipy.stats.rankdata(x) (method "average"). If x contains
// NaN every rank is NaN, as scipy's default nan_policy="propagate" does.
func Rank(x []float64) []float64 {
	ranks := make([]float64, len(x))
	for _, v := range x {
		if math.IsNaN(v) {
			for i := range ranks {
				ranks[i] = math.NaN()
			}
			return ranks
		}
	}
	order := make([]int, len(x))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return x[order[i]] < x[order[j]] })
	for start := 0; start < len(order); {
		end := start + 1
		for end < len(order) && x[order[end]] == x[order[start]] {
			end++
		}
		// Positions start..end-1 hold ranks start+1..end; their mean:
		avg := float64(start+1+end) / 2
		for k := start; k < end; k++ {
			ranks[order[k]] = avg
		}
		start = end
	}
	return ranks
}

// Pearson is the Pearson correlation coefficient of x and y, computed as
// scipy.stats.pearsonr (1.10) does: NaN when the lengths differ, when there
// are fewer than two points, or when either input is constant; exactly ±1 for
// two points; otherwise the dot product of the centred, normalised vectors,
// clipped to [-1, 1].
func Pearson(x, y []float64) float64 {
	n := len(x)
	if n != len(y) || n < 2 || isConstant(x) || isConstant(y) {
		return math.NaN()
	}
	if n == 2 {
		return sign(x[1]-x[0]) * sign(y[1]-y[0])
	}
	mx, my := Mean(x), Mean(y)
	var sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxx += dx * dx
		syy += dy * dy
	}
	nx, ny := math.Sqrt(sxx), math.Sqrt(syy)
	var r float64
	for i := range x {
		r += (x[i] - mx) / nx * ((y[i] - my) / ny)
	}
	return math.Max(-1, math.Min(1, r))
}

// Spearman is Spearman's rank correlation: the Pearson correlation of the
// average ranks, as scipy.stats.spearmanr. NaN when undefined (constant input,
// fewer than two points, NaN in the input, lengths differ). Like scipy it
// takes the correlation of the ranks as numpy.corrcoef does (covariance over
// the product of standard deviations), which rounds differently from
// Pearson's normalised dot product in the last bits: perfectly monotone data
// give exactly 1.
func Spearman(x, y []float64) float64 {
	if len(x) != len(y) || len(x) < 2 || isConstant(x) || isConstant(y) {
		return math.NaN()
	}
	return corrcoef(Rank(x), Rank(y))
}

// corrcoef is numpy.corrcoef(x, y)[0, 1]: cov(x,y)/σx/σy, clipped to [-1, 1].
func corrcoef(x, y []float64) float64 {
	mx, my := Mean(x), Mean(y)
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	d := float64(len(x) - 1)
	r := sxy / d / math.Sqrt(sxx/d) / math.Sqrt(syy/d)
	return math.Max(-1, math.Min(1, r))
}

// isConstant reports whether all elements equal the first (NaN never equals,
// so a NaN makes the input non-constant and the NaN propagates instead).
func isConstant(x []float64) bool {
	for _, v := range x[1:] {
		if v != x[0] {
			return false
		}
	}
	return true
}

func sign(v float64) float64 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	case v == 0:
		return 0
	}
	return math.NaN()
}
