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
	acc, spear, analogy, perEpoch := column(t, header, "test acc"), column(t, header, "mean Spearman"),
		column(t, header, "analogy acc"), column(t, header, "time/epoch (s)")
	// Row order STL, MTL, Switch. Test accuracy means 0.80, 0.84, 0.87:
	// Switch is best. Spearman: STL none, MTL 0.32 > Switch 0.21. Time per
	// epoch: STL 2.00 is lowest.
	want := map[[2]int]string{
		{0, acc}: "0.800 ± 0.020", {1, acc}: "0.840 ± 0.010", {2, acc}: "**0.870 ± 0.014**",
		{0, spear}: Missing, {1, spear}: "**0.320 ± 0.020**", {2, spear}: "0.210 ± 0.014",
		{0, perEpoch}: "**2.00 ± 0.00**", {1, perEpoch}: "3.00 ± 0.00", {2, perEpoch}: "2.50 ± 0.00",
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
	if !strings.Contains(b.String(), "± = sample standard deviation") || !strings.Contains(b.String(), "1 unfinished run") {
		t.Errorf("footnotes missing:\n%s", b.String())
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
			if !strings.Contains(line, "0.870 ± 0.014 *") || strings.Contains(line, "0.210 ± 0.014 *") {
				t.Errorf("Switch row markers wrong: %s", line)
			}
		case strings.Contains(line, "│ STL"):
			if strings.Count(line, " *") != 2 {
				t.Errorf("STL row should have 2 markers (both times): %s", line)
			}
		}
	}
}

func TestComparisonTableCI95AndCSV(t *testing.T) {
	tbl := ComparisonTableWith(GroupRecords(sweepFixture()), TableOptions{Spread: CI95, Columns: []Column{ColTestAccuracy}})
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
	wantHeader := "label,setting,strategy,runs,unfinished,test_accuracy_mean,test_accuracy_std,test_accuracy_ci95_low,test_accuracy_ci95_high,test_accuracy_n"
	if strings.Join(recs[0], ",") != wantHeader {
		t.Errorf("CSV header = %v", recs[0])
	}
	if sw := recs[3]; sw[0] != "Switch" || sw[2] != "switch:epoch=2,lambda=1" || sw[3] != "2" || sw[4] != "1" || sw[5] != "0.87" {
		t.Errorf("Switch CSV row = %v", sw)
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
	var b bytes.Buffer
	tbl := &Table{Header: []string{"a", "b"}, Numeric: []bool{false, true}, Rows: [][]Cell{{{Text: "x"}, {Text: "1", Best: true}}}}
	if err := tbl.WriteLaTeX(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `\begin{tabular}{lr}`) || !strings.Contains(b.String(), `x & \textbf{1} \\`) {
		t.Errorf("LaTeX:\n%s", b.String())
	}
}
