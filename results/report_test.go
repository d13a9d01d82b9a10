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
	// Kaplan–Meier medians by hand (product-limit, unreached runs censored at
	// their total training time, 8 s, and last epoch, 4):
	//   STL seconds 4, 6, 8+ : S(4) = 2/3, S(6) = 1/3 → median 6; epochs 2, 3, 4+ → 3.
	//   MTL seconds 6, 6, 12 : S(6) = 1/3 → 6;                     epochs 2, 2, 4 → 2.
	//   Switch seconds 3, 6  : S(3) = 1/2 → 3;                     epochs 1, 2 → 1.
	for _, c := range []struct {
		name        string
		row         GroupReport
		secs, epoch float64
	}{{"STL", stl, 6, 3}, {"MTL", mtl, 6, 2}, {"Switch", sw, 3, 1}} {
		if c.row.SecondsMedian.Value != c.secs || c.row.EpochMedian.Value != c.epoch {
			t.Errorf("%s KM medians: seconds %+v, epoch %+v; want %v, %v", c.name, c.row.SecondsMedian, c.row.EpochMedian, c.secs, c.epoch)
		}
		if iv := c.row.SecondsMedian; !(iv.Low > 0 && iv.Low <= iv.Value && iv.Value <= iv.High) {
			t.Errorf("%s seconds interval %+v must be positive and contain the median", c.name, iv)
		}
	}
	// Switch's bootstrap resamples of {3, 6} have medians 3 (3 of 4 resamples)
	// or 6: the interval is [3, 6].
	if iv := sw.SecondsMedian; iv.Low != 3 || iv.High != 6 {
		t.Errorf("Switch seconds interval = %+v, want [3, 6]", iv)
	}
	// Speed-ups are ratios of medians: Switch 6/3 = 2 vs STL and vs MTL,
	// MTL vs STL 6/6 = 1. Bootstrap bounds of Switch vs STL: an STL resample
	// has median 4 when ≥ 2 of its 3 draws are the 4 s run (P = 7/27) and a
	// Switch resample median 6 when both draws are 6 (P = 1/4), so the ratio
	// 4/6 has probability 0.065 > 2.5%: the lower bound is 4/6. An STL
	// resample with ≥ 2 draws of the censored run has no median (P = 7/27 >
	// 2.5%): the upper bound is ∞.
	if iv := sw.SpeedupVsSTL; iv.Value != 2 || !near(iv.Low, 4.0/6, 1e-12) || !math.IsInf(iv.High, 1) {
		t.Errorf("Switch speed-up vs STL = %+v, want 2 [0.667, ∞]", iv)
	}
	if sw.SpeedupVsMTL.Value != 2 || mtl.SpeedupVsSTL.Value != 1 || stl.SpeedupVsMTL.Value != 1 {
		t.Errorf("speed-ups: Switch/MTL %v, MTL/STL %v, STL/MTL %v", sw.SpeedupVsMTL.Value, mtl.SpeedupVsSTL.Value, stl.SpeedupVsMTL.Value)
	}
	again := BuildReport(sweepFixture(), ReportOptions{})
	if a, b := again.Rows[2].SpeedupVsSTL, sw.SpeedupVsSTL; a.Low != b.Low || a.High != b.High ||
		again.Rows[0].SecondsMedian.Low != stl.SecondsMedian.Low || again.Rows[0].SecondsMedian.High != stl.SecondsMedian.High {
		t.Error("the bootstrap must be deterministic")
	}
	if !stl.SpeedupVsSTL.Undefined || !mtl.SpeedupVsMTL.Undefined || !stl.DeltaVsSTL.Undefined {
		t.Error("a reference group must not be compared with itself")
	}
	// Δ test accuracy Switch − STL = 0.87 − 0.80 = 0.07: Switch's two seeds
	// cannot all be paired with STL's three, so Welch, from golden_stats.py
	// welch([0.86, 0.88], [0.80, 0.82, 0.78]).
	if iv := sw.DeltaVsSTL; iv.Method != DeltaWelch || !near(iv.Value, 0.07, 1e-12) || !near(iv.Low, 0.02024532403587665, 1e-9) ||
		!near(iv.High, 0.11975467596412304, 1e-9) || !near(iv.DF, 2.8823529411764675, 1e-9) {
		t.Errorf("Switch Δ vs STL = %+v", iv)
	}
	// MTL and STL share seeds 1, 2, 3: paired. Differences 0.04, 0.01, 0.07:
	// mean 0.04, s_d 0.03, half-width t(0.975, 2)·0.03/√3 with t =
	// 4.3026527297494618 (scripts/metrics_golden.py) = 0.0745241, by hand.
	if iv := mtl.DeltaVsSTL; iv.Method != DeltaPaired || iv.Pairs != 3 || !near(iv.Value, 0.04, 1e-12) ||
		!near(iv.High-iv.Value, 0.0745241, 1e-6) || iv.DF != 2 {
		t.Errorf("MTL Δ vs STL = %+v, want paired 0.04 ± 0.0745", iv)
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
	// STL never reached it, so its median is not reached: the speed-up is
	// only bounded, and not reported.
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
	reached, epoch, secs, sp := column(t, header, "reached"), column(t, header, "median epoch to target"),
		column(t, header, "median seconds to target"), column(t, header, "speed-up vs STL")
	if rows[0][reached] != "2/3 (67%)" || rows[0][sp] != "reference" {
		t.Errorf("STL row = %v", rows[0])
	}
	// Switch has the lowest median seconds (3 [3, 6], see TestReportByHand),
	// the lowest median epoch and the highest speed-up; epochs are integers.
	if rows[2][secs] != "**3.00 [3.00, 6.00]**" || rows[2][sp] != "**2.00× [0.67, ∞]**" || rows[2][epoch] != "**1 [1, 2]**" {
		t.Errorf("Switch row = %v", rows[2])
	}
	for _, row := range rows {
		for _, cell := range []string{row[epoch], row[secs], row[sp]} {
			if strings.Contains(cell, "[-") {
				t.Errorf("negative bound in %q", cell)
			}
		}
	}
	if !strings.Contains(b.String(), "Kaplan–Meier") || !strings.Contains(b.String(), "percentile bootstrap") {
		t.Errorf("notes do not name the methods:\n%s", b.String())
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
	if len(paths) != 5 {
		t.Fatalf("wrote %v, want 5 files (with time_at_equal_accuracy.csv and not_aggregated.csv, without chosen_on_validation.csv: one configuration per strategy)", paths)
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

// chooseFixture: STL and two Switch configurations; A has the better
// validation accuracy (selected-epoch mean 0.86 vs 0.83), B the better test
// accuracy (0.905 vs 0.805).
func chooseFixture() []*Record {
	cfg := func(r *Record, hash string, replicate int) *Record {
		r.ConfigHash, r.Replicate = hash, replicate
		r.SelectedEpoch = 2
		return r
	}
	return []*Record{
		cfg(run("STL", "", "stl", 1, Metrics{"accuracy": 0.78}, []float64{0.70, 0.80}, []float64{1, 1}), "s", 1),
		cfg(run("STL", "", "stl", 2, Metrics{"accuracy": 0.79}, []float64{0.72, 0.81}, []float64{1, 1}), "s", 2),
		cfg(run("Switch epoch=1", "", "switch:epoch=1", 3, Metrics{"accuracy": 0.80}, []float64{0.99, 0.85}, []float64{1, 1}), "a", 1),
		cfg(run("Switch epoch=1", "", "switch:epoch=1", 4, Metrics{"accuracy": 0.81}, []float64{0.60, 0.87}, []float64{1, 1}), "a", 2),
		cfg(run("Switch epoch=2", "", "switch:epoch=2", 5, Metrics{"accuracy": 0.90}, []float64{0.60, 0.82}, []float64{1, 1}), "b", 1),
		cfg(run("Switch epoch=2", "", "switch:epoch=2", 6, Metrics{"accuracy": 0.91}, []float64{0.60, 0.84}, []float64{1, 1}), "b", 2),
	}
}

func TestChosenOnValidation(t *testing.T) {
	rep := BuildReport(chooseFixture(), ReportOptions{})
	if len(rep.Chosen) != 2 {
		t.Fatalf("chosen = %+v, want one per strategy (stl, switch)", rep.Chosen)
	}
	sw := rep.Chosen[1]
	// Switch epoch=1's selected-epoch (2) validation mean is 0.86 — its first
	// run's 0.99 at epoch 1 is not the selected epoch and does not count —
	// against 0.83: it is chosen although its test accuracy is lower.
	if sw.Strategy != "switch" || sw.Candidates != 2 || sw.Row.Group.Label != "Switch epoch=1" || !near(sw.Row.Val.Mean, 0.86, 1e-12) {
		t.Errorf("switch choice = %s among %d, val %v", sw.Row.Group.Label, sw.Candidates, sw.Row.Val.Mean)
	}
	tbl := rep.ChosenTable()
	if tbl == nil {
		t.Fatal("no chosen table")
	}
	var b bytes.Buffer
	if err := tbl.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	header, rows := markdownCells(t, b.String())
	conf, test := column(t, header, "chosen configuration"), column(t, header, "test accuracy")
	// Test of the chosen configuration, by hand: 0.805 ± t(0.975, 1)·s/√2
	// with s = 0.00707, = 0.805 ± 12.706·0.005 = 0.805 ± 0.0635 (t from
	// scripts/metrics_golden.py). Paired with STL by replicate: 0.80−0.78
	// and 0.81−0.79, both 0.02.
	if rows[1][conf] != "Switch epoch=1" || rows[1][test] != "0.805 [0.741, 0.869]" {
		t.Errorf("switch row = %v", rows[1])
	}
	if strings.Contains(b.String(), "**") || !strings.Contains(b.String(), "played no part") {
		t.Errorf("chosen table marks cells or lacks its note:\n%s", b.String())
	}
	if d := sw.Row.DeltaVsSTL; d.Method != DeltaPaired || !near(d.Value, 0.02, 1e-12) {
		t.Errorf("chosen Δ = %+v", d)
	}
	// The Δ table marks nothing: test numbers.
	var db bytes.Buffer
	if err := rep.DeltaTable().WriteMarkdown(&db); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(db.String(), "**") {
		t.Errorf("Δ table marks test numbers:\n%s", db.String())
	}
}

func TestWriteSweepReport(t *testing.T) {
	rep := BuildReport(chooseFixture(), ReportOptions{})
	out := filepath.Join(t.TempDir(), "report")
	var plotted string
	files, err := WriteSweepReport(out, rep, WriteOptions{
		Preamble: "Every configuration trains setting 1.",
		Plots: func(dir string, r *SweepReport) ([]string, error) {
			plotted = dir
			return []string{filepath.Join(dir, "plot.svg")}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"report.md", "report.tex", "comparison.csv", "delta_vs_stl.csv", "chosen_on_validation.csv", "time_to_target.csv", "time_at_equal_accuracy.csv", "plot.svg"}
	var got []string
	for _, f := range files {
		got = append(got, filepath.Base(f))
	}
	if strings.Join(got, " ") != strings.Join(want, " ") || plotted != out {
		t.Fatalf("files %v (plots into %q), want %v", got, plotted, want)
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil || !strings.HasPrefix(string(md), "Every configuration trains setting 1.\n\n### Comparison") ||
		!strings.Contains(string(md), "### Configurations chosen on validation") {
		t.Errorf("report.md = %.200s, %v", md, err)
	}
	tex, err := os.ReadFile(filepath.Join(out, "report.tex"))
	if err != nil || !strings.HasPrefix(string(tex), "% Every configuration") || !strings.Contains(string(tex), `\begin{tabular}`) {
		t.Errorf("report.tex = %.200s, %v", tex, err)
	}
}

func TestParseOptions(t *testing.T) {
	if _, err := ParseSpread("foo"); err == nil || !strings.Contains(err.Error(), "ci, std") {
		t.Errorf("ParseSpread(foo) = %v, want an error naming ci, std", err)
	}
	if s, err := ParseSpread("std"); err != nil || s != SpreadStd {
		t.Errorf("ParseSpread(std) = %v, %v", s, err)
	}
	if _, err := ParseFormat("html"); err == nil || !strings.Contains(err.Error(), "terminal, markdown, csv, latex") {
		t.Errorf("ParseFormat(html) = %v", err)
	}
	for _, o := range []ReportOptions{{Target: -1}, {TargetFraction: 1.5}, {Target: math.NaN()}, {EqualMargin: -0.01}, {EqualMargin: math.Inf(1)}} {
		if o.Validate() == nil {
			t.Errorf("%+v accepted", o)
		}
	}
	if (ReportOptions{Target: 0.8, TargetFraction: 0.99, EqualMargin: 0.02}).Validate() != nil {
		t.Error("valid options rejected")
	}
}
