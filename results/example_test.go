package results_test

import (
	"fmt"
	"os"

	"github.com/mt2st/mt2st/strategies"

	"github.com/mt2st/mt2st/results"
)

// Two hand-made runs of two strategies, one seed each, printed as the
// comparison table in Markdown. Both recorded which of 20 test reviews they
// got right: STL 13, Switch 18, Switch alone right on 6 and STL alone on 1,
// so Δ = +0.25 with McNemar's exact p = 2·(1+7)/2⁷ = 0.125.
func ExampleComparisonTable() {
	correct := func(right ...int) string {
		c := make([]bool, 20)
		for _, i := range right {
			c[i] = true
		}
		return results.EncodeCorrect(c)
	}
	stl := &results.Record{ID: "stl-1", Label: "STL", Strategy: strategies.MustParseSpec("stl"), Status: results.StatusDone,
		Final:        results.Metrics{"accuracy": 0.65, "macro_f1": 0.64},
		TestCorrect:  correct(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
		Epochs:       []results.Epoch{{Epoch: 1}, {Epoch: 2}},
		TrainSeconds: 4, SelectedEpoch: 2}
	sw := &results.Record{ID: "switch-1", Label: "MT2ST-Switch", Strategy: strategies.MustParseSpec("switch:epoch=1,lambda=1"), Status: results.StatusDone,
		Final:        results.Metrics{"accuracy": 0.90, "macro_f1": 0.89, "similarity/spearman_mean": 0.21},
		TestCorrect:  correct(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18),
		Epochs:       []results.Epoch{{Epoch: 1}, {Epoch: 2}},
		TrainSeconds: 5, SelectedEpoch: 1}
	table := results.ComparisonTable(results.GroupRecords([]*results.Record{stl, sw}))
	if err := table.WriteMarkdown(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// ### Comparison
	//
	// | strategy     | runs | test acc | macro-F1 | mean Spearman | analogy acc | train time (s) | time/epoch (s) | sel. epoch |  Δ test acc vs STL |
	// |:-------------|-----:|---------:|---------:|--------------:|------------:|---------------:|---------------:|-----------:|-------------------:|
	// | STL          |    1 |    0.650 |    0.640 |             – |           – |       **4.00** |       **2.00** |          2 |          reference |
	// | MT2ST-Switch |    1 |    0.900 |    0.890 |         0.210 |           – |           5.00 |           2.50 |          1 | +0.250 (p = 0.125) |
	//
	// Mean over seeds, n = 1 seed per row; ± = half-width of the 95% Student-t interval of the mean (mean ± t(0.975, n−1)·s/√n); times: geometric mean [95% t interval of the mean log time, back-transformed, so never negative]; no ± or interval when n = 1; – = not measured.
	// Accuracy, F1, Spearman and analogy are test-split numbers and are not marked: no best is picked on test. Fastest mean times marked (* in the terminal, bold in Markdown). Times are training wall time, evaluation excluded.
	// Δ test acc vs STL = mean − STL mean (STL of the same protocol, encoder and setting when there is one, else the first STL group).
	// Δ (p = …): one run per arm; two-sided p-value of McNemar's exact test (binomial on the test examples that exactly one of the two models classified correctly).
}

// Time to target and speed-up of a report built from records. STL reaches
// 0.8 after 3 s and 2 s; Switch after 2 s and 2.5 s: the Kaplan–Meier
// medians (the first time at least half have reached it) are 2 s and 2 s, a
// speed-up of 1.
func ExampleBuildReport() {
	mk := func(label, strategy string, seed int64, val, secs []float64) *results.Record {
		r := &results.Record{ID: fmt.Sprintf("%s-%d", label, seed), Label: label, Strategy: strategies.MustParseSpec(strategy),
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
		fmt.Printf("%s: reached %d/%d, median %.2f s, speed-up vs STL %.2f\n",
			row.Group.Label, row.Reached, len(row.Hits), row.SecondsMedian.Value, row.SpeedupVsSTL.Value)
	}
	// Output:
	// STL: reached 2/2, median 2.00 s, speed-up vs STL NaN
	// Switch: reached 2/2, median 2.00 s, speed-up vs STL 1.00
}
