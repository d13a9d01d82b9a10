//go:build !openblas

package linalg

func backendName() string { return kernelName(bestKernel) }

func backendSgemm(serial, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmWith(bestKernel, serial, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// packKernel is the kernel PackedB packs for; nil packs a plain copy.
func packKernel() *kernel { return bestKernel }
