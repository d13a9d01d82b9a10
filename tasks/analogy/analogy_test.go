package analogy

import (
	"maps"
	"math/rand/v2"
	"strings"
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

// checkNoSharedPair fails when a reported question shares a relation pair
// (unordered, case-insensitive, in any section) with a training question.
// It returns the numbers of training and reported questions.
func checkNoSharedPair(t *testing.T, train, report []datasets.AnalogySection) (nTrain, nReport int) {
	t.Helper()
	trained := map[string]string{}
	for _, sec := range train {
		for _, q := range sec.Questions {
			nTrain++
			trained[PairKey(q.A, q.B)] = sec.Name
			trained[PairKey(q.C, q.D)] = sec.Name
		}
	}
	for _, sec := range report {
		for _, q := range sec.Questions {
			nReport++
			for _, p := range [][2]string{{q.A, q.B}, {q.C, q.D}} {
				if in, ok := trained[PairKey(p[0], p[1])]; ok {
					t.Errorf("reported question %q in %s shares the relation pair %v with a training question in %s", []string{q.A, q.B, q.C, q.D}, sec.Name, p, in)
				}
			}
		}
	}
	return nTrain, nReport
}

// twoSections is the fixture plus a second section that repeats five of its
// pairs, capitalised, one of them reversed, as capital-world repeats the
// pairs of capital-common-countries in questions-words.txt.
func twoSections() []datasets.AnalogySection {
	secs, _ := fixture()
	world := datasets.AnalogySection{Name: "capital-world"}
	pairs := [][2]string{{"Athens", "Greece"}, {"Berlin", "Germany"}, {"France", "Paris"}, {"Rome", "Italy"}, {"Lima", "Peru"}, {"Hanoi", "Vietnam"}, {"Kiev", "Ukraine"}, {"Quito", "Ecuador"}}
	for _, p := range pairs {
		for _, q := range pairs {
			if p != q {
				world.Questions = append(world.Questions, datasets.Analogy{A: p[0], B: p[1], C: q[0], D: q[1], Section: world.Name})
			}
		}
	}
	return append(secs, world)
}

func TestPairKeyIsUnorderedAndCaseFree(t *testing.T) {
	if PairKey("Paris", "France") != PairKey("france", "PARIS") {
		t.Errorf("PairKey(Paris, France) = %q, PairKey(france, PARIS) = %q: want one key", PairKey("Paris", "France"), PairKey("france", "PARIS"))
	}
	if PairKey("paris", "france") == PairKey("paris", "italy") {
		t.Error("different pairs share a key")
	}
}

func TestSplitKeepsRelationPairsApartAcrossSections(t *testing.T) {
	secs := twoSections()
	// Every split seed from 0 to 19 must hold; some of them must put a shared
	// pair on each side, or the fixture tests nothing.
	for seed := uint64(0); seed < 20; seed++ {
		train, report, _, err := splitSections(secs, seed, 0.5)
		if err != nil {
			t.Fatal(err)
		}
		nTrain, nReport := checkNoSharedPair(t, train, report)
		if nTrain == 0 || nReport == 0 {
			t.Errorf("seed %d: %d training and %d reported questions; the fixture should give both", seed, nTrain, nReport)
		}
	}
	// The task's own view agrees: its reported sections are the split's.
	_, vocab := fixture()
	a, err := NewWith(secs, vocab, 5, Config{TrainFraction: 0.5, Negatives: 3, Temperature: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	var trainSecs []datasets.AnalogySection
	for _, q := range a.TrainQuestions() {
		trainSecs = append(trainSecs, datasets.AnalogySection{Name: secs[q.Section].Name, Questions: []datasets.Analogy{{
			A: vocab.Word(q.A), B: vocab.Word(q.B), C: vocab.Word(q.C), D: vocab.Word(q.D)}}})
	}
	checkNoSharedPair(t, trainSecs, a.ReportSections())
}

func TestRealQuestionsSplitKeepsRelationPairsApart(t *testing.T) {
	dir, err := datasets.ResolveDirFor("", datasets.EvalMarkers...)
	if err != nil {
		t.Skipf("questions-words.txt not found, so the real split cannot be checked: %v", err)
	}
	secs, err := datasets.LoadAnalogies(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Split seeds 0 (every protocol's default) and 1.
	for _, seed := range []uint64{0, 1} {
		train, report, _, err := splitSections(secs, seed, DefaultTrainFraction)
		if err != nil {
			t.Fatal(err)
		}
		nTrain, nReport := checkNoSharedPair(t, train, report)
		if nTrain == 0 || nReport == 0 {
			t.Errorf("seed %d: %d training and %d reported questions", seed, nTrain, nReport)
		}
	}
}

func TestReportIsTheTasksReportedSide(t *testing.T) {
	secs := twoSections()
	_, vocab := fixture() // the capital-world-only cities are out of vocabulary
	a, err := NewWith(secs, vocab, 5, Config{TrainFraction: 0.5, Negatives: 3, Temperature: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewReport(secs, vocab, 5, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	listed, evaluated := 0, 0
	for _, sec := range r.Sections() {
		for _, q := range sec.Questions {
			listed++
			if _, ok := lookupAll(vocab, strings.ToLower(q.A), strings.ToLower(q.B), strings.ToLower(q.C), strings.ToLower(q.D)); ok {
				evaluated++
			}
		}
	}
	for _, d := range []map[string]any{a.Describe(), r.Describe()} {
		if d["reported_questions_listed"] != listed || d["reported_questions_evaluated"] != evaluated {
			t.Errorf("describe %v: want %d listed and %d evaluated reported questions", d, listed, evaluated)
		}
	}
	if evaluated == 0 || evaluated == listed {
		t.Errorf("%d of %d reported questions in the vocabulary: the fixture should have both kinds", evaluated, listed)
	}
	emb := graph.NewTable("embedding", vocab.Len(), 4)
	emb.Fill(graph.Uniform(-1, 1), 3)
	m := graph.NewModel(emb, graph.DefaultAdam(), 3)
	fromTask, err := a.Evaluate(m, tasks.Test)
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
	if fromReport[Name+"/questions"] != float64(evaluated) {
		t.Errorf("evaluated %v questions, describe says %d", fromReport[Name+"/questions"], evaluated)
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
