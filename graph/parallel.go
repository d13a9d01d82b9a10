package graph

import (
	"runtime"
	"sync"
)

// parallelMinWork is the number of values below which a loop runs on the
// calling goroutine: under it, starting a goroutine costs more than it saves.
const parallelMinWork = 1 << 15

// parallelFor calls fn over [0, n) split into contiguous ranges, one per
// available CPU, when n items of cost values each make enough work, and on
// the calling goroutine otherwise. fn must be safe to run on disjoint ranges
// at the same time.
func parallelFor(n, cost int, fn func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), n*cost/parallelMinWork)
	if workers <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	per := (n + workers - 1) / workers
	for lo := per; lo < n; lo += per {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			fn(lo, hi)
		}(lo, min(lo+per, n))
	}
	fn(0, min(per, n))
	wg.Wait()
}
