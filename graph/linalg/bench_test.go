package linalg

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchShapes are the products of the LSTM benchmarks (scripts/torch_ref.py:
// B=64, T=100, D=100, H=128 and 256): one step of [x h]·W for
// the BiLSTM (64×356)·(356×1024); the input projection of all steps
// (6400×100)·(100×512); the forward step h·Wh; the backward step
// dA·[Wh; Wx]ᵀ; the weight gradients over all steps [h | x]ᵀ·dA; and a tall,
// narrow product with a transposed B.
var benchShapes = []struct {
	name           string
	transA, transB bool
	m, n, k        int
}{
	{"step_xh_64x356x1024", false, false, 64, 1024, 356},
	{"input_6400x100x512", false, false, 6400, 512, 100},
	{"recurrent_64x256x1024", false, false, 64, 1024, 256},
	{"backstep_NT_64x1024x356", false, true, 64, 356, 1024},
	{"dW_TN_356x6400x1024", true, false, 356, 1024, 6400},
	{"narrow_NT_6400x1024x100", false, true, 6400, 100, 1024},
}

type gemmFunc func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)

// benchGemm times C = op(A)·op(B) on random matrices; setup (packing B,
// say) may replace gemm after the operands exist and before the timer starts.
func benchGemm(b *testing.B, gemm gemmFunc, transA, transB bool, m, n, k int, setup func(bm []float32, ldb int) gemmFunc) {
	rng := rand.New(rand.NewPCG(1, 2))
	a := randSlice(rng, m*k)
	bm := randSlice(rng, k*n)
	c := make([]float32, m*n)
	lda, ldb := k, n
	if transA {
		lda = m
	}
	if transB {
		ldb = k
	}
	if setup != nil {
		gemm = setup(bm, ldb)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		gemm(transA, transB, m, n, k, 1, a, lda, bm, ldb, 0, c, n)
	}
	b.ReportMetric(float64(2*m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// withWorkers sets maxWorkers (0: GOMAXPROCS) for one benchmark.
func withWorkers(b *testing.B, w int) {
	old := maxWorkers
	b.Cleanup(func() { maxWorkers = old })
	maxWorkers = w
}

// BenchmarkSgemm compares the build's Sgemm, each assembly kernel on one and
// on all cores, products with B packed beforehand, and gonum's blas32 (the
// starting point). GFLOP/s is the figure to compare:
//
//	go test -run '^$' -bench Sgemm ./graph/linalg/
//	OPENBLAS_NUM_THREADS=1 go test -tags openblas -run '^$' -bench 'Sgemm/.*/backend' ./graph/linalg/
func BenchmarkSgemm(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(s.name+"/backend="+Backend(), func(b *testing.B) {
			benchGemm(b, Sgemm, s.transA, s.transB, s.m, s.n, s.k, nil)
		})
		for _, kern := range availableKernels() {
			for _, w := range []int{1, 0} {
				b.Run(fmt.Sprintf("%s/%s/workers=%d", s.name, kern.name, w), func(b *testing.B) {
					withWorkers(b, w)
					benchGemm(b, func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, bm []float32, ldb int, beta float32, c []float32, ldc int) {
						gemmGo(kern, false, transA, transB, m, n, k, alpha, a, lda, bm, ldb, beta, c, ldc)
					}, s.transA, s.transB, s.m, s.n, s.k, nil)
				})
			}
		}
		for _, w := range []int{1, 0} {
			b.Run(fmt.Sprintf("%s/packed=%s/workers=%d", s.name, kernelName(packKernel()), w), func(b *testing.B) {
				withWorkers(b, w)
				benchGemm(b, nil, s.transA, s.transB, s.m, s.n, s.k, func(bm []float32, ldb int) gemmFunc {
					pb := NewPackedB(s.k, s.n)
					pb.Pack(s.transB, bm, ldb)
					return func(transA, _ bool, m, _, _ int, alpha float32, a []float32, lda int, _ []float32, _ int, beta float32, c []float32, ldc int) {
						SgemmPacked(transA, m, alpha, a, lda, pb, beta, c, ldc)
					}
				})
			})
		}
		b.Run(s.name+"/gonum", func(b *testing.B) {
			benchGemm(b, func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, bm []float32, ldb int, beta float32, c []float32, ldc int) {
				gemmWith(nil, false, transA, transB, m, n, k, alpha, a, lda, bm, ldb, beta, c, ldc)
			}, s.transA, s.transB, s.m, s.n, s.k, nil)
		})
	}
}
