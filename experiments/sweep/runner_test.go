package sweep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mt2st/mt2st/results"
)

// snapshotDone returns, for every finished trial, its marker and record
// bytes: what a rerun must leave untouched.
func snapshotDone(t *testing.T, out string, plan *Plan) map[string]string {
	t.Helper()
	snap := map[string]string{}
	for _, tr := range plan.Trials {
		st := ReadState(out, tr.ID)
		if st.State != StateDone {
			continue
		}
		m, err := os.ReadFile(filepath.Join(st.Dir, MarkerFile))
		if err != nil {
			t.Fatal(err)
		}
		r, err := os.ReadFile(filepath.Join(st.Dir, st.Marker.Record))
		if err != nil {
			t.Fatal(err)
		}
		snap[tr.ID] = string(m) + string(r)
	}
	return snap
}

func checkUntouched(t *testing.T, out string, plan *Plan, before map[string]string) {
	t.Helper()
	after := snapshotDone(t, out, plan)
	for id, b := range before {
		if after[id] != b {
			t.Errorf("finished trial %s was rewritten by the rerun", id)
		}
	}
}

func states(out string, plan *Plan) map[string]int {
	n := map[string]int{}
	for _, tr := range plan.Trials {
		n[ReadState(out, tr.ID).State]++
	}
	return n
}

