package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mt2st/mt2st/results"
	"github.com/mt2st/mt2st/strategies"
)

func TestScheduleRefusesToPreviewAnAdaptiveStrategy(t *testing.T) {
	code, _, errs := runCLI(t, "schedule", "--strategy", "gcs")
	if code != 1 || !strings.Contains(errs, "is adaptive: its weights depend on the run") || !strings.Contains(errs, "schedule --record FILE") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

func TestScheduleFromRecord(t *testing.T) {
	r := &results.Record{Schema: results.SchemaVersion, ID: "r1", Strategy: strategies.MustParseSpec("switch-auto:lambda=1,patience=1,ema=0.9,plateau=1,conflict=1,every=1"),
		Tasks: []string{"sentiment", "similarity"}, Status: results.StatusDone,
		Epochs: []results.Epoch{
			{Epoch: 1, Weights: map[string]float64{"sentiment": 1, "similarity": 0.75}, Ran: []string{"sentiment", "similarity"},
				Signals: &results.Signals{Cosine: map[string]float64{"similarity": -0.25}, Measured: 3,
					Events: []results.Event{{Rule: "conflict", Tasks: []string{"similarity"}, Detail: "EMA below 0"}}}},
			{Epoch: 2, Weights: map[string]float64{"sentiment": 1, "similarity": 0}, Ran: []string{"sentiment"}, Signals: &results.Signals{}},
		}}
	path, err := results.WriteRecord(t.TempDir(), r)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "schedule", "--record", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"cos similarity", "0.75", "-0.25", "after epoch 1: conflict (similarity): EMA below 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCLI(t, "schedule", "--record", path, "--json")
	var rows []recordRow
	if err := json.Unmarshal([]byte(out), &rows); code != 0 || err != nil || len(rows) != 2 || rows[0].Weights["similarity"] != 0.75 || rows[0].Cosine["similarity"] != -0.25 || rows[1].Weights["similarity"] != 0 {
		t.Errorf("exit %d, %v, rows %+v", code, err, rows)
	}
}
