package graph

import (
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"slices"
)

// Floats is a float32 slice that gob-encodes as raw little-endian bits:
// exact, compact and fast for checkpoints of large tables.
type Floats []float32

// GobEncode implements gob.GobEncoder.
func (f Floats) GobEncode() ([]byte, error) {
	b := make([]byte, 4*len(f))
	for i, x := range f {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b, nil
}

// GobDecode implements gob.GobDecoder.
func (f *Floats) GobDecode(b []byte) error {
	if len(b)%4 != 0 {
		return fmt.Errorf("floats: %d bytes is not a whole number of float32s", len(b))
	}
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	*f = out
	return nil
}

// TableState is the complete training state of a [Table] at a step
// boundary (no pending gradient): values, Adam moments (nil before the
// first update) and the table's Adam step count.
type TableState struct {
	Name      string
	Rows, Dim int
	Frozen    bool
	W, M, V   Floats
	Step      int
}

// ParamState is the complete training state of a [Param].
type ParamState struct {
	Name    string
	Shape   []int
	Frozen  bool
	W, M, V Floats
	Step    int
}

// ModelState is everything of a [Model] that training changes: every table
// and dense parameter with its optimiser state (parameters in creation
// order), the optimiser settings and how many steps ran each module. The
// compiled programs are not state: they are rebuilt on demand and read the
// same tensors.
type ModelState struct {
	Opt    Adam
	Tables []TableState
	Params []ParamState
	Runs   map[string]int
}

// State returns a copy of the model's training state. Call it between
// steps: a pending table gradient is an error.
func (m *Model) State() (ModelState, error) {
	s := ModelState{Opt: m.Opt, Runs: maps.Clone(m.runs)}
	for _, t := range m.Tables() {
		if len(t.touched) > 0 {
			return ModelState{}, fmt.Errorf("model state: table %s has a pending gradient", t.Name)
		}
		s.Tables = append(s.Tables, TableState{Name: t.Name, Rows: t.Rows, Dim: t.Dim, Frozen: t.Frozen,
			W: slices.Clone(t.W), M: slices.Clone(t.m), V: slices.Clone(t.v), Step: t.step})
	}
	for _, p := range m.Params() {
		s.Params = append(s.Params, ParamState{Name: p.Name, Shape: slices.Clone([]int(p.Value.Shape())), Frozen: p.Frozen,
			W: slices.Clone(p.Data()), M: slices.Clone(p.m), V: slices.Clone(p.v), Step: p.step})
	}
	return s, nil
}

// SetState restores a state taken by [Model.State] from a model built the
// same way (same seed and embedding). Tables and parameters the model does
// not have yet are created with the state's values (in the state's order),
// so a head first built before the state was taken continues exactly when
// it is built again; ones the model has must match in shape.
func (m *Model) SetState(s ModelState) error {
	m.Opt = s.Opt
	for _, ts := range s.Tables {
		t, ok := m.tables[ts.Name]
		if !ok {
			t = NewTable(ts.Name, ts.Rows, ts.Dim)
			m.tables[ts.Name] = t
		}
		if t.Rows != ts.Rows || t.Dim != ts.Dim || len(ts.W) != len(t.W) {
			return fmt.Errorf("restore table %s: state is %dx%d, table is %dx%d", ts.Name, ts.Rows, ts.Dim, t.Rows, t.Dim)
		}
		if (ts.M != nil && len(ts.M) != len(t.W)) || len(ts.M) != len(ts.V) {
			return fmt.Errorf("restore table %s: Adam moments of %d and %d values, want %d", ts.Name, len(ts.M), len(ts.V), len(t.W))
		}
		t.ClearGrad()
		copy(t.W, ts.W)
		t.m, t.v = slices.Clone([]float32(ts.M)), slices.Clone([]float32(ts.V))
		t.step, t.Frozen = ts.Step, ts.Frozen
	}
	for _, ps := range s.Params {
		p, err := m.Param(ps.Name, ps.Shape, Zeros())
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		if len(ps.W) != len(p.Data()) || len(ps.M) != len(ps.V) || (ps.M != nil && len(ps.M) != len(ps.W)) {
			return fmt.Errorf("restore param %s: %d values with moments of %d and %d, want %d", ps.Name, len(ps.W), len(ps.M), len(ps.V), len(p.Data()))
		}
		copy(p.Data(), ps.W)
		p.m, p.v = slices.Clone([]float32(ps.M)), slices.Clone([]float32(ps.V))
		p.step, p.Frozen = ps.Step, ps.Frozen
	}
	m.runs = maps.Clone(s.Runs)
	if m.runs == nil {
		m.runs = map[string]int{}
	}
	return nil
}
