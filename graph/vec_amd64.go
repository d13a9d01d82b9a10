package graph

import "golang.org/x/sys/cpu"

// useAVX2 selects the vector loops; tests switch it off to check the
// portable ones.
var useAVX2 = cpu.X86.HasAVX2

//go:noescape
func adamAVX2(w, grad, m, v *float32, n int, k *adamConsts)

//go:noescape
func addAVX2(dst, src *float32, n int)

//go:noescape
func scaleAVX2(dst, src *float32, n int, a float32)

//go:noescape
func axpyAVX2(dst, src *float32, n int, a float32)

// vecAdam runs the vector Adam loop over the first n&^7 values and returns
// how many it did.
func vecAdam(w, g, m, v []float32, k *adamConsts) int {
	n := len(w) &^ 7
	if !useAVX2 || n == 0 {
		return 0
	}
	adamAVX2(&w[0], &g[0], &m[0], &v[0], n, k)
	return n
}

func vecAdd(dst, src []float32) int {
	n := len(dst) &^ 7
	if !useAVX2 || n == 0 {
		return 0
	}
	addAVX2(&dst[0], &src[0], n)
	return n
}

func vecScale(dst, src []float32, a float32) int {
	n := len(dst) &^ 7
	if !useAVX2 || n == 0 {
		return 0
	}
	scaleAVX2(&dst[0], &src[0], n, a)
	return n
}

func vecAxpy(dst, src []float32, a float32) int {
	n := len(dst) &^ 7
	if !useAVX2 || n == 0 {
		return 0
	}
	axpyAVX2(&dst[0], &src[0], n, a)
	return n
}

//go:noescape
func prefetchLines(p *float32, n int)

// prefetch asks the CPU to start loading x into the cache.
func prefetch(x []float32) {
	if len(x) > 0 {
		prefetchLines(&x[0], len(x))
	}
}
