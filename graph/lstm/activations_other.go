//go:build !amd64

package lstm

// Off amd64 the portable loops run.
var hasAVX512, hasAVX2 = false, false

func sigmoidBias(x, bias []float32) {
	bias = bias[:len(x)]
	for j := range x {
		x[j] = sigmoid32(x[j] + bias[j])
	}
}

func tanhBias(x, bias []float32) {
	bias = bias[:len(x)]
	for j := range x {
		x[j] = tanh32(x[j] + bias[j])
	}
}

func tanhInto(dst, src []float32) {
	dst = dst[:len(src)]
	for j, v := range src {
		dst[j] = tanh32(v)
	}
}
