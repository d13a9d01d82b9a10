package fasttext

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/text"
)

// benchVocab is v random lower-case words of 2–12 letters (id 0 the unknown
// word), shorter words more frequent as in text, and a Zipf corpus over it.
func benchVocab(v int) ([]string, *tasks.Corpus) {
	rng := rand.New(rand.NewPCG(5, 5))
	words := []string{text.UnknownWord}
	for i := 1; i < v; i++ {
		n := 2 + min(10, i*10/v+rng.IntN(4))
		var sb strings.Builder
		for range n {
			sb.WriteByte(byte('a' + rng.IntN(26)))
		}
		words = append(words, sb.String())
	}
	z := rand.NewZipf(rng, 1.1, 2, uint64(v-2))
	docs := make([][]int32, 200)
	for d := range docs {
		docs[d] = make([]int32, 1000)
		for i := range docs[d] {
			docs[d][i] = int32(1 + z.Uint64())
		}
	}
	return words, tasks.NewCorpus(docs, v, "zipf")
}

// BenchmarkStep times one training step at the pre-training shape: a 50,000
// word vocabulary, 100 dimensions, 5 negatives, 1024 pairs (CBOW: centres).
func BenchmarkStep(b *testing.B) {
	words, c := benchVocab(50000)
	for _, name := range []string{NameSG, NameCBOW} {
		b.Run(name, func(b *testing.B) {
			s, err := NewWith(c, words, name, DefaultConfig())
			if err != nil {
				b.Fatal(err)
			}
			emb := graph.NewTable("embedding", len(words), 100)
			emb.Fill(graph.Uniform(-0.005, 0.005), 1)
			m := graph.NewModel(emb, graph.DefaultAdam(), 1)
			p, err := m.Program(s)
			if err != nil {
				b.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(1, 1))
			s.StartEpoch(rng)
			b.ResetTimer()
			n := 0
			for range b.N {
				s.NextBatch(rng)
				n += s.BatchExamples()
				if _, err := p.Step([]float64{1}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "examples/s")
		})
	}
}
