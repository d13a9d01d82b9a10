package wordvec

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/mt2st/mt2st/datasets"
)

// syntheticBenchmark builds a random vocab×dim table and a Google-sized
// analogy set (19,544 questions over 905 distinct words, the shape of
// questions-words.txt) drawn from its most frequent 10,000 words.
func syntheticBenchmark(vocab, dim int) (*Vectors, []datasets.AnalogySection) {
	rng := rand.New(rand.NewPCG(7, 11))
	words := make([]string, vocab)
	for i := range words {
		words[i] = fmt.Sprintf("w%d", i)
	}
	data := make([]float32, vocab*dim)
	for i := range data {
		data[i] = float32(rng.NormFloat64())
	}
	v, _ := NewVectors(words, dim, data)
	pool := rng.Perm(min(vocab, 10000))[:905]
	pick := func() string { return words[pool[rng.IntN(len(pool))]] }
	var sections []datasets.AnalogySection
	for s := range 14 {
		sec := datasets.AnalogySection{Name: fmt.Sprintf("section-%d", s)}
		for range 19544 / 14 {
			sec.Questions = append(sec.Questions, datasets.Analogy{A: pick(), B: pick(), C: pick(), D: pick()})
		}
		sections = append(sections, sec)
	}
	return v, sections
}

// go test ./wordvec -run '^$' -bench Analogies -benchtime 3x
func BenchmarkAnalogies50kx100(b *testing.B) {
	v, sections := syntheticBenchmark(50000, 100)
	e := NewEvaluator(v, nil, sections, 0)
	b.ResetTimer()
	for range b.N {
		e.Analogies()
	}
}
