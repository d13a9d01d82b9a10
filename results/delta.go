package results

import (
	"fmt"
	"math"

	"github.com/mt2st/mt2st/metrics"
)

// DeltaMethod says how a difference from the STL reference was estimated.
type DeltaMethod int

// Values of Delta.Method.
const (
	// DeltaNone: no reference, the reference itself, or no values.
	DeltaNone DeltaMethod = iota
	// DeltaPaired: every replicate of the group has the STL replicate of the
	// same index and vice versa; paired t interval of the mean difference.
	DeltaPaired
	// DeltaWelch: replicates could not all be paired; Welch's t interval of
	// the difference of means.
	DeltaWelch
	// DeltaMcNemar: one run per arm with per-example test correctness;
	// McNemar's exact test on the discordant test examples.
	DeltaMcNemar
	// DeltaSingle: one run per arm without per-example correctness: the
	// difference only, no test.
	DeltaSingle
)

// String names the method as the tables' notes do.
func (m DeltaMethod) String() string {
	switch m {
	case DeltaPaired:
		return "paired t"
	case DeltaWelch:
		return "Welch"
	case DeltaMcNemar:
		return "McNemar exact"
	case DeltaSingle:
		return "single runs"
	}
	return "none"
}

// Delta is a group's difference from its STL reference in one column:
// Value = mean − STL mean, with the interval of Method.
type Delta struct {
	Interval
	Method DeltaMethod
	// Pairs is the number of replicate pairs (DeltaPaired) or of paired test
	// examples (DeltaMcNemar); 0 otherwise.
	Pairs int
	// PValue is McNemar's exact two-sided p-value (DeltaMcNemar), else NaN.
	PValue float64
}

func noDelta() Delta {
	return Delta{Interval: undefinedInterval(), PValue: math.NaN()}
}

// ReplicateKey is the index that pairs a run with the reference's run of
// the same replicate: Record.Replicate, or the seed when Replicate is 0
// (runs outside a sweep, e.g. reproduce, share seeds across strategies).
// Runs with the same key share their random numbers (data sample, initial
// embedding, batch order), so their difference is a paired comparison.
func (r *Record) ReplicateKey() int64 {
	if r.Replicate != 0 {
		return int64(r.Replicate)
	}
	return r.Seed
}

// DeltaVs returns c's difference between g and ref: paired t interval when
// every run pairs one-to-one by ReplicateKey (at least two pairs), Welch's
// interval otherwise; with a single run in each arm, McNemar's exact test
// when mcnemar is set and both runs carry TestCorrect of the same length (c
// should then be the primary test accuracy), else the bare difference.
func DeltaVs(g, ref *Group, c Column, mcnemar bool) (Delta, error) {
	if g == nil || ref == nil || g == ref {
		return noDelta(), nil
	}
	a, ka := keyedValues(g, c)
	b, kb := keyedValues(ref, c)
	if len(a) == 0 || len(b) == 0 {
		return noDelta(), nil
	}
	d := noDelta()
	if len(a) == 1 && len(b) == 1 {
		d.Value, d.Undefined, d.Method = a[0].v-b[0].v, false, DeltaSingle
		if !mcnemar {
			return d, nil
		}
		ca, err := DecodeCorrect(a[0].r.TestCorrect)
		if err != nil {
			return d, fmt.Errorf("run %s: %w", a[0].r.ID, err)
		}
		cb, err := DecodeCorrect(b[0].r.TestCorrect)
		if err != nil {
			return d, fmt.Errorf("run %s: %w", b[0].r.ID, err)
		}
		if len(ca) == 0 || len(ca) != len(cb) {
			return d, nil
		}
		m, err := metrics.McNemar(ca, cb)
		if err != nil {
			return d, err
		}
		d.Method, d.Pairs, d.PValue = DeltaMcNemar, m.N, m.PValue
		return d, nil
	}
	if len(a) == len(b) && len(a) >= 2 && len(ka) == len(a) && len(kb) == len(b) {
		var xs, ys []float64
		for _, x := range a {
			if y, ok := kb[x.r.ReplicateKey()]; ok {
				xs, ys = append(xs, x.v), append(ys, y.v)
			}
		}
		if len(xs) == len(a) {
			m, lo, hi := metrics.PairedInterval95(xs, ys)
			d.Interval = Interval{Value: m, Low: lo, High: hi, DF: float64(len(xs) - 1)}
			d.Method, d.Pairs = DeltaPaired, len(xs)
			return d, nil
		}
	}
	d.Interval = welchDifference(values(a), values(b))
	d.Method = DeltaWelch
	return d, nil
}

type keyed struct {
	r *Record
	v float64
}

// keyedValues returns c's values of g's finished runs and an index by
// ReplicateKey (keys seen twice are left out, so a duplicated key breaks
// the pairing rather than pairing arbitrarily).
func keyedValues(g *Group, c Column) ([]keyed, map[int64]keyed) {
	var out []keyed
	byKey := map[int64]keyed{}
	dup := map[int64]bool{}
	for _, r := range g.Runs {
		v, ok := c.Value(r)
		if !ok || math.IsNaN(v) {
			continue
		}
		k := keyed{r, v}
		out = append(out, k)
		if _, seen := byKey[r.ReplicateKey()]; seen {
			dup[r.ReplicateKey()] = true
		}
		byKey[r.ReplicateKey()] = k
	}
	for key := range dup {
		delete(byKey, key)
	}
	return out, byKey
}

func values(ks []keyed) []float64 {
	out := make([]float64, len(ks))
	for i, k := range ks {
		out[i] = k.v
	}
	return out
}

// formatDelta prints a Δ cell: "+0.012 [-0.004, +0.028]" (paired), the same
// followed by "†" (Welch), "+0.012 (p = 0.031)" (McNemar), "+0.012" (single
// runs or too few for an interval), "reference" or "–".
func formatDelta(d Delta, isReference bool) string {
	switch {
	case isReference:
		return "reference"
	case d.Undefined:
		return Missing
	}
	s := fmt.Sprintf("%+.3f", d.Value)
	switch d.Method {
	case DeltaMcNemar:
		return s + " (p = " + formatP(d.PValue) + ")"
	case DeltaPaired, DeltaWelch:
		if d.HasInterval() {
			s += " " + formatInterval(3, d.Low, d.High, true)
		}
		if d.Method == DeltaWelch {
			s += WelchMarker
		}
	}
	return s
}

// WelchMarker follows a Δ cell whose interval is Welch's (unpaired).
const WelchMarker = "†"

func formatP(p float64) string {
	switch {
	case math.IsNaN(p):
		return Missing
	case p < 0.001:
		return "< 0.001"
	}
	return fmt.Sprintf("%.3f", p)
}
