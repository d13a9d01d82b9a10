package results

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mt2st/mt2st/metrics"
)

// DefaultTargetFraction is the default time-to-target threshold as a
// fraction of STL's mean best validation accuracy ("99% of STL's best").
const DefaultTargetFraction = 0.99

// DefaultBootstrapReps and DefaultBootstrapSeed are the percentile
// bootstrap's replicates and seed for the time-to-target intervals.
const (
	DefaultBootstrapReps        = 2000
	DefaultBootstrapSeed uint64 = 20240626
)

// ReportOptions tunes BuildReport. The zero value gives the default report.
type ReportOptions struct {
	// Metric is the primary metric's name in Epoch.Val and Record.Final;
	// default "accuracy".
	Metric string
	// Target is the validation value a run must reach. 0 (or less) means
	// TargetFraction × the mean, over finished STL runs, of each run's best
	// validation value.
	Target float64
	// TargetFraction defaults to DefaultTargetFraction.
	TargetFraction float64
	// Columns of the comparison table; default DefaultColumns().
	Columns []Column
	// Spread of the comparison table; default SpreadCI95.
	Spread Spread
	// BootstrapReps and BootstrapSeed drive the time-to-target intervals;
	// defaults DefaultBootstrapReps and DefaultBootstrapSeed.
	BootstrapReps int
	BootstrapSeed uint64
	// EqualMargin is the equivalence margin of the total-time-at-equal-
	// accuracy table: a Δ of the primary test metric whose 95% interval
	// lies inside ±EqualMargin counts as equal accuracy. 0 means
	// DefaultEqualMargin.
	EqualMargin float64
}

// DefaultEqualMargin is the default equivalence margin on the primary test
// metric (one accuracy point).
const DefaultEqualMargin = 0.01

// Validate checks the options a user sets from the command line.
func (o ReportOptions) Validate() error {
	if math.IsNaN(o.Target) || o.Target < 0 {
		return fmt.Errorf("target %v: want a validation value > 0, or 0 for the default", o.Target)
	}
	if math.IsNaN(o.TargetFraction) || o.TargetFraction < 0 || o.TargetFraction > 1 {
		return fmt.Errorf("target fraction %v: want a value in (0, 1], or 0 for the default %v", o.TargetFraction, DefaultTargetFraction)
	}
	if math.IsNaN(o.EqualMargin) || math.IsInf(o.EqualMargin, 0) || o.EqualMargin < 0 {
		return fmt.Errorf("equal margin %v: want a margin > 0 on the primary test metric, or 0 for the default %v", o.EqualMargin, DefaultEqualMargin)
	}
	if o.BootstrapReps < 0 {
		return fmt.Errorf("bootstrap replicates %d: want > 0, or 0 for the default %d", o.BootstrapReps, DefaultBootstrapReps)
	}
	return nil
}

// GroupReport is one group's line of a sweep report.
type GroupReport struct {
	Group *Group
	// Test summarises the primary test metric (Final[Metric]).
	Test Summary
	// Val summarises each run's validation metric at its selected epoch
	// (Record.SelectedVal): the number configurations are chosen by.
	Val Summary
	// DeltaVsSTL is the primary test metric's difference from STL (see
	// DeltaVs: paired over replicates when possible, else Welch; McNemar for
	// single runs). Undefined for the STL group itself or without STL.
	DeltaVsSTL Delta
	STL, MTL   *Group // the reference groups used (nil when none)
	// DeltaVsMTL is DeltaVsSTL's counterpart against MTL.
	DeltaVsMTL Delta
	// TimeVsSTL and TimeVsMTL are the ratio of total training seconds
	// (Record.TrainSeconds) group / reference (see TimeRatio): paired over
	// replicates when possible, else Welch on log seconds.
	TimeVsSTL, TimeVsMTL Delta
	// Aside marks a group that trains another primary task than the
	// report's (e.g. an auxiliary task trained alone): it has no primary
	// metric, is never a reference, and is left out of the Δ, time-to-
	// target, chosen-on-validation and equal-accuracy tables.
	Aside bool

	// Hits holds each finished run's time to target, in Group.Runs order.
	Hits []TargetHit
	// Reached counts the runs in Hits that reached the target.
	Reached int
	// EpochToTarget and SecondsToTarget summarise only the runs that reached
	// the target (a conditional mean: read it with Reached). The tables use
	// the censored medians below instead.
	EpochToTarget, SecondsToTarget Summary
	// EpochMedian and SecondsMedian are Kaplan–Meier medians of the epoch and
	// training seconds to target, runs that never reached it censored at
	// their last epoch and total training time, with the 95% percentile
	// bootstrap interval over runs. +Inf when fewer than half are known to
	// reach it.
	EpochMedian, SecondsMedian Interval
	// SpeedupVsSTL is the reference's KM median seconds-to-target divided by
	// this group's, with a percentile bootstrap interval resampling both
	// groups' runs. Undefined for the reference itself, or when either
	// median is not reached.
	SpeedupVsSTL, SpeedupVsMTL Interval
}

// Choice is the configuration of one strategy chosen on validation.
type Choice struct {
	Strategy   string       // strategy name, e.g. "switch"
	Row        *GroupReport // the chosen group's report
	Candidates int          // configurations of this strategy with a validation value
}

