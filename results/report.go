package results

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// DefaultTargetFraction is the default time-to-target threshold as a
// fraction of STL's mean best validation accuracy (99% of STL's best).
const DefaultTargetFraction = 0.99

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
}

// GroupReport is one group's line of a sweep report.
type GroupReport struct {
	Group *Group
	// Test summarises the primary test metric (Final[Metric]).
	Test Summary
	// DeltaVsSTL is mean(test) − mean(STL test) with Welch's t interval;
	// Undefined for the STL group itself or when there is no STL group.
	DeltaVsSTL Interval
	STL, MTL   *Group // the reference groups used (nil when none)

	// Hits holds each finished run's time to target, in Group.Runs order.
	Hits []TargetHit
	// Reached counts the runs in Hits that reached the target.
	Reached int
	// EpochToTarget and SecondsToTarget summarise the runs that reached it.
	EpochToTarget, SecondsToTarget Summary
	// SpeedupVsSTL is mean STL seconds-to-target / mean seconds-to-target of
	// this group, over runs that reached it, with Fieller's interval (see the
	// package doc). Undefined for the reference itself.
	SpeedupVsSTL, SpeedupVsMTL Interval
}

// SweepReport is the aggregated view of a results directory: groups over
// seeds, Δ of the primary test metric vs STL, and time to target with
// speed-ups vs STL and MTL.
type SweepReport struct {
	Metric     string
	Target     float64 // NaN when no target could be set
	TargetNote string  // how Target was chosen
	Columns    []Column
	Groups     []*Group
	Rows       []GroupReport // one per group, same order
	Unfinished []*Record     // runs with Status != done: listed, not aggregated
	Problems   []FileError   // unreadable files (from ReportDir)
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
	groups := GroupRecords(records)
	rep := &SweepReport{Metric: metric, Columns: cols, Groups: groups}
	for _, g := range groups {
		rep.Unfinished = append(rep.Unfinished, g.Unfinished...)
	}
	rep.Target, rep.TargetNote = chooseTarget(groups, metric, opts.Target, frac)

	testCol := FinalMetricColumn("test_"+metric, "test "+metric, metric)
	for _, g := range groups {
		row := GroupReport{Group: g, Test: g.Summarize(testCol), DeltaVsSTL: undefinedInterval(),
			SpeedupVsSTL: undefinedInterval(), SpeedupVsMTL: undefinedInterval()}
		row.STL = referenceGroup(groups, g, (*Group).IsSTL)
		row.MTL = referenceGroup(groups, g, (*Group).IsMTL)
		if row.STL != nil && row.STL != g {
			row.DeltaVsSTL = welchDifference(g.Values(testCol), row.STL.Values(testCol))
		}
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
			if row.STL != nil && row.STL != g {
				row.SpeedupVsSTL = ratioOfMeans(secondsToTarget(row.STL, metric, rep.Target), secs)
			}
			if row.MTL != nil && row.MTL != g {
				row.SpeedupVsMTL = ratioOfMeans(secondsToTarget(row.MTL, metric, rep.Target), secs)
			}
		}
		rep.Rows = append(rep.Rows, row)
	}
	return rep
}

