package sweep

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/mt2st/mt2st/experiments"
	"github.com/mt2st/mt2st/strategies"
)

// PrefixDir holds the shared-prefix checkpoints of a sweep's output
// directory: OUT/prefix/<trial id>-e<epoch>.ckpt, the state of a trial
// after an epoch at which other trials fork from it. Run removes it once
// every trial of the plan is finished.
const PrefixDir = "prefix"

// PrefixFile is where trial id saves its state after epoch for the trials
// that fork from it.
func PrefixFile(out, id string, epoch int) string {
	return filepath.Join(out, PrefixDir, fmt.Sprintf("%s-e%04d.ckpt", id, epoch))
}

// SharedPrefix returns how many leading epochs two configurations train
// identically: 0 unless they are the same configuration apart from the
// strategy (seed included); otherwise the number of epochs from 1 at
// which both strategies give every auxiliary task exactly the same
// weight. Weights are computed with an empty history: a strategy that
// looks at validation accuracy may differ in practice, which the run
// itself detects (experiments.WeightsAgree on the real history) before
// it uses a shared checkpoint, training from scratch when they differ.
func SharedPrefix(a, b experiments.Config) int {
	if experiments.PrefixIdentity(a) != experiments.PrefixIdentity(b) || a.Strategy.IsAdaptive() || b.Strategy.IsAdaptive() {
		return 0 // adaptive weights depend on the run, and checkpoints do not hold their state
	}
	aux := a.Tasks[min(1, len(a.Tasks)):]
	k := 0
	for e := 1; e <= a.Epochs; e++ {
		wa := a.Strategy.Weights(e, aux, strategies.History{})
		wb := b.Strategy.Weights(e, aux, strategies.History{})
		if !maps.Equal(wa, wb) {
			break
		}
		k = e
	}
	return k
}

// SharePrefixes sets each trial's Parent, ForkEpoch and SaveAt so that
// epochs trials share are trained once: within each group of trials that
// differ only in the strategy, a maximum spanning tree over SharedPrefix
// (Prim's, from the group's first trial in plan order). A trial is
// attached to the tree member it shares the most epochs with among those
// that train that epoch themselves (share more epochs than their own fork
// epoch), so every fork point is a state some trial reaches by training.
// It also sets the plan's epoch counts. Trials with nothing to share keep
// empty fields.
func SharePrefixes(p *Plan) {
	groups := map[string][]int{}
	var order []string
	p.EpochsPlanned, p.EpochsToTrain = 0, 0
	for i := range p.Trials {
		t := &p.Trials[i]
		t.Parent, t.ForkEpoch, t.SaveAt = "", 0, nil
		p.EpochsPlanned += t.Config.Epochs
		key := experiments.PrefixIdentity(t.Config)
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], i)
	}
	for _, key := range order {
		members := groups[key]
		if len(members) < 2 {
			continue
		}
		n := len(members)
		// Each trial's weights per epoch, computed once (a large grid has
		// many pairs); compared as SharedPrefix compares them.
		seqs := make([][]map[string]float64, n)
		for a, i := range members {
			c := p.Trials[i].Config
			aux := c.Tasks[min(1, len(c.Tasks)):]
			for e := 1; e <= c.Epochs; e++ {
				seqs[a] = append(seqs[a], c.Strategy.Weights(e, aux, strategies.History{}))
			}
		}
		shared := make([][]int, n)
		for a := range n {
			shared[a] = make([]int, n)
			for b := range a {
				k := 0
				for k < len(seqs[a]) && k < len(seqs[b]) && maps.Equal(seqs[a][k], seqs[b][k]) {
					k++
				}
				shared[a][b], shared[b][a] = k, k
			}
		}
		inTree := []int{0} // positions in members, in insertion order
		fork := make([]int, n)
		left := make([]bool, n)
		for i := 1; i < n; i++ {
			left[i] = true
		}
		for len(inTree) < n {
			bestB, bestA, bestK := -1, -1, -1
			for b := range n {
				if !left[b] {
					continue
				}
				for _, a := range inTree {
					if k := shared[a][b]; k > fork[a] && k > bestK {
						bestB, bestA, bestK = b, a, k
					}
				}
				if bestB == -1 { // shares nothing with the tree (yet): a candidate root
					bestB, bestK = b, 0
				}
			}
			left[bestB] = false
			inTree = append(inTree, bestB)
			if bestK <= 0 || bestA < 0 {
				continue // a new root: trains from epoch 1
			}
			fork[bestB] = bestK
			child, parent := &p.Trials[members[bestB]], &p.Trials[members[bestA]]
			child.Parent, child.ForkEpoch = parent.ID, bestK
			if !slices.Contains(parent.SaveAt, bestK) {
				parent.SaveAt = append(parent.SaveAt, bestK)
				slices.Sort(parent.SaveAt)
			}
		}
	}
	for _, t := range p.Trials {
		p.EpochsToTrain += t.Config.Epochs - t.ForkEpoch
	}
}

