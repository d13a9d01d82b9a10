package experiments

import (
	"context"
	"math"
	"slices"
	"testing"
)

// Every adaptive strategy trains on the tiny slice and records, per epoch,
// its mean applied weights and, when it reads gradients, the mean cosine of
// each auxiliary task with the primary over every step of the epoch.
func TestAdaptiveStrategiesRecordSignals(t *testing.T) {
	data := testData(t)
	for _, c := range []struct {
		spec  string
		grads bool
	}{
		{"gcs", true}, {"gcs-binary", true}, {"olaux:n=2", true}, {"switch-auto", true},
		{"uncertainty", false}, {"dwa", false}, {"pcgrad", true}, {"gcs:every=2", true},
	} {
		tr, err := Run(context.Background(), tinyConfig(t, c.spec), data, Hooks{})
		if err != nil {
			t.Fatalf("%s: %v", c.spec, err)
		}
		for _, e := range tr.Record.Epochs {
			s := e.Signals
			if s == nil {
				t.Fatalf("%s epoch %d: no signals recorded", c.spec, e.Epoch)
			}
			if len(e.Ran) < 3 {
				continue // switched off: nothing measured
			}
			want := 0
			if c.grads {
				want = e.Steps
			}
			if c.spec == "gcs:every=2" { // every other step of the run
				if s.Measured < e.Steps/2 || s.Measured > (e.Steps+1)/2 {
					t.Errorf("%s epoch %d: %d measured of %d steps", c.spec, e.Epoch, s.Measured, e.Steps)
				}
			} else if s.Measured != want {
				t.Errorf("%s epoch %d: %d measured steps, want %d", c.spec, e.Epoch, s.Measured, want)
			}
			for _, aux := range []string{"similarity", "analogy"} {
				w, ok := e.Weights[aux]
				if !ok || w < 0 || math.IsNaN(w) {
					t.Errorf("%s epoch %d: weight of %s = %v", c.spec, e.Epoch, aux, w)
				}
				if !c.grads {
					continue
				}
				cos, ok := s.Cosine[aux]
				if !ok || cos < -1 || cos > 1 || cos == 0 {
					t.Errorf("%s epoch %d: cosine of %s = %v (recorded %v)", c.spec, e.Epoch, aux, cos, ok)
				}
				if s.GradNorm[aux] <= 0 || s.GradNorm["sentiment"] <= 0 {
					t.Errorf("%s epoch %d: gradient norms %v", c.spec, e.Epoch, s.GradNorm)
				}
			}
		}
	}
}

// A schedule strategy records no signals: the adaptive machinery never ran.
func TestScheduleStrategyRecordsNoSignals(t *testing.T) {
	tr, err := Run(context.Background(), tinyConfig(t, "mtl:lambda=0.5"), testData(t), Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range tr.Record.Epochs {
		if e.Signals != nil || e.Weights["analogy"] != 0.5 {
			t.Errorf("epoch %d: signals %+v, weights %v", e.Epoch, e.Signals, e.Weights)
		}
	}
}

// The plateau switch stops the auxiliary tasks after the epoch in which
// the rule fired and says so in that epoch's record.
func TestAutoSwitchRecordsWhenAndWhy(t *testing.T) {
	cfg := tinyConfig(t, "switch-auto:patience=1,conflict=0")
	cfg.Epochs = 6
	tr, err := Run(context.Background(), cfg, testData(t), Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	fired := 0
	for _, e := range tr.Record.Epochs {
		if fired > 0 && !slices.Equal(e.Ran, []string{"sentiment"}) {
			t.Errorf("epoch %d ran %v after the switch at epoch %d", e.Epoch, e.Ran, fired)
		}
		if fired == 0 && len(e.Ran) != 3 {
			t.Errorf("epoch %d ran %v before any switch", e.Epoch, e.Ran)
		}
		if ev := e.Signals.Events; len(ev) > 0 {
			if fired > 0 || ev[0].Rule != "plateau" || len(ev[0].Tasks) != 2 || ev[0].Detail == "" {
				t.Errorf("epoch %d events %+v", e.Epoch, ev)
			}
			// patience 1: the epoch's validation accuracy is not above the best before it.
			best := 0.0
			for _, p := range tr.Record.Epochs[:e.Epoch-1] {
				best = max(best, p.Val["accuracy"])
			}
			if e.Val["accuracy"] > best {
				t.Errorf("epoch %d: switched although accuracy %v beat the best %v", e.Epoch, e.Val["accuracy"], best)
			}
			fired = e.Epoch
		}
	}
	if fired == 0 { // with this seed accuracy stalls after epoch 1 (measured: the switch fires after epoch 2)
		t.Fatal("the plateau rule never fired in 6 epochs with patience 1")
	}
}
