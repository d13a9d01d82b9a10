package linalg

import (
	"runtime"
	"sync"
)

// kernel is a register-blocked micro-kernel: tile computes
// C[0:mr, 0:nr] += alpha · Ap · Bp, where Ap is a packed kc×mr panel of A
// (mr values per step of k) and Bp a packed kc×nr panel of B (nr values per
// step of k). kc ≥ 1; c holds a full mr×nr tile with row stride ldc.
type kernel struct {
	name   string
	mr, nr int
	tile   func(kc int, ap, bp, c []float32, ldc int, alpha float32)
}

// Blocking: a kc×nr panel of B stays in L1 while the micro-kernel sweeps the
// mc×kc block of A held in L2. On the AMD EPYC (Zen 5) measured, kc from 128
// to 384 and mc from 64 to 256 ran the BenchmarkSgemm shapes within noise of
// each other.
const (
	blockK = 256
	blockM = 144 // rounded down to a multiple of mr
	blockN = 4096
)

// minPerPart is the least work (flops) worth handing to another goroutine:
// waking an idle core costs tens of microseconds on the VMs measured
// (BenchmarkSgemm: 64×1024×256 ran slower on two cores than on one). Tests
// lower it to reach the parallel paths on small products.
var minPerPart = 1 << 25

// maxWorkers, when positive, replaces GOMAXPROCS as the most goroutines one
// product is split over (tests and benchmarks set it).
var maxWorkers = 0

func workers(flops int) int {
	w := runtime.GOMAXPROCS(0)
	if maxWorkers > 0 {
		w = maxWorkers
	}
	if byWork := flops / minPerPart; byWork < w {
		w = max(byWork, 1)
	}
	return w
}

// workspace holds one goroutine's packing buffers.
type workspace struct {
	a, b, tile []float32
	partial    []float32 // a part's C under splitK
}

// workspaces keeps packing buffers between products. Unlike a sync.Pool it
// survives garbage collections, so a training loop's steady state allocates
// nothing here; it holds at most maxIdleWorkspaces buffers (a few MB each).
var workspaces workspacePool

const maxIdleWorkspaces = 16

type workspacePool struct {
	mu   sync.Mutex
	idle []*workspace
}

func (p *workspacePool) Get() *workspace {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.idle); n > 0 {
		ws := p.idle[n-1]
		p.idle = p.idle[:n-1]
		return ws
	}
	return new(workspace)
}

func (p *workspacePool) Put(ws *workspace) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.idle) < maxIdleWorkspaces {
		p.idle = append(p.idle, ws)
	}
}

func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// gemmGo is the pure-Go GEMM on kernel kern; arguments are already checked.
func gemmGo(kern *kernel, serial, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	scaleRows(m, n, beta, c, ldc)
	if alpha == 0 || k == 0 {
		return
	}
	parts := 1
	if !serial {
		parts = workers(2 * m * n * k)
	}
	if parts == 1 { // no closure: the step-by-step products allocate nothing
		gemmSerial(kern, transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc)
		return
	}
	switch chooseSplit(kern, parts, m, n, k) {
	case splitK:
		gemmSplitK(kern, parts, transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc)
	case splitN:
		parallel(parts, func(part int) {
			j0, j1 := span(part, parts, n, kern.nr)
			if j0 == j1 {
				return
			}
			bOff := j0
			if transB {
				bOff = j0 * ldb
			}
			gemmSerial(kern, transA, transB, m, j1-j0, k, alpha, a, lda, b[bOff:], ldb, c[j0:], ldc)
		})
	default:
		parallel(parts, func(part int) {
			i0, i1 := span(part, parts, m, kern.mr)
			if i0 == i1 {
				return
			}
			aOff := i0 * lda
			if transA {
				aOff = i0
			}
			gemmSerial(kern, transA, transB, i1-i0, n, k, alpha, a[aOff:], lda, b, ldb, c[i0*ldc:], ldc)
		})
	}
}

type split int

const (
	splitM split = iota // each part packs all of B
	splitN              // each part packs all of A
	splitK              // each part packs its share of both, into its own C
)

