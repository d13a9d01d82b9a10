package adaptive

import (
	"testing"

	"github.com/mt2st/mt2st/strategies"
)

// A schedule strategy has no driver, and the nil driver returns the
// schedule's weights: nothing of the adaptive machinery runs.
func TestScheduleStrategiesHaveNoDriver(t *testing.T) {
	for _, spec := range []string{"stl", "mtl:lambda=0.5", "diminish", "diminish-squared", "switch"} {
		s := strategies.MustParseSpec(spec)
		d := New(s, "sentiment", []string{"similarity"})
		if d != nil {
			t.Fatalf("%s: driver %v", spec, d)
		}
		want := s.Weights(2, []string{"similarity"}, strategies.History{})["similarity"]
		if got := d.Weights(s, 2, []string{"similarity"}, strategies.History{})["similarity"]; got != want {
			t.Errorf("%s: nil driver weight %v, schedule %v", spec, got, want)
		}
		d.EndEpoch(nil, nil, nil) // a no-op on nil
	}
	if New(strategies.MustParseSpec("gcs"), "sentiment", []string{"similarity"}) == nil {
		t.Error("gcs has no driver")
	}
}
