package tasks

import "math/rand/v2"

// Batches walks the indices 0..n−1 in minibatches: shuffled at the start of
// every pass (unless one batch holds everything), restarting when a pass is
// used up, so auxiliary tasks can cycle through their data while the primary
// task sets the length of an epoch.
type Batches struct {
	order []int
	size  int
	pos   int
}

// NewBatches returns batches of size over n items; size ≤ 0 or > n means one
// batch of all n (full batch).
func NewBatches(n, size int) *Batches {
	if size <= 0 || size > n {
		size = n
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	return &Batches{order: order, size: size}
}

// Size is the number of rows in every batch (the last of a pass has fewer
// real items and is padded by the caller).
func (b *Batches) Size() int { return b.size }

// Start begins a pass, shuffling with rng, and returns its number of batches.
func (b *Batches) Start(rng *rand.Rand) int {
	if b.size < len(b.order) {
		rng.Shuffle(len(b.order), func(i, j int) { b.order[i], b.order[j] = b.order[j], b.order[i] })
	}
	b.pos = 0
	if b.size == 0 {
		return 0
	}
	return (len(b.order) + b.size - 1) / b.size
}

// Next returns the indices of the next batch (at most Size of them),
// starting a new pass with rng when the current one is used up. The slice is
// valid until the next Start.
func (b *Batches) Next(rng *rand.Rand) []int {
	if b.pos >= len(b.order) {
		b.Start(rng)
	}
	end := min(b.pos+b.size, len(b.order))
	idx := b.order[b.pos:end]
	b.pos = end
	return idx
}
