package paperref

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"sync"
)

//go:embed reference_runs.csv
var referenceCSV []byte

// Run is one training run logged by the reference code: one row of
// reference_runs.csv (see REFERENCE.md).
type Run struct {
	Log       string // e.g. "training_mt.log" or "benchmark/Glove-Twitter/mt"
	Index     int    // the run's position in its log, from 1
	Strategy  string // the script's strategy: "MTL", "Diminish" or "Switch"
	Embedding string // e.g. "w2v-cbow", "glove-twitter-100", "w2v-cbow-2nd-pass"
	// Setting is "baseline" (frozen embedding, Adam lr 0.05: another
	// recipe) or "0" to "3" (primary only, +similarity, +analogy, +both).
	Setting      string
	TestAccuracy float64 // after epoch 25, 250 test reviews, 2 decimals as printed
	MacroF1      float64
	TrainAccLast float64
	// FirstEpochTrain08 is the first epoch whose train accuracy reached
	// 0.8; 0 when none did.
	FirstEpochTrain08 int
	Note              string
}

// SettingIndex returns the setting as 0–3; ok is false for a baseline run.
func (r Run) SettingIndex() (int, bool) {
	n, err := strconv.Atoi(r.Setting)
	return n, err == nil
}

var csvHeader = []string{"log", "run", "strategy", "embedding", "setting", "test_acc", "test_macro_f1",
	"train_acc_last", "first_epoch_train_acc_ge_0.8", "note"}

var runs = sync.OnceValues(func() ([]Run, error) { return parse(referenceCSV) })

// Runs returns the reference runs in file order. The slice is a copy.
func Runs() ([]Run, error) {
	rs, err := runs()
	return slices.Clone(rs), err
}

// parse reads reference_runs.csv, checking its header and every field.
func parse(data []byte) ([]Run, error) {
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("reference runs: %w", err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], csvHeader) {
		return nil, fmt.Errorf("reference runs: header %q, want %q", first(rows), csvHeader)
	}
	out := make([]Run, 0, len(rows)-1)
	for i, row := range rows[1:] {
		r, err := parseRow(row)
		if err != nil {
			return nil, fmt.Errorf("reference runs line %d: %w", i+2, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func parseRow(row []string) (Run, error) {
	r := Run{Log: row[0], Strategy: row[2], Embedding: row[3], Setting: row[4], Note: row[9]}
	var err error
	if r.Index, err = strconv.Atoi(row[1]); err != nil {
		return r, fmt.Errorf("run %q: %w", row[1], err)
	}
	if !slices.Contains([]string{"MTL", "Diminish", "Switch"}, r.Strategy) {
		return r, fmt.Errorf("strategy %q: want MTL, Diminish or Switch", r.Strategy)
	}
	if _, ok := r.SettingIndex(); !ok && r.Setting != "baseline" {
		return r, fmt.Errorf("setting %q: want baseline or 0-3", r.Setting)
	}
	if n, ok := r.SettingIndex(); ok && (n < 0 || n > 3) {
		return r, fmt.Errorf("setting %q: want baseline or 0-3", r.Setting)
	}
	for _, f := range []struct {
		text string
		dst  *float64
	}{{row[5], &r.TestAccuracy}, {row[6], &r.MacroF1}, {row[7], &r.TrainAccLast}} {
		if *f.dst, err = strconv.ParseFloat(f.text, 64); err != nil || *f.dst < 0 || *f.dst > 1 {
			return r, fmt.Errorf("value %q: want a fraction in [0, 1]", f.text)
		}
	}
	if row[8] != "" {
		if r.FirstEpochTrain08, err = strconv.Atoi(row[8]); err != nil || r.FirstEpochTrain08 < 1 {
			return r, fmt.Errorf("first epoch %q: want an epoch >= 1 or empty", row[8])
		}
	}
	return r, nil
}

func first(rows [][]string) []string {
	if len(rows) == 0 {
		return nil
	}
	return rows[0]
}