// TestResumeAfterSimulatedCrash leaves behind what a crash can: a record
// without its marker, a record that no longer matches its marker, a
// half-written record, a stray temporary file. Those trials must be rerun,
// and only those; the finished ones stay byte for byte.
func TestResumeAfterSimulatedCrash(t *testing.T) {
	plan, _ := loadFake(t, fmt.Sprintf(fakeSweep, 2))
	out := t.TempDir()
	sum, err := Run(context.Background(), plan, fakeRunOptions(out, 2))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Done != 6 || sum.Pending() != 0 {
		t.Fatalf("first run: %+v, want 6 done", sum)
	}
	damaged := []Trial{plan.Trials[0], plan.Trials[1], plan.Trials[2]}
	dir0 := TrialDir(out, damaged[0].ID)
	if err := os.Remove(filepath.Join(dir0, MarkerFile)); err != nil { // killed between record and marker
		t.Fatal(err)
	}
	rec1 := filepath.Join(TrialDir(out, damaged[1].ID), damaged[1].ID+".json")
	if err := os.WriteFile(rec1, []byte(`{"schema": 1, "id": "`+damaged[1].ID+`", "status": "done"}`), 0o644); err != nil { // a record the marker does not vouch for
		t.Fatal(err)
	}
	dir2 := TrialDir(out, damaged[2].ID)
	b, err := os.ReadFile(filepath.Join(dir2, damaged[2].ID+".json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir2, damaged[2].ID+".json"), b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir2, MarkerFile)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir2, "."+damaged[2].ID+".json.123.tmp"), b[:10], 0o644); err != nil {
		t.Fatal(err)
	}
	if n := states(out, plan); n[StateDone] != 3 || n[StateUnfinished] != 3 {
		t.Fatalf("states after the damage: %v, want 3 done and 3 unfinished", n)
	}
	recs, _, err := Records(out)
	if err != nil || len(recs) != 3 {
		t.Fatalf("Records counts %d trials (%v), want only the 3 with valid markers", len(recs), err)
	}
	before := snapshotDone(t, out, plan)

	sum, err = Run(context.Background(), plan, fakeRunOptions(out, 2))
	if err != nil {
		t.Fatal(err)
	}
	if sum.AlreadyDone != 3 || sum.Done != 3 {
		t.Errorf("rerun: %+v, want 3 already done and 3 rerun", sum)
	}
	if n := states(out, plan); n[StateDone] != 6 {
		t.Errorf("states after the rerun: %v", n)
	}
	checkUntouched(t, out, plan, before)
}

// TestSIGKILLMidSweep kills a whole sweep — runner and workers — with
// SIGKILL while trials are running, then reruns it: finished trials are
// kept byte for byte, the killed ones count as unfinished and run again.
// A second kill takes only the runner: its workers must die with it.
func TestSIGKILLMidSweep(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("process groups and the parent-death signal are tested on Linux")
	}
	plan, file := loadFake(t, fmt.Sprintf(fakeSweep, 3))
	out := t.TempDir()
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "MT2ST_SWEEP_TEST_ROLE=runner", "MT2ST_SWEEP_TEST_FILE="+file,
			"MT2ST_SWEEP_TEST_OUT="+out, "MT2ST_SWEEP_TEST_EPOCH_MS=150")
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	waitFor := func(what string, ok func() bool) {
		deadline := time.Now().Add(20 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s: %v", what, states(out, plan))
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	running := func() bool {
		for _, tr := range plan.Trials {
			if ReadState(out, tr.ID).State == StateRunning {
				return true
			}
		}
		return false
	}

	// Kill runner and workers (the process group) once 2 trials are done
	// and 2 are in the middle of an epoch.
	cmd := start()
	waitFor("2 finished trials", func() bool { return states(out, plan)[StateDone] >= 2 && running() })
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	waitFor("the locks to be released", func() bool { return !running() })
	n := states(out, plan)
	if n[StateUnfinished] == 0 || n[StateDone] < 2 || n[StateDone] == len(plan.Trials) {
		t.Fatalf("after SIGKILL: %v, want finished and unfinished trials", n)
	}
	before := snapshotDone(t, out, plan)

	// Kill only the runner: its workers get the parent-death signal.
	cmd = start()
	waitFor("a running trial", running)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	waitFor("the workers to die with the runner", func() bool { return !running() })
	checkUntouched(t, out, plan, before)
	before = snapshotDone(t, out, plan)

	sum, err := Run(context.Background(), plan, fakeRunOptions(out, 2))
	if err != nil {
		t.Fatal(err)
	}
	if sum.AlreadyDone != len(before) || sum.Done != len(plan.Trials)-len(before) {
		t.Errorf("rerun: %+v; want the %d finished trials skipped and the other %d run", sum, len(before), len(plan.Trials)-len(before))
	}
	checkUntouched(t, out, plan, before)
	if n := states(out, plan); n[StateDone] != len(plan.Trials) {
		t.Errorf("after the rerun: %v", n)
	}
}

// TestInterruptStopsCleanly cancels a sweep (Ctrl-C) in the middle: the run
// returns the context's error, interrupted trials leave no marker, and the
// next run finishes them.
func TestInterruptStopsCleanly(t *testing.T) {
	t.Setenv("MT2ST_SWEEP_TEST_EPOCH_MS", "100")
	plan, _ := loadFake(t, fmt.Sprintf(fakeSweep, 2))
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for states(out, plan)[StateDone] < 2 {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
	}()
	sum, err := Run(ctx, plan, fakeRunOptions(out, 2))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if sum.Interrupted == 0 || sum.Done < 2 || sum.Done == len(plan.Trials) {
		t.Errorf("summary %+v: want some done and some interrupted", sum)
	}
	for _, tr := range plan.Trials {
		if st := ReadState(out, tr.ID); st.State == StateFailed {
			t.Errorf("interrupted trial %s was marked failed", tr.ID)
		}
	}
	done := states(out, plan)[StateDone]
	sum, err = Run(context.Background(), plan, fakeRunOptions(out, 2))
	if err != nil || sum.AlreadyDone != done || states(out, plan)[StateDone] != len(plan.Trials) {
		t.Errorf("rerun: %+v, %v", sum, err)
	}
}

// TestFailuresAreMarkedAndRetriedOnRequest: a worker that panics mid-trial
// and a run that ends in error both leave a "failed" marker; a rerun skips
// them unless RetryFailed.
func TestFailuresAreMarkedAndRetriedOnRequest(t *testing.T) {
	plan, _ := loadFake(t, `
name: failing
base: {protocol: paper, encoder: bag, epochs: 2}
include:
  - {strategy: stl}
  - {strategy: mtl, fake.mode: panic}
  - {strategy: "switch:epoch=1", fake.mode: fail}
`)
	out := t.TempDir()
	sum, err := Run(context.Background(), plan, fakeRunOptions(out, 2))
	if err == nil || sum.Done != 1 || sum.Failed != 2 {
		t.Fatalf("summary %+v, error %v; want 1 done, 2 failed and an error", sum, err)
	}
	crashed := ReadState(out, plan.Trials[1].ID)
	if crashed.State != StateFailed || !strings.Contains(crashed.Marker.Error, "fake worker crash") {
		t.Errorf("panicking trial: %s, marker %+v; want failed with the panic message", crashed.State, crashed.Marker)
	}
	nan := ReadState(out, plan.Trials[2].ID)
	if nan.State != StateFailed || nan.Marker.Record == "" || !strings.Contains(nan.Marker.Error, "NaN") {
		t.Errorf("failing run: %s, marker %+v; want failed with its record", nan.State, nan.Marker)
	}
	recs, _, err := Records(out)
	if err != nil || len(recs) != 2 {
		t.Fatalf("records: %d, %v; want the done one and the failed one", len(recs), err)
	}
	sum, err = Run(context.Background(), plan, fakeRunOptions(out, 2))
	if err != nil || sum.AlreadyDone != 1 || sum.AlreadyFailed != 2 || sum.Done+sum.Failed != 0 {
		t.Errorf("rerun without retry: %+v, %v; want nothing run", sum, err)
	}
	opts := fakeRunOptions(out, 2)
	opts.RetryFailed = true
	sum, _ = Run(context.Background(), plan, opts)
	if sum.AlreadyDone != 1 || sum.Failed != 2 {
		t.Errorf("rerun with retry: %+v; want both failures retried (and failing again)", sum)
	}
}

// TestSweepReportByHand checks the report of a finished fake sweep against
// values worked out by hand from the fake trainer's formulas.
func TestSweepReportByHand(t *testing.T) {
	plan, _ := loadFake(t, fmt.Sprintf(fakeSweep, 3))
	out := t.TempDir()
	if _, err := Run(context.Background(), plan, fakeRunOptions(out, 2)); err != nil {
		t.Fatal(err)
	}
	rep, common, err := Report(out, results.ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range rep.Groups {
		for _, r := range g.Runs {
			if r.Machine == nil || r.Machine.Workers != 2 {
				t.Errorf("run %s: machine %+v, want the runner's 2 workers", r.ID, r.Machine)
			}
		}
	}
	if common != "3: +similarity +analogy" || rep.Groups[0].Setting != "" {
		t.Errorf("common setting %q, group setting %q; want the shared setting moved out of the groups", common, rep.Groups[0].Setting)
	}
	var names []string
	for _, g := range rep.Groups {
		names = append(names, fmt.Sprintf("%s:%d", g.Label, len(g.Runs)))
	}
	want := "[MT2ST-Diminish eta=0.1 fake.secs=1 fake.acc=0.8:3 MT2ST-Diminish eta=1 fake.secs=0.5 fake.acc=0.83:3 STL:3]"
	if fmt.Sprint(names) != want {
		t.Fatalf("groups %v, want %s", names, want)
	}
	slow, fast, stl := rep.Rows[0], rep.Rows[1], rep.Rows[2]
	// STL test accuracy over replicates 1-3: 0.80, 0.82, 0.84 → mean 0.82,
	// std 0.02, 95% half-width t(0.975, 2)·0.02/√3 = 4.302652729911275 ·
	// 0.011547005383792516 = 0.04968275 (scipy.stats.t.ppf(0.975, 2)).
	if !near(stl.Test.Mean, 0.82, 1e-12) || !near(stl.Test.Std, 0.02, 1e-12) || !near(stl.Test.HalfWidth(), 0.04968275, 1e-7) {
		t.Errorf("STL test summary %+v", stl.Test)
	}
	// Fast Diminish: 0.83, 0.85, 0.87 → Δ vs STL = +0.03. Replicates 1-3 of
	// both pair up (results.DeltaVs), and every pair differs by exactly
	// 0.03, so the paired t interval (df = 2) has zero width; the unpaired
	// Welch half-width would have been 0.0453.
	if d := fast.DeltaVsSTL; d.Method != results.DeltaPaired || d.Pairs != 3 || !near(d.Value, 0.03, 1e-12) ||
		!near(d.DF, 2, 1e-9) || !near(d.High-d.Value, 0, 1e-9) {
		t.Errorf("Δ vs STL %+v", d)
	}
	if !near(slow.DeltaVsSTL.Value, 0, 1e-12) {
		t.Errorf("slow Diminish Δ = %g, want 0", slow.DeltaVsSTL.Value)
	}
	// Target 0.99 × STL's best validation accuracy 0.8 (epoch 3) = 0.792:
	// every run first reaches it at epoch 3, after 3 × 1 s (STL, slow) or
	// 3 × 0.5 s (fast): Kaplan–Meier medians 3 s and 1.5 s (no run
	// censored), speed-up vs STL 3 / 1.5 = 2.
	if !near(rep.Target, 0.792, 1e-12) {
		t.Errorf("target %g, want 0.792", rep.Target)
	}
	if fast.Reached != 3 || !near(fast.EpochToTarget.Mean, 3, 0) || !near(fast.SecondsToTarget.Mean, 1.5, 1e-12) ||
		!near(fast.SecondsMedian.Value, 1.5, 1e-12) || !near(fast.SpeedupVsSTL.Value, 2, 1e-12) {
		t.Errorf("fast Diminish time to target: reached %d, epoch %v, seconds %v, speed-up %v", fast.Reached, fast.EpochToTarget.Mean, fast.SecondsToTarget.Mean, fast.SpeedupVsSTL.Value)
	}
	if !near(slow.SpeedupVsSTL.Value, 1, 1e-12) {
		t.Errorf("slow Diminish speed-up %g, want 1", slow.SpeedupVsSTL.Value)
	}
}

func near(a, b, tol float64) bool { return a-b <= tol && b-a <= tol }
