package bench

import (
	"fmt"
	"math/rand/v2"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/similarity"
	"github.com/mt2st/mt2st/tasks/skipgram"
	"github.com/mt2st/mt2st/text"
)

// newAuxiliary returns mtl's auxiliary tasks: skip-gram and similarity.
func newAuxiliary(seed uint64) ([]tasks.Task, error) {
	sg, err := newSkipGram(seed)
	if err != nil {
		return nil, err
	}
	sim, err := newSimilarity(seed)
	if err != nil {
		return nil, err
	}
	return []tasks.Task{sg, sim}, nil
}

// corpusDocs × corpusLength random tokens: every word occurs ~5 times, far
// below word2vec's subsampling threshold (sample 1e-3), so every token is
// kept, and centre, context and noise words are all uniform over the
// vocabulary, as torch_ref.py draws them.
const corpusDocs, corpusLength = 100, 1000

func newSkipGram(seed uint64) (*skipgram.SkipGram, error) {
	rng := rand.New(rand.NewPCG(seed, 0xc0de))
	docs := make([][]int32, corpusDocs)
	for d := range docs {
		docs[d] = make([]int32, corpusLength)
		for i := range docs[d] {
			docs[d][i] = int32(1 + rng.IntN(Vocab-1)) // id 0 is the unknown word
		}
	}
	cfg := skipgram.DefaultConfig()
	cfg.Batch, cfg.Negatives = Centres, Negatives
	sg, err := skipgram.NewWith(tasks.NewCorpus(docs, Vocab, "bench"), cfg)
	if err != nil {
		return nil, fmt.Errorf("bench skipgram: %w", err)
	}
	return sg, nil
}

// similarityFraction is the share of the synthetic pairs trained on (the
// task's default); the rest are held out for reporting.
const similarityFraction = 0.5

func newSimilarity(seed uint64) (*similarity.Similarity, error) {
	words := make([]string, Vocab)
	words[0] = text.UnknownWord
	for i := 1; i < Vocab; i++ {
		words[i] = fmt.Sprintf("w%d", i)
	}
	vocab := text.NewVocab(words)
	list := SyntheticSimilarityList(words, seed)
	sim, err := similarity.NewWith([]datasets.SimilarityList{list}, vocab, seed, similarityFraction, Pairs)
	if err != nil {
		return nil, fmt.Errorf("bench similarity: %w", err)
	}
	return sim, nil
}

// SyntheticSimilarityList returns a word-similarity list drawn as
// torch_ref.py draws its pairs: (a, a+1) with score 0.8 and (a, random b)
// with score 0, half each, plus two held-out anchor pairs scored 0 and 1 so
// that the task's min-max normalisation leaves the training targets at 0.8
// and 0.
func SyntheticSimilarityList(words []string, seed uint64) datasets.SimilarityList {
	rng := rand.New(rand.NewPCG(seed, 0x5141))
	l := datasets.SimilarityList{Name: "bench", Path: "synthetic"}
	pick := func() int { return 1 + rng.IntN(len(words)-2) }
	for i := range 32 * Pairs {
		a := pick()
		b, score := a+1, 0.8
		if i%2 == 1 {
			b, score = pick(), 0
		}
		l.Pairs = append(l.Pairs, datasets.WordPair{A: words[a], B: words[b], Score: score, Line: i + 1})
	}
	for _, score := range []float64{0, 1} {
		for {
			a, b := words[pick()], words[pick()]
			if !similarity.IsTrainPair(seed, similarityFraction, a, b) {
				l.Pairs = append(l.Pairs, datasets.WordPair{A: a, B: b, Score: score, Line: len(l.Pairs) + 1})
				break
			}
		}
	}
	return l
}
