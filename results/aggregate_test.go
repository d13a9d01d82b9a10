package results

import (
	"math"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestGroupRecordsKeepsFirstSeenOrder(t *testing.T) {
	recs := sweepFixture()
	// Interleave: a Switch run first, then STL, MTL, the rest.
	recs = append([]*Record{recs[6]}, append(recs[:6:6], recs[7:]...)...)
	groups := GroupRecords(recs)
	var labels []string
	for _, g := range groups {
		labels = append(labels, g.Label)
	}
	if want := []string{"Switch", "STL", "MTL"}; !equalStrings(labels, want) {
		t.Fatalf("group order = %v, want %v", labels, want)
	}
	sw := groups[0]
	if len(sw.Runs) != 2 || len(sw.Unfinished) != 1 {
		t.Errorf("Switch group: %d finished, %d unfinished; want 2 and 1", len(sw.Runs), len(sw.Unfinished))
	}
	if !groups[1].IsSTL() || groups[1].IsMTL() || !groups[2].IsMTL() || sw.IsSTL() {
		t.Error("IsSTL / IsMTL misclassify the fixture groups")
	}
}

func TestGroupsSplitBySetting(t *testing.T) {
	a := run("MTL", "1: +similarity", "mtl:lambda=1", 1, Metrics{"accuracy": 0.7}, nil, nil)
	b := run("MTL", "2: +analogy", "mtl:lambda=1", 1, Metrics{"accuracy": 0.8}, nil, nil)
	c := run("MTL", "1: +similarity", "mtl:lambda=1", 2, Metrics{"accuracy": 0.9}, nil, nil)
	groups := GroupRecords([]*Record{a, b, c})
	if len(groups) != 2 || len(groups[0].Runs) != 2 || groups[0].Setting != "1: +similarity" {
		t.Fatalf("groups = %+v", groups)
	}
	if groups[0].Name() != "MTL / 1: +similarity" {
		t.Errorf("Name = %q", groups[0].Name())
	}
}

func TestGroupsSplitByConfigHash(t *testing.T) {
	// Two sweep configurations under one label (say, Diminish with two decay
	// rates whose labels a hand-written record forgot to tell apart) must not
	// be averaged together; replicates with the same hash must be.
	a := run("Diminish", "3", "diminish:gamma=1,eta=0.1,nu=1", 1, Metrics{"accuracy": 0.7}, nil, nil)
	b := run("Diminish", "3", "diminish:gamma=1,eta=1,nu=1", 1, Metrics{"accuracy": 0.8}, nil, nil)
	c := run("Diminish", "3", "diminish:gamma=1,eta=0.1,nu=1", 2, Metrics{"accuracy": 0.9}, nil, nil)
	a.ConfigHash, b.ConfigHash, c.ConfigHash = "aaaa", "bbbb", "aaaa"
	groups := GroupRecords([]*Record{a, b, c})
	if len(groups) != 2 || len(groups[0].Runs) != 2 || len(groups[1].Runs) != 1 || groups[1].ConfigHash != "bbbb" {
		t.Fatalf("groups = %+v, want [aaaa: 2 runs, bbbb: 1 run]", groups)
	}
	if s := groups[0].Summarize(ColTestAccuracy); !near(s.Mean, 0.8, 1e-12) {
		t.Errorf("mean over the aaaa replicates = %g, want (0.7+0.9)/2 = 0.8", s.Mean)
	}
}

func TestSummariesByHand(t *testing.T) {
	groups := GroupRecords(sweepFixture())
	stl, mtl, sw := groups[0], groups[1], groups[2]

	// STL test accuracy 0.80, 0.82, 0.78: mean 0.80; deviations 0, ±0.02 →
	// std = sqrt((0 + 0.0004 + 0.0004)/2) = 0.02; CI half-width =
	// t.ppf(0.975, 2)·0.02/√3 = 4.302652729911275·0.011547005 = 0.0496827542.
	s := stl.Summarize(ColTestAccuracy)
	if s.N != 3 || !near(s.Mean, 0.80, 1e-12) || !near(s.Std, 0.02, 1e-12) ||
		!near(s.CILow, 0.80-0.0496827542, 1e-9) || !near(s.CIHigh, 0.80+0.0496827542, 1e-9) {
		t.Errorf("STL test accuracy summary = %+v", s)
	}
	// Switch: the failed run is not aggregated: test accuracy 0.86, 0.88 →
	// mean 0.87, std = sqrt(2·0.01²/1) = 0.0141421356.
	s = sw.Summarize(ColTestAccuracy)
	if s.N != 2 || !near(s.Mean, 0.87, 1e-12) || !near(s.Std, math.Sqrt2*0.01, 1e-12) {
		t.Errorf("Switch test accuracy summary = %+v", s)
	}
	// Time per epoch: Switch runs 10 s / 4 epochs = 2.5; MTL 12/4 = 3.
	if s := sw.Summarize(ColSecondsPerEpoch); !near(s.Mean, 2.5, 1e-12) || s.Std != 0 {
		t.Errorf("Switch s/epoch = %+v, want 2.5 ± 0", s)
	}
	if s := mtl.Summarize(ColTrainSeconds); !near(s.Mean, 12, 1e-12) {
		t.Errorf("MTL train seconds = %+v, want 12", s)
	}
	// STL has no similarity metric at all: no value, not 0.
	if s := stl.Summarize(ColSpearman); s.Valid() || s.N != 0 || !math.IsNaN(s.Mean) {
		t.Errorf("STL Spearman = %+v, want missing", s)
	}
	// MTL Spearman 0.30, 0.34, 0.32 → mean 0.32, std 0.02.
	if s := mtl.Summarize(ColSpearman); !near(s.Mean, 0.32, 1e-12) || !near(s.Std, 0.02, 1e-12) {
		t.Errorf("MTL Spearman = %+v", s)
	}
}

func TestSummarizeOneValue(t *testing.T) {
	s := Summarize([]float64{0.5})
	if s.N != 1 || s.Mean != 0.5 || !math.IsNaN(s.Std) || !math.IsNaN(s.CILow) {
		t.Errorf("Summarize one value = %+v", s)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
