package results

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Spread selects what "±" means in a comparison table (and the band of the
// plots).
type Spread int

// Values of TableOptions.Spread. The zero value is the default.
const (
	// SpreadCI95: half-width of the 95% Student-t interval of the mean (the
	// default): how well the mean is known.
	SpreadCI95 Spread = iota
	// SpreadStd: sample standard deviation over seeds (ddof=1): how much
	// single runs vary.
	SpreadStd
)

// ParseSpread reads "ci" (or "ci95") and "std", as the command-line flags
// spell them.
func ParseSpread(s string) (Spread, error) {
	switch s {
	case "ci", "ci95":
		return SpreadCI95, nil
	case "std":
		return SpreadStd, nil
	}
	return 0, fmt.Errorf("spread %q: valid values are ci, std", s)
}

// TableOptions tunes ComparisonTableWith. The zero value gives the default
// table.
type TableOptions struct {
	Title   string   // default "Comparison"
	Columns []Column // default DefaultColumns()
	Spread  Spread   // default SpreadCI95
	// DeltaColumn is the column whose difference from STL is shown in the
	// last column, "Δ <header> vs STL"; default ColTestAccuracy. The Δ column
	// is shown when some group has an STL reference other than itself.
	DeltaColumn *Column
	// NoDelta leaves the Δ column out.
	NoDelta bool
}

// ComparisonTable is the comparison table with default options: one row per
// strategy label × setting; cells "mean ± half-width of the 95% t interval
// of the mean" over seeds for test accuracy, macro-F1, mean Spearman and
// analogy accuracy, "geometric mean [95% interval]" for total training time
// and time per epoch (an interval on log seconds, so never negative); the
// fastest times marked; then Δ test accuracy vs STL (paired over
// replicates when possible, see DeltaVs).
func ComparisonTable(groups []*Group) *Table {
	return ComparisonTableWith(groups, TableOptions{})
}

// ComparisonTableWith is ComparisonTable with options. Errors reading a
// run's per-example correctness (a damaged TestCorrect) do not stop the
// table: that Δ falls back to the bare difference and a note names the run.
func ComparisonTableWith(groups []*Group, opts TableOptions) *Table {
	cols := opts.Columns
	if cols == nil {
		cols = DefaultColumns()
	}
	title := opts.Title
	if title == "" {
		title = "Comparison"
	}
	deltaCol := ColTestAccuracy
	if opts.DeltaColumn != nil {
		deltaCol = *opts.DeltaColumn
	}
	refs := make([]*Group, len(groups))
	showDelta := false
	for i, g := range groups {
		refs[i] = referenceGroup(groups, g, (*Group).IsSTL)
		showDelta = showDelta || (refs[i] != nil && refs[i] != g)
	}
	showDelta = showDelta && !opts.NoDelta

	showSetting := anySetting(groups)
	t := &Table{Title: title}
	t.Header = []string{"strategy"}
	if showSetting {
		t.Header = append(t.Header, "setting")
	}
	t.Header = append(t.Header, "runs")
	lead := len(t.Header)
	for _, c := range cols {
		t.Header = append(t.Header, c.Header)
	}
	if showDelta {
		t.Header = append(t.Header, "Δ "+deltaCol.Header+" vs STL")
	}
	t.Numeric = make([]bool, len(t.Header))
	for i := lead - 1; i < len(t.Header); i++ {
		t.Numeric[i] = true
	}
	t.CSVHeader = []string{"label", "setting", "strategy", "runs", "unfinished"}
	for _, c := range cols {
		t.CSVHeader = append(t.CSVHeader, c.Key+"_mean", c.Key+"_std", c.Key+"_ci95_low", c.Key+"_ci95_high", c.Key+"_n")
		if c.Unit == Seconds {
			t.CSVHeader = append(t.CSVHeader, c.Key+"_geomean", c.Key+"_geo_ci95_low", c.Key+"_geo_ci95_high")
		}
	}
	if showDelta {
		t.CSVHeader = append(t.CSVHeader, "delta_"+deltaCol.Key+"_vs_stl", "delta_ci95_low", "delta_ci95_high",
			"delta_method", "delta_pairs", "delta_p", "stl_label", "stl_setting")
	}

	means := make([][]float64, len(cols))
	ns := map[int]bool{}
	methods := map[DeltaMethod]bool{}
	unfinished := 0
	var problems []string
	for i, g := range groups {
		row := []Cell{{Text: g.Label}}
		if showSetting {
			row = append(row, Cell{Text: g.Setting})
		}
		row = append(row, Cell{Text: runsText(g)})
		ns[len(g.Runs)] = true
		unfinished += len(g.Unfinished)
		csvRow := []string{g.Label, g.Setting, g.Strategy.String(), strconv.Itoa(len(g.Runs)), strconv.Itoa(len(g.Unfinished))}
		for j, c := range cols {
			xs := g.Values(c)
			s := Summarize(xs)
			gm, glo, ghi := logMeanInterval(xs)
			switch {
			case c.Unit == Seconds && opts.Spread == SpreadCI95:
				row = append(row, Cell{Text: formatPoint(c.Unit, gm, glo, ghi)})
			case opts.Spread == SpreadStd:
				row = append(row, Cell{Text: formatPlusMinus(c.Unit, s.Mean, s.Std)})
			default:
				row = append(row, Cell{Text: formatPlusMinus(c.Unit, s.Mean, s.HalfWidth())})
			}
			means[j] = append(means[j], s.Mean)
			csvRow = append(csvRow, csvFloat(s.Mean), csvFloat(s.Std), csvFloat(s.CILow), csvFloat(s.CIHigh), strconv.Itoa(s.N))
			if c.Unit == Seconds {
				csvRow = append(csvRow, csvFloat(gm), csvFloat(glo), csvFloat(ghi))
			}
		}
		if showDelta {
			d, err := DeltaVs(g, refs[i], deltaCol, deltaCol.Key == ColTestAccuracy.Key)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: per-example correctness unreadable (%v); Δ without McNemar.", g.Name(), err))
			}
			// A group that is its own reference but has no value of the Δ
			// column (e.g. an auxiliary task trained alone) is no reference.
			isRef := refs[i] == g && len(g.Values(deltaCol)) > 0
			row = append(row, Cell{Text: formatDelta(d, isRef)})
			if !isRef && !d.Undefined {
				methods[d.Method] = true
			}
			stlLabel, stlSetting := "", ""
			if refs[i] != nil {
				stlLabel, stlSetting = refs[i].Label, refs[i].Setting
			}
			method := ""
			if d.Method != DeltaNone {
				method = d.Method.String()
			}
			csvRow = append(csvRow, csvFloat(d.Value), csvFloat(d.Low), csvFloat(d.High), method,
				strconv.Itoa(d.Pairs), csvFloat(d.PValue), stlLabel, stlSetting)
		}
		t.Rows = append(t.Rows, row)
		t.CSVRows = append(t.CSVRows, csvRow)
	}
	for j, c := range cols {
		if c.Unit == Seconds { // never mark test metrics: choosing by them is selection on test
			markBest(t.Rows, lead+j, means[j], c.Better)
		}
	}
	t.Notes = comparisonNotes(opts.Spread, ns, unfinished)
	if showDelta {
		t.Notes = append(t.Notes, deltaNotes(deltaCol.Header, methods)...)
	}
	t.Notes = append(t.Notes, problems...)
	return t
}

