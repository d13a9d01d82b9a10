package results

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// The tables of this file test the time claims of MT2ST (arXiv 2406.18038):
// total training time at equal accuracy against STL and MTL, multi-task
// training against separate single-task runs, and the Diminish decay grid.

// primaryTask is the primary task (Tasks[0]) of the first group with a
// value of the primary test column; "" when no such group names its tasks.
func primaryTask(groups []*Group, test Column) string {
	for _, g := range groups {
		if len(g.Values(test)) > 0 {
			if p := g.PrimaryTask(); p != "" {
				return p
			}
		}
	}
	return ""
}

// markAside returns the groups whose primary task is not primary (e.g.
// `tasks: [similarity]` in a sentiment sweep) and relabels them so that no
// table shows them as a second "STL": a group that trains one task alone
// has its leading "STL" replaced by "<task> alone" (a sweep's swept values
// after it are kept) or, without one, "(<task> alone)" appended; another
// gets "[primary <task>]" appended.
func markAside(groups []*Group, primary string) map[*Group]bool {
	aside := map[*Group]bool{}
	if primary == "" {
		return aside
	}
	for _, g := range groups {
		p := g.PrimaryTask()
		if p == "" || p == primary {
			continue
		}
		aside[g] = true
		switch {
		case len(groupTasks(g)) == 1 && strings.HasPrefix(g.Label, "STL"):
			g.Label = p + " alone" + strings.TrimPrefix(g.Label, "STL")
		case len(groupTasks(g)) == 1:
			g.Label += " (" + p + " alone)"
		default:
			g.Label += " [primary " + p + "]"
		}
	}
	return aside
}

// groupTasks is the task list of the group's first run (finished first).
func groupTasks(g *Group) []string {
	for _, rs := range [][]*Record{g.Runs, g.Unfinished} {
		if len(rs) > 0 {
			return rs[0].Tasks
		}
	}
	return nil
}

// colLogTrainSeconds is log(Record.TrainSeconds), for time ratios.
var colLogTrainSeconds = Column{Key: "log_train_seconds", Header: "log train time", Better: LowerIsBetter, Unit: Fraction,
	Value: func(r *Record) (float64, bool) {
		if !(r.TrainSeconds > 0) {
			return 0, false
		}
		return math.Log(r.TrainSeconds), true
	}}

// TimeRatio is the ratio of total training seconds (Record.TrainSeconds,
// evaluation excluded) of g over ref, estimated on log seconds with DeltaVs
// and back-transformed: when every run pairs with ref's run of the same
// replicate (at least two pairs), the geometric mean of the per-pair ratios
// with the Student-t interval of the mean log ratio (DeltaPaired); else
// the ratio of geometric means with Welch's interval on the logs
// (DeltaWelch); one run each: the bare ratio (DeltaSingle). Undefined
// without ref, for ref itself, or without times.
func TimeRatio(g, ref *Group) Delta {
	d, _ := DeltaVs(g, ref, colLogTrainSeconds, false) // without McNemar DeltaVs has no error
	if d.Undefined {
		return d
	}
	d.Value, d.Low, d.High = math.Exp(d.Value), math.Exp(d.Low), math.Exp(d.High)
	return d
}

// Equivalence is the verdict on a Δ of the primary test metric against an
// equivalence margin m.
type Equivalence int

// Values of Equivalence, in the order they are tested.
const (
	// EquivNone: no Δ, or no interval (single runs).
	EquivNone Equivalence = iota
	// EquivEqual: the Δ 95% interval lies inside [−m, +m] (an interval that
	// also excludes 0 is still equal: the difference is below the margin).
	EquivEqual
	// EquivBetter and EquivWorse: the interval excludes 0, and is not inside ±m.
	EquivBetter
	EquivWorse
	// EquivNotShown: the interval contains 0 but reaches beyond ±m.
	EquivNotShown
)

// EquivalenceOf tests d's 95% interval against ±margin.
func EquivalenceOf(d Delta, margin float64) Equivalence {
	switch {
	case d.Undefined || !d.HasInterval():
		return EquivNone
	case d.Low >= -margin && d.High <= margin:
		return EquivEqual
	case d.Low > 0:
		return EquivBetter
	case d.High < 0:
		return EquivWorse
	}
	return EquivNotShown
}