// chooseTarget returns the given target, or frac × the mean over finished
// STL runs of each run's best validation value.
func chooseTarget(groups []*Group, metric string, given, frac float64) (float64, string) {
	if given > 0 {
		return given, fmt.Sprintf("target validation %s ≥ %.4g (given)", metric, given)
	}
	var bests []float64
	for _, g := range groups {
		if !g.IsSTL() {
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

func secondsToTarget(g *Group, metric string, target float64) []float64 {
	var secs []float64
	for _, r := range g.Runs {
		if h := r.TimeToTarget(metric, target); h.Reached {
			secs = append(secs, h.Seconds)
		}
	}
	return secs
}

// ComparisonTable is the report's comparison table (mean ± std over seeds).
func (rep *SweepReport) ComparisonTable() *Table {
	return ComparisonTableWith(rep.Groups, TableOptions{Columns: rep.Columns})
}

// DeltaTable shows the primary test metric with its 95% interval and its
// difference from STL with Welch's interval.
func (rep *SweepReport) DeltaTable() *Table {
	m := rep.Metric
	showSetting := anySetting(rep.Groups)
	t := &Table{Title: fmt.Sprintf("Test %s vs STL (95%% confidence intervals)", m)}
	t.Header = []string{"strategy"}
	if showSetting {
		t.Header = append(t.Header, "setting")
	}
	lead := len(t.Header)
	t.Header = append(t.Header, "runs", "test "+m, "95% CI", "Δ vs STL", "Δ 95% CI")
	t.Numeric = numericFrom(len(t.Header), lead)
	t.CSVHeader = []string{"label", "setting", "runs", "test_mean", "test_std", "test_ci95_low", "test_ci95_high",
		"delta_vs_stl", "delta_ci95_low", "delta_ci95_high", "delta_df", "stl_label", "stl_setting"}
	var testMeans, deltas []float64
	for _, row := range rep.Rows {
		g := row.Group
		cells := []Cell{{Text: g.Label}}
		if showSetting {
			cells = append(cells, Cell{Text: g.Setting})
		}
		delta, deltaCI := Missing, Missing
		switch {
		case row.STL == g:
			delta = "reference"
		case !row.DeltaVsSTL.Undefined:
			delta = fmt.Sprintf("%+.3f", row.DeltaVsSTL.Value)
			deltaCI = formatInterval(3, row.DeltaVsSTL.Low, row.DeltaVsSTL.High, true)
		}
		cells = append(cells,
			Cell{Text: runsText(g)},
			Cell{Text: formatValue(Fraction, row.Test.Mean)},
			Cell{Text: formatInterval(3, row.Test.CILow, row.Test.CIHigh, false)},
			Cell{Text: delta}, Cell{Text: deltaCI})
		t.Rows = append(t.Rows, cells)
		testMeans = append(testMeans, row.Test.Mean)
		deltas = append(deltas, row.DeltaVsSTL.Value)
		stlLabel, stlSetting := "", ""
		if row.STL != nil {
			stlLabel, stlSetting = row.STL.Label, row.STL.Setting
		}
		t.CSVRows = append(t.CSVRows, []string{g.Label, g.Setting, strconv.Itoa(len(g.Runs)),
			csvFloat(row.Test.Mean), csvFloat(row.Test.Std), csvFloat(row.Test.CILow), csvFloat(row.Test.CIHigh),
			csvFloat(row.DeltaVsSTL.Value), csvFloat(row.DeltaVsSTL.Low), csvFloat(row.DeltaVsSTL.High), csvFloat(row.DeltaVsSTL.DF),
			stlLabel, stlSetting})
	}
	markBest(t.Rows, lead+1, testMeans, HigherIsBetter)
	markBest(t.Rows, lead+3, deltas, HigherIsBetter)
	t.Notes = []string{
		"95% CI: Student-t interval of the mean over seeds. Δ = mean − STL mean (STL of the same setting, else the first STL group), with Welch's t interval (Welch–Satterthwaite df); an interval excluding 0 is a difference at the 5% level.",
		"Best per column marked (* in the terminal, bold in Markdown).",
	}
	return t
}

// TargetTable shows, per group, how many runs reached the target, the
// epoch and training seconds to reach it, and the speed-ups vs STL and MTL.
func (rep *SweepReport) TargetTable() *Table {
	showSetting := anySetting(rep.Groups)
	t := &Table{Title: "Time to target: " + rep.TargetNote}
	t.Header = []string{"strategy"}
	if showSetting {
		t.Header = append(t.Header, "setting")
	}
	lead := len(t.Header)
	t.Header = append(t.Header, "reached", "epoch to target", "seconds to target", "speed-up vs STL", "time saved vs STL", "speed-up vs MTL", "time saved vs MTL")
	t.Numeric = numericFrom(len(t.Header), lead)
	t.CSVHeader = []string{"label", "setting", "runs", "reached", "target",
		"epoch_mean", "epoch_std", "epoch_ci95_low", "epoch_ci95_high",
		"seconds_mean", "seconds_std", "seconds_ci95_low", "seconds_ci95_high",
		"speedup_vs_stl", "speedup_vs_stl_ci95_low", "speedup_vs_stl_ci95_high",
		"speedup_vs_mtl", "speedup_vs_mtl_ci95_low", "speedup_vs_mtl_ci95_high"}
	if math.IsNaN(rep.Target) {
		t.Notes = []string{rep.TargetNote}
		return t
	}
	var fracs, epochs, secs, spSTL, spMTL []float64
	for _, row := range rep.Rows {
		g := row.Group
		cells := []Cell{{Text: g.Label}}
		if showSetting {
			cells = append(cells, Cell{Text: g.Setting})
		}
		cells = append(cells,
			Cell{Text: fmt.Sprintf("%d/%d", row.Reached, len(row.Hits))},
			Cell{Text: formatMeanCI(Fraction, row.EpochToTarget, 1)},
			Cell{Text: formatMeanCI(Seconds, row.SecondsToTarget, -1)},
			Cell{Text: formatSpeedup(row.SpeedupVsSTL, row.STL == g)},
			Cell{Text: formatSaved(row.SpeedupVsSTL, row.STL == g)},
			Cell{Text: formatSpeedup(row.SpeedupVsMTL, row.MTL == g)},
			Cell{Text: formatSaved(row.SpeedupVsMTL, row.MTL == g)},
		)
		t.Rows = append(t.Rows, cells)
		frac := math.NaN()
		if len(row.Hits) > 0 {
			frac = float64(row.Reached) / float64(len(row.Hits))
		}
		fracs = append(fracs, frac)
		epochs = append(epochs, row.EpochToTarget.Mean)
		secs = append(secs, row.SecondsToTarget.Mean)
		spSTL = append(spSTL, row.SpeedupVsSTL.Value)
		spMTL = append(spMTL, row.SpeedupVsMTL.Value)
		t.CSVRows = append(t.CSVRows, []string{g.Label, g.Setting, strconv.Itoa(len(row.Hits)), strconv.Itoa(row.Reached), csvFloat(rep.Target),
			csvFloat(row.EpochToTarget.Mean), csvFloat(row.EpochToTarget.Std), csvFloat(row.EpochToTarget.CILow), csvFloat(row.EpochToTarget.CIHigh),
			csvFloat(row.SecondsToTarget.Mean), csvFloat(row.SecondsToTarget.Std), csvFloat(row.SecondsToTarget.CILow), csvFloat(row.SecondsToTarget.CIHigh),
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
		"reached = runs whose validation " + rep.Metric + " reached the target at some epoch / finished runs. Epoch and seconds to target: mean [95% Student-t CI] over the runs that reached it; seconds = cumulative training time (evaluation excluded) at that epoch.",
		"speed-up = mean seconds-to-target of the reference / this row's, [Fieller 95% CI, Welch–Satterthwaite df]; no bounds when fewer than 2 runs reached the target or Fieller's set is unbounded. time saved = 1 − 1/speed-up (the paper's \"x% less time\"). Reference = the STL (MTL) group of the same setting, else the first one.",
		"Best per column marked (* in the terminal, bold in Markdown).",
	}
	return t
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

// Tables returns the report's tables in print order: comparison, Δ vs STL,
// time to target, and the not-aggregated runs when there are any.
func (rep *SweepReport) Tables() []*Table {
	ts := []*Table{rep.ComparisonTable(), rep.DeltaTable(), rep.TargetTable()}
	if u := rep.UnfinishedTable(); u != nil {
		ts = append(ts, u)
	}
	return ts
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

// WriteCSVFiles writes comparison.csv, delta_vs_stl.csv, time_to_target.csv
// (and not_aggregated.csv when needed) into dir, atomically, and returns the
// paths.
func (rep *SweepReport) WriteCSVFiles(dir string) ([]string, error) {
	names := []string{"comparison.csv", "delta_vs_stl.csv", "time_to_target.csv", "not_aggregated.csv"}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("write report csv: %w", err)
	}
	var paths []string
	for i, t := range rep.Tables() {
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
	s := fmt.Sprintf("%.2f×", iv.Value)
	if iv.HasInterval() {
		s += fmt.Sprintf(" [%.2f, %.2f]", iv.Low, iv.High)
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
		return fmt.Sprintf("%.0f", 100*(1-1/s))
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
