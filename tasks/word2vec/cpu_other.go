//go:build !unix

package word2vec

// processCPU is not measured on this system.
func processCPU() float64 { return 0 }
