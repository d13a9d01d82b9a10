package linalg

import "golang.org/x/sys/cpu"

//go:noescape
func tile8x32AVX512(kc int, a, b, c *float32, ldc int, alpha float32)

//go:noescape
func tile6x16AVX2(kc int, a, b, c *float32, ldc int, alpha float32)

var (
	avx512Kernel = &kernel{name: "go-avx512", mr: 8, nr: 32, tile: func(kc int, ap, bp, c []float32, ldc int, alpha float32) {
		tile8x32AVX512(kc, &ap[0], &bp[0], &c[0], ldc, alpha)
	}}
	avx2Kernel = &kernel{name: "go-avx2", mr: 6, nr: 16, tile: func(kc int, ap, bp, c []float32, ldc int, alpha float32) {
		tile6x16AVX2(kc, &ap[0], &bp[0], &c[0], ldc, alpha)
	}}
)

// availableKernels lists the assembly kernels this CPU can run, fastest first.
func availableKernels() []*kernel {
	var ks []*kernel
	if cpu.X86.HasAVX512F {
		ks = append(ks, avx512Kernel)
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		ks = append(ks, avx2Kernel)
	}
	return ks
}
