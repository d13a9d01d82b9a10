package sentiment

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/metrics"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/taskstest"
)

// toyDocs: ids 1–4 lean positive, 5–8 negative; lengths 1..T so padding and
// masking are exercised.
func toyDocs(n, t int, seed uint64) []tasks.Document {
	rng := rand.New(rand.NewPCG(seed, 1))
	docs := make([]tasks.Document, n)
	for i := range docs {
		label := i % 2
		ids := make([]int32, 1+rng.IntN(t))
		for j := range ids {
			ids[j] = int32(1 + rng.IntN(4) + 4*(1-label))
			if rng.IntN(4) == 0 {
				ids[j] = int32(1 + rng.IntN(8))
			}
		}
		docs[i] = tasks.Document{IDs: ids, Label: label}
	}
	return docs
}

func toyTask(t *testing.T, encoder string, batch, evalBatch int) (*Sentiment, *graph.Model) {
	t.Helper()
	docs := &tasks.Documents{Train: toyDocs(7, 5, 1), Val: toyDocs(9, 5, 2), Test: toyDocs(11, 5, 3), Classes: 2, MaxTokens: 5}
	s, err := NewWith(Config{Encoder: encoder, Hidden: 3, Batch: batch, EvalBatch: evalBatch}, docs, 4)
	if err != nil {
		t.Fatal(err)
	}
	emb := graph.NewTable("embedding", 9, 4)
	emb.Fill(graph.Uniform(-1, 1), 5)
	return s, graph.NewModel(emb, graph.DefaultAdam(), 5)
}

func TestGradientsMatchFiniteDifferences(t *testing.T) {
	for _, enc := range Encoders {
		t.Run(enc, func(t *testing.T) {
			s, m := toyTask(t, enc, 4, 4)
			rng := rand.New(rand.NewPCG(1, 1))
			s.StartEpoch(rng)
			s.NextBatch(rng)
			s.NextBatch(rng) // the second batch of 7 docs holds 3 real and 1 padding row
			worst, where, err := taskstest.GradCheck(m, s, 1e-2, 30)
			if err != nil {
				t.Fatal(err)
			}
			if worst > 3e-2 {
				t.Errorf("worst relative error %.3g at %s", worst, where)
			}
		})
	}
}

func TestPredictionsDoNotDependOnEvalBatch(t *testing.T) {
	for _, enc := range Encoders {
		s1, m := toyTask(t, enc, 0, 4) // 11 test docs in batches of 4: the last is padded
		s2, _ := toyTask(t, enc, 0, 11)
		p1, err := s1.Predict(m, s1.docs.Test)
		if err != nil {
			t.Fatal(err)
		}
		p2, err := s2.Predict(m, s2.docs.Test)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(p1, p2) {
			t.Errorf("%s: predictions with eval batch 4 %v differ from batch 11 %v", enc, p1, p2)
		}
	}
}

func TestTrainingLearnsToyData(t *testing.T) {
	for _, enc := range Encoders {
		s, m := toyTask(t, enc, 0, 16)
		s.docs.Test = s.docs.Train
		m.Opt.LR = 0.05
		p, err := m.Program(s)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(2, 2))
		for range 60 {
			for range s.StartEpoch(rng) {
				s.NextBatch(rng)
				if _, err := p.Step([]float64{1}); err != nil {
					t.Fatal(err)
				}
			}
		}
		met, err := s.Evaluate(m, tasks.Test)
		if err != nil {
			t.Fatal(err)
		}
		if met["accuracy"] < 0.99 {
			t.Errorf("%s: training accuracy %.3f after 60 full-batch steps on 7 separable docs", enc, met["accuracy"])
		}
		pred, _ := s.Predict(m, s.docs.Test)
		gold := make([]int, len(s.docs.Test))
		for i, d := range s.docs.Test {
			gold[i] = d.Label
		}
		if met["macro_f1"] != metrics.MacroF1(pred, gold, 2) {
			t.Errorf("%s: macro_f1 %v != metrics.MacroF1 %v", enc, met["macro_f1"], metrics.MacroF1(pred, gold, 2))
		}
	}
}

func TestBadConfigurations(t *testing.T) {
	docs := &tasks.Documents{Train: toyDocs(3, 4, 1), Classes: 2, MaxTokens: 4}
	if _, err := NewWith(Config{Encoder: "cnn"}, docs, 4); err == nil {
		t.Error("unknown encoder accepted")
	}
	if _, err := NewWith(Config{Encoder: "bilstm", Hidden: 0}, docs, 4); err == nil {
		t.Error("bilstm with 0 hidden units accepted")
	}
	if _, err := New(&tasks.Env{Dim: 4}); err == nil {
		t.Error("no documents accepted")
	}
}
