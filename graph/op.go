package graph

import (
	"fmt"
	"hash"
	"hash/fnv"
	"sync/atomic"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The fused ops of this package (pool.go, xent.go, cosine.go, rowdot.go)
// replace chains of small stock Gorgonia ops on the hot paths. Each op node
// owns its output buffer, allocated on its first run and overwritten by every
// later run, so a training step allocates no tensors for them; their backward
// passes are hand-written and checked against the stock compositions and
// finite differences in fused_test.go.

// nextFusedID makes every fused node distinct: Gorgonia merges nodes whose
// op hashes and children are equal, and two nodes must never share buffers.
var nextFusedID atomic.Uint64

// OpTraits answers, for a Gorgonia op embedding it, what every op of this
// project shares: it returns a buffer of its own (never an input's), calls
// no extern and overwrites no input.
type OpTraits struct{}

func (OpTraits) ReturnsPtr() bool     { return false }
func (OpTraits) CallsExtern() bool    { return false }
func (OpTraits) OverwritesInput() int { return -1 }

// HashOf hashes an op by its String, which must name it uniquely (an id):
// Gorgonia merges nodes whose op hashes and children are equal.
func HashOf(op fmt.Stringer) uint32 {
	h := fnv.New32a()
	fmt.Fprintf(h, "%v", op)
	return h.Sum32()
}

// fusedBase holds what every fused op shares: a unique id and a name.
type fusedBase struct {
	OpTraits
	id   uint64
	name string
}

func newFusedBase(name string) fusedBase { return fusedBase{id: nextFusedID.Add(1), name: name} }

func (o fusedBase) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%s#%d", o.name, o.id) }
func (o fusedBase) String() string        { return fmt.Sprintf("%s#%d", o.name, o.id) }
func (o fusedBase) Hashcode() uint32      { return HashOf(o) }

// Float32Data returns the values of a float32 tensor value (materialising a
// strided view) or of a float32 scalar.
func Float32Data(v G.Value) ([]float32, error) {
	switch x := v.(type) {
	case *tensor.Dense:
		if x.Dtype() != tensor.Float32 {
			return nil, fmt.Errorf("value of dtype %v, want float32", x.Dtype())
		}
		if x.IsView() {
			x = x.Materialize().(*tensor.Dense)
		}
		return x.Float32s(), nil
	case *G.F32:
		return []float32{float32(*x)}, nil
	}
	return nil, fmt.Errorf("value %T, want a float32 tensor", v)
}

// scalar32 returns the value of a float32 scalar (or one-element tensor).
func scalar32(v G.Value) (float32, error) {
	d, err := Float32Data(v)
	if err != nil {
		return 0, err
	}
	if len(d) != 1 {
		return 0, fmt.Errorf("value with %d elements, want a scalar", len(d))
	}
	return d[0], nil
}

// ownedDense returns buf if it already has the shape, else a new float32
// tensor of that shape.
func ownedDense(buf *tensor.Dense, shape ...int) *tensor.Dense {
	if buf != nil && buf.Shape().TotalSize() == tensor.Shape(shape).TotalSize() {
		return buf
	}
	return tensor.New(tensor.WithShape(shape...), tensor.Of(tensor.Float32))
}

// checkFloat32 reports a node that is not float32 with the given number of
// dimensions.
func checkFloat32(what string, n *G.Node, dims int) error {
	if n == nil {
		return fmt.Errorf("%s is nil", what)
	}
	if n.Dtype() != tensor.Float32 {
		return fmt.Errorf("%s has dtype %v, want float32", what, n.Dtype())
	}
	if n.Shape().Dims() != dims {
		return fmt.Errorf("%s has shape %v, want %d dimensions", what, n.Shape(), dims)
	}
	return nil
}
