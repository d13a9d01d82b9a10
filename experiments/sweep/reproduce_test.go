package sweep

import (
	"strings"
	"testing"

	"github.com/mt2st/mt2st/options"
	"github.com/mt2st/mt2st/strategies"
)

func paperSpecs(t *testing.T) []strategies.Spec {
	t.Helper()
	var out []strategies.Spec
	for _, s := range PaperStrategies {
		out = append(out, strategies.MustParseSpec(s))
	}
	return out
}

// The matrix: STL on setting 0, then 4 strategies × settings 1–3, each with
// seeds 1..2 (replicate r runs with seed r, as train --seed r would).
func TestReproduceMatrix(t *testing.T) {
	f, err := Reproduce{Base: []options.Assignment{{Key: "encoder", Value: "bag"}}, Seeds: 2, Strategies: paperSpecs(t)}.File()
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Expand(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Trials) != (1+4*3)*2 {
		t.Fatalf("%d trials, want 26", len(plan.Trials))
	}
	seen := map[string]bool{}
	for _, tr := range plan.Trials {
		if seen[tr.ID] {
			t.Errorf("duplicate trial %s", tr.ID)
		}
		seen[tr.ID] = true
		if tr.Config.Seed != int64(tr.Replicate) || tr.Config.Encoder != "bag" {
			t.Errorf("trial %s: seed %d for replicate %d, encoder %s", tr.ID, tr.Config.Seed, tr.Replicate, tr.Config.Encoder)
		}
	}
}

// The default Diminish must stop its heads inside the run, as Switch does:
// under the skip threshold from epoch 16 of 25 (and at the same fraction of
// a 10-epoch run), not before.
func TestDefaultDiminishStopsInsideTheRun(t *testing.T) {
	for _, epochs := range []int{25, 10} {
		s, err := scaleToRun(strategies.MustParseSpec(PaperStrategies[1]), epochs)
		if err != nil {
			t.Fatal(err)
		}
		first := 0
		for e := 1; e <= epochs; e++ {
			if !strategies.Runs(s.Weights(e, []string{"a"}, strategies.History{})["a"], 1e-4) {
				first = e
				break
			}
		}
		if want := epochs*3/5 + 1; first != want {
			t.Errorf("%d epochs (%s): heads stop at epoch %d, want %d", epochs, s, first, want)
		}
	}
}

func TestReproduceRejectsWhatItSetsItself(t *testing.T) {
	for _, k := range []string{"tasks", "strategy", "seed"} {
		_, err := Reproduce{Base: []options.Assignment{{Key: k, Value: "1"}}, Seeds: 1, Strategies: paperSpecs(t)}.File()
		if err == nil {
			t.Errorf("%s accepted", k)
		}
	}
}

// With VaryData each replicate has its own data and split seeds, shared by
// every configuration of that replicate (so Δ vs STL stays paired).
func TestReproduceVaryData(t *testing.T) {
	f, err := Reproduce{Base: []options.Assignment{{Key: "data_seed", Value: "10"}}, Seeds: 3, Strategies: paperSpecs(t), VaryData: true}.File()
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Expand(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range plan.Trials {
		want := int64(10 + tr.Replicate - 1)
		if tr.Config.DataSeed != want || tr.Config.SplitSeed != int64(tr.Replicate-1) {
			t.Errorf("replicate %d: data seed %d, split seed %d; want %d, %d", tr.Replicate, tr.Config.DataSeed, tr.Config.SplitSeed, want, tr.Replicate-1)
		}
	}
}

// Stamping the data keeps the replicates of one configuration in one group
// under VaryData: their ConfigHash leaves out the replicate's own data and
// split seeds, as Expand's does, while their IDs differ.
func TestStampDataKeepsVaryDataReplicatesTogether(t *testing.T) {
	f, err := Reproduce{Base: []options.Assignment{{Key: "data_seed", Value: "10"}}, Seeds: 3, Strategies: paperSpecs(t), VaryData: true}.File()
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Expand(f)
	if err != nil {
		t.Fatal(err)
	}
	before := map[string]string{}
	for _, tr := range plan.Trials {
		before[tr.ID] = tr.ConfigHash
	}
	if err := StampData(plan, fixtureDir); err != nil {
		t.Fatal(err)
	}
	hashes := map[string]map[string]bool{} // label → hashes
	ids := map[string]bool{}
	for _, tr := range plan.Trials {
		if hashes[tr.Label+strings.Join(tr.Config.Tasks, ",")] == nil {
			hashes[tr.Label+strings.Join(tr.Config.Tasks, ",")] = map[string]bool{}
		}
		hashes[tr.Label+strings.Join(tr.Config.Tasks, ",")][tr.ConfigHash] = true
		ids[tr.ID] = true
	}
	for l, hs := range hashes {
		if len(hs) != 1 {
			t.Errorf("%s: %d configuration hashes over its replicates, want 1", l, len(hs))
		}
	}
	if len(ids) != len(plan.Trials) {
		t.Errorf("%d distinct IDs for %d trials", len(ids), len(plan.Trials))
	}
}
