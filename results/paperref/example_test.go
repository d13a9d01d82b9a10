package paperref_test

import (
	"fmt"

	"github.com/mt2st/mt2st/results/paperref"
)

// The reference code's GloVe-Twitter runs on the primary task alone
// (setting 0), from its root logs and its benchmark logs.
func ExampleRuns() {
	runs, err := paperref.Runs()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range runs {
		if r.Embedding == "glove-twitter-100" && r.Setting == "0" {
			fmt.Printf("%-31s %-8s %.2f\n", r.Log, r.Strategy, r.TestAccuracy)
		}
	}
	// Output:
	// training_mt.log                 MTL      0.72
	// training_mt2st_dimish.log       Diminish 0.73
	// training_mt2st_switch.log       Switch   0.74
	// benchmark/Glove-Twitter/mt      MTL      0.68
	// benchmark/Glove-Twitter/dimish  Diminish 0.71
	// benchmark/Glove-Twitter/switch  Switch   0.68
}
