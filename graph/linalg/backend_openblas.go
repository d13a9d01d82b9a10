//go:build openblas

package linalg

import "github.com/mt2st/mt2st/graph/linalg/internal/cblas"

func backendName() string { return "openblas" }

// backendSgemm calls OpenBLAS; serial is ignored, since OpenBLAS runs its own
// threads (OPENBLAS_NUM_THREADS).
func backendSgemm(serial, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if k == 0 || alpha == 0 {
		// A and B may be empty slices here; there is nothing to multiply.
		scaleRows(m, n, beta, c, ldc)
		return
	}
	cblas.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// packKernel is nil: PackedB keeps a plain copy of B for cblas_sgemm.
func packKernel() *kernel { return nil }
