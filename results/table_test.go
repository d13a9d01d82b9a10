package results

import (
	"bytes"
	"encoding/csv"
	"math"
	"strings"
	"testing"
)

// markdownCells parses a rendered GitHub pipe table into header and rows of
// trimmed cell texts (the separator line dropped).
func markdownCells(t *testing.T, md string) (header []string, rows [][]string) {
	t.Helper()
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		parts := strings.Split(strings.Trim(line, "|"), "|")
		cells := make([]string, len(parts))
		for i, p := range parts {
			cells[i] = strings.TrimSpace(p)
		}
		switch {
		case header == nil:
			header = cells
		case strings.HasPrefix(cells[0], ":-") || strings.HasPrefix(cells[0], "--"):
		default:
			rows = append(rows, cells)
		}
	}
	return header, rows
}

func column(t *testing.T, header []string, name string) int {
	t.Helper()
	for i, h := range header {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %q in %v", name, header)
	return -1
}

func TestComparisonTableMarkdownBestAndMissing(t *testing.T) {
	var b bytes.Buffer
	if err := ComparisonTable(GroupRecords(sweepFixture())).WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	header, rows := markdownCells(t, b.String())
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3:\n%s", len(rows), b.String())
	}
	acc, spear, analogy, perEpoch, delta := column(t, header, "test acc"), column(t, header, "mean Spearman"),
		column(t, header, "analogy acc"), column(t, header, "time/epoch (s)"), column(t, header, "Δ test acc vs STL")
	// Row order STL, MTL, Switch. Default ± = half-width of the 95% t
	// interval, t(0.975, n−1)·s/√n (t from scripts/metrics_golden.py):
	// STL test acc s = 0.02, 4.3027·0.02/√3 = 0.0497; MTL s = 0.01 → 0.0248;
	// Switch s = 0.01414, 12.706·0.01414/√2 = 0.127. Test metrics are never
	// marked. Time per epoch is constant within a group: geometric mean with
	// a collapsed interval; STL's 2.00 is the lowest and marked.
	// Δ: MTL pairs with STL by seed (paired t, see TestReportByHand); Switch
	// has 2 seeds against STL's 3, so Welch (†).
	want := map[[2]int]string{
		{0, acc}: "0.800 ± 0.050", {1, acc}: "0.840 ± 0.025", {2, acc}: "0.870 ± 0.127",
		{0, spear}: Missing, {1, spear}: "0.320 ± 0.050", {2, spear}: "0.210 ± 0.127",
		{0, perEpoch}: "**2.00 [2.00, 2.00]**", {1, perEpoch}: "3.00 [3.00, 3.00]", {2, perEpoch}: "2.50 [2.50, 2.50]",
		{0, delta}: "reference", {1, delta}: "+0.040 [-0.035, +0.115]", {2, delta}: "+0.070 [+0.020, +0.120]" + WelchMarker,
	}
	for at, text := range want {
		if got := rows[at[0]][at[1]]; got != text {
			t.Errorf("row %d column %q = %q, want %q", at[0], header[at[1]], got, text)
		}
	}
	for i, r := range rows {
		if r[analogy] != Missing {
			t.Errorf("row %d analogy = %q, want %q (no analogy task)", i, r[analogy], Missing)
		}
	}
	for _, note := range []string{"± = half-width of the 95% Student-t interval", "1 unfinished run", "not marked", "paired t interval", "Welch"} {
		if !strings.Contains(b.String(), note) {
			t.Errorf("footnote %q missing:\n%s", note, b.String())
		}
	}
}

func TestComparisonTableStd(t *testing.T) {
	tbl := ComparisonTableWith(GroupRecords(sweepFixture()), TableOptions{Spread: SpreadStd, NoDelta: true})
	// Sample stds: STL test acc 0.02, time per epoch 0.
	if got := tbl.Rows[0][tbl.Column("test acc")].Text; got != "0.800 ± 0.020" {
		t.Errorf("std cell = %q", got)
	}
	if got := tbl.Rows[0][tbl.Column("time/epoch (s)")]; got.Text != "2.00 ± 0.00" || !got.Best {
		t.Errorf("std time cell = %+v", got)
	}
	if tbl.Column("Δ test acc vs STL") >= 0 || !strings.Contains(strings.Join(tbl.Notes, " "), "± = sample standard deviation") {
		t.Errorf("NoDelta or std note ignored: %v, %v", tbl.Header, tbl.Notes)
	}
}

func TestComparisonTableTimesStayPositive(t *testing.T) {
	// Two runs of 2 s and 8 s per epoch: the t interval of the mean, 5 ±
	// 12.706·4.243/√2 = 5 ± 38.1, would go below 0. The log interval is
	// geometric mean 4 = √(2·8) [4·exp(∓12.706·ln4/2)] (by hand: the logs'
	// sample std is ln 4/√2), both bounds positive.
	recs := []*Record{
		run("X", "", "stl", 1, Metrics{"accuracy": 0.5}, []float64{0.5}, []float64{2}),
		run("X", "", "stl", 2, Metrics{"accuracy": 0.5}, []float64{0.5}, []float64{8}),
	}
	tbl := ComparisonTableWith(GroupRecords(recs), TableOptions{Columns: []Column{ColSecondsPerEpoch}})
	half := 12.706204736174693 * math.Log(4) / 2
	want := "4.00 " + formatInterval(2, 4*math.Exp(-half), 4*math.Exp(half), false)
	if got := tbl.Rows[0][tbl.Column("time/epoch (s)")].Text; got != want || strings.Contains(got, "-") {
		t.Errorf("time cell = %q, want %q", got, want)
	}
}

