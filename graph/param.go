package graph

import (
	"fmt"

	"gorgonia.org/tensor"
)

// Param is a dense parameter of a task head. Its tensor is shared by every
// program that uses it and is updated in place.
type Param struct {
	Name  string
	Value *tensor.Dense // float32

	// Frozen parameters keep their values.
	Frozen bool

	m, v []float32
	step int
}

// Data returns the parameter's values.
func (p *Param) Data() []float32 { return p.Value.Data().([]float32) }

// Update applies one Adam step from gradient g (same length as the values).
func (p *Param) Update(opt Adam, g []float32) error {
	w := p.Data()
	if len(g) != len(w) {
		return fmt.Errorf("update %s: gradient has %d values, want %d", p.Name, len(g), len(w))
	}
	if p.Frozen {
		return nil
	}
	if p.m == nil {
		p.m = make([]float32, len(w))
		p.v = make([]float32, len(w))
	}
	p.step++
	k := opt.consts(opt.coefficients(p.step))
	if len(w) < parallelMinWork { // most heads: no goroutine, no closure
		k.update(w, g, p.m, p.v)
		return nil
	}
	// Elementwise: split large parameters (LSTM weights) over the CPUs.
	parallelFor(len(w), 1, func(lo, hi int) { k.update(w[lo:hi], g[lo:hi], p.m[lo:hi], p.v[lo:hi]) })
	return nil
}
