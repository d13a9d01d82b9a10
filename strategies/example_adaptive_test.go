package strategies_test

import (
	"fmt"

	"github.com/mt2st/mt2st/strategies"
)

// halve is the controller of a toy adaptive strategy: it halves an
// auxiliary weight after every epoch whose mean training loss of that task
// did not fall.
type halve struct {
	aux    []string
	weight map[string]float64
}

func (h *halve) Epoch(epoch int, hist strategies.History) map[string]float64 {
	if n := len(hist.Loss); n >= 2 {
		for _, t := range h.aux {
			if hist.Loss[n-1][t] >= hist.Loss[n-2][t] {
				h.weight[t] /= 2
			}
		}
	}
	w := map[string]float64{}
	for _, t := range h.aux {
		w[t] = h.weight[t]
	}
	return w
}

func (h *halve) Step(*strategies.Step) {} // epoch-level only: the step keeps the epoch weights

func (h *halve) EndEpoch(int, strategies.History) []strategies.Event { return nil }

// An adaptive strategy registers a controller factory instead of a weight
// formula; after that it parses, prints and labels like a built-in one,
// and experiments.Run drives it (see README.md in this folder).
func ExampleRegister_adaptive() {
	err := strategies.Register(strategies.Definition{
		Name: "halve-on-stall", Label: "Halve-on-stall", Keys: []string{"lambda"},
		Defaults: map[string]float64{"lambda": 1},
		Start: func(params func(string) map[string]float64, aux []string) strategies.Controller {
			w := map[string]float64{}
			for _, t := range aux {
				w[t] = params(t)["lambda"]
			}
			return &halve{aux: aux, weight: w}
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	spec := strategies.MustParseSpec("halve-on-stall:lambda=0.8")
	fmt.Println(spec, spec.Label(), spec.IsAdaptive())

	// What the training loop does with it, by hand: losses of three epochs.
	ctl := spec.Strategy().(strategies.Adaptive).Start([]string{"similarity"})
	var h strategies.History
	for epoch, loss := range []float64{0.30, 0.25, 0.26} {
		w := ctl.Epoch(epoch+1, h)
		fmt.Printf("epoch %d weight %.2f\n", epoch+1, w["similarity"])
		h.Loss = append(h.Loss, map[string]float64{"similarity": loss})
	}
	fmt.Printf("epoch 4 weight %.2f\n", ctl.Epoch(4, h)["similarity"])
	// Output:
	// halve-on-stall:lambda=0.8 Halve-on-stall true
	// epoch 1 weight 0.80
	// epoch 2 weight 0.80
	// epoch 3 weight 0.80
	// epoch 4 weight 0.40
}
