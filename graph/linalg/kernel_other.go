//go:build !amd64

package linalg

// availableKernels lists the assembly kernels this CPU can run: none off amd64,
// where Sgemm uses gonum's portable implementation.
func availableKernels() []*kernel { return nil }
