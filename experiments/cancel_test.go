package experiments

import (
	"context"
	"errors"
	"testing"
	"time"
)

// Loading, preparing and building the corpus stop on a cancelled context:
// a Ctrl-C during data loading must not wait for the 75,000 reviews.
func TestDataStopsOnCancel(t *testing.T) {
	dir := fakeData(t)
	c := fakeConfig(t, dir, "skipgram")
	c.Vocab = "corpus"
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()

	data := smallData(dir)
	if _, err := data.Prepare(cancelled, c); !errors.Is(err, context.Canceled) {
		t.Fatalf("Prepare: error %v, want context.Canceled", err)
	}
	p, err := data.Prepare(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}

	fresh := smallData(dir) // nothing cached: Corpus must load and tokenise
	if _, err := fresh.Corpus(cancelled, p); !errors.Is(err, context.Canceled) {
		t.Fatalf("Corpus: error %v, want context.Canceled", err)
	}
	if fresh.corpus.texts != nil {
		t.Fatal("a cancelled corpus build left its texts cached")
	}
	if _, err := fresh.Corpus(context.Background(), p); err != nil {
		t.Fatalf("Corpus after a cancelled attempt: %v", err)
	}
}

// Run with a context cancelled before it starts returns promptly with the
// cancellation, whatever stage it is in.
func TestRunStopsOnCancel(t *testing.T) {
	dir := fakeData(t)
	c := fakeConfig(t, dir, "sentiment")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan error, 1)
	go func() { _, err := Run(ctx, c, NewData(dir), Hooks{}); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run: error %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run still running 30 s after its context was cancelled")
	}
}
