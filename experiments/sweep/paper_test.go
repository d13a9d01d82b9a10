package sweep

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mt2st/mt2st/experiments"
	"github.com/mt2st/mt2st/options"
	"github.com/mt2st/mt2st/results"
	"github.com/mt2st/mt2st/results/paperref"
)

// The paper's grid over the inits this build has: 13 configurations (STL,
// then 4 strategies × settings 1–3) per init, replicate r with seed r in
// every configuration, so rows are paired across inits too.
func TestPaperTableGrid(t *testing.T) {
	inits := []string{"skipgram", "cbow"}
	f, err := PaperTable{Reproduce: Reproduce{Seeds: 2, Strategies: paperSpecs(t)}, Inits: inits}.File()
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Expand(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Trials) != 2*13*2 || plan.Configurations != 2*13 {
		t.Fatalf("%d trials, %d configurations; want 52, 26", len(plan.Trials), plan.Configurations)
	}
	per := map[string]int{}
	for _, tr := range plan.Trials {
		per[tr.Config.Init]++
		if tr.Config.Seed != int64(tr.Replicate) || tr.Config.Encoder != "bilstm" || tr.Config.Epochs != 25 {
			t.Errorf("%s: seed %d for replicate %d, encoder %s, %d epochs", tr.ID, tr.Config.Seed, tr.Replicate, tr.Config.Encoder, tr.Config.Epochs)
		}
	}
	if per["skipgram"] != 26 || per["cbow"] != 26 {
		t.Errorf("trials per init %v, want 26 each", per)
	}
	if plan.Name != PaperTableName {
		t.Errorf("name %q", plan.Name)
	}
}

// --glove replaces our GloVe by a word2vec file: the glove trials read it.
func TestPaperTableGloveFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "glove-twitter-100.txt")
	if err := os.WriteFile(path, []byte("1 2\ngood 0.1 0.2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := PaperTable{Reproduce: Reproduce{Seeds: 1, Strategies: paperSpecs(t)}, Inits: []string{"glove"}, Glove: path}.File()
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Expand(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range plan.Trials {
		if tr.Config.Init != path {
			t.Fatalf("%s: init %q, want %s", tr.ID, tr.Config.Init, path)
		}
	}
}

func TestPaperTableRejects(t *testing.T) {
	cases := []struct {
		inits []string
		base  []options.Assignment
		want  string
	}{
		{[]string{"foo"}, nil, "valid: cbow,skipgram,fasttext-cbow,fasttext-sg,glove"},
		{[]string{"cbow", "cbow"}, nil, "cbow listed twice"},
		{nil, nil, "inits: none given"},
		{[]string{"cbow"}, []options.Assignment{{Key: "init", Value: "skipgram"}}, "--inits"},
	}
	// An init this build cannot pre-train (the fastText ones until they are
	// added) names the ones it can.
	for _, in := range paperref.PaperInits {
		if !slices.Contains(experiments.PretrainTasks, in) {
			cases = append(cases, struct {
				inits []string
				base  []options.Assignment
				want  string
			}{[]string{in}, nil, "cannot pre-train " + in})
		}
	}
	for _, c := range cases {
		_, err := PaperTable{Reproduce: Reproduce{Base: c.base, Seeds: 1, Strategies: paperSpecs(t)}, Inits: c.inits}.File()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: %v, want %q", c.inits, c.base, err, c.want)
		}
	}
}

// The table keeps only the plan's records and lands in paper_table.md and
// .csv; the plan text counts trials and estimates the compute.
func TestWritePaperTable(t *testing.T) {
	f, err := PaperTable{Reproduce: Reproduce{Seeds: 1, Strategies: paperSpecs(t)}, Inits: []string{"skipgram"}}.File()
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Expand(f)
	if err != nil {
		t.Fatal(err)
	}
	stl := plan.Trials[0]
	if stl.Config.Strategy.Name() != "stl" {
		t.Fatalf("first trial %s", stl.Config.Strategy)
	}
	rec := func(id string, acc float64) *results.Record {
		return &results.Record{ID: id, Strategy: stl.Config.Strategy, Tasks: stl.Config.Tasks, Status: results.StatusDone,
			Config: stl.Config.AsMap(), Final: results.Metrics{"accuracy": acc}}
	}
	dir := t.TempDir()
	embs, _ := PaperTable{Inits: []string{"skipgram"}}.Embeddings()
	var out bytes.Buffer
	paths, err := WritePaperTable(&out, dir, plan, embs, []*results.Record{rec(stl.ID, 0.712), rec("left-over-run", 0.1)})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 2 {
		t.Fatalf("paths %v", paths)
	}
	md, err := os.ReadFile(filepath.Join(dir, "paper_table.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), " 0.712 |") || strings.Contains(string(md), "0.100") || !strings.Contains(out.String(), "0.712") {
		t.Errorf("table:\n%s", md)
	}
	if _, err := os.Stat(filepath.Join(dir, "paper_table.csv")); err != nil {
		t.Error(err)
	}
	var plantext bytes.Buffer
	if err := WritePaperPlan(&plantext, plan, []string{"skipgram"}, 1); err != nil {
		t.Fatal(err)
	}
	// 13 trials of 25 epochs, shared prefixes trained once: 286 epochs at
	// 2.05 s = 9.8 min, at 18 s = 85.8 min.
	for _, s := range []string{"= 13 trials, 25 epochs each", "10 min when it is quiet", "1.4 h while others use it"} {
		if !strings.Contains(plantext.String(), s) {
			t.Errorf("plan lacks %q:\n%s", s, plantext.String())
		}
	}
}
