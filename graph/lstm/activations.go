package lstm

import "math"

// activator applies the gate nonlinearities to whole rows: the engine's
// only element type-specific arithmetic besides the products.
type activator[F float] interface {
	// gates adds bias to one pre-activation row i|f|g|o of width 4h and
	// applies sigmoid to i, f and o and tanh to g, in place.
	gates(row, bias []F, h int)
	// tanh sets dst[j] = tanh(src[j]).
	tanh(dst, src []F)
}

// act32 is the float32 path: polynomial exp and tanh accurate to a few ulp
// (TestFastActivations), 16 lanes at a time with AVX-512 where the CPU has
// it (activations_amd64.s), else one at a time.
type act32 struct{}

func (act32) gates(row, bias []float32, h int) {
	sigmoidBias(row[:2*h], bias[:2*h]) // i and f
	tanhBias(row[2*h:3*h], bias[2*h:3*h])
	sigmoidBias(row[3*h:4*h], bias[3*h:4*h])
}

func (act32) tanh(dst, src []float32) { tanhInto(dst, src) }

// act64 is the float64 path, used to check gradients by finite differences.
type act64 struct{}

func (act64) gates(row, bias []float64, h int) {
	for j := 0; j < 4*h; j++ {
		v := row[j] + bias[j]
		if j >= 2*h && j < 3*h {
			row[j] = math.Tanh(v)
		} else {
			row[j] = 1 / (1 + math.Exp(-v))
		}
	}
}

func (act64) tanh(dst, src []float64) {
	for j, v := range src {
		dst[j] = math.Tanh(v)
	}
}

// exp32 is Cephes' expf: x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6
// polynomial, 2^n by building the exponent bits. Inputs are clamped to the
// range where the result is a normal float32, which is all a sigmoid needs.
func exp32(x float32) float32 {
	const (
		maxArg = 88.0
		minArg = -87.0
		log2e  = 1.44269504088896341
		ln2Hi  = 0.693359375
		ln2Lo  = -2.12194440e-4
		round  = 12582912.0 // 1.5·2²³: adding it rounds to an integer
	)
	x = min(max(x, minArg), maxArg)
	t := x*log2e + round
	n := int32(math.Float32bits(t)) - int32(math.Float32bits(round))
	fn := t - round
	r := x - fn*ln2Hi - fn*ln2Lo
	p := float32(1.9875691500e-4)
	p = p*r + 1.3981999507e-3
	p = p*r + 8.3334519073e-3
	p = p*r + 4.1665795894e-2
	p = p*r + 1.6666665459e-1
	p = p*r + 5.0000001201e-1
	p = p*r*r + r + 1
	return p * math.Float32frombits(uint32(n+127)<<23)
}

func sigmoid32(x float32) float32 { return 1 / (1 + exp32(-x)) }

// tanh32 is Cephes' tanhf: an odd polynomial near 0, where 1 − 2/(e^{2x}+1)
// would cancel, and the exponential form elsewhere.
func tanh32(x float32) float32 {
	ax := x
	if ax < 0 {
		ax = -ax
	}
	if ax < 0.625 {
		z := x * x
		p := float32(-5.70498872745e-3)
		p = p*z + 2.06390887954e-2
		p = p*z - 5.37397155531e-2
		p = p*z + 1.33314422036e-1
		p = p*z - 3.33332819422e-1
		return p*z*x + x
	}
	y := 1 - 2/(exp32(2*ax)+1)
	if x < 0 {
		return -y
	}
	return y
}
