package linalg

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// naiveGemm is the triple loop the fast paths are checked against, in float64.
func naiveGemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var sum float64
			for p := 0; p < k; p++ {
				var av, bv float32
				if transA {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
				if transB {
					bv = b[j*ldb+p]
				} else {
					bv = b[p*ldb+j]
				}
				sum += float64(av) * float64(bv)
			}
			old := float64(c[i*ldc+j])
			if beta == 0 {
				old = 0
			}
			c[i*ldc+j] = float32(float64(alpha)*sum + float64(beta)*old)
		}
	}
}

type gemmCase struct {
	transA, transB bool
	m, n, k        int
	padA, padB     int // extra columns in the stored leading dimension
	padC           int
	alpha, beta    float32
}

func (c gemmCase) String() string {
	return fmt.Sprintf("tA=%v,tB=%v,m=%d,n=%d,k=%d,ld+%d/%d/%d,alpha=%g,beta=%g", c.transA, c.transB, c.m, c.n, c.k, c.padA, c.padB, c.padC, c.alpha, c.beta)
}

// gemmCases are odd shapes around every kernel's tile sizes (6×16 and
// 8×32) and the blocking sizes (blockK 256, blockM 144), all transpose
// combinations, strided storage, and the alpha/beta special cases.
func gemmCases() []gemmCase {
	sizes := [][3]int{
		{1, 1, 1}, {1, 7, 3}, {5, 1, 9}, {3, 5, 1}, {7, 33, 17}, {13, 31, 5},
		{17, 65, 300}, {64, 100, 37}, {100, 64, 257}, {145, 17, 513}, {9, 130, 260},
		{64, 512, 128}, {33, 47, 0}, {7, 9, 1100}, {40, 70, 2000},
	}
	var cases []gemmCase
	for i, s := range sizes {
		for _, tA := range []bool{false, true} {
			for _, tB := range []bool{false, true} {
				c := gemmCase{transA: tA, transB: tB, m: s[0], n: s[1], k: s[2], alpha: 1, beta: 0}
				switch i % 4 {
				case 1:
					c.alpha, c.beta = -0.5, 1
				case 2:
					c.alpha, c.beta = 2, 0.25
					c.padA, c.padB, c.padC = 3, 1, 5
				case 3:
					c.padA, c.padB, c.padC = 1, 7, 2
				}
				cases = append(cases, c)
			}
		}
	}
	cases = append(cases, gemmCase{m: 8, n: 32, k: 4, alpha: 0, beta: 0.5})
	return cases
}

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = rng.Float32()*2 - 1
	}
	return s
}

// runCase fills A, B, C with random values (C's unused stride padding with
// NaN, which must stay untouched) and compares gemm with naiveGemm.
func runCase(t *testing.T, tc gemmCase, gemm func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)) {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(tc.m*1000+tc.n), uint64(tc.k)))
	rowsA, colsA := tc.m, tc.k
	if tc.transA {
		rowsA, colsA = tc.k, tc.m
	}
	rowsB, colsB := tc.k, tc.n
	if tc.transB {
		rowsB, colsB = tc.n, tc.k
	}
	lda, ldb, ldc := max(colsA, 1)+tc.padA, max(colsB, 1)+tc.padB, tc.n+tc.padC
	a := randSlice(rng, rowsA*lda)
	b := randSlice(rng, rowsB*ldb)
	c := randSlice(rng, tc.m*ldc)
	for i := 0; i < tc.m; i++ {
		for j := tc.n; j < ldc; j++ {
			c[i*ldc+j] = float32(math.NaN())
		}
	}
	if tc.beta == 0 && len(c) > 0 {
		c[0] = float32(math.NaN()) // beta = 0 must ignore C's contents
	}
	want := append([]float32(nil), c...)
	naiveGemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, want, ldc)
	gemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
	// float32 accumulation of k products of magnitude ≤ 1: error grows ~ k·eps.
	tol := 1e-5 * float64(max(tc.k, 1))
	for i := 0; i < tc.m; i++ {
		for j := 0; j < ldc; j++ {
			got, exp := c[i*ldc+j], want[i*ldc+j]
			if j >= tc.n {
				if !math.IsNaN(float64(got)) {
					t.Fatalf("%v: wrote C[%d,%d] outside the matrix", tc, i, j)
				}
				continue
			}
			if d := math.Abs(float64(got - exp)); !(d <= tol) {
				t.Fatalf("%v: C[%d,%d] = %g, want %g (diff %g)", tc, i, j, got, exp, d)
			}
		}
	}
}

