package glove

import (
	"math/rand/v2"
	"testing"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
)

// BenchmarkCount counts a 2M-token Zipf corpus over 50,000 words (about a
// tenth of IMDB train+unsup) with GloVe's window of 10.
func BenchmarkCount(b *testing.B) {
	c := zipf(50000, 2000, 1000)
	b.ResetTimer()
	for range b.N {
		if _, err := Count(c, 10); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(c.IDs))/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkStep times one step of 4096 pairs at D = 100.
func BenchmarkStep(b *testing.B) {
	c := zipf(50000, 200, 1000)
	cooc, err := Count(c, 10)
	if err != nil {
		b.Fatal(err)
	}
	s, err := NewWith(c, cooc, DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	emb := graph.NewTable("embedding", 50000, 100)
	emb.Fill(graph.Uniform(-0.005, 0.005), 1)
	m := graph.NewModel(emb, graph.DefaultAdam(), 1)
	p, err := m.Program(s)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	s.StartEpoch(rng)
	b.ResetTimer()
	for range b.N {
		s.NextBatch(rng)
		if _, err := p.Step([]float64{1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*s.cfg.Batch)/b.Elapsed().Seconds(), "pairs/s")
}

func zipf(v, docs, length int) *tasks.Corpus {
	rng := rand.New(rand.NewPCG(1, 2))
	z := rand.NewZipf(rng, 1.1, 2, uint64(v-2))
	all := make([][]int32, docs)
	for d := range all {
		all[d] = make([]int32, length)
		for i := range all[d] {
			all[d][i] = int32(1 + z.Uint64())
		}
	}
	return tasks.NewCorpus(all, v, "zipf")
}
