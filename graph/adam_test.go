package graph

import (
	"math"
	"testing"

	"gorgonia.org/tensor"
)

// Golden values printed by scripts/torch_adam_golden.py (torch 1.13, lr 1e-3,
// default betas and eps).
func TestDenseAdamMatchesTorch(t *testing.T) {
	p := &Param{Name: "w", Value: tensor.New(tensor.WithBacking([]float32{0.5, -0.3, 0.1}))}
	grads := [][]float32{{0.2, -1.0, 0.0}, {0.1, 0.5, 3.0}, {-0.4, 0.0, 1e-4}}
	want := [][]float32{
		{0.499000013, -0.299000025, 0.100000001},
		{0.498067826, -0.298733681, 0.0992558673},
		{0.498274177, -0.298527807, 0.0986806229},
	}
	for step, g := range grads {
		if err := p.Update(DefaultAdam(), g); err != nil {
			t.Fatal(err)
		}
		assertClose(t, "dense step", p.Data(), want[step], 2e-7)
	}
}

func TestSparseAdamMatchesTorch(t *testing.T) {
	tab := NewTable("E", 4, 2)
	copy(tab.W, []float32{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8})
	tab.Accumulate([]int32{0, 2, 2}, []float32{1.0, -2.0, 0.5, 0.5, 0.25, 0.0})
	if tab.Touched() != 2 {
		t.Fatalf("touched %d rows, want 2", tab.Touched())
	}
	tab.Update(DefaultAdam())
	assertClose(t, "sparse step 1", tab.W, []float32{0.0989999995, 0.201000005, 0.300000012, 0.400000006, 0.499000013, 0.599000037, 0.699999988, 0.800000012}, 2e-7)
	tab.Accumulate([]int32{0, -1}, []float32{-1.0, 0.3, 9, 9}) // -1 = padding, ignored
	tab.Update(DefaultAdam())
	assertClose(t, "sparse step 2", tab.W, []float32{0.0990526304, 0.201552197, 0.300000012, 0.400000006, 0.499000013, 0.599000037, 0.699999988, 0.800000012}, 2e-7)
	if tab.Touched() != 0 {
		t.Errorf("pending rows after update: %d", tab.Touched())
	}
}

func TestFrozenTableKeepsValues(t *testing.T) {
	tab := NewTable("E", 2, 2)
	copy(tab.W, []float32{1, 2, 3, 4})
	tab.Frozen = true
	tab.Accumulate([]int32{0, 1}, []float32{1, 1, 1, 1})
	tab.Update(DefaultAdam())
	assertClose(t, "frozen", tab.W, []float32{1, 2, 3, 4}, 0)
}

func assertClose(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if math.Abs(float64(got[i]-want[i])) > tol {
			t.Errorf("%s [%d]: got %.9g want %.9g", what, i, got[i], want[i])
		}
	}
}
