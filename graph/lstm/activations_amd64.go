package lstm

import "golang.org/x/sys/cpu"

// The vector kernels process n rounded down to their width (16 lanes for
// AVX-512, 8 for AVX2); the Go functions below finish the tail.

//go:noescape
func sigmoidBiasAVX512(x, bias *float32, n int)

//go:noescape
func tanhBiasAVX512(x, bias *float32, n int)

//go:noescape
func tanhAVX512(dst, src *float32, n int)

//go:noescape
func sigmoidBiasAVX2(x, bias *float32, n int)

//go:noescape
func tanhBiasAVX2(x, bias *float32, n int)

//go:noescape
func tanhAVX2(dst, src *float32, n int)

// Which vector kernels run; tests switch them off to check every path.
var (
	hasAVX512 = cpu.X86.HasAVX512F
	hasAVX2   = cpu.X86.HasAVX2 && cpu.X86.HasFMA
)

// sigmoidBias sets x[j] = sigmoid(x[j] + bias[j]).
func sigmoidBias(x, bias []float32) {
	bias = bias[:len(x)]
	done := 0
	switch {
	case hasAVX512 && len(x) >= 16:
		done = len(x) &^ 15
		sigmoidBiasAVX512(&x[0], &bias[0], done)
	case hasAVX2 && len(x) >= 8:
		done = len(x) &^ 7
		sigmoidBiasAVX2(&x[0], &bias[0], done)
	}
	for j := done; j < len(x); j++ {
		x[j] = sigmoid32(x[j] + bias[j])
	}
}

// tanhBias sets x[j] = tanh(x[j] + bias[j]).
func tanhBias(x, bias []float32) {
	bias = bias[:len(x)]
	done := 0
	switch {
	case hasAVX512 && len(x) >= 16:
		done = len(x) &^ 15
		tanhBiasAVX512(&x[0], &bias[0], done)
	case hasAVX2 && len(x) >= 8:
		done = len(x) &^ 7
		tanhBiasAVX2(&x[0], &bias[0], done)
	}
	for j := done; j < len(x); j++ {
		x[j] = tanh32(x[j] + bias[j])
	}
}

// tanhInto sets dst[j] = tanh(src[j]).
func tanhInto(dst, src []float32) {
	dst = dst[:len(src)]
	done := 0
	switch {
	case hasAVX512 && len(src) >= 16:
		done = len(src) &^ 15
		tanhAVX512(&dst[0], &src[0], done)
	case hasAVX2 && len(src) >= 8:
		done = len(src) &^ 7
		tanhAVX2(&dst[0], &src[0], done)
	}
	for j := done; j < len(src); j++ {
		dst[j] = tanh32(src[j])
	}
}
