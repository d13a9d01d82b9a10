package paperref

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/mt2st/mt2st/results"
	"github.com/mt2st/mt2st/strategies"
)

// Embedding is one block of rows of the paper's table: the initial
// embedding of our runs and the reference code's embeddings beside it.
type Embedding struct {
	// Init is Config.Init of our runs: "cbow", "skipgram",
	// "fasttext-cbow", "fasttext-sg", "glove" or a word2vec file's path.
	Init string
	// Name labels the rows, e.g. "w2v-cbow".
	Name string
	// Ref are the reference_runs.csv embeddings whose runs stand beside
	// ours (several: all their runs are listed).
	Ref []string
	// About says, for the notes, what ours is against what theirs is.
	About string
}

// PaperInits are the initial embeddings of the paper's table, as values of
// the init option, in the paper's order.
var PaperInits = []string{"cbow", "skipgram", "fasttext-cbow", "fasttext-sg", "glove"}

// Embeddings returns the table's blocks for the given inits (a subset of
// PaperInits, in any order). A non-empty glove is the path of the word2vec
// file that replaces our GloVe (e.g. glove-twitter-100, the reference's).
func Embeddings(inits []string, glove string) ([]Embedding, error) {
	var out []Embedding
	for _, init := range inits {
		e := Embedding{Init: init}
		switch init {
		case "cbow":
			e.Name, e.Ref = "w2v-cbow", []string{"w2v-cbow", "w2v-cbow-2nd-pass"}
			e.About = "ours is our CBOW pre-trained on IMDB train+unsup; theirs gensim Word2Vec CBOW on their 1,000 reviews (both CBOW passes of each log listed)"
		case "skipgram":
			e.Name, e.Ref = "w2v-sg", []string{"w2v-sg"}
			e.About = "ours is our skip-gram pre-trained on IMDB train+unsup; theirs gensim Word2Vec skip-gram on their 1,000 reviews"
		case "fasttext-cbow", "fasttext-sg":
			e.Name, e.Ref = init, []string{init}
			e.About = "ours is our " + init + " pre-trained on IMDB train+unsup; theirs gensim FastText on their 1,000 reviews"
		case "glove":
			e.Name, e.Ref = "glove", []string{"glove-twitter-100"}
			e.About = "ours is our GloVe trained on IMDB train+unsup; theirs the pretrained glove-twitter-100 vectors"
			if glove != "" {
				e.Init, e.Name = glove, "glove (file)"
				e.About = "ours is the word2vec file " + glove + "; theirs the pretrained glove-twitter-100 vectors"
			}
		default:
			return nil, fmt.Errorf("init %q: the paper's table has %s", init, strings.Join(PaperInits, ", "))
		}
		out = append(out, e)
	}
	return out, nil
}

// strategyRow is one strategy of the table and the reference script beside
// it: "" none, "*" every script's setting 0 (STL).
type strategyRow struct {
	name, ref string
}

var strategyRows = []strategyRow{
	{"stl", "*"}, {"mtl", "MTL"}, {"diminish", ""}, {"diminish-squared", "Diminish"}, {"switch", "Switch"},
}

// SettingIndex returns the paper's setting of a task list: 0 primary only,
// 1 +similarity, 2 +analogy, 3 +both; -1 for any other list.
func SettingIndex(tasks []string) int {
	if len(tasks) == 0 {
		return -1
	}
	for i, aux := range [][]string{{}, {"similarity"}, {"analogy"}, {"similarity", "analogy"}} {
		if slices.Equal(tasks[1:], aux) {
			return i
		}
	}
	return -1
}

type cellKey struct {
	init, strategy string
	setting        int
}

