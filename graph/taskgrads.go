package graph

import (
	"fmt"
	"math"
)

// TaskGrads is each module's own gradient on the program's shared tables
// (the tables that two or more of its modules read, usually the embedding),
// as one training step computed them, before anything is applied. It exists
// only inside [Program.StepEach]; [Program.Step] never builds it.
//
// The gradients are row-sparse: module k's gradient is a list of the rows k
// read (duplicates summed) and their values, never a dense Rows×Dim array.
// An inner product runs over the rows both modules touched; a norm over the
// module's own rows. Each module's dense parameters belong to that module
// alone (the builder names them after it), so the shared parameters of two
// tasks are exactly the rows of the shared tables. Values are the gradients
// of the unweighted losses L_k.
type TaskGrads struct {
	p       *Program
	shared  []*Table
	sharedI map[*Table]int
	per     [][]sparseRows // module -> shared table -> rows
	norm2   []float64      // cached squared norms, -1 = not computed
	weights []float64      // the weights the step applies
	losses  []float64      // the step's unweighted losses
}

// sparseRows is one module's gradient on one table.
type sparseRows struct {
	slot []int32 // table row -> index into ids, or -1
	ids  []int32
	g    []float32 // len(ids)*Dim
}

func (s *sparseRows) add(id int32, src []float32, d int) {
	k := s.slot[id]
	if k < 0 {
		s.slot[id] = int32(len(s.ids))
		s.ids = append(s.ids, id)
		s.g = append(s.g, src...)
		return
	}
	addTo(s.g[int(k)*d:int(k)*d+d], src)
}

func (s *sparseRows) reset() {
	for _, id := range s.ids {
		s.slot[id] = -1
	}
	s.ids, s.g = s.ids[:0], s.g[:0]
}

// newTaskGrads finds the shared tables of p and allocates one row index per
// module and shared table (Rows int32 each).
func newTaskGrads(p *Program) *TaskGrads {
	readers := map[*Table]map[int]bool{}
	var order []*Table
	for _, r := range p.b.rows {
		if readers[r.table] == nil {
			readers[r.table] = map[int]bool{}
			order = append(order, r.table)
		}
		readers[r.table][r.mod] = true
	}
	tg := &TaskGrads{p: p, sharedI: map[*Table]int{}, norm2: make([]float64, len(p.mods)), weights: make([]float64, len(p.mods))}
	for _, t := range order {
		if len(readers[t]) >= 2 && !t.Frozen {
			tg.sharedI[t] = len(tg.shared)
			tg.shared = append(tg.shared, t)
		}
	}
	tg.per = make([][]sparseRows, len(p.mods))
	for k := range tg.per {
		tg.per[k] = make([]sparseRows, len(tg.shared))
		for i, t := range tg.shared {
			slot := make([]int32, t.Rows)
			for j := range slot {
				slot[j] = -1
			}
			tg.per[k][i] = sparseRows{slot: slot}
		}
	}
	return tg
}

// Modules is the number of modules, in the program's order.
func (g *TaskGrads) Modules() int { return len(g.per) }

// Name returns module k's name.
func (g *TaskGrads) Name(k int) string { return g.p.mods[k].Name() }

// Shared returns the names of the shared tables.
func (g *TaskGrads) Shared() []string {
	out := make([]string, len(g.shared))
	for i, t := range g.shared {
		out[i] = t.Name
	}
	return out
}

// Rows returns how many shared-table rows module k touched.
func (g *TaskGrads) Rows(k int) int {
	n := 0
	for i := range g.per[k] {
		n += len(g.per[k][i].ids)
	}
	return n
}

// Dot returns g_i·g_j over the rows both modules touched.
func (g *TaskGrads) Dot(i, j int) float64 {
	var s float64
	for t, tab := range g.shared {
		a, b := &g.per[i][t], &g.per[j][t]
		if len(a.ids) > len(b.ids) {
			a, b = b, a // walk the shorter list
		}
		d := tab.Dim
		for n, id := range a.ids {
			m := b.slot[id]
			if m < 0 {
				continue
			}
			s += dot64(a.g[n*d:n*d+d], b.g[int(m)*d:int(m)*d+d])
		}
	}
	return s
}

// Norm returns |g_k| over module k's own rows.
func (g *TaskGrads) Norm(k int) float64 {
	if g.norm2[k] < 0 {
		var s float64
		for t := range g.shared {
			v := g.per[k][t].g
			s += dot64(v, v)
		}
		g.norm2[k] = s
	}
	return math.Sqrt(g.norm2[k])
}

// Cosine returns cos(g_i, g_j); 0 when either gradient is zero.
func (g *TaskGrads) Cosine(i, j int) float64 {
	ni, nj := g.Norm(i), g.Norm(j)
	if ni == 0 || nj == 0 {
		return 0
	}
	return g.Dot(i, j) / (ni * nj)
}