func comparisonNotes(spread Spread, ns map[int]bool, unfinished int) []string {
	var seeds string
	if len(ns) == 1 {
		for n := range ns {
			seeds = fmt.Sprintf("n = %d seed%s per row", n, plural(n))
		}
	} else {
		seeds = "n seeds per row in column \"runs\""
	}
	var meaning string
	switch spread {
	case SpreadStd:
		meaning = "± = sample standard deviation (ddof=1)"
	default:
		meaning = "± = half-width of the 95% Student-t interval of the mean (mean ± t(0.975, n−1)·s/√n); times: geometric mean [95% t interval of the mean log time, back-transformed, so never negative]"
	}
	notes := []string{
		fmt.Sprintf("Mean over seeds, %s; %s; no ± or interval when n = 1; %s = not measured.", seeds, meaning, Missing),
		"Accuracy, F1, Spearman and analogy are test-split numbers and are not marked: no best is picked on test. Fastest mean times marked (* in the terminal, bold in Markdown). Times are training wall time, evaluation excluded.",
	}
	if unfinished > 0 {
		notes = append(notes, fmt.Sprintf("%d unfinished run(s) (failed or killed) are counted in \"runs\" but not aggregated.", unfinished))
	}
	return notes
}

// deltaNotes explains the Δ column for the methods that occur.
func deltaNotes(header string, methods map[DeltaMethod]bool) []string {
	notes := []string{"Δ " + header + " vs STL = mean − STL mean (STL of the same protocol, encoder and setting when there is one, else the first STL group)."}
	if methods[DeltaPaired] {
		notes = append(notes, "Δ [95% CI]: paired t interval of the mean difference over replicates — each run paired with the STL run of the same replicate (same seed outside sweeps), which shares its data sample, initial embedding and batch order.")
	}
	if methods[DeltaWelch] {
		notes = append(notes, "Δ [95% CI]"+WelchMarker+": Welch's t interval (Welch–Satterthwaite df): the replicates could not all be paired with STL's.")
	}
	if methods[DeltaMcNemar] {
		notes = append(notes, "Δ (p = …): one run per arm; two-sided p-value of McNemar's exact test (binomial on the test examples that exactly one of the two models classified correctly).")
	}
	if methods[DeltaSingle] {
		notes = append(notes, "Δ without an interval or p-value: one run per arm and no per-example test correctness recorded.")
	}
	return notes
}

