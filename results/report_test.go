package results

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTimeToTargetPerRun(t *testing.T) {
	r := run("X", "", "stl", 1, nil, []float64{0.5, 0.79, 0.792, 0.9}, []float64{1, 2, 4, 8})
	// First epoch with val ≥ 0.792 is epoch 3 (equality counts); cum seconds 1+2+4 = 7.
	if h := r.TimeToTarget("accuracy", 0.792); !h.Reached || h.Epoch != 3 || h.Seconds != 7 {
		t.Errorf("hit = %+v, want epoch 3 at 7 s", h)
	}
	if h := r.TimeToTarget("accuracy", 0.95); h.Reached {
		t.Errorf("hit = %+v, want not reached", h)
	}
	if h := r.TimeToTarget("macro_f1", 0.1); h.Reached {
		t.Errorf("a metric the run lacks must not count as reached: %+v", h)
	}
}

func TestReportByHand(t *testing.T) {
	rep := BuildReport(sweepFixture(), ReportOptions{})
	// Target = 0.99 × mean(best STL val 0.80, 0.82, 0.78) = 0.99 × 0.80 = 0.792.
	if !near(rep.Target, 0.792, 1e-12) {
		t.Fatalf("target = %v, want 0.792", rep.Target)
	}
	if len(rep.Unfinished) != 1 || len(rep.Rows) != 3 {
		t.Fatalf("%d unfinished, %d rows", len(rep.Unfinished), len(rep.Rows))
	}
	stl, mtl, sw := rep.Rows[0], rep.Rows[1], rep.Rows[2]

	// STL seed 1 reaches 0.80 at epoch 3 (6 s), seed 2 0.82 at epoch 2 (4 s),
	// seed 3 peaks at 0.78 < 0.792: 2 of 3, epoch 2.5, seconds 5.
	if stl.Reached != 2 || len(stl.Hits) != 3 || !near(stl.EpochToTarget.Mean, 2.5, 1e-12) || !near(stl.SecondsToTarget.Mean, 5, 1e-12) {
		t.Errorf("STL time to target: %+v", stl)
	}
	// MTL: epoch 2 (6 s), epoch 2 (0.79 < 0.792 at epoch 1; 6 s), epoch 4 (12 s):
	// mean 8 s; scipy t.interval(0.95, 2, 8, sem([6,6,12])) = (-0.6053054598225494, 16.60530545982255).
	if mtl.Reached != 3 || !near(mtl.SecondsToTarget.Mean, 8, 1e-12) || !near(mtl.EpochToTarget.Mean, 8.0/3, 1e-12) ||
		!near(mtl.SecondsToTarget.CILow, -0.6053054598225494, 1e-9) || !near(mtl.SecondsToTarget.CIHigh, 16.60530545982255, 1e-9) {
		t.Errorf("MTL time to target: %+v", mtl.SecondsToTarget)
	}
	// Switch: epoch 1 (3 s) and epoch 2 (3+3 = 6 s): mean 4.5 s.
	if sw.Reached != 2 || !near(sw.SecondsToTarget.Mean, 4.5, 1e-12) {
		t.Errorf("Switch time to target: %+v", sw.SecondsToTarget)
	}
	// Speed-ups: ratio of mean seconds, STL 5 / Switch 4.5 = 1.111, MTL 8 / 4.5 = 1.778.
	// With two Switch runs 3 s apart Fieller's set is unbounded
	// (golden_stats.py ratio([6, 4], [3, 6]) has no bounds): no interval.
	if iv := sw.SpeedupVsSTL; !near(iv.Value, 5/4.5, 1e-12) || iv.HasInterval() {
		t.Errorf("Switch speed-up vs STL = %+v, want 1.111 without interval", iv)
	}
	if !near(sw.SpeedupVsMTL.Value, 8/4.5, 1e-12) || !near(mtl.SpeedupVsSTL.Value, 5.0/8, 1e-12) {
		t.Errorf("speed-ups: Switch/MTL %v, MTL/STL %v", sw.SpeedupVsMTL.Value, mtl.SpeedupVsSTL.Value)
	}
	// STL vs MTL: 8/5 = 1.6, golden_stats.py ratio([6, 6, 12], [6, 4]).
	if iv := stl.SpeedupVsMTL; !near(iv.Value, 1.6, 1e-12) || !near(iv.Low, 0.30191821121327794, 1e-8) || !near(iv.High, 5.139038724330061, 1e-8) {
		t.Errorf("STL speed-up vs MTL = %+v, want 1.6 [0.30191821121327794, 5.139038724330061]", iv)
	}
	if !stl.SpeedupVsSTL.Undefined || !mtl.SpeedupVsMTL.Undefined || !stl.DeltaVsSTL.Undefined {
		t.Error("a reference group must not be compared with itself")
	}
	// Δ test accuracy Switch − STL = 0.87 − 0.80 = 0.07, Welch interval from
	// golden_stats.py welch([0.86, 0.88], [0.80, 0.82, 0.78]).
	if iv := sw.DeltaVsSTL; !near(iv.Value, 0.07, 1e-12) || !near(iv.Low, 0.02024532403587665, 1e-9) ||
		!near(iv.High, 0.11975467596412304, 1e-9) || !near(iv.DF, 2.8823529411764675, 1e-9) {
		t.Errorf("Switch Δ vs STL = %+v", iv)
	}
}

