package experiments

import (
	"fmt"
	"math/rand/v2"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/results"
	"github.com/mt2st/mt2st/tasks"
)

// readBudgets reads every task's auxiliary step budget
// ("<task>.steps_per_step", tasks.StepsPerStep), in the order of ts: 1 for
// the primary task, K ≥ 1 for each auxiliary task (default 1: one batch per
// primary step, in the joint step).
func readBudgets(settings *tasks.Settings, names []string) ([]int, error) {
	out := make([]int, len(names))
	for i, name := range names {
		key := name + "." + tasks.StepsPerStep
		k, err := settings.Int(key, 1)
		if err != nil {
			return nil, err
		}
		switch {
		case i == 0 && k != 1:
			// 1 is accepted: a sweep file's include that trains an
			// auxiliary task alone resets the base's budget with it.
			return nil, fmt.Errorf("%s=%d: the step budget applies to auxiliary tasks only; %s is the primary task (its own batches set an epoch's length; set it to 1 or leave it out)", key, k, name)
		case k < 1:
			return nil, fmt.Errorf("%s=%d: want >= 1 (the task's steps per primary step; 0 steps is a strategy weight of 0)", key, k)
		}
		out[i] = k
	}
	return out, nil
}

// epochSteps runs the auxiliary-only steps of one epoch and counts every
// task's steps and examples. For the active tasks of an epoch (primary
// first), round r = 1..K_max−1 after each joint step runs one
// auxiliary-only program of the active auxiliary tasks whose budget exceeds
// r, with their strategy weights. Programs are compiled once per task set
// (graph.Model.Program caches them).
type epochSteps struct {
	active  []tasks.Task
	samp    []*rand.Rand
	rounds  []auxRound
	steps   []int   // per active task: training steps this epoch
	example []int64 // per active task: real examples this epoch (Counted tasks)
	sums    []float64
}

type auxRound struct {
	prog    *graph.Program
	idx     []int // indices into active
	weights []float64
}

// newEpochSteps prepares an epoch for the active tasks with weights ws and
// budgets (one per active task, primary first).
func newEpochSteps(model *graph.Model, active []tasks.Task, ws []float64, samp []*rand.Rand, budgets []int) (*epochSteps, error) {
	e := &epochSteps{active: active, samp: samp, steps: make([]int, len(active)),
		example: make([]int64, len(active)), sums: make([]float64, len(active))}
	for r := 1; ; r++ {
		var round auxRound
		var mods []graph.Module
		for i := 1; i < len(active); i++ {
			if budgets[i] > r {
				round.idx = append(round.idx, i)
				round.weights = append(round.weights, ws[i])
				mods = append(mods, active[i])
			}
		}
		if len(mods) == 0 {
			return e, nil
		}
		prog, err := model.Program(mods...)
		if err != nil {
			return nil, err
		}
		round.prog = prog
		e.rounds = append(e.rounds, round)
	}
}

// joint records the joint step's losses (one per active task).
func (e *epochSteps) joint(losses []float64) {
	for i, l := range losses {
		e.record(i, l)
	}
}

func (e *epochSteps) record(i int, loss float64) {
	e.sums[i] += loss
	e.steps[i]++
	if c, ok := e.active[i].(tasks.Counted); ok {
		e.example[i] += int64(c.BatchExamples())
	}
}

// extra runs the auxiliary-only rounds that follow a joint step.
func (e *epochSteps) extra() error {
	for _, r := range e.rounds {
		for _, i := range r.idx {
			e.active[i].NextBatch(e.samp[i])
		}
		losses, err := r.prog.Step(r.weights)
		if err != nil {
			return fmt.Errorf("auxiliary-only step: %w", err)
		}
		for j, i := range r.idx {
			e.record(i, losses[j])
		}
	}
	return nil
}

// fill writes the epoch's per-task steps, examples and mean losses.
func (e *epochSteps) fill(ep *results.Epoch) {
	ep.TaskSteps, ep.Examples = map[string]int{}, map[string]int64{}
	for i, t := range e.active {
		name := t.Name()
		ep.TaskSteps[name] = e.steps[i]
		if _, ok := t.(tasks.Counted); ok {
			ep.Examples[name] = e.example[i]
		}
		if e.steps[i] > 0 {
			ep.Loss[name] = e.sums[i] / float64(e.steps[i])
		}
	}
	if len(ep.Examples) == 0 {
		ep.Examples = nil
	}
}
