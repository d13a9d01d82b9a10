package sweep

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/mt2st/mt2st/experiments"
	"github.com/mt2st/mt2st/options"
	"github.com/mt2st/mt2st/results"
	"github.com/mt2st/mt2st/tasks"
)

// The process tests run this test binary itself as the sweep's worker
// processes (and, for the SIGKILL test, as the runner), with a fake trainer
// instead of Gorgonia, so they need no data and take seconds:
//
//	MT2ST_SWEEP_TEST_ROLE=worker  serve trials like "mt2st sweep _worker"
//	MT2ST_SWEEP_TEST_ROLE=runner  run the sweep file $MT2ST_SWEEP_TEST_FILE
//	                              into $MT2ST_SWEEP_TEST_OUT with -j 2
//
// MT2ST_SWEEP_TEST_EPOCH_MS slows every fake epoch down, so a test can stop
// a sweep in the middle of a trial.
func TestMain(m *testing.M) {
	switch os.Getenv("MT2ST_SWEEP_TEST_ROLE") {
	case "worker":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := ServeMain(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, fakeTrainer)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, "fake worker:", err)
			os.Exit(1)
		}
		os.Exit(0)
	case "realworker": // the real trainer, for the checkpoint tests (checkpoint_test.go)
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := ServeMain(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, slowRealTrainer)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, "real worker:", err)
			os.Exit(1)
		}
		os.Exit(0)
	case "runner":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		plan, err := Load(os.Getenv("MT2ST_SWEEP_TEST_FILE"))
		if err == nil {
			_, err = Run(ctx, plan, fakeRunOptions(os.Getenv("MT2ST_SWEEP_TEST_OUT"), 2))
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "fake runner:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// fakeRunOptions runs workers as this test binary in the worker role.
func fakeRunOptions(out string, jobs int) RunOptions {
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	return RunOptions{Out: out, Jobs: jobs, Worker: []string{exe}, WorkerEnv: []string{"MT2ST_SWEEP_TEST_ROLE=worker"}, Grace: 10 * time.Second}
}

func init() {
	// The fake trainer's knobs, declared like a task's options so sweep
	// files may set them.
	tasks.DeclareOptions("fake",
		tasks.Option{Key: "secs", Kind: options.Float, Help: "recorded training seconds per epoch"},
		tasks.Option{Key: "acc", Kind: options.Float, Help: "test accuracy of replicate 1"},
		tasks.Option{Key: "mode", Kind: options.String, Help: "panic or fail"},
	)
}

// fakeTrainer trains nothing; its records carry only the hooks' worker
// count as their machine. Epoch e has validation accuracy 0.5 + 0.1·e
// and takes fake.secs (default 1) recorded training seconds; the
// test accuracy is fake.acc (default 0.8) + 0.02·(replicate − 1),
// the replicate looked up from the seed in fakeReplicate. The setting
// fake.mode = "panic" crashes the worker after the first epoch; "fail"
// ends the run with an error after its epochs, as a NaN loss does.
func fakeTrainer(dataDir, cacheDir string) (Trainer, error) {
	delay := time.Duration(0)
	if ms, err := strconv.Atoi(os.Getenv("MT2ST_SWEEP_TEST_EPOCH_MS")); err == nil {
		delay = time.Duration(ms) * time.Millisecond
	}
	return func(ctx context.Context, cfg experiments.Config, hooks experiments.Hooks) (*results.Record, error) {
		setting := func(key string, def float64) float64 {
			if v, err := strconv.ParseFloat(cfg.Settings["fake."+key], 64); err == nil {
				return v
			}
			return def
		}
		rec := &results.Record{Schema: results.SchemaVersion, ID: cfg.ID(), Strategy: cfg.Strategy,
			Setting: experiments.SettingLabel(cfg.Tasks), Tasks: cfg.Tasks, Seed: cfg.Seed, Config: cfg.AsMap(),
			Started: time.Now().UTC(), Status: results.StatusFailed, Machine: &results.Machine{Workers: hooks.Workers}}
		secs := setting("secs", 1)
		for e := 1; e <= cfg.Epochs; e++ {
			select {
			case <-ctx.Done():
				return rec, fmt.Errorf("stopped in epoch %d: %w", e, ctx.Err())
			case <-time.After(delay):
			}
			ep := results.Epoch{Epoch: e, Weights: map[string]float64{"sentiment": 1}, Ran: []string{"sentiment"},
				Loss: map[string]float64{"sentiment": 1 / float64(e)}, Steps: 1,
				Val: results.Metrics{"accuracy": 0.5 + 0.1*float64(e)}, Seconds: secs, CumSeconds: secs * float64(e)}
			rec.Epochs = append(rec.Epochs, ep)
			rec.TrainSeconds = ep.CumSeconds
			if hooks.Epoch != nil {
				hooks.Epoch(ep)
			}
			if cfg.Settings["fake.mode"] == "panic" {
				panic("fake worker crash")
			}
		}
		rec.Finished = time.Now().UTC()
		if cfg.Settings["fake.mode"] == "fail" {
			rec.Error = "loss is NaN"
			return rec, errors.New("epoch 1: loss is NaN")
		}
		rec.Final = results.Metrics{"accuracy": setting("acc", 0.8) + 0.02*float64(fakeReplicate[cfg.Seed]-1)}
		rec.Status = results.StatusDone
		return rec, nil
	}, nil
}

// fakeReplicate maps the seeds of the test sweeps' trials to their
// replicate index (filled by loadFake, inherited by the worker processes
// through the manifest they read).
var fakeReplicate = map[int64]int{}

func init() {
	// Worker processes only have the manifest: read it to learn replicates.
	for i, a := range os.Args {
		if a == "--manifest" && i+1 < len(os.Args) {
			if ts, err := ReadManifest(os.Args[i+1]); err == nil {
				for _, t := range ts {
					fakeReplicate[t.Config.Seed] = t.Replicate
				}
			}
		}
	}
}

// loadFake writes a sweep file into a temporary directory and expands it.
func loadFake(t *testing.T, yaml string) (*Plan, string) {
	t.Helper()
	dir := t.TempDir()
	path := dir + "/sweep.yaml"
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	plan, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range plan.Trials {
		fakeReplicate[tr.Config.Seed] = tr.Replicate
	}
	return plan, path
}

// fakeSweep is 3 configurations × replicates: Diminish at two decay rates,
// the faster one with epochs of 0.5 s instead of 1 s and a test accuracy
// 0.03 higher, and STL.
const fakeSweep = `
name: fake
replicates: %d
base:
  protocol: paper
  encoder: bag
  epochs: 3
  strategy: diminish
zip:
  strategy.eta: [0.1, 1]
  fake.secs: [1, 0.5]
  fake.acc: [0.8, 0.83]
include:
  - strategy: stl
`
