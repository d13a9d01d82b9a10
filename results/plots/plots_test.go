package plots

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mt2st/mt2st/strategies"

	"github.com/mt2st/mt2st/results"
)

// sweep builds 3 seeds × 4 strategies of a 10-epoch run with learning-curve
// shaped validation accuracy, Switch at epoch 4 and Diminish weights
// exp(−0.5 t), and epochs that cost 2 s with auxiliary tasks and 1 s without.
func sweep() []*results.Record {
	type strat struct {
		label, spec string
		weight      func(t int) float64
		ceiling     float64
	}
	strats := []strat{
		{"STL", "stl", func(int) float64 { return 0 }, 0.80},
		{"MTL", "mtl:lambda=0.5", func(int) float64 { return 0.5 }, 0.83},
		{"Diminish", "diminish:gamma=1,eta=0.5,nu=1", func(t int) float64 { return math.Exp(-0.5 * float64(t)) }, 0.84},
		{"Switch", "switch:epoch=4,lambda=1", func(t int) float64 {
			if t <= 4 {
				return 1
			}
			return 0
		}, 0.85},
	}
	var recs []*results.Record
	for _, s := range strats {
		for seed := 1; seed <= 3; seed++ {
			r := &results.Record{Schema: results.SchemaVersion, ID: fmt.Sprintf("%s-%d", s.label, seed), Label: s.label,
				Strategy: strategies.MustParseSpec(s.spec), Seed: int64(seed), Status: results.StatusDone, Tasks: []string{"sentiment", "similarity", "analogy"}}
			cum := 0.0
			for t := 1; t <= 10; t++ {
				w := s.weight(t)
				secs := 1.0
				if w > 0 {
					secs = 2
				}
				cum += secs
				acc := s.ceiling - 0.3*math.Exp(-0.5*float64(t)) + 0.01*float64(seed-2)
				r.Epochs = append(r.Epochs, results.Epoch{Epoch: t,
					Weights: map[string]float64{"sentiment": 1, "similarity": w, "analogy": w / 2},
					Val:     results.Metrics{"accuracy": acc}, Seconds: secs, CumSeconds: cum})
			}
			r.TrainSeconds = cum
			r.Final = results.Metrics{"accuracy": s.ceiling}
			recs = append(recs, r)
		}
	}
	return recs
}

func TestAllWritesValidFiles(t *testing.T) {
	dir := t.TempDir()
	if out := os.Getenv("MT2ST_PLOT_DIR"); out != "" {
		dir = out // keep the files to look at them: MT2ST_PLOT_DIR=/tmp/plots go test ./results/plots
	}
	rep := results.BuildReport(sweep(), results.ReportOptions{})
	paths, err := All(dir, rep, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"validation_by_epoch", "validation_by_time", "weights_similarity", "weights_analogy", "time_to_target"}
	if len(paths) != 2*len(want) {
		t.Fatalf("wrote %v, want svg and png of %v", paths, want)
	}
	for i, name := range want {
		for j, ext := range []string{".svg", ".png"} {
			if got := paths[2*i+j]; got != filepath.Join(dir, name+ext) {
				t.Errorf("path %d = %s, want %s", 2*i+j, got, name+ext)
			}
		}
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		switch filepath.Ext(p) {
		case ".png":
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Errorf("%s: not a PNG: %v", p, err)
				continue
			}
			// 16 cm at 150 dpi = 945 px.
			if b := img.Bounds(); b.Dx() < 900 || b.Dy() < 500 {
				t.Errorf("%s: %v px, want about 945 × 590", p, b)
			}
		case ".svg":
			if err := wellFormedXML(data); err != nil {
				t.Errorf("%s: not well-formed XML: %v", p, err)
			}
			if !bytes.Contains(data, []byte("<svg")) {
				t.Errorf("%s: no <svg> element", p)
			}
		}
	}
	// The legends name every group, and the weights plot marks the switch epoch.
	svg, _ := os.ReadFile(filepath.Join(dir, "validation_by_epoch.svg"))
	for _, g := range []string{"STL (n=3)", "MTL (n=3)", "Diminish (n=3)", "Switch (n=3)"} {
		if !bytes.Contains(svg, []byte(g)) {
			t.Errorf("validation_by_epoch.svg lacks legend entry %q", g)
		}
	}
	if w, _ := os.ReadFile(filepath.Join(dir, "weights_similarity.svg")); !bytes.Contains(w, []byte("switch after epoch 4 (Switch)")) {
		t.Error("weights_similarity.svg does not mark the switch epoch")
	}
}

