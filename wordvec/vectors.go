package wordvec

import (
	"fmt"
	"math"
	"sync"
)

// Vectors is a table of word vectors: row i of Data (Data[i*Dim:(i+1)*Dim])
// belongs to Words[i]. Rows are in file order, which for word2vec/gensim
// files is descending frequency — the order restrict_vocab relies on.
//
// Words must not change after the first lookup (the index is built once);
// Data may change freely, which lets a trainer evaluate its live table.
type Vectors struct {
	Words []string
	Dim   int
	Data  []float32

	indexOnce sync.Once
	index     map[string]int
}

// NewVectors wraps an existing table without copying it: data is used (and
// seen to change) in place. It checks the shape and that words are distinct
// and non-empty.
func NewVectors(words []string, dim int, data []float32) (*Vectors, error) {
	if dim < 1 {
		return nil, fmt.Errorf("new vectors: dimension %d, need at least 1", dim)
	}
	if len(data) != len(words)*dim {
		return nil, fmt.Errorf("new vectors: %d values for %d words × %d dimensions", len(data), len(words), dim)
	}
	index := make(map[string]int, len(words))
	for i, w := range words {
		if w == "" {
			return nil, fmt.Errorf("new vectors: empty word at row %d", i)
		}
		if j, dup := index[w]; dup {
			return nil, fmt.Errorf("new vectors: duplicate word %q at rows %d and %d", w, j, i)
		}
		index[w] = i
	}
	v := &Vectors{Words: words, Dim: dim, Data: data, index: index}
	v.indexOnce.Do(func() {})
	return v, nil
}

// Len is the number of words.
func (v *Vectors) Len() int { return len(v.Words) }

// Row returns the vector of word i, sharing memory with Data.
func (v *Vectors) Row(i int) []float32 { return v.Data[i*v.Dim : (i+1)*v.Dim : (i+1)*v.Dim] }

// Index returns the row of word (exact, case-sensitive match).
func (v *Vectors) Index(word string) (int, bool) {
	v.indexOnce.Do(func() {
		if v.index != nil {
			return
		}
		v.index = make(map[string]int, len(v.Words))
		for i, w := range v.Words {
			if _, dup := v.index[w]; !dup {
				v.index[w] = i
			}
		}
	})
	i, ok := v.index[word]
	return i, ok
}

// Vector returns the vector of word (sharing memory with Data).
func (v *Vectors) Vector(word string) ([]float32, bool) {
	i, ok := v.Index(word)
	if !ok {
		return nil, false
	}
	return v.Row(i), true
}

// Similarity is the cosine similarity of two words (exact-case lookup); ok
// is false when either is missing. A zero vector has similarity 0 to
// everything.
func (v *Vectors) Similarity(a, b string) (sim float64, ok bool) {
	i, okA := v.Index(a)
	j, okB := v.Index(b)
	if !okA || !okB {
		return 0, false
	}
	return cosine(v.Row(i), v.Row(j)), true
}

func cosine(x, y []float32) float64 {
	var dot, xx, yy float64
	for k := range x {
		a, b := float64(x[k]), float64(y[k])
		dot += a * b
		xx += a * a
		yy += b * b
	}
	if xx == 0 || yy == 0 {
		return 0
	}
	return dot / math.Sqrt(xx*yy)
}

// unitRows writes the first n rows of v, each scaled to unit L2 norm, into
// dst (grown as needed) and returns it. Zero rows stay zero.
func (v *Vectors) unitRows(dst []float32, n int) []float32 {
	d := v.Dim
	if cap(dst) < n*d {
		dst = make([]float32, n*d)
	}
	dst = dst[:n*d]
	for i := 0; i < n; i++ {
		row := v.Data[i*d : (i+1)*d]
		var ss float64
		for _, x := range row {
			ss += float64(x) * float64(x)
		}
		out := dst[i*d : (i+1)*d]
		if ss == 0 {
			clear(out)
			continue
		}
		inv := 1 / math.Sqrt(ss)
		for k, x := range row {
			out[k] = float32(float64(x) * inv)
		}
	}
	return dst
}
