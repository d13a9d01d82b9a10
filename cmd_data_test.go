package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mt2st/mt2st/datasets"
)

// TestMain keeps every test of the commands offline: none may download the
// data, whatever data directory it finds.
func TestMain(m *testing.M) {
	os.Setenv(datasets.EnvOffline, "1")
	os.Exit(m.Run())
}

// hideData makes the commands find no data directory: no $MT2ST_DATA, a
// working directory without ../shared/data, an empty user cache.
func hideData(t *testing.T) {
	t.Helper()
	t.Chdir(t.TempDir())
	t.Setenv(datasets.EnvDataDir, "")
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
}

func TestOfflineSaysHowToGetTheData(t *testing.T) {
	hideData(t)
	for _, tc := range []struct {
		env  string
		args []string
	}{
		{"1", []string{"train", "--epochs", "1"}},
		{"", []string{"train", "--offline", "--epochs", "1"}},
		{"", []string{"--offline", "reproduce", "--seeds", "1"}},
	} {
		t.Setenv(datasets.EnvOffline, tc.env)
		code, _, errs := runCLI(t, tc.args...)
		for _, want := range []string{"no data directory found", "Offline", "mt2st data --out DIR", filepath.Join("mt2st", "data")} {
			if code != 1 || !strings.Contains(errs, want) {
				t.Errorf("%v (MT2ST_OFFLINE=%q): exit %d, stderr %q; want exit 1 and %q", tc.args, tc.env, code, errs, want)
			}
		}
	}
}

func TestTrainRecordsTheDataItRead(t *testing.T) {
	t.Setenv(datasets.EnvDataCheck, "") // restored after --data-check=false sets it
	out := t.TempDir()
	args := []string{"train", "--data", "testdata/data", "--tasks", "sentiment", "--strategy", "stl", "--epochs", "1",
		"--encoder", "bag", "--sample", "100", "--test-size", "30", "--json", "--out", out}

	// The fixture's IMDB splits hold 60 reviews, not 25,000.
	code, _, errs := runCLI(t, args...)
	if code != 1 || !strings.Contains(errs, filepath.Join("testdata", "data", "imdb", "train.tsv.gz")+" holds 60 reviews, want 25000") {
		t.Fatalf("exit %d, stderr %q: want the truncated split named with its count", code, errs)
	}

	code, stdout, errs := runCLI(t, append(args, "--data-check=false")...)
	if code != 0 {
		t.Fatalf("--data-check=false: exit %d: %s", code, errs)
	}
	var rec struct {
		ID       string
		Config   map[string]any
		Describe map[string]any
		Data     []struct {
			Path   string
			Rows   int
			SHA256 string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rec); err != nil {
		t.Fatal(err)
	}
	if len(rec.Data) == 0 || rec.Data[0].Path != "imdb/train.tsv.gz" || rec.Data[0].Rows != 60 || len(rec.Data[0].SHA256) != 64 {
		t.Errorf("record data %+v", rec.Data)
	}
	if fp, _ := rec.Config["data_fingerprint"].(string); fp == "" {
		t.Error("no data_fingerprint in the record's config")
	}
	if src, _ := rec.Describe["data"].(map[string]any)["source"].(string); !strings.Contains(src, "from the 120 labelled IMDB reviews") {
		t.Errorf("data source %q: want the 120 reviews the fixture holds", src)
	}
}
