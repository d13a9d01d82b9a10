package sweep

import (
	"slices"
	"testing"

	"github.com/mt2st/mt2st/experiments"
	"github.com/mt2st/mt2st/strategies"
)

// TestSharePrefixesOfASwitchEpochSweep plans the committed study's shape
// (Switch at T = 1, 2, 4, 6 of 8 epochs, STL, MTL with Switch's λ, and a
// Diminish) over 2 replicates. The Switch and MTL trials of a replicate
// form one tree: each forks, at the epochs it shares with its parent, from
// a parent of its replicate that trains that epoch itself (the tree is
// rooted at the first trial in plan order, and any maximum spanning tree
// saves the same); STL and Diminish share nothing, and replicates never
// share (different seeds). Per replicate 8·7 = 56 epochs are planned and
// 43 trained: the Switch/MTL tree trains 8 + 7 + 6 + 4 + 2 = 27 (its
// root's 8, then 8 minus each fork point 1, 2, 4 and 6: the prefixes the
// five trials share), plus STL's and Diminish's 8 each.
func TestSharePrefixesOfASwitchEpochSweep(t *testing.T) {
	plan, _ := loadFake(t, `
name: share
replicates: 2
base:
  protocol: paper
  encoder: bag
  epochs: 8
  strategy: switch:lambda=1
grid:
  strategy.epoch: [1, 2, 4, 6]
include:
  - strategy: stl
  - strategy: mtl:lambda=1
  - strategy: diminish:gamma=1,eta=0.3,nu=1
`)
	if plan.EpochsPlanned != 2*56 || plan.EpochsToTrain != 2*43 {
		t.Errorf("epochs planned %d, to train %d; want %d and %d", plan.EpochsPlanned, plan.EpochsToTrain, 2*56, 2*43)
	}
	byID := map[string]Trial{}
	for _, tr := range plan.Trials {
		byID[tr.ID] = tr
	}
	children := map[string]int{}
	for _, tr := range plan.Trials {
		if tr.Parent == "" {
			continue
		}
		children[tr.Parent]++
		p, ok := byID[tr.Parent]
		switch {
		case !ok || p.Replicate != tr.Replicate:
			t.Errorf("%s rep %d: parent %q is not of its replicate", tr.Label, tr.Replicate, tr.Parent)
		case tr.ForkEpoch < 1 || tr.ForkEpoch != SharedPrefix(p.Config, tr.Config):
			t.Errorf("%s forks from %s at epoch %d; they share %d", tr.Label, p.Label, tr.ForkEpoch, SharedPrefix(p.Config, tr.Config))
		case !slices.Contains(p.SaveAt, tr.ForkEpoch) || p.ForkEpoch >= tr.ForkEpoch:
			t.Errorf("%s forks at %d from %s, which saves at %v and starts after epoch %d", tr.Label, tr.ForkEpoch, p.Label, p.SaveAt, p.ForkEpoch)
		}
	}
	for _, tr := range plan.Trials {
		s := tr.Config.Strategy
		if (s.Is("stl") || s.Is("diminish")) && (tr.Parent != "" || children[tr.ID] > 0) {
			t.Errorf("%s shares a prefix (parent %q, %d children)", tr.Label, tr.Parent, children[tr.ID])
		}
	}
	Unshare(plan)
	if plan.EpochsToTrain != plan.EpochsPlanned || plan.Trials[0].SaveAt != nil {
		t.Errorf("after Unshare: %d of %d epochs to train", plan.EpochsToTrain, plan.EpochsPlanned)
	}
}

func TestSharedPrefix(t *testing.T) {
	c, err := experiments.Defaults("paper")
	if err != nil {
		t.Fatal(err)
	}
	with := func(spec string) experiments.Config {
		x := c.Canonical()
		x.Strategy = strategies.MustParseSpec(spec)
		return x
	}
	other := with("mtl:lambda=1")
	other.LR = 2e-3
	seeded := with("mtl:lambda=1")
	seeded.Seed++
	for _, tc := range []struct {
		a, b experiments.Config
		want int
	}{
		{with("switch:epoch=15,lambda=1"), with("mtl:lambda=1"), 15},
		{with("switch:epoch=15,lambda=1"), with("switch:epoch=10,lambda=1"), 10},
		{with("switch:epoch=15,lambda=0.5"), with("mtl:lambda=1"), 0},
		{with("switch:epoch=30,lambda=1"), with("mtl:lambda=1"), 25}, // every epoch of the run
		{with("diminish:gamma=1,eta=0.3,nu=1"), with("mtl:lambda=1"), 0},
		{with("stl"), with("switch:epoch=15,lambda=1"), 0},
		{with("switch:epoch=15,lambda=1"), other, 0},  // another learning rate
		{with("switch:epoch=15,lambda=1"), seeded, 0}, // another seed
	} {
		if got := SharedPrefix(tc.a, tc.b); got != tc.want {
			t.Errorf("SharedPrefix(%s, %s) = %d, want %d", tc.a.Strategy, tc.b.Strategy, got, tc.want)
		}
	}
}
