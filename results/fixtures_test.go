package results

import (
	"fmt"
	"time"

	"github.com/mt2st/mt2st/strategies"
)

// run builds a finished record whose epoch e (from 1) has validation
// accuracy val[e-1] and takes secs[e-1] training seconds; CumSeconds and
// TrainSeconds are their running and total sums.
func run(label, setting, strategy string, seed int64, final Metrics, val, secs []float64) *Record {
	r := &Record{
		Schema:   SchemaVersion,
		ID:       fmt.Sprintf("%s-%s-%d", label, setting, seed),
		Label:    label,
		Strategy: strategies.MustParseSpec(strategy),
		Setting:  setting,
		Tasks:    []string{"sentiment", "similarity"},
		Seed:     seed,
		Status:   StatusDone,
		Final:    final,
		Started:  time.Date(2026, 1, 1, 0, 0, int(seed), 0, time.UTC),
	}
	cum := 0.0
	for i := range val {
		cum += secs[i]
		r.Epochs = append(r.Epochs, Epoch{
			Epoch:      i + 1,
			Weights:    map[string]float64{"sentiment": 1, "similarity": 0.5},
			Ran:        []string{"sentiment", "similarity"},
			Loss:       map[string]float64{"sentiment": 0.7, "similarity": 0.2},
			Steps:      1,
			Val:        Metrics{"accuracy": val[i]},
			Seconds:    secs[i],
			CumSeconds: cum,
		})
	}
	r.TrainSeconds = cum
	return r
}

// sweepFixture is a small hand-made sweep: 3 STL seeds, 3 MTL seeds, 2
// Switch seeds plus one failed Switch run. Numbers are chosen so the
// expected aggregates can be worked out by hand (see the tests).
func sweepFixture() []*Record {
	ones := func(n int, s float64) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = s
		}
		return out
	}
	recs := []*Record{
		// STL: best val 0.80, 0.82, 0.78 → mean best 0.80, target 0.99×0.80 = 0.792.
		run("STL", "", "stl", 1, Metrics{"accuracy": 0.80, "macro_f1": 0.79}, []float64{0.60, 0.75, 0.80, 0.79}, ones(4, 2)),
		run("STL", "", "stl", 2, Metrics{"accuracy": 0.82, "macro_f1": 0.81}, []float64{0.65, 0.82, 0.81, 0.80}, ones(4, 2)),
		run("STL", "", "stl", 3, Metrics{"accuracy": 0.78, "macro_f1": 0.77}, []float64{0.55, 0.70, 0.78, 0.78}, ones(4, 2)),
		// MTL: 3 s per epoch.
		run("MTL", "", "mtl:lambda=0.5", 1, Metrics{"accuracy": 0.84, "macro_f1": 0.83, "similarity/spearman_mean": 0.30}, []float64{0.70, 0.80, 0.81, 0.82}, ones(4, 3)),
		run("MTL", "", "mtl:lambda=0.5", 2, Metrics{"accuracy": 0.83, "macro_f1": 0.82, "similarity/spearman_mean": 0.34}, []float64{0.79, 0.80, 0.81, 0.83}, ones(4, 3)),
		run("MTL", "", "mtl:lambda=0.5", 3, Metrics{"accuracy": 0.85, "macro_f1": 0.84, "similarity/spearman_mean": 0.32}, []float64{0.72, 0.76, 0.79, 0.80}, ones(4, 3)),
		// Switch: 3 s, 3 s, then 2 s per epoch.
		run("Switch", "", "switch:epoch=2,lambda=1", 1, Metrics{"accuracy": 0.86, "macro_f1": 0.85, "similarity/spearman_mean": 0.20}, []float64{0.80, 0.82, 0.83, 0.84}, []float64{3, 3, 2, 2}),
		run("Switch", "", "switch:epoch=2,lambda=1", 2, Metrics{"accuracy": 0.88, "macro_f1": 0.87, "similarity/spearman_mean": 0.22}, []float64{0.70, 0.80, 0.85, 0.86}, []float64{3, 3, 2, 2}),
	}
	failed := run("Switch", "", "switch:epoch=2,lambda=1", 3, nil, []float64{0.5}, []float64{3})
	failed.Status, failed.Error = StatusFailed, "killed"
	return append(recs, failed)
}
