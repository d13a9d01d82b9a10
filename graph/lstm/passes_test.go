package lstm

import (
	"math/rand/v2"
	"runtime"
	"testing"

	"gorgonia.org/tensor"
)

// TestOnePassPerStep: three gradient nodes read the backward node, yet each
// machine step runs the forward and the backward recurrence exactly once.
func TestOnePassPerStep(t *testing.T) {
	const b, steps, d, h = 3, 4, 2, 3
	s := newSession(t, tensor.Float32, b, steps, d, h, Options{}, Apply)
	rng := rand.New(rand.NewPCG(5, 5))
	for step := 1; step <= 2; step++ {
		if _, err := s.step(randomInputs(rng, b, steps, d, h, b*steps, nil)); err != nil {
			t.Fatal(err)
		}
		e := s.out.Op().(*forwardOp).run.(*dtypeRunner[float32]).e
		if e.forwardPasses != step || e.backwardPasses != step {
			t.Fatalf("after %d steps: %d forward and %d backward passes", step, e.forwardPasses, e.backwardPasses)
		}
	}
}

// TestNoBuffersAllocatedPerPass: after the first pass, forward and backward
// allocate nothing of the size of a buffer (only goroutine closures).
func TestNoBuffersAllocatedPerPass(t *testing.T) {
	const b, steps, d, h = 32, 20, 16, 32 // two parts, products split over goroutines
	e := newEngine[float32](b, steps, d, h, Options{Output: AllStates}, &matmul32{}, act32{})
	in := to32(randomInputs(rand.New(rand.NewPCG(1, 1)), b, steps, d, h, b*steps, nil))
	pass := func() {
		if err := e.forward(in.x, in.mask, in.wx, in.wh, in.bias); err != nil {
			t.Fatal(err)
		}
		if err := e.backward(in.dout, in.wx, in.wh); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 3; i++ {
		pass() // fills the packing buffers and the workspace pool
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const passes = 5
	for i := 0; i < passes; i++ {
		pass()
	}
	runtime.ReadMemStats(&after)
	perPass := (after.TotalAlloc - before.TotalAlloc) / passes
	t.Logf("%d bytes, %d allocations per pass", perPass, (after.Mallocs-before.Mallocs)/passes)
	// The smallest buffer here, the output, is b·steps·h·4 = 81920 bytes.
	if perPass > 16<<10 {
		t.Fatalf("%d bytes allocated per forward+backward pass", perPass)
	}
}
