package results

import (
	"fmt"
	"math"
	"strings"

	"github.com/mt2st/mt2st/strategies"
)

// Better says which direction of a column is an improvement.
type Better int

// Directions of Column.Better.
const (
	HigherIsBetter Better = iota
	LowerIsBetter
)

// Unit decides how a column's numbers are printed.
type Unit int

// Units of Column.Unit.
const (
	Fraction Unit = iota // accuracies, F1, correlations: 3 decimals
	Seconds              // wall time: decimals chosen by magnitude
	Count                // counts (questions, pairs, epochs): integers
)

// MetricUnit is the unit of a metric name of Metrics: Count for the counts
// tasks record next to their scores (names ending in "/questions", "/pairs"
// or "/lists"), Fraction otherwise.
func MetricUnit(name string) Unit {
	for _, suffix := range []string{"/questions", "/pairs", "/lists"} {
		if strings.HasSuffix(name, suffix) {
			return Count
		}
	}
	return Fraction
}

// FormatMetric prints a metric value by its name's unit: counts as integers
// ("1152", not "1152.0000"), other metrics with 4 decimals; "–" for NaN.
func FormatMetric(name string, v float64) string {
	if math.IsNaN(v) {
		return Missing
	}
	if MetricUnit(name) == Count {
		return formatValue(Count, v)
	}
	return fmt.Sprintf("%.4f", v)
}

// Column is one aggregated quantity of a run: how to read it from a record,
// how to name it and which direction is better.
type Column struct {
	Key    string // machine name, used as the CSV column prefix, e.g. "test_accuracy"
	Header string // table heading, e.g. "test acc"
	Better Better
	Unit   Unit
	// Value reads the quantity from a finished run; ok is false when the run
	// does not have it (e.g. no analogy task), which is shown as "–".
	Value func(r *Record) (v float64, ok bool)
}

// FinalMetricColumn is a column reading Final[metric].
func FinalMetricColumn(key, header, metric string) Column {
	return Column{Key: key, Header: header, Better: HigherIsBetter, Unit: MetricUnit(metric),
		Value: func(r *Record) (float64, bool) { return r.Final.Metric(metric) }}
}

// The comparison table's columns.
var (
	ColTestAccuracy = FinalMetricColumn("test_accuracy", "test acc", "accuracy")
	ColMacroF1      = FinalMetricColumn("macro_f1", "macro-F1", "macro_f1")
	ColSpearman     = FinalMetricColumn("spearman_mean", "mean Spearman", "similarity/spearman_mean")
	ColAnalogy      = FinalMetricColumn("analogy_3cosadd", "analogy acc", "analogy/3cosadd")
	ColTrainSeconds = Column{Key: "train_seconds", Header: "train time (s)", Better: LowerIsBetter, Unit: Seconds,
		Value: func(r *Record) (float64, bool) { return r.TrainSeconds, r.TrainSeconds > 0 || len(r.Epochs) > 0 }}
	ColSecondsPerEpoch = Column{Key: "seconds_per_epoch", Header: "time/epoch (s)", Better: LowerIsBetter, Unit: Seconds,
		Value: (*Record).SecondsPerEpoch}
	// ColSelectedEpoch is the epoch whose model was tested (chosen on
	// validation).
	ColSelectedEpoch = Column{Key: "selected_epoch", Header: "sel. epoch", Better: HigherIsBetter, Unit: Count,
		Value: func(r *Record) (float64, bool) { return float64(r.SelectedEpoch), r.SelectedEpoch > 0 }}
)

// DefaultColumns returns the comparison table's columns in display order:
// test accuracy, macro-F1, mean Spearman, analogy accuracy, total training
// time, time per epoch, selected epoch.
func DefaultColumns() []Column {
	return []Column{ColTestAccuracy, ColMacroF1, ColSpearman, ColAnalogy, ColTrainSeconds, ColSecondsPerEpoch, ColSelectedEpoch}
}

// SelectionNotes says, for every Switch group, how many runs selected an
// epoch at or before the switch: their tested model was trained multi-task
// throughout, so the row measures MTL's model at Switch's cost.
func SelectionNotes(groups []*Group) []string {
	var notes []string
	for _, g := range groups {
		if !g.Strategy.Is("switch") || len(g.Runs) == 0 {
			continue
		}
		at, _ := g.Strategy.Param("epoch")
		before := 0
		for _, r := range g.Runs {
			if r.SelectedEpoch > 0 && float64(r.SelectedEpoch) <= at {
				before++
			}
		}
		name := g.Label
		if g.Setting != "" {
			name += " (" + g.Setting + ")"
		}
		notes = append(notes, fmt.Sprintf("%s: %d of %d runs selected an epoch ≤ %g, before the switch — an MTL model.", name, before, len(g.Runs), at))
	}
	return notes
}

// Summary is one column aggregated over a group's finished runs.
type Summary struct {
	N      int     // runs that have the value
	Mean   float64 // NaN when N == 0
	Std    float64 // sample standard deviation (ddof=1), NaN when N < 2
	CILow  float64 // 95% Student-t interval of the mean, NaN when N < 2
	CIHigh float64
}

// Valid reports whether the summary has a mean (at least one run had the value).
func (s Summary) Valid() bool { return s.N > 0 }

// HalfWidth is half the 95% interval's width (NaN when undefined).
func (s Summary) HalfWidth() float64 { return (s.CIHigh - s.CILow) / 2 }

// Summarize aggregates xs: mean, sample std, n and the Student-t 95% interval.
func Summarize(xs []float64) Summary {
	lo, hi := meanInterval(xs)
	return Summary{N: len(xs), Mean: mean(xs), Std: sampleStd(xs), CILow: lo, CIHigh: hi}
}

