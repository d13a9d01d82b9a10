package results

import (
	"strings"
	"testing"
)

func TestDeltaVsMcNemarAndPairing(t *testing.T) {
	mk := func(label string, seed int64, replicate int, acc float64, correct []bool) *Record {
		r := run(label, "", strings.ToLower(label), seed, Metrics{"accuracy": acc}, []float64{acc}, []float64{1})
		r.Replicate, r.TestCorrect = replicate, EncodeCorrect(correct)
		return r
	}
	// 12 examples: both right on 0-3, STL alone on 4, MTL alone on 5-10,
	// neither on 11: STL 5/12, MTL 10/12, discordant 1 vs 6.
	stlC := make([]bool, 12)
	mtlC := make([]bool, 12)
	for i := 0; i < 4; i++ {
		stlC[i], mtlC[i] = true, true
	}
	stlC[4] = true
	for i := 5; i < 11; i++ {
		mtlC[i] = true
	}
	groups := GroupRecords([]*Record{mk("STL", 1, 0, 5.0/12, stlC), mk("MTL", 1, 0, 10.0/12, mtlC)})
	// McNemar with 6 vs 1 discordant: p = 2·(1+7)/2⁷ = 0.125 (by hand).
	d, err := DeltaVs(groups[1], groups[0], ColTestAccuracy, true)
	if err != nil || d.Method != DeltaMcNemar || d.Pairs != 12 || !near(d.PValue, 0.125, 1e-12) || !near(d.Value, 5.0/12, 1e-12) {
		t.Errorf("McNemar Δ = %+v, %v", d, err)
	}
	if got := formatDelta(d, false); got != "+0.417 (p = 0.125)" {
		t.Errorf("cell = %q", got)
	}
	// Without correctness on one side: the bare difference.
	groups[0].Runs[0].TestCorrect = ""
	if d, _ := DeltaVs(groups[1], groups[0], ColTestAccuracy, true); d.Method != DeltaSingle || d.HasInterval() {
		t.Errorf("single Δ = %+v", d)
	}
	// A damaged string is reported, not fatal.
	groups[0].Runs[0].TestCorrect = "12:???"
	if d, err := DeltaVs(groups[1], groups[0], ColTestAccuracy, true); err == nil || d.Method != DeltaSingle {
		t.Errorf("damaged correctness: %+v, %v", d, err)
	}

	// Replicate indices pair runs whose seeds differ (sweeps derive a seed per
	// configuration): STL replicates 1, 2 with seeds 11, 12; MTL 2, 1 with
	// seeds 22, 21. Pairs (0.9, 0.8) and (0.7, 0.6): differences 0.1, 0.1 →
	// paired, zero width.
	recs := []*Record{
		mk("STL", 11, 1, 0.8, nil), mk("STL", 12, 2, 0.6, nil),
		mk("MTL", 22, 2, 0.7, nil), mk("MTL", 21, 1, 0.9, nil),
	}
	g := GroupRecords(recs)
	if d, _ := DeltaVs(g[1], g[0], ColTestAccuracy, true); d.Method != DeltaPaired || !near(d.Value, 0.1, 1e-12) || !near(d.High, 0.1, 1e-9) {
		t.Errorf("paired by replicate = %+v", d)
	}
	// Replicate 2 of MTL missing its partner (STL has 1 and 3): Welch.
	recs[1].Replicate = 3
	g = GroupRecords(recs)
	if d, _ := DeltaVs(g[1], g[0], ColTestAccuracy, true); d.Method != DeltaWelch {
		t.Errorf("unpairable = %+v, want Welch", d)
	}
	if !strings.HasSuffix(formatDelta(Delta{Interval: Interval{Value: 0.1, Low: 0, High: 0.2}, Method: DeltaWelch}, false), WelchMarker) {
		t.Error("Welch cells must carry the marker")
	}
}

func TestSelectedValAndFormatMetric(t *testing.T) {
	r := run("X", "", "stl", 1, nil, []float64{0.5, 0.9, 0.7}, []float64{1, 1, 1})
	// No selected_epoch: the best epoch, 2.
	if v, e, ok := r.SelectedVal("accuracy"); !ok || e != 2 || v != 0.9 {
		t.Errorf("best = %v at %d", v, e)
	}
	// The selected epoch 3: its 0.7.
	r.SelectedEpoch = 3
	if v, e, ok := r.SelectedVal("accuracy"); !ok || e != 3 || v != 0.7 {
		t.Errorf("selected = %v at %d", v, e)
	}
	if got := FormatMetric("analogy/questions", 1152); got != "1152" {
		t.Errorf("count = %q", got)
	}
	if got := FormatMetric("accuracy", 0.81234); got != "0.8123" {
		t.Errorf("accuracy = %q", got)
	}
}

// MTL at 1.0 s per epoch against STL at 2.0 s, three runs each with tight
// spreads: the intervals are apart, so the table must flag the timing; with
// MTL slower it must not.
func TestWorkOrderNotes(t *testing.T) {
	mk := func(label string, secs float64) *Record {
		r := run(label, "", strings.ToLower(label), 1, Metrics{"accuracy": 0.7}, []float64{0.7, 0.7}, []float64{secs, secs})
		r.TrainSeconds = 2 * secs
		return r
	}
	fast := GroupRecords([]*Record{mk("STL", 2), mk("STL", 2.02), mk("STL", 1.98), mk("MTL", 1), mk("MTL", 1.01), mk("MTL", 0.99)})
	if notes := WorkOrderNotes(fast); len(notes) != 1 || !strings.Contains(notes[0], "Timing confound: MTL") {
		t.Errorf("notes = %q", notes)
	}
	slow := GroupRecords([]*Record{mk("STL", 1), mk("STL", 1.01), mk("STL", 0.99), mk("MTL", 2), mk("MTL", 2.02), mk("MTL", 1.98)})
	if notes := WorkOrderNotes(slow); len(notes) != 0 {
		t.Errorf("notes = %q, want none", notes)
	}
}