// Table is the paper's table: rows embedding × strategy (STL, MTL,
// MT2ST-Diminish, MT2ST-Diminish², MT2ST-Switch), columns settings 0–3,
// each with our test accuracy (mean ± half-width of the 95% Student-t
// interval over the replicates, as the comparison table's) and beside it
// the reference code's logged test accuracies. Records of other inits,
// strategies or task lists are left out and counted in the notes.
func Table(recs []*results.Record, embs []Embedding) (*results.Table, error) {
	ref, err := Runs()
	if err != nil {
		return nil, err
	}
	done := map[cellKey][]*results.Record{}
	unfinished := map[cellKey]int{}
	outside := 0
	testSizes := map[int]bool{}
	for _, r := range recs {
		if r == nil {
			continue
		}
		k := cellKey{init: recordInit(r), strategy: r.Strategy.Name(), setting: SettingIndex(r.Tasks)}
		if !slices.ContainsFunc(embs, func(e Embedding) bool { return e.Init == k.init }) || k.setting < 0 ||
			!slices.ContainsFunc(strategyRows, func(s strategyRow) bool { return s.name == k.strategy }) {
			outside++
			continue
		}
		if !r.Done() {
			unfinished[k]++
			continue
		}
		done[k] = append(done[k], r)
		if n, ok := r.Config["test_size"].(float64); ok {
			testSizes[int(n)] = true
		}
	}

	t := &results.Table{Title: "The paper's table: test accuracy, ours beside the reference code's logs"}
	t.Header = []string{"embedding", "strategy", "runs"}
	for s := range 4 {
		t.Header = append(t.Header, fmt.Sprintf("%d ours", s), fmt.Sprintf("%d ref", s))
	}
	t.Numeric = make([]bool, len(t.Header))
	for i := 2; i < len(t.Numeric); i++ {
		t.Numeric[i] = true
	}
	t.CSVHeader = []string{"embedding", "init", "strategy", "spec", "setting", "runs", "unfinished",
		"test_accuracy_mean", "test_accuracy_std", "test_accuracy_ci95_low", "test_accuracy_ci95_high",
		"ref_test_accuracy", "ref_mean", "ref_runs"}
	ns := map[int]bool{}
	for _, e := range embs {
		for _, sr := range strategyRows {
			label := strategies.Label(sr.name)
			row := []results.Cell{{Text: e.Name}, {Text: label}, {}}
			var counts []int
			lost := 0
			for s := range 4 {
				k := cellKey{e.Init, sr.name, s}
				rs := done[k]
				lost += unfinished[k]
				refRuns := refCell(ref, e, sr, s)
				ours := results.Missing
				if len(rs) > 0 || unfinished[k] > 0 {
					counts = append(counts, len(rs))
				}
				var sum results.Summary
				if len(rs) > 0 {
					var xs []float64
					for _, r := range rs {
						if v, ok := r.Final.Metric("accuracy"); ok && !math.IsNaN(v) {
							xs = append(xs, v)
						}
					}
					sum = results.Summarize(xs)
					ours = meanCI(sum)
					ns[len(rs)] = true
				} else if s == 0 && sr.name != "stl" {
					ours = "= STL"
				}
				row = append(row, results.Cell{Text: ours}, results.Cell{Text: refText(refRuns)})
				if len(rs) == 0 && unfinished[k] == 0 && len(refRuns) == 0 {
					continue
				}
				spec := ""
				if len(rs) > 0 {
					spec = rs[0].Strategy.String()
				}
				t.CSVRows = append(t.CSVRows, []string{e.Name, e.Init, label, spec, strconv.Itoa(s),
					strconv.Itoa(len(rs)), strconv.Itoa(unfinished[k]),
					csvFloat(sum.Mean, sum.N > 0), csvFloat(sum.Std, sum.N > 1), csvFloat(sum.CILow, sum.N > 1), csvFloat(sum.CIHigh, sum.N > 1),
					refList(refRuns, func(r Run) string { return strconv.FormatFloat(r.TestAccuracy, 'f', 2, 64) }),
					csvFloat(refMean(refRuns), len(refRuns) > 0),
					refList(refRuns, func(r Run) string { return r.Log + "#" + strconv.Itoa(r.Index) })})
			}
			row[2] = results.Cell{Text: runsText(counts, lost)}
			t.Rows = append(t.Rows, row)
		}
	}
	t.Notes = notes(ref, embs, ns, testSizes, outside)
	return t, nil
}

// recordInit is the run's Config.Init, "random" when unset.
func recordInit(r *results.Record) string {
	if s, ok := r.Config["init"].(string); ok && s != "" {
		return s
	}
	return "random"
}

// refCell returns the reference runs beside our (embedding, strategy,
// setting) cell, in file order.
func refCell(ref []Run, e Embedding, sr strategyRow, setting int) []Run {
	var out []Run
	for _, r := range ref {
		s, ok := r.SettingIndex()
		if !ok || s != setting || !slices.Contains(e.Ref, r.Embedding) {
			continue
		}
		if sr.ref == r.Strategy || sr.ref == "*" && s == 0 {
			out = append(out, r)
		}
	}
	return out
}

func meanCI(s results.Summary) string {
	if !s.Valid() {
		return results.Missing
	}
	if math.IsNaN(s.HalfWidth()) {
		return fmt.Sprintf("%.3f", s.Mean)
	}
	return fmt.Sprintf("%.3f ± %.3f", s.Mean, s.HalfWidth())
}

func refText(rs []Run) string {
	if len(rs) == 0 {
		return results.Missing
	}
	return refList(rs, func(r Run) string { return strconv.FormatFloat(r.TestAccuracy, 'f', 2, 64) }, " ")
}

