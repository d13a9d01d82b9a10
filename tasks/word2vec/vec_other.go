//go:build !amd64

package word2vec

func dot(x, y []float32) float32 { return dotGo(x, y) }

func axpy(a float32, x, y []float32) { axpyGo(a, x, y) }

func update(g float32, l1, row, neu1e []float32) { updateGo(g, l1, row, neu1e) }

// Kernel names the vector kernels in use.
func Kernel() string { return "go" }
