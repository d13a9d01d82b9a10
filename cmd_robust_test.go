package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// evalDataDir is a data directory holding only what eval looks for first.
func evalDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "analogy"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "analogy", "questions-words.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestEvalDevZeroEnds(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	done := make(chan string, 1)
	go func() {
		_, _, errs := runCLI(t, "eval", "--vectors", "/dev/zero", "--data", evalDataDir(t))
		done <- errs
	}()
	select {
	case errs := <-done:
		if !strings.Contains(errs, "read /dev/zero line 1: line too long: more than 1024 bytes without a newline") {
			t.Fatalf("stderr %q, want the line-length error", errs)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("eval --vectors /dev/zero still running after 20 s")
	}
}

func TestScheduleEpochsCapped(t *testing.T) {
	code, _, errs := runCLI(t, "schedule", "--strategy", "stl", "--epochs", "100000000")
	if code != 1 || !strings.Contains(errs, "--epochs 100000000: want 1 to 100000") {
		t.Fatalf("exit %d, stderr %q; want the limit named", code, errs)
	}
	code, out, _ := runCLI(t, "schedule", "--strategy", "stl", "--epochs", "100000", "--json")
	if code != 0 || strings.Count(out, `"epoch"`) != 100000 {
		t.Fatalf("--epochs 100000: exit %d, %d epochs", code, strings.Count(out, `"epoch"`))
	}
}

func TestTrainChecksOutputsBeforeTraining(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "train", "--strategy", "stl", "--tasks", "sentiment", "--out", filepath.Join(file, "runs"))
	if code != 1 || !strings.Contains(errs, "--out: directory "+filepath.Join(file, "runs")+" is not usable") {
		t.Fatalf("--out under a file: exit %d, stderr %q", code, errs)
	}
	dir := t.TempDir()
	code, _, errs = runCLI(t, "train", "--strategy", "stl", "--tasks", "sentiment", "--out", dir, "--save-vectors", dir)
	if code != 1 || !strings.Contains(errs, "--save-vectors: "+dir+" is a directory") {
		t.Fatalf("--save-vectors DIR: exit %d, stderr %q", code, errs)
	}
}
