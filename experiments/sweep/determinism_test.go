package sweep

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/results"
)

// TestSameTrialTwiceIsIdentical runs one trial of a real (tiny) sweep twice
// with GOMAXPROCS=1, from scratch each time, and requires identical
// per-epoch losses and validation metrics and identical test metrics: the
// trial's seed fully determines its run. The slice is the paper protocol
// on 80 reviews sampled from the data fixture (testdata/data/README.md; 20
// test), bag encoder, 2 epochs, all three tasks.
func TestSameTrialTwiceIsIdentical(t *testing.T) {
	dataDir, err := filepath.Abs(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(datasets.EnvDataCheck, "0") // the fixture's IMDB is small
	plan, _ := loadFake(t, `
name: determinism
seed: 3
base:
  protocol: paper
  encoder: bag
  sample: 80
  test_size: 20
  batch: 16
  max_tokens: 50
  epochs: 2
  strategy: diminish:gamma=1,eta=0.5,nu=1
`)
	if err := StampData(plan, dataDir); err != nil {
		t.Fatal(err)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var recs []*results.Record
	for range 2 {
		out := t.TempDir()
		// A new trainer each time: nothing is shared between the two runs.
		end, err := RunTrial(context.Background(), plan.Trials[0], WorkerOptions{Out: out, Train: NewTrainer(dataDir, "")})
		if err != nil || end.Outcome != OutcomeDone {
			t.Fatalf("%+v %v", end, err)
		}
		st := ReadState(out, plan.Trials[0].ID)
		r, err := results.ReadRecord(filepath.Join(st.Dir, st.Marker.Record))
		if err != nil {
			t.Fatal(err)
		}
		if r.ID != plan.Trials[0].ID {
			t.Errorf("record ID %s, want the trial's %s (stamped with the data fingerprint)", r.ID, plan.Trials[0].ID)
		}
		recs = append(recs, r)
	}
	a, b := recs[0], recs[1]
	if len(a.Epochs) != 2 || len(b.Epochs) != 2 {
		t.Fatalf("epochs: %d and %d", len(a.Epochs), len(b.Epochs))
	}
	for i := range a.Epochs {
		ea, eb := a.Epochs[i], b.Epochs[i]
		if !reflect.DeepEqual(ea.Loss, eb.Loss) || !reflect.DeepEqual(ea.Val, eb.Val) || !reflect.DeepEqual(ea.Weights, eb.Weights) || !reflect.DeepEqual(ea.Aux, eb.Aux) {
			t.Errorf("epoch %d differs:\n loss %v / %v\n val %v / %v", ea.Epoch, ea.Loss, eb.Loss, ea.Val, eb.Val)
		}
	}
	if !reflect.DeepEqual(a.Final, b.Final) {
		t.Errorf("final metrics differ: %v / %v", a.Final, b.Final)
	}
	if len(a.Epochs[0].Loss) != 3 {
		t.Errorf("epoch 1 ran %v, want all three tasks (Diminish weight e^-0.5 > 0)", a.Epochs[0].Ran)
	}
}

// fixtureDir is the module's tiny data fixture.
const fixtureDir = "../../testdata/data"

func TestStampDataPutsTheDataInTheIDs(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(fixtureDir)); err != nil {
		t.Fatal(err)
	}
	plan, _ := loadFake(t, fmt.Sprintf(fakeSweep, 1))
	before := plan.Trials[0].ID
	if err := StampData(plan, dir); err != nil {
		t.Fatal(err)
	}
	stamped := plan.Trials[0]
	if stamped.ID == before || stamped.Config.DataFingerprint == "" || stamped.ID != stamped.Config.ID() || stamped.ConfigHash != ConfigHash(stamped.Config) {
		t.Fatalf("stamped trial %s (was %s), fingerprint %q", stamped.ID, before, stamped.Config.DataFingerprint)
	}
	if err := StampData(plan, dir); err != nil || plan.Trials[0].ID != stamped.ID {
		t.Errorf("stamping twice: %s, %v; want %s", plan.Trials[0].ID, err, stamped.ID)
	}
	// Other data: a planned trial refuses it; a fresh plan gets other IDs.
	if err := os.WriteFile(filepath.Join(dir, "analogy", "questions-words.txt"), []byte(": family\nboy girl king queen\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := StampData(plan, dir); err == nil || !strings.Contains(err.Error(), "the data changed") {
		t.Errorf("stamping on changed data: %v", err)
	}
	fresh, _ := loadFake(t, fmt.Sprintf(fakeSweep, 1))
	if err := StampData(fresh, dir); err != nil || fresh.Trials[0].ID == stamped.ID {
		t.Errorf("fresh plan on changed data: %s (%v), want another ID than %s", fresh.Trials[0].ID, err, stamped.ID)
	}
}

// Stamping renames the trials, so a trial that forks from another's shared
// prefix must name its parent by the new id too (else it waits for a file
// the parent never writes and trains from scratch).
func TestStampDataRenamesPrefixParents(t *testing.T) {
	plan, _ := loadFake(t, fmt.Sprintf(tinyReal, "switch", 4, "switch:lambda=1")+`
grid:
  strategy.epoch: [1, 2, 3]
include:
  - strategy: mtl:lambda=1
`)
	if err := StampData(plan, fixtureDir); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, tr := range plan.Trials {
		ids[tr.ID] = true
	}
	forks := 0
	for _, tr := range plan.Trials {
		if tr.Parent != "" {
			forks++
			if !ids[tr.Parent] {
				t.Errorf("trial %s forks from %s, which is not a trial of the stamped plan", tr.ID, tr.Parent)
			}
		}
	}
	if forks == 0 {
		t.Fatal("no trial forks from another: the test checks nothing")
	}
}
