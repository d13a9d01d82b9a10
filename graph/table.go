package graph

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// Table is an embedding table kept on the host: Rows × Dim float32 values in
// row-major order. Heads read rows of it through [Builder.Rows]; gradients come
// back row by row and only touched rows are updated (row-sparse Adam).
type Table struct {
	Name string
	Rows int
	Dim  int
	W    []float32 // Rows*Dim values; row i is W[i*Dim:(i+1)*Dim]

	// Frozen tables keep their values: gradients are dropped.
	Frozen bool

	m, v    []float32 // Adam moments, allocated on the first update
	step    int       // Adam steps taken (SparseAdam counts steps per table)
	slot    []int32   // row -> index into touched, or -1
	touched []int32   // rows with a gradient since the last update
	grad    []float32 // len(touched)*Dim accumulated gradients
	order   []int32   // touched rows in increasing order (Update's buffer)
}

// NewTable returns a zero table.
func NewTable(name string, rows, dim int) *Table {
	slot := make([]int32, rows)
	for i := range slot {
		slot[i] = -1
	}
	return &Table{Name: name, Rows: rows, Dim: dim, W: make([]float32, rows*dim), slot: slot}
}

// Row returns row i of the table (not a copy).
func (t *Table) Row(i int) []float32 { return t.W[i*t.Dim : (i+1)*t.Dim] }

// Fill sets every value with init, drawing from a random stream derived from
// seed and the table's name.
func (t *Table) Fill(init Init, seed uint64) {
	init(streamFor(seed, "table/"+t.Name), t.W, []int{t.Rows, t.Dim})
}

// Gather copies the rows ids into dst (len(ids)*Dim). A negative id (padding)
// gives a zero row.
func (t *Table) Gather(ids []int32, dst []float32) {
	d := t.Dim
	for i, id := range ids {
		if j := i + prefetchRows; j < len(ids) && ids[j] >= 0 {
			prefetch(t.W[int(ids[j])*d : int(ids[j])*d+d])
		}
		row := dst[i*d : (i+1)*d]
		if id < 0 {
			clear(row)
			continue
		}
		copy(row, t.W[int(id)*d:int(id)*d+d])
	}
}

// Accumulate adds the row gradients grad (len(ids)*Dim) into the pending
// sparse gradient. Negative ids are skipped.
func (t *Table) Accumulate(ids []int32, grad []float32) {
	if t.Frozen {
		return
	}
	d := t.Dim
	for i, id := range ids {
		if id < 0 {
			continue
		}
		src := grad[i*d : i*d+d]
		s := t.slot[id]
		if s < 0 { // first gradient of this row: a copy, no zeroing
			t.slot[id] = int32(len(t.touched))
			t.touched = append(t.touched, id)
			t.grad = append(t.grad, src...)
			continue
		}
		addTo(t.grad[int(s)*d:int(s)*d+d], src)
	}
}

// Touched returns how many rows have a pending gradient.
func (t *Table) Touched() int { return len(t.touched) }

// PendingGrad returns the pending gradient of row id, or nil if it has none.
func (t *Table) PendingGrad(id int32) []float32 {
	s := t.slot[id]
	if s < 0 {
		return nil
	}
	return t.grad[int(s)*t.Dim : int(s+1)*t.Dim]
}

// Update applies one sparse Adam step to the touched rows and clears the
// pending gradient. A table with no pending gradient takes no step.
func (t *Table) Update(opt Adam) {
	if len(t.touched) == 0 {
		return
	}
	if t.m == nil {
		t.m = make([]float32, len(t.W))
		t.v = make([]float32, len(t.W))
	}
	t.step++
	k := opt.consts(opt.coefficients(t.step))
	d := t.Dim
	order := t.ascending()
	// Rows are independent: split them over the CPUs when there are many.
	parallelFor(len(order), d, func(from, to int) {
		for i, id := range order[from:to] {
			if j := from + i + prefetchRows; j < to {
				next := int(order[j]) * d
				prefetch(t.W[next : next+d])
				prefetch(t.m[next : next+d])
				prefetch(t.v[next : next+d])
				if ns := int(t.slot[order[j]]); ns >= 0 {
					prefetch(t.grad[ns*d : ns*d+d])
				}
			}
			s := int(t.slot[id])
			lo := int(id) * d
			k.update(t.W[lo:lo+d], t.grad[s*d:(s+1)*d], t.m[lo:lo+d], t.v[lo:lo+d])
			t.slot[id] = -1
		}
	})
	t.touched = t.touched[:0]
	t.grad = t.grad[:0]
}

// ascending returns the touched rows in increasing order. The update reads
// and writes three Rows×Dim arrays at these rows: in address order the
// hardware prefetcher follows, in first-touch order every row is a cache and
// TLB miss. A scan of the slot index is cheaper than a sort once a fair share
// of the rows is touched.
func (t *Table) ascending() []int32 {
	o := t.order[:0]
	if len(t.touched)*16 >= t.Rows {
		for id, s := range t.slot {
			if s >= 0 {
				o = append(o, int32(id))
			}
		}
	} else {
		o = append(o, t.touched...)
		slices.Sort(o)
	}
	t.order = o
	return o
}

// ClearGrad drops the pending gradient without updating.
func (t *Table) ClearGrad() {
	for _, id := range t.touched {
		t.slot[id] = -1
	}
	t.touched = t.touched[:0]
	t.grad = t.grad[:0]
}

// CopyFrom copies the values of another table of the same shape (optimiser
// state is reset).
func (t *Table) CopyFrom(src *Table) error {
	if src.Rows != t.Rows || src.Dim != t.Dim {
		return fmt.Errorf("copy table %s: shape %dx%d, want %dx%d", src.Name, src.Rows, src.Dim, t.Rows, t.Dim)
	}
	copy(t.W, src.W)
	t.m, t.v, t.step = nil, nil, 0
	t.ClearGrad()
	return nil
}

// streamFor returns a random stream that depends only on seed and name, so a
// parameter's initial values do not depend on the order in which parameters
// are created (an STL and an MTL run with the same seed start from the same
// primary head and embedding).
func streamFor(seed uint64, name string) *rand.Rand {
	return rand.New(rand.NewPCG(seed, fnv64(name)))
}

func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// prefetchRows is how far ahead the row loops ask for the rows they will
// read: the tables are far larger than the caches and the rows are
// scattered, so without it every row waits for memory (measured on the
// benchmark's 20,000×100 table: Update of ~5,400 rows 1.2–1.4 ms without,
// 0.5–0.8 ms with, on a loaded 2-core machine).
const prefetchRows = 8
