package similarity

import (
	"maps"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/taskstest"
	"github.com/mt2st/mt2st/text"
	"github.com/mt2st/mt2st/wordvec"
)

var words = []string{"cat", "dog", "car", "truck", "happy", "sad", "big", "small", "red", "blue", "run", "walk"}

func fixtureLists() []datasets.SimilarityList {
	var a, b datasets.SimilarityList
	a.Name, b.Name = "A", "B"
	line := 0
	for i := 0; i < len(words); i++ {
		for j := i + 1; j < len(words); j++ {
			line++
			p := datasets.WordPair{A: words[i], B: words[j], Score: float64((i*7+j*3)%11) / 10 * 10, Line: line}
			a.Pairs = append(a.Pairs, p)
			if (i+j)%2 == 0 {
				p.Score = float64((i*5+j)%7) / 7 * 4 // another list, another range, some shared pairs
				b.Pairs = append(b.Pairs, p)
			}
		}
	}
	// An out-of-vocabulary pair, on whichever side its hash puts it.
	a.Pairs = append(a.Pairs, datasets.WordPair{A: "zebra", B: "cat", Score: 5, Line: line + 1})
	return []datasets.SimilarityList{a, b}
}

func TestSplitIsDisjointAndConsistentAcrossLists(t *testing.T) {
	vocab := text.NewVocab(words)
	s, err := NewWith(fixtureLists(), vocab, 3, 0.5, 0)
	if err != nil {
		t.Fatal(err)
	}
	trained := map[string]bool{}
	for _, p := range s.TrainPairs() {
		trained[PairKey(vocab.Word(p.A), vocab.Word(p.B))] = true
		if p.Target < 0 || p.Target > 1 {
			t.Errorf("target %v outside [0,1]", p.Target)
		}
	}
	if len(trained) == 0 {
		t.Fatal("no training pairs")
	}
	reported := 0
	for _, l := range s.ReportLists() {
		for _, p := range l.Pairs {
			reported++
			if trained[PairKey(p.A, p.B)] {
				t.Errorf("pair %s–%s of list %s is both trained and reported", p.A, p.B, l.Name)
			}
		}
	}
	if reported == 0 {
		t.Fatal("nothing reported")
	}
	// The same pair in both lists is on the same side: B's reported pairs are
	// exactly B's pairs that are not trained.
	for _, p := range fixtureLists()[1].Pairs {
		if IsTrainPair(3, 0.5, p.A, p.B) != trained[PairKey(p.A, p.B)] {
			t.Errorf("pair %s–%s: split disagrees between lists", p.A, p.B)
		}
	}
}

func TestSplitDependsOnSeed(t *testing.T) {
	diff := 0
	for i := 0; i < len(words); i++ {
		for j := i + 1; j < len(words); j++ {
			if IsTrainPair(1, 0.5, words[i], words[j]) != IsTrainPair(2, 0.5, words[i], words[j]) {
				diff++
			}
		}
	}
	if diff == 0 {
		t.Error("split seeds 1 and 2 give the same split of 66 pairs")
	}
}

func newModel(vocab *text.Vocab, dim int) *graph.Model {
	emb := graph.NewTable("embedding", vocab.Len(), dim)
	emb.Fill(graph.Uniform(-1, 1), 11)
	return graph.NewModel(emb, graph.DefaultAdam(), 11)
}

func TestLossGradientMatchesFiniteDifferences(t *testing.T) {
	vocab := text.NewVocab(words)
	s, err := NewWith(fixtureLists(), vocab, 3, 0.5, 8)
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(vocab, 5)
	rng := rand.New(rand.NewPCG(1, 1))
	s.StartEpoch(rng)
	s.NextBatch(rng)
	worst, where, err := taskstest.GradCheck(m, s, 1e-2, 50)
	if err != nil {
		t.Fatal(err)
	}
	if worst > 2e-2 {
		t.Errorf("gradient check: worst relative error %.3g at %s", worst, where)
	}
}

