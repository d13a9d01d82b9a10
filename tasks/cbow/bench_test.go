package cbow

import (
	"math/rand/v2"
	"testing"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks/skipgram"
)

// BenchmarkStep times one step of 1024 centres (window 5, 5 negatives) over
// a 50,000-word vocabulary at D = 100.
func BenchmarkStep(b *testing.B) {
	s, err := NewWith(randomCorpus(1, 50000, 100, 1000), skipgram.DefaultConfig())
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
	b.ReportMetric(float64(b.N*s.cfg.Batch)/b.Elapsed().Seconds(), "centres/s")
}