func runsText(g *Group) string {
	if len(g.Unfinished) == 0 {
		return strconv.Itoa(len(g.Runs))
	}
	return fmt.Sprintf("%d (+%d unfinished)", len(g.Runs), len(g.Unfinished))
}

func anySetting(groups []*Group) bool {
	for _, g := range groups {
		if g.Setting != "" {
			return true
		}
	}
	return false
}

// EpochTable is the per-epoch table of one run: each auxiliary task's weight,
// the tasks whose heads ran, each task's loss, the primary validation
// accuracy (and macro-F1, and any auxiliary mean metrics when recorded),
// the epoch's training seconds and the cumulative seconds.
func EpochTable(r *Record) *Table {
	tasks := recordTasks(r)
	var aux []string
	if len(tasks) > 1 {
		aux = tasks[1:]
	}
	valKeys := presentKeys(r, func(e Epoch) Metrics { return e.Val }, []string{"accuracy", "macro_f1"})
	auxKeys := presentKeys(r, func(e Epoch) Metrics { return e.Aux }, []string{"similarity/spearman_mean", "analogy/3cosadd"})

	t := &Table{Title: fmt.Sprintf("Run %s (%s, seed %d)", r.ID, r.Strategy, r.Seed)}
	t.Header = []string{"epoch"}
	for _, a := range aux {
		t.Header = append(t.Header, "w "+a)
	}
	cosines := hasCosines(r)
	if cosines {
		for _, a := range aux {
			t.Header = append(t.Header, "cos "+a)
		}
	}
	t.Header = append(t.Header, "ran")
	for _, k := range tasks {
		t.Header = append(t.Header, "loss "+k)
	}
	for _, k := range valKeys {
		t.Header = append(t.Header, "val "+shortMetric(k))
	}
	for _, k := range auxKeys {
		t.Header = append(t.Header, shortMetric(k))
	}
	t.Header = append(t.Header, "seconds", "cum s")
	t.Numeric = make([]bool, len(t.Header))
	for i := range t.Numeric {
		t.Numeric[i] = t.Header[i] != "ran"
	}
	t.CSVHeader = append([]string(nil), t.Header...)

	for _, e := range r.Epochs {
		row := []string{strconv.Itoa(e.Epoch)}
		csvRow := []string{strconv.Itoa(e.Epoch)}
		for _, a := range aux {
			w, ok := e.Weights[a]
			row = append(row, formatWeight(w, ok))
			csvRow = append(csvRow, csvOptional(w, ok))
		}
		for _, a := range aux {
			if !cosines {
				break
			}
			var c float64
			ok := e.Signals != nil
			if ok {
				c, ok = e.Signals.Cosine[a]
			}
			row = append(row, fmtOptional(c, ok, 4))
			csvRow = append(csvRow, csvOptional(c, ok))
		}
		ran := strings.Join(e.Ran, ",")
		row = append(row, ran)
		csvRow = append(csvRow, ran)
		for _, k := range tasks {
			l, ok := e.Loss[k]
			row = append(row, fmtOptional(l, ok, 4))
			csvRow = append(csvRow, csvOptional(l, ok))
		}
		for _, k := range valKeys {
			v, ok := e.Val.Metric(k)
			row = append(row, fmtOptional(v, ok, 3))
			csvRow = append(csvRow, csvOptional(v, ok))
		}
		for _, k := range auxKeys {
			v, ok := e.Aux.Metric(k)
			row = append(row, fmtOptional(v, ok, 3))
			csvRow = append(csvRow, csvOptional(v, ok))
		}
		row = append(row, formatValue(Seconds, e.Seconds), formatValue(Seconds, e.CumSeconds))
		csvRow = append(csvRow, csvFloat(e.Seconds), csvFloat(e.CumSeconds))
		cells := make([]Cell, len(row))
		for i, s := range row {
			cells[i] = Cell{Text: s}
		}
		t.Rows = append(t.Rows, cells)
		t.CSVRows = append(t.CSVRows, csvRow)
	}
	if best, epoch, ok := r.BestVal("accuracy"); ok {
		if col := t.Column("val accuracy"); col >= 0 {
			for i, e := range r.Epochs {
				if e.Epoch == epoch {
					t.Rows[i][col].Best = true
				}
			}
		}
		t.Notes = append(t.Notes, fmt.Sprintf("Best validation accuracy %.3f at epoch %d (marked). Weights are the auxiliary tasks' loss weights (primary = 1); %s = task not run that epoch.", best, epoch, Missing))
	}
	t.Notes = append(t.Notes, signalNotes(r, cosines)...)
	return t
}

