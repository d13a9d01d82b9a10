package metrics

import (
	"fmt"
	"math"
)

// Confusion is a confusion matrix over the classes 0..Classes-1.
// Counts[gold][pred] is the number of examples of class gold predicted as
// pred.
type Confusion struct {
	Classes int
	Counts  [][]int
}

// NewConfusion returns an empty confusion matrix for the given number of
// classes (at least 1).
func NewConfusion(classes int) (*Confusion, error) {
	if classes < 1 {
		return nil, fmt.Errorf("confusion matrix: %d classes, need at least 1", classes)
	}
	counts := make([][]int, classes)
	for i := range counts {
		counts[i] = make([]int, classes)
	}
	return &Confusion{Classes: classes, Counts: counts}, nil
}

// Add counts one example. Labels outside 0..Classes-1 are an error.
func (c *Confusion) Add(gold, pred int) error {
	if gold < 0 || gold >= c.Classes || pred < 0 || pred >= c.Classes {
		return fmt.Errorf("confusion matrix: label pair (gold %d, pred %d) outside 0..%d", gold, pred, c.Classes-1)
	}
	c.Counts[gold][pred]++
	return nil
}

// AddAll counts pred[i] against gold[i] for every i.
func (c *Confusion) AddAll(pred, gold []int) error {
	if len(pred) != len(gold) {
		return fmt.Errorf("confusion matrix: %d predictions for %d gold labels", len(pred), len(gold))
	}
	for i := range pred {
		if err := c.Add(gold[i], pred[i]); err != nil {
			return fmt.Errorf("example %d: %w", i, err)
		}
	}
	return nil
}

// Total is the number of examples counted.
func (c *Confusion) Total() int {
	n := 0
	for _, row := range c.Counts {
		for _, v := range row {
			n += v
		}
	}
	return n
}

// Accuracy is the fraction of examples on the diagonal; NaN when empty.
func (c *Confusion) Accuracy() float64 {
	total, correct := 0, 0
	for g, row := range c.Counts {
		for p, v := range row {
			total += v
			if g == p {
				correct += v
			}
		}
	}
	if total == 0 {
		return math.NaN()
	}
	return float64(correct) / float64(total)
}

// Precision of one class: tp/(tp+fp), 0 when the class was never predicted
// (sklearn's zero_division default).
func (c *Confusion) Precision(class int) float64 {
	tp := c.Counts[class][class]
	predicted := 0
	for g := range c.Counts {
		predicted += c.Counts[g][class]
	}
	return ratioOrZero(tp, predicted)
}

// Recall of one class: tp/(tp+fn), 0 when the class never occurs in gold
// (sklearn's zero_division default).
func (c *Confusion) Recall(class int) float64 {
	tp := c.Counts[class][class]
	actual := 0
	for _, v := range c.Counts[class] {
		actual += v
	}
	return ratioOrZero(tp, actual)
}

// F1 of one class: the harmonic mean of precision and recall, 0 when both are
// 0 — computed as sklearn 1.2 does (from precision and recall, each 0 on 0/0).
func (c *Confusion) F1(class int) float64 {
	p, r := c.Precision(class), c.Recall(class)
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// MacroF1 is the unweighted mean of F1 over all Classes classes, including
// classes that occur neither in gold nor in predictions: those count as F1 = 0.
// This is sklearn's f1_score(gold, pred, labels=range(Classes),
// average="macro") with the default zero_division="warn" (which yields 0).
// Note that sklearn without labels= averages only over the classes present,
// so the two differ exactly when a class is absent from both. NaN when empty.
func (c *Confusion) MacroF1() float64 {
	if c.Total() == 0 {
		return math.NaN()
	}
	sum := 0.0
	for k := 0; k < c.Classes; k++ {
		sum += c.F1(k)
	}
	return sum / float64(c.Classes)
}

func ratioOrZero(num, den int) float64 {
	if den == 0 {
		return 0
	}
	return float64(num) / float64(den)
}

// Accuracy is the fraction of i with pred[i] == gold[i]
// (sklearn.metrics.accuracy_score). NaN when the slices are empty or differ in
// length.
func Accuracy(pred, gold []int) float64 {
	if len(pred) != len(gold) || len(pred) == 0 {
		return math.NaN()
	}
	correct := 0
	for i := range pred {
		if pred[i] == gold[i] {
			correct++
		}
	}
	return float64(correct) / float64(len(pred))
}

// MacroF1 is Confusion.MacroF1 over classes 0..classes-1 (see there for the
// zero-division convention). NaN when the slices are empty, differ in length,
// or hold a label outside 0..classes-1.
func MacroF1(pred, gold []int, classes int) float64 {
	c, err := NewConfusion(classes)
	if err != nil {
		return math.NaN()
	}
	if err := c.AddAll(pred, gold); err != nil {
		return math.NaN()
	}
	return c.MacroF1()
}
