package experiments

import (
	"context"
	"math"
	"testing"
)

func TestMedianIQR(t *testing.T) {
	// numpy.percentile([1, 2, 3, 4, 10], [25, 50, 75]) = [2, 3, 4].
	m, iqr := MedianIQR([]float64{10, 2, 4, 1, 3})
	if m != 3 || iqr != 2 {
		t.Errorf("median %v iqr %v, want 3 and 2", m, iqr)
	}
}

func TestWorkOrderViolation(t *testing.T) {
	if (WorkOrder{Ratio: 0.9, Noise: 0.05}).Violated() != true || (WorkOrder{Ratio: 0.97, Noise: 0.05}).Violated() {
		t.Error("a ratio of 0.9 with 5% noise must violate, 0.97 must not")
	}
}

// The check trains both sides in alternating order and reports every epoch
// (no timing is asserted: that is the command's job, on a quiet machine).
func TestCheckWorkOrderAlternates(t *testing.T) {
	data := testData(t)
	c := tinyConfig(t, "stl")
	c.Epochs = 2
	w, err := CheckWorkOrder(context.Background(), c, data, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.STL) != 4 || len(w.MTL) != 4 || w.Order[0] != "STL" || w.Order[2] != "MTL" || math.IsNaN(w.Ratio) {
		t.Errorf("work order: %+v", w)
	}
}
