package graph

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// Forward is a compiled inference graph: the same parameters as training, no
// gradients. Tasks use it to evaluate (e.g. sentiment predictions).
type Forward struct {
	b   *Builder
	vm  G.VM
	out *G.Node
	ran bool
}

// Forward builds an inference graph. prefix must be the module name used in
// training, so parameters resolve to the trained tensors.
func (m *Model) Forward(prefix string, build func(b *Builder) (*G.Node, error)) (*Forward, error) {
	g := G.NewGraph()
	b := newBuilder(m, g)
	b.prefix = prefix
	out, err := build(b)
	if err != nil {
		return nil, fmt.Errorf("build inference graph for %s: %w", prefix, err)
	}
	return &Forward{b: b, vm: G.NewTapeMachine(g), out: out}, nil
}

// Run gathers rows, runs the graph and returns the output value, valid until
// the next Run.
func (f *Forward) Run() (G.Value, error) {
	if f.ran {
		f.vm.Reset()
	}
	f.b.gather()
	if err := f.vm.RunAll(); err != nil {
		return nil, fmt.Errorf("run inference graph: %w", err)
	}
	f.ran = true
	return f.out.Value(), nil
}
