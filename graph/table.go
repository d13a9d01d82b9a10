package graph

import (
	"fmt"
	"math/rand/v2"
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
		s := t.slot[id]
		if s < 0 {
			s = int32(len(t.touched))
			t.slot[id] = s
			t.touched = append(t.touched, id)
			t.grad = append(t.grad, make([]float32, d)...)
		}
		dst := t.grad[int(s)*d : int(s)*d+d]
		src := grad[i*d : i*d+d]
		for j := range dst {
			dst[j] += src[j]
		}
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
	stepSize, invBC2 := opt.coefficients(t.step)
	d := t.Dim
	for s, id := range t.touched {
		lo := int(id) * d
		opt.adamUpdate(t.W[lo:lo+d], t.grad[s*d:(s+1)*d], t.m[lo:lo+d], t.v[lo:lo+d], stepSize, invBC2)
		t.slot[id] = -1
	}
	t.touched = t.touched[:0]
	t.grad = t.grad[:0]
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
