package experiments

import (
	"context"
	"slices"
	"testing"

	"github.com/mt2st/mt2st/strategies"

	"github.com/mt2st/mt2st/tasks/fasttext"
	"github.com/mt2st/mt2st/text"
	"github.com/mt2st/mt2st/wordvec"
)

// --init fasttext-sg: a run-vocabulary word the pre-training had keeps its
// vector; one it lacked is built from the pre-trained n-gram rows; other
// sources pass through unchanged.
func TestComposeInitBuildsOutOfVocabularyWords(t *testing.T) {
	const buckets = 5000
	grams := fasttext.AppendNgrams(nil, "moviez", 3, 6, buckets)
	keys := []string{"movie", fasttext.NgramKey(grams[0])}
	pre, err := wordvec.NewVectors(keys, 2, []float32{1, 2, 4, 6})
	if err != nil {
		t.Fatal(err)
	}
	p := Config{Settings: map[string]string{"fasttext-sg.buckets": "5000"}}
	vocab := text.NewVocab([]string{"movie", "moviez"})
	v, composed, err := composeInit(initSpec{source: "fasttext-sg", pretrain: &p}, pre, vocab)
	if err != nil {
		t.Fatal(err)
	}
	if composed != 1 || !slices.Equal(v.Words, []string{"movie", "moviez"}) {
		t.Fatalf("words %v, %d composed; want movie and moviez, moviez composed", v.Words, composed)
	}
	if x, _ := v.Vector("moviez"); !slices.Equal(x, []float32{4, 6}) {
		t.Errorf("moviez = %v, want its one known n-gram row (4, 6)", x)
	}
	p.Settings = nil
	same, n, err := composeInit(initSpec{source: "skipgram", pretrain: &p}, pre, vocab)
	if err != nil || n != 0 || same != pre {
		t.Errorf("skipgram init changed the vectors (%d composed, err %v)", n, err)
	}
}

// --init fasttext-sg end to end on the fake data: the run's vocabulary
// (training reviews, min_count 1) holds each review's own marker word, which
// the pre-training vocabulary (corpus, min_count 5) lacks, so those words
// are built from n-grams; and fasttext-cbow trains as an auxiliary task with
// a step budget.
func TestFastTextInitAndAuxiliaryBudget(t *testing.T) {
	dir := fakeData(t)
	data := smallData(dir)
	c := fakeConfig(t, dir, "sentiment", "similarity")
	c.Init, c.CacheDir = "fasttext-sg", t.TempDir()
	c.Settings = map[string]string{"init.epochs": "1", "fasttext-sg.batch": "64", "fasttext-sg.buckets": "10000"}
	tr, err := Run(context.Background(), c, data, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	info := tr.Record.Describe["init"].(map[string]any)
	composed, _ := info["composed_from_ngrams"].(int)
	if composed == 0 || info["mapped_words"].(int) <= composed {
		t.Errorf("init record %v: want words mapped, some of them composed from n-grams", info)
	}

	c = fakeConfig(t, dir, "sentiment", "fasttext-cbow")
	c.Strategy = strategies.MustParseSpec("mtl:lambda=0.5")
	c.Settings = map[string]string{"fasttext-cbow.batch": "16", "fasttext-cbow.buckets": "10000", "fasttext-cbow.steps_per_step": "4"}
	tr, err = Run(context.Background(), c, data, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range tr.Record.Epochs {
		if e.TaskSteps["fasttext-cbow"] != 4*e.Steps || e.Examples["fasttext-cbow"] == 0 || e.Loss["fasttext-cbow"] <= 0 {
			t.Errorf("epoch %d: fasttext-cbow steps %d (primary %d), examples %d, loss %v; want 4 per primary step",
				e.Epoch, e.TaskSteps["fasttext-cbow"], e.Steps, e.Examples["fasttext-cbow"], e.Loss["fasttext-cbow"])
		}
	}
}