// forceWorkers splits every product over exactly w goroutines (when it has
// enough tiles) until the test ends, so small cases reach the parallel paths.
func forceWorkers(t *testing.T, w int) {
	oldMax, oldMin := maxWorkers, minPerPart
	t.Cleanup(func() { maxWorkers, minPerPart = oldMax, oldMin })
	maxWorkers, minPerPart = w, 1
}

// allKernels is every path of the pure-Go build on this CPU: the assembly
// kernels and nil, the gonum fallback.
func allKernels() []*kernel { return append(availableKernels(), nil) }

func TestKernelsMatchNaive(t *testing.T) {
	for _, kern := range allKernels() {
		for _, workers := range []int{1, 2, 3} {
			t.Run(fmt.Sprintf("%s/workers=%d", kernelName(kern), workers), func(t *testing.T) {
				forceWorkers(t, workers)
				for _, tc := range gemmCases() {
					runCase(t, tc, func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
						checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
						gemmWith(kern, false, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
					})
				}
			})
		}
	}
}

// TestSgemmMatchesNaive checks the build's backend (pure Go, or OpenBLAS
// under -tags openblas).
func TestSgemmMatchesNaive(t *testing.T) {
	t.Logf("backend %s", Backend())
	for _, tc := range gemmCases() {
		runCase(t, tc, Sgemm)
		runCase(t, tc, SgemmSerial)
		runCase(t, tc, func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
			pb := NewPackedB(k, n)
			pb.Pack(transB, b, ldb)
			SgemmPackedSerial(transA, m, alpha, a, lda, pb, beta, c, ldc)
		})
	}
}

// TestSgemmLargeParallel covers products big enough to be split over
// goroutines with the default worker count.
func TestSgemmLargeParallel(t *testing.T) {
	for _, tc := range []gemmCase{
		{m: 300, n: 257, k: 70, alpha: 1},
		{transA: true, m: 129, n: 600, k: 300, alpha: 1, beta: 1},
		{transB: true, m: 640, n: 100, k: 130, alpha: 1},
	} {
		runCase(t, tc, Sgemm)
	}
}

func TestSgemmPanicsOnShortSlice(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Sgemm with a short C did not panic")
		}
	}()
	a := make([]float32, 6)
	b := make([]float32, 6)
	c := make([]float32, 3) // 2×2 needs 4
	Sgemm(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2)
}

func TestPackedMatchesNaive(t *testing.T) {
	kernels := append(allKernels(), packKernel())
	for _, kern := range kernels {
		for _, workers := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s/workers=%d", kernelName(kern), workers), func(t *testing.T) {
				forceWorkers(t, workers)
				for _, tc := range gemmCases() {
					runCase(t, tc, func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
						pb := newPackedB(kern, k, n)
						pb.Pack(transB, b, ldb)
						SgemmPacked(transA, m, alpha, a, lda, pb, beta, c, ldc)
					})
				}
			})
		}
	}
}

// TestPackedRepack checks that packing new values into the same PackedB
// replaces the old ones entirely.
func TestPackedRepack(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const m, n, k = 9, 37, 300
	a := randSlice(rng, m*k)
	pb := NewPackedB(k, n)
	for round := 0; round < 2; round++ {
		b := randSlice(rng, k*n)
		pb.Pack(false, b, n)
		got := make([]float32, m*n)
		want := make([]float32, m*n)
		SgemmPacked(false, m, 1, a, k, pb, 0, got, n)
		naiveGemm(false, false, m, n, k, 1, a, k, b, n, 0, want, n)
		for i := range got {
			if d := math.Abs(float64(got[i] - want[i])); d > 1e-3 {
				t.Fatalf("round %d: C[%d] = %g, want %g", round, i, got[i], want[i])
			}
		}
	}
}

func TestChooseSplit(t *testing.T) {
	kern := &kernel{mr: 8, nr: 32}
	for _, tc := range []struct {
		m, n, k int
		want    split
	}{
		{356, 1024, 6400, splitK}, // LSTM weight gradient over all steps
		{6400, 100, 1024, splitM}, // input gradient: duplicate packing of the small B
		{6400, 1024, 100, splitM}, // input projection
		{64, 1024, 256, splitN},   // one step: too few row tiles
		{256, 1024, 300, splitN},  // duplicate packing of the smaller A
	} {
		if got := chooseSplit(kern, 2, tc.m, tc.n, tc.k); got != tc.want {
			t.Errorf("chooseSplit(%d×%d×%d) = %d, want %d", tc.m, tc.n, tc.k, got, tc.want)
		}
	}
}