func TestComparisonTableTerminalMarker(t *testing.T) {
	var b bytes.Buffer
	if err := ComparisonTable(GroupRecords(sweepFixture())).WriteTerminal(&b); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(b.String(), "\n") {
		switch {
		case strings.Contains(line, "│ Switch"):
			if strings.Contains(line, " *") {
				t.Errorf("Switch row has a marker (test numbers must not be marked): %s", line)
			}
		case strings.Contains(line, "│ STL"):
			if strings.Count(line, " *") != 2 {
				t.Errorf("STL row should have 2 markers (both times): %s", line)
			}
		}
	}
}

func TestComparisonTableCI95AndCSV(t *testing.T) {
	tbl := ComparisonTableWith(GroupRecords(sweepFixture()), TableOptions{Spread: SpreadCI95, Columns: []Column{ColTestAccuracy}})
	// STL half-width 0.0496827542 (see TestSummariesByHand) → "0.050".
	if got := tbl.Rows[0][tbl.Column("test acc")].Text; got != "0.800 ± 0.050" {
		t.Errorf("CI95 cell = %q", got)
	}
	var b bytes.Buffer
	if err := tbl.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := "label,setting,strategy,runs,unfinished,test_accuracy_mean,test_accuracy_std,test_accuracy_ci95_low,test_accuracy_ci95_high,test_accuracy_n," +
		"delta_test_accuracy_vs_stl,delta_ci95_low,delta_ci95_high,delta_method,delta_pairs,delta_p,stl_label,stl_setting"
	if strings.Join(recs[0], ",") != wantHeader {
		t.Errorf("CSV header = %v", recs[0])
	}
	if sw := recs[3]; sw[0] != "Switch" || sw[2] != "switch:epoch=2,lambda=1" || sw[3] != "2" || sw[4] != "1" || sw[5] != "0.87" || sw[13] != "Welch" {
		t.Errorf("Switch CSV row = %v", sw)
	}
	if mtl := recs[2]; mtl[13] != "paired t" || mtl[14] != "3" {
		t.Errorf("MTL CSV row = %v", mtl)
	}
}

func TestMarkBestRules(t *testing.T) {
	rows := func(n int) [][]Cell {
		r := make([][]Cell, n)
		for i := range r {
			r[i] = make([]Cell, 1)
		}
		return r
	}
	r := rows(3)
	markBest(r, 0, []float64{1, 3, 3}, HigherIsBetter)
	if r[0][0].Best || !r[1][0].Best || !r[2][0].Best {
		t.Errorf("ties: %v", r)
	}
	r = rows(2)
	markBest(r, 0, []float64{2, 2}, LowerIsBetter)
	if r[0][0].Best || r[1][0].Best {
		t.Errorf("all equal should mark nothing: %v", r)
	}
	r = rows(2)
	markBest(r, 0, []float64{math.NaN(), 2}, LowerIsBetter)
	if r[1][0].Best {
		t.Errorf("a single value should not be marked: %v", r)
	}
}

func TestEpochTable(t *testing.T) {
	r := sweepFixture()[6]
	r.Epochs[2].Weights["similarity"] = 0
	r.Epochs[2].Ran = []string{"sentiment"}
	delete(r.Epochs[2].Loss, "similarity")
	tbl := EpochTable(r)
	var b bytes.Buffer
	if err := tbl.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	header, rows := markdownCells(t, b.String())
	if len(rows) != 4 {
		t.Fatalf("%d rows", len(rows))
	}
	w, ran, loss, val := column(t, header, "w similarity"), column(t, header, "ran"), column(t, header, "loss similarity"), column(t, header, "val accuracy")
	if rows[2][w] != "0.0000" || rows[2][ran] != "sentiment" || rows[2][loss] != Missing {
		t.Errorf("epoch 3 = %v", rows[2])
	}
	// Validation accuracies 0.80, 0.82, 0.83, 0.84: best at epoch 4.
	if rows[3][val] != "**0.840**" || rows[0][val] != "0.800" {
		t.Errorf("val column = %q, %q", rows[0][val], rows[3][val])
	}
}

func TestEscapes(t *testing.T) {
	if got := escapeMarkdown("a|b*c_d"); got != `a\|b\*c\_d` {
		t.Errorf("escapeMarkdown = %q", got)
	}
	if got := escapeLaTeX("0.8 ± 0.1 & 5% – x_1"); got != `0.8 $\pm$ 0.1 \& 5\% -- x\_1` {
		t.Errorf("escapeLaTeX = %q", got)
	}
	// The Diminish heat-map headings and the Welch marker.
	if got := escapeLaTeX(`η \ ν, γ = 1, 1.25×†`); got != `$\eta$ \textbackslash{} $\nu$, $\gamma$ = 1, 1.25$\times$$^\dagger$` {
		t.Errorf("escapeLaTeX = %q", got)
	}
	var b bytes.Buffer
	tbl := &Table{Header: []string{"a", "b"}, Numeric: []bool{false, true}, Rows: [][]Cell{{{Text: "x"}, {Text: "1", Best: true}}}}
	if err := tbl.WriteLaTeX(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `\begin{tabular}{lr}`) || !strings.Contains(b.String(), `x & \textbf{1} \\`) {
		t.Errorf("LaTeX:\n%s", b.String())
	}
}
