package paperref

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/mt2st/mt2st/results"
	"github.com/mt2st/mt2st/strategies"
)

func fakeRun(init, spec string, tasks []string, seed int64, acc float64, status string) *results.Record {
	cfg := map[string]any{"test_size": float64(250)}
	if init != "" {
		cfg["init"] = init
	}
	return &results.Record{ID: init + spec + strings.Join(tasks, "+"), Strategy: strategies.MustParseSpec(spec), Tasks: tasks, Seed: seed,
		Status: status, Final: results.Metrics{"accuracy": acc}, Config: cfg}
}

func cells(row []results.Cell) []string {
	out := make([]string, len(row))
	for i, c := range row {
		out[i] = c.Text
	}
	return out
}

// A handful of fake records (no training) in the layout: STL over three
// seeds (0.70, 0.72, 0.74: mean 0.720, half-width t(2)·0.02/√3 = 4.303 ·
// 0.01155 = 0.050), one MTL run, a failed Switch run and a run of another
// init. The ref cells are the w2v-sg rows of reference_runs.csv: setting 0
// of the MTL, Diminish and Switch logs (0.64, 0.55, 0.57), and each
// script's settings.
func TestTableLayout(t *testing.T) {
	sent := []string{"sentiment"}
	both := []string{"sentiment", "similarity", "analogy"}
	recs := []*results.Record{
		fakeRun("skipgram", "stl", sent, 1, 0.70, results.StatusDone),
		fakeRun("skipgram", "stl", sent, 2, 0.72, results.StatusDone),
		fakeRun("skipgram", "stl", sent, 3, 0.74, results.StatusDone),
		fakeRun("skipgram", "mtl:lambda=1", []string{"sentiment", "similarity"}, 1, 0.61, results.StatusDone),
		fakeRun("skipgram", "switch:epoch=15,lambda=1", both, 1, 0, results.StatusFailed),
		fakeRun("", "stl", sent, 1, 0.5, results.StatusDone),
	}
	embs, err := Embeddings([]string{"skipgram"}, "")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := Table(recs, embs)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"w2v-sg", "STL", "3", "0.720 ± 0.050", "0.64 0.55 0.57", "–", "–", "–", "–", "–", "–"},
		{"w2v-sg", "MTL", "1", "= STL", "0.64", "0.610", "0.61", "–", "0.66", "–", "0.54"},
		{"w2v-sg", "MT2ST-Diminish", "0", "= STL", "–", "–", "–", "–", "–", "–", "–"},
		{"w2v-sg", "MT2ST-Diminish²", "0", "= STL", "0.55", "–", "0.52", "–", "0.60", "–", "0.50"},
		{"w2v-sg", "MT2ST-Switch", "0 (+1 unfinished)", "= STL", "0.57", "–", "0.57", "–", "0.64", "–", "0.55"},
	}
	if len(tab.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(tab.Rows), len(want))
	}
	for i, w := range want {
		if got := cells(tab.Rows[i]); !slices.Equal(got, w) {
			t.Errorf("row %d:\n got %q\nwant %q", i, got, w)
		}
	}
	if h := strings.Join(tab.Header, "|"); h != "embedding|strategy|runs|0 ours|0 ref|1 ours|1 ref|2 ours|2 ref|3 ours|3 ref" {
		t.Errorf("header %s", h)
	}
	notes := strings.Join(tab.Notes, "\n")
	for _, s := range []string{"250 test reviews: binomial SE ≈ 0.029", "1 records of other initial embeddings",
		"over 1 or 3 replicates", "w2v-sg 0.58 0.52 0.52", "carry no gradient", "commit 3d7ad30"} {
		if !strings.Contains(notes, s) {
			t.Errorf("notes lack %q:\n%s", s, notes)
		}
	}
	var md, csv bytes.Buffer
	if err := tab.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if err := tab.WriteCSV(&csv); err != nil {
		t.Fatal(err)
	}
	// STL's CSV row: setting 0, 3 runs, its three reference runs by log and position.
	if !strings.Contains(csv.String(), "w2v-sg,skipgram,STL,stl,0,3,0,0.72") ||
		!strings.Contains(csv.String(), ",0.64;0.55;0.57,0.58666") ||
		!strings.Contains(csv.String(), ",training_mt.log#7;training_mt2st_dimish.log#7;training_mt2st_switch.log#7\n") {
		t.Errorf("csv:\n%s", csv.String())
	}
}

// The mapping of embeddings: glove cells list the root log's run and the
// GloVe-Twitter benchmark's; cbow cells both CBOW passes (the MTL and
// Switch logs have no first-pass setting 0: their first CBOW run is logged
// as setting 1).
func TestTableMapping(t *testing.T) {
	embs, err := Embeddings([]string{"glove", "cbow"}, "")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := Table(nil, embs)
	if err != nil {
		t.Fatal(err)
	}
	check := func(row, col int, want string) {
		t.Helper()
		if got := tab.Rows[row][col].Text; got != want {
			t.Errorf("row %d (%s %s) column %s: %q, want %q", row, tab.Rows[row][0].Text, tab.Rows[row][1].Text, tab.Header[col], got, want)
		}
	}
	check(1, 4, "0.72 0.68")                     // glove MTL setting 0: training_mt.log#19, benchmark mt#2
	check(3, 10, "0.67 0.76")                    // glove Diminish² setting 3: dimish#22, benchmark dimish#5
	check(0, 4, "0.72 0.73 0.74 0.68 0.71 0.68") // glove STL: setting 0 of all six logs
	check(5, 4, "0.52 0.48 0.52 0.52")           // cbow STL: mt#23, dimish#2, dimish#23, switch#23
	check(6, 6, "0.56 0.49 0.52")                // cbow MTL setting 1: mt#2, mt#3, mt#24
	check(2, 6, "–")                             // MT2ST-Diminish has no counterpart
	if tab.Rows[0][0].Text != "glove" || tab.Rows[5][0].Text != "w2v-cbow" {
		t.Errorf("embedding order: %s, %s", tab.Rows[0][0].Text, tab.Rows[5][0].Text)
	}

	file, err := Embeddings([]string{"glove"}, "/data/glove-twitter-100.txt")
	if err != nil || file[0].Init != "/data/glove-twitter-100.txt" || file[0].Ref[0] != "glove-twitter-100" {
		t.Errorf("--glove file: %+v, %v", file, err)
	}
	if _, err := Embeddings([]string{"word2vec"}, ""); err == nil || !strings.Contains(err.Error(), "cbow, skipgram, fasttext-cbow, fasttext-sg, glove") {
		t.Errorf("unknown init: %v", err)
	}
}
