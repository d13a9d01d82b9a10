package word2vec

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/mt2st/mt2st/tasks"
)

// zipfCorpus is 200 documents of 500 tokens over a 5,000-word Zipf
// vocabulary: enough for the tables to leave the L1 cache, as real ones do.
func zipfCorpus() *tasks.Corpus {
	r := rand.New(rand.NewPCG(1, 1))
	z := rand.NewZipf(r, 1.1, 1, 4998)
	docs := make([][]int32, 200)
	for d := range docs {
		docs[d] = make([]int32, 500)
		for i := range docs[d] {
			docs[d][i] = int32(z.Uint64()) + 1
		}
	}
	return tasks.NewCorpus(docs, 5000, "zipf")
}

// go test ./tasks/word2vec -bench Train -run '^$': one epoch per op; the
// words/s metric counts corpus tokens, as gensim's log does.
func BenchmarkTrain(b *testing.B) {
	c := zipfCorpus()
	for _, bc := range []struct {
		name    string
		m       Model
		threads int
	}{{"skipgram/1", SkipGram, 1}, {"skipgram/all", SkipGram, 0}, {"cbow/1", CBOW, 1}, {"cbow/all", CBOW, 0}} {
		b.Run(bc.name, func(b *testing.B) {
			const d = 100
			in, out := make([]float32, 5000*d), make([]float32, 5000*d)
			InitInput(in, d, 1)
			o := DefaultOptions(bc.m)
			o.Epochs, o.Threads = 1, bc.threads
			for b.Loop() {
				if _, err := Train(context.Background(), c, in, out, d, o); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(c.Total())*float64(b.N)/b.Elapsed().Seconds(), "words/s")
		})
	}
}
