package graph

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Builder is what a module sees while it adds its head to a graph: it hands out
// parameter nodes bound to the model's shared tensors, input nodes bound to the
// module's own buffers, and embedding-row nodes filled from a [Table] before
// every run.
type Builder struct {
	g      *G.ExprGraph
	m      *Model
	prefix string
	mod    int // index of the module being built
	rows   []*rowBinding
	params map[string]*paramBinding
	order  []*paramBinding
}

type rowBinding struct {
	mod   int // index of the module that reads the rows
	table *Table
	ids   []int32
	buf   []float32
	node  *G.Node
	grad  *G.Node
}

type paramBinding struct {
	mod  int // index of the module that owns the parameter
	p    *Param
	node *G.Node
	grad *G.Node
}

func newBuilder(m *Model, g *G.ExprGraph) *Builder {
	return &Builder{g: g, m: m, params: map[string]*paramBinding{}}
}

// Graph returns the Gorgonia graph being built.
func (b *Builder) Graph() *G.ExprGraph { return b.g }

// Model returns the model the graph belongs to.
func (b *Builder) Model() *Model { return b.m }

// Embedding returns the shared embedding table.
func (b *Builder) Embedding() *Table { return b.m.Embedding }

// Table returns (creating on first use) a table private to the caller, such as
// a skip-gram context table. The name is not prefixed: pick a unique one.
func (b *Builder) Table(name string, rows, dim int, init Init) (*Table, error) {
	return b.m.Table(name, rows, dim, init)
}

// Param returns a node bound to the dense parameter prefix/name, created with
// init on first use. Asking twice for the same name in one graph returns the
// same node.
func (b *Builder) Param(name string, shape []int, init Init) (*G.Node, error) {
	full := name
	if b.prefix != "" {
		full = b.prefix + "/" + name
	}
	if pb, ok := b.params[full]; ok {
		return pb.node, nil
	}
	p, err := b.m.Param(full, shape, init)
	if err != nil {
		return nil, err
	}
	n := G.NewTensor(b.g, tensor.Float32, len(shape), G.WithShape(shape...), G.WithName(full), G.WithValue(p.Value))
	pb := &paramBinding{mod: b.mod, p: p, node: n}
	b.params[full] = pb
	b.order = append(b.order, pb)
	return n, nil
}

// Input returns a node whose value is the caller's tensor t. The caller refills
// t in place between runs (never replaces it).
func (b *Builder) Input(name string, t *tensor.Dense) *G.Node {
	return G.NewTensor(b.g, t.Dtype(), t.Dims(), G.WithShape(t.Shape()...), G.WithName(b.name(name)), G.WithValue(t))
}

// Rows returns a (len(ids), table.Dim) node holding the table rows ids,
// gathered before every run. The caller owns ids and refills it in place
// between runs; a negative id (padding) reads a zero row and receives no
// gradient. In a training program the gradient of these rows is added back to
// the table after the backward pass.
func (b *Builder) Rows(t *Table, ids []int32, name string) (*G.Node, error) {
	if len(ids) == 0 {
		return nil, fmt.Errorf("rows %s: no ids", name)
	}
	buf := tensor.New(tensor.WithShape(len(ids), t.Dim), tensor.Of(tensor.Float32))
	n := G.NewMatrix(b.g, tensor.Float32, G.WithShape(len(ids), t.Dim), G.WithName(b.name(name)), G.WithValue(buf))
	b.rows = append(b.rows, &rowBinding{mod: b.mod, table: t, ids: ids, buf: buf.Data().([]float32), node: n})
	return n, nil
}

func (b *Builder) name(n string) string {
	if b.prefix == "" {
		return n
	}
	return b.prefix + "/" + n
}

func (b *Builder) gather() {
	for _, r := range b.rows {
		r.table.Gather(r.ids, r.buf)
	}
}
