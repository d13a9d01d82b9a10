package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSweepPlanCommittedFile(t *testing.T) {
	code, out, errOut := runCLI(t, "sweep", "plan", filepath.Join("experiments", "studies", "diminish-decay.yaml"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// 3 η × 3 ν + STL + MTL = 11 configurations, 3 replicates each.
	for _, want := range []string{"33 trials = 11 configurations × 3 replicates", "MT2ST-Diminish eta=0.3 nu=2", "STL", "MTL"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q", want)
		}
	}
}

func TestSweepCommandErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("base:\n  protocol: imdb\n  epochs: many\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Flags may follow the file, as in "sweep run FILE -j 2".
	code, _, errOut := runCLI(t, "sweep", "run", bad, "-j", "2", "--out", filepath.Join(dir, "out"))
	if code != 1 || !strings.Contains(errOut, "bad.yaml line 3: base.epochs: want an integer") {
		t.Errorf("bad sweep file: exit %d, %q", code, errOut)
	}
	t.Setenv("SLURM_ARRAY_TASK_ID", "")
	t.Setenv("JOB_COMPLETION_INDEX", "")
	manifest := filepath.Join(dir, "m.jsonl")
	if code, _, errOut := runCLI(t, "sweep", "manifest", filepath.Join("experiments", "studies", "switch-epoch.yaml"), "--out", manifest, "--data", "testdata/data"); code != 0 || !strings.Contains(errOut, "wrote 28 trials") {
		t.Fatalf("manifest: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, "sweep", "worker", "--manifest", manifest); code != 1 || !strings.Contains(errOut, "--index") {
		t.Errorf("worker without an index: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, "sweep", "worker", "--manifest", manifest, "--index", "28"); code != 1 || !strings.Contains(errOut, "28 trials (0..27)") {
		t.Errorf("worker with an index past the end: exit %d, %q", code, errOut)
	}
	if code, _, _ := runCLI(t, "sweep", "frobnicate"); code != 2 {
		t.Errorf("unknown sweep command: exit %d, want 2", code)
	}
}

func TestSweepReportFlagsCheckedFirst(t *testing.T) {
	// The directory does not exist: a bad flag must be reported before
	// anything is read, naming the valid values.
	missing := filepath.Join(t.TempDir(), "no-such-sweep")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--band", "foo"}, "--band: spread \"foo\": valid values are ci, std"},
		{[]string{"--spread", "sd"}, "--spread: spread \"sd\": valid values are ci, std"},
		{[]string{"--format", "html"}, "valid formats are terminal, markdown, csv, latex"},
		{[]string{"--target", "-0.5"}, "--target/--target-fraction: target -0.5"},
		{[]string{"--target-fraction", "2"}, "target fraction 2"},
		{[]string{"--equal-margin", "-0.01"}, "--equal-margin: equal margin -0.01"},
	} {
		code, _, errOut := runCLI(t, append([]string{"sweep", "report", missing}, c.args...)...)
		if code != 1 || !strings.Contains(errOut, c.want) || strings.Contains(errOut, "no-such-sweep") {
			t.Errorf("sweep report %v: exit %d, %q; want %q before reading the directory", c.args, code, errOut, c.want)
		}
	}
}
