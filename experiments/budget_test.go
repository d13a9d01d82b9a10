package experiments

import (
	"context"
	"strings"
	"testing"
)

// Under Switch at epoch 2 with similarity.steps_per_step=3, similarity runs
// three steps per primary step in epochs 1–2 (one joint, two auxiliary-only)
// and none after the switch; analogy keeps the default budget of 1.
func TestStepBudgetRunsAuxiliaryOnlySteps(t *testing.T) {
	data := testData(t)
	cfg := tinyConfig(t, "switch:epoch=2,lambda=1")
	cfg.Settings = map[string]string{"similarity.steps_per_step": "3"}
	tr, err := Run(context.Background(), cfg, data, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	r := tr.Record
	steps := r.Epochs[0].Steps
	for _, e := range r.Epochs {
		wantSim, wantAna := 3*steps, steps
		if e.Epoch > 2 {
			wantSim, wantAna = 0, 0
		}
		if e.TaskSteps["sentiment"] != steps || e.TaskSteps["similarity"] != wantSim || e.TaskSteps["analogy"] != wantAna {
			t.Errorf("epoch %d task steps %v, want sentiment %d similarity %d analogy %d", e.Epoch, e.TaskSteps, steps, wantSim, wantAna)
		}
		if e.Epoch <= 2 && (e.Examples["similarity"] <= e.Examples["analogy"] || e.Examples["similarity"] < int64(wantSim)) {
			t.Errorf("epoch %d examples %v: similarity took %d steps of at least one pair", e.Epoch, e.Examples, wantSim)
		}
	}
	// The model counts executions of each head: 2 epochs × 3 per step.
	if got := tr.Model.Runs("similarity"); got != 2*3*steps {
		t.Errorf("similarity head ran %d times, want %d", got, 2*3*steps)
	}
	if got := tr.Model.Runs("analogy"); got != 2*steps {
		t.Errorf("analogy head ran %d times, want %d", got, 2*steps)
	}
}

func TestStepBudgetErrors(t *testing.T) {
	data := testData(t)
	for set, want := range map[string]string{
		"similarity.steps_per_step": "want >= 1",
		"sentiment.steps_per_step":  "auxiliary tasks only",
	} {
		cfg := tinyConfig(t, "mtl:lambda=1")
		cfg.Epochs = 1
		v := "0"
		if strings.HasPrefix(set, "sentiment") {
			v = "2"
		}
		cfg.Settings = map[string]string{set: v}
		if _, err := Run(context.Background(), cfg, data, Hooks{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s=%s: error %v, want one containing %q", set, v, err, want)
		}
	}
}

// A primary task's budget of 1 is the default said aloud: a sweep file's
// include that trains an auxiliary task alone resets the base's budget with
// it, and the run trains.
func TestPrimaryBudgetOfOneIsAccepted(t *testing.T) {
	data := testData(t)
	cfg := tinyConfig(t, "mtl:lambda=1")
	cfg.Epochs = 1
	cfg.Settings = map[string]string{"sentiment.steps_per_step": "1"}
	if _, err := Run(context.Background(), cfg, data, Hooks{}); err != nil {
		t.Fatalf("sentiment.steps_per_step=1: %v", err)
	}
}