// hasCosines reports whether an adaptive strategy measured gradient cosines.
func hasCosines(r *Record) bool {
	for _, e := range r.Epochs {
		if e.Signals != nil && len(e.Signals.Cosine) > 0 {
			return true
		}
	}
	return false
}

// signalNotes explains an adaptive run's weights and cosines and lists its
// decisions.
func signalNotes(r *Record, cosines bool) []string {
	adaptive := false
	var notes []string
	for _, e := range r.Epochs {
		if e.Signals == nil {
			continue
		}
		adaptive = true
		for _, ev := range e.Signals.Events {
			notes = append(notes, fmt.Sprintf("After epoch %d: %s (%s): %s.", e.Epoch, ev.Rule, strings.Join(ev.Tasks, ", "), ev.Detail))
		}
	}
	if !adaptive {
		return nil
	}
	head := "Adaptive strategy: weights are the mean weights the epoch's steps applied"
	if cosines {
		head += "; cos = mean cos(g_aux, g_primary) on the shared embedding rows over the measured steps"
	}
	return append([]string{head + "."}, notes...)
}

// recordTasks returns r.Tasks, or when empty the task names found in the
// epochs' weights and losses, sorted.
func recordTasks(r *Record) []string {
	if len(r.Tasks) > 0 {
		return r.Tasks
	}
	seen := map[string]bool{}
	for _, e := range r.Epochs {
		for k := range e.Weights {
			seen[k] = true
		}
		for k := range e.Loss {
			seen[k] = true
		}
	}
	names := make([]string, 0, len(seen))
	for k := range seen {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// presentKeys keeps the candidate metric names that at least one epoch has.
func presentKeys(r *Record, pick func(Epoch) Metrics, candidates []string) []string {
	var keys []string
	for _, k := range candidates {
		for _, e := range r.Epochs {
			if _, ok := pick(e).Metric(k); ok {
				keys = append(keys, k)
				break
			}
		}
	}
	return keys
}

// shortMetric turns "similarity/spearman_mean" into "similarity spearman_mean".
func shortMetric(k string) string { return strings.ReplaceAll(k, "/", " ") }

func formatWeight(w float64, ok bool) string {
	if !ok {
		return Missing
	}
	if w != 0 && math.Abs(w) < 1e-3 {
		return fmt.Sprintf("%.2e", w)
	}
	return fmt.Sprintf("%.4f", w)
}

func fmtOptional(v float64, ok bool, digits int) string {
	if !ok || math.IsNaN(v) {
		return Missing
	}
	return fmt.Sprintf("%.*f", digits, v)
}

func csvOptional(v float64, ok bool) string {
	if !ok {
		return ""
	}
	return csvFloat(v)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
