package cbow

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/skipgram"
	"github.com/mt2st/mt2st/tasks/taskstest"
)

func randomCorpus(seed uint64, v, docs, length int) *tasks.Corpus {
	rng := rand.New(rand.NewPCG(seed, 2))
	all := make([][]int32, docs)
	for d := range all {
		all[d] = make([]int32, length)
		for i := range all[d] {
			all[d][i] = 1 + rng.Int32N(int32(v-1))
		}
	}
	return tasks.NewCorpus(all, v, "random")
}

func newToyModel(v, dim int) *graph.Model {
	emb := graph.NewTable("embedding", v, dim)
	emb.Fill(graph.Uniform(-0.5, 0.5), 9)
	return graph.NewModel(emb, graph.DefaultAdam(), 9)
}

func TestLossGradientMatchesFiniteDifferences(t *testing.T) {
	cfg := skipgram.DefaultConfig()
	cfg.Batch, cfg.Negatives, cfg.Window, cfg.Sample = 5, 2, 2, 0
	s, err := NewWith(randomCorpus(1, 20, 3, 12), cfg)
	if err != nil {
		t.Fatal(err)
	}
	m := newToyModel(20, 4)
	if _, err := m.Table(Name+"/output", 20, 4, graph.Uniform(-0.5, 0.5)); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	s.StartEpoch(rng)
	s.NextBatch(rng)
	worst, where, err := taskstest.GradCheck(m, s, 1e-2, 40)
	if err != nil {
		t.Fatal(err)
	}
	if worst > 2e-2 {
		t.Errorf("gradient check: worst relative error %.3g at %s", worst, where)
	}
}

func TestLossValueIsMeanOfContext(t *testing.T) {
	// Document 1 2 3, window 1, no subsampling: the first centre is word 1
	// with context {2}; the second word 2 with context {1, 3}.
	cfg := skipgram.DefaultConfig()
	cfg.Batch, cfg.Negatives, cfg.Window, cfg.Sample = 2, 1, 1, 0
	s, err := NewWith(tasks.NewCorpus([][]int32{{1, 2, 3}}, 5, "one"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	m := newToyModel(5, 3)
	out, _ := m.Table(Name+"/output", 5, 3, graph.Uniform(-1, 1))
	rng := rand.New(rand.NewPCG(2, 2))
	s.StartEpoch(rng)
	s.NextBatch(rng)
	p, err := m.Program(s)
	if err != nil {
		t.Fatal(err)
	}
	losses, _, _, err := p.Gradients([]float64{1})
	if err != nil {
		t.Fatal(err)
	}
	e := func(id int32) []float32 { return m.Embedding.Row(int(id)) }
	var want float64
	for c := range 2 {
		ctx := s.context[c*2 : c*2+2]
		h := make([]float64, 3)
		n := 0
		for _, id := range ctx {
			if id < 0 {
				continue
			}
			n++
			for j, x := range e(id) {
				h[j] += float64(x)
			}
		}
		dot := func(id int32) float64 {
			var x float64
			for j, u := range out.Row(int(id)) {
				x += h[j] / float64(n) * float64(u)
			}
			return x
		}
		pos, neg := dot(s.target[c*2]), dot(s.target[c*2+1])
		want += (-math.Log(1/(1+math.Exp(-pos))) - math.Log(1/(1+math.Exp(neg)))) / 2
	}
	if s.target[0] != 1 || s.target[2] != 2 {
		t.Fatalf("centres %d, %d; want 1, 2 (document order)", s.target[0], s.target[2])
	}
	if math.Abs(losses[0]-want) > 1e-5 {
		t.Errorf("loss %v, want %v", losses[0], want)
	}
}

func TestOnePassVisitsEveryCentre(t *testing.T) {
	c := tasks.NewCorpus([][]int32{{1, 2, 3, 4}, {5}, {6, 7}}, 8, "docs")
	cfg := skipgram.DefaultConfig()
	cfg.Batch, cfg.Sample = 4, 0
	s, err := NewWith(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	steps := s.StartEpoch(rng)
	if steps != 2 {
		t.Fatalf("%d steps for 6 centres in batches of 4, want 2", steps)
	}
	seen := map[int32]int{}
	for range steps {
		s.NextBatch(rng)
		for n := range cfg.Batch {
			if w := s.weight.Data().([]float32)[n*(cfg.Negatives+1)]; w > 0 {
				seen[s.target[n*(cfg.Negatives+1)]]++
			}
		}
	}
	for _, id := range []int32{1, 2, 3, 4, 6, 7} {
		if seen[id] != 1 {
			t.Errorf("centre %d seen %d times in one pass, want 1", id, seen[id])
		}
	}
	if seen[5] != 0 {
		t.Errorf("a one-word document gave a centre")
	}
}