// SweepReport is the aggregated view of a results directory: groups over
// seeds, Δ of the primary test metric vs STL, the configuration chosen on
// validation per strategy, and time to target with speed-ups vs STL and MTL.
type SweepReport struct {
	Metric string
	// PrimaryTask is the report's primary task: Record.Tasks[0] of the
	// first group with the primary test metric ("" when none says).
	PrimaryTask string
	// EqualMargin is the equivalence margin (ReportOptions.EqualMargin).
	EqualMargin float64
	Target      float64 // NaN when no target could be set
	TargetNote  string  // how Target was chosen
	Columns     []Column
	Spread      Spread
	Groups      []*Group
	Rows        []GroupReport // one per group, same order
	Chosen      []Choice      // per strategy, in first-seen order
	Unfinished  []*Record     // runs with Status != done: listed, not aggregated
	Problems    []FileError   // unreadable files (from ReportDir)
	Notes       []string      // problems met while aggregating (e.g. damaged TestCorrect)
	bootReps    int
}

// ReportDir reads every record under dir, keeping good records when some
// files are damaged (they are listed in Problems), and builds the report.
func ReportDir(dir string, opts ReportOptions) (*SweepReport, error) {
	scan, err := ScanDir(dir)
	if err != nil {
		return nil, err
	}
	rep := BuildReport(scan.Records, opts)
	rep.Problems = scan.Problems
	return rep, nil
}

// BuildReport groups records by (Label, Setting, ConfigHash) and computes the
// report.
func BuildReport(records []*Record, opts ReportOptions) *SweepReport {
	metric := opts.Metric
	if metric == "" {
		metric = "accuracy"
	}
	frac := opts.TargetFraction
	if frac <= 0 {
		frac = DefaultTargetFraction
	}
	cols := opts.Columns
	if cols == nil {
		cols = DefaultColumns()
	}
	reps := opts.BootstrapReps
	if reps <= 0 {
		reps = DefaultBootstrapReps
	}
	seed := opts.BootstrapSeed
	if seed == 0 {
		seed = DefaultBootstrapSeed
	}
	margin := opts.EqualMargin
	if margin <= 0 {
		margin = DefaultEqualMargin
	}
	groups := GroupRecords(records)
	testCol := FinalMetricColumn("test_"+metric, "test "+metric, metric)
	rep := &SweepReport{Metric: metric, Columns: cols, Spread: opts.Spread, Groups: groups, bootReps: reps, EqualMargin: margin}
	rep.PrimaryTask = primaryTask(groups, testCol)
	aside := markAside(groups, rep.PrimaryTask)
	for _, g := range groups {
		rep.Unfinished = append(rep.Unfinished, g.Unfinished...)
	}
	rep.Target, rep.TargetNote = chooseTarget(groups, aside, metric, opts.Target, frac)

	valCol := Column{Key: "val_" + metric, Header: "val " + metric, Unit: Fraction,
		Value: func(r *Record) (float64, bool) { v, _, ok := r.SelectedVal(metric); return v, ok }}
	censored := map[*Group]censoredTimes{}
	times := func(g *Group) censoredTimes {
		if c, ok := censored[g]; ok {
			return c
		}
		c := targetTimes(g, metric, rep.Target)
		censored[g] = c
		return c
	}
	for _, g := range groups {
		row := GroupReport{Group: g, Test: g.Summarize(testCol), Val: g.Summarize(valCol), DeltaVsSTL: noDelta(),
			EpochMedian: undefinedInterval(), SecondsMedian: undefinedInterval(),
			SpeedupVsSTL: undefinedInterval(), SpeedupVsMTL: undefinedInterval(),
			DeltaVsMTL: noDelta(), TimeVsSTL: noDelta(), TimeVsMTL: noDelta(), Aside: aside[g]}
		if row.Aside {
			rep.Rows = append(rep.Rows, row)
			continue
		}
		row.STL = referenceGroup(groups, g, (*Group).IsSTL)
		row.MTL = referenceGroup(groups, g, (*Group).IsMTL)
		d, err := DeltaVs(g, row.STL, testCol, metric == "accuracy")
		if err != nil {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%s: %v; Δ without McNemar.", g.Name(), err))
		}
		row.DeltaVsSTL = d
		// The McNemar note, if any, is already in Notes from the STL Δ.
		row.DeltaVsMTL, _ = DeltaVs(g, row.MTL, testCol, metric == "accuracy")
		row.TimeVsSTL, row.TimeVsMTL = TimeRatio(g, row.STL), TimeRatio(g, row.MTL)
		if !math.IsNaN(rep.Target) {
			var epochs, secs []float64
			for _, r := range g.Runs {
				h := r.TimeToTarget(metric, rep.Target)
				row.Hits = append(row.Hits, h)
				if h.Reached {
					row.Reached++
					epochs = append(epochs, float64(h.Epoch))
					secs = append(secs, h.Seconds)
				}
			}
			row.EpochToTarget, row.SecondsToTarget = Summarize(epochs), Summarize(secs)
			c := times(g)
			gseed := seed ^ nameSeed(g.Name()+"\x00"+g.ConfigHash)
			row.EpochMedian = kmMedianInterval(c.epochs, c.reached, reps, gseed)
			row.SecondsMedian = kmMedianInterval(c.seconds, c.reached, reps, gseed+1)
			if row.STL != nil && row.STL != g {
				row.SpeedupVsSTL = medianRatio(times(row.STL), c, reps, gseed+2)
			}
			if row.MTL != nil && row.MTL != g {
				row.SpeedupVsMTL = medianRatio(times(row.MTL), c, reps, gseed+3)
			}
		}
		rep.Rows = append(rep.Rows, row)
	}
	rep.Chosen = chooseOnValidation(rep.Rows)
	return rep
}

