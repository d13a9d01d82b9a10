package lstm

import (
	"github.com/mt2st/mt2st/graph/linalg"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// matmul32 multiplies with linalg, packing the weights once per pass: every
// step multiplies by the same Wh (forward) or [Wh; Wx]ᵀ (backward).
type matmul32 struct {
	wh, wT *linalg.PackedB
	stack  []float32 // [Wh; Wx], (H+D) × 4H
}

func (*matmul32) gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	linalg.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func (mm *matmul32) setForward(wh []float32, h int) {
	if mm.wh == nil {
		mm.wh = linalg.NewPackedB(h, 4*h)
	}
	mm.wh.Pack(false, wh, 4*h)
}

func (mm *matmul32) setBackward(wh, wx []float32, h, d int) {
	if mm.wT == nil {
		mm.wT = linalg.NewPackedB(4*h, h+d)
		mm.stack = make([]float32, (h+d)*4*h)
	}
	copy(mm.stack, wh[:h*4*h])
	copy(mm.stack[h*4*h:], wx[:d*4*h])
	mm.wT.Pack(true, mm.stack, 4*h)
}

func (mm *matmul32) stepForward(m int, a []float32, lda int, c []float32, ldc int) {
	linalg.SgemmPackedSerial(false, m, 1, a, lda, mm.wh, 1, c, ldc)
}

func (mm *matmul32) stepBackward(m int, a []float32, lda int, c []float32, ldc int) {
	linalg.SgemmPackedSerial(false, m, 1, a, lda, mm.wT, 1, c, ldc)
}

// matmul64 is gonum's float64 GEMM, for the finite-difference checks.
type matmul64 struct {
	wh    []float64
	stack []float64 // [Wh; Wx]
	h, d  int
}

func (*matmul64) gemm(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	gonum.Implementation{}.Dgemm(trans(transA), trans(transB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func (mm *matmul64) setForward(wh []float64, h int) { mm.wh, mm.h = wh, h }

func (mm *matmul64) setBackward(wh, wx []float64, h, d int) {
	mm.h, mm.d = h, d
	mm.stack = append(append(mm.stack[:0], wh[:h*4*h]...), wx[:d*4*h]...)
}

func (mm *matmul64) stepForward(m int, a []float64, lda int, c []float64, ldc int) {
	gonum.Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, m, 4*mm.h, mm.h, 1, a, lda, mm.wh, 4*mm.h, 1, c, ldc)
}

func (mm *matmul64) stepBackward(m int, a []float64, lda int, c []float64, ldc int) {
	gonum.Implementation{}.Dgemm(blas.NoTrans, blas.Trans, m, mm.h+mm.d, 4*mm.h, 1, a, lda, mm.stack, 4*mm.h, 1, c, ldc)
}

func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}
