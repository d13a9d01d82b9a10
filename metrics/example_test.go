package metrics_test

import (
	"fmt"

	"github.com/mt2st/mt2st/metrics"
)

func ExampleSpearman() {
	human := []float64{9.2, 7.5, 3.1, 8.0, 1.2}
	model := []float64{0.71, 0.42, 0.40, 0.55, 0.05}
	fmt.Printf("%.3f\n", metrics.Spearman(human, model))
	// Output: 1.000
}

func ExampleMacroF1() {
	gold := []int{0, 1, 0, 0, 1, 1, 1, 1}
	pred := []int{0, 1, 1, 0, 1, 1, 0, 0}
	fmt.Printf("accuracy %.3f macro-F1 %.3f\n", metrics.Accuracy(pred, gold), metrics.MacroF1(pred, gold, 2))
	// Output: accuracy 0.625 macro-F1 0.619
}

func ExampleConfidenceInterval95() {
	accuracies := []float64{0.812, 0.798, 0.825, 0.806, 0.819} // five seeds
	lo, hi := metrics.ConfidenceInterval95(accuracies)
	fmt.Printf("%.3f ± %.3f  [%.4f, %.4f]\n", metrics.Mean(accuracies), metrics.Std(accuracies), lo, hi)
	// Output: 0.812 ± 0.011  [0.7988, 0.8252]
}

func ExampleSpeedupInterval() {
	stlSeconds := []float64{41.2, 39.8, 43.1, 40.5, 42.0}
	switchSeconds := []float64{14.1, 13.2, 15.0, 13.8}
	ratio, lo, hi := metrics.SpeedupInterval(stlSeconds, switchSeconds)
	fmt.Printf("%.2f× faster [%.2f, %.2f]\n", ratio, lo, hi)
	// Output: 2.95× faster [2.73, 3.20]
}
