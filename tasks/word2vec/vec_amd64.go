package word2vec

import "golang.org/x/sys/cpu"

//go:noescape
func dotAVX2(x, y *float32, n int) float32

//go:noescape
func axpyAVX2(a float32, x, y *float32, n int)

//go:noescape
func updateAVX2(a float32, l1, row, neu1e *float32, n int)

var hasAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// dot returns x·y over len(x) elements (y at least as long).
func dot(x, y []float32) float32 {
	if hasAVX2 && len(x) > 0 {
		_ = y[len(x)-1]
		return dotAVX2(&x[0], &y[0], len(x))
	}
	return dotGo(x, y)
}

// axpy adds a·x to y (y at least as long as x).
func axpy(a float32, x, y []float32) {
	if hasAVX2 && len(x) > 0 {
		_ = y[len(x)-1]
		axpyAVX2(a, &x[0], &y[0], len(x))
		return
	}
	axpyGo(a, x, y)
}

// update adds g·row to neu1e, then g·l1 to row (the negative-sampling
// update of one output row; row and neu1e at least as long as l1).
func update(g float32, l1, row, neu1e []float32) {
	if hasAVX2 && len(l1) > 0 {
		_, _ = row[len(l1)-1], neu1e[len(l1)-1]
		updateAVX2(g, &l1[0], &row[0], &neu1e[0], len(l1))
		return
	}
	updateGo(g, l1, row, neu1e)
}

// Kernel names the vector kernels in use.
func Kernel() string {
	if hasAVX2 {
		return "avx2-fma"
	}
	return "go"
}
