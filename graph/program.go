package graph

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Program is one compiled training graph for a fixed set of modules: the
// combined loss Σ w_k·L_k, its gradients, and a TapeMachine that runs them.
type Program struct {
	m       *Model
	mods    []Module
	b       *Builder
	vm      G.VM
	weights []*G.Node
	losses  []*G.Node
	total   *G.Node
	tables  []*Table
	out     []float64
	split   *TaskGrads // per-task gradients, allocated by the first measured StepEach
	ones    []float64  // StepEach's run weights
}

func newProgram(m *Model, mods []Module) (*Program, error) {
	g := G.NewGraph()
	b := newBuilder(m, g)
	p := &Program{m: m, mods: mods, b: b, out: make([]float64, len(mods))}
	var terms G.Nodes
	for i, mod := range mods {
		b.prefix, b.mod = mod.Name(), i
		loss, err := mod.Build(b)
		if err != nil {
			return nil, fmt.Errorf("module %s: %w", mod.Name(), err)
		}
		if !loss.IsScalar() {
			return nil, fmt.Errorf("module %s: loss has shape %v, want a scalar", mod.Name(), loss.Shape())
		}
		w := G.NewScalar(g, tensor.Float32, G.WithName("weight/"+mod.Name()), G.WithValue(float32(1)))
		term, err := G.Mul(loss, w)
		if err != nil {
			return nil, fmt.Errorf("module %s: weight its loss: %w", mod.Name(), err)
		}
		p.weights = append(p.weights, w)
		p.losses = append(p.losses, loss)
		terms = append(terms, term)
	}
	b.prefix = ""
	total := terms[0]
	for _, t := range terms[1:] {
		var err error
		if total, err = G.Add(total, t); err != nil {
			return nil, fmt.Errorf("combined loss: %w", err)
		}
	}
	p.total = total
	wrt := make(G.Nodes, 0, len(b.order)+len(b.rows))
	for _, pb := range b.order {
		wrt = append(wrt, pb.node)
	}
	for _, r := range b.rows {
		wrt = append(wrt, r.node)
	}
	grads, err := G.Grad(total, wrt...)
	if err != nil {
		return nil, fmt.Errorf("differentiate combined loss: %w", err)
	}
	for i, pb := range b.order {
		pb.grad = grads[i]
	}
	seen := map[*Table]bool{}
	for i, r := range b.rows {
		r.grad = grads[len(b.order)+i]
		if !seen[r.table] {
			seen[r.table] = true
			p.tables = append(p.tables, r.table)
		}
	}
	p.vm = G.NewTapeMachine(g)
	return p, nil
}

// Modules returns the program's modules in order.
func (p *Program) Modules() []Module { return p.mods }

// Step runs one training step: it gathers every head's rows, runs the forward
// and backward pass of Σ w_k·L_k with the given weights (one per module, in
// order), adds the row gradients back to the tables and applies Adam to every
// parameter and touched row. It returns each module's unweighted loss (the
// slice is reused by the next call). A non-finite loss is an error and leaves
// every value as it was.
func (p *Program) Step(weights []float64) ([]float64, error) {
	defer p.vm.Reset()
	losses, err := p.run(weights)
	if err != nil {
		return nil, err
	}
	for _, r := range p.b.rows {
		g, err := float32sOf(r.grad)
		if err != nil {
			return nil, fmt.Errorf("step: gradient of %s: %w", r.node.Name(), err)
		}
		r.table.Accumulate(r.ids, g)
	}
	if err := p.update(nil); err != nil {
		return nil, err
	}
	return losses, nil
}