// chooseOnValidation picks, per strategy name, the group with the highest
// mean selected-epoch validation value (first one on ties). Test numbers
// play no part.
func chooseOnValidation(rows []GroupReport) []Choice {
	var out []Choice
	index := map[string]int{}
	for i := range rows {
		row := &rows[i]
		if row.Aside || !row.Val.Valid() {
			continue
		}
		name := row.Group.Strategy.Name()
		if name == "" {
			name = row.Group.Label
		}
		j, ok := index[name]
		if !ok {
			index[name] = len(out)
			out = append(out, Choice{Strategy: name, Row: row, Candidates: 1})
			continue
		}
		out[j].Candidates++
		if row.Val.Mean > out[j].Row.Val.Mean {
			out[j].Row = row
		}
	}
	return out
}

// censoredTimes are a group's times to target with the unreached runs
// censored at their end.
type censoredTimes struct {
	epochs, seconds []float64
	reached         []bool
}

// targetTimes returns each finished run's epoch and seconds to target, or,
// for a run that never reached it, its last epoch and total training time
// (censored).
func targetTimes(g *Group, metric string, target float64) censoredTimes {
	var c censoredTimes
	for _, r := range g.Runs {
		h := r.TimeToTarget(metric, target)
		if h.Reached {
			c.epochs, c.seconds = append(c.epochs, float64(h.Epoch)), append(c.seconds, h.Seconds)
		} else {
			last, total := 0.0, r.TrainSeconds
			if n := len(r.Epochs); n > 0 {
				last = float64(r.Epochs[n-1].Epoch)
				total = math.Max(total, r.Epochs[n-1].CumSeconds)
			}
			c.epochs, c.seconds = append(c.epochs, last), append(c.seconds, total)
		}
		c.reached = append(c.reached, h.Reached)
	}
	return c
}

// kmMedian is metrics.KaplanMeierMedian over the runs idx (all when nil).
func kmMedian(times []float64, reached []bool, idx []int) float64 {
	if idx != nil {
		t, e := make([]float64, len(idx)), make([]bool, len(idx))
		for i, j := range idx {
			t[i], e[i] = times[j], reached[j]
		}
		times, reached = t, e
	}
	m, err := metrics.KaplanMeierMedian(times, reached)
	if err != nil {
		return math.NaN()
	}
	return m
}

// kmMedianInterval is the Kaplan–Meier median with its percentile bootstrap
// interval over runs.
func kmMedianInterval(times []float64, reached []bool, reps int, seed uint64) Interval {
	if len(times) == 0 {
		return undefinedInterval()
	}
	iv := Interval{Value: kmMedian(times, reached, nil), Low: math.NaN(), High: math.NaN(), DF: math.NaN()}
	if len(times) < 2 {
		return iv
	}
	iv.Low, iv.High, _ = metrics.BootstrapPercentile95([]int{len(times)},
		func(idx [][]int) float64 { return kmMedian(times, reached, idx[0]) }, reps, seed)
	return iv
}

// medianRatio is ref's KM median seconds-to-target over g's, with a
// percentile bootstrap interval resampling the runs of both groups
// independently. The estimate is undefined when either median is not
// reached (+Inf): the ratio is then only bounded, not known. Within the
// bootstrap a median not reached counts as +Inf (ratio +Inf or 0), and
// replicates where neither is reached are dropped.
func medianRatio(ref, g censoredTimes, reps int, seed uint64) Interval {
	if len(ref.seconds) == 0 || len(g.seconds) == 0 {
		return undefinedInterval()
	}
	a, b := kmMedian(ref.seconds, ref.reached, nil), kmMedian(g.seconds, g.reached, nil)
	if math.IsInf(a, 0) || math.IsInf(b, 0) || !(a > 0) || !(b > 0) {
		return undefinedInterval()
	}
	iv := Interval{Value: a / b, Low: math.NaN(), High: math.NaN(), DF: math.NaN()}
	if len(ref.seconds) < 2 && len(g.seconds) < 2 {
		return iv
	}
	iv.Low, iv.High, _ = metrics.BootstrapPercentile95([]int{len(ref.seconds), len(g.seconds)}, func(idx [][]int) float64 {
		a, b := kmMedian(ref.seconds, ref.reached, idx[0]), kmMedian(g.seconds, g.reached, idx[1])
		if math.IsInf(a, 1) && math.IsInf(b, 1) {
			return math.NaN()
		}
		return a / b
	}, reps, seed)
	return iv
}