func formatEquivalence(e Equivalence, margin float64, d Delta) string {
	switch e {
	case EquivEqual:
		return fmt.Sprintf("equal (±%g)", margin)
	case EquivBetter:
		return "better"
	case EquivWorse:
		return "worse"
	case EquivNotShown:
		return "not shown equal"
	}
	if !d.Undefined {
		return "no interval"
	}
	return Missing
}

// formatRatio prints a time ratio "0.33× [0.30, 0.36]", "†" after a Welch
// interval.
func formatRatio(d Delta, isReference bool) string {
	switch {
	case isReference:
		return "reference"
	case d.Undefined:
		return Missing
	}
	s := fmt.Sprintf("%.2f×", d.Value)
	if d.HasInterval() {
		s += fmt.Sprintf(" [%.2f, %.2f]", d.Low, d.High)
	}
	if d.Method == DeltaWelch {
		s += WelchMarker
	}
	return s
}

// formatRatioSaved prints 1 − ratio as a percentage with its interval
// [1 − high, 1 − low]: "67% [64, 70]".
func formatRatioSaved(d Delta, isReference bool) string {
	switch {
	case isReference:
		return "reference"
	case d.Undefined:
		return Missing
	}
	s := percent(1-d.Value) + "%"
	if d.HasInterval() {
		s += " [" + percent(1-d.High) + ", " + percent(1-d.Low) + "]"
	}
	return s
}

// percent prints 100·v rounded to an integer, never "-0".
func percent(v float64) string {
	r := math.Round(100 * v)
	if r == 0 {
		r = 0 // drops the sign of −0
	}
	return strconv.FormatFloat(r, 'f', 0, 64)
}

func deltaCSV(d Delta) []string {
	method := ""
	if d.Method != DeltaNone {
		method = d.Method.String()
	}
	return []string{csvFloat(d.Value), csvFloat(d.Low), csvFloat(d.High), method, strconv.Itoa(d.Pairs)}
}

// ratioNote defines the time-ratio and time-saved columns.
const ratioNote = "time vs X = total training seconds (the comparison table's train time: all training epochs, evaluation excluded) of the row / of X: with every run paired with X's run of the same replicate (same seed and data), the geometric mean of the per-pair ratios [95% Student-t interval of the mean log ratio, n_pairs − 1 df, back-transformed]; " + WelchMarker + " = the replicates could not all be paired: ratio of geometric means [Welch's t interval on log seconds]; one run each: the bare ratio. saved vs X = 1 − ratio (the paper's \"x% less time\"), its interval [1 − upper, 1 − lower]; negative = more time than X."

