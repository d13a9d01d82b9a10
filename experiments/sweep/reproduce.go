package sweep

import (
	"errors"
	"fmt"

	"github.com/mt2st/mt2st/experiments"
	"github.com/mt2st/mt2st/options"
	"github.com/mt2st/mt2st/strategies"
)

// ReproduceName is the sweep name of the built-in comparison matrix.
const ReproduceName = "reproduce"

// Settings are the paper's task combinations: 0 = primary only (run with
// STL), 1 = +similarity, 2 = +analogy, 3 = +both.
var Settings = [][]string{
	{"sentiment"},
	{"sentiment", "similarity"},
	{"sentiment", "analogy"},
	{"sentiment", "similarity", "analogy"},
}

// PaperStrategies are the strategies reproduce runs on settings 1–3 by
// default: MTL, the paper's Diminish, the reference code's squared schedule,
// and Switch at 15 of 25 epochs (the reference code's).
//
// Diminish's η is chosen so that its weight falls below the skip threshold
// (1e-4) inside the run, where the heads stop running: γ·exp(−η·t) < 1e-4
// from t > ln(γ/1e-4)/η = 9.21/0.6 = 15.4, i.e. from epoch 16 on, the
// epoch Switch stops at. (With the paper's η = 0.3 the weight is still
// 5.5e-4 at epoch 25: the heads would never stop and Diminish could save
// nothing.) For other epoch counts File scales Diminish's η and Switch's
// epoch to the same fraction of the run.
var PaperStrategies = []string{"mtl:lambda=1", "diminish:gamma=1,eta=0.6,nu=1", "diminish-squared:alpha=0.95", "switch:epoch=15,lambda=1"}

// Reproduce describes the built-in reproduce sweep: the comparison matrix
// of STL on the primary task alone and every strategy on settings 1–3, each
// replicated with seeds 1..Seeds.
type Reproduce struct {
	// Base is what the command line set; the protocol's defaults apply
	// first.
	Base       []options.Assignment
	Seeds      int
	Strategies []strategies.Spec
	// VaryData gives replicate r the data and split seeds (given) + r−1, so
	// the intervals cover the noise of the 1,000-review sample and of the
	// splits too, not only the training seed's.
	VaryData bool
}

// File returns the sweep file of the matrix. Replicate r runs with seed r
// (SeedsReplicate), so `train --seed r` repeats any of its runs.
func (r Reproduce) File() (*File, error) {
	if r.Seeds < 1 {
		return nil, fmt.Errorf("seeds %d: want >= 1", r.Seeds)
	}
	if len(r.Strategies) == 0 {
		return nil, errors.New("strategies: none given")
	}
	base, err := experiments.Resolve(r.Base)
	if err != nil {
		return nil, err
	}
	for _, a := range r.Base {
		for _, k := range []string{"tasks", "strategy", "seed"} {
			if a.Key == k {
				return nil, fmt.Errorf("%s: reproduce sets it for every run (use train, or a sweep file)", k)
			}
		}
	}
	f := &File{Path: "reproduce (built in)", Name: ReproduceName, Seed: 1, Seeds: SeedsReplicate, VaryData: r.VaryData, Lines: map[string]int{},
		Description: "STL on the primary task alone, then every strategy on settings 1-3 (+similarity, +analogy, +both)"}
	for i := range r.Seeds {
		f.Replicates = append(f.Replicates, i+1)
	}
	f.Base = []Assignment{{Option: "protocol", Value: base.Protocol}}
	for _, a := range r.Base {
		f.Base = append(f.Base, Assignment{Option: a.Key, Value: a.Value})
	}
	for _, ts := range Settings {
		if len(ts) == 1 {
			f.Include = append(f.Include, []Assignment{{Option: "tasks", Value: ts}, {Option: "strategy", Value: "stl"}})
			continue
		}
		for _, s := range r.Strategies {
			if s, err = scaleToRun(s, base.Epochs); err != nil {
				return nil, err
			}
			if err := s.CheckTasks(ts[1:]); err != nil {
				return nil, err
			}
			f.Include = append(f.Include, []Assignment{{Option: "tasks", Value: ts}, {Option: "strategy", Value: s.String()}})
		}
	}
	return f, nil
}

// scaleToRun moves the default Switch epoch and Diminish rate, set for 25
// epochs, to the same fraction of a run of another length; other specs are
// kept as given.
func scaleToRun(s strategies.Spec, epochs int) (strategies.Spec, error) {
	if epochs == 25 {
		return s, nil
	}
	switch {
	case s.Equal(strategies.MustParseSpec("switch:epoch=15,lambda=1")):
		return s.With("epoch", float64(max(1, epochs*3/5)))
	case s.Equal(strategies.MustParseSpec("diminish:gamma=1,eta=0.6,nu=1")):
		return s.With("eta", 0.6*25/float64(epochs))
	}
	return s, nil
}
