package glove

import (
	"context"
	"errors"
	"testing"

	"github.com/mt2st/mt2st/tasks"
)

func TestCountContextStopsOnCancel(t *testing.T) {
	c := tasks.NewCorpus([][]int32{{1, 2, 3}, {2, 3}}, 4, "test")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := CountContext(ctx, c, 2); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if got, err := CountContext(context.Background(), c, 2); err != nil || got.Len() == 0 {
		t.Fatalf("uncancelled: %v entries, %v", got, err)
	}
}