// Unshare clears what SharePrefixes set: every trial trains from epoch 1.
func Unshare(p *Plan) {
	for i := range p.Trials {
		t := &p.Trials[i]
		t.Parent, t.ForkEpoch, t.SaveAt = "", 0, nil
	}
	p.EpochsToTrain = p.EpochsPlanned
}

// checkpointsFor says where a trial's run keeps and finds checkpoints: its
// own under its directory (when its configuration's checkpoint_every asks
// for them), the fork points it saves for other trials, and the fork point
// it starts from.
func checkpointsFor(out string, t Trial) *experiments.Checkpoints {
	if t.Config.CheckpointEvery == "" && len(t.SaveAt) == 0 && t.Parent == "" {
		return nil
	}
	ck := &experiments.Checkpoints{}
	if t.Config.CheckpointEvery != "" {
		ck.Dir = filepath.Join(TrialDir(out, t.ID), CheckpointsDir)
	}
	for _, e := range t.SaveAt {
		if ck.Shared == nil {
			ck.Shared = map[int]string{}
		}
		ck.Shared[e] = PrefixFile(out, t.ID, e)
	}
	if t.Parent != "" {
		ck.From = []string{PrefixFile(out, t.Parent, t.ForkEpoch)}
	}
	return ck
}

// CheckpointsDir is the directory of a trial's own checkpoints, inside its
// trial directory; removed when the trial is done.
const CheckpointsDir = "checkpoints"

// prepareSharing applies the run options to a copy of the plan: the
// checkpoint_every override, and no prefix sharing when asked.
func prepareSharing(plan *Plan, opts RunOptions) *Plan {
	cp := *plan
	cp.Trials = slices.Clone(plan.Trials)
	for i := range cp.Trials {
		if opts.CheckpointEvery != "" {
			cp.Trials[i].Config.CheckpointEvery = opts.CheckpointEvery
		}
		cp.Trials[i].SaveAt = slices.Clone(cp.Trials[i].SaveAt)
	}
	if opts.NoPrefixSharing {
		Unshare(&cp)
	}
	return &cp
}

// ready reports whether queued trial i may start now: it shares no prefix,
// its fork point is saved, or the trial that would save it is neither
// queued nor running in this run (then it trains from epoch 1).
func (r *runner) ready(i int) bool {
	t := r.plan.Trials[i]
	if t.Parent == "" {
		return true
	}
	if _, err := os.Stat(PrefixFile(r.opts.Out, t.Parent, t.ForkEpoch)); err == nil {
		return true
	}
	parent := slices.IndexFunc(r.plan.Trials, func(x Trial) bool { return x.ID == t.Parent })
	if parent < 0 {
		return true
	}
	if slices.Contains(r.queue, parent) {
		return false
	}
	for _, p := range r.slots {
		if p != nil && p.alive && p.trial == parent {
			return false
		}
	}
	return true
}

// wake dispatches to the workers waiting for a shared prefix.
func (r *runner) wake() {
	for _, p := range r.slots {
		if p != nil && p.alive && p.waiting {
			r.dispatch(p)
		}
	}
}

// EpochsLine says how many epochs a plan trains with and without prefix
// sharing, for `sweep plan`.
func EpochsLine(p *Plan) string {
	saved := p.EpochsPlanned - p.EpochsToTrain
	if p.EpochsPlanned == 0 || saved == 0 {
		return fmt.Sprintf("%d epochs planned; no trials share a prefix", p.EpochsPlanned)
	}
	return fmt.Sprintf("%d epochs planned, %d to train: trials that share their first epochs train them once (%d epochs, %.0f%%, saved; --no-share trains all)",
		p.EpochsPlanned, p.EpochsToTrain, saved, 100*float64(saved)/float64(p.EpochsPlanned))
}
