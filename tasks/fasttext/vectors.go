package fasttext

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/text"
	"github.com/mt2st/mt2st/wordvec"
)

// ngramPrefix marks the rows of n-gram buckets in the vectors of
// PretrainedVectors: "<ngram:BUCKET>". No token can look like it (the
// tokenizer keeps only [a-z0-9']), so they never meet a vocabulary word.
const ngramPrefix = "<ngram:"

// NgramKey is the key of bucket b's row in PretrainedVectors' output.
func NgramKey(b int32) string { return ngramPrefix + strconv.Itoa(int(b)) + ">" }

// WordVectors implements tasks.WordVectorer: fastText's vector of every
// word of v (id order, the unknown word left out), the mean of its row of the
// shared embedding and its n-gram rows, as fastText's getWordVector and
// gensim's adjust_vectors compute it.
func (s *FastText) WordVectors(m *graph.Model, v *text.Vocab) (*wordvec.Vectors, error) {
	keys, data, err := s.wordVectors(m, v)
	if err != nil {
		return nil, err
	}
	return wordvec.NewVectors(keys, m.Embedding.Dim, data)
}

func (s *FastText) wordVectors(m *graph.Model, v *text.Vocab) ([]string, []float32, error) {
	ng, err := m.Table(s.NgramTable(), max(1, s.sub.Rows()), m.Embedding.Dim, graph.Zeros())
	if err != nil {
		return nil, nil, err
	}
	return MeanVectors(v.Words(), s.sub, m.Embedding.W, ng.W, m.Embedding.Dim)
}

// MeanVectors returns fastText's vector of every word of words (id order,
// id 0, the unknown word, left out): the mean of its row of the word table
// in and its n-gram rows of ngrams (rows of sub), both dim wide.
func MeanVectors(words []string, sub *Subwords, in, ngrams []float32, d int) ([]string, []float32, error) {
	if len(words) != sub.Words() {
		return nil, nil, fmt.Errorf("fasttext vectors: vocabulary of %d words, the subwords have %d", len(words), sub.Words())
	}
	if len(in) < len(words)*d || len(ngrams) < sub.Rows()*d {
		return nil, nil, fmt.Errorf("fasttext vectors: tables of %d and %d values for %d words, %d n-gram rows × %d dimensions", len(in), len(ngrams), len(words), sub.Rows(), d)
	}
	keys := make([]string, 0, max(0, len(words)-1))
	data := make([]float32, 0, max(0, len(words)-1)*d)
	for id := 1; id < len(words); id++ {
		keys = append(keys, words[id])
		row := slices.Clone(in[id*d : id*d+d])
		subs := sub.Of(int32(id))
		for _, b := range subs {
			add(row, ngrams[int(b)*d:int(b)*d+d])
		}
		scale(row, 1/float32(1+len(subs)))
		data = append(data, row...)
	}
	return keys, data, nil
}

// PretrainedTable is what fastText pre-training leaves for later runs, from
// its word table in and n-gram table ngrams: MeanVectors followed by every
// n-gram row, keyed NgramKey(bucket), from which Compose builds vectors for
// words outside words.
func PretrainedTable(words []string, sub *Subwords, in, ngrams []float32, d int) (*wordvec.Vectors, error) {
	keys, data, err := MeanVectors(words, sub, in, ngrams, d)
	if err != nil {
		return nil, err
	}
	for r, b := range sub.Buckets {
		keys = append(keys, NgramKey(b))
		data = append(data, ngrams[r*d:r*d+d]...)
	}
	return wordvec.NewVectors(keys, d, data)
}

// PretrainedVectors returns what pre-training with this task leaves for
// later runs: WordVectors followed by the trained n-gram rows (the row of
// every bucket a vocabulary word has), keyed NgramKey(bucket), from which Compose builds
// vectors for words outside v.
func (s *FastText) PretrainedVectors(m *graph.Model, v *text.Vocab) (*wordvec.Vectors, error) {
	ng, err := m.Table(s.NgramTable(), max(1, s.sub.Rows()), m.Embedding.Dim, graph.Zeros())
	if err != nil {
		return nil, err
	}
	return PretrainedTable(v.Words(), s.sub, m.Embedding.W, ng.W, m.Embedding.Dim)
}

// Compose returns vectors for words from pre-trained vectors v (as
// PretrainedVectors leaves them): a word v has keeps its vector; any other
// word gets the mean of its n-gram rows found in v (fastText's vector of an
// out-of-vocabulary word), or is left out when v has none of them. n-grams
// that no pre-training word had were never trained, so they are not
// averaged in (fastText and gensim average their random initial rows,
// uniform in ±1/D, too). It also returns how many words were composed.
func Compose(v *wordvec.Vectors, words []string, minn, maxn, buckets int) (*wordvec.Vectors, int, error) {
	if err := checkNgrams(minn, maxn, buckets); err != nil {
		return nil, 0, err
	}
	d := v.Dim
	var keys []string
	var data []float32
	composed := 0
	var hs []int32
	row := make([]float32, d)
	for _, w := range words {
		if strings.HasPrefix(w, ngramPrefix) {
			continue
		}
		if i, ok := v.Index(w); ok {
			keys = append(keys, w)
			data = append(data, v.Row(i)...)
			continue
		}
		hs = AppendNgrams(hs[:0], w, minn, maxn, buckets)
		clear(row)
		n := 0
		for _, b := range hs {
			if i, ok := v.Index(NgramKey(b)); ok {
				add(row, v.Row(i))
				n++
			}
		}
		if n == 0 {
			continue
		}
		scale(row, 1/float32(n))
		keys = append(keys, w)
		data = append(data, row...)
		composed++
	}
	out, err := wordvec.NewVectors(keys, d, data)
	return out, composed, err
}

func add(dst, src []float32) {
	for k, x := range src {
		dst[k] += x
	}
}

func scale(x []float32, c float32) {
	for k := range x {
		x[k] *= c
	}
}
