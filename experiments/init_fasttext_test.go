package experiments

import (
	"slices"
	"testing"

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