// chooseSplit picks how parts share a product: a long k (weight gradients
// summed over every time step) splits into partial sums, so that neither
// operand is packed twice; otherwise the split duplicates the packing of the
// smaller operand, as long as each part still gets whole tiles.
func chooseSplit(kern *kernel, parts, m, n, k int) split {
	if parts <= 1 {
		return splitM
	}
	if k >= 4*max(m, n) && k >= parts*blockK {
		return splitK
	}
	tilesM, tilesN := ceilDiv(m, kern.mr), ceilDiv(n, kern.nr)
	if tilesM >= 2*parts && tilesN >= 2*parts {
		if m >= n {
			return splitM
		}
		return splitN
	}
	if tilesN > tilesM {
		return splitN
	}
	return splitM
}

// gemmSplitK gives each part a range of k; part 0 accumulates into C, the
// others into scratch matrices added to C at the end.
func gemmSplitK(kern *kernel, parts int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	scratch := make([]*workspace, parts)
	parallel(parts, func(part int) {
		p0, p1 := span(part, parts, k, blockK)
		if p0 == p1 {
			return
		}
		aOff, bOff := p0, p0*ldb
		if transA {
			aOff = p0 * lda
		}
		if transB {
			bOff = p0
		}
		if part == 0 {
			gemmSerial(kern, transA, transB, m, n, p1-p0, alpha, a[aOff:], lda, b[bOff:], ldb, c, ldc)
			return
		}
		ws := workspaces.Get()
		ws.partial = grow(ws.partial, m*n)
		clear(ws.partial)
		gemmSerial(kern, transA, transB, m, n, p1-p0, alpha, a[aOff:], lda, b[bOff:], ldb, ws.partial, n)
		scratch[part] = ws
	})
	for _, ws := range scratch[1:] {
		if ws == nil {
			continue
		}
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			for j, v := range ws.partial[i*n : (i+1)*n] {
				row[j] += v
			}
		}
		workspaces.Put(ws)
	}
}

// gemmSerial computes C += alpha·op(A)·op(B) on one goroutine.
func gemmSerial(kern *kernel, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	ws := workspaces.Get()
	defer workspaces.Put(ws)
	mc := max(blockM/kern.mr, 1) * kern.mr
	nc := blockN / kern.nr * kern.nr
	for jc := 0; jc < n; jc += nc {
		nb := min(nc, n-jc)
		for pc := 0; pc < k; pc += blockK {
			kb := min(blockK, k-pc)
			ws.b = grow(ws.b, kb*ceilDiv(nb, kern.nr)*kern.nr)
			packB(kern.nr, transB, b, ldb, pc, jc, kb, nb, ws.b)
			for ic := 0; ic < m; ic += mc {
				mb := min(mc, m-ic)
				ws.a = grow(ws.a, kb*ceilDiv(mb, kern.mr)*kern.mr)
				packA(kern.mr, transA, a, lda, ic, pc, mb, kb, ws.a)
				macroKernel(kern, ws, mb, nb, kb, alpha, ws.a, ws.b, c[ic*ldc+jc:], ldc)
			}
		}
	}
}

// macroKernel multiplies a packed mb×kb block of A by a packed kb×nb block
// of B into C, tile by tile; partial tiles at the edges go through a scratch
// tile so the micro-kernel never writes outside C.
func macroKernel(kern *kernel, ws *workspace, mb, nb, kb int, alpha float32, ap, bp, c []float32, ldc int) {
	mr, nr := kern.mr, kern.nr
	for jr := 0; jr < nb; jr += nr {
		cols := min(nr, nb-jr)
		bPanel := bp[jr*kb : (jr+nr)*kb]
		for ir := 0; ir < mb; ir += mr {
			rows := min(mr, mb-ir)
			aPanel := ap[ir*kb : (ir+mr)*kb]
			if rows == mr && cols == nr {
				kern.tile(kb, aPanel, bPanel, c[ir*ldc+jr:], ldc, alpha)
				continue
			}
			ws.tile = grow(ws.tile, mr*nr)
			clear(ws.tile)
			kern.tile(kb, aPanel, bPanel, ws.tile, nr, alpha)
			for i := 0; i < rows; i++ {
				dst := c[(ir+i)*ldc+jr : (ir+i)*ldc+jr+cols]
				for j, v := range ws.tile[i*nr : i*nr+cols] {
					dst[j] += v
				}
			}
		}
	}
}

