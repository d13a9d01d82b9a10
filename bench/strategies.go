package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/results"
	"github.com/mt2st/mt2st/strategies"
	"github.com/mt2st/mt2st/strategies/adaptive"
	"github.com/mt2st/mt2st/tasks"
)

// DefaultStrategies are the specs [Strategies] compares by default: the
// baselines, MT2ST-Diminish with weights that stay above the skip threshold
// for every epoch, the squared schedule that falls below it (from epoch 5 at
// α = 0.5), Switch at epoch 5, then every adaptive strategy (the plateau
// rule of switch-auto needs validation, which the benchmark has not: only
// its conflict rule runs). Auxiliary weights start at mtl's 0.5.
var DefaultStrategies = []string{
	"stl",
	"mtl:lambda=0.5",
	"diminish:gamma=0.5,eta=0.3,nu=1",
	"diminish-squared:alpha=0.5",
	"switch:epoch=5,lambda=0.5",
	"gcs:lambda=0.5",
	"gcs-binary:lambda=0.5",
	"olaux:lambda=0.5",
	"switch-auto:lambda=0.5,plateau=0",
	"uncertainty",
	"dwa:lambda=0.5",
	"pcgrad:lambda=0.5",
}

// StrategyOptions configure [Strategies].
type StrategyOptions struct {
	Specs  []string // strategy specs (DefaultStrategies when empty)
	Epochs int      // epochs per strategy
	Steps  int      // training steps per epoch
	// SkipBelow: an auxiliary task whose weight is below this does not run
	// (experiments' default is 1e-4).
	SkipBelow float64
	Seed      uint64
	// Epoch, if set, is called after every timed epoch.
	Epoch func(strategy string, e Epoch)
}

// Epoch is one timed epoch of one strategy.
type Epoch struct {
	Epoch   int                `json:"epoch"`
	Weights map[string]float64 `json:"weights"` // every auxiliary task's weight
	Ran     []string           `json:"ran"`     // the tasks that ran
	Seconds float64            `json:"seconds"`
}

// StrategyRun is every epoch of one strategy and their sums.
type StrategyRun struct {
	Strategy     string  `json:"strategy"` // canonical spec
	Name         string  `json:"name"`     // strategy name: stl, mtl, diminish, ...
	Label        string  `json:"label"`
	Adaptive     bool    `json:"adaptive,omitempty"` // weights decided by the run (strategies.Adaptive)
	Epochs       []Epoch `json:"epochs"`
	TotalSeconds float64 `json:"total_seconds"`
	// Mean seconds of the epochs in which auxiliary tasks ran and of those in
	// which only the primary task ran (0 when there were none).
	WithAuxSeconds     float64 `json:"with_aux_seconds_per_epoch"`
	PrimaryOnlySeconds float64 `json:"primary_only_seconds_per_epoch"`
}

// Strategies trains the mtl benchmark model (bag sentiment + skip-gram +
// similarity, torch_ref.py's shapes and synthetic data) under each strategy
// for the same number of epochs of the same number of steps, and times every
// epoch. An epoch runs the tasks whose weight is positive and at least
// SkipBelow, through the program compiled for exactly those tasks (as
// experiments.Run does), so an epoch in which every auxiliary weight is 0
// runs the primary task's program only.
//
// The strategies run side by side, one epoch of each in turn (the order
// rotating every epoch), each on its own copy of the model and data, so a slow
// spell of a shared machine falls on all of them alike. Each model takes warm-up steps on both of its programs before
// the first timed epoch. An epoch's time includes filling the batches, as in
// the training loop. An adaptive strategy runs through its driver (package
// strategies/adaptive), as in experiments.Run, so its epochs include the
// signals it asks for.
func Strategies(ctx context.Context, opts StrategyOptions) ([]StrategyRun, error) {
	if len(opts.Specs) == 0 {
		opts.Specs = DefaultStrategies
	}
	if opts.Epochs < 1 || opts.Steps < 1 {
		return nil, fmt.Errorf("strategies: %d epochs of %d steps: want at least 1 of each", opts.Epochs, opts.Steps)
	}
	type contender struct {
		spec   strategies.Spec
		driver *adaptive.Driver
		hist   *strategies.History
		setup  *Setup
		run    *StrategyRun
	}
	cs := make([]contender, len(opts.Specs))
	for i, spec := range opts.Specs {
		st, err := strategies.ParseSpec(spec)
		if err != nil {
			return nil, err
		}
		s, err := New("mtl", opts.Seed)
		if err != nil {
			return nil, err
		}
		for _, mods := range [][]tasks.Task{s.Tasks[:1], s.Tasks} {
			if err := warmUp(s, mods, 3); err != nil {
				return nil, fmt.Errorf("strategy %s: %w", spec, err)
			}
		}
		names := make([]string, len(s.Tasks)-1)
		for j, t := range s.Tasks[1:] {
			names[j] = t.Name()
		}
		cs[i] = contender{spec: st, driver: adaptive.New(st, s.Tasks[0].Name(), names), hist: &strategies.History{}, setup: s,
			run: &StrategyRun{Strategy: st.String(), Name: st.Name(), Label: st.Label(), Adaptive: st.IsAdaptive()}}
	}
	for epoch := 1; epoch <= opts.Epochs; epoch++ {
		for k := range cs {
			c := cs[(k+epoch-1)%len(cs)] // rotate who goes first: no strategy always follows the same one
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("strategies: stopped before epoch %d: %w", epoch, err)
			}
			e, err := timeEpoch(c.setup, c.spec, c.driver, c.hist, epoch, opts)
			if err != nil {
				return nil, fmt.Errorf("strategy %s epoch %d: %w", c.run.Strategy, epoch, err)
			}
			c.run.Epochs = append(c.run.Epochs, e)
			if opts.Epoch != nil {
				opts.Epoch(c.run.Strategy, e)
			}
		}
	}
	out := make([]StrategyRun, len(cs))
	for i, c := range cs {
		summarise(c.run)
		out[i] = *c.run
	}
	return out, nil
}

