package metrics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// SurvivalStep is one event time of a Kaplan–Meier curve.
type SurvivalStep struct {
	Time     float64
	AtRisk   int     // subjects with time ≥ Time
	Events   int     // events at Time
	Censored int     // censorings at Time (counted at risk at Time)
	Survival float64 // S(t) for Time ≤ t < next step's Time
}

// KaplanMeier estimates the survival function S(t) = P(T > t) from times
// where event[i] says whether times[i] is an event (true) or a censoring
// (false: the subject was followed up to times[i] without the event):
// S(t) = Π_{t_j ≤ t} (1 − d_j/n_j), with d_j events at t_j and n_j subjects
// at risk just before t_j. A censoring tied with an event counts as still at
// risk at that time (the usual convention). Steps are returned for every
// time with an event or a censoring, in increasing time; S(t) = 1 before
// the first. Lengths must agree and times must not be NaN.
func KaplanMeier(times []float64, event []bool) ([]SurvivalStep, error) {
	if len(times) != len(event) {
		return nil, fmt.Errorf("kaplan-meier: %d times, %d event flags", len(times), len(event))
	}
	idx := make([]int, len(times))
	for i := range idx {
		if math.IsNaN(times[i]) {
			return nil, fmt.Errorf("kaplan-meier: time %d is NaN", i)
		}
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return times[idx[a]] < times[idx[b]] })
	var steps []SurvivalStep
	s, atRisk := 1.0, len(times)
	for i := 0; i < len(idx); {
		t := times[idx[i]]
		st := SurvivalStep{Time: t, AtRisk: atRisk}
		for ; i < len(idx) && times[idx[i]] == t; i++ {
			if event[idx[i]] {
				st.Events++
			} else {
				st.Censored++
			}
		}
		s *= 1 - float64(st.Events)/float64(atRisk)
		st.Survival = s
		atRisk -= st.Events + st.Censored
		steps = append(steps, st)
	}
	return steps, nil
}

// KaplanMeierMedian is the median time of a Kaplan–Meier curve: the first
// time at which S(t) ≤ ½. It is +Inf when the curve never falls to ½ (too
// many subjects censored before their event), and NaN without subjects.
func KaplanMeierMedian(times []float64, event []bool) (float64, error) {
	if len(times) == 0 {
		return math.NaN(), nil
	}
	steps, err := KaplanMeier(times, event)
	if err != nil {
		return math.NaN(), err
	}
	for _, st := range steps {
		if st.Survival <= 0.5 {
			return st.Time, nil
		}
	}
	return math.Inf(1), nil
}

// Quantile is the p-quantile of sorted (increasing) values by linear
// interpolation between order statistics (numpy.quantile's default,
// "linear", Hyndman–Fan type 7). +Inf values are allowed and sort last: a
// quantile that touches one is +Inf. NaN for no values or p outside [0, 1].
func Quantile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	h := p * float64(n-1)
	lo := int(math.Floor(h))
	hi := min(lo+1, n-1)
	frac := h - float64(lo)
	if frac == 0 || sorted[lo] == sorted[hi] {
		return sorted[lo]
	}
	if math.IsInf(sorted[hi], 1) {
		return math.Inf(1)
	}
	return sorted[lo] + frac*(sorted[hi]-sorted[lo])
}

// BootstrapPercentile95 is the 95% percentile bootstrap interval of a
// statistic of independent samples of the given sizes: each of reps
// replicates draws, for every sample, sizes[i] indices into it with
// replacement (stratified: sample sizes are kept), computes stat on them, and
// the interval is the 2.5% and 97.5% quantiles (Quantile) of the replicates.
// Replicates where stat is NaN (undefined on that resample) are dropped and
// counted in dropped. The generator is math/rand/v2's PCG seeded with seed,
// so the interval is deterministic. The bounds stay inside the statistic's
// range (a positive time stays positive), but with few runs per sample the
// interval is too narrow: it cannot show more variation than the runs at
// hand.
func BootstrapPercentile95(sizes []int, stat func(idx [][]int) float64, reps int, seed uint64) (lo, hi float64, dropped int) {
	if reps < 1 {
		return math.NaN(), math.NaN(), 0
	}
	idx := make([][]int, len(sizes))
	for i, n := range sizes {
		if n < 1 {
			return math.NaN(), math.NaN(), 0
		}
		idx[i] = make([]int, n)
	}
	rng := rand.New(rand.NewPCG(seed, 0x6d743273)) // second word: "mt2s"
	vals := make([]float64, 0, reps)
	for r := 0; r < reps; r++ {
		for i, n := range sizes {
			for j := range idx[i] {
				idx[i][j] = rng.IntN(n)
			}
		}
		v := stat(idx)
		if math.IsNaN(v) {
			dropped++
			continue
		}
		vals = append(vals, v)
	}
	sort.Float64s(vals)
	return Quantile(vals, 0.025), Quantile(vals, 0.975), dropped
}
