package linalg_test

import (
	"fmt"
	"log"

	"github.com/mt2st/mt2st/graph/linalg"
	"gonum.org/v1/gonum/blas/gonum"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func ExampleSgemm() {
	// C (2×2) = A (2×3) · Bᵀ, with B stored 2×3.
	a := []float32{
		1, 2, 3,
		4, 5, 6,
	}
	b := []float32{
		1, 0, 1,
		0, 1, 0,
	}
	c := make([]float32, 4)
	linalg.Sgemm(false, true, 2, 2, 3, 1, a, 3, b, 3, 0, c, 2)
	fmt.Println(c)
	// Output: [4 2 10 5]
}

func ExamplePackedB() {
	// Pack W (2×3) once, then multiply several left-hand sides by it.
	w := []float32{
		1, 2, 3,
		4, 5, 6,
	}
	packed := linalg.NewPackedB(2, 3)
	packed.Pack(false, w, 3)
	out := make([]float32, 3)
	for _, h := range [][]float32{{1, 0}, {1, 1}} {
		linalg.SgemmPacked(false, 1, 1, h, 2, packed, 0, out, 3)
		fmt.Println(out)
	}
	// Output:
	// [1 2 3]
	// [5 7 9]
}

// Gorgonia's float32 products run on linalg once it is installed with
// gorgonia.Use; gonum.Implementation{} restores the default.
func ExampleBLAS() {
	gorgonia.Use(linalg.BLAS{})
	defer gorgonia.Use(gonum.Implementation{})

	g := gorgonia.NewGraph()
	a := gorgonia.NewMatrix(g, gorgonia.Float32, gorgonia.WithShape(2, 3), gorgonia.WithName("a"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float32{1, 2, 3, 4, 5, 6}))))
	b := gorgonia.NewMatrix(g, gorgonia.Float32, gorgonia.WithShape(3, 2), gorgonia.WithName("b"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(3, 2), tensor.WithBacking([]float32{1, 0, 0, 1, 1, 1}))))
	c, err := gorgonia.Mul(a, b)
	if err != nil {
		log.Fatal(err)
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Value().Data())
	// Output: [4 5 10 11]
}