// timeEpoch runs one epoch of opts.Steps steps with the strategy's weights
// (through the driver d of an adaptive strategy, nil otherwise).
func timeEpoch(s *Setup, st strategies.Spec, d *adaptive.Driver, h *strategies.History, epoch int, opts StrategyOptions) (Epoch, error) {
	primary, aux := s.Tasks[0], s.Tasks[1:]
	names := make([]string, len(aux))
	for i, t := range aux {
		names[i] = t.Name()
	}
	weights := d.Weights(st, epoch, names, *h)
	active, ws := []tasks.Task{primary}, []float64{1}
	for _, t := range aux {
		if w := weights[t.Name()]; strategies.Runs(w, opts.SkipBelow) {
			active, ws = append(active, t), append(ws, w)
		}
	}
	prog, err := program(s.Model, active)
	if err != nil {
		return Epoch{}, err
	}
	e := Epoch{Epoch: epoch, Weights: weights}
	for _, t := range active {
		e.Ran = append(e.Ran, t.Name())
	}
	sums := make([]float64, len(active))
	start := time.Now()
	for i := range opts.Steps {
		for _, t := range active {
			t.NextBatch(s.rngOf(t))
		}
		losses, err := d.Step(prog, ws, i)
		if err != nil {
			return Epoch{}, err
		}
		for k, l := range losses {
			sums[k] += l
		}
	}
	e.Seconds = time.Since(start).Seconds()
	if d != nil { // the epoch's losses for the strategy's history (DWA reads them); no validation here
		re := results.Epoch{Epoch: epoch, Weights: map[string]float64{}, Loss: map[string]float64{}}
		for k, t := range active {
			re.Loss[t.Name()] = sums[k] / float64(opts.Steps)
		}
		d.EndEpoch(&re, h, nil) // no validation accuracy: a plateau rule never fires
		for k, v := range re.Weights {
			e.Weights[k] = v // the mean weights the steps applied
		}
	}
	return e, nil
}

// warmUp takes n steps of the program of mods, with the benchmark's weights.
func warmUp(s *Setup, mods []tasks.Task, n int) error {
	prog, err := program(s.Model, mods)
	if err != nil {
		return err
	}
	ws := s.Weights[:len(mods)]
	for range n {
		for _, t := range mods {
			t.NextBatch(s.rngOf(t))
		}
		if _, err := prog.Step(ws); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
	}
	return nil
}

func program(m *graph.Model, ts []tasks.Task) (*graph.Program, error) {
	mods := make([]graph.Module, len(ts))
	for i, t := range ts {
		mods[i] = t
	}
	return m.Program(mods...)
}

func summarise(r *StrategyRun) {
	var aux, prim float64
	var nAux, nPrim int
	for _, e := range r.Epochs {
		r.TotalSeconds += e.Seconds
		if len(e.Ran) > 1 {
			aux += e.Seconds
			nAux++
		} else {
			prim += e.Seconds
			nPrim++
		}
	}
	if nAux > 0 {
		r.WithAuxSeconds = aux / float64(nAux)
	}
	if nPrim > 0 {
		r.PrimaryOnlySeconds = prim / float64(nPrim)
	}
}

