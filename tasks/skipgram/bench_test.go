package skipgram

import (
	"math/rand/v2"
	"testing"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
)

// zipfCorpus is a random corpus whose word frequencies follow Zipf's law,
// like text: docs documents of length words each over a vocabulary of v ids.
func zipfCorpus(seed uint64, v, docs, length int) *tasks.Corpus {
	rng := rand.New(rand.NewPCG(seed, 2))
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

// BenchmarkStep times one training step at the pre-training shape: a 50,000
// word vocabulary, 100 dimensions, 5 negatives, skipgram.batch pairs.
func BenchmarkStep(b *testing.B) {
	for _, batch := range []int{1024, 4096} {
		b.Run(map[int]string{1024: "pairs=1024", 4096: "pairs=4096"}[batch], func(b *testing.B) {
			c := zipfCorpus(1, 50000, 200, 1000)
			cfg := DefaultConfig()
			cfg.Batch = batch
			s, err := NewWith(c, cfg)
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
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "pairs/s")
		})
	}
}
