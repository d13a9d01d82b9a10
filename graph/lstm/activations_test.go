package lstm

import (
	"math"
	"testing"
)

// TestFastActivations bounds the float32 approximations against float64
// math on a dense grid. One float32 ulp at 1 is 1.19e-7; the bounds allow
// a few ulp, what Cephes documents for expf and tanhf.
func TestFastActivations(t *testing.T) {
	var maxExp, maxSig, maxTanh float64
	for x := -87.0; x <= 88; x += 0.00137 {
		x32 := float32(x)
		xf := float64(x32)
		if e := math.Abs(float64(exp32(x32))-math.Exp(xf)) / math.Exp(xf); e > maxExp {
			maxExp = e
		}
		if e := math.Abs(float64(sigmoid32(x32)) - 1/(1+math.Exp(-xf))); e > maxSig {
			maxSig = e
		}
		want := math.Tanh(xf)
		if e := math.Abs(float64(tanh32(x32))-want) / math.Max(math.Abs(want), 1e-30); e > maxTanh {
			maxTanh = e
		}
	}
	t.Logf("max errors: exp32 relative %.3g, sigmoid32 absolute %.3g, tanh32 relative %.3g", maxExp, maxSig, maxTanh)
	if maxExp > 3e-7 || maxSig > 2e-7 || maxTanh > 3e-7 {
		t.Fatalf("approximation too coarse: exp %.3g, sigmoid %.3g, tanh %.3g", maxExp, maxSig, maxTanh)
	}
	// Saturation: no NaN or Inf far outside the clamped range.
	for _, x := range []float32{-1e30, -1000, -90, 90, 1000, 1e30} {
		s, th := sigmoid32(x), tanh32(x)
		if math.IsNaN(float64(s)) || s < 0 || s > 1 || math.IsNaN(float64(th)) || th < -1 || th > 1 {
			t.Errorf("x=%g: sigmoid %g, tanh %g", x, s, th)
		}
	}
}

// TestRowActivations checks the row functions the engine calls (vectorised
// where the CPU allows, with a scalar tail) against float64 math, on a grid
// whose length is not a multiple of 16.
func TestRowActivations(t *testing.T) {
	const n = 100003
	x := make([]float32, n)
	bias := make([]float32, n)
	for i := range x {
		x[i] = float32(i-n/2) * 0.0009 // [-45, 45]
		bias[i] = float32(i%7)*0.1 - 0.3
	}
	check := func(name string, got []float32, want func(i int) float64) {
		t.Helper()
		for i, g := range got {
			w := want(i)
			if d := math.Abs(float64(g) - w); d > 3e-7*math.Max(math.Abs(w), 1e-30) && d > 1e-12 {
				t.Fatalf("%s[%d] (x=%g) = %.9g, want %.9g", name, i, x[i], g, w)
			}
		}
	}
	sum := func(i int) float64 { return float64(x[i] + bias[i]) }
	type path struct {
		name         string
		avx512, avx2 bool
	}
	paths := []path{{"scalar", false, false}}
	if hasAVX2 {
		paths = append(paths, path{"avx2", false, true})
	}
	if hasAVX512 {
		paths = append(paths, path{"avx512", true, hasAVX2})
	}
	defer func(a, b bool) { hasAVX512, hasAVX2 = a, b }(hasAVX512, hasAVX2)
	for _, p := range paths {
		hasAVX512, hasAVX2 = p.avx512, p.avx2
		t.Logf("path %s", p.name)
		s := append([]float32(nil), x...)
		sigmoidBias(s, bias)
		check("sigmoidBias", s, func(i int) float64 { return 1 / (1 + math.Exp(-sum(i))) })
		th := append([]float32(nil), x...)
		tanhBias(th, bias)
		check("tanhBias", th, func(i int) float64 { return math.Tanh(sum(i)) })
		dst := make([]float32, n)
		tanhInto(dst, x)
		check("tanhInto", dst, func(i int) float64 { return math.Tanh(float64(x[i])) })
	}
}

func BenchmarkActivations(b *testing.B) {
	const h = 256
	row := make([]float32, 4*h)
	bias := make([]float32, 4*h)
	for i := range row {
		bias[i] = float32(i%17)*0.1 - 0.8
	}
	b.SetBytes(4 * h * 4)
	for i := 0; i < b.N; i++ {
		for j := range row {
			row[j] = float32(j%31)*0.2 - 3
		}
		act32{}.gates(row, bias, h)
	}
}
