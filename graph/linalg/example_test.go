package linalg_test

import (
	"fmt"

	"github.com/mt2st/mt2st/graph/linalg"
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
