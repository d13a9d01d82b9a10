package analogy

import (
	"math/rand/v2"
	"testing"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/taskstest"
	"github.com/mt2st/mt2st/text"
)

// A capital-country section built the way questions-words.txt is: every
// ordered pair of distinct relation pairs is a question.
var capitals = [][2]string{{"athens", "greece"}, {"berlin", "germany"}, {"paris", "france"}, {"rome", "italy"}, {"madrid", "spain"}, {"oslo", "norway"}, {"lima", "peru"}, {"cairo", "egypt"}}

func fixture() ([]datasets.AnalogySection, *text.Vocab) {
	sec := datasets.AnalogySection{Name: "capital-common-countries"}
	var words []string
	for _, p := range capitals {
		words = append(words, p[0], p[1])
	}
	line := 1
	for _, p := range capitals {
		for _, q := range capitals {
			if p == q {
				continue
			}
			line++
			sec.Questions = append(sec.Questions, datasets.Analogy{A: p[0], B: p[1], C: q[0], D: q[1], Section: sec.Name, Line: line})
		}
	}
	words = append(words, "the", "a", "film", "movie")
	return []datasets.AnalogySection{sec}, text.NewVocab(words)
}

func TestSplitKeepsRelationPairsApart(t *testing.T) {
	secs, vocab := fixture()
	a, err := NewWith(secs, vocab, 5, Config{TrainFraction: 0.5, Negatives: 3, Temperature: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	trainPairs := map[string]bool{}
	for _, q := range a.TrainQuestions() {
		trainPairs[vocab.Word(q.A)+" "+vocab.Word(q.B)] = true
		trainPairs[vocab.Word(q.C)+" "+vocab.Word(q.D)] = true
	}
	for _, q := range a.ReportSections()[0].Questions {
		for _, p := range []string{q.A + " " + q.B, q.C + " " + q.D} {
			if trainPairs[p] {
				t.Errorf("reported question %v uses trained relation pair %q", q, p)
			}
		}
	}
	if len(a.TrainQuestions()) == 0 || len(a.ReportSections()[0].Questions) == 0 {
		t.Fatalf("train %d, report %d questions: the fixture should give both", len(a.TrainQuestions()), len(a.ReportSections()[0].Questions))
	}
}

func TestLossGradientMatchesFiniteDifferences(t *testing.T) {
	secs, vocab := fixture()
	a, err := NewWith(secs, vocab, 5, Config{TrainFraction: 0.5, Batch: 4, Negatives: 3, Temperature: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	emb := graph.NewTable("embedding", vocab.Len(), 4)
	emb.Fill(graph.Uniform(-1, 1), 3)
	m := graph.NewModel(emb, graph.DefaultAdam(), 3)
	rng := rand.New(rand.NewPCG(1, 2))
	a.StartEpoch(rng)
	a.NextBatch(rng)
	worst, where, err := taskstest.GradCheck(m, a, 1e-2, 40)
	if err != nil {
		t.Fatal(err)
	}
	if worst > 2e-2 {
		t.Errorf("gradient check: worst relative error %.3g at %s", worst, where)
	}
}

func TestTrainingSolvesTrainingQuestions(t *testing.T) {
	secs, vocab := fixture()
	a, err := NewWith(secs, vocab, 5, Config{TrainFraction: 0.5, Negatives: 5, Temperature: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	emb := graph.NewTable("embedding", vocab.Len(), 8)
	emb.Fill(graph.Uniform(-1, 1), 3)
	m := graph.NewModel(emb, graph.DefaultAdam(), 3)
	m.Opt.LR = 0.05
	p, err := m.Program(a)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	a.StartEpoch(rng)
	var first, last float64
	for step := 0; step < 150; step++ {
		a.NextBatch(rng)
		l, err := p.Step([]float64{1})
		if err != nil {
			t.Fatal(err)
		}
		if step == 0 {
			first = l[0]
		}
		last = l[0]
	}
	if !(last < first/2) {
		t.Errorf("loss %g -> %g after 150 steps, want it halved", first, last)
	}
	met, err := a.Evaluate(m, tasks.Test)
	if err != nil {
		t.Fatal(err)
	}
	if met["analogy/questions"] == 0 {
		t.Errorf("no reported question evaluated: %v", met)
	}
}

func TestNegativesNeverTheAnswer(t *testing.T) {
	secs, vocab := fixture()
	a, err := NewWith(secs, vocab, 5, Config{TrainFraction: 0.5, Batch: 3, Negatives: 6, Temperature: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	a.StartEpoch(rng)
	for range 50 {
		a.NextBatch(rng)
		for i := range a.d {
			for _, n := range a.neg[i*a.negatives : (i+1)*a.negatives] {
				if a.d[i] >= 0 && n == a.d[i] {
					t.Fatalf("negative equals the answer %d", n)
				}
				if a.d[i] >= 0 && (n <= 0 || int(n) >= vocab.Len()) {
					t.Fatalf("negative %d outside the vocabulary rows 1..%d", n, vocab.Len()-1)
				}
			}
		}
	}
}