// EqualTimeTable is the total time at equal accuracy (the paper's time
// claim): for every group other than STL, the Δ of the primary test metric
// vs STL and vs MTL with its 95% interval, the equivalence verdict against
// ±EqualMargin, and the total training time ratio and time saved vs each.
// Nil when no group has an STL or MTL reference besides itself.
func (rep *SweepReport) EqualTimeTable() *Table {
	var rows []GroupReport
	for _, row := range rep.Rows {
		g := row.Group
		if row.Aside || row.STL == g {
			continue
		}
		if (row.STL != nil && row.STL != g) || (row.MTL != nil && row.MTL != g) {
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	m, margin := rep.Metric, rep.EqualMargin
	showSetting := anySetting(rep.Groups)
	t := &Table{Title: fmt.Sprintf("Total training time at equal test %s (equivalence margin ±%g)", m, margin)}
	t.Header = []string{"strategy"}
	if showSetting {
		t.Header = append(t.Header, "setting")
	}
	lead := len(t.Header)
	t.Header = append(t.Header, "runs",
		"Δ "+m+" vs STL", m+" vs STL", "time vs STL", "saved vs STL",
		"Δ "+m+" vs MTL", m+" vs MTL", "time vs MTL", "saved vs MTL")
	t.Numeric = numericFrom(len(t.Header), lead)
	t.Numeric[lead+2], t.Numeric[lead+6] = false, false
	t.CSVHeader = []string{"label", "setting", "runs", "margin"}
	for _, ref := range []string{"stl", "mtl"} {
		d, r, v := "delta_vs_"+ref, "time_ratio_vs_"+ref, "saved_vs_"+ref
		t.CSVHeader = append(t.CSVHeader, ref+"_label",
			d, d+"_ci95_low", d+"_ci95_high", d+"_method", d+"_pairs", "equivalence_vs_"+ref, "equal_margin_needed_vs_"+ref,
			r, r+"_ci95_low", r+"_ci95_high", r+"_method", r+"_pairs",
			v, v+"_ci95_low", v+"_ci95_high")
	}
	for _, row := range rows {
		g := row.Group
		cells := []Cell{{Text: g.Label}}
		if showSetting {
			cells = append(cells, Cell{Text: g.Setting})
		}
		cells = append(cells, Cell{Text: runsText(g)})
		csv := []string{g.Label, g.Setting, strconv.Itoa(len(g.Runs)), csvFloat(margin)}
		for _, vs := range []struct {
			ref          *Group
			delta, ratio Delta
		}{{row.STL, row.DeltaVsSTL, row.TimeVsSTL}, {row.MTL, row.DeltaVsMTL, row.TimeVsMTL}} {
			isRef := vs.ref == g
			e := EquivalenceOf(vs.delta, margin)
			verdict := formatEquivalence(e, margin, vs.delta)
			if isRef {
				verdict = "reference"
			}
			cells = append(cells, Cell{Text: formatDelta(vs.delta, isRef)}, Cell{Text: verdict},
				Cell{Text: formatRatio(vs.ratio, isRef)}, Cell{Text: formatRatioSaved(vs.ratio, isRef)})
			label := ""
			if vs.ref != nil {
				label = vs.ref.Label
			}
			verdictCSV := ""
			if !isRef && e != EquivNone {
				verdictCSV = verdict
			}
			csv = append(csv, label)
			csv = append(csv, deltaCSV(vs.delta)...)
			needed := math.NaN() // the smallest margin the Δ interval lies inside
			if !isRef && vs.delta.HasInterval() {
				needed = math.Max(math.Abs(vs.delta.Low), math.Abs(vs.delta.High))
			}
			csv = append(csv, verdictCSV, csvFloat(needed))
			csv = append(csv, deltaCSV(vs.ratio)...)
			csv = append(csv, csvFloat(1-vs.ratio.Value), csvFloat(1-vs.ratio.High), csvFloat(1-vs.ratio.Low))
		}
		t.Rows = append(t.Rows, cells)
		t.CSVRows = append(t.CSVRows, csv)
	}
	t.Notes = []string{
		"Δ " + m + " vs X = mean test " + m + " − X's, with its 95% interval as in the Δ table (paired t over replicates; " + WelchMarker + " = Welch). X = STL (MTL): the STL (MTL) group of the same primary task, protocol, encoder and setting, else the first one.",
		fmt.Sprintf("%s vs X is an equivalence test (two one-sided tests, each at the 2.5%% level): \"equal (±%g)\" = the Δ 95%% interval lies inside ±%g (set with --equal-margin), even when it excludes 0 (the CSV's equal_margin_needed is the smallest margin a row's interval lies inside); \"better\"/\"worse\" = the interval excludes 0 and reaches beyond the margin; \"not shown equal\" = it contains 0 but reaches beyond the margin (too few or too noisy runs to tell); \"no interval\" = one run each.", m, margin, margin),
		ratioNote,
		"Nothing is marked best: the accuracy columns are test numbers. A claim \"x% less time at equal accuracy\" holds for a row only where it reads \"equal\" and the saved interval lies above 0.",
	}
	if n := sharedPrefixNote(rows); n != "" {
		t.Notes = append(t.Notes, n)
	}
	return t
}

// aloneGroups are the report's groups that train a single task other than
// the primary (Aside with one task).
func (rep *SweepReport) aloneGroups() []*Group {
	var out []*Group
	for _, row := range rep.Rows {
		if row.Aside && len(row.Group.Runs) > 0 && len(groupTasks(row.Group)) == 1 {
			out = append(out, row.Group)
		}
	}
	return out
}

func configString(g *Group, key string) string {
	if len(g.Runs) == 0 {
		return ""
	}
	return fmt.Sprint(g.Runs[0].Config[key])
}

// AuxQuality compares one auxiliary metric of a multi-task group with the
// separate runs'.
type AuxQuality struct {
	Metric string // e.g. "similarity/spearman_mean"
	Group  Summary
	// From is the separate run the comparison uses: the alone group of the
	// task that trains the metric (similarity for "similarity/…"), else the
	// separate run with the highest mean; nil when none has the metric.
	From     *Group
	Separate Summary
	Delta    Delta // group − From (paired t / Welch, as DeltaVs)
}

// SeparateRuns compares one multi-task group with its tasks trained as
// separate single-task runs.
type SeparateRuns struct {
	Row *GroupReport
	// Parts are the separate runs: the primary task's STL group, then one
	// group per auxiliary task that trains it alone (same protocol).
	Parts []*Group
	// Time is the ratio of the group's total training seconds over the
	// separate runs' sum (see SeparateTime).
	Time Delta
	Aux  []AuxQuality
}

// AuxMetric is an auxiliary quality metric of the separate-runs table: its
// Record.Final key, whose part before "/" is the task that trains it, and
// its table heading.
type AuxMetric struct{ Metric, Header string }

// AuxMetrics are the auxiliary quality metrics the separate-runs table
// compares, headed as in the comparison table.
var AuxMetrics = []AuxMetric{{"similarity/spearman_mean", ColSpearman.Header}, {"analogy/3cosadd", ColAnalogy.Header}}

// SeparateRunsRows returns, for every multi-task group (two or more tasks,
// of the primary task) with an STL reference and, for each of its auxiliary
// tasks, a group of the same protocol that trains that task alone, the
// comparison with those separate runs. Empty when the report has none.
func (rep *SweepReport) SeparateRunsRows() []SeparateRuns {
	alone := rep.aloneGroups()
	if len(alone) == 0 {
		return nil
	}
	var out []SeparateRuns
	for i := range rep.Rows {
		row := &rep.Rows[i]
		g := row.Group
		tasks := groupTasks(g)
		if row.Aside || row.STL == nil || row.STL == g || len(tasks) < 2 || len(g.Runs) == 0 {
			continue
		}
		parts := []*Group{row.STL}
		for _, aux := range tasks[1:] {
			var found *Group
			for _, a := range alone {
				if a.PrimaryTask() == aux && configString(a, "protocol") == configString(g, "protocol") {
					found = a
					break
				}
			}
			if found == nil {
				parts = nil
				break
			}
			parts = append(parts, found)
		}
		if parts == nil {
			continue
		}
		s := SeparateRuns{Row: row, Parts: parts, Time: TimeRatio(g, separateTotals(parts))}
		for _, am := range AuxMetrics {
			metric := am.Metric
			col := FinalMetricColumn(metric, metric, metric)
			q := AuxQuality{Metric: metric, Group: g.Summarize(col), Separate: Summarize(nil), Delta: noDelta()}
			task, _, _ := strings.Cut(metric, "/")
			for _, p := range parts[1:] {
				if p.PrimaryTask() == task && len(p.Values(col)) > 0 {
					q.From = p
				}
			}
			if q.From == nil {
				for _, p := range parts {
					if ps := p.Summarize(col); ps.Valid() && (q.From == nil || ps.Mean > q.From.Summarize(col).Mean) {
						q.From = p
					}
				}
			}
			if q.From != nil {
				q.Separate = q.From.Summarize(col)
				q.Delta, _ = DeltaVs(g, q.From, col, false)
			}
			s.Aux = append(s.Aux, q)
		}
		out = append(out, s)
	}
	return out
}

// separateTotals is a group of one synthetic run per replicate whose
// training seconds are the sum of that replicate's runs over parts; only
// replicates every part has exactly once are summed.
func separateTotals(parts []*Group) *Group {
	total := &Group{GroupKey: GroupKey{Label: "separate runs"}}
	if len(parts) == 0 {
		return total
	}
	indexes := make([]map[int64]keyed, len(parts))
	for i, p := range parts {
		_, indexes[i] = keyedValues(p, ColTrainSeconds)
	}
	first, _ := keyedValues(parts[0], ColTrainSeconds)
	for _, k := range first {
		key := k.r.ReplicateKey()
		sum, ok := 0.0, true
		for _, idx := range indexes {
			v, has := idx[key]
			ok = ok && has
			sum += v.v
		}
		if ok {
			total.Runs = append(total.Runs, &Record{ID: fmt.Sprintf("separate-%d", key), Seed: key, Status: StatusDone, TrainSeconds: sum})
		}
	}
	return total
}

// SeparateRunsTable shows each multi-task group against separate single-
// task runs (the paper's claim b): total training time vs STL of the
// primary task plus each auxiliary task trained alone, the primary Δ vs
// STL, and each auxiliary metric of the group vs the separate runs'. Nil
// when the report has no such comparison.
func (rep *SweepReport) SeparateRunsTable() *Table {
	rows := rep.SeparateRunsRows()
	if len(rows) == 0 {
		return nil
	}
	m := rep.Metric
	showSetting := anySetting(rep.Groups)
	t := &Table{Title: "Multi-task training vs separate single-task runs"}
	t.Header = []string{"strategy"}
	if showSetting {
		t.Header = append(t.Header, "setting")
	}
	lead := len(t.Header)
	t.Header = append(t.Header, "runs", "separate runs", "steps: multi-task / separate", "time vs separate", "saved vs separate", "Δ test "+m+" vs STL")
	for _, am := range AuxMetrics {
		t.Header = append(t.Header, am.Header, am.Header+" separate", "Δ "+am.Header)
	}
	t.Numeric = numericFrom(len(t.Header), lead)
	t.Numeric[lead+1], t.Numeric[lead+2] = false, false
	t.CSVHeader = []string{"label", "setting", "runs", "separate_runs", "steps", "time_ratio", "ratio_ci95_low", "ratio_ci95_high", "ratio_method", "ratio_pairs",
		"saved", "saved_ci95_low", "saved_ci95_high", "delta_vs_stl", "delta_ci95_low", "delta_ci95_high", "delta_method", "delta_pairs"}
	for _, am := range AuxMetrics {
		k := strings.ReplaceAll(am.Metric, "/", "_")
		t.CSVHeader = append(t.CSVHeader, k+"_mean", k+"_ci95_low", k+"_ci95_high", k+"_separate_from", k+"_separate_mean",
			k+"_delta", k+"_delta_ci95_low", k+"_delta_ci95_high", k+"_delta_method")
	}
	for _, s := range rows {
		g := s.Row.Group
		var names []string
		for _, p := range s.Parts {
			names = append(names, p.Label)
		}
		cells := []Cell{{Text: g.Label}}
		if showSetting {
			cells = append(cells, Cell{Text: g.Setting})
		}
		steps := stepsText(s)
		cells = append(cells, Cell{Text: runsText(g)}, Cell{Text: strings.Join(names, " + ")}, Cell{Text: steps},
			Cell{Text: formatRatio(s.Time, false)}, Cell{Text: formatRatioSaved(s.Time, false)},
			Cell{Text: formatDelta(s.Row.DeltaVsSTL, false)})
		csv := []string{g.Label, g.Setting, strconv.Itoa(len(g.Runs)), strings.Join(names, " + "), steps}
		csv = append(csv, deltaCSV(s.Time)...)
		csv = append(csv, csvFloat(1-s.Time.Value), csvFloat(1-s.Time.High), csvFloat(1-s.Time.Low))
		csv = append(csv, deltaCSV(s.Row.DeltaVsSTL)...)
		for _, q := range s.Aux {
			from, sep := Missing, Missing
			fromCSV := ""
			if q.From != nil {
				from, fromCSV = q.From.Label, q.From.Label
				sep = formatValue(Fraction, q.Separate.Mean) + " (" + from + ")"
			}
			cells = append(cells, Cell{Text: formatMeanCI(Fraction, q.Group, 3)}, Cell{Text: sep}, Cell{Text: formatDelta(q.Delta, false)})
			d := deltaCSV(q.Delta)
			csv = append(csv, csvFloat(q.Group.Mean), csvFloat(q.Group.CILow), csvFloat(q.Group.CIHigh), fromCSV, csvFloat(q.Separate.Mean),
				d[0], d[1], d[2], d[3])
		}
		t.Rows = append(t.Rows, cells)
		t.CSVRows = append(t.CSVRows, csv)
	}
	t.Notes = []string{
		"separate runs = the primary task's STL group plus, for each auxiliary task of the row, the group (same protocol) that trains that task alone; their time is, per replicate, the sum of the replicate's runs' total training seconds (replicates missing from any of them are left out).",
		"steps: per task, its training steps over all epochs (Epoch.TaskSteps; mean over runs) in the row's runs / in the separate run that trains it; \"?\" = not recorded. The time ratio compares the runs as the sweep configured them: it is a like-for-like cost only where the two counts match.",
		strings.ReplaceAll(ratioNote, "X", "separate"),
		"Δ test " + m + " vs STL as in the Δ table. " + auxNames() + ": the row's embedding on the held-out test pairs and questions (Record.Final), mean [95% Student-t interval]; separate = the mean of the separate run that trains that task alone (similarity alone for Spearman, analogy alone for analogy accuracy), else the best mean over the separate runs, named in brackets; Δ = row − that run (paired t over replicates, " + WelchMarker + " = Welch).",
		"Nothing is marked best: these are test numbers.",
	}
	return t
}

// DiminishGrid is a grid of Diminish configurations that differ only in
// eta (rows) and nu (columns), gamma and everything else fixed.
type DiminishGrid struct {
	Gamma float64
	// Fixed names what the grid's groups share besides gamma: the other
	// strategy parameters, setting, protocol and encoder.
	Fixed string
	Etas  []float64 // ascending
	Nus   []float64 // ascending
	Cells [][]*GroupReport
	Name  string   // file-name part, e.g. "gamma1"
	Left  []string // groups of the same family left out of the rectangle
}

// TestMeans is the mean primary test metric per cell [eta][nu], NaN when
// a cell has no group or no value.
func (d DiminishGrid) TestMeans() [][]float64 {
	return d.values(func(r *GroupReport) float64 { return r.Test.Mean })
}

// SavedVsMTL is the time saved vs MTL per cell, 1 − TimeVsMTL (the
// geometric mean time ratio), NaN when undefined.
func (d DiminishGrid) SavedVsMTL() [][]float64 {
	return d.values(func(r *GroupReport) float64 { return 1 - r.TimeVsMTL.Value })
}

func (d DiminishGrid) values(f func(*GroupReport) float64) [][]float64 {
	out := make([][]float64, len(d.Etas))
	for i := range d.Etas {
		out[i] = make([]float64, len(d.Nus))
		for j := range d.Nus {
			out[i][j] = math.NaN()
			if c := d.Cells[i][j]; c != nil {
				out[i][j] = f(c)
			}
		}
	}
	return out
}

// DiminishGrids finds the report's Diminish decay grids: groups whose
// strategy is "diminish" grouped by everything but eta and nu (gamma, the
// other parameters, setting, protocol, encoder). An eta row or nu column
// with fewer than two groups is dropped (repeatedly), and a family is a
// grid when at least 2 × 2 remain; every remaining cell is then filled.
func (rep *SweepReport) DiminishGrids() []DiminishGrid {
	type cellKey struct{ eta, nu float64 }
	type family struct {
		gamma float64
		cells map[cellKey]*GroupReport
		order []*GroupReport
	}
	var keys []string
	fams := map[string]*family{}
	for i := range rep.Rows {
		row := &rep.Rows[i]
		s := row.Group.Strategy
		if row.Aside || !s.Is("diminish") || len(row.Group.Runs) == 0 {
			continue
		}
		eta, okE := s.Param("eta")
		nu, okN := s.Param("nu")
		if !okE || !okN {
			continue
		}
		gamma, ok := s.Param("gamma")
		if !ok {
			gamma = math.NaN()
		}
		var fixed []string
		for _, p := range s.Params() {
			if p.Key != "eta" && p.Key != "nu" {
				fixed = append(fixed, fmt.Sprintf("%s=%g", p.Key, p.Value))
			}
		}
		for _, k := range []string{"protocol", "encoder"} {
			if v, ok := row.Group.Runs[0].Config[k]; ok {
				fixed = append(fixed, fmt.Sprintf("%s=%v", k, v))
			}
		}
		if row.Group.Setting != "" {
			fixed = append(fixed, "setting "+row.Group.Setting)
		}
		key := strings.Join(fixed, ", ")
		f, ok := fams[key]
		if !ok {
			f = &family{gamma: gamma, cells: map[cellKey]*GroupReport{}}
			fams[key] = f
			keys = append(keys, key)
		}
		ck := cellKey{eta, nu}
		if _, dup := f.cells[ck]; !dup { // a duplicate cell keeps the first group
			f.cells[ck] = row
		}
		f.order = append(f.order, row)
	}
	var out []DiminishGrid
	names := map[string]int{}
	for _, key := range keys {
		f := fams[key]
		etas, nus := map[float64]bool{}, map[float64]bool{}
		for k := range f.cells {
			etas[k.eta], nus[k.nu] = true, true
		}
		for changed := true; changed; {
			changed = false
			for e := range etas {
				n := 0
				for v := range nus {
					if f.cells[cellKey{e, v}] != nil {
						n++
					}
				}
				if n < 2 {
					delete(etas, e)
					changed = true
				}
			}
			for v := range nus {
				n := 0
				for e := range etas {
					if f.cells[cellKey{e, v}] != nil {
						n++
					}
				}
				if n < 2 {
					delete(nus, v)
					changed = true
				}
			}
		}
		if len(etas) < 2 || len(nus) < 2 {
			continue
		}
		g := DiminishGrid{Gamma: f.gamma, Fixed: key, Etas: sortedKeys(etas), Nus: sortedKeys(nus)}
		for _, e := range g.Etas {
			var cells []*GroupReport
			for _, v := range g.Nus {
				cells = append(cells, f.cells[cellKey{e, v}])
			}
			g.Cells = append(g.Cells, cells)
		}
		for _, r := range f.order {
			eta, _ := r.Group.Strategy.Param("eta")
			nu, _ := r.Group.Strategy.Param("nu")
			if !etas[eta] || !nus[nu] {
				g.Left = append(g.Left, r.Group.Label)
			}
		}
		base := "gamma" + strconv.FormatFloat(f.gamma, 'g', -1, 64)
		names[base]++
		g.Name = base
		if names[base] > 1 {
			g.Name = fmt.Sprintf("%s_%d", base, names[base])
		}
		out = append(out, g)
	}
	return out
}

func sortedKeys(m map[float64]bool) []float64 {
	out := make([]float64, 0, len(m))
	for v := range m {
		out = append(out, v)
	}
	sort.Float64s(out)
	return out
}

// DiminishTables returns, per Diminish grid, the heat-map tables of the
// mean primary test metric and of the time saved vs MTL (rows eta, columns
// nu), with their CSV file names.
func (rep *SweepReport) DiminishTables() ([]*Table, []string) {
	var ts []*Table
	var names []string
	for _, grid := range rep.DiminishGrids() {
		test := rep.diminishTable(grid, fmt.Sprintf("Diminish decay: test %s by η (rows) and ν (columns), γ = %g", rep.Metric, grid.Gamma),
			func(r *GroupReport) (string, []string) {
				return formatMeanCI(Fraction, r.Test, 3), []string{csvFloat(r.Test.Mean), csvFloat(r.Test.CILow), csvFloat(r.Test.CIHigh), strconv.Itoa(r.Test.N)}
			}, []string{"test_mean", "test_ci95_low", "test_ci95_high", "n"})
		test.Notes = append([]string{"Cell = mean test " + rep.Metric + " over replicates [95% Student-t interval of the mean] of the Diminish configuration w(t) = γ·exp(−η·t^ν) with that η and ν. Nothing is marked best: these are test numbers (choose on validation: see the chosen-on-validation table)."}, test.Notes...)
		saved := rep.diminishTable(grid, fmt.Sprintf("Diminish decay: time saved vs MTL by η (rows) and ν (columns), γ = %g", grid.Gamma),
			func(r *GroupReport) (string, []string) {
				d := r.TimeVsMTL
				return formatRatioSaved(d, false), []string{csvFloat(1 - d.Value), csvFloat(1 - d.High), csvFloat(1 - d.Low), csvFloat(d.Value), d.Method.String()}
			}, []string{"saved_vs_mtl", "saved_ci95_low", "saved_ci95_high", "time_ratio_vs_mtl", "ratio_method"})
		saved.Notes = append([]string{"Cell = time saved vs MTL = 1 − the total training time ratio configuration / MTL, as in the equal-accuracy table: geometric mean of per-replicate ratios [95% t interval of the mean log ratio] (" + WelchMarker + " = Welch, unpaired)."}, saved.Notes...)
		ts = append(ts, test, saved)
		names = append(names, "diminish_test_"+grid.Name+".csv", "diminish_saved_vs_mtl_"+grid.Name+".csv")
	}
	return ts, names
}

func (rep *SweepReport) diminishTable(grid DiminishGrid, title string, cell func(*GroupReport) (string, []string), csvCols []string) *Table {
	t := &Table{Title: title, Header: []string{"η \\ ν"}}
	for _, v := range grid.Nus {
		t.Header = append(t.Header, fmt.Sprintf("ν = %g", v))
	}
	t.Numeric = numericFrom(len(t.Header), 1)
	t.CSVHeader = append([]string{"gamma", "eta", "nu", "label", "runs"}, csvCols...)
	for i, e := range grid.Etas {
		cells := []Cell{{Text: fmt.Sprintf("η = %g", e)}}
		for j, v := range grid.Nus {
			r := grid.Cells[i][j]
			if r == nil {
				cells = append(cells, Cell{Text: Missing})
				continue
			}
			text, csv := cell(r)
			cells = append(cells, Cell{Text: text})
			t.CSVRows = append(t.CSVRows, append([]string{csvFloat(grid.Gamma), csvFloat(e), csvFloat(v), r.Group.Label, strconv.Itoa(len(r.Group.Runs))}, csv...))
		}
		t.Rows = append(t.Rows, cells)
	}
	t.Notes = []string{"Grid: " + grid.Fixed + "."}
	if len(grid.Left) > 0 {
		t.Notes = append(t.Notes, "Not in the grid (an η row or ν column with a single configuration): "+strings.Join(grid.Left, "; ")+".")
	}
	return t
}

// asideNote names the groups of another primary task that a table leaves
// out; "" when there are none.
func (rep *SweepReport) asideNote() string {
	var names []string
	for _, row := range rep.Rows {
		if row.Aside {
			names = append(names, row.Group.Label)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf("Left out: %s — they train another primary task than %s and have no test %s.", strings.Join(names, ", "), rep.PrimaryTask, rep.Metric)
}

// auxNames is "mean Spearman (similarity/spearman_mean) and …".
func auxNames() string {
	var out []string
	for _, am := range AuxMetrics {
		out = append(out, am.Header+" ("+am.Metric+")")
	}
	return strings.Join(out, " and ")
}

// sharedPrefixNote says how many runs of rows continued from another
// trial's shared prefix (Record.Resumed): their total training time
// includes the first epochs as that trial measured them.
func sharedPrefixNote(rows []GroupReport) string {
	n, total := 0, 0
	for _, row := range rows {
		for _, r := range row.Group.Runs {
			total++
			if r.Resumed != nil && strings.HasPrefix(r.Resumed.From, "shared prefix") {
				n++
			}
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d of these %d runs continued from another trial's shared first epochs (the sweep trains epochs that configurations share once): their total training time counts those epochs as that trial measured them, so the prefix is timed once for both.", n, total)
}

// taskSteps is the mean over g's runs of task's training steps over all
// epochs (Epoch.TaskSteps; Steps for the primary task of records that
// predate TaskSteps); ok is false when no run records them.
func taskSteps(g *Group, task string) (float64, bool) {
	var per []float64
	for _, r := range g.Runs {
		n, seen := 0, false
		for _, e := range r.Epochs {
			if v, ok := e.TaskSteps[task]; ok {
				n, seen = n+v, true
			} else if e.TaskSteps == nil && len(r.Tasks) > 0 && r.Tasks[0] == task {
				n, seen = n+e.Steps, true
			}
		}
		if seen {
			per = append(per, float64(n))
		}
	}
	if len(per) == 0 {
		return 0, false
	}
	return mean(per), true
}

// stepsText is "sentiment 475/475, similarity 475/1000, …": each task's
// steps in the multi-task group / in the separate run that trains it.
func stepsText(s SeparateRuns) string {
	tasks := groupTasks(s.Row.Group)
	var out []string
	for i, task := range tasks {
		if i >= len(s.Parts) {
			break
		}
		count := func(g *Group) string {
			if v, ok := taskSteps(g, task); ok {
				return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
			}
			return "?"
		}
		out = append(out, task+" "+count(s.Row.Group)+"/"+count(s.Parts[i]))
	}
	return strings.Join(out, ", ")
}
