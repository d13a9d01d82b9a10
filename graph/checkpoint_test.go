package graph

import (
	"bytes"
	"encoding/gob"
	"math"
	"slices"
	"testing"
)

// TestStateResumesExactly trains the toy model 3 steps with both heads and
// takes its state, then continues 4 steps with the primary head only and 2
// with both. A fresh model that restores the state (through gob, as a
// checkpoint file does) and takes the same 6 steps must end with every
// table value, parameter, Adam moment and step count bit-identical — even
// though the auxiliary head's parameter is restored before its program is
// built again.
func TestStateResumesExactly(t *testing.T) {
	m, primary, aux := newToyModel(t)
	step := func(m *Model, mods ...Module) {
		t.Helper()
		p, err := m.Program(mods...)
		if err != nil {
			t.Fatal(err)
		}
		ws := []float64{1, 0.5}[:len(mods)]
		if _, err := p.Step(ws); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		step(m, primary, aux)
	}
	s, err := m.State()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(s); err != nil {
		t.Fatal(err)
	}
	rest := func(m *Model) {
		for range 4 {
			step(m, primary)
		}
		for range 2 {
			step(m, primary, aux)
		}
	}
	rest(m)
	want, err := m.State()
	if err != nil {
		t.Fatal(err)
	}

	m2, primary2, aux2 := newToyModel(t)
	var loaded ModelState
	if err := gob.NewDecoder(&buf).Decode(&loaded); err != nil {
		t.Fatal(err)
	}
	if err := m2.SetState(loaded); err != nil {
		t.Fatal(err)
	}
	primary, aux = primary2, aux2
	rest(m2)
	got, err := m2.State()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Params) != 2 || len(got.Tables) != 1 {
		t.Fatalf("restored model has %d params and %d tables, want 2 and 1", len(got.Params), len(got.Tables))
	}
	for i, p := range want.Params {
		q := got.Params[i]
		if p.Name != q.Name || p.Step != q.Step || !sameBits(p.W, q.W) || !sameBits(p.M, q.M) || !sameBits(p.V, q.V) {
			t.Errorf("param %s: step %d/%d, values %v / %v", p.Name, p.Step, q.Step, p.W, q.W)
		}
	}
	a, b := want.Tables[0], got.Tables[0]
	if a.Step != b.Step || !sameBits(a.W, b.W) || !sameBits(a.M, b.M) || !sameBits(a.V, b.V) {
		t.Errorf("embedding differs after resuming: step %d/%d", a.Step, b.Step)
	}
	if m2.Runs("aux") != 5 || m2.Runs("primary") != 9 {
		t.Errorf("runs after resuming: primary %d aux %d, want 9 and 5", m2.Runs("primary"), m2.Runs("aux"))
	}
}

func TestSetStateRejectsAnotherShape(t *testing.T) {
	m, _, _ := newToyModel(t)
	s, err := m.State()
	if err != nil {
		t.Fatal(err)
	}
	s.Tables[0].Rows, s.Tables[0].W = 5, s.Tables[0].W[:15]
	if err := m.SetState(s); err == nil {
		t.Error("a 5x3 embedding state restored into a 6x3 table")
	}
}

func sameBits(a, b []float32) bool {
	return slices.EqualFunc(a, b, func(x, y float32) bool { return math.Float32bits(x) == math.Float32bits(y) })
}
