package experiments

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/mt2st/mt2st/results"
	"github.com/mt2st/mt2st/strategies"
)

// sameRun fails unless two runs computed the same thing: every epoch's
// weights, tasks that ran, steps, losses, validation and auxiliary metrics,
// the selected epoch, the final test metrics and every trained value (with
// Adam state), bit for bit. Wall times are not compared.
func sameRun(t *testing.T, a, b *Trained) {
	t.Helper()
	ra, rb := a.Record, b.Record
	if len(ra.Epochs) != len(rb.Epochs) {
		t.Fatalf("%d epochs and %d", len(ra.Epochs), len(rb.Epochs))
	}
	for i := range ra.Epochs {
		ea, eb := ra.Epochs[i], rb.Epochs[i]
		ea.Seconds, ea.CumSeconds, eb.Seconds, eb.CumSeconds = 0, 0, 0, 0
		if !reflect.DeepEqual(ea, eb) {
			t.Errorf("epoch %d differs:\n %+v\n %+v", ea.Epoch, ea, eb)
		}
	}
	if !reflect.DeepEqual(ra.Final, rb.Final) {
		t.Errorf("final metrics differ:\n %v\n %v", ra.Final, rb.Final)
	}
	if ra.Config["selected_epoch"] != rb.Config["selected_epoch"] {
		t.Errorf("selected epoch %v and %v", ra.Config["selected_epoch"], rb.Config["selected_epoch"])
	}
	sa, err := a.Model.State()
	if err != nil {
		t.Fatal(err)
	}
	sb, err := b.Model.State()
	if err != nil {
		t.Fatal(err)
	}
	if len(sa.Params) != len(sb.Params) || len(sa.Tables) != len(sb.Tables) {
		t.Fatalf("%d params and %d tables, against %d and %d", len(sa.Params), len(sa.Tables), len(sb.Params), len(sb.Tables))
	}
	bits := func(x, y []float32) bool {
		return slices.EqualFunc(x, y, func(p, q float32) bool { return math.Float32bits(p) == math.Float32bits(q) })
	}
	for i, p := range sa.Params {
		q := sb.Params[i]
		if p.Name != q.Name || p.Step != q.Step || !bits(p.W, q.W) || !bits(p.M, q.M) || !bits(p.V, q.V) {
			t.Errorf("parameter %s/%s differs (steps %d, %d)", p.Name, q.Name, p.Step, q.Step)
		}
	}
	for i, p := range sa.Tables {
		q := sb.Tables[i]
		if p.Name != q.Name || p.Step != q.Step || !bits(p.W, q.W) || !bits(p.M, q.M) || !bits(p.V, q.V) {
			t.Errorf("table %s differs (steps %d, %d)", p.Name, p.Step, q.Step)
		}
	}
}

// stopAfter returns hooks that cancel the run once epoch n is recorded.
func stopAfter(n int, ck *Checkpoints) (context.Context, Hooks) {
	ctx, cancel := context.WithCancel(context.Background())
	return ctx, Hooks{Checkpoints: ck, Epoch: func(e results.Epoch) {
		if e.Epoch == n {
			cancel()
		}
	}}
}

// TestResumedRunIsBitIdentical stops a run after epoch 3 of 5 (a
// checkpoint every epoch), reruns it, and requires exactly what an
// uninterrupted run with the same seed computes. Switch at epoch 2 makes
// the resumed part run without the auxiliary heads, whose parameters must
// still come back for the final evaluation; GOMAXPROCS=1 as in the sweep's
// determinism test.
func TestResumedRunIsBitIdentical(t *testing.T) {
	data := testData(t)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	cfg := tinyConfig(t, "switch:epoch=2,lambda=1")
	cfg.Epochs = 5
	want, err := Run(context.Background(), cfg, data, Hooks{})
	if err != nil {
		t.Fatal(err)
	}

	cfg.CheckpointEvery = "1"
	ck := &Checkpoints{Dir: t.TempDir()}
	ctx, hooks := stopAfter(3, ck)
	if _, err := Run(ctx, cfg, data, hooks); !errors.Is(err, context.Canceled) {
		t.Fatalf("stopped run: %v, want cancelled", err)
	}
	files, _ := filepath.Glob(filepath.Join(ck.Dir, "*.ckpt"))
	if len(files) != 1 || filepath.Base(files[0]) != "epoch-0003.ckpt" {
		t.Fatalf("checkpoints after stopping at epoch 3: %v, want only epoch-0003.ckpt", files)
	}
	var trained []int
	got, err := Run(context.Background(), cfg, data, Hooks{Checkpoints: ck, Epoch: func(e results.Epoch) { trained = append(trained, e.Epoch) }})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(trained, []int{4, 5}) {
		t.Errorf("the resumed run trained epochs %v, want [4 5]", trained)
	}
	if r := got.Record.Resumed; r == nil || r.Epoch != 3 || r.From != "own" {
		t.Errorf("record says resumed %+v, want from its own epoch 3", r)
	}
	if got.Record.ID != want.Record.ID {
		t.Errorf("checkpoint_every changed the run's id: %s, %s", got.Record.ID, want.Record.ID)
	}
	sameRun(t, want, got)
}

