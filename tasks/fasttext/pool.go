package fasttext

import (
	"fmt"
	"hash"
	"sync/atomic"

	"github.com/chewxy/hm"
	"github.com/mt2st/mt2st/graph"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Layout says how SubwordPool combines its rows; the task owns it and
// refills it with every batch. Groups are the input vectors being built (a
// skip-gram centre word, a CBOW context); a group index of −1 marks padding.
//
//	H[g]   = Σ_{i: WordGroup[i]=g} WordCoef[i]·W[i] + Σ_{j: NgramGroup[j]=g} NgramCoef[j]·Z[j]
//	out[p] = H[OutGroup[p]]   (a zero row when OutGroup[p] = −1)
type Layout struct {
	WordGroup  []int32
	WordCoef   []float32
	NgramGroup []int32
	NgramCoef  []float32
	OutGroup   []int32
	Groups     int // capacity: every group index is below it
}

// NewLayout allocates a layout for nw word rows, nz n-gram rows, p output
// rows and at most groups groups, all padding.
func NewLayout(nw, nz, p, groups int) *Layout {
	l := &Layout{
		WordGroup: make([]int32, nw), WordCoef: make([]float32, nw),
		NgramGroup: make([]int32, nz), NgramCoef: make([]float32, nz),
		OutGroup: make([]int32, p), Groups: groups,
	}
	for _, s := range [][]int32{l.WordGroup, l.NgramGroup, l.OutGroup} {
		for i := range s {
			s[i] = -1
		}
	}
	return l
}

// SubwordPool adds the fused node out (P, D) of the layout l from word rows
// w (nw, D) and n-gram rows z (nz, D): fastText's input vector, the mean of
// a word's row and its n-gram rows (for CBOW, of every context word's), built
// once per group and repeated for the output rows that use it. Its backward
// pass is the exact gradient: ∂out/∂W[i] = WordCoef[i] summed over the
// group's output rows (fastText itself, with SGD, adds the unscaled gradient
// of the mean to every row; under Adam a row's gradient scale cancels out).
func SubwordPool(w, z *G.Node, l *Layout) (*G.Node, error) {
	if w.Dims() != 2 || z.Dims() != 2 || w.Shape()[1] != z.Shape()[1] {
		return nil, fmt.Errorf("subword pool: shapes w %v, z %v: want (nw, D), (nz, D)", w.Shape(), z.Shape())
	}
	if w.Shape()[0] != len(l.WordGroup) || z.Shape()[0] != len(l.NgramGroup) {
		return nil, fmt.Errorf("subword pool: %d word and %d n-gram rows for a layout of %d and %d", w.Shape()[0], z.Shape()[0], len(l.WordGroup), len(l.NgramGroup))
	}
	for _, n := range []*G.Node{w, z} {
		if n.Dtype() != tensor.Float32 {
			return nil, fmt.Errorf("subword pool: %s has dtype %v, want float32", n.Name(), n.Dtype())
		}
	}
	d := w.Shape()[1]
	op := &poolOp{id: poolID.Add(1), l: l, d: d,
		h:   make([]float32, l.Groups*d),
		dh:  make([]float32, l.Groups*d),
		out: tensor.New(tensor.WithShape(len(l.OutGroup), d), tensor.Of(tensor.Float32)),
		dw:  tensor.New(tensor.WithShape(len(l.WordGroup), d), tensor.Of(tensor.Float32)),
		dz:  tensor.New(tensor.WithShape(len(l.NgramGroup), d), tensor.Of(tensor.Float32)),
	}
	return G.ApplyOp(op, w, z)
}

var poolID atomic.Uint64

type poolOp struct {
	graph.OpTraits
	id     uint64
	l      *Layout
	d      int
	h, dh  []float32
	out    *tensor.Dense
	dw, dz *tensor.Dense
	ran    bool
}

func (op *poolOp) Arity() int { return 2 }

func (op *poolOp) Type() hm.Type {
	m := G.TensorType{Dims: 2, Of: hm.TypeVariable('a')}
	return hm.NewFnType(m, m, m)
}

func (op *poolOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape{len(op.l.OutGroup), op.d}, nil
}

func (op *poolOp) Do(vals ...G.Value) (G.Value, error) {
	if len(vals) != 2 {
		return nil, fmt.Errorf("%v: got %d inputs, want 2", op, len(vals))
	}
	w, err := graph.Float32Data(vals[0])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	z, err := graph.Float32Data(vals[1])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	d, l := op.d, op.l
	clear(op.h)
	accumulate(op.h, w, l.WordGroup, l.WordCoef, d)
	accumulate(op.h, z, l.NgramGroup, l.NgramCoef, d)
	out := op.out.Float32s()
	for p, g := range l.OutGroup {
		row := out[p*d : (p+1)*d]
		if g < 0 {
			clear(row)
			continue
		}
		copy(row, op.h[int(g)*d:int(g+1)*d])
	}
	op.ran = true
	return op.out, nil
}

// accumulate adds coef[i]·x[i] into h[group[i]].
func accumulate(h, x []float32, group []int32, coef []float32, d int) {
	for i, g := range group {
		if g < 0 || coef[i] == 0 {
			continue
		}
		c, src, dst := coef[i], x[i*d:(i+1)*d], h[int(g)*d:int(g+1)*d]
		for k, v := range src {
			dst[k] += c * v
		}
	}
}

func (op *poolOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%v", op) }
func (op *poolOp) Hashcode() uint32      { return graph.HashOf(op) }
func (op *poolOp) String() string {
	return fmt.Sprintf("SubwordPool#%d{W=%d,Z=%d,P=%d,D=%d}", op.id, len(op.l.WordGroup), len(op.l.NgramGroup), len(op.l.OutGroup), op.d)
}

func (op *poolOp) DiffWRT(int) []bool { return []bool{true, true} }

// SymDiff adds one node per input; each reads the forward output (so it runs
// after it) and the output's gradient.
func (op *poolOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("%v: SymDiff got %d inputs, want 2", op, len(inputs))
	}
	dw, err := G.ApplyOp(&poolGradOp{fwd: op, words: true}, output, grad)
	if err != nil {
		return nil, err
	}
	dz, err := G.ApplyOp(&poolGradOp{fwd: op}, output, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dw, dz}, nil
}

// poolGradOp computes the gradient with respect to the word rows (words) or
// the n-gram rows.
type poolGradOp struct {
	graph.OpTraits
	fwd   *poolOp
	words bool
}

func (op *poolGradOp) Arity() int { return 2 }

func (op *poolGradOp) Type() hm.Type {
	m := G.TensorType{Dims: 2, Of: hm.TypeVariable('a')}
	return hm.NewFnType(m, m, m)
}

func (op *poolGradOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	if op.words {
		return tensor.Shape{len(op.fwd.l.WordGroup), op.fwd.d}, nil
	}
	return tensor.Shape{len(op.fwd.l.NgramGroup), op.fwd.d}, nil
}

func (op *poolGradOp) Do(vals ...G.Value) (G.Value, error) {
	f := op.fwd
	if len(vals) != 2 {
		return nil, fmt.Errorf("%v: got %d inputs, want 2", op, len(vals))
	}
	if !f.ran {
		return nil, fmt.Errorf("%v: the forward op has not run", op)
	}
	g, err := graph.Float32Data(vals[1])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	d, l := f.d, f.l
	// Each of the two gradient nodes sums the output gradient per group
	// itself (P·D additions, small beside the rows it then writes).
	clear(f.dh)
	for p, grp := range l.OutGroup {
		if grp < 0 {
			continue
		}
		dst, src := f.dh[int(grp)*d:int(grp+1)*d], g[p*d:(p+1)*d]
		for k, v := range src {
			dst[k] += v
		}
	}
	group, coef, dst := l.NgramGroup, l.NgramCoef, f.dz
	if op.words {
		group, coef, dst = l.WordGroup, l.WordCoef, f.dw
	}
	out := dst.Float32s()
	for i, grp := range group {
		row := out[i*d : (i+1)*d]
		if grp < 0 || coef[i] == 0 {
			clear(row)
			continue
		}
		c, src := coef[i], f.dh[int(grp)*d:int(grp+1)*d]
		for k, v := range src {
			row[k] = c * v
		}
	}
	return dst, nil
}

func (op *poolGradOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%v", op) }
func (op *poolGradOp) Hashcode() uint32      { return graph.HashOf(op) }
func (op *poolGradOp) String() string {
	if op.words {
		return fmt.Sprintf("∂%v/∂w", op.fwd)
	}
	return fmt.Sprintf("∂%v/∂z", op.fwd)
}
