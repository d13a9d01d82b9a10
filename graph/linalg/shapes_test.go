package linalg

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// lstmShapes are the products graph/lstm runs at the benchmark's shapes
// (bench: B=64, T=100, D=100, H=128 and 256; benchShapes lists the same for
// timing), with k well above blockK = 256 in the backward products, plus
// products whose m, n and k are all off the block sizes (blockM 144, blockN
// 4096, blockK 256) and the tiles (6×16, 8×32), with k > 256 and n > blockN.
var lstmShapes = []gemmCase{
	{m: 6400, n: 512, k: 100, alpha: 1},                             // input projection, lstm
	{m: 6400, n: 1024, k: 100, alpha: 1},                            // input projection, bilstm
	{transB: true, m: 64, n: 228, k: 512, alpha: 1, beta: 1},        // backward step dA·[Wh; Wx]ᵀ, lstm
	{transB: true, m: 32, n: 356, k: 1024, alpha: 1, beta: 1},       // the same, bilstm, one of two parts
	{transA: true, m: 228, n: 512, k: 6400, alpha: 1},               // weight gradients [h | x]ᵀ·dA, lstm
	{transA: true, m: 356, n: 1024, k: 6400, alpha: 1},              // the same, bilstm
	{transA: true, transB: true, m: 145, n: 4100, k: 700, alpha: 1}, // past blockM, blockN, 2·blockK
	{m: 151, n: 4133, k: 517, padA: 3, padB: 5, padC: 7, alpha: -0.5, beta: 0.25},
	{transB: true, m: 289, n: 97, k: 1283, alpha: 2, beta: 1, padC: 1},
}

// edgeIndices are the rows (or columns) of an n-long dimension worth
// checking: the first and last edge (at least one full tile and the partial
// one at the end), both sides of every multiple of block, and some drawn at
// random.
func edgeIndices(rng *rand.Rand, n, edge, block int) []int {
	var idx []int
	for i := range edge {
		idx = append(idx, i, n-1-i)
	}
	for q := block; q < n; q += block {
		idx = append(idx, q-1, q)
	}
	for range 8 {
		idx = append(idx, rng.IntN(n))
	}
	slices.Sort(idx)
	return slices.Compact(slices.DeleteFunc(idx, func(i int) bool { return i < 0 || i >= n }))
}

// sampledCase is one product's operands and the naive float64 value of the
// entries of C at rows × cols (a full naive triple loop over these shapes
// takes minutes).
type sampledCase struct {
	tc            gemmCase
	a, b, c       []float32
	lda, ldb, ldc int
	rows, cols    []int
	want          []float64
}

func newSampledCase(tc gemmCase) *sampledCase {
	rng := rand.New(rand.NewPCG(uint64(tc.m*1000+tc.n), uint64(tc.k)))
	rowsA, colsA := tc.m, tc.k
	if tc.transA {
		rowsA, colsA = tc.k, tc.m
	}
	rowsB, colsB := tc.k, tc.n
	if tc.transB {
		rowsB, colsB = tc.n, tc.k
	}
	s := &sampledCase{tc: tc, lda: colsA + tc.padA, ldb: colsB + tc.padB, ldc: tc.n + tc.padC}
	s.a, s.b, s.c = randSlice(rng, rowsA*s.lda), randSlice(rng, rowsB*s.ldb), randSlice(rng, tc.m*s.ldc)
	for i := 0; i < tc.m; i++ {
		for j := tc.n; j < s.ldc; j++ {
			s.c[i*s.ldc+j] = float32(math.NaN())
		}
	}
	// Rows: tiles of 6 and 8, blocks of blockM; columns: tiles of 16 and 32,
	// blocks of blockN.
	s.rows, s.cols = edgeIndices(rng, tc.m, 9, blockM), edgeIndices(rng, tc.n, 33, blockN)
	for _, i := range s.rows {
		for _, j := range s.cols {
			var sum float64
			for p := 0; p < tc.k; p++ {
				ai, bi := i*s.lda+p, p*s.ldb+j
				if tc.transA {
					ai = p*s.lda + i
				}
				if tc.transB {
					bi = j*s.ldb + p
				}
				sum += float64(s.a[ai]) * float64(s.b[bi])
			}
			want := float64(tc.alpha) * sum
			if tc.beta != 0 {
				want += float64(tc.beta) * float64(s.c[i*s.ldc+j])
			}
			s.want = append(s.want, want)
		}
	}
	return s
}

// run runs gemm on the full product, on a fresh copy of C, and checks the
// sampled entries and that the stride padding of C is untouched.
func (s *sampledCase) run(t *testing.T, gemm gemmFunc) {
	t.Helper()
	tc := s.tc
	c := slices.Clone(s.c)
	gemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, s.a, s.lda, s.b, s.ldb, tc.beta, c, s.ldc)
	// Entries are sums of k products of values in (−1, 1): about √k/3 in
	// size. float32 accumulation errs by ~1e-7 per term at worst; a skipped
	// or repeated k-block of 256 terms moves an entry by ~5.
	tol := 1e-6 * float64(tc.k)
	w := 0
	for _, i := range s.rows {
		for _, j := range s.cols {
			want := s.want[w]
			w++
			if got := float64(c[i*s.ldc+j]); !(math.Abs(got-want) <= tol) {
				t.Fatalf("%v: C[%d,%d] = %g, want %g (diff %g > %g)", tc, i, j, got, want, math.Abs(got-want), tol)
			}
		}
		for j := tc.n; j < s.ldc; j++ {
			if !math.IsNaN(float64(c[i*s.ldc+j])) {
				t.Fatalf("%v: wrote C[%d,%d] outside the matrix", tc, i, j)
			}
		}
	}
	if w < 100 {
		t.Fatalf("%v: only %d entries checked", tc, w)
	}
}

// TestSgemmAtLSTMShapes checks the build's backend (Sgemm on the default
// workers, SgemmSerial, and the packed B the recurrence uses) and every
// kernel of the pure-Go build on one and two goroutines at lstmShapes.
func TestSgemmAtLSTMShapes(t *testing.T) {
	for _, tc := range lstmShapes {
		t.Run(fmt.Sprint(tc), func(t *testing.T) {
			s := newSampledCase(tc)
			s.run(t, Sgemm)
			s.run(t, SgemmSerial)
			s.run(t, func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
				pb := NewPackedB(k, n)
				pb.Pack(transB, b, ldb)
				SgemmPacked(transA, m, alpha, a, lda, pb, beta, c, ldc)
			})
			for _, kern := range availableKernels() {
				for _, workers := range []int{1, 2} {
					func() {
						defer func(mw, mp int) { maxWorkers, minPerPart = mw, mp }(maxWorkers, minPerPart)
						maxWorkers, minPerPart = workers, 1
						s.run(t, func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
							gemmWith(kern, false, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
						})
					}()
				}
			}
		})
	}
}
