package tasks

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestBatchesCoverEveryItemOncePerPass(t *testing.T) {
	b := NewBatches(10, 4)
	rng := rand.New(rand.NewPCG(1, 2))
	if steps := b.Start(rng); steps != 3 {
		t.Fatalf("10 items in batches of 4: %d steps, want 3", steps)
	}
	var seen []int
	sizes := []int{}
	for range 3 {
		idx := b.Next(rng)
		sizes = append(sizes, len(idx))
		seen = append(seen, idx...)
	}
	slices.Sort(seen)
	if !slices.Equal(seen, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) || !slices.Equal(sizes, []int{4, 4, 2}) {
		t.Errorf("one pass gave %v in batches %v", seen, sizes)
	}
	// Cycling: the next call starts a new pass.
	if idx := b.Next(rng); len(idx) != 4 {
		t.Errorf("first batch of the second pass has %d items", len(idx))
	}
}

func TestFullBatchIsNotShuffled(t *testing.T) {
	b := NewBatches(5, 0)
	if b.Size() != 5 || b.Start(nil) != 1 {
		t.Fatalf("size %d", b.Size())
	}
	if idx := b.Next(nil); !slices.Equal(idx, []int{0, 1, 2, 3, 4}) {
		t.Errorf("full batch %v", idx)
	}
}