func TestReportGivenTargetAndNoSTL(t *testing.T) {
	rep := BuildReport(sweepFixture(), ReportOptions{Target: 0.85})
	// Only Switch seed 2 (0.85 at epoch 3, 3+3+2 = 8 s) reaches 0.85.
	if rep.Target != 0.85 || rep.Rows[2].Reached != 1 || rep.Rows[2].SecondsToTarget.Mean != 8 || rep.Rows[0].Reached != 0 {
		t.Errorf("given target: %+v", rep.Rows[2])
	}
	if !strings.Contains(rep.TargetNote, "given") {
		t.Errorf("note = %q", rep.TargetNote)
	}
	// Nobody else reached it: no speed-up can be computed.
	if !rep.Rows[2].SpeedupVsSTL.Undefined {
		t.Errorf("speed-up without reference hits = %+v", rep.Rows[2].SpeedupVsSTL)
	}

	noSTL := BuildReport(sweepFixture()[3:], ReportOptions{})
	if !math.IsNaN(noSTL.Target) || !strings.Contains(noSTL.TargetNote, "no finished STL run") {
		t.Errorf("without STL: target %v, note %q", noSTL.Target, noSTL.TargetNote)
	}
	var b bytes.Buffer
	if err := noSTL.WriteTerminal(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "no finished STL run") {
		t.Errorf("the terminal report does not say why there is no time to target:\n%s", b.String())
	}
}

func TestReferenceGroupPrefersSameSetting(t *testing.T) {
	recs := []*Record{
		run("STL", "0: primary only", "stl", 1, Metrics{"accuracy": 0.7}, []float64{0.7}, []float64{1}),
		run("STL", "1: +similarity", "stl", 1, Metrics{"accuracy": 0.6}, []float64{0.6}, []float64{1}),
		run("MTL", "1: +similarity", "mtl:lambda=1", 1, Metrics{"accuracy": 0.8}, []float64{0.8}, []float64{1}),
		run("MTL", "2: +analogy", "mtl:lambda=1", 1, Metrics{"accuracy": 0.9}, []float64{0.9}, []float64{1}),
	}
	rep := BuildReport(recs, ReportOptions{})
	if rep.Rows[2].STL != rep.Groups[1] {
		t.Errorf("MTL setting 1 compared with %v, want STL setting 1", rep.Rows[2].STL.GroupKey)
	}
	if rep.Rows[3].STL != rep.Groups[0] {
		t.Errorf("MTL setting 2 (no STL of its own) compared with %v, want the first STL group", rep.Rows[3].STL.GroupKey)
	}
	// One run per group: Δ without an interval.
	if iv := rep.Rows[2].DeltaVsSTL; !near(iv.Value, 0.2, 1e-12) || iv.HasInterval() {
		t.Errorf("Δ = %+v, want 0.2 without interval", iv)
	}
}

func TestTargetTableCells(t *testing.T) {
	rep := BuildReport(sweepFixture(), ReportOptions{})
	var b bytes.Buffer
	if err := rep.TargetTable().WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	header, rows := markdownCells(t, b.String())
	reached, secs, sp := column(t, header, "reached"), column(t, header, "seconds to target"), column(t, header, "speed-up vs STL")
	if rows[0][reached] != "2/3" || rows[0][sp] != "reference" {
		t.Errorf("STL row = %v", rows[0])
	}
	// Switch has the lowest mean seconds (4.5) and the highest speed-up
	// (1.11×, no bounded interval: see TestReportByHand).
	if rows[2][secs] != "**4.50 [-14.56, 23.56]**" || rows[2][sp] != "**1.11×**" {
		t.Errorf("Switch row = %v", rows[2])
	}
}

func TestReportDirAndCSVFiles(t *testing.T) {
	dir := t.TempDir()
	for _, r := range sweepFixture() {
		if _, err := WriteRecord(filepath.Join(dir, "trials", r.ID), r); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "trials", "half.json"), []byte(`{"schema":1,"id":"half","epo`), 0o644)
	rep, err := ReportDir(dir, ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 1 || len(rep.Groups) != 3 || len(rep.Unfinished) != 1 {
		t.Fatalf("problems %v, %d groups, %d unfinished", rep.Problems, len(rep.Groups), len(rep.Unfinished))
	}
	paths, err := rep.WriteCSVFiles(filepath.Join(dir, "report"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 4 {
		t.Fatalf("wrote %v, want 4 files (with not_aggregated.csv)", paths)
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil || len(rows) < 2 {
			t.Errorf("%s: %d rows, %v", p, len(rows), err)
		}
	}
	var md bytes.Buffer
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "half.json") || !strings.Contains(md.String(), "### Time to target") {
		t.Errorf("markdown report lacks the unreadable file or the target table:\n%s", md.String())
	}
}

func TestFormatSaved(t *testing.T) {
	// Speed-up 2 [1.25, 4]: time saved 1 − 1/2 = 50%, bounds 1 − 1/1.25 = 20%, 1 − 1/4 = 75%.
	if got := formatSaved(Interval{Value: 2, Low: 1.25, High: 4}, false); got != "50% [20, 75]" {
		t.Errorf("formatSaved = %q", got)
	}
	if got := formatSaved(Interval{Value: 2, Low: -1, High: 4}, false); got != "50% [-∞, 75]" {
		t.Errorf("formatSaved with a non-positive bound = %q", got)
	}
	if got := formatSpeedup(Interval{Value: 2, Low: math.NaN(), High: math.NaN()}, false); got != "2.00×" {
		t.Errorf("formatSpeedup without bounds = %q", got)
	}
}
