package linalg

import "fmt"

// Sgemm computes C = alpha·op(A)·op(B) + beta·C for row-major float32
// matrices, where op(A) is m×k (A itself, or Aᵀ when transA), op(B) is k×n
// (B, or Bᵀ when transB) and C is m×n. lda, ldb and ldc are the leading
// dimensions (row strides) of the matrices as stored.
//
// With beta = 0, C is overwritten and its previous contents (even NaN) are
// ignored, as in BLAS. Large products are split over GOMAXPROCS goroutines.
// It panics when the arguments break this contract.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	backendSgemm(false, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// SgemmSerial is Sgemm on the calling goroutine only, for callers that
// already run one product per core. (Under -tags openblas it is Sgemm:
// OpenBLAS's threads are set by OPENBLAS_NUM_THREADS.)
func SgemmSerial(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	backendSgemm(true, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Backend names the GEMM implementation Sgemm uses in this build and on this
// CPU, for benchmark reports: "openblas", "go-avx512", "go-avx2" or "gonum"
// (the pure-Go build on a CPU without AVX2+FMA).
func Backend() string { return backendName() }

// checkGemm panics when the arguments of a row-major GEMM are inconsistent.
func checkGemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("linalg: negative size m=%d n=%d k=%d", m, n, k))
	}
	rowsA, colsA := m, k
	if transA {
		rowsA, colsA = k, m
	}
	rowsB, colsB := k, n
	if transB {
		rowsB, colsB = n, k
	}
	checkMatrix("A", rowsA, colsA, a, lda)
	checkMatrix("B", rowsB, colsB, b, ldb)
	checkMatrix("C", m, n, c, ldc)
}

func checkMatrix(name string, rows, cols int, s []float32, ld int) {
	if ld < max(1, cols) {
		panic(fmt.Sprintf("linalg: leading dimension of %s is %d, want at least %d", name, ld, max(1, cols)))
	}
	if rows == 0 || cols == 0 {
		return
	}
	if need := (rows-1)*ld + cols; len(s) < need {
		panic(fmt.Sprintf("linalg: %s has %d elements, a %d×%d matrix with stride %d needs %d", name, len(s), rows, cols, ld, need))
	}
}

// scaleRows sets C = beta·C on an m×n row-major matrix; beta = 0 writes zeros
// so that NaNs in C do not survive.
func scaleRows(m, n int, beta float32, c []float32, ldc int) {
	if beta == 1 {
		return
	}
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}
