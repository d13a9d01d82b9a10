package graph

import (
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// loss = Σ_ij [a | b]_ij · w_ij with w_ij = j: the gradient of a is column
// index j (0..p−1) in every row, that of b is p+j. Computed by hand, at
// widths where G.Concat gets it right (a 3-column b) and where it does not
// (256 + 256: its slices [0,256) and [256,512) hash alike in Gorgonia
// v0.9.18, and b receives a's gradient).
func TestConcatColumnsGradient(t *testing.T) {
	for _, c := range []struct{ n, p, q int }{{2, 4, 3}, {3, 256, 256}} {
		w := tensor.New(tensor.WithShape(c.n, c.p+c.q), tensor.Of(tensor.Float32))
		for i := range w.Float32s() {
			w.Float32s()[i] = float32(i % (c.p + c.q))
		}
		a := tensor.New(tensor.WithShape(c.n, c.p), tensor.Of(tensor.Float32))
		b := tensor.New(tensor.WithShape(c.n, c.q), tensor.Of(tensor.Float32))
		_, grads := gradsOf(t, []*tensor.Dense{a, b, w}, 2, func(int, []*tensor.Dense) {}, func(g *G.ExprGraph, in G.Nodes) (*G.Node, error) {
			y, err := ConcatColumns(in[0], in[1])
			if err != nil {
				return nil, err
			}
			return G.Sum(G.Must(G.HadamardProd(y, in[2])))
		})
		for r := range c.n {
			for j := range c.p {
				if got := grads[0][r*c.p+j]; got != float32(j) {
					t.Fatalf("%dx(%d+%d): ∂a[%d,%d] = %g, want %d", c.n, c.p, c.q, r, j, got, j)
				}
			}
			for j := range c.q {
				if got := grads[1][r*c.q+j]; got != float32(c.p+j) {
					t.Fatalf("%dx(%d+%d): ∂b[%d,%d] = %g, want %d", c.n, c.p, c.q, r, j, got, c.p+j)
				}
			}
		}
	}
}

func TestConcatColumnsForward(t *testing.T) {
	a := tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float32{1, 2, 3, 4}))
	b := tensor.New(tensor.WithShape(2, 1), tensor.WithBacking([]float32{5, 6}))
	g := G.NewGraph()
	na := G.NewMatrix(g, tensor.Float32, G.WithShape(2, 2), G.WithValue(a), G.WithName("a"))
	nb := G.NewMatrix(g, tensor.Float32, G.WithShape(2, 1), G.WithValue(b), G.WithName("b"))
	y, err := ConcatColumns(na, nb)
	if err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	got := y.Value().Data().([]float32)
	want := []float32{1, 2, 5, 3, 4, 6}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("[a | b] = %v, want %v", got, want)
		}
	}
}