// GroupKey identifies a group: runs with the same label, setting and
// configuration hash are replicates (seeds) of one configuration. Runs
// without a ConfigHash (outside a sweep) group by label and setting.
type GroupKey struct {
	Label      string
	Setting    string
	ConfigHash string
}

// Group is the runs of one (Label, Setting, ConfigHash) over seeds.
type Group struct {
	GroupKey
	Strategy   strategies.Spec // strategy of the group's first run
	Runs       []*Record       // finished runs (Status done): aggregated
	Unfinished []*Record       // failed or killed runs: reported, not aggregated
}

// Name is "Label" or "Label / Setting" when the setting is not empty.
func (g *Group) Name() string {
	if g.Setting == "" {
		return g.Label
	}
	return g.Label + " / " + g.Setting
}

// Values returns c's value for every finished run that has it, in run order.
func (g *Group) Values(c Column) []float64 {
	var xs []float64
	for _, r := range g.Runs {
		if v, ok := c.Value(r); ok && !math.IsNaN(v) {
			xs = append(xs, v)
		}
	}
	return xs
}

// Summarize aggregates column c over the group's finished runs.
func (g *Group) Summarize(c Column) Summary { return Summarize(g.Values(c)) }

// IsSTL reports whether the group is the single-task baseline: label "STL"
// or strategy "stl" (case-insensitive).
func (g *Group) IsSTL() bool { return g.is("stl") }

// IsMTL reports whether the group is classic multi-task learning: label
// "MTL" or strategy "mtl" (case-insensitive).
func (g *Group) IsMTL() bool { return g.is("mtl") }

// PrimaryTask is the primary task (Record.Tasks[0]) of the group's first
// finished run, else of its first run; "" when no run names its tasks.
func (g *Group) PrimaryTask() string {
	for _, rs := range [][]*Record{g.Runs, g.Unfinished} {
		if len(rs) > 0 && len(rs[0].Tasks) > 0 {
			return rs[0].Tasks[0]
		}
	}
	return ""
}

// samePrimary reports whether two groups train the same primary task (true
// when either does not say).
func samePrimary(a, b *Group) bool {
	pa, pb := a.PrimaryTask(), b.PrimaryTask()
	return pa == "" || pb == "" || pa == pb
}

func (g *Group) is(name string) bool {
	return strings.EqualFold(strings.TrimSpace(g.Label), name) || g.Strategy.Is(name)
}

// GroupRecords groups records by (Label, Setting, ConfigHash), keeping the
// order in which each group is first seen. Finished runs go to Runs, others to Unfinished;
// a group whose runs all failed is still returned, so it can be reported.
func GroupRecords(records []*Record) []*Group {
	var groups []*Group
	index := make(map[GroupKey]*Group)
	for _, r := range records {
		if r == nil {
			continue
		}
		key := GroupKey{Label: r.Label, Setting: r.Setting, ConfigHash: r.ConfigHash}
		g, ok := index[key]
		if !ok {
			g = &Group{GroupKey: key, Strategy: r.Strategy}
			index[key] = g
			groups = append(groups, g)
		}
		if r.Done() {
			g.Runs = append(g.Runs, r)
		} else {
			g.Unfinished = append(g.Unfinished, r)
		}
	}
	return groups
}

// referenceGroup returns the group matching is that trains g's primary task
// (Record.Tasks[0]) and is most like g: the same protocol, encoder and setting, else the same protocol and encoder,
// else the same setting, else the first matching group; nil when none
// matches. Protocol and encoder are Config["protocol"] and Config["encoder"]
// of the groups' first runs.
func referenceGroup(groups []*Group, g *Group, is func(*Group) bool) *Group {
	var best *Group
	bestScore := -1
	for _, c := range groups {
		if !is(c) || len(c.Runs) == 0 || !samePrimary(c, g) {
			continue
		}
		score := 0
		if sameModel(c, g) {
			score += 2
		}
		if c.Setting == g.Setting {
			score++
		}
		if score > bestScore {
			best, bestScore = c, score
		}
	}
	return best
}

// sameModel reports whether two groups train the same protocol and encoder.
func sameModel(a, b *Group) bool {
	if len(a.Runs) == 0 || len(b.Runs) == 0 {
		return true
	}
	for _, k := range []string{"protocol", "encoder"} {
		if fmt.Sprint(a.Runs[0].Config[k]) != fmt.Sprint(b.Runs[0].Config[k]) {
			return false
		}
	}
	return true
}

// WorkOrderNotes flags a timing confound: an MTL group, which does strictly
// more work per step than its STL reference, whose training time per epoch
// is lower with 95% intervals (on log seconds) that do not overlap. Such a
// table's times are not to be trusted (cold processes, run order, a shared
// machine); `mt2st timing-check` measures the two in alternating order.
func WorkOrderNotes(groups []*Group) []string {
	var notes []string
	for _, g := range groups {
		if !g.IsMTL() || len(g.Runs) < 2 {
			continue
		}
		ref := referenceGroup(groups, g, (*Group).IsSTL)
		if ref == nil || len(ref.Runs) < 2 {
			continue
		}
		mg, _, mhi := logMeanInterval(g.Values(ColSecondsPerEpoch))
		sg, slo, _ := logMeanInterval(ref.Values(ColSecondsPerEpoch))
		if mhi < slo { // false when either interval is undefined (NaN)
			notes = append(notes, fmt.Sprintf("Timing confound: %s (%s) trained faster per epoch than STL although it does strictly more work (%.3g s vs %.3g s, intervals apart); check with mt2st timing-check.",
				g.Label, g.Setting, mg, sg))
		}
	}
	return notes
}