func TestTrainingRaisesTrainCorrelation(t *testing.T) {
	vocab := text.NewVocab(words)
	s, err := NewWith(fixtureLists(), vocab, 3, 0.5, 0)
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(vocab, 8)
	m.Opt.LR = 0.05
	p, err := m.Program(s)
	if err != nil {
		t.Fatal(err)
	}
	var first, last float64
	for step := 0; step < 200; step++ {
		s.NextBatch(nil)
		l, err := p.Step([]float64{1})
		if err != nil {
			t.Fatal(err)
		}
		if step == 0 {
			first = l[0]
		}
		last = l[0]
	}
	if !(last < first/4) {
		t.Errorf("loss %g -> %g after 200 full-batch steps, want a 4x drop", first, last)
	}
}

func TestEvaluateReportsHeldOutListsAsWordvec(t *testing.T) {
	vocab := text.NewVocab(words)
	s, err := NewWith(fixtureLists(), vocab, 3, 0.5, 0)
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(vocab, 6)
	got, err := s.Evaluate(m, tasks.Test)
	if err != nil {
		t.Fatal(err)
	}
	vecs, err := tasks.LiveVectors(m, vocab)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	n := 0
	for _, l := range s.ReportLists() {
		want := wordvec.EvaluateWordPairs(vecs, l, len(vecs.Words))
		if math.IsNaN(want.Spearman) {
			continue
		}
		if g := got["similarity/"+l.Name+"/spearman"]; math.Abs(g-want.Spearman) > 1e-12 {
			t.Errorf("list %s: %v, wordvec says %v", l.Name, g, want.Spearman)
		}
		sum += want.Spearman
		n++
	}
	if math.Abs(got["similarity/spearman_mean"]-sum/float64(n)) > 1e-12 {
		t.Errorf("mean %v, want %v", got["similarity/spearman_mean"], sum/float64(n))
	}
}

func TestNoTrainablePairIsAnError(t *testing.T) {
	_, err := NewWith(fixtureLists(), text.NewVocab([]string{"x", "y"}), 3, 0.5, 0)
	if err == nil {
		t.Error("no error when no training pair is in the vocabulary")
	}
}

func TestReportCountsAndMetricsMatchTheTask(t *testing.T) {
	// "zebra" and "truck" are left out of the vocabulary, so some reported
	// pairs of each list are not evaluated.
	var inVocab []string
	for _, w := range words {
		if w != "truck" {
			inVocab = append(inVocab, w)
		}
	}
	vocab := text.NewVocab(inVocab)
	lists := fixtureLists()
	s, err := NewWith(lists, vocab, 3, 0.5, 0)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewReport(lists, vocab, 3, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	listedBy, evaluatedBy := map[string]int{}, map[string]int{}
	listed, evaluated := 0, 0
	for _, l := range r.Lists() {
		for _, p := range l.Pairs {
			listed++
			listedBy[l.Name]++
			_, okA := vocab.Lookup(p.A)
			_, okB := vocab.Lookup(p.B)
			if okA && okB {
				evaluated++
				evaluatedBy[l.Name]++
			}
		}
	}
	if evaluated == 0 || evaluated == listed {
		t.Fatalf("%d of %d reported pairs in the vocabulary: the fixture should have both kinds", evaluated, listed)
	}
	for _, d := range []map[string]any{s.Describe(), r.Describe()} {
		if d["reported_pairs_listed"] != listed || d["reported_pairs_evaluated"] != evaluated ||
			!maps.Equal(d["reported_pairs_listed_by_list"].(map[string]int), listedBy) ||
			!maps.Equal(d["reported_pairs_evaluated_by_list"].(map[string]int), evaluatedBy) {
			t.Errorf("describe %v: want %d listed %v and %d evaluated %v", d, listed, listedBy, evaluated, evaluatedBy)
		}
	}
	emb := graph.NewTable("embedding", vocab.Len(), 4)
	emb.Fill(graph.Uniform(-1, 1), 3)
	m := graph.NewModel(emb, graph.DefaultAdam(), 3)
	fromTask, err := s.Evaluate(m, tasks.Test)
	if err != nil {
		t.Fatal(err)
	}
	fromReport, err := r.Evaluate(m)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(fromTask, fromReport) {
		t.Errorf("task metrics %v, report metrics %v: want the same", fromTask, fromReport)
	}
	for name, n := range evaluatedBy {
		if fromReport[Name+"/"+name+"/pairs"] != float64(n) {
			t.Errorf("list %s: %v pairs evaluated, describe says %d", name, fromReport[Name+"/"+name+"/pairs"], n)
		}
	}
}
