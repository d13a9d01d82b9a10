package glove

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

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
	return CountWithProgress(ctx, c, window, 0, nil)
}

// CountWithProgress is CountContext calling progress(documents counted,
// documents) about every interval (5 s when 0) while it counts, when
// progress is set.
func CountWithProgress(ctx context.Context, c *tasks.Corpus, window int, interval time.Duration, progress func(done, total int)) (*Cooccurrence, error) {
	if window < 1 {
		return nil, fmt.Errorf("co-occurrence window %d: want >= 1", window)
	}
	if interval <= 0 {
		interval = 5 * time.Second
	}
	v := len(c.Counts)
	t := newTable(v, denseProduct)
	last := time.Now()
	for d := range c.Docs() {
		if d%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("count co-occurrences: stopped after %d of %d documents: %w", d, c.Docs(), err)
			}
		}
		if progress != nil && d%1024 == 0 && time.Since(last) >= interval {
			progress(d, c.Docs())
			last = time.Now()
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

// table is the symmetric count table keyed by (min id, max id). Pairs of
// frequent words live in a flat triangular array; the others are appended to
// a bounded buffer that, when full, is sorted, summed by pair and merged into
// a sorted run with one entry per pair (what a map held before: the sorted
// run takes 12 bytes a pair and no spare capacity, which bounds the peak
// memory of counting; see the package doc for the measurement).
type table struct {
	v     int
	start []int64 // row a's dense part is dense[start[a] : start[a+1]], columns a, a+1, ...
	dense []float32
	pend  []pending // unsorted sparse additions, at most cap
	cap   int       // the buffer's bound (pendCap; small in tests)
	keys  []uint64  // the sparse part so far: sorted pair keys (a<<32 | b), unique
	xs    []float32 // and their counts
}

type pending struct {
	k uint64
	x float32
}

// pendCap bounds the buffer of sparse additions (16 bytes each: 64 MiB).
const pendCap = 1 << 22

func newTable(v int, product int64) *table {
	t := &table{v: v, start: make([]int64, v+1), cap: pendCap}
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
	if t.pend == nil {
		t.pend = make([]pending, 0, t.cap)
	}
	t.pend = append(t.pend, pending{uint64(a)<<32 | uint64(b), x})
	if len(t.pend) == t.cap {
		t.flush()
	}
}

// flush sorts the buffer, sums it by pair and merges it into the run.
func (t *table) flush() {
	p := t.pend
	if len(p) == 0 {
		return
	}
	slices.SortFunc(p, func(a, b pending) int { return cmp.Compare(a.k, b.k) })
	n := 0
	for i := range p {
		if n > 0 && p[n-1].k == p[i].k {
			p[n-1].x += p[i].x
			continue
		}
		p[n] = p[i]
		n++
	}
	p = p[:n]
	keys, xs := make([]uint64, 0, len(t.keys)+n), make([]float32, 0, len(t.keys)+n)
	i, j := 0, 0
	for i < len(t.keys) || j < n {
		switch {
		case j == n || (i < len(t.keys) && t.keys[i] < p[j].k):
			keys, xs = append(keys, t.keys[i]), append(xs, t.xs[i])
			i++
		case i == len(t.keys) || p[j].k < t.keys[i]:
			keys, xs = append(keys, p[j].k), append(xs, p[j].x)
			j++
		default:
			keys, xs = append(keys, t.keys[i]), append(xs, t.xs[i]+p[j].x)
			i, j = i+1, j+1
		}
	}
	t.keys, t.xs, t.pend = keys, xs, t.pend[:0]
}

// entries lists the non-zero counts in both orders (X_ii doubled, as two
// words at distance d both see each other), dense pairs first, then the
// sparse ones by key; the table's storage is released as it goes.
func (t *table) entries() *Cooccurrence {
	t.flush()
	t.pend = nil
	n := 0
	for _, x := range t.dense {
		if x != 0 {
			n += 2
		}
	}
	n += 2 * len(t.keys)
	out := &Cooccurrence{I: make([]int32, 0, n), J: make([]int32, 0, n), X: make([]float32, 0, n)}
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
	t.dense = nil
	for i, k := range t.keys {
		emit(int32(k>>32), int32(uint32(k)), t.xs[i])
	}
	t.keys, t.xs = nil, nil
	return out
}
