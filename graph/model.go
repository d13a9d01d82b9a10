package graph

import (
	"fmt"
	"slices"
	"strings"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Module is one task head as the graph sees it. Build adds the head to the
// builder's graph and returns its scalar loss node. Build may be called several
// times (once per program that includes the module); each call must create
// fresh nodes but reuse the module's own input buffers and its parameters (by
// name), so every program sees the same data and the same values.
type Module interface {
	Name() string
	Build(b *Builder) (loss *G.Node, err error)
}

// Model is everything that trains: the shared embedding, the other tables, the
// dense parameters, and the compiled programs.
type Model struct {
	// Embedding is the shared embedding every task reads.
	Embedding *Table
	Opt       Adam
	Seed      uint64

	tables   map[string]*Table
	params   map[string]*Param
	order    []string // parameter names in creation order
	programs map[string]*Program
	runs     map[string]int // module name -> training steps that executed it
}

// NewModel returns a model around the shared embedding table.
func NewModel(embedding *Table, opt Adam, seed uint64) *Model {
	m := &Model{
		Embedding: embedding, Opt: opt, Seed: seed,
		tables:   map[string]*Table{embedding.Name: embedding},
		params:   map[string]*Param{},
		programs: map[string]*Program{},
		runs:     map[string]int{},
	}
	return m
}

// Table returns the table called name, creating it with init on first use
// (e.g. skip-gram's context table).
func (m *Model) Table(name string, rows, dim int, init Init) (*Table, error) {
	if t, ok := m.tables[name]; ok {
		if t.Rows != rows || t.Dim != dim {
			return nil, fmt.Errorf("table %s: exists as %dx%d, asked for %dx%d", name, t.Rows, t.Dim, rows, dim)
		}
		return t, nil
	}
	t := NewTable(name, rows, dim)
	t.Fill(init, m.Seed)
	m.tables[name] = t
	return t, nil
}

// Param returns the dense parameter called name, creating it with init on
// first use. Its initial values depend only on the model seed and the name.
func (m *Model) Param(name string, shape []int, init Init) (*Param, error) {
	if p, ok := m.params[name]; ok {
		if !slices.Equal(p.Value.Shape(), tensor.Shape(shape)) {
			return nil, fmt.Errorf("param %s: exists with shape %v, asked for %v", name, p.Value.Shape(), shape)
		}
		return p, nil
	}
	t := tensor.New(tensor.WithShape(shape...), tensor.Of(tensor.Float32))
	init(streamFor(m.Seed, "param/"+name), t.Data().([]float32), shape)
	p := &Param{Name: name, Value: t}
	m.params[name] = p
	m.order = append(m.order, name)
	return p, nil
}

// Params returns the dense parameters in creation order.
func (m *Model) Params() []*Param {
	out := make([]*Param, len(m.order))
	for i, n := range m.order {
		out[i] = m.params[n]
	}
	return out
}

// Tables returns every table, the shared embedding first, then by name.
func (m *Model) Tables() []*Table {
	out := []*Table{m.Embedding}
	names := make([]string, 0, len(m.tables))
	for n := range m.tables {
		if n != m.Embedding.Name {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		out = append(out, m.tables[n])
	}
	return out
}

// Runs returns how many training steps executed the module's head.
func (m *Model) Runs(module string) int { return m.runs[module] }

// Program returns the compiled program for exactly these modules, building it
// on first use. The first module is conventionally the primary task.
func (m *Model) Program(mods ...Module) (*Program, error) {
	if len(mods) == 0 {
		return nil, fmt.Errorf("program: no modules")
	}
	names := make([]string, len(mods))
	for i, mod := range mods {
		names[i] = mod.Name()
	}
	key := strings.Join(names, "+")
	if p, ok := m.programs[key]; ok {
		return p, nil
	}
	p, err := newProgram(m, mods)
	if err != nil {
		return nil, fmt.Errorf("build program %s: %w", key, err)
	}
	m.programs[key] = p
	return p, nil
}

// Programs returns how many programs have been built (for tests and stats).
func (m *Model) Programs() int { return len(m.programs) }