func wellFormedXML(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func TestGroupCurve(t *testing.T) {
	groups := results.GroupRecords(sweep())
	pts := groupCurve(groups[0], "accuracy", results.SpreadStd)
	if len(pts) != 10 {
		t.Fatalf("%d points, want 10", len(pts))
	}
	// STL epoch 1: 0.80 − 0.3·e^−0.5 + 0.01·(seed−2) for seeds 1..3: mean
	// 0.80 − 0.3·0.60653066 = 0.61804080, std 0.01 (values −0.01, 0, +0.01).
	p := pts[0]
	if math.Abs(p.mean-0.6180408020) > 1e-9 || math.Abs(p.hi-p.mean-0.01) > 1e-12 || p.seconds != 1 {
		t.Errorf("epoch 1 = %+v", p)
	}
	// Switch: 2 s per epoch up to the switch at 4, then 1 s: epoch 6 at 2·4 + 2 = 10 s.
	if sw := groupCurve(groups[3], "accuracy", results.SpreadCI95); sw[5].seconds != 10 || !(sw[5].lo < sw[5].mean) {
		t.Errorf("Switch epoch 6 = %+v", sw[5])
	}
}

func TestSwitchEpoch(t *testing.T) {
	cases := []struct {
		spec string
		want int
		ok   bool
	}{
		{"switch:epoch=15,lambda=1", 15, true},
		{"switch: lambda=1, epoch = 7", 7, true},
		{"switch:lambda=1", 15, true}, // the default epoch
		{"mtl:lambda=0.5", 0, false},
		{"diminish:gamma=1,eta=0.3,nu=1", 0, false},
	}
	for _, c := range cases {
		if got, ok := SwitchEpoch(strategies.MustParseSpec(c.spec)); got != c.want || ok != c.ok {
			t.Errorf("SwitchEpoch(%q) = %d, %v; want %d, %v", c.spec, got, ok, c.want, c.ok)
		}
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := ValidationByEpoch(dir, nil, Options{}); err == nil {
		t.Error("no groups accepted")
	}
	rep := results.BuildReport(sweep()[3:], results.ReportOptions{}) // no STL: no target
	if _, err := TimeToTarget(dir, rep, Options{}); err == nil || !strings.Contains(err.Error(), "no target") {
		t.Errorf("TimeToTarget without target: %v", err)
	}
	// All skips the bars when there is no target instead of failing.
	if paths, err := All(dir, rep, Options{Formats: []string{"svg"}}); err != nil || len(paths) != 4 {
		t.Errorf("All without target = %v, %v; want 4 svg files", paths, err)
	}
	if _, err := ValidationByEpoch(dir, results.GroupRecords(sweep()), Options{Formats: []string{"gif"}}); err == nil {
		t.Error("unknown format accepted")
	}
}

// claimsSweep is sweep() with the Diminish group replaced by a 2 × 2 grid
// η ∈ {0.1, 0.3} × ν ∈ {1, 2} (γ = 1), and similarity trained alone (label
// "STL", strategy stl, as a sweep labels it; no validation accuracy).
func claimsSweep() []*results.Record {
	var recs []*results.Record
	for _, r := range sweep() {
		if r.Label != "Diminish" {
			r.ConfigHash = r.Label
			recs = append(recs, r)
			continue
		}
		for _, spec := range []string{"eta=0.1,nu=1", "eta=0.1,nu=2", "eta=0.3,nu=1", "eta=0.3,nu=2"} {
			c := *r
			c.Strategy = strategies.MustParseSpec("diminish:gamma=1," + spec)
			c.Label, c.ConfigHash = "Diminish "+spec, spec
			recs = append(recs, &c)
		}
	}
	for seed := int64(1); seed <= 3; seed++ {
		recs = append(recs, &results.Record{Schema: results.SchemaVersion, ID: fmt.Sprintf("sim-%d", seed), Label: "STL", ConfigHash: "sim",
			Strategy: strategies.MustParseSpec("stl"), Seed: seed, Status: results.StatusDone, Tasks: []string{"similarity"}, TrainSeconds: 3,
			Epochs: []results.Epoch{{Epoch: 1, Weights: map[string]float64{"similarity": 1}, Val: results.Metrics{}, Seconds: 3, CumSeconds: 3}},
			Final:  results.Metrics{"similarity/spearman_mean": 0.4}})
	}
	return recs
}

func TestDiminishHeatMapsAndAloneGroups(t *testing.T) {
	dir := t.TempDir()
	if out := os.Getenv("MT2ST_PLOT_DIR"); out != "" {
		dir = out
	}
	rep := results.BuildReport(claimsSweep(), results.ReportOptions{})
	paths, err := All(dir, rep, Options{Formats: []string{"svg"}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, filepath.Base(p))
	}
	want := "validation_by_epoch.svg validation_by_time.svg weights_similarity.svg weights_analogy.svg time_to_target.svg diminish_test_gamma1.svg diminish_saved_vs_mtl_gamma1.svg"
	if strings.Join(names, " ") != want {
		t.Fatalf("wrote %v, want %s", names, want)
	}
	// Cell labels: test accuracy 0.840 (sweep's Diminish ceiling) in every
	// cell; Diminish's epochs cost 2 s while w > 0 … all ten here, as MTL's:
	// 0% saved.
	heat, _ := os.ReadFile(filepath.Join(dir, "diminish_test_gamma1.svg"))
	saved, _ := os.ReadFile(filepath.Join(dir, "diminish_saved_vs_mtl_gamma1.svg"))
	if err := wellFormedXML(heat); err != nil || bytes.Count(heat, []byte(">0.840<")) != 4 || bytes.Count(saved, []byte(">0%<")) != 4 {
		t.Errorf("heat maps lack their 4 cell labels (%v)", err)
	}
	// The similarity-alone group weights similarity at 1 as its own primary
	// task: it is not drawn as an auxiliary weight, nor in the target bars.
	w, _ := os.ReadFile(filepath.Join(dir, "weights_similarity.svg"))
	bars, _ := os.ReadFile(filepath.Join(dir, "time_to_target.svg"))
	if bytes.Contains(w, []byte("similarity alone")) || bytes.Contains(bars, []byte("similarity alone")) || !bytes.Contains(bars, []byte("MTL (")) {
		t.Error("the similarity-alone group is drawn as an auxiliary weight or a target bar")
	}
}
