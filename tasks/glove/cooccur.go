package glove

import (
	"context"
	"fmt"
	"slices"

	"github.com/mt2st/mt2st/tasks"
)

// Cooccurrence holds the non-zero counts X_ij, both orders of every pair.
type Cooccurrence struct {
	I, J []int32
	X    []float32
}

// Len returns the number of non-zero entries.
func (c *Cooccurrence) Len() int { return len(c.X) }

// denseProduct bounds the dense part of the count table: pairs whose id
// product (ids are frequency ranks) is at most this live in a flat array.
// 2e7 keeps it near 60M float32 for a 50,000-word vocabulary.
const denseProduct = 20_000_000

// Count counts co-occurrences within window words (see the package doc).
func Count(c *tasks.Corpus, window int) (*Cooccurrence, error) {
	return CountContext(context.Background(), c, window)
}

// checkEvery is how many documents CountContext counts between two checks
// of its context: well under a second's work.
const checkEvery = 256

// CountContext is Count that stops, with an error wrapping ctx.Err(), soon
// after ctx is cancelled.
func CountContext(ctx context.Context, c *tasks.Corpus, window int) (*Cooccurrence, error) {
	if window < 1 {
		return nil, fmt.Errorf("co-occurrence window %d: want >= 1", window)
	}
	v := len(c.Counts)
	t := newTable(v, denseProduct)
	for d := range c.Docs() {
		if d%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("count co-occurrences: stopped after %d of %d documents: %w", d, c.Docs(), err)
			}
		}
		doc := c.Doc(d)
		for p, a := range doc {
			for q := max(0, p-window); q < p; q++ {
				t.add(a, doc[q], 1/float32(p-q))
			}
		}
	}
	return t.entries(), nil
}

// table is the symmetric count table keyed by (min id, max id).
type table struct {
	v      int
	start  []int64 // row a's dense part is dense[start[a] : start[a+1]], columns a, a+1, ...
	dense  []float32
	sparse map[uint64]float32
}

func newTable(v int, product int64) *table {
	t := &table{v: v, start: make([]int64, v+1), sparse: map[uint64]float32{}}
	for a := 0; a < v; a++ {
		n := int64(0)
		if a > 0 {
			n = max(0, min(int64(v), product/int64(a)+1)-int64(a))
		}
		t.start[a+1] = t.start[a] + n
	}
	t.dense = make([]float32, t.start[v])
	return t
}

func (t *table) add(a, b int32, x float32) {
	if b < a {
		a, b = b, a
	}
	if off := int64(b - a); t.start[a]+off < t.start[a+1] {
		t.dense[t.start[a]+off] += x
		return
	}
	t.sparse[uint64(a)<<32|uint64(b)] += x
}

// entries lists the non-zero counts in both orders (X_ii doubled, as two
// words at distance d both see each other).
func (t *table) entries() *Cooccurrence {
	out := &Cooccurrence{}
	emit := func(a, b int32, x float32) {
		if a == b {
			out.I, out.J, out.X = append(out.I, a), append(out.J, a), append(out.X, 2*x)
			return
		}
		out.I, out.J, out.X = append(out.I, a, b), append(out.J, b, a), append(out.X, x, x)
	}
	for a := 0; a < t.v; a++ {
		row := t.dense[t.start[a]:t.start[a+1]]
		for off, x := range row {
			if x != 0 {
				emit(int32(a), int32(a+off), x)
			}
		}
	}
	// Sorted, so the entries (and a seeded run) do not depend on map order.
	keys := make([]uint64, 0, len(t.sparse))
	for k := range t.sparse {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		emit(int32(k>>32), int32(uint32(k)), t.sparse[k])
	}
	return out
}
