package adaptive

import (
	"maps"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/results"
	"github.com/mt2st/mt2st/strategies"
)

// Driver drives an adaptive strategy (strategies.Adaptive) inside a
// training loop: it asks the strategy's controller for each epoch's
// weights, shows it every step's losses and, when the strategy asks for
// them, the step's gradient comparisons, applies the weights it sets, and
// writes the epoch's signals into the record. It is nil for schedule
// strategies: its methods then do exactly what a loop without it does
// (Spec.Weights, Program.Step), so nothing of this runs.
type Driver struct {
	ctl     strategies.Controller
	needs   strategies.Signals
	primary string
	done    int // steps taken in the run with an auxiliary task (Signals.Every counts them)

	// The epoch in progress.
	prog    *graph.Program
	names   []string  // the program's module names, primary first
	ws      []float64 // weights of the next step, one per module
	step    strategies.Step
	grads   gradView
	steps   int // steps with an auxiliary task
	sumW    map[string]float64
	sumCos  map[string]float64
	sumNorm map[string]float64
	checked int
}

// New returns the driver of one run of s with these tasks, or nil when s is
// a schedule strategy.
func New(s strategies.Spec, primary string, aux []string) *Driver {
	a, ok := s.Strategy().(strategies.Adaptive)
	if !ok {
		return nil
	}
	return &Driver{ctl: a.Start(aux), needs: a.Needs(), primary: primary}
}

// Weights returns each auxiliary task's weight for the epoch (from 1); a
// task below the run's skip_below does not run it.
func (a *Driver) Weights(s strategies.Spec, epoch int, aux []string, h strategies.History) map[string]float64 {
	if a == nil {
		return s.Weights(epoch, aux, h)
	}
	a.prog, a.steps, a.checked = nil, 0, 0
	a.sumW, a.sumCos, a.sumNorm = map[string]float64{}, map[string]float64{}, map[string]float64{}
	a.step = strategies.Step{Epoch: epoch, Losses: map[string]float64{}, Weights: map[string]float64{}}
	return a.ctl.Epoch(epoch, h)
}

// Step runs training step index of the epoch with the program's weights ws
// (primary first, as the loop computed them from the epoch weights) and
// returns the unweighted losses, as Program.Step does.
func (a *Driver) Step(prog *graph.Program, ws []float64, index int) ([]float64, error) {
	if a == nil || len(ws) == 1 {
		return prog.Step(ws) // no auxiliary task runs: nothing to weigh
	}
	if a.prog != prog { // the epoch's first step
		a.prog = prog
		a.names = a.names[:0]
		for _, m := range prog.Modules() {
			a.names = append(a.names, m.Name())
		}
		a.ws = append(a.ws[:0], ws...)
		clear(a.step.Weights)
		for i, n := range a.names[1:] {
			a.step.Weights[n] = ws[i+1]
		}
		a.grads.index = map[string]int{}
		for i, n := range a.names {
			a.grads.index[n] = i
		}
	}
	a.step.Index = index
	measure := a.needs.Measured(a.done)
	a.done++
	a.steps++
	if measure {
		a.checked++
		losses, err := prog.StepEach(a.ws, true, func(g *graph.TaskGrads) error {
			a.setLosses(g.Loss)
			a.sumNorm[a.primary] += g.Norm(0)
			for i, n := range a.names[1:] {
				a.sumCos[n] += g.Cosine(i+1, 0)
				a.sumNorm[n] += g.Norm(i + 1)
			}
			a.grads.g = g
			a.step.Grads = &a.grads
			a.ctl.Step(&a.step)
			for i, n := range a.names[1:] {
				g.SetWeight(i+1, a.step.Weights[n])
			}
			return nil
		})
		a.step.Grads, a.grads.g = nil, nil
		if err != nil {
			return nil, err
		}
		a.useWeights(a.step.Weights, true)
		return losses, nil
	}
	losses, err := prog.StepEach(a.ws, false, nil)
	if err != nil {
		return nil, err
	}
	a.useWeights(nil, true) // the applied weights were a.ws
	a.setLosses(func(k int) float64 { return losses[k] })
	a.ctl.Step(&a.step) // its weights apply from the next step
	a.useWeights(a.step.Weights, false)
	return losses, nil
}

func (a *Driver) setLosses(loss func(int) float64) {
	for i, n := range a.names {
		a.step.Losses[n] = loss(i)
	}
}

// useWeights adds the applied weights to the epoch sums (sum) or makes w
// the next step's weights; w == nil means the current ones.
func (a *Driver) useWeights(w map[string]float64, sum bool) {
	for i, n := range a.names[1:] {
		if w != nil {
			a.ws[i+1] = w[n]
		}
		if sum {
			a.sumW[n] += a.ws[i+1]
		}
	}
}

// EndEpoch extends the history with the epoch (validation metrics, mean
// losses, mean cosines), lets the controller decide, and records the
// epoch's signals and mean applied weights in e. Call it after the
// epoch's validation accuracy was appended to h.
func (a *Driver) EndEpoch(e *results.Epoch, h *strategies.History, val map[string]float64) {
	if a == nil {
		return
	}
	h.Val = append(h.Val, maps.Clone(val))
	h.Loss = append(h.Loss, maps.Clone(e.Loss))
	sig := &results.Signals{Measured: a.checked}
	if a.checked > 0 {
		sig.Cosine, sig.GradNorm = map[string]float64{}, map[string]float64{}
		for n, v := range a.sumCos {
			sig.Cosine[n] = v / float64(a.checked)
		}
		for n, v := range a.sumNorm {
			sig.GradNorm[n] = v / float64(a.checked)
		}
	}
	h.Cosine = append(h.Cosine, sig.Cosine)
	if a.steps > 0 {
		for n, v := range a.sumW {
			e.Weights[n] = v / float64(a.steps)
		}
	}
	for _, ev := range a.ctl.EndEpoch(e.Epoch, *h) {
		sig.Events = append(sig.Events, results.Event{Rule: ev.Rule, Tasks: ev.Tasks, Detail: ev.Detail})
	}
	if st, ok := a.ctl.(strategies.Stater); ok {
		sig.State = st.State()
	}
	e.Signals = sig
}

// gradView names the modules of a graph.TaskGrads for a controller: the
// primary is module 0.
type gradView struct {
	g     *graph.TaskGrads
	index map[string]int
}

// module is the index of a task in the gradients; ok is false for a task
// that did not run.
func (v *gradView) module(task string) (int, bool) {
	i, ok := v.index[task]
	return i, ok
}

func (v *gradView) Dot(aux string) float64 {
	if i, ok := v.module(aux); ok {
		return v.g.Dot(i, 0)
	}
	return 0
}

func (v *gradView) Norm(task string) float64 {
	if i, ok := v.module(task); ok {
		return v.g.Norm(i)
	}
	return 0
}

func (v *gradView) Cosine(aux string) float64 {
	if i, ok := v.module(aux); ok {
		return v.g.Cosine(i, 0)
	}
	return 0
}

func (v *gradView) Project(aux string) bool {
	i, ok := v.module(aux)
	return ok && i != 0 && v.g.Project(i, 0)
}