// Project removes from g_k its component along g_onto when the two
// conflict (g_k·g_onto < 0): g_k −= (g_k·g_onto / |g_onto|²)·g_onto, on
// every row of g_onto (rows only g_onto touched gain a gradient for k). It
// reports whether it changed g_k. This is PCGrad's projection (Yu et al.
// 2020) with g_onto the primary task's gradient.
func (g *TaskGrads) Project(k, onto int) bool {
	d := g.Dot(k, onto)
	n2 := g.Norm(onto)
	n2 *= n2
	if !(d < 0) || n2 == 0 {
		return false
	}
	c := float32(-d / n2)
	for t, tab := range g.shared {
		dst, src := &g.per[k][t], &g.per[onto][t]
		dim := tab.Dim
		for n, id := range src.ids {
			row := src.g[n*dim : n*dim+dim]
			m := dst.slot[id]
			if m < 0 {
				dst.slot[id] = int32(len(dst.ids))
				dst.ids = append(dst.ids, id)
				base := len(dst.g)
				dst.g = append(dst.g, row...)
				scaleTo(dst.g[base:base+dim], row, c)
				continue
			}
			axpy(dst.g[int(m)*dim:int(m)*dim+dim], row, c)
		}
	}
	g.norm2[k] = -1
	return true
}

// Loss returns module k's unweighted loss in this step.
func (g *TaskGrads) Loss(k int) float64 { return g.losses[k] }

// Weight returns the weight the step applies to module k.
func (g *TaskGrads) Weight(k int) float64 { return g.weights[k] }

// SetWeight sets the weight the step applies to module k's gradient. A
// weight of 0 applies nothing of module k: neither its rows nor its dense
// parameters change in this step (an Adam step on a zero gradient would
// still move them).
func (g *TaskGrads) SetWeight(k int, w float64) { g.weights[k] = w }

// StepEach is a training step for strategies that weigh each task's
// gradient after seeing it. It runs the forward and backward pass of the
// unweighted losses (every module at weight 1), then, if measure is true,
// splits the shared-table gradients by module into a [TaskGrads] and calls
// decide with it; decide may read inner products, norms and cosines, project
// gradients and change the weights. Then it applies Σ w_k·g_k, starting
// from weights (one per module): rows and dense parameters of a module
// whose final weight is 0 are not updated. When measure is false, decide is
// not called and nothing is split: the step applies the given weights.
//
// The default training step is [Program.Step]; StepEach costs one pass over
// the touched rows more when measuring, and its first measured call
// allocates one int32 row index per module and shared table.
func (p *Program) StepEach(weights []float64, measure bool, decide func(*TaskGrads) error) ([]float64, error) {
	defer p.vm.Reset()
	if len(weights) != len(p.mods) {
		return nil, fmt.Errorf("step: %d weights for %d modules", len(weights), len(p.mods))
	}
	if p.ones == nil {
		p.ones = make([]float64, len(p.mods))
		for i := range p.ones {
			p.ones[i] = 1
		}
	}
	losses, err := p.run(p.ones)
	if err != nil {
		return nil, err
	}
	ws := weights
	var tg *TaskGrads
	if measure {
		if p.split == nil {
			p.split = newTaskGrads(p)
		}
		tg = p.split
		copy(tg.weights, weights)
		tg.losses = losses
		for k := range tg.norm2 {
			tg.norm2[k] = -1
		}
		defer func() {
			for k := range tg.per {
				for t := range tg.per[k] {
					tg.per[k][t].reset()
				}
			}
		}()
		for _, r := range p.b.rows {
			t, ok := tg.sharedI[r.table]
			if !ok {
				continue
			}
			g, err := float32sOf(r.grad)
			if err != nil {
				return nil, fmt.Errorf("step: gradient of %s: %w", r.node.Name(), err)
			}
			sr, d := &tg.per[r.mod][t], r.table.Dim
			for i, id := range r.ids {
				if id >= 0 {
					sr.add(id, g[i*d:i*d+d], d)
				}
			}
		}
		if decide != nil {
			if err := decide(tg); err != nil {
				return nil, fmt.Errorf("step: %w", err)
			}
		}
		ws = tg.weights
	}
	for _, r := range p.b.rows {
		w := ws[r.mod]
		if w == 0 {
			continue
		}
		if tg != nil {
			if _, ok := tg.sharedI[r.table]; ok {
				continue // applied from the split gradient below
			}
		}
		g, err := float32sOf(r.grad)
		if err != nil {
			return nil, fmt.Errorf("step: gradient of %s: %w", r.node.Name(), err)
		}
		if w != 1 {
			scaleTo(g, g, float32(w))
		}
		r.table.Accumulate(r.ids, g)
	}
	if tg != nil {
		for k := range tg.per {
			w := float32(ws[k])
			if w == 0 {
				continue
			}
			for t, tab := range tg.shared {
				sr := &tg.per[k][t]
				if w != 1 {
					scaleTo(sr.g, sr.g, w)
				}
				tab.Accumulate(sr.ids, sr.g)
			}
		}
	}
	if err := p.update(func(pb *paramBinding) float64 { return ws[pb.mod] }); err != nil {
		return nil, err
	}
	return losses, nil
}

// dot64 is Σ a_i·b_i accumulated in float64.
func dot64(a, b []float32) float64 {
	b = b[:len(a)]
	var s float64
	for i, x := range a {
		s += float64(x) * float64(b[i])
	}
	return s
}
