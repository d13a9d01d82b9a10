package results

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Spread selects what "±" means in a comparison table.
type Spread int

// Values of TableOptions.Spread.
const (
	StdDev Spread = iota // sample standard deviation over seeds
	CI95                 // half-width of the 95% Student-t interval of the mean
)

// TableOptions tunes ComparisonTableWith. The zero value gives the default
// table.
type TableOptions struct {
	Title   string   // default "Comparison"
	Columns []Column // default DefaultColumns()
	Spread  Spread
}

// ComparisonTable is reproduce's comparison table with default options: one
// row per strategy label × setting, cells "mean ± std" over seeds for test
// accuracy, macro-F1, mean Spearman, analogy accuracy, total training time
// and time per epoch; the best value per column marked.
func ComparisonTable(groups []*Group) *Table {
	return ComparisonTableWith(groups, TableOptions{})
}

// ComparisonTableWith is ComparisonTable with options.
func ComparisonTableWith(groups []*Group, opts TableOptions) *Table {
	cols := opts.Columns
	if cols == nil {
		cols = DefaultColumns()
	}
	title := opts.Title
	if title == "" {
		title = "Comparison"
	}
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
	t.Numeric = make([]bool, len(t.Header))
	for i := lead - 1; i < len(t.Header); i++ {
		t.Numeric[i] = true
	}
	t.CSVHeader = []string{"label", "setting", "strategy", "runs", "unfinished"}
	for _, c := range cols {
		t.CSVHeader = append(t.CSVHeader, c.Key+"_mean", c.Key+"_std", c.Key+"_ci95_low", c.Key+"_ci95_high", c.Key+"_n")
	}

	means := make([][]float64, len(cols))
	ns := map[int]bool{}
	unfinished := 0
	for _, g := range groups {
		row := []Cell{{Text: g.Label}}
		if showSetting {
			row = append(row, Cell{Text: g.Setting})
		}
		row = append(row, Cell{Text: runsText(g)})
		ns[len(g.Runs)] = true
		unfinished += len(g.Unfinished)
		csvRow := []string{g.Label, g.Setting, g.Strategy, strconv.Itoa(len(g.Runs)), strconv.Itoa(len(g.Unfinished))}
		for j, c := range cols {
			s := g.Summarize(c)
			spread := s.Std
			if opts.Spread == CI95 {
				spread = s.HalfWidth()
			}
			row = append(row, Cell{Text: formatPlusMinus(c.Unit, s.Mean, spread)})
			means[j] = append(means[j], s.Mean)
			csvRow = append(csvRow, csvFloat(s.Mean), csvFloat(s.Std), csvFloat(s.CILow), csvFloat(s.CIHigh), strconv.Itoa(s.N))
		}
		t.Rows = append(t.Rows, row)
		t.CSVRows = append(t.CSVRows, csvRow)
	}
	for j, c := range cols {
		markBest(t.Rows, lead+j, means[j], c.Better)
	}
	t.Notes = comparisonNotes(opts.Spread, ns, unfinished)
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
	meaning := "± = sample standard deviation (ddof=1)"
	if spread == CI95 {
		meaning = "± = half-width of the 95% Student-t confidence interval of the mean"
	}
	notes := []string{
		fmt.Sprintf("Mean over seeds, %s; %s; no ± when n = 1; %s = not measured.", seeds, meaning, Missing),
		"Best per column marked (* in the terminal, bold in Markdown): highest accuracy, F1, Spearman and analogy; lowest times. Times are training wall time, evaluation excluded.",
	}
	if unfinished > 0 {
		notes = append(notes, fmt.Sprintf("%d unfinished run(s) (failed or killed) are counted in \"runs\" but not aggregated.", unfinished))
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
	return t
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
