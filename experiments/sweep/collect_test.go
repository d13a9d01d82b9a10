package sweep

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestManifestWorkerCollectRoundTrip plays a cluster: the manifest is
// written once, "machine A" runs trials 0-3 and "machine B" trials 2-5 into
// their own directories (trials 2 and 3 twice), plus a trial B never
// finished; collect merges both into one directory where every trial is
// done exactly once, and collecting again changes nothing.
func TestManifestWorkerCollectRoundTrip(t *testing.T) {
	plan, _ := loadFake(t, fmt.Sprintf(fakeSweep, 2))
	root := t.TempDir()
	manifest := filepath.Join(root, "m", ManifestFile)
	if err := WriteManifest(manifest, plan.Trials); err != nil {
		t.Fatal(err)
	}
	trials, err := ReadManifest(manifest)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(trials, plan.Trials) {
		t.Fatal("the manifest does not read back as the plan's trials")
	}
	train, _ := fakeTrainer("", "")
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	for _, job := range []struct {
		out     string
		indices []int
	}{{a, []int{0, 1, 2, 3}}, {b, []int{2, 3, 4, 5}}} {
		if err := os.MkdirAll(job.out, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := WriteManifest(filepath.Join(job.out, ManifestFile), trials); err != nil {
			t.Fatal(err)
		}
		for _, i := range job.indices {
			end, err := RunTrial(context.Background(), trials[i], WorkerOptions{Out: job.out, Train: train})
			if err != nil || end.Outcome != OutcomeDone {
				t.Fatalf("trial %d: %+v, %v", i, end, err)
			}
		}
	}
	// An unfinished trial (record written, no marker) in B must not travel.
	stray := TrialDir(b, "paper-stl-s1-000000000000")
	if err := os.MkdirAll(stray, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(stray, "paper-stl-s1-000000000000.json"), []byte(`{"schema":1,"id":"paper-stl-s1-000000000000","status":"done"}`), 0o644); err != nil {
		t.Fatal(err)
	}

	dst := filepath.Join(root, "merged")
	sum, err := Collect(dst, []string{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Copied != 6 || sum.AlreadyThere != 2 || sum.Unfinished != 1 || sum.Trials != 6 {
		t.Errorf("collect: %+v, want 6 copied, 2 already there, 1 unfinished, 6 in the manifest", sum)
	}
	entries, err := Status(dst)
	if err != nil {
		t.Fatal(err)
	}
	if n := Count(entries); len(entries) != 6 || n[StateDone] != 6 {
		t.Errorf("merged status: %d entries, %v", len(entries), n)
	}
	recs, problems, err := Records(dst)
	if err != nil || len(problems) > 0 || len(recs) != 6 {
		t.Fatalf("merged records: %d, problems %v, %v", len(recs), problems, err)
	}
	ids := map[string]bool{}
	for _, r := range recs {
		if ids[r.ID] {
			t.Errorf("record %s twice", r.ID)
		}
		ids[r.ID] = true
	}
	again, err := Collect(dst, []string{a, b})
	if err != nil || again.Copied != 0 || again.AlreadyThere != 8 {
		t.Errorf("second collect: %+v, %v; want nothing copied", again, err)
	}
	if _, err := Collect(a, []string{a}); err == nil {
		t.Error("collecting a directory into itself must fail")
	}
}

func TestWorkerSkipsFinishedAndBusyTrials(t *testing.T) {
	plan, _ := loadFake(t, fmt.Sprintf(fakeSweep, 1))
	out := t.TempDir()
	train, _ := fakeTrainer("", "")
	opts := WorkerOptions{Out: out, Train: train}
	tr := plan.Trials[0]
	if end, err := RunTrial(context.Background(), tr, opts); err != nil || end.Outcome != OutcomeDone {
		t.Fatalf("first: %+v %v", end, err)
	}
	if end, err := RunTrial(context.Background(), tr, opts); err != nil || end.Outcome != OutcomeSkipped {
		t.Errorf("second: %+v %v, want skipped", end, err)
	}
	other := plan.Trials[1]
	dir := TrialDir(out, other.ID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	release, ok, err := lockTrial(dir)
	if err != nil || !ok {
		t.Fatal("lock", err)
	}
	defer release()
	if !locked(dir) {
		t.Skip("flock is not available here")
	}
	// A lock taken on another open file description conflicts even within
	// one process (flock semantics), as between two workers.
	if end, err := RunTrial(context.Background(), other, opts); err != nil || end.Outcome != OutcomeBusy {
		t.Errorf("locked trial: %+v %v, want busy", end, err)
	}
	if st := ReadState(out, other.ID); st.State != StateRunning {
		t.Errorf("locked trial state %s, want running", st.State)
	}
}

func TestReadManifestRefusesForeignTrials(t *testing.T) {
	plan, _ := loadFake(t, fmt.Sprintf(fakeSweep, 1))
	dir := t.TempDir()
	path := filepath.Join(dir, ManifestFile)
	if err := WriteManifest(path, plan.Trials); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	for name, edit := range map[string]func(string) string{
		// A configuration edited by hand (or hashed by another version)
		// no longer matches its trial id.
		"changed configuration": func(s string) string { return strings.Replace(s, `"epochs":3`, `"epochs":4`, 1) },
		"unknown field":         func(s string) string { return strings.Replace(s, `"sweep":`, `"colour":"red","sweep":`, 1) },
		"lines out of order":    func(s string) string { l := strings.SplitN(s, "\n", 3); return l[1] + "\n" + l[0] + "\n" + l[2] },
	} {
		if err := os.WriteFile(path, []byte(edit(string(b))), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadManifest(path); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%s: error %v, want one naming line 1", name, err)
		}
	}
}

func TestIndexFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	if i, name, err := IndexFromEnv(env(map[string]string{"SLURM_ARRAY_TASK_ID": "7", "JOB_COMPLETION_INDEX": "3"})); err != nil || i != 7 || name != "SLURM_ARRAY_TASK_ID" {
		t.Errorf("slurm: %d %s %v", i, name, err)
	}
	if i, name, err := IndexFromEnv(env(map[string]string{"JOB_COMPLETION_INDEX": "3"})); err != nil || i != 3 || name != "JOB_COMPLETION_INDEX" {
		t.Errorf("kubernetes: %d %s %v", i, name, err)
	}
	if _, _, err := IndexFromEnv(env(map[string]string{"JOB_COMPLETION_INDEX": "x"})); err == nil {
		t.Error("a non-number index must be an error")
	}
	if _, _, err := IndexFromEnv(env(nil)); err == nil || !strings.Contains(err.Error(), "--index") {
		t.Errorf("no index: %v", err)
	}
}