// nameSeed hashes a group's name (FNV-1a), so each group's bootstrap draws
// do not depend on which other groups are in the report.
func nameSeed(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// chooseTarget returns the given target, or frac × the mean over finished
// STL runs of each run's best validation value.
func chooseTarget(groups []*Group, aside map[*Group]bool, metric string, given, frac float64) (float64, string) {
	if given > 0 {
		return given, fmt.Sprintf("target validation %s ≥ %.4g (given)", metric, given)
	}
	var bests []float64
	for _, g := range groups {
		if !g.IsSTL() || aside[g] {
			continue
		}
		for _, r := range g.Runs {
			if b, _, ok := r.BestVal(metric); ok {
				bests = append(bests, b)
			}
		}
	}
	if len(bests) == 0 {
		return math.NaN(), fmt.Sprintf("no time to target: no finished STL run with validation %s to derive it from; give a target", metric)
	}
	m := mean(bests)
	return frac * m, fmt.Sprintf("target validation %s ≥ %.4g = %.4g × %.4g, the mean best validation %s of %d STL run(s)",
		metric, frac*m, frac, m, metric, len(bests))
}

// ComparisonTable is the report's comparison table (see ComparisonTable).
func (rep *SweepReport) ComparisonTable() *Table {
	return ComparisonTableWith(rep.Groups, TableOptions{Columns: rep.Columns, Spread: rep.Spread})
}

// DeltaTable shows the primary test metric with its 95% interval and its
// difference from STL (paired t, Welch or McNemar: see DeltaVs). Nothing is
// marked best: these are test numbers.
func (rep *SweepReport) DeltaTable() *Table {
	m := rep.Metric
	showSetting := anySetting(rep.Groups)
	t := &Table{Title: fmt.Sprintf("Test %s vs STL (95%% confidence intervals)", m)}
	t.Header = []string{"strategy"}
	if showSetting {
		t.Header = append(t.Header, "setting")
	}
	lead := len(t.Header)
	t.Header = append(t.Header, "runs", "test "+m, "95% CI", "Δ vs STL", "Δ 95% CI", "method")
	t.Numeric = numericFrom(len(t.Header)-1, lead)
	t.Numeric = append(t.Numeric, false)
	t.CSVHeader = []string{"label", "setting", "runs", "test_mean", "test_std", "test_ci95_low", "test_ci95_high",
		"delta_vs_stl", "delta_ci95_low", "delta_ci95_high", "delta_df", "delta_method", "delta_pairs", "delta_p", "stl_label", "stl_setting"}
	for _, row := range rep.Rows {
		if row.Aside {
			continue
		}
		g := row.Group
		cells := []Cell{{Text: g.Label}}
		if showSetting {
			cells = append(cells, Cell{Text: g.Setting})
		}
		d := row.DeltaVsSTL
		delta, deltaCI, method := Missing, Missing, Missing
		switch {
		case row.STL == g:
			delta, method = "reference", ""
		case !d.Undefined:
			delta = fmt.Sprintf("%+.3f", d.Value)
			method = d.Method.String()
			switch {
			case d.Method == DeltaMcNemar:
				deltaCI = "p = " + formatP(d.PValue)
				method += fmt.Sprintf(", %d examples", d.Pairs)
			case d.HasInterval():
				deltaCI = formatInterval(3, d.Low, d.High, true)
			}
			if d.Method == DeltaPaired {
				method += fmt.Sprintf(", %d pairs", d.Pairs)
			}
		}
		cells = append(cells,
			Cell{Text: runsText(g)},
			Cell{Text: formatValue(Fraction, row.Test.Mean)},
			Cell{Text: formatInterval(3, row.Test.CILow, row.Test.CIHigh, false)},
			Cell{Text: delta}, Cell{Text: deltaCI}, Cell{Text: method})
		t.Rows = append(t.Rows, cells)
		stlLabel, stlSetting, methodCSV := "", "", ""
		if row.STL != nil {
			stlLabel, stlSetting = row.STL.Label, row.STL.Setting
		}
		if d.Method != DeltaNone {
			methodCSV = d.Method.String()
		}
		t.CSVRows = append(t.CSVRows, []string{g.Label, g.Setting, strconv.Itoa(len(g.Runs)),
			csvFloat(row.Test.Mean), csvFloat(row.Test.Std), csvFloat(row.Test.CILow), csvFloat(row.Test.CIHigh),
			csvFloat(d.Value), csvFloat(d.Low), csvFloat(d.High), csvFloat(d.DF), methodCSV, strconv.Itoa(d.Pairs), csvFloat(d.PValue),
			stlLabel, stlSetting})
	}
	t.Notes = []string{
		"95% CI: Student-t interval of the mean over seeds. Δ = mean − STL mean (STL of the same protocol, encoder and setting, else the first STL group). An interval excluding 0 (or p < 0.05) is a difference at the 5% level.",
		"method: paired t = runs paired with the STL run of the same replicate (same seed outside sweeps: common random numbers), t interval of the mean difference with n_pairs − 1 df; Welch = the replicates could not all be paired, Welch's t interval (Welch–Satterthwaite df); McNemar exact = one run per arm, two-sided exact test on the test examples exactly one model got right; single runs = one run per arm and no per-example correctness recorded.",
		"Nothing is marked best: these are test numbers, and choosing on them would be selection on test.",
	}
	t.Notes = append(t.Notes, rep.Notes...)
	if n := rep.asideNote(); n != "" {
		t.Notes = append(t.Notes, n)
	}
	return t
}

// ChosenTable shows, per strategy, the configuration with the best mean
// validation value at each run's selected epoch, and that configuration's
// test numbers (chosen on validation, never on test). Nil when no strategy
// has more than one configuration: there was nothing to choose.
func (rep *SweepReport) ChosenTable() *Table {
	choosing := false
	for _, c := range rep.Chosen {
		choosing = choosing || c.Candidates > 1
	}
	if !choosing {
		return nil
	}
	m := rep.Metric
	showSetting := anySetting(rep.Groups)
	t := &Table{Title: fmt.Sprintf("Configurations chosen on validation %s", m)}
	t.Header = []string{"strategy", "chosen configuration"}
	if showSetting {
		t.Header = append(t.Header, "setting")
	}
	lead := len(t.Header)
	t.Header = append(t.Header, "candidates", "runs", "val "+m+" (chosen on)", "test "+m, "Δ test vs STL")
	t.Numeric = numericFrom(len(t.Header), lead)
	t.CSVHeader = []string{"strategy", "label", "setting", "config_hash", "candidates", "runs",
		"val_mean", "val_ci95_low", "val_ci95_high", "test_mean", "test_ci95_low", "test_ci95_high",
		"delta_vs_stl", "delta_ci95_low", "delta_ci95_high", "delta_method", "delta_p"}
	for _, c := range rep.Chosen {
		row := c.Row
		g := row.Group
		cells := []Cell{{Text: c.Strategy}, {Text: g.Label}}
		if showSetting {
			cells = append(cells, Cell{Text: g.Setting})
		}
		cells = append(cells, Cell{Text: strconv.Itoa(c.Candidates)}, Cell{Text: runsText(g)},
			Cell{Text: formatMeanCI(Fraction, row.Val, 3)},
			Cell{Text: formatMeanCI(Fraction, row.Test, 3)},
			Cell{Text: formatDelta(row.DeltaVsSTL, row.STL == g)})
		t.Rows = append(t.Rows, cells)
		d := row.DeltaVsSTL
		method := ""
		if d.Method != DeltaNone {
			method = d.Method.String()
		}
		t.CSVRows = append(t.CSVRows, []string{c.Strategy, g.Label, g.Setting, g.ConfigHash, strconv.Itoa(c.Candidates), strconv.Itoa(len(g.Runs)),
			csvFloat(row.Val.Mean), csvFloat(row.Val.CILow), csvFloat(row.Val.CIHigh),
			csvFloat(row.Test.Mean), csvFloat(row.Test.CILow), csvFloat(row.Test.CIHigh),
			csvFloat(d.Value), csvFloat(d.Low), csvFloat(d.High), method, csvFloat(d.PValue)})
	}
	t.Notes = []string{
		"Per strategy, the configuration (η, ν, Switch epoch, …) with the highest mean over replicates of each run's validation " + m + " at its selected epoch (the epoch whose model was tested; the best validation epoch when not recorded); ties go to the first. Test numbers are shown for the chosen configuration only and played no part in choosing it.",
		"Intervals: 95% Student-t interval of the mean; Δ as in the Δ table (" + WelchMarker + " = Welch, unpaired). The chosen configuration's validation mean is optimistically biased (a maximum over candidates); its test numbers are not.",
		"Strategies are chosen separately: the best Diminish (the paper's formula γ·exp(−η·t^ν), over its η, ν, γ) chosen on validation, the authors' squared schedule (diminish-squared) and Switch at its best switch epoch chosen on validation are each one row, so they compare at their validation-chosen best.",
	}
	return t
}

// TargetTable shows, per group, how many runs reached the target, the
// Kaplan–Meier median epoch and training seconds to reach it (unreached runs
// censored), and the speed-ups vs STL and MTL from those medians.
func (rep *SweepReport) TargetTable() *Table {
	showSetting := anySetting(rep.Groups)
	t := &Table{Title: "Time to target: " + rep.TargetNote}
	t.Header = []string{"strategy"}
	if showSetting {
		t.Header = append(t.Header, "setting")
	}
	lead := len(t.Header)
	t.Header = append(t.Header, "reached", "median epoch to target", "median seconds to target", "speed-up vs STL", "time saved vs STL", "speed-up vs MTL", "time saved vs MTL")
	t.Numeric = numericFrom(len(t.Header), lead)
	t.CSVHeader = []string{"label", "setting", "runs", "reached", "reached_fraction", "target",
		"epoch_km_median", "epoch_median_ci95_low", "epoch_median_ci95_high",
		"seconds_km_median", "seconds_median_ci95_low", "seconds_median_ci95_high",
		"epoch_reached_mean", "seconds_reached_mean",
		"speedup_vs_stl", "speedup_vs_stl_ci95_low", "speedup_vs_stl_ci95_high",
		"speedup_vs_mtl", "speedup_vs_mtl_ci95_low", "speedup_vs_mtl_ci95_high"}
	if math.IsNaN(rep.Target) {
		t.Notes = []string{rep.TargetNote}
		return t
	}
	var fracs, epochs, secs, spSTL, spMTL []float64
	for _, row := range rep.Rows {
		if row.Aside {
			continue
		}
		g := row.Group
		cells := []Cell{{Text: g.Label}}
		if showSetting {
			cells = append(cells, Cell{Text: g.Setting})
		}
		frac := math.NaN()
		if len(row.Hits) > 0 {
			frac = float64(row.Reached) / float64(len(row.Hits))
		}
		reached := fmt.Sprintf("%d/%d", row.Reached, len(row.Hits))
		if len(row.Hits) > 0 {
			reached += fmt.Sprintf(" (%.0f%%)", 100*frac)
		}
		cells = append(cells,
			Cell{Text: reached},
			Cell{Text: formatMedian(Count, row.EpochMedian)},
			Cell{Text: formatMedian(Seconds, row.SecondsMedian)},
			Cell{Text: formatSpeedup(row.SpeedupVsSTL, row.STL == g)},
			Cell{Text: formatSaved(row.SpeedupVsSTL, row.STL == g)},
			Cell{Text: formatSpeedup(row.SpeedupVsMTL, row.MTL == g)},
			Cell{Text: formatSaved(row.SpeedupVsMTL, row.MTL == g)},
		)
		t.Rows = append(t.Rows, cells)
		fracs = append(fracs, frac)
		epochs = append(epochs, finiteOrNaN(row.EpochMedian.Value))
		secs = append(secs, finiteOrNaN(row.SecondsMedian.Value))
		spSTL = append(spSTL, finiteOrNaN(row.SpeedupVsSTL.Value))
		spMTL = append(spMTL, finiteOrNaN(row.SpeedupVsMTL.Value))
		t.CSVRows = append(t.CSVRows, []string{g.Label, g.Setting, strconv.Itoa(len(row.Hits)), strconv.Itoa(row.Reached), csvFloat(frac), csvFloat(rep.Target),
			csvFloat(row.EpochMedian.Value), csvFloat(row.EpochMedian.Low), csvFloat(row.EpochMedian.High),
			csvFloat(row.SecondsMedian.Value), csvFloat(row.SecondsMedian.Low), csvFloat(row.SecondsMedian.High),
			csvFloat(row.EpochToTarget.Mean), csvFloat(row.SecondsToTarget.Mean),
			csvFloat(row.SpeedupVsSTL.Value), csvFloat(row.SpeedupVsSTL.Low), csvFloat(row.SpeedupVsSTL.High),
			csvFloat(row.SpeedupVsMTL.Value), csvFloat(row.SpeedupVsMTL.Low), csvFloat(row.SpeedupVsMTL.High)})
	}
	markBest(t.Rows, lead, fracs, HigherIsBetter)
	markBest(t.Rows, lead+1, epochs, LowerIsBetter)
	markBest(t.Rows, lead+2, secs, LowerIsBetter)
	markBest(t.Rows, lead+3, spSTL, HigherIsBetter)
	markBest(t.Rows, lead+4, spSTL, HigherIsBetter)
	markBest(t.Rows, lead+5, spMTL, HigherIsBetter)
	markBest(t.Rows, lead+6, spMTL, HigherIsBetter)
	t.Notes = []string{
		"reached = runs whose validation " + rep.Metric + " reached the target at some epoch / finished runs. Median epoch and seconds to target: Kaplan–Meier median (first time the estimated fraction not yet at the target is ≤ ½), runs that never reached it censored at their last epoch and total training time; \"not reached\" when fewer than half are known to reach it. Seconds = cumulative training time (evaluation excluded).",
		fmt.Sprintf("[95%% CI]: percentile bootstrap over runs (%d resamples, fixed seed, so the report is reproducible); always positive; \"∞\" = the median is not reached in more than 2.5%% of resamples. With few runs per group these intervals are too narrow.", rep.bootReps),
		"speed-up = reference's median seconds-to-target / this row's, [bootstrap 95% CI resampling both groups' runs; a resample whose median is not reached counts as ∞]; – when either median is not reached; time saved = 1 − 1/speed-up (the paper's \"x% less time\"). Reference = the STL (MTL) group of the same protocol, encoder and setting, else the first one.",
		"Best per column marked (* in the terminal, bold in Markdown): these are validation numbers, not test numbers.",
	}
	if n := rep.asideNote(); n != "" {
		t.Notes = append(t.Notes, n)
	}
	return t
}

func finiteOrNaN(v float64) float64 {
	if math.IsInf(v, 0) {
		return math.NaN()
	}
	return v
}

// formatMedian prints "median [low, high]" with "not reached" for +Inf and
// "∞" for an infinite upper bound.
func formatMedian(u Unit, iv Interval) string {
	if iv.Undefined || math.IsNaN(iv.Value) {
		return Missing
	}
	if math.IsInf(iv.Value, 1) {
		s := "not reached"
		if iv.HasInterval() && !math.IsInf(iv.Low, 1) {
			s += fmt.Sprintf(" [%s, ∞]", formatValue(u, iv.Low))
		}
		return s
	}
	d := decimals(u, iv.Value)
	if u == Count {
		d = 0
	}
	s := fmt.Sprintf("%.*f", d, iv.Value)
	if iv.HasInterval() {
		s += fmt.Sprintf(" [%.*f, %s]", d, iv.Low, infOr(iv.High, d))
	}
	return s
}

func infOr(v float64, d int) string {
	if math.IsInf(v, 1) {
		return "∞"
	}
	return fmt.Sprintf("%.*f", d, v)
}

// UnfinishedTable lists runs that did not finish; nil when there are none.
func (rep *SweepReport) UnfinishedTable() *Table {
	if len(rep.Unfinished) == 0 && len(rep.Problems) == 0 {
		return nil
	}
	t := &Table{Title: "Not aggregated", Header: []string{"run / file", "strategy", "setting", "status", "error"}}
	t.CSVHeader = []string{"id_or_path", "label", "setting", "status", "error"}
	for _, r := range rep.Unfinished {
		status := r.Status
		if status == "" {
			status = "(none)"
		}
		t.Rows = append(t.Rows, []Cell{{Text: r.ID}, {Text: r.Label}, {Text: r.Setting}, {Text: status}, {Text: shorten(r.Error, 60)}})
		t.CSVRows = append(t.CSVRows, []string{r.ID, r.Label, r.Setting, r.Status, r.Error})
	}
	for _, p := range rep.Problems {
		t.Rows = append(t.Rows, []Cell{{Text: p.Path}, {}, {}, {Text: "unreadable"}, {Text: shorten(p.Err.Error(), 60)}})
		t.CSVRows = append(t.CSVRows, []string{p.Path, "", "", "unreadable", p.Err.Error()})
	}
	return t
}

// namedTables returns the report's tables in print order with their CSV
// file names: comparison, Δ vs STL, chosen on validation (when some
// strategy has several configurations), time to target, total time at
// equal accuracy (when a group has an STL or MTL reference), multi-task vs
// separate runs (when the sweep trains the auxiliary tasks alone), the
// Diminish η × ν heat maps (per grid), and the not-aggregated runs when
// there are any.
func (rep *SweepReport) namedTables() ([]*Table, []string) {
	ts := []*Table{rep.ComparisonTable(), rep.DeltaTable()}
	names := []string{"comparison.csv", "delta_vs_stl.csv"}
	if c := rep.ChosenTable(); c != nil {
		ts, names = append(ts, c), append(names, "chosen_on_validation.csv")
	}
	ts, names = append(ts, rep.TargetTable()), append(names, "time_to_target.csv")
	if e := rep.EqualTimeTable(); e != nil {
		ts, names = append(ts, e), append(names, "time_at_equal_accuracy.csv")
	}
	if s := rep.SeparateRunsTable(); s != nil {
		ts, names = append(ts, s), append(names, "separate_runs.csv")
	}
	dt, dn := rep.DiminishTables()
	ts, names = append(ts, dt...), append(names, dn...)
	if u := rep.UnfinishedTable(); u != nil {
		ts, names = append(ts, u), append(names, "not_aggregated.csv")
	}
	return ts, names
}

// Tables returns the report's tables in print order (see namedTables):
// comparison, Δ vs STL, the configurations chosen on validation (when there
// was a choice), time to target, time at equal accuracy, separate runs and
// Diminish heat maps (when they apply), and the not-aggregated runs when
// there are any.
func (rep *SweepReport) Tables() []*Table {
	ts, _ := rep.namedTables()
	return ts
}

// Format is an output format of a report.
type Format string

// Report formats.
const (
	FormatTerminal Format = "terminal"
	FormatMarkdown Format = "markdown"
	FormatCSV      Format = "csv"
	FormatLaTeX    Format = "latex"
)

// ParseFormat reads a format name ("md" and "tex" are accepted too).
func ParseFormat(s string) (Format, error) {
	switch s {
	case "terminal":
		return FormatTerminal, nil
	case "markdown", "md":
		return FormatMarkdown, nil
	case "csv":
		return FormatCSV, nil
	case "latex", "tex":
		return FormatLaTeX, nil
	}
	return "", fmt.Errorf("format %q: valid formats are terminal, markdown, csv, latex", s)
}

// Write prints every table in format f; CSV tables are preceded by a
// "# title" line and separated by blank lines.
func (rep *SweepReport) Write(w io.Writer, f Format) error {
	switch f {
	case FormatTerminal:
		return rep.WriteTerminal(w)
	case FormatMarkdown:
		return rep.WriteMarkdown(w)
	case FormatLaTeX:
		return rep.WriteLaTeX(w)
	case FormatCSV:
		for i, t := range rep.Tables() {
			if i > 0 {
				if _, err := fmt.Fprintln(w); err != nil {
					return err
				}
			}
			if _, err := fmt.Fprintf(w, "# %s\n", t.Title); err != nil {
				return err
			}
			if err := t.WriteCSV(w); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("report format %q: valid formats are terminal, markdown, csv, latex", f)
}

// WriteTerminal prints every table for a terminal, separated by blank lines.
func (rep *SweepReport) WriteTerminal(w io.Writer) error {
	return rep.writeAll(w, (*Table).WriteTerminal)
}

// WriteMarkdown prints every table as Markdown.
func (rep *SweepReport) WriteMarkdown(w io.Writer) error {
	return rep.writeAll(w, (*Table).WriteMarkdown)
}

// WriteLaTeX prints every table as a LaTeX tabular.
func (rep *SweepReport) WriteLaTeX(w io.Writer) error {
	return rep.writeAll(w, (*Table).WriteLaTeX)
}

func (rep *SweepReport) writeAll(w io.Writer, write func(*Table, io.Writer) error) error {
	for i, t := range rep.Tables() {
		if i > 0 {
			if _, err := fmt.Fprintln(w); err != nil {
				return err
			}
		}
		if err := write(t, w); err != nil {
			return err
		}
	}
	return nil
}

// WriteCSVFiles writes comparison.csv, delta_vs_stl.csv,
// chosen_on_validation.csv (when there was a choice), time_to_target.csv
// (and not_aggregated.csv when needed) into dir, atomically, and returns the
// paths.
func (rep *SweepReport) WriteCSVFiles(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("write report csv: %w", err)
	}
	ts, names := rep.namedTables()
	var paths []string
	for i, t := range ts {
		var b strings.Builder
		if err := t.WriteCSV(&b); err != nil {
			return paths, fmt.Errorf("write report csv %s: %w", names[i], err)
		}
		p := filepath.Join(dir, names[i])
		if err := WriteFileAtomic(p, []byte(b.String())); err != nil {
			return paths, fmt.Errorf("write report csv: %w", err)
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// WriteOptions tunes WriteSweepReport.
type WriteOptions struct {
	// Preamble is a sentence put before the tables of report.md and
	// report.tex (e.g. the setting every configuration trains); may be empty.
	Preamble string
	// Plots, when not nil, draws the report's figures into dir and returns
	// their paths (package results/plots provides them: plots.All). It is a
	// function so that results does not depend on its plots sub-package.
	Plots func(dir string, rep *SweepReport) ([]string, error)
}

// WriteSweepReport writes the report's files into out (created when
// missing): report.md, report.tex, one CSV file per table (WriteCSVFiles)
// and the plots, each atomically. It returns the paths written, also when it
// stops at an error.
func WriteSweepReport(out string, rep *SweepReport, opts WriteOptions) ([]string, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("write report: %w", err)
	}
	var written []string
	for _, f := range []struct {
		name   string
		write  func(io.Writer) error
		format func(string) string
	}{
		{"report.md", rep.WriteMarkdown, func(s string) string { return s + "\n\n" }},
		{"report.tex", rep.WriteLaTeX, func(s string) string { return "% " + s + "\n" }},
	} {
		var b strings.Builder
		if opts.Preamble != "" {
			b.WriteString(f.format(opts.Preamble))
		}
		if err := f.write(&b); err != nil {
			return written, fmt.Errorf("write report %s: %w", f.name, err)
		}
		p := filepath.Join(out, f.name)
		if err := WriteFileAtomic(p, []byte(b.String())); err != nil {
			return written, fmt.Errorf("write report: %w", err)
		}
		written = append(written, p)
	}
	csvs, err := rep.WriteCSVFiles(out)
	written = append(written, csvs...)
	if err != nil {
		return written, err
	}
	if opts.Plots != nil {
		ps, err := opts.Plots(out, rep)
		written = append(written, ps...)
		if err != nil {
			return written, fmt.Errorf("write report plots: %w", err)
		}
	}
	return written, nil
}

func numericFrom(n, from int) []bool {
	out := make([]bool, n)
	for i := from; i < n; i++ {
		out[i] = true
	}
	return out
}

// formatMeanCI prints "mean [low, high]" (digits < 0: by the unit's magnitude).
func formatMeanCI(u Unit, s Summary, digits int) string {
	if !s.Valid() {
		return Missing
	}
	d := digits
	if d < 0 {
		d = decimals(u, s.Mean)
	}
	m := fmt.Sprintf("%.*f", d, s.Mean)
	if math.IsNaN(s.CILow) {
		return m
	}
	return m + " " + formatInterval(d, s.CILow, s.CIHigh, false)
}

func formatSpeedup(iv Interval, isReference bool) string {
	if isReference {
		return "reference"
	}
	if iv.Undefined {
		return Missing
	}
	s := infOr(iv.Value, 2) + "×"
	if iv.HasInterval() {
		s += fmt.Sprintf(" [%.2f, %s]", iv.Low, infOr(iv.High, 2))
	}
	return s
}

// formatSaved prints the time saved, 1 − 1/speed-up, as a percentage.
func formatSaved(iv Interval, isReference bool) string {
	if isReference {
		return "reference"
	}
	if iv.Undefined {
		return Missing
	}
	saved := func(s float64) string {
		if s <= 0 {
			return "-∞" // a speed-up bound ≤ 0 means no lower limit on the time saved
		}
		return percent(1 - 1/s)
	}
	out := saved(iv.Value) + "%"
	if iv.HasInterval() {
		out += " [" + saved(iv.Low) + ", " + saved(iv.High) + "]"
	}
	return out
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