// update ends a step: every parameter takes its gradient, scaled by
// scale(pb) when scale is given (a scale of 0 leaves the parameter as it
// is), then every table its accumulated rows, and each module counts a run.
func (p *Program) update(scale func(pb *paramBinding) float64) error {
	for _, pb := range p.b.order {
		w := 1.0
		if scale != nil {
			if w = scale(pb); w == 0 {
				continue
			}
		}
		g, err := float32sOf(pb.grad)
		if err != nil {
			return fmt.Errorf("step: gradient of %s: %w", pb.p.Name, err)
		}
		if w != 1 {
			scaleTo(g, g, float32(w))
		}
		if err := pb.p.Update(p.m.Opt, g); err != nil {
			return fmt.Errorf("step: %w", err)
		}
	}
	for _, t := range p.tables {
		t.Update(p.m.Opt)
	}
	for _, mod := range p.mods {
		p.m.runs[mod.Name()]++
	}
	return nil
}

// Gradients runs the forward and backward pass without changing anything and
// returns the losses, the gradient of Σ w_k·L_k for every table row the
// program reads (table name → row id → gradient, duplicates summed) and for
// every parameter (by name). It is the slow path for tests and gradient checks.
func (p *Program) Gradients(weights []float64) (losses []float64, rows map[string]map[int32][]float32, params map[string][]float32, err error) {
	defer p.vm.Reset()
	l, err := p.run(weights)
	if err != nil {
		return nil, nil, nil, err
	}
	losses = append([]float64(nil), l...)
	rows = map[string]map[int32][]float32{}
	for _, r := range p.b.rows {
		g, err := float32sOf(r.grad)
		if err != nil {
			return nil, nil, nil, err
		}
		byID := rows[r.table.Name]
		if byID == nil {
			byID = map[int32][]float32{}
			rows[r.table.Name] = byID
		}
		d := r.table.Dim
		for i, id := range r.ids {
			if id < 0 {
				continue
			}
			acc := byID[id]
			if acc == nil {
				acc = make([]float32, d)
				byID[id] = acc
			}
			for j := range acc {
				acc[j] += g[i*d+j]
			}
		}
	}
	params = map[string][]float32{}
	for _, pb := range p.b.order {
		g, err := float32sOf(pb.grad)
		if err != nil {
			return nil, nil, nil, err
		}
		params[pb.p.Name] = append([]float32(nil), g...)
	}
	return losses, rows, params, nil
}

// run sets the weights, gathers rows, runs the machine and checks the losses.
func (p *Program) run(weights []float64) ([]float64, error) {
	if len(weights) != len(p.mods) {
		return nil, fmt.Errorf("step: %d weights for %d modules", len(weights), len(p.mods))
	}
	for i, w := range p.weights {
		if err := G.Let(w, float32(weights[i])); err != nil {
			return nil, fmt.Errorf("step: set weight of %s: %w", p.mods[i].Name(), err)
		}
	}
	p.b.gather()
	if err := p.vm.RunAll(); err != nil {
		return nil, fmt.Errorf("step: run graph: %w", err)
	}
	for i, l := range p.losses {
		v, err := scalarOf(l)
		if err != nil {
			return nil, fmt.Errorf("step: loss of %s: %w", p.mods[i].Name(), err)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("step: loss of task %s is %v (weight %g)", p.mods[i].Name(), v, weights[i])
		}
		p.out[i] = v
	}
	return p.out, nil
}

func scalarOf(n *G.Node) (float64, error) {
	switch v := n.Value().Data().(type) {
	case float32:
		return float64(v), nil
	case float64:
		return v, nil
	case []float32:
		if len(v) == 1 {
			return float64(v[0]), nil
		}
	}
	return 0, fmt.Errorf("node %s holds %T, want a float32 scalar", n.Name(), n.Value().Data())
}

func float32sOf(n *G.Node) ([]float32, error) {
	if n.Value() == nil {
		return nil, fmt.Errorf("node %s has no value", n.Name())
	}
	if d, ok := n.Value().(*tensor.Dense); ok && d.Dtype() == tensor.Float32 && !d.IsView() {
		return d.Float32s(), nil // no interface boxing of the slice, unlike Data()
	}
	switch v := n.Value().Data().(type) {
	case []float32:
		return v, nil
	case float32:
		return []float32{v}, nil
	}
	return nil, fmt.Errorf("node %s holds %T, want float32", n.Name(), n.Value().Data())
}
