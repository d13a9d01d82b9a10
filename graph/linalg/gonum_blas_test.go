package linalg_test

import (
	"math/rand/v2"
	"testing"

	"github.com/mt2st/mt2st/graph/linalg"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Gorgonia accepts the adapter.
var _ G.BLAS = linalg.BLAS{}

// countingBLAS counts the GEMM calls Gorgonia routes to linalg.
type countingBLAS struct {
	linalg.BLAS
	calls *int
}

func (c countingBLAS) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, cm []float32, ldc int) {
	*c.calls++
	c.BLAS.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, cm, ldc)
}

// matMul runs a Gorgonia graph computing x·wᵀ and the gradient of its sum
// with respect to w, which needs a transposed GEMM too.
func matMul(t *testing.T, x, w []float32, m, k, n int) (prod, grad []float32) {
	t.Helper()
	g := G.NewGraph()
	xn := G.NewMatrix(g, G.Float32, G.WithShape(m, k), G.WithName("x"), G.WithValue(tensor.New(tensor.WithShape(m, k), tensor.WithBacking(append([]float32(nil), x...)))))
	wn := G.NewMatrix(g, G.Float32, G.WithShape(n, k), G.WithName("w"), G.WithValue(tensor.New(tensor.WithShape(n, k), tensor.WithBacking(append([]float32(nil), w...)))))
	wt, err := G.Transpose(wn)
	if err != nil {
		t.Fatal(err)
	}
	y, err := G.Mul(xn, wt)
	if err != nil {
		t.Fatal(err)
	}
	loss, err := G.Sum(y)
	if err != nil {
		t.Fatal(err)
	}
	grads, err := G.Grad(loss, wn)
	if err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	prod = append(prod, y.Value().Data().([]float32)...)
	grad = append(grad, grads[0].Value().Data().([]float32)...)
	return prod, grad
}

func TestGorgoniaMatMulUsesAdapter(t *testing.T) {
	const m, k, n = 37, 70, 45
	rng := rand.New(rand.NewPCG(5, 6))
	x := make([]float32, m*k)
	w := make([]float32, n*k)
	for i := range x {
		x[i] = rng.Float32() - 0.5
	}
	for i := range w {
		w[i] = rng.Float32() - 0.5
	}
	wantProd, wantGrad := matMul(t, x, w, m, k, n)

	calls := 0
	G.Use(countingBLAS{calls: &calls})
	defer G.Use(gonum.Implementation{})
	gotProd, gotGrad := matMul(t, x, w, m, k, n)

	if calls == 0 {
		t.Fatal("Gorgonia did not call the adapter's Sgemm")
	}
	// Both sum 70 float32 products of magnitude ≤ 0.25, in different orders.
	for i := range wantProd {
		if d := wantProd[i] - gotProd[i]; d > 1e-5 || d < -1e-5 {
			t.Fatalf("product[%d] = %g with linalg, %g with gonum", i, gotProd[i], wantProd[i])
		}
	}
	for i := range wantGrad {
		if d := wantGrad[i] - gotGrad[i]; d > 1e-4 || d < -1e-4 {
			t.Fatalf("grad[%d] = %g with linalg, %g with gonum", i, gotGrad[i], wantGrad[i])
		}
	}
}
