package pos

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/taskstest"
	"github.com/mt2st/mt2st/text"
)

// sentence builds a sentence from "Form/TAG" items.
func sentence(line int, items string) datasets.Sentence {
	s := datasets.Sentence{Line: line}
	for _, it := range strings.Fields(items) {
		form, tag, _ := strings.Cut(it, "/")
		s.Tokens = append(s.Tokens, datasets.Token{Form: form, UPOS: tag})
	}
	return s
}

var vocab = text.NewVocab([]string{"the", "cat", "dog", "runs", "sleeps", "a"})

func TestEncodeMapsUnknownWordsExplicitly(t *testing.T) {
	ss, err := Encode([]datasets.Sentence{sentence(1, "The/DET cat/NOUN purrs/VERB ./PUNCT"), sentence(7, "Dog/PROPN 42/NUM")}, vocab)
	if err != nil {
		t.Fatal(err)
	}
	wantIDs := []int32{vocab.ID("the"), vocab.ID("cat"), text.UnknownID, text.UnknownID, vocab.ID("dog"), text.UnknownID}
	for i, id := range wantIDs {
		if ss.IDs[i] != id {
			t.Errorf("word %d: id %d, want %d", i, ss.IDs[i], id)
		}
	}
	if ss.Words != 6 || ss.Known != 3 {
		t.Errorf("%d words, %d known; want 6, 3", ss.Words, ss.Known)
	}
	// "The": capitalised; ".": no letter or digit, unknown; "42": digit, unknown.
	for i, want := range map[int][shapes]float32{0: {1, 0, 0, 0, 0}, 3: {0, 0, 1, 1, 0}, 5: {0, 1, 0, 1, 0}} {
		if ss.Shape[i] != want {
			t.Errorf("shape of word %d: %v, want %v", i, ss.Shape[i], want)
		}
	}
	if Tags[ss.Tags[2]] != "VERB" || Tags[ss.Tags[4]] != "PROPN" {
		t.Errorf("tags %v", ss.Tags)
	}
	_, err = Encode([]datasets.Sentence{sentence(12, "x/BOGUS")}, vocab)
	if err == nil || !strings.Contains(err.Error(), "line 12") {
		t.Errorf("unknown tag: error %v, want one naming line 12", err)
	}
}

func TestWindowsStopAtSentenceEdges(t *testing.T) {
	sents := []datasets.Sentence{sentence(1, "the/DET cat/NOUN"), sentence(4, "a/DET dog/NOUN runs/VERB")}
	s, err := NewWith(sents, sents, sents, vocab, Config{Context: 2, Hidden: 4, Batch: 5})
	if err != nil {
		t.Fatal(err)
	}
	w := s.newWindow(1)
	s.fill(&w, s.train, []int32{1}) // "cat": the, cat | next sentence not visible
	want := []int32{-1, vocab.ID("the"), vocab.ID("cat"), -1, -1}
	for j, id := range want {
		if w.ids[j] != id {
			t.Errorf("window of cat: %v, want %v", w.ids, want)
			break
		}
	}
	if sh := w.shape.Data().([]float32); sh[4] != 1 || sh[3*shapes+4] != 1 || sh[2*shapes+4] != 0 {
		t.Errorf("outside-the-sentence features wrong: %v", sh)
	}
}

func toyTask(t *testing.T, batch int) (*POS, *graph.Model) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 1))
	var sents []datasets.Sentence
	dets, nouns, verbs := []string{"the", "a"}, []string{"cat", "dog"}, []string{"runs", "sleeps"}
	for i := range 40 {
		sents = append(sents, sentence(i+1, dets[rng.IntN(2)]+"/DET "+nouns[rng.IntN(2)]+"/NOUN "+verbs[rng.IntN(2)]+"/VERB ./PUNCT"))
	}
	s, err := NewWith(sents[:30], sents[30:], sents[30:], vocab, Config{Context: 1, Hidden: 6, Batch: batch})
	if err != nil {
		t.Fatal(err)
	}
	emb := graph.NewTable("embedding", vocab.Len(), 4)
	emb.Fill(graph.Uniform(-0.5, 0.5), 2)
	return s, graph.NewModel(emb, graph.DefaultAdam(), 2)
}

func TestLossGradientMatchesFiniteDifferences(t *testing.T) {
	s, m := toyTask(t, 6)
	rng := rand.New(rand.NewPCG(1, 1))
	s.StartEpoch(rng)
	s.NextBatch(rng)
	worst, where, err := taskstest.GradCheck(m, s, 1e-2, 30)
	if err != nil {
		t.Fatal(err)
	}
	if worst > 2e-2 {
		t.Errorf("gradient check: worst relative error %.3g at %s", worst, where)
	}
}

func TestTrainingLearnsToyTags(t *testing.T) {
	s, m := toyTask(t, 16)
	m.Opt.LR = 0.02
	p, err := m.Program(s)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	before, err := s.Evaluate(m, tasks.Validation)
	if err != nil {
		t.Fatal(err)
	}
	for range 30 {
		for range s.StartEpoch(rng) {
			s.NextBatch(rng)
			if _, err := p.Step([]float64{1}); err != nil {
				t.Fatal(err)
			}
		}
	}
	after, err := s.Evaluate(m, tasks.Test)
	if err != nil {
		t.Fatal(err)
	}
	if after["pos/accuracy"] != 1 {
		t.Errorf("accuracy %v -> %v on a deterministic toy grammar, want 1", before["pos/accuracy"], after["pos/accuracy"])
	}
	if _, ok := after["accuracy"]; ok {
		t.Error("metric key without the task name would collide with the primary's")
	}
}
