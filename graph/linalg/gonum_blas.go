package linalg

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// BLAS is a complete gonum BLAS implementation whose Sgemm is this package's
// and whose other routines are gonum's. It satisfies Gorgonia's BLAS
// interface, so that
//
//	gorgonia.Use(linalg.BLAS{})
//
// makes Gorgonia's float32 MatMul (and everything else it computes with GEMM)
// run on the fast path. gorgonia.Use(gonum.Implementation{}) restores the default.
type BLAS struct{ gonum.Implementation }

var _ blas.Float32 = BLAS{}

// Sgemm is [Sgemm] with gonum's argument conventions.
func (BLAS) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	Sgemm(isTrans(tA), isTrans(tB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// isTrans maps a real-valued transpose flag; ConjTrans is Trans for reals.
func isTrans(t blas.Transpose) bool {
	switch t {
	case blas.NoTrans:
		return false
	case blas.Trans, blas.ConjTrans:
		return true
	}
	panic(fmt.Sprintf("linalg: bad transpose %v", t))
}
