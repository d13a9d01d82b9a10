package skipgram

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/mt2st/mt2st/tasks"
)

// Noise draws word ids with probability proportional to count^power, in O(1)
// per draw (Walker's alias method).
type Noise struct {
	prob  []float64
	alias []int32
}

// NewNoise builds the sampler over counts (index = word id). Words with count
// 0 (the unknown word, words absent from the corpus) are never drawn.
func NewNoise(counts []int64, power float64) (*Noise, error) {
	n := len(counts)
	w := make([]float64, n)
	var total float64
	for i, c := range counts {
		if c > 0 {
			w[i] = math.Pow(float64(c), power)
			total += w[i]
		}
	}
	if total == 0 {
		return nil, fmt.Errorf("noise distribution: no word has a positive count")
	}
	s := &Noise{prob: make([]float64, n), alias: make([]int32, n)}
	small, large := make([]int32, 0, n), make([]int32, 0, n)
	for i := range w {
		w[i] *= float64(n) / total
		if w[i] < 1 {
			small = append(small, int32(i))
		} else {
			large = append(large, int32(i))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		l := small[len(small)-1]
		small = small[:len(small)-1]
		g := large[len(large)-1]
		s.prob[l], s.alias[l] = w[l], g
		w[g] -= 1 - w[l]
		if w[g] < 1 {
			large = large[:len(large)-1]
			small = append(small, g)
		}
	}
	for _, i := range append(small, large...) {
		s.prob[i], s.alias[i] = 1, i // numerical leftovers: keep themselves
	}
	for i, c := range counts {
		if c <= 0 && s.prob[i] == 1 {
			s.prob[i] = 0 // a zero-count word left over by rounding never wins
		}
	}
	return s, nil
}

// Alias returns the sampler's alias table, for a sampler that brings its
// own random numbers (the word2vec training loop): draw i uniformly, keep it
// with probability prob[i], else take alias[i]. The slices are shared.
func (s *Noise) Alias() (prob []float64, alias []int32) { return s.prob, s.alias }

// Draw returns one noise word.
func (s *Noise) Draw(rng *rand.Rand) int32 {
	i := rng.IntN(len(s.prob))
	if rng.Float64() < s.prob[i] {
		return int32(i)
	}
	return s.alias[i]
}

// DrawNot returns a noise word other than avoid (word2vec skips a noise word
// equal to the target; drawing again keeps K negatives per pair).
func (s *Noise) DrawNot(rng *rand.Rand, avoid int32) int32 {
	for range 8 {
		if x := s.Draw(rng); x != avoid {
			return x
		}
	}
	return s.Draw(rng)
}

// KeepProbs returns word2vec's (and gensim's) subsampling probabilities:
// keep a word of count f with probability min(1, (√(f/(t·N))+1)·(t·N)/f),
// N = the corpus total. t = 0 keeps every word.
func KeepProbs(counts []int64, t float64) []float32 {
	keep := make([]float32, len(counts))
	var total int64
	for _, c := range counts {
		total += c
	}
	thr := t * float64(total)
	for i, c := range counts {
		if t <= 0 || c <= 0 {
			keep[i] = 1
			continue
		}
		f := float64(c)
		keep[i] = float32(min(1, (math.Sqrt(f/thr)+1)*thr/f))
	}
	return keep
}

// Pass is one pass over a corpus: the tokens kept by subsampling, documents in
// a random order, and each token's window radius drawn from 1..W.
type Pass struct {
	Tokens []int32
	Starts []int   // document d is Tokens[Starts[d]:Starts[d+1]]
	Radius []uint8 // the window radius of each kept token
	Pairs  int64   // (centre, context) pairs in the pass
	order  []int
}

// Make fills the pass for corpus c (reusing the pass's storage).
func (p *Pass) Make(c *tasks.Corpus, keep []float32, window int, rng *rand.Rand) {
	if len(p.order) != c.Docs() {
		p.order = make([]int, c.Docs())
		for i := range p.order {
			p.order[i] = i
		}
	}
	rng.Shuffle(len(p.order), func(i, j int) { p.order[i], p.order[j] = p.order[j], p.order[i] })
	p.Tokens, p.Radius, p.Starts = p.Tokens[:0], p.Radius[:0], append(p.Starts[:0], 0)
	p.Pairs = 0
	for _, d := range p.order {
		start := len(p.Tokens)
		for _, id := range c.Doc(d) {
			if k := keep[id]; k < 1 && rng.Float32() >= k {
				continue
			}
			p.Tokens = append(p.Tokens, id)
			p.Radius = append(p.Radius, uint8(1+rng.IntN(window)))
		}
		end := len(p.Tokens)
		if end == start {
			continue
		}
		for i := start; i < end; i++ {
			r := int(p.Radius[i])
			p.Pairs += int64(min(end, i+r+1) - max(start, i-r) - 1)
		}
		p.Starts = append(p.Starts, end)
	}
}

// Docs returns the number of non-empty documents in the pass.
func (p *Pass) Docs() int { return len(p.Starts) - 1 }

// Cursor walks the (centre, context) pairs of a pass in order.
type Cursor struct {
	doc, i, j int // document, centre position, context position
	started   bool
}

// Next returns the next pair's centre and context ids, or ok = false at the
// end of the pass.
func (cur *Cursor) Next(p *Pass) (centre, context int32, ok bool) {
	for cur.doc < p.Docs() {
		start, end := p.Starts[cur.doc], p.Starts[cur.doc+1]
		if !cur.started {
			cur.i, cur.started = start, true
			cur.j = max(start, cur.i-int(p.Radius[cur.i]))
		}
		for cur.i < end {
			r := int(p.Radius[cur.i])
			hi := min(end, cur.i+r+1)
			for cur.j < hi {
				j := cur.j
				cur.j++
				if j != cur.i {
					return p.Tokens[cur.i], p.Tokens[j], true
				}
			}
			cur.i++
			if cur.i < end {
				cur.j = max(start, cur.i-int(p.Radius[cur.i]))
			}
		}
		cur.doc++
		cur.started = false
	}
	return 0, 0, false
}

// Done reports whether the cursor has walked every pair of p.
func (cur *Cursor) Done(p *Pass) bool { return cur.doc >= p.Docs() }

// Centres walks a pass centre by centre, as CBOW-style tasks read it (one
// example per centre word with its whole window). The zero value starts at
// the pass's beginning; a copy saves the position.
type Centres struct {
	doc, i int // the next centre: position i of pass document doc
}

// Next returns the next centre's position in the pass and its document
// bounds, skipping documents of one word; ok = false at the end.
func (c *Centres) Next(p *Pass) (i, start, end int, ok bool) {
	for c.doc < p.Docs() {
		start, end = p.Starts[c.doc], p.Starts[c.doc+1]
		if c.i < start {
			c.i = start
		}
		if end-start > 1 && c.i < end {
			i = c.i
			c.i++
			return i, start, end, true
		}
		c.doc++
	}
	return 0, 0, 0, false
}

// Done reports whether the walk has passed the last document of p.
func (c *Centres) Done(p *Pass) bool { return c.doc >= p.Docs() }
