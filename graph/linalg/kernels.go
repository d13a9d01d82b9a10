package linalg

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// bestKernel is the pure-Go GEMM's micro-kernel on this CPU; nil when the CPU
// has none of the assembly kernels, and gonum's Sgemm is used instead.
var bestKernel = firstKernel(availableKernels())

func firstKernel(ks []*kernel) *kernel {
	if len(ks) == 0 {
		return nil
	}
	return ks[0]
}

// gemmWith runs the pure-Go GEMM on kern, or gonum's when kern is nil.
func gemmWith(kern *kernel, serial, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if kern == nil {
		gonum.Implementation{}.Sgemm(transpose(transA), transpose(transB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	gemmGo(kern, serial, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func kernelName(kern *kernel) string {
	if kern == nil {
		return "gonum"
	}
	return kern.name
}

func transpose(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}