// packA copies rows ic..ic+mb, columns pc..pc+kb of op(A) into panels of mr
// rows: panel r holds, for each p, the mr values A(ic+r·mr+i, pc+p); rows
// past mb are zero.
func packA(mr int, transA bool, a []float32, lda, ic, pc, mb, kb int, dst []float32) {
	for ir := 0; ir < mb; ir += mr {
		panel := dst[ir*kb : (ir+mr)*kb]
		rows := min(mr, mb-ir)
		if transA {
			// op(A)(i, p) = a[p*lda+i]: mr contiguous values per p.
			for p := 0; p < kb; p++ {
				src := a[(pc+p)*lda+ic+ir:]
				out := panel[p*mr : p*mr+mr]
				copy(out, src[:rows])
				clear(out[rows:])
			}
			continue
		}
		i := 0
		for ; i+8 <= rows; i += 8 {
			gather8(panel[i:], mr, a[(ic+ir+i)*lda+pc:], lda, kb)
		}
		for ; i < rows; i++ {
			src := a[(ic+ir+i)*lda+pc : (ic+ir+i)*lda+pc+kb]
			for p, v := range src {
				panel[p*mr+i] = v
			}
		}
		for i := rows; i < mr; i++ {
			for p := 0; p < kb; p++ {
				panel[p*mr+i] = 0
			}
		}
	}
}

// packB copies rows pc..pc+kb, columns jc..jc+nb of op(B) into panels of nr
// columns: panel q holds, for each p, the nr values B(pc+p, jc+q·nr+j);
// columns past nb are zero.
func packB(nr int, transB bool, b []float32, ldb, pc, jc, kb, nb int, dst []float32) {
	for jr := 0; jr < nb; jr += nr {
		panel := dst[jr*kb : (jr+nr)*kb]
		cols := min(nr, nb-jr)
		if !transB {
			for p := 0; p < kb; p++ {
				src := b[(pc+p)*ldb+jc+jr:]
				out := panel[p*nr : p*nr+nr]
				copy(out, src[:cols])
				clear(out[cols:])
			}
			continue
		}
		// op(B)(p, j) = b[j*ldb+p]: walk eight stored rows at a time.
		j := 0
		for ; j+8 <= cols; j += 8 {
			gather8(panel[j:], nr, b[(jc+jr+j)*ldb+pc:], ldb, kb)
		}
		for ; j < cols; j++ {
			src := b[(jc+jr+j)*ldb+pc : (jc+jr+j)*ldb+pc+kb]
			for p, v := range src {
				panel[p*nr+j] = v
			}
		}
		for j := cols; j < nr; j++ {
			for p := 0; p < kb; p++ {
				panel[p*nr+j] = 0
			}
		}
	}
}

// gather8 transposes eight rows of length kb, src[i*lds : i*lds+kb] for
// i < 8, into dst[p*stride+i]: reading eight streams at once keeps the
// stores contiguous, which is what makes packing a transposed operand cheap.
func gather8(dst []float32, stride int, src []float32, lds, kb int) {
	r0 := src[:kb]
	r1 := src[lds : lds+kb][:len(r0)]
	r2 := src[2*lds : 2*lds+kb][:len(r0)]
	r3 := src[3*lds : 3*lds+kb][:len(r0)]
	r4 := src[4*lds : 4*lds+kb][:len(r0)]
	r5 := src[5*lds : 5*lds+kb][:len(r0)]
	r6 := src[6*lds : 6*lds+kb][:len(r0)]
	r7 := src[7*lds : 7*lds+kb][:len(r0)]
	for p := range r0 {
		d := dst[p*stride : p*stride+8 : p*stride+8]
		d[0], d[1], d[2], d[3] = r0[p], r1[p], r2[p], r3[p]
		d[4], d[5], d[6], d[7] = r4[p], r5[p], r6[p], r7[p]
	}
}

// parallel runs fn(0..parts-1), part 0 on the calling goroutine.
func parallel(parts int, fn func(part int)) {
	if parts <= 1 {
		fn(0)
		return
	}
	var wg sync.WaitGroup
	wg.Add(parts - 1)
	for p := 1; p < parts; p++ {
		go func() {
			defer wg.Done()
			fn(p)
		}()
	}
	fn(0)
	wg.Wait()
}

// span returns part's share [lo, hi) of total, in whole multiples of unit
// except for the last part.
func span(part, parts, total, unit int) (lo, hi int) {
	units := ceilDiv(total, unit)
	lo = min(part*units/parts*unit, total)
	hi = min((part+1)*units/parts*unit, total)
	return lo, hi
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
