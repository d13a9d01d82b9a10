package linalg

import "fmt"

// PackedB is a k×n right-hand GEMM operand packed once into the layout the
// micro-kernel reads, for products repeated with the same B (an LSTM's
// recurrent weights, used at every time step). Packing costs about as much as
// one pass over B; a product with m = 64 rows saves it at every step.
//
// A PackedB is not safe for concurrent Pack calls, but any number of
// goroutines may multiply with it at once.
type PackedB struct {
	k, n int
	kern *kernel   // nil: data is op(B) as a plain k×n row-major copy
	data []float32 // per block of blockK rows, ceil(n/nr) panels of kb×nr
}

// NewPackedB allocates room for a packed k×n operand.
func NewPackedB(k, n int) *PackedB { return newPackedB(packKernel(), k, n) }

func newPackedB(kern *kernel, k, n int) *PackedB {
	if k < 0 || n < 0 {
		panic(fmt.Sprintf("linalg: NewPackedB(%d, %d): negative size", k, n))
	}
	p := &PackedB{k: k, n: n, kern: kern}
	if kern == nil {
		p.data = make([]float32, k*n)
	} else {
		p.data = make([]float32, k*ceilDiv(n, kern.nr)*kern.nr)
	}
	return p
}

// Dims returns k and n.
func (p *PackedB) Dims() (k, n int) { return p.k, p.n }

// Pack copies op(B) into p: B itself when transB is false (k×n, row stride
// ldb), else Bᵀ (B stored n×k). It panics if b is too short for that shape.
func (p *PackedB) Pack(transB bool, b []float32, ldb int) {
	rows, cols := p.k, p.n
	if transB {
		rows, cols = p.n, p.k
	}
	checkMatrix("B", rows, cols, b, ldb)
	if p.k == 0 || p.n == 0 {
		return
	}
	if p.kern == nil {
		for i := 0; i < p.k; i++ {
			row := p.data[i*p.n : (i+1)*p.n]
			if !transB {
				copy(row, b[i*ldb:i*ldb+p.n])
				continue
			}
			for j := range row {
				row[j] = b[j*ldb+i]
			}
		}
		return
	}
	width := ceilDiv(p.n, p.kern.nr) * p.kern.nr
	for pc := 0; pc < p.k; pc += blockK {
		kb := min(blockK, p.k-pc)
		packB(p.kern.nr, transB, b, ldb, pc, 0, kb, p.n, p.data[pc*width:(pc+kb)*width])
	}
}

// SgemmPacked computes C = alpha·op(A)·B + beta·C where B was packed into
// pb: op(A) is m×k (A, or Aᵀ when transA, with leading dimension lda) and C
// is m×n with leading dimension ldc. It panics when the arguments break this
// contract. Large products are split over GOMAXPROCS goroutines.
func SgemmPacked(transA bool, m int, alpha float32, a []float32, lda int, pb *PackedB, beta float32, c []float32, ldc int) {
	sgemmPacked(false, transA, m, alpha, a, lda, pb, beta, c, ldc)
}

// SgemmPackedSerial is SgemmPacked on the calling goroutine only.
func SgemmPackedSerial(transA bool, m int, alpha float32, a []float32, lda int, pb *PackedB, beta float32, c []float32, ldc int) {
	sgemmPacked(true, transA, m, alpha, a, lda, pb, beta, c, ldc)
}

func sgemmPacked(serial, transA bool, m int, alpha float32, a []float32, lda int, pb *PackedB, beta float32, c []float32, ldc int) {
	k, n := pb.k, pb.n
	rowsA, colsA := m, k
	if transA {
		rowsA, colsA = k, m
	}
	if m < 0 {
		panic(fmt.Sprintf("linalg: negative size m=%d", m))
	}
	checkMatrix("A", rowsA, colsA, a, lda)
	checkMatrix("C", m, n, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	if pb.kern == nil {
		backendSgemm(serial, transA, false, m, n, k, alpha, a, lda, pb.data, max(n, 1), beta, c, ldc)
		return
	}
	gemmPacked(serial, transA, m, alpha, a, lda, pb, beta, c, ldc)
}

func gemmPacked(serial, transA bool, m int, alpha float32, a []float32, lda int, pb *PackedB, beta float32, c []float32, ldc int) {
	kern, k, n := pb.kern, pb.k, pb.n
	scaleRows(m, n, beta, c, ldc)
	if alpha == 0 || k == 0 {
		return
	}
	parts := 1
	if !serial {
		parts = workers(2 * m * n * k)
	}
	splitN := ceilDiv(n, kern.nr) > ceilDiv(m, kern.mr)
	if parts == 1 { // no closure: the step-by-step products allocate nothing
		packedPart(transA, alpha, a, lda, pb, c, ldc, 0, m, 0, n)
		return
	}
	parallel(parts, func(part int) {
		i0, i1, j0, j1 := 0, m, 0, n
		if splitN {
			j0, j1 = span(part, parts, n, kern.nr)
		} else {
			i0, i1 = span(part, parts, m, kern.mr)
		}
		packedPart(transA, alpha, a, lda, pb, c, ldc, i0, i1, j0, j1)
	})
}

// packedPart computes rows i0..i1-1, columns j0..j1-1 (j0 a multiple of nr)
// of C += alpha·op(A)·B on one goroutine.
func packedPart(transA bool, alpha float32, a []float32, lda int, pb *PackedB, c []float32, ldc, i0, i1, j0, j1 int) {
	if i0 == i1 || j0 == j1 {
		return
	}
	kern, k := pb.kern, pb.k
	width := ceilDiv(pb.n, kern.nr) * kern.nr
	mc := max(blockM/kern.mr, 1) * kern.mr
	ws := workspaces.Get()
	defer workspaces.Put(ws)
	for pc := 0; pc < k; pc += blockK {
		kb := min(blockK, k-pc)
		bp := pb.data[pc*width+j0*kb : (pc+kb)*width]
		for ic := i0; ic < i1; ic += mc {
			mb := min(mc, i1-ic)
			ws.a = grow(ws.a, kb*ceilDiv(mb, kern.mr)*kern.mr)
			packA(kern.mr, transA, a, lda, ic, pc, mb, kb, ws.a)
			macroKernel(kern, ws, mb, j1-j0, kb, alpha, ws.a, bp, c[ic*ldc+j0:], ldc)
		}
	}
}
