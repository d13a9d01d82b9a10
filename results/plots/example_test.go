package plots_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/mt2st/mt2st/strategies"

	"github.com/mt2st/mt2st/results"
	"github.com/mt2st/mt2st/results/plots"
)

// Plot two hand-made STL runs and one Switch run: validation accuracy per
// epoch with a ±std band, written as SVG.
func ExampleValidationByEpoch() {
	mk := func(label, spec string, seed int64, val ...float64) *results.Record {
		r := &results.Record{ID: fmt.Sprint(label, seed), Label: label, Strategy: strategies.MustParseSpec(spec), Status: results.StatusDone}
		for i, v := range val {
			r.Epochs = append(r.Epochs, results.Epoch{Epoch: i + 1, Val: results.Metrics{"accuracy": v}, CumSeconds: float64(i + 1)})
		}
		return r
	}
	groups := results.GroupRecords([]*results.Record{
		mk("STL", "stl", 1, 0.60, 0.70, 0.75),
		mk("STL", "stl", 2, 0.62, 0.71, 0.77),
		mk("Switch", "switch:epoch=2,lambda=1", 1, 0.65, 0.74, 0.79),
	})
	dir, err := os.MkdirTemp("", "plots-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	paths, err := plots.ValidationByEpoch(dir, groups, plots.Options{Formats: []string{"svg"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range paths {
		fmt.Println(filepath.Base(p))
	}
	// Output:
	// validation_by_epoch.svg
}
