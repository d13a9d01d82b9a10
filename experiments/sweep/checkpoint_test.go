package sweep

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/experiments"
	"github.com/mt2st/mt2st/results"
)

// slowRealTrainer is NewTrainer on the real data; MT2ST_SWEEP_TEST_EPOCH_MS
// adds a pause after every epoch (after its checkpoint is saved), so a test
// can kill the worker in the middle of a trial.
func slowRealTrainer(dataDir, cacheDir string) (Trainer, error) {
	dir, err := datasets.ResolveDir(dataDir)
	if err != nil {
		return nil, err
	}
	train := NewTrainer(dir, cacheDir)
	ms, _ := strconv.Atoi(os.Getenv("MT2ST_SWEEP_TEST_EPOCH_MS"))
	return func(ctx context.Context, cfg experiments.Config, hooks experiments.Hooks) (*results.Record, error) {
		if inner := hooks.Epoch; ms > 0 {
			hooks.Epoch = func(e results.Epoch) {
				inner(e)
				time.Sleep(time.Duration(ms) * time.Millisecond)
			}
		}
		return train(ctx, cfg, hooks)
	}, nil
}

// realRunOptions runs this test binary as real-trainer workers with
// GOMAXPROCS=1, as the determinism test pins it.
func realRunOptions(out string, jobs int, env ...string) RunOptions {
	o := fakeRunOptions(out, jobs)
	o.WorkerEnv = append([]string{"MT2ST_SWEEP_TEST_ROLE=realworker", "GOMAXPROCS=1"}, env...)
	return o
}

func needData(t *testing.T) string {
	t.Helper()
	dir, err := datasets.ResolveDir("")
	if err != nil {
		t.Skipf("real data not found: %v", err)
	}
	return dir
}

