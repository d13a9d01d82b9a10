package results_test

import (
	"fmt"
	"os"

	"github.com/mt2st/mt2st/results"
)

// Two hand-made runs of two strategies, one seed each, printed as the
// comparison table in Markdown.
func ExampleComparisonTable() {
	stl := &results.Record{ID: "stl-1", Label: "STL", Strategy: "stl", Status: results.StatusDone,
		Final:        results.Metrics{"accuracy": 0.812, "macro_f1": 0.81},
		Epochs:       []results.Epoch{{Epoch: 1}, {Epoch: 2}},
		TrainSeconds: 4}
	sw := &results.Record{ID: "switch-1", Label: "MT2ST-Switch", Strategy: "switch:epoch=1,lambda=1", Status: results.StatusDone,
		Final:        results.Metrics{"accuracy": 0.834, "macro_f1": 0.83, "similarity/spearman_mean": 0.21},
		Epochs:       []results.Epoch{{Epoch: 1}, {Epoch: 2}},
		TrainSeconds: 5}
	table := results.ComparisonTable(results.GroupRecords([]*results.Record{stl, sw}))
	if err := table.WriteMarkdown(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// ### Comparison
	//
	// | strategy     | runs |  test acc |  macro-F1 | mean Spearman | analogy acc | train time (s) | time/epoch (s) |
	// |:-------------|-----:|----------:|----------:|--------------:|------------:|---------------:|---------------:|
	// | STL          |    1 |     0.812 |     0.810 |             – |           – |       **4.00** |       **2.00** |
	// | MT2ST-Switch |    1 | **0.834** | **0.830** |         0.210 |           – |           5.00 |           2.50 |
	//
	// Mean over seeds, n = 1 seed per row; ± = sample standard deviation (ddof=1); no ± when n = 1; – = not measured.
	// Best per column marked (* in the terminal, bold in Markdown): highest accuracy, F1, Spearman and analogy; lowest times. Times are training wall time, evaluation excluded.
}

// Time to target and speed-up of a report built from records. STL reaches
// 0.8 after 3 s and 2 s (mean 2.5 s); Switch after 2 s and 2.5 s (mean
// 2.25 s): a speed-up of 2.5/2.25 = 1.11.
func ExampleBuildReport() {
	mk := func(label, strategy string, seed int64, val, secs []float64) *results.Record {
		r := &results.Record{ID: fmt.Sprintf("%s-%d", label, seed), Label: label, Strategy: strategy,
			Status: results.StatusDone, Final: results.Metrics{"accuracy": val[len(val)-1]}}
		cum := 0.0
		for i := range val {
			cum += secs[i]
			r.Epochs = append(r.Epochs, results.Epoch{Epoch: i + 1, Val: results.Metrics{"accuracy": val[i]}, Seconds: secs[i], CumSeconds: cum})
		}
		r.TrainSeconds = cum
		return r
	}
	rep := results.BuildReport([]*results.Record{
		mk("STL", "stl", 1, []float64{0.6, 0.7, 0.8}, []float64{1, 1, 1}),
		mk("STL", "stl", 2, []float64{0.6, 0.8, 0.8}, []float64{1, 1, 1}),
		mk("Switch", "switch:epoch=1,lambda=1", 1, []float64{0.8, 0.8, 0.8}, []float64{2, 0.5, 0.5}),
		mk("Switch", "switch:epoch=1,lambda=1", 2, []float64{0.7, 0.8, 0.8}, []float64{2, 0.5, 0.5}),
	}, results.ReportOptions{Target: 0.8})
	for _, row := range rep.Rows {
		fmt.Printf("%s: reached %d/%d, mean %.2f s, speed-up vs STL %.2f\n",
			row.Group.Label, row.Reached, len(row.Hits), row.SecondsToTarget.Mean, row.SpeedupVsSTL.Value)
	}
	// Output:
	// STL: reached 2/2, mean 2.50 s, speed-up vs STL NaN
	// Switch: reached 2/2, mean 2.25 s, speed-up vs STL 1.11
}