// TestForkFromSharedPrefix trains MTL (λ = 1) saving a shared checkpoint at
// epoch 2, then Switch at epoch 2 (λ = 1) from it: identical weights for
// epochs 1–2, so the Switch run trains only epochs 3–4 and must equal a
// Switch run trained from scratch. Diminish does not fit that checkpoint
// (other weights from epoch 1) and trains from scratch.
func TestForkFromSharedPrefix(t *testing.T) {
	data := testData(t)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	shared := filepath.Join(t.TempDir(), "prefix-e2.ckpt")
	mtl := tinyConfig(t, "mtl:lambda=1")
	mtl.Epochs = 4
	if _, err := Run(context.Background(), mtl, data, Hooks{Checkpoints: &Checkpoints{Shared: map[int]string{2: shared}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(shared); err != nil {
		t.Fatalf("no shared checkpoint: %v", err)
	}
	sw := mtl
	sw.Strategy = strategies.MustParseSpec("switch:epoch=2,lambda=1")
	want, err := Run(context.Background(), sw, data, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	var trained []int
	got, err := Run(context.Background(), sw, data, Hooks{Checkpoints: &Checkpoints{From: []string{shared}},
		Epoch: func(e results.Epoch) { trained = append(trained, e.Epoch) }})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(trained, []int{3, 4}) {
		t.Errorf("the forked run trained epochs %v, want [3 4]", trained)
	}
	sameRun(t, want, got)

	dim := mtl
	dim.Strategy = strategies.MustParseSpec("diminish:gamma=1,eta=0.3,nu=1")
	trained = nil
	tr, err := Run(context.Background(), dim, data, Hooks{Checkpoints: &Checkpoints{From: []string{shared}},
		Epoch: func(e results.Epoch) { trained = append(trained, e.Epoch) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(trained) != 4 || tr.Record.Resumed != nil || tr.Record.CheckpointsSkipped == nil {
		t.Errorf("diminish trained epochs %v (resumed %v, skipped %v), want all 4 from scratch with the checkpoint skipped",
			trained, tr.Record.Resumed, tr.Record.CheckpointsSkipped)
	}
}

// TestDamagedCheckpointIsSkipped flips one byte of a checkpoint: the
// checksum catches it and the run starts from epoch 1.
func TestDamagedCheckpointIsSkipped(t *testing.T) {
	data := testData(t)
	cfg := tinyConfig(t, "stl", "sentiment")
	cfg.Epochs, cfg.CheckpointEvery = 2, "1"
	ck := &Checkpoints{Dir: t.TempDir()}
	ctx, hooks := stopAfter(1, ck)
	if _, err := Run(ctx, cfg, data, hooks); !errors.Is(err, context.Canceled) {
		t.Fatalf("stopped run: %v", err)
	}
	path := filepath.Join(ck.Dir, "epoch-0001.ckpt")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-100] ^= 1
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readCheckpoint(path); err == nil {
		t.Fatal("a damaged checkpoint read without error")
	}
	tr, err := Run(context.Background(), cfg, data, Hooks{Checkpoints: ck})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Record.Resumed != nil || tr.Record.CheckpointsSkipped == nil {
		t.Errorf("resumed %v, skipped %v: want a fresh start", tr.Record.Resumed, tr.Record.CheckpointsSkipped)
	}
}

func TestParseCheckpointEvery(t *testing.T) {
	for _, c := range []struct {
		in       string
		epochs   int
		interval time.Duration
		ok       bool
	}{{"", 0, 0, true}, {"0", 0, 0, true}, {"5", 5, 0, true}, {"10m", 0, 10 * time.Minute, true},
		{"-1", 0, 0, false}, {"-5m", 0, 0, false}, {"soon", 0, 0, false}} {
		e, d, err := ParseCheckpointEvery(c.in)
		if (err == nil) != c.ok || e != c.epochs || d != c.interval {
			t.Errorf("ParseCheckpointEvery(%q) = %d, %v, %v", c.in, e, d, err)
		}
	}
}

// A run with an auxiliary step budget (analogy takes 3 steps per primary
// step; each of its batches samples negatives from its stream) resumes
// bit-identically too: replay draws the extra batches.
func TestResumeWithAuxiliaryBudget(t *testing.T) {
	data := testData(t)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	cfg := tinyConfig(t, "mtl:lambda=1", "sentiment", "analogy")
	cfg.Epochs = 4
	cfg.Settings = map[string]string{"analogy.steps_per_step": "3"}
	want, err := Run(context.Background(), cfg, data, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	cfg.CheckpointEvery = "1"
	ck := &Checkpoints{Dir: t.TempDir()}
	ctx, hooks := stopAfter(2, ck)
	if _, err := Run(ctx, cfg, data, hooks); !errors.Is(err, context.Canceled) {
		t.Fatalf("stopped run: %v, want cancelled", err)
	}
	got, err := Run(context.Background(), cfg, data, Hooks{Checkpoints: ck})
	if err != nil {
		t.Fatal(err)
	}
	if r := got.Record.Resumed; r == nil || r.Epoch != 2 {
		t.Fatalf("resumed %+v, want from epoch 2", r)
	}
	sameRun(t, want, got)
}