func readDone(t *testing.T, out string, tr Trial) *results.Record {
	t.Helper()
	st := ReadState(out, tr.ID)
	if st.State != StateDone {
		t.Fatalf("trial %s: %s", tr.ID, st.State)
	}
	r, err := results.ReadRecord(filepath.Join(st.Dir, st.Marker.Record))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// sameRecord fails unless two records computed the same thing: every
// epoch (wall times aside), the final metrics and the selected epoch.
func sameRecord(t *testing.T, what string, a, b *results.Record) {
	t.Helper()
	if len(a.Epochs) != len(b.Epochs) {
		t.Fatalf("%s: %d epochs and %d", what, len(a.Epochs), len(b.Epochs))
	}
	for i := range a.Epochs {
		ea, eb := a.Epochs[i], b.Epochs[i]
		ea.Seconds, ea.CumSeconds, eb.Seconds, eb.CumSeconds = 0, 0, 0, 0
		if !reflect.DeepEqual(ea, eb) {
			t.Errorf("%s: epoch %d differs:\n %+v\n %+v", what, ea.Epoch, ea, eb)
		}
	}
	if !reflect.DeepEqual(a.Final, b.Final) {
		t.Errorf("%s: final metrics differ:\n %v\n %v", what, a.Final, b.Final)
	}
	if fmt.Sprint(a.Config["selected_epoch"]) != fmt.Sprint(b.Config["selected_epoch"]) {
		t.Errorf("%s: selected epoch %v and %v", what, a.Config["selected_epoch"], b.Config["selected_epoch"])
	}
}

// tinyReal is the determinism test's slice of the paper protocol (80
// sampled reviews, bag encoder, all three tasks) with more epochs.
const tinyReal = `
name: %s
seed: 3
base:
  protocol: paper
  encoder: bag
  sample: 80
  test_size: 20
  batch: 16
  max_tokens: 50
  epochs: %d
  strategy: %s
`

// TestKilledTrialResumesFromCheckpoint kills the worker running a trial
// with SIGKILL after its third epoch (checkpoint_every 1), reruns the
// sweep, and requires that the rerun trains only the remaining epochs and
// writes the record an uninterrupted run writes.
func TestKilledTrialResumesFromCheckpoint(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("SIGKILL of a worker is tested on Linux")
	}
	dataDir := needData(t)
	plan, _ := loadFake(t, fmt.Sprintf(tinyReal, "killed", 6, "switch:epoch=4,lambda=1")+"  checkpoint_every: \"1\"\n")
	if err := StampData(plan, dataDir); err != nil { // the ids the runner will use
		t.Fatal(err)
	}
	tr := plan.Trials[0]
	out := t.TempDir()

	done := make(chan *Summary, 1)
	go func() {
		sum, _ := Run(context.Background(), plan, realRunOptions(out, 1, "MT2ST_SWEEP_TEST_EPOCH_MS=400"))
		done <- sum
	}()
	var prog Progress
	deadline := time.Now().Add(60 * time.Second)
	for {
		b, err := os.ReadFile(filepath.Join(TrialDir(out, tr.ID), ProgressFile))
		if err == nil && json.Unmarshal(b, &prog) == nil && prog.Epoch >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the trial did not reach epoch 3: %v", states(out, plan))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := syscall.Kill(prog.PID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	sum := <-done
	if sum == nil || sum.Crashed != 1 {
		t.Fatalf("first run: %+v, want the trial crashed", sum)
	}
	ckpts, _ := filepath.Glob(filepath.Join(TrialDir(out, tr.ID), CheckpointsDir, "*.ckpt"))
	if len(ckpts) != 1 {
		t.Fatalf("checkpoints after the kill: %v", ckpts)
	}

	sum, err := Run(context.Background(), plan, realRunOptions(out, 1))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Done != 1 || sum.EpochsTrained >= 6 || sum.EpochsTrained < 1 {
		t.Errorf("rerun: %+v, want the trial done training fewer than its 6 epochs", sum)
	}
	got := readDone(t, out, tr)
	if r := got.Resumed; r == nil || r.From != "own" || r.Epoch != 6-sum.EpochsTrained {
		t.Errorf("record says resumed %+v after training %d epochs", r, sum.EpochsTrained)
	}
	if _, err := os.Stat(filepath.Join(TrialDir(out, tr.ID), CheckpointsDir)); !os.IsNotExist(err) {
		t.Errorf("the finished trial kept its checkpoints: %v", err)
	}

	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	ref := t.TempDir()
	if end, err := RunTrial(context.Background(), tr, WorkerOptions{Out: ref, Train: NewTrainer(dataDir, "")}); err != nil || end.Outcome != OutcomeDone {
		t.Fatalf("%+v %v", end, err)
	}
	sameRecord(t, "resumed against uninterrupted", readDone(t, ref, tr), got)
}

// TestSwitchEpochSweepSharesPrefixes runs a Switch-epoch sweep (T = 1, 2,
// 3 of 4 epochs, and MTL with the same λ) with and without prefix sharing:
// with it, MTL trains its 4 epochs and each Switch trial only the epochs
// after its T (4 + 3 + 2 + 1 = 10 instead of 16), and every trial's record
// must be the same as without.
func TestSwitchEpochSweepSharesPrefixes(t *testing.T) {
	dataDir := needData(t)
	plan, _ := loadFake(t, fmt.Sprintf(tinyReal, "switch", 4, "switch:lambda=1")+`
grid:
  strategy.epoch: [1, 2, 3]
include:
  - strategy: mtl:lambda=1
`)
	if err := StampData(plan, dataDir); err != nil { // the ids the runner will use
		t.Fatal(err)
	}
	if plan.EpochsPlanned != 16 || plan.EpochsToTrain != 10 {
		t.Fatalf("plan: %d epochs planned, %d to train; want 16 and 10", plan.EpochsPlanned, plan.EpochsToTrain)
	}
	shared, plain := t.TempDir(), t.TempDir()
	sum, err := Run(context.Background(), plan, realRunOptions(shared, 2))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Done != 4 || sum.EpochsTrained != 10 {
		t.Errorf("with sharing: %+v, want 4 trials done in 10 epochs", sum)
	}
	if _, err := os.Stat(filepath.Join(shared, PrefixDir)); !os.IsNotExist(err) {
		t.Errorf("the fork points outlived the finished sweep: %v", err)
	}
	opts := realRunOptions(plain, 2)
	opts.NoPrefixSharing = true
	sum, err = Run(context.Background(), plan, opts)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Done != 4 || sum.EpochsTrained != 16 {
		t.Errorf("without sharing: %+v, want 4 trials done in 16 epochs", sum)
	}
	for _, tr := range plan.Trials {
		a, b := readDone(t, plain, tr), readDone(t, shared, tr)
		if tr.Parent != "" && b.Resumed == nil {
			t.Errorf("%s did not start from %s's epoch %d", tr.Label, tr.Parent, tr.ForkEpoch)
		}
		sameRecord(t, tr.Label, a, b)
	}
}
