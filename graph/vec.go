package graph

// Elementwise loops of the hot paths. Each runs the vector loop (AVX2 on
// amd64, when the CPU has it) over a multiple of 8 values and finishes the
// rest here; both compute every element with the same rounded operations.

// addTo: dst += src.
func addTo(dst, src []float32) {
	src = src[:len(dst)]
	for i := vecAdd(dst, src); i < len(dst); i++ {
		dst[i] += src[i]
	}
}

// scaleTo: dst = a·src.
func scaleTo(dst, src []float32, a float32) {
	src = src[:len(dst)]
	for i := vecScale(dst, src, a); i < len(dst); i++ {
		dst[i] = a * src[i]
	}
}

// axpy: dst += a·src.
func axpy(dst, src []float32, a float32) {
	src = src[:len(dst)]
	for i := vecAxpy(dst, src, a); i < len(dst); i++ {
		dst[i] += a * src[i]
	}
}
