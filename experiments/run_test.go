package experiments

import (
	"context"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mt2st/mt2st/strategies"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/results"
	"github.com/mt2st/mt2st/tasks"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var (
	sharedOnce sync.Once
	shared     *Data
	sharedErr  error
)

// fixtureDir is the module's tiny data fixture (testdata/data/README.md):
// 60 + 60 labelled reviews, 40 unlabelled, 13 small similarity lists, 14
// analogy sections, a few CoNLL-U sentences, in the real files' formats.
const fixtureDir = "../testdata/data"

// testData loads the data fixture once for all tests of the package. Its
// IMDB splits are small, so the size check is off.
func testData(t *testing.T) *Data {
	t.Helper()
	sharedOnce.Do(func() {
		dir, err := filepath.Abs(fixtureDir)
		if err != nil {
			sharedErr = err
			return
		}
		shared = NewData(dir)
		shared.AnySize = true
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return shared
}

// tinyConfig is the paper protocol on the fixture: its 120 reviews, the
// bag encoder, minibatches of 16, three epochs.
func tinyConfig(t *testing.T, strategy string, taskNames ...string) Config {
	t.Helper()
	c, err := Defaults("paper")
	if err != nil {
		t.Fatal(err)
	}
	c.Sample, c.TestSize, c.ValFraction = 120, 40, 0.25
	c.Encoder, c.Batch, c.Epochs, c.MaxTokens = "bag", 16, 3, 50
	c.Strategy = strategies.MustParseSpec(strategy)
	if len(taskNames) > 0 {
		c.Tasks = taskNames
	}
	c.DataDir = testData(t).Dir
	return c
}

func TestRunTinySliceWritesRecord(t *testing.T) {
	data := testData(t)
	cfg := tinyConfig(t, "switch:epoch=2,lambda=1")
	tr, err := Run(context.Background(), cfg, data, Hooks{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	r := tr.Record
	if r.Status != results.StatusDone || len(r.Epochs) != 3 {
		t.Fatalf("status %s with %d epochs, want done with 3", r.Status, len(r.Epochs))
	}
	if m := r.Machine; m == nil || m.Workers != 2 || m.GOMAXPROCS < 1 || m.GEMM == "" {
		t.Errorf("record machine %+v, want this machine with the 2 workers of the hooks", m)
	}
	// Per-review test correctness, for paired tests: one bit per test review
	// (tinyConfig keeps 40), agreeing with the test accuracy.
	correct, err := results.DecodeCorrect(r.TestCorrect)
	if err != nil || len(correct) != 40 {
		t.Fatalf("test correctness: %d reviews, %v; want 40", len(correct), err)
	}
	right := 0
	for _, c := range correct {
		if c {
			right++
		}
	}
	if got := float64(right) / 40; got != r.Final["accuracy"] {
		t.Errorf("correctness gives accuracy %v, the record says %v", got, r.Final["accuracy"])
	}
	for _, e := range r.Epochs {
		wantRan := []string{"sentiment", "similarity", "analogy"}
		if e.Epoch > 2 {
			wantRan = []string{"sentiment"}
		}
		if !slices.Equal(e.Ran, wantRan) {
			t.Errorf("epoch %d ran %v, want %v (Switch at epoch 2)", e.Epoch, e.Ran, wantRan)
		}
		if e.Epoch > 2 && (e.Weights["similarity"] != 0 || e.Weights["analogy"] != 0) {
			t.Errorf("epoch %d weights %v, want 0 after the switch", e.Epoch, e.Weights)
		}
		if _, ok := e.Loss["similarity"]; ok != (e.Epoch <= 2) {
			t.Errorf("epoch %d: similarity loss recorded = %v", e.Epoch, ok)
		}
		if e.Val["accuracy"] <= 0 || e.Seconds <= 0 || e.CumSeconds < e.Seconds {
			t.Errorf("epoch %d: val %v seconds %v cum %v", e.Epoch, e.Val, e.Seconds, e.CumSeconds)
		}
	}
	for _, k := range []string{"accuracy", "macro_f1", "similarity/spearman_mean", "analogy/3cosadd", "analogy/3cosmul"} {
		if _, ok := r.Final[k]; !ok {
			t.Errorf("final metrics lack %s: %v", k, keys(r.Final))
		}
	}
	if tr.Model.Runs("similarity") != 2*r.Epochs[0].Steps || tr.Model.Runs("sentiment") != 3*r.Epochs[0].Steps {
		t.Errorf("head executions: sentiment %d similarity %d, steps per epoch %d", tr.Model.Runs("sentiment"), tr.Model.Runs("similarity"), r.Epochs[0].Steps)
	}
	dir := t.TempDir()
	path, err := results.WriteRecord(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	back, err := results.ReadRecord(path)
	if err != nil {
		t.Fatal(err)
	}
	if back.ID != r.ID || back.Final["accuracy"] != r.Final["accuracy"] || len(back.Epochs) != 3 {
		t.Errorf("record did not round-trip: %+v", back)
	}
	if filepath.Base(path) != r.ID+".json" {
		t.Errorf("record file %s", path)
	}
}

func TestMTLEmbeddingDiffersFromSTLAndIdleHeadsChangeNothing(t *testing.T) {
	data := testData(t)
	run := func(strategy string, taskNames ...string) *graph.Model {
		tr, err := Run(context.Background(), tinyConfig(t, strategy, taskNames...), data, Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		return tr.Model
	}
	stlAlone := run("stl", "sentiment")
	stlWithAux := run("stl", "sentiment", "similarity", "analogy")
	mtl := run("mtl:lambda=1", "sentiment", "similarity", "analogy")
	if !slices.Equal(stlAlone.Embedding.W, stlWithAux.Embedding.W) {
		t.Error("STL with auxiliary tasks at weight 0 trained a different embedding than STL alone: the idle heads changed something")
	}
	if stlWithAux.Runs("similarity") != 0 || stlWithAux.Runs("analogy") != 0 {
		t.Errorf("auxiliary heads executed under STL: similarity %d analogy %d", stlWithAux.Runs("similarity"), stlWithAux.Runs("analogy"))
	}
	if slices.Equal(stlAlone.Embedding.W, mtl.Embedding.W) {
		t.Error("MTL and STL with the same seed trained the same embedding: the auxiliary gradients did not reach it")
	}
}

func TestSameSeedSameResult(t *testing.T) {
	data := testData(t)
	cfg := tinyConfig(t, "diminish:gamma=1,eta=0.5,nu=1")
	cfg.Epochs = 2
	a, err := Run(context.Background(), cfg, data, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(context.Background(), cfg, data, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Record.Epochs {
		ea, eb := a.Record.Epochs[i], b.Record.Epochs[i]
		for task, l := range ea.Loss {
			if eb.Loss[task] != l {
				t.Errorf("epoch %d %s loss %v then %v", ea.Epoch, task, l, eb.Loss[task])
			}
		}
		if ea.Val["accuracy"] != eb.Val["accuracy"] {
			t.Errorf("epoch %d val accuracy %v then %v", ea.Epoch, ea.Val["accuracy"], eb.Val["accuracy"])
		}
	}
}

// nanTask is an auxiliary task whose loss turns NaN after failAfter steps.
type nanTask struct {
	ids    []int32
	factor *tensor.Dense
	steps  int
}

const failAfter = 10

func (n *nanTask) Name() string              { return "test-nan" }
func (n *nanTask) StartEpoch(*rand.Rand) int { return 1 }
func (n *nanTask) Evaluate(*graph.Model, tasks.Split) (tasks.Metrics, error) {
	return tasks.Metrics{}, nil
}
func (n *nanTask) NextBatch(*rand.Rand) {
	n.steps++
	v := float32(1)
	if n.steps > failAfter {
		v = float32(math.NaN())
	}
	for i := range n.factor.Data().([]float32) {
		n.factor.Data().([]float32)[i] = v
	}
}
func (n *nanTask) Build(b *graph.Builder) (*G.Node, error) {
	x, err := b.Rows(b.Embedding(), n.ids, "x")
	if err != nil {
		return nil, err
	}
	p, err := G.HadamardProd(x, b.Input("factor", n.factor))
	if err != nil {
		return nil, err
	}
	return G.Sum(p)
}

func init() {
	tasks.Register("test-nan", func(env *tasks.Env) (tasks.Task, error) {
		return &nanTask{ids: []int32{1, 2}, factor: tensor.New(tensor.WithShape(2, env.Dim), tensor.Of(tensor.Float32))}, nil
	})
}

func TestNaNLossFailsTheRunAndKeepsFinishedEpochs(t *testing.T) {
	data := testData(t)
	cfg := tinyConfig(t, "mtl:lambda=1", "sentiment", "test-nan")
	cfg.Epochs = 5
	tr, err := Run(context.Background(), cfg, data, Hooks{})
	if err == nil {
		t.Fatal("no error from a run whose loss turned NaN")
	}
	msg := err.Error()
	if !strings.Contains(msg, "loss of task test-nan is NaN") || !strings.Contains(msg, "epoch 3") {
		t.Errorf("error %q should name the task, the value and the epoch", msg)
	}
	// 120 sampled − 40 test − 25% validation = 60 training reviews, batches of
	// 16 = 4 steps an epoch: epochs 1 and 2 finish, the 11th step (epoch 3,
	// step 3) fails.
	if tr == nil || tr.Record.Status != results.StatusFailed || tr.Record.Error == "" || len(tr.Record.Epochs) != 2 {
		t.Fatalf("want a failed record with its error and the 2 finished epochs, got %+v", tr.Record)
	}
	if _, err := results.WriteRecord(t.TempDir(), tr.Record); err != nil {
		t.Errorf("the failed record cannot be written: %v", err)
	}
}

func TestConfigErrorsNameTheValue(t *testing.T) {
	data := testData(t)
	cases := []struct {
		edit func(*Config)
		want string
	}{
		{func(c *Config) { c.Tasks = []string{"sentiment", "similarty"} }, `unknown task "similarty": registered tasks are`},
		{func(c *Config) { c.Settings = map[string]string{"sentiment.hiden": "3"} }, "unknown setting sentiment.hiden"},
		{func(c *Config) { c.Settings = map[string]string{"similarity.batch": "x"} }, `setting similarity.batch="x": want an integer`},
		{func(c *Config) { c.Encoder = "cnn" }, `encoder "cnn": valid encoders are bag, bilstm`},
		{func(c *Config) { c.Protocol = "glue" }, `protocol "glue": valid protocols are paper, imdb`},
		{func(c *Config) { c.Epochs = 0 }, "epochs 0: want >= 1"},
	}
	for _, c := range cases {
		cfg := tinyConfig(t, "stl")
		c.edit(&cfg)
		_, err := Run(context.Background(), cfg, data, Hooks{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want it to contain %q", err, c.want)
		}
	}
}

func TestCancelledRunKeepsFinishedEpochs(t *testing.T) {
	data := testData(t)
	ctx, cancel := context.WithCancel(context.Background())
	cfg := tinyConfig(t, "stl", "sentiment")
	tr, err := Run(ctx, cfg, data, Hooks{Epoch: func(e results.Epoch) {
		if e.Epoch == 2 {
			cancel()
		}
	}})
	if err == nil || tr == nil {
		t.Fatalf("want an error and a record, got %v, %v", err, tr)
	}
	if len(tr.Record.Epochs) != 2 || tr.Record.Status != results.StatusFailed {
		t.Errorf("record has %d epochs, status %s; want the 2 finished, failed", len(tr.Record.Epochs), tr.Record.Status)
	}
}

func TestConfigHashIsStable(t *testing.T) {
	c, err := Defaults("paper")
	if err != nil {
		t.Fatal(err)
	}
	c.Strategy = strategies.MustParseSpec("switch:epoch=15")
	d := c
	d.Strategy = strategies.MustParseSpec("switch:lambda=1,epoch=15") // the same strategy spelled differently
	d.DataDir = "/elsewhere"                                          // not part of the identity
	if c.Hash() != d.Hash() || c.ID() != d.ID() {
		t.Errorf("equal configurations hash differently: %s vs %s", c.ID(), d.ID())
	}
	d.Seed++
	if c.Hash() == d.Hash() {
		t.Error("a different seed gives the same hash")
	}
}

func TestSettingLabels(t *testing.T) {
	for _, c := range []struct {
		tasks []string
		want  string
	}{
		{[]string{"sentiment"}, "0: primary only"},
		{[]string{"sentiment", "similarity"}, "1: +similarity"},
		{[]string{"sentiment", "analogy"}, "2: +analogy"},
		{[]string{"sentiment", "similarity", "analogy"}, "3: +similarity +analogy"},
		{[]string{"sentiment", "analogy", "similarity"}, "+analogy +similarity"},
	} {
		if got := SettingLabel(c.tasks); got != c.want {
			t.Errorf("SettingLabel(%v) = %q, want %q", c.tasks, got, c.want)
		}
	}
}

func keys(m results.Metrics) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// val_every_steps adds validation checks inside epochs without changing the
// training: every loss, weight and final metric equals the run without it.
func TestValEveryStepsChangesNoTraining(t *testing.T) {
	data := testData(t)
	plain := tinyConfig(t, "mtl:lambda=1")
	checked := plain
	checked.ValEverySteps = 2
	a, err := Run(context.Background(), plain, data, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(context.Background(), checked, data, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(a.Record.Final, b.Record.Final) {
		t.Errorf("final metrics differ: %v vs %v", a.Record.Final, b.Record.Final)
	}
	for i, e := range a.Record.Epochs {
		f := b.Record.Epochs[i]
		if !maps.Equal(e.Loss, f.Loss) || !maps.Equal(e.Val, f.Val) {
			t.Errorf("epoch %d: loss %v vs %v, val %v vs %v", e.Epoch, e.Loss, f.Loss, e.Val, f.Val)
		}
		// tinyConfig: 60 training reviews in minibatches of 16 = 4 steps per
		// epoch, so checks after steps 2 (and 6, 10) — never at the epoch end.
		if len(e.Checks) != 0 || len(f.Checks) != 1 || f.Checks[0].Step != 2+4*(e.Epoch-1) {
			t.Errorf("epoch %d: checks %+v without, %+v with val_every_steps=2", e.Epoch, e.Checks, f.Checks)
		}
		if c := f.Checks; len(c) == 1 && !(c[0].CumSeconds > 0 && c[0].CumSeconds < f.CumSeconds) {
			t.Errorf("epoch %d: check at %v s, epoch ends at %v s", e.Epoch, c[0].CumSeconds, f.CumSeconds)
		}
	}
}

// smallData is NewData for a test's own small IMDB files (the size check
// off).
func smallData(dir string) *Data {
	d := NewData(dir)
	d.AnySize = true
	return d
}

func TestRunRecordsItsDataAndTheIDFollowsIt(t *testing.T) {
	// A copy of the fixture in which one similarity list is changed.
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(fixtureDir)); err != nil {
		t.Fatal(err)
	}
	cfg := tinyConfig(t, "stl", "sentiment")
	cfg.Epochs = 1
	cfg.DataDir = dir
	first, err := Run(context.Background(), cfg, smallData(dir), Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	r := first.Record
	// Every file the run read, with the fixture's rows (testdata/data/generate.py):
	// 60 reviews per IMDB split, 8 pairs per list, the analogy questions.
	rows := map[string]int{}
	for _, f := range r.Data {
		rows[f.Path] = f.Rows
		if len(f.SHA256) != 64 {
			t.Errorf("%s: sha256 %q", f.Path, f.SHA256)
		}
	}
	if rows["imdb/train.tsv.gz"] != 60 || rows["imdb/test.tsv.gz"] != 60 || rows["word-similarity/EN-MC-30.txt"] != 8 || rows["analogy/questions-words.txt"] == 0 {
		t.Errorf("record data %+v", r.Data)
	}
	if _, ok := rows["imdb/unsup.tsv.gz"]; ok {
		t.Error("unsup listed, but this run does not read the corpus")
	}
	if len(r.Data) != 2+13+1 {
		t.Errorf("%d files recorded, want IMDB train and test, 13 lists and the analogies", len(r.Data))
	}
	if fp, _ := r.Config["data_fingerprint"].(string); len(fp) != 12 {
		t.Errorf("config data_fingerprint %v", r.Config["data_fingerprint"])
	}

	// The same data again: the same ID. Changed data: another ID.
	again, err := Run(context.Background(), cfg, smallData(dir), Hooks{})
	if err != nil || again.Record.ID != r.ID {
		t.Fatalf("same data: ID %s, want %s (%v)", again.Record.ID, r.ID, err)
	}
	list := filepath.Join(dir, "word-similarity", "EN-MC-30.txt")
	if err := os.WriteFile(list, []byte("king\tqueen\t9.00\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	changed, err := Run(context.Background(), cfg, smallData(dir), Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if changed.Record.ID == r.ID {
		t.Errorf("changed data, same ID %s", r.ID)
	}

	// A run planned on the old data refuses the new.
	planned := cfg
	planned.DataFingerprint = r.Config["data_fingerprint"].(string)
	if _, err := Run(context.Background(), planned, smallData(dir), Hooks{}); err == nil || !strings.Contains(err.Error(), "the data changed") {
		t.Errorf("planned on other data: err = %v", err)
	}
}

func TestTruncatedIMDBIsRejected(t *testing.T) {
	dir, err := filepath.Abs(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := tinyConfig(t, "stl", "sentiment")
	_, err = Run(context.Background(), cfg, NewData(dir), Hooks{})
	for _, want := range []string{filepath.Join(dir, "imdb", "train.tsv.gz"), "holds 60 reviews, want 25000", "--data-check=false"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("fixture IMDB with the size check: %v; want %q", err, want)
		}
	}
}
