package word2vec

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/mt2st/mt2st/tasks"
)

// Subwords gives each vocabulary word's rows of the n-gram table (fastText's
// subword information). Package tasks/fasttext's *Subwords implements it:
// n-grams 3..6 of "<word>", hashed with FNV-1a into the buckets, each bucket
// some word has stored as one compact row.
type Subwords interface {
	Words() int          // the number of words (ids 0..Words()−1)
	Rows() int           // the number of rows of the n-gram table
	Of(id int32) []int32 // word id's n-gram rows, repeats kept
}

// InitFastText fills a table as fastText and gensim's FastText initialise
// their input matrix (word rows and n-gram rows alike): every value uniform
// in [−1/dim, 1/dim).
func InitFastText(x []float32, dim int, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 0x66747874))
	s := 2 / float64(dim)
	for i := range x {
		x[i] = float32((r.Float64() - 0.5) * s)
	}
}

// TrainSubwords is Train for fastText (Bojanowski et al. 2017): the input
// vector of a word is the sum of its row of in (V×dim) and its n-gram rows
// of ngrams (sub.Rows()×dim) divided as o.Norm says for skip-gram (by the
// number of rows for CBOW), and the input gradient is added, unscaled, to
// every one of those rows. The output table out and everything else are
// Train's. See the package doc.
func TrainSubwords(ctx context.Context, c *tasks.Corpus, in, ngrams, out []float32, dim int, sub Subwords, o Options) (Stats, error) {
	if sub == nil {
		return Stats{}, fmt.Errorf("word2vec: fastText without subwords")
	}
	if sub.Words() != len(c.Counts) {
		return Stats{}, fmt.Errorf("word2vec: subwords of %d words for a corpus of %d", sub.Words(), len(c.Counts))
	}
	if len(ngrams) != sub.Rows()*dim {
		return Stats{}, fmt.Errorf("word2vec: n-gram table of %d values for %d rows × %d dimensions", len(ngrams), sub.Rows(), dim)
	}
	t, err := newTrainer(c, in, out, dim, o)
	if err != nil {
		return Stats{}, err
	}
	t.sub, t.ngrams = sub, ngrams
	t.move = make([]float32, sub.Words())
	for id := range t.move {
		rows := sub.Of(int32(id))
		for _, r := range rows {
			if r < 0 || int(r) >= sub.Rows() {
				return Stats{}, fmt.Errorf("word2vec: word %d has n-gram row %d of %d", id, r, sub.Rows())
			}
		}
		t.move[id] = moveFactor(rows, o.Norm)
	}
	st, err := t.run(ctx)
	if err != nil {
		return st, err
	}
	for _, x := range ngrams {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return st, fmt.Errorf("word2vec: the n-gram table diverged (a non-finite value); lower the learning rate")
		}
	}
	return st, nil
}

// moveFactor is how far skip-gram's input vector of a word (the sum of its
// rows divided by norm.Divisor) moves, in units of the update u, when u is
// added to the word row and once per listing to each n-gram row: a row
// listed m times gains m·u and counts m times in the sum, so the sum gains
// (1 + Σ_listings m)·u, then divided. With no repeated row that is 1 under
// NormFastText (a mean of 1 + n rows each moved by u) and (1 + n)/n under
// NormGensim (1 when n = 0).
func moveFactor(rows []int32, norm Norm) float32 {
	s := 1
	for _, r := range rows {
		for _, q := range rows {
			if q == r {
				s++
			}
		}
	}
	return float32(s) / float32(norm.Divisor(len(rows)))
}

// rowOf returns row i of a table of dim columns.
func rowOf(x []float32, i int32, d int) []float32 { return x[int(i)*d : int(i)*d+d] }

// hidden sets h to skip-gram's input vector of word, the sum of its row and
// its n-gram rows divided by t.o.Norm.Divisor, and returns the n-gram rows.
func (t *trainer) hidden(h []float32, word int32) []int32 {
	d := t.dim
	rows := t.sub.Of(word)
	copy(h, rowOf(t.in, word, d))
	for _, r := range rows {
		axpy(1, rowOf(t.ngrams, r, d), h)
	}
	scaleVec(h, 1/float32(t.o.Norm.Divisor(len(rows))))
	return rows
}

// addToRows adds u to word's row and to each of its n-gram rows (once per
// listing, as fastText and gensim do).
func (t *trainer) addToRows(u []float32, word int32, rows []int32) {
	d := t.dim
	axpy(1, u, rowOf(t.in, word, d))
	for _, r := range rows {
		axpy(1, u, rowOf(t.ngrams, r, d))
	}
}

func scaleVec(x []float32, c float32) {
	for i := range x {
		x[i] *= c
	}
}

// ftSkipGram trains the pairs of centre s[i] with its context s[lo:hi]
// (s[i] left out) as fastText and gensim do: the centre word's input vector
// h (hidden: its rows' sum over t.o.Norm.Divisor) predicts each context word
// (fastText's and gensim's orientation), and each pair's input gradient u
// goes to every row of h, unscaled. fastText and gensim recompute h before
// each pair; adding u to all its rows moves h by exactly move[centre]·u
// (moveFactor: u under NormFastText when no row repeats), so h is moved instead and
// the rows receive the sum of the window's updates once, after the window:
// the same values up to float rounding, with one gather and one scatter of
// the rows per centre instead of one per pair.
func (t *trainer) ftSkipGram(w *worker, s []int32, i, lo, hi int, alpha float32) {
	centre := s[i]
	h := w.neu1
	rows := t.hidden(h, centre)
	clear(w.acc)
	move := t.move[centre]
	for j := lo; j < hi; j++ {
		if j == i {
			continue
		}
		t.negSample(w, h, s[j], alpha)
		axpy(move, w.neu1e, h)
		axpy(1, w.neu1e, w.acc)
	}
	t.addToRows(w.acc, centre, rows)
}

// ftCBOW trains one CBOW example as fastText and gensim's FastText
// (cbow_mean=1) do: h is the mean over every row (word and n-gram) of every
// context word, and each of those rows receives the whole update of h.
func (t *trainer) ftCBOW(w *worker, word int32, ctx []int32, alpha float32) {
	d := t.dim
	h := w.neu1
	clear(h)
	n := 0
	for _, c := range ctx {
		axpy(1, rowOf(t.in, c, d), h)
		for _, r := range t.sub.Of(c) {
			axpy(1, rowOf(t.ngrams, r, d), h)
		}
		n += 1 + len(t.sub.Of(c))
	}
	scaleVec(h, 1/float32(n))
	t.negSample(w, h, word, alpha)
	for _, c := range ctx {
		t.addToRows(w.neu1e, c, t.sub.Of(c))
	}
}
