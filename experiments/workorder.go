package experiments

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/mt2st/mt2st/strategies"
)

// WorkOrder is a timing sanity check: MTL does strictly more work per step
// than STL (the same primary step plus the auxiliary heads), so a
// measurement in which MTL trains faster than STL by more than the noise
// has a confound (the order of the runs, a cold process, a shared machine).
type WorkOrder struct {
	// STL and MTL are the epoch training seconds of every round.
	STL, MTL []float64
	// Ratio is the median MTL epoch over the median STL epoch.
	Ratio float64
	// Noise is the larger relative interquartile range (IQR / median) of
	// the two samples: a ratio below 1 − Noise is a violation.
	Noise float64
	// Order lists the runs as they were trained, with each run's median
	// epoch seconds in RunSeconds.
	Order      []string
	RunSeconds []float64
}

// Violated reports whether MTL measured faster than STL beyond the noise.
func (w WorkOrder) Violated() bool { return w.Ratio < 1-w.Noise }

// CheckWorkOrder trains base's primary task alone (STL) and with all of
// base's tasks under MTL (λ = 1), rounds times each, alternating which
// goes first (STL, MTL, then MTL, STL, ...), in this process, and compares
// their epoch times.
func CheckWorkOrder(ctx context.Context, base Config, data *Data, rounds int) (WorkOrder, error) {
	var w WorkOrder
	if len(base.Tasks) < 2 {
		return w, fmt.Errorf("work order: the configuration has no auxiliary task (tasks %v)", base.Tasks)
	}
	if rounds < 1 {
		return w, fmt.Errorf("work order: rounds %d: want >= 1", rounds)
	}
	stl, mtl := base, base
	stl.Tasks, stl.Strategy = base.Tasks[:1], strategies.Spec{}
	mtl.Strategy = strategies.MustParseSpec("mtl:lambda=1")
	for r := range rounds {
		pair := []Config{stl, mtl}
		if r%2 == 1 {
			slices.Reverse(pair)
		}
		for _, c := range pair {
			c.Seed = base.Seed + int64(r)
			tr, err := Run(ctx, c, data, Hooks{})
			if err != nil {
				return w, err
			}
			dst := &w.STL
			if c.Strategy.Is("mtl") {
				dst = &w.MTL
			}
			var secs []float64
			for _, e := range tr.Record.Epochs {
				secs = append(secs, e.Seconds)
			}
			*dst = append(*dst, secs...)
			m, _ := MedianIQR(secs)
			w.Order = append(w.Order, c.Strategy.Label())
			w.RunSeconds = append(w.RunSeconds, m)
		}
	}
	ms, is := MedianIQR(w.STL)
	mm, im := MedianIQR(w.MTL)
	w.Ratio = mm / ms
	w.Noise = max(is/ms, im/mm)
	return w, nil
}

// MedianIQR returns the median and the interquartile range (linear
// interpolation between order statistics, numpy's default).
func MedianIQR(xs []float64) (median, iqr float64) {
	s := slices.Clone(xs)
	sort.Float64s(s)
	q := func(p float64) float64 {
		pos := p * float64(len(s)-1)
		lo := int(pos)
		if lo+1 >= len(s) {
			return s[len(s)-1]
		}
		return s[lo] + (pos-float64(lo))*(s[lo+1]-s[lo])
	}
	return q(0.5), q(0.75) - q(0.25)
}
