package bench

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"
)

// Every model builds at torch_ref.py's shapes and trains: finite losses, one
// per task, and the embedding rows of the batch move.
func TestModelsStep(t *testing.T) {
	for _, name := range Models {
		t.Run(name, func(t *testing.T) {
			s, err := New(name, 1)
			if err != nil {
				t.Fatal(err)
			}
			wantTasks := map[string]int{"bag": 1, "mtl": 3, "lstm": 1, "bilstm": 1}[name]
			if len(s.Tasks) != wantTasks || len(s.Weights) != wantTasks {
				t.Fatalf("%d tasks, %d weights; want %d", len(s.Tasks), len(s.Weights), wantTasks)
			}
			before := slices.Clone(s.Model.Embedding.W)
			s.Next()
			losses, err := s.Step()
			if err != nil {
				t.Fatal(err)
			}
			for i, l := range losses {
				if math.IsNaN(l) || math.IsInf(l, 0) || l <= 0 {
					t.Errorf("loss %d (%s) = %v", i, s.Tasks[i].Name(), l)
				}
			}
			moved := 0
			for i := range before {
				if before[i] != s.Model.Embedding.W[i] {
					moved++
				}
			}
			// A batch reads ~5,400 distinct rows of 100 values.
			if moved < 100*Dim {
				t.Errorf("%d embedding values moved after one step", moved)
			}
		})
	}
}

// The synthetic reviews follow torch_ref.py: 60% of the tokens from the
// label's half of the vocabulary, the rest uniform, so 0.6 + 0.4·0.5 = 80% of
// the tokens fall in the label's half.
func TestSyntheticDocumentsFollowTorchRef(t *testing.T) {
	docs := SyntheticDocuments(400, 3)
	in, all := 0, 0
	labels := [Classes]int{}
	for _, d := range docs.Train {
		if len(d.IDs) != Tokens {
			t.Fatalf("document of %d tokens, want %d", len(d.IDs), Tokens)
		}
		labels[d.Label]++
		for _, id := range d.IDs {
			if int(id)/(Vocab/2) == d.Label {
				in++
			}
			all++
		}
	}
	if f := float64(in) / float64(all); math.Abs(f-0.8) > 0.01 {
		t.Errorf("%.3f of the tokens in the label's half, want 0.80", f)
	}
	if labels[0] < 150 || labels[1] < 150 {
		t.Errorf("labels %v: want both near 200", labels)
	}
}

func TestSimilarityTargetsAreTorchRefs(t *testing.T) {
	sim, err := newSimilarity(1)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[float32]int{}
	for _, p := range sim.TrainPairs() {
		counts[p.Target]++
	}
	if len(counts) != 2 || counts[0.8] < 100 || counts[0] < 100 {
		t.Errorf("training targets %v: want only 0.8 and 0, ~1000 each", counts)
	}
}

func TestMeasureReportsSteps(t *testing.T) {
	s, err := New("bag", 2)
	if err != nil {
		t.Fatal(err)
	}
	var seen []int
	r, err := Measure(s, 1, 3, func(step int) error { seen = append(seen, step); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if r.Model != "bag" || r.Steps != 3 || len(r.Times) != 3 || r.MedianMS <= 0 || fmt.Sprint(seen) != "[1 2 3]" {
		t.Errorf("result %+v, hook saw %v", r, seen)
	}
	if r.MedianMS != round3(Median(r.Times)) {
		t.Errorf("median %v of %v", r.MedianMS, r.Times)
	}
	if _, err := Measure(s, 0, 0, nil); err == nil {
		t.Error("0 steps accepted")
	}
	if _, err := New("cnn", 1); err == nil {
		t.Error("unknown model accepted")
	}
}

func TestMedianIsPythons(t *testing.T) {
	// statistics.median([3, 1, 2]) = 2; statistics.median([4, 1, 3, 2]) = 2.5
	if Median([]float64{3, 1, 2}) != 2 || Median([]float64{4, 1, 3, 2}) != 2.5 {
		t.Error("median differs from Python's statistics.median")
	}
}

func TestReadMemory(t *testing.T) {
	m, err := ReadMemory()
	if err != nil {
		t.Skipf("no /proc/self/status here: %v", err)
	}
	if m.RSSMB <= 0 || m.PeakMB < m.RSSMB {
		t.Errorf("memory %+v: want 0 < rss <= peak", m)
	}
}

// Under Switch the epochs after the switch run the primary task alone (the
// program without the auxiliary heads); under Diminish with weights above
// the threshold every epoch runs all three.
func TestStrategiesRunTheActiveTasks(t *testing.T) {
	runs, err := Strategies(context.Background(), StrategyOptions{
		Specs:  []string{"stl", "mtl:lambda=0.5", "diminish:gamma=0.5,eta=0.3,nu=1", "switch:epoch=1,lambda=0.5"},
		Epochs: 2, Steps: 1, SkipBelow: 1e-4, Seed: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	ran := map[string]string{}
	for _, r := range runs {
		for _, e := range r.Epochs {
			ran[fmt.Sprintf("%s/%d", r.Name, e.Epoch)] = fmt.Sprint(e.Ran)
		}
	}
	want := map[string]string{
		"stl/1": "[sentiment]", "stl/2": "[sentiment]",
		"mtl/1": "[sentiment skipgram similarity]", "mtl/2": "[sentiment skipgram similarity]",
		"diminish/1": "[sentiment skipgram similarity]", "diminish/2": "[sentiment skipgram similarity]",
		"switch/1": "[sentiment skipgram similarity]", "switch/2": "[sentiment]",
	}
	for k, w := range want {
		if ran[k] != w {
			t.Errorf("%s ran %s, want %s", k, ran[k], w)
		}
	}
	s, ok := CompareSaving(runs)
	if !ok || s.STLSeconds <= 0 || s.MTLSeconds <= 0 || s.ZeroVsSTL <= 0 || s.WeightedVsMTL <= 0 {
		t.Errorf("saving %+v ok=%v", s, ok)
	}
}

// Adaptive strategies run through their driver and are compared with MTL's
// epochs, not counted as MT2ST schedules.
func TestAdaptiveOverheadAgainstMTL(t *testing.T) {
	runs, err := Strategies(context.Background(), StrategyOptions{
		Specs:  []string{"stl", "mtl:lambda=0.5", "switch:epoch=1,lambda=0.5", "gcs:lambda=0.5", "dwa:lambda=0.5"},
		Epochs: 3, Steps: 2, SkipBelow: 1e-4, Seed: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	o := CompareOverhead(runs)
	if len(o) != 2 || o[0].Label != "GCS" || o[1].Label != "DWA" {
		t.Fatalf("overhead rows %+v", o)
	}
	for _, r := range o {
		if r.Epochs != 3 || r.Seconds <= 0 || r.MTLSeconds <= 0 || r.Ratio != r.Seconds/r.MTLSeconds {
			t.Errorf("%+v", r)
		}
	}
	// GCS records mean weights in [0, λ]; DWA's third epoch reads the first two losses.
	for _, r := range runs {
		if r.Name == "gcs" {
			for _, e := range r.Epochs {
				if w := e.Weights["similarity"]; w < 0 || w > 0.5 {
					t.Errorf("gcs epoch %d weight %v outside [0, 0.5]", e.Epoch, w)
				}
			}
		}
	}
	if s, ok := CompareSaving(runs); !ok || s.WeightedEpochs != 1 || s.ZeroWeightEpochs != 2 {
		t.Errorf("saving counted adaptive runs: %+v", s)
	}
}
