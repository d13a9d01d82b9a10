package sweep

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden_ids.txt")

// TestGoldenTrialIDs pins the trial ids (configuration hash and derived
// seed) of testdata/golden.yaml. A failure means every existing sweep
// directory would rerun from scratch: if that is intended (say, a new
// Config field without omitempty), regenerate with -update.
func TestGoldenTrialIDs(t *testing.T) {
	plan, err := Load(filepath.Join("testdata", "golden.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tr := range plan.Trials {
		got = append(got, tr.ID+" "+tr.Label)
	}
	path := filepath.Join("testdata", "golden_ids.txt")
	if *update {
		if err := os.WriteFile(path, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(strings.TrimSpace(string(b)), "\n")
	if !slices.Equal(got, want) {
		t.Errorf("trial ids changed:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

func TestExpandGridZipIncludeReplicates(t *testing.T) {
	plan, err := Load(filepath.Join("testdata", "golden.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// grid 2 (eta) × 2 (lr) × zip 2 (nu with max_tokens) = 8, plus 2
	// include entries = 10 configurations, × replicates [1, 2].
	if plan.Configurations != 10 || len(plan.Trials) != 20 {
		t.Fatalf("%d configurations, %d trials; want 10 and 20", plan.Configurations, len(plan.Trials))
	}
	first := plan.Trials[0].Config
	if first.Strategy.String() != "diminish:gamma=1,eta=0.1,nu=1" || first.LR != 0.001 || first.MaxTokens != 50 ||
		first.Settings["sentiment.hidden"] != "64" || first.Epochs != 3 || first.Batch != 16 || first.Encoder != "bag" {
		t.Errorf("first trial = %+v", first)
	}
	// The paper protocol's defaults fill what the file does not set.
	if first.Sample != 1000 || first.TestSize != 250 || first.Dim != 100 {
		t.Errorf("protocol defaults not applied: sample %d, test %d, dim %d", first.Sample, first.TestSize, first.Dim)
	}
	// Zipped: nu=2 goes with max_tokens=100.
	if c := plan.Trials[1].Config; c.Strategy.String() != "diminish:gamma=1,eta=0.1,nu=2" || c.MaxTokens != 100 {
		t.Errorf("second trial = %s, max_tokens %d; want nu=2 zipped with 100", c.Strategy, c.MaxTokens)
	}
	sw := plan.Trials[9]
	// Labels show what varies across the sweep: the include entries ran
	// with the base's lr and the protocol's max_tokens, which the grid and
	// the zip vary; Switch's epoch and lambda take one value in the sweep.
	if sw.Config.Strategy.String() != "switch:epoch=2,lambda=0.5" || sw.Label != "MT2ST-Switch lr=0.001 max_tokens=100" {
		t.Errorf("include entry = %s labelled %q", sw.Config.Strategy, sw.Label)
	}
	if plan.Trials[8].Label != "STL lr=0.001 max_tokens=100" || plan.Trials[8].Config.Strategy.String() != "stl" {
		t.Errorf("stl include = %q %s", plan.Trials[8].Label, plan.Trials[8].Config.Strategy)
	}
	if got := plan.Trials[3].Label; got != "MT2ST-Diminish eta=0.1 lr=0.01 nu=2 max_tokens=100" {
		t.Errorf("label = %q", got)
	}
	// Replicate-major order: trials 0..9 are replicate 1, 10..19 replicate 2,
	// each the same configurations with another seed, in an order rotated
	// by one (trial 10 is configuration 1's second replicate).
	for i, tr := range plan.Trials {
		if tr.Index != i || tr.Replicate != 1+i/10 {
			t.Fatalf("trial %d: index %d replicate %d", i, tr.Index, tr.Replicate)
		}
		twin := plan.Trials[10+(i+9)%10]
		if i >= 10 {
			twin = plan.Trials[(i-10+1)%10]
		}
		if tr.ConfigHash != twin.ConfigHash || tr.Config.Seed == twin.Config.Seed || tr.ID == twin.ID {
			t.Errorf("trial %d and %d: same configuration must share the hash and differ in seed and id", i, twin.Index)
		}
		if tr.ID != tr.Config.ID() || tr.ConfigHash != ConfigHash(tr.Config) {
			t.Errorf("trial %d: id/hash do not match the configuration", i)
		}
	}
	if want := []string{"strategy.eta", "lr", "strategy.nu", "max_tokens", "strategy"}; !slices.Equal(plan.Swept, want) {
		t.Errorf("swept = %v, want %v", plan.Swept, want)
	}
}

func TestExpandIsStable(t *testing.T) {
	// The same file read twice, and the base's settings map in another
	// order, give the same trials.
	a, err := Load(filepath.Join("testdata", "golden.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	src := "name: s\nseed: 42\nbase:\n  protocol: imdb\n  similarity.train_fraction: 0.7\n  sentiment.hidden: 64\n  epochs: 2\n"
	swapped := "name: s\nseed: 42\nbase:\n  sentiment.hidden: 64\n  epochs: 2\n  protocol: imdb\n  similarity.train_fraction: 0.70\n"
	var ids []string
	for _, s := range []string{src, swapped} {
		f, err := ParseBytes("s.yaml", []byte(s))
		if err != nil {
			t.Fatal(err)
		}
		p, err := Expand(f)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.Trials[0].ID)
	}
	if ids[0] != ids[1] {
		t.Errorf("reordered file gives %s and %s", ids[0], ids[1])
	}
	b, err := Load(filepath.Join("testdata", "golden.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Trials {
		if a.Trials[i].ID != b.Trials[i].ID {
			t.Fatalf("trial %d: %s then %s", i, a.Trials[i].ID, b.Trials[i].ID)
		}
	}
}

func TestDeriveSeed(t *testing.T) {
	seen := map[int64]bool{}
	for r := 1; r <= 100; r++ {
		s := DeriveSeed(SeedsPerConfiguration, 1, "abcdef012345", r)
		if s < 1 || s >= 1<<31 || seen[s] {
			t.Fatalf("replicate %d: seed %d out of range or repeated", r, s)
		}
		seen[s] = true
	}
	if DeriveSeed(SeedsPerConfiguration, 1, "abcdef012345", 1) == DeriveSeed(SeedsPerConfiguration, 2, "abcdef012345", 1) ||
		DeriveSeed(SeedsPerConfiguration, 1, "abcdef012345", 1) == DeriveSeed(SeedsPerConfiguration, 1, "abcdef012346", 1) {
		t.Error("per-configuration seeds must depend on the sweep seed and the configuration")
	}
	// Paired seeds: the same for every configuration, different per
	// replicate and sweep seed.
	if DeriveSeed(SeedsPaired, 1, "abcdef012345", 1) != DeriveSeed(SeedsPaired, 1, "abcdef012346", 1) ||
		DeriveSeed(SeedsPaired, 1, "x", 1) == DeriveSeed(SeedsPaired, 1, "x", 2) ||
		DeriveSeed(SeedsPaired, 1, "x", 1) == DeriveSeed(SeedsPaired, 2, "x", 1) {
		t.Error("paired seeds must depend on the sweep seed and the replicate only")
	}
	if DeriveSeed(SeedsReplicate, 9, "x", 4) != 4 {
		t.Error("replicate seeds must equal the replicate index")
	}
	// Adding replicates later does not change the earlier ones: the seed
	// depends on the replicate index only, not on the list it is in.
	f1, _ := ParseBytes("s.yaml", []byte("base:\n  protocol: paper\nreplicates: 2\n"))
	f2, _ := ParseBytes("s.yaml", []byte("base:\n  protocol: paper\nreplicates: [2, 3]\n"))
	p1, err1 := Expand(f1)
	p2, err2 := Expand(f2)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if p1.Trials[1].ID != p2.Trials[0].ID {
		t.Errorf("replicate 2 is %s in one file and %s in the other", p1.Trials[1].ID, p2.Trials[0].ID)
	}
}

// TestCommittedSweeps loads every sweep file in experiments/studies: each
// must expand and carry the STL and MTL baselines the report compares
// against, with replicates.
func TestCommittedSweeps(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "studies", "*.yaml"))
	if err != nil || len(files) < 2 {
		t.Fatalf("sweep files: %v %v", files, err)
	}
	for _, path := range files {
		plan, err := Load(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		var stl, mtl bool
		for _, tr := range plan.Trials {
			c := tr.Config
			stl = stl || c.Strategy.Is("stl")
			mtl = mtl || c.Strategy.Is("mtl")
		}
		if !stl || !mtl || len(plan.Replicates) < 2 {
			t.Errorf("%s: STL %v, MTL %v, %d replicates; want both baselines and >= 2 replicates", path, stl, mtl, len(plan.Replicates))
		}
	}
}

// planLabels expands a sweep file and returns its trials' labels.
func planLabels(t *testing.T, file string) []string {
	t.Helper()
	f, err := ParseBytes("s.yaml", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Expand(f)
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, tr := range p.Trials {
		labels = append(labels, tr.Label)
	}
	return labels
}

func TestLabelsOnlyShowWhatVaries(t *testing.T) {
	labels := planLabels(t, `
base: {protocol: imdb, strategy: "mtl:lambda=1", epochs: 2}
include:
  - {strategy: stl}
  - {strategy: "mtl:lambda=0.5"}
  - {}
`)
	if want := []string{"STL", "MTL lambda=0.5", "MTL lambda=1"}; !slices.Equal(labels, want) {
		t.Errorf("labels = %q, want %q", labels, want)
	}
}

// An option that differs only between task lists (an include training the
// auxiliary task alone resets its step budget) is no part of the labels:
// the setting tells those configurations apart.
func TestLabelsIgnoreOptionsThatDifferOnlyWithTheTasks(t *testing.T) {
	labels := planLabels(t, `
base: {protocol: imdb, tasks: [sentiment, skipgram], skipgram.steps_per_step: 3, strategy: stl, epochs: 2}
include:
  - {strategy: stl}
  - {strategy: "mtl:lambda=1"}
  - {tasks: [skipgram], skipgram.steps_per_step: 1, skipgram.steps: 9}
`)
	if want := []string{"STL", "MTL", "STL"}; !slices.Equal(labels, want) {
		t.Errorf("labels = %q, want %q", labels, want)
	}
}