// Saving compares the runs epoch by epoch: every epoch of an MT2ST strategy
// in which no auxiliary task ran against STL's epoch of the same number, and
// every epoch in which auxiliary tasks ran against MTL's of the same number
// (so both sides are equally far from the start). It compares medians, which
// a shared machine's slow spells move less than means. Ratios near 1 mean a
// zero-weight epoch costs an STL epoch and a weighted one an MTL epoch.
type Saving struct {
	// Median seconds per epoch over the compared epochs.
	STLSeconds        float64 `json:"stl_seconds_per_epoch"`
	ZeroWeightSeconds float64 `json:"zero_weight_seconds_per_epoch"`
	MTLSeconds        float64 `json:"mtl_seconds_per_epoch"`
	WeightedSeconds   float64 `json:"weighted_seconds_per_epoch"`
	// ZeroWeightSeconds / STLSeconds and WeightedSeconds / MTLSeconds.
	ZeroVsSTL     float64 `json:"zero_weight_vs_stl"`
	WeightedVsMTL float64 `json:"weighted_vs_mtl"`
	// Epochs compared on each side.
	ZeroWeightEpochs int `json:"zero_weight_epochs"`
	WeightedEpochs   int `json:"weighted_epochs"`
}

// CompareSaving computes the [Saving] of runs from [Strategies]. ok is false
// when the runs lack an STL or MTL baseline or epochs of either kind.
func CompareSaving(runs []StrategyRun) (s Saving, ok bool) {
	var stl, mtl *StrategyRun
	for i := range runs {
		switch runs[i].Name {
		case "stl":
			stl = &runs[i]
		case "mtl":
			mtl = &runs[i]
		}
	}
	if stl == nil || mtl == nil {
		return s, false
	}
	var zero, stlSide, weighted, mtlSide []float64
	for _, r := range runs {
		if r.Name == "stl" || r.Name == "mtl" || r.Adaptive {
			continue
		}
		for i, e := range r.Epochs {
			if i >= len(stl.Epochs) || i >= len(mtl.Epochs) {
				break
			}
			if len(e.Ran) > 1 {
				weighted, mtlSide = append(weighted, e.Seconds), append(mtlSide, mtl.Epochs[i].Seconds)
			} else {
				zero, stlSide = append(zero, e.Seconds), append(stlSide, stl.Epochs[i].Seconds)
			}
		}
	}
	s.ZeroWeightEpochs, s.WeightedEpochs = len(zero), len(weighted)
	if len(zero) == 0 || len(weighted) == 0 {
		return s, false
	}
	s.ZeroWeightSeconds, s.STLSeconds = Median(zero), Median(stlSide)
	s.WeightedSeconds, s.MTLSeconds = Median(weighted), Median(mtlSide)
	if s.STLSeconds <= 0 || s.MTLSeconds <= 0 {
		return s, false
	}
	s.ZeroVsSTL, s.WeightedVsMTL = s.ZeroWeightSeconds/s.STLSeconds, s.WeightedSeconds/s.MTLSeconds
	return s, true
}

// Overhead is an adaptive strategy's cost over MTL: the median seconds of
// its epochs in which auxiliary tasks ran against MTL's epochs of the same
// numbers (the runs are interleaved epoch by epoch, see [Strategies]).
type Overhead struct {
	Strategy   string  `json:"strategy"`
	Label      string  `json:"label"`
	Seconds    float64 `json:"seconds_per_epoch"`
	MTLSeconds float64 `json:"mtl_seconds_per_epoch"`
	Ratio      float64 `json:"ratio_vs_mtl"` // Seconds / MTLSeconds
	Epochs     int     `json:"epochs"`
}

// CompareOverhead computes the [Overhead] of every adaptive run; nil when
// the runs have no MTL baseline.
func CompareOverhead(runs []StrategyRun) []Overhead {
	var mtl *StrategyRun
	for i := range runs {
		if runs[i].Name == "mtl" {
			mtl = &runs[i]
		}
	}
	if mtl == nil {
		return nil
	}
	var out []Overhead
	for _, r := range runs {
		if !r.Adaptive {
			continue
		}
		var mine, base []float64
		for i, e := range r.Epochs {
			if i < len(mtl.Epochs) && len(e.Ran) > 1 {
				mine, base = append(mine, e.Seconds), append(base, mtl.Epochs[i].Seconds)
			}
		}
		o := Overhead{Strategy: r.Strategy, Label: r.Label, Epochs: len(mine)}
		if len(mine) > 0 {
			o.Seconds, o.MTLSeconds = Median(mine), Median(base)
			if o.MTLSeconds > 0 {
				o.Ratio = o.Seconds / o.MTLSeconds
			}
		}
		out = append(out, o)
	}
	return out
}