func refList(rs []Run, f func(Run) string, sep ...string) string {
	s := ";"
	if len(sep) > 0 {
		s = sep[0]
	}
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = f(r)
	}
	return strings.Join(parts, s)
}

func refMean(rs []Run) float64 {
	sum := 0.0
	for _, r := range rs {
		sum += r.TestAccuracy
	}
	return sum / float64(len(rs))
}

func csvFloat(v float64, ok bool) string {
	if !ok || math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// runsText is the finished runs of a row's cells: "3", or "2–3" when they
// differ, with the unfinished ones added.
func runsText(counts []int, unfinished int) string {
	if len(counts) == 0 {
		return "0"
	}
	lo, hi := slices.Min(counts), slices.Max(counts)
	s := strconv.Itoa(lo)
	if hi != lo {
		s += "–" + strconv.Itoa(hi)
	}
	if unfinished > 0 {
		s += fmt.Sprintf(" (+%d unfinished)", unfinished)
	}
	return s
}

func notes(ref []Run, embs []Embedding, ns, testSizes map[int]bool, outside int) []string {
	var out []string
	reps := sortedKeys(ns)
	sizes := sortedKeys(testSizes)
	se := make([]string, len(sizes))
	for i, n := range sizes {
		se[i] = fmt.Sprintf("%d test reviews: binomial SE ≈ %.3f at 0.7", n, math.Sqrt(0.7*0.3/float64(n)))
	}
	spread := fmt.Sprintf("mean ± half-width of the 95%% Student-t interval over %s replicates", joinInts(reps, " or "))
	if slices.Equal(reps, []int{1}) {
		spread = "one replicate, so no interval"
	}
	out = append(out, fmt.Sprintf("ours: test accuracy after model selection on validation, %s; replicate r runs with seed r in every row, so rows are paired. "+
		"One run's own noise: %s. \"= STL\": setting 0 is primary-only training, run once, as STL.", spread, orNone(strings.Join(se, "; "))))
	out = append(out, "ref: test accuracy after epoch 25 logged by the authors' code "+
		"(github.com/NoakLiu/MT2ST-Adaptive-Multi-Task-to-Single-Task-Learning, commit 3d7ad30; results/paperref/REFERENCE.md), "+
		"2 decimals as printed, each value one single unseeded run on their 250 test reviews (binomial SE ≈ 0.03); "+
		"several values: several logged runs of that cell (the root logs and, for glove-twitter-100, the benchmark/Glove-Twitter logs).")
	out = append(out, "The reference code computes its auxiliary losses on a detached copy of the embedding: they carry no gradient, "+
		"so every reference MTL, Diminish and Switch run trains as primary-only training, and its settings and strategies differ by run-to-run noise only.")
	out = append(out, "Rows: MTL ↔ its MTL script; MT2ST-Diminish² (w(t) = 0.95^(2^(t−1))) ↔ its Diminish script, which squares its weight every epoch; "+
		"MT2ST-Switch ↔ its Switch script; MT2ST-Diminish (γ·exp(−ηt)) has no counterpart. "+
		"STL ↔ its setting 0 (primary only) under all three scripts.")
	var base []string
	for _, e := range embs {
		var vs []string
		for _, r := range ref {
			if r.Setting == "baseline" && slices.Contains(e.Ref, r.Embedding) {
				vs = append(vs, strconv.FormatFloat(r.TestAccuracy, 'f', 2, 64))
			}
		}
		if len(vs) > 0 {
			base = append(base, e.Name+" "+strings.Join(vs, " "))
		}
	}
	if len(base) > 0 {
		out = append(out, "Not compared: the reference's baseline runs (frozen embedding, Adam lr 0.05: another recipe): "+strings.Join(base, "; ")+".")
	}
	for _, e := range embs {
		out = append(out, e.Name+": "+e.About+".")
	}
	out = append(out, "Data: theirs 1,000 reviews sampled from the 50k labelled IMDB reviews (random_state=24), lemmatised, stop words removed; "+
		"ours the paper protocol's own sample and preprocessing, so the test reviews differ.")
	if outside > 0 {
		out = append(out, fmt.Sprintf("%d records of other initial embeddings, strategies or task lists are not in the table.", outside))
	}
	return out
}

func sortedKeys(m map[int]bool) []int {
	var ks []int
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func joinInts(xs []int, sep string) string {
	if len(xs) == 0 {
		return "0"
	}
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Itoa(x)
	}
	return strings.Join(parts, sep)
}

func orNone(s string) string {
	if s == "" {
		return "no test size recorded"
	}
	return s
}
