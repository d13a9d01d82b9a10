package results

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// t975 are two-sided 95% Student-t critical values t(0.975, df) from any
// t table: df 1 and 2.
const (
	t975df1 = 12.7062047
	t975df2 = 4.30265273
)

func TestTimeRatioPairedAndWelch(t *testing.T) {
	// Paired: g takes 1 s and 4 s, ref 2 s and 2 s (seeds 1, 2): per-pair
	// ratios 0.5 and 2, log ratios ∓ln 2, mean 0 → geometric mean 1; sample
	// std of the logs √2·ln 2, so the half-width on logs is
	// t(0.975, 1)·√2·ln 2/√2 = t·ln 2.
	g := &Group{Runs: []*Record{run("A", "", "mtl:lambda=1", 1, nil, []float64{0.5}, []float64{1}), run("A", "", "mtl:lambda=1", 2, nil, []float64{0.5}, []float64{4})}}
	ref := &Group{Runs: []*Record{run("B", "", "stl", 1, nil, []float64{0.5}, []float64{2}), run("B", "", "stl", 2, nil, []float64{0.5}, []float64{2})}}
	d := TimeRatio(g, ref)
	half := t975df1 * math.Ln2
	if d.Method != DeltaPaired || d.Pairs != 2 || !near(d.Value, 1, 1e-12) || !near(d.Low, math.Exp(-half), 1e-6) || !near(d.High, math.Exp(half), 1e-3) {
		t.Errorf("paired ratio = %+v, want 1 [exp(∓%.4f)] paired over 2", d, half)
	}
	// Unpaired (seed 3 has no partner): ratio of geometric means, g = {1, 4}
	// and ref = {2, 2, 8}: exp(mean ln g − mean ln ref) = √4 / ∛32.
	ref.Runs = append(ref.Runs, run("B", "", "stl", 3, nil, []float64{0.5}, []float64{8}))
	d = TimeRatio(g, ref)
	if want := 2 / math.Cbrt(32); d.Method != DeltaWelch || !near(d.Value, want, 1e-12) || !d.HasInterval() || !(d.Low < want && want < d.High) {
		t.Errorf("Welch ratio = %+v, want %.6f inside its interval", d, want)
	}
	if d := TimeRatio(g, g); !d.Undefined {
		t.Errorf("ratio against itself = %+v, want undefined", d)
	}
}

func TestPercentHasNoNegativeZero(t *testing.T) {
	// 1 − 1.004 = −0.004 rounds to −0 with %.0f.
	if got := formatRatioSaved(Delta{Interval: Interval{Value: 0.9, Low: 0.8, High: 1.004}}, false); got != "10% [0, 20]" {
		t.Errorf("saved = %q, want 10%% [0, 20]", got)
	}
}

func csvColumn(tab *Table, name string) int {
	for i, h := range tab.CSVHeader {
		if h == name {
			return i
		}
	}
	return -1
}

// checkCSV fails when a CSV column name repeats or a row does not have one
// cell per column.
func checkCSV(t *testing.T, tab *Table) {
	t.Helper()
	seen := map[string]bool{}
	for _, h := range tab.CSVHeader {
		if seen[h] {
			t.Errorf("%s: CSV column %q twice", tab.Title, h)
		}
		seen[h] = true
	}
	for i, row := range tab.CSVRows {
		if len(row) != len(tab.CSVHeader) {
			t.Errorf("%s: CSV row %d has %d cells for %d columns", tab.Title, i, len(row), len(tab.CSVHeader))
		}
	}
}

func TestEquivalenceOf(t *testing.T) {
	iv := func(lo, hi float64) Delta {
		return Delta{Interval: Interval{Value: (lo + hi) / 2, Low: lo, High: hi}, Method: DeltaPaired}
	}
	for _, c := range []struct {
		d    Delta
		want Equivalence
		text string
	}{
		{iv(-0.008, 0.009), EquivEqual, "equal (±0.01)"},
		{iv(0.002, 0.008), EquivEqual, "equal (±0.01)"}, // excludes 0 but below the margin
		{iv(-0.02, 0.005), EquivNotShown, "not shown equal"},
		{iv(0.005, 0.03), EquivBetter, "better"},
		{iv(-0.05, -0.011), EquivWorse, "worse"},
		{Delta{Interval: Interval{Value: 0.01, Low: math.NaN(), High: math.NaN()}, Method: DeltaSingle}, EquivNone, "no interval"},
		{noDelta(), EquivNone, Missing},
	} {
		e := EquivalenceOf(c.d, 0.01)
		if e != c.want || formatEquivalence(e, 0.01, c.d) != c.text {
			t.Errorf("%+v: %v %q, want %v %q", c.d.Interval, e, formatEquivalence(e, 0.01, c.d), c.want, c.text)
		}
	}
}

func TestEqualTimeTable(t *testing.T) {
	rep := BuildReport(sweepFixture(), ReportOptions{})
	tab := rep.EqualTimeTable()
	if tab == nil || len(tab.Rows) != 2 { // MTL and Switch; STL is the reference
		t.Fatalf("table %+v, want the MTL and Switch rows", tab)
	}
	cells := func(i int) []string {
		var out []string
		for _, c := range tab.Rows[i] {
			out = append(out, c.Text)
		}
		return out
	}
	// MTL vs STL: accuracy differences 0.04, 0.01, 0.07 (fixtures_test.go):
	// mean 0.04, std 0.03, half-width t(0.975, 2)·0.03/√3 = 0.0745 → not
	// inside ±0.01; times 12 s vs 8 s every replicate: ratio 1.5 exactly.
	mtl := cells(0)
	want := []string{"MTL", "3", "+0.040 [-0.035, +0.115]", "not shown equal", "1.50× [1.50, 1.50]", "-50% [-50, -50]", "reference", "reference", "reference", "reference"}
	if strings.Join(mtl, " | ") != strings.Join(want, " | ") {
		t.Errorf("MTL row\n%q\nwant\n%q", mtl, want)
	}
	// Switch: 2 runs vs 3 STL runs, unpaired (Welch); 10 s vs 8 s and vs
	// MTL's 12 s, no spread: ratios 1.25 and 0.833 with collapsed intervals.
	sw := cells(1)
	if sw[4] != "1.25× [1.25, 1.25]"+WelchMarker || sw[5] != "-25% [-25, -25]" || sw[8] != "0.83× [0.83, 0.83]"+WelchMarker || sw[9] != "17% [17, 17]" {
		t.Errorf("Switch row %q", sw)
	}
	// Switch vs STL: 0.86, 0.88 vs 0.80, 0.82, 0.78 → +0.07, Welch interval
	// well above 0.01 → better.
	if !strings.HasPrefix(sw[2], "+0.070 [") || sw[3] != "better" {
		t.Errorf("Switch Δ vs STL %q %q, want +0.070 … better", sw[2], sw[3])
	}
	checkCSV(t, tab) // one block of columns per reference
	// MTL's interval [-0.0345, +0.1145] lies inside ±0.1145 at the least.
	if col := csvColumn(tab, "equal_margin_needed_vs_stl"); col < 0 || !strings.HasPrefix(tab.CSVRows[0][col], "0.1145") {
		t.Errorf("equal_margin_needed_vs_stl column %d: %v", col, tab.CSVRows[0])
	}
	// A wide margin turns MTL's interval [-0.035, +0.115] into equal.
	wide := BuildReport(sweepFixture(), ReportOptions{EqualMargin: 0.2}).EqualTimeTable()
	if got := wide.Rows[0][3].Text; got != "equal (±0.2)" {
		t.Errorf("MTL verdict with margin 0.2 = %q", got)
	}
	// No STL and no MTL: the table does not apply.
	var only []*Record
	for _, r := range sweepFixture() {
		if r.Label == "Switch" {
			only = append(only, r)
		}
	}
	if tab := BuildReport(only, ReportOptions{}).EqualTimeTable(); tab != nil {
		t.Errorf("table without references: %+v", tab)
	}
}

// claimsFixture is sweepFixture with all three tasks, plus similarity and
// analogy each trained alone (strategy stl, label "STL", as a sweep labels
// them), listed first so that a careless reference search would pick them.
func claimsFixture() []*Record {
	var recs []*Record
	alone := func(task string, seed int64, secs float64, final Metrics) *Record {
		r := run("STL", "0: primary only", "stl", seed, final, nil, nil)
		r.Tasks, r.ConfigHash = []string{task}, task
		r.TrainSeconds = secs
		r.Epochs = []Epoch{{Epoch: 1, Weights: map[string]float64{task: 1}, TaskSteps: map[string]int{task: 10}, Val: Metrics{}, Seconds: secs, CumSeconds: secs}}
		return r
	}
	// Similarity alone: 4, 4, 8 s; Spearman 0.40, 0.42, 0.44.
	// Analogy alone: 4 s each; analogy accuracy 0.20 each; Spearman 0.10.
	for i, s := range []float64{4, 4, 8} {
		seed := int64(i + 1)
		recs = append(recs,
			alone("similarity", seed, s, Metrics{"similarity/spearman_mean": 0.40 + 0.02*float64(i), "analogy/3cosadd": 0.05}),
			alone("analogy", seed, 4, Metrics{"similarity/spearman_mean": 0.10, "analogy/3cosadd": 0.20}))
	}
	for _, r := range sweepFixture() {
		r.ConfigHash = r.Label
		r.Tasks = []string{"sentiment", "similarity", "analogy"}
		if r.Label == "STL" {
			r.Tasks = []string{"sentiment"}
			r.Setting = "0: primary only"
		}
		if r.Label == "MTL" {
			r.Final["analogy/3cosadd"] = 0.15
		}
		recs = append(recs, r)
	}
	return recs
}

func TestAloneGroupsStayOutOfTheOtherTables(t *testing.T) {
	rep := BuildReport(claimsFixture(), ReportOptions{})
	if rep.PrimaryTask != "sentiment" || len(rep.Groups) != 5 {
		t.Fatalf("primary %q, %d groups", rep.PrimaryTask, len(rep.Groups))
	}
	if rep.Groups[0].Label != "similarity alone" || rep.Groups[1].Label != "analogy alone" || !rep.Rows[0].Aside || rep.Rows[2].Aside {
		t.Fatalf("labels %q %q, aside %v %v", rep.Groups[0].Label, rep.Groups[1].Label, rep.Rows[0].Aside, rep.Rows[2].Aside)
	}
	// The STL reference of every sentiment group is the sentiment STL, and
	// the target comes from its runs only (fixtures_test.go: 0.792).
	for _, row := range rep.Rows[2:] {
		if row.STL == nil || row.STL.Label != "STL" {
			t.Errorf("%s: STL reference %v", row.Group.Label, row.STL)
		}
	}
	if !near(rep.Target, 0.792, 1e-12) {
		t.Errorf("target %v, want 0.792", rep.Target)
	}
	// Comparison: listed, accuracy and Δ "–".
	cmp := rep.ComparisonTable()
	acc, delta := cmp.Column("test acc"), cmp.Column("Δ test acc vs STL")
	if len(cmp.Rows) != 5 || cmp.Rows[0][acc].Text != Missing || cmp.Rows[0][delta].Text != Missing || cmp.Rows[2][delta].Text != "reference" {
		t.Errorf("comparison rows %v", cmp.Rows)
	}
	// Δ, target and equal-accuracy tables: the 3 sentiment groups (2 for the
	// equal-accuracy table, without STL), with a note naming the left-out ones.
	for _, c := range []struct {
		tab  *Table
		rows int
	}{{rep.DeltaTable(), 3}, {rep.TargetTable(), 3}, {rep.EqualTimeTable(), 2}} {
		if len(c.tab.Rows) != c.rows {
			t.Errorf("%s: %d rows, want %d", c.tab.Title, len(c.tab.Rows), c.rows)
		}
		for _, row := range c.tab.Rows {
			if strings.Contains(row[0].Text, "alone") {
				t.Errorf("%s lists %s", c.tab.Title, row[0].Text)
			}
		}
	}
	if notes := strings.Join(rep.DeltaTable().Notes, " "); !strings.Contains(notes, "Left out: similarity alone, analogy alone") {
		t.Errorf("Δ notes lack the left-out groups: %s", notes)
	}
	for _, c := range rep.Chosen {
		if c.Row.Aside {
			t.Errorf("chosen %s", c.Row.Group.Label)
		}
	}
}

func TestSeparateRunsTable(t *testing.T) {
	rep := BuildReport(claimsFixture(), ReportOptions{})
	rows := rep.SeparateRunsRows()
	if len(rows) != 2 || rows[0].Row.Group.Label != "MTL" || rows[1].Row.Group.Label != "Switch" {
		t.Fatalf("rows %+v, want MTL and Switch", rows)
	}
	mtl := rows[0]
	// MTL 12 s per replicate; separate = STL 8 s + similarity 4, 4, 8 s +
	// analogy 4 s = 16, 16, 20 s: ratios 0.75, 0.75, 0.6.
	logs := []float64{math.Log(0.75), math.Log(0.75), math.Log(0.6)}
	m := (logs[0] + logs[1] + logs[2]) / 3
	half := t975df2 * sampleStd(logs) / math.Sqrt(3)
	if mtl.Time.Method != DeltaPaired || !near(mtl.Time.Value, math.Exp(m), 1e-12) || !near(mtl.Time.Low, math.Exp(m-half), 1e-6) || !near(mtl.Time.High, math.Exp(m+half), 1e-6) {
		t.Errorf("MTL time vs separate %+v, want exp(%.5f ± %.5f) paired", mtl.Time, m, half)
	}
	if len(mtl.Parts) != 3 || mtl.Parts[1].Label != "similarity alone" || mtl.Parts[2].Label != "analogy alone" {
		t.Errorf("parts %v", mtl.Parts)
	}
	// Spearman: MTL 0.30, 0.34, 0.32 vs similarity alone 0.40, 0.42, 0.44:
	// paired differences −0.10, −0.08, −0.12, mean −0.10. Analogy: MTL 0.15
	// vs analogy alone 0.20 (no spread): −0.05.
	sp, an := mtl.Aux[0], mtl.Aux[1]
	if sp.From.Label != "similarity alone" || !near(sp.Delta.Value, -0.10, 1e-12) || sp.Delta.Method != DeltaPaired {
		t.Errorf("Spearman %+v", sp)
	}
	if an.From.Label != "analogy alone" || !near(an.Delta.Value, -0.05, 1e-12) || !near(an.Separate.Mean, 0.20, 1e-12) {
		t.Errorf("analogy %+v", an)
	}
	// Switch has no analogy value: "–" in its analogy cells.
	tab := rep.SeparateRunsTable()
	if tab == nil || len(tab.Rows) != 2 {
		t.Fatalf("table %+v", tab)
	}
	head := strings.Join(tab.Header, " | ")
	col := tab.Column("analogy acc")
	if col < 0 || tab.Rows[1][col].Text != Missing || tab.Rows[0][tab.Column("separate runs")].Text != "STL + similarity alone + analogy alone" {
		t.Errorf("header %s, rows %v", head, tab.Rows)
	}
	checkCSV(t, tab)
	// Steps: sweepFixture's runs record 1 primary step per epoch over 4
	// epochs and no TaskSteps (the primary falls back to Steps, the
	// auxiliary tasks are "?"); the alone runs record 10 steps each.
	if got := tab.Rows[0][tab.Column("steps: multi-task / separate")].Text; got != "sentiment 4/4, similarity ?/10, analogy ?/10" {
		t.Errorf("steps cell %q", got)
	}
	// Without the analogy-alone runs there is no separate comparison for a
	// group that trains analogy.
	var noAnalogy []*Record
	for _, r := range claimsFixture() {
		if len(r.Tasks) != 1 || r.Tasks[0] != "analogy" {
			noAnalogy = append(noAnalogy, r)
		}
	}
	if tab := BuildReport(noAnalogy, ReportOptions{}).SeparateRunsTable(); tab != nil {
		t.Errorf("table without analogy alone: %+v", tab.Rows)
	}
	// The plain fixture has no alone groups: no table, and the report's
	// files are the usual ones.
	if tab := BuildReport(sweepFixture(), ReportOptions{}).SeparateRunsTable(); tab != nil {
		t.Errorf("table without alone groups: %+v", tab.Rows)
	}
}

// decayFixture has MTL (4 s per run) and Diminish γ=1 on η ∈ {0.1, 0.3} ×
// ν ∈ {0.5, 1} plus η = 0.6, ν = 1 (a row with one cell) and γ = 2, η = 0.3,
// ν = 1 (a family of one), 2 replicates each. Diminish cell (i, j) takes
// 2 + i + j seconds and tests at 0.80 + 0.01·i + 0.001·j + 0.002·seed.
func decayFixture() []*Record {
	var recs []*Record
	add := func(label, spec string, secs, acc float64) {
		for seed := int64(1); seed <= 2; seed++ {
			r := run(label, "", spec, seed, Metrics{"accuracy": acc + 0.002*float64(seed)}, []float64{0.8}, []float64{secs})
			r.ConfigHash = spec
			recs = append(recs, r)
		}
	}
	add("MTL", "mtl:lambda=1", 4, 0.80)
	for i, eta := range []string{"0.1", "0.3"} {
		for j, nu := range []string{"0.5", "1"} {
			add("D", "diminish:gamma=1,eta="+eta+",nu="+nu, float64(2+i+j), 0.80+0.01*float64(i)+0.001*float64(j))
		}
	}
	add("D extra", "diminish:gamma=1,eta=0.6,nu=1", 3, 0.8)
	add("D γ2", "diminish:gamma=2,eta=0.3,nu=1", 3, 0.8)
	return recs
}

func TestDiminishGrids(t *testing.T) {
	rep := BuildReport(decayFixture(), ReportOptions{})
	grids := rep.DiminishGrids()
	if len(grids) != 1 {
		t.Fatalf("%d grids, want 1 (γ = 2 has a single configuration)", len(grids))
	}
	g := grids[0]
	if g.Gamma != 1 || g.Name != "gamma1" || len(g.Etas) != 2 || g.Etas[1] != 0.3 || len(g.Nus) != 2 || g.Nus[0] != 0.5 || len(g.Left) != 1 || g.Left[0] != "D extra" {
		t.Fatalf("grid %+v", g)
	}
	test, saved := g.TestMeans(), g.SavedVsMTL()
	for i := 0; i < 2; i++ {
		for j := 0; j < 2; j++ {
			// mean of acc + 0.002 and acc + 0.004; time (2+i+j) / 4 paired.
			wantAcc := 0.80 + 0.01*float64(i) + 0.001*float64(j) + 0.003
			wantSaved := 1 - float64(2+i+j)/4
			if !near(test[i][j], wantAcc, 1e-12) || !near(saved[i][j], wantSaved, 1e-12) {
				t.Errorf("cell η=%g ν=%g: test %v saved %v, want %v %v", g.Etas[i], g.Nus[j], test[i][j], saved[i][j], wantAcc, wantSaved)
			}
		}
	}
	ts, names := rep.DiminishTables()
	for _, tab := range ts {
		checkCSV(t, tab)
	}
	if len(ts) != 2 || names[0] != "diminish_test_gamma1.csv" || names[1] != "diminish_saved_vs_mtl_gamma1.csv" {
		t.Fatalf("tables %v", names)
	}
	// Saved cells: η=0.1: 50%, 25%; η=0.3: 25%, 0%.
	if got := ts[1].Rows[0][1].Text + " " + ts[1].Rows[1][2].Text; got != "50% [50, 50] 0% [0, 0]" {
		t.Errorf("saved cells %q", got)
	}
	if ts[0].Header[1] != "ν = 0.5" || ts[0].Rows[1][0].Text != "η = 0.3" || len(ts[0].CSVRows) != 4 {
		t.Errorf("test table %v %v", ts[0].Header, ts[0].Rows)
	}
	var md bytes.Buffer
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "### Diminish decay: time saved vs MTL by η (rows) and ν (columns), γ = 1") {
		t.Errorf("markdown lacks the heat-map table:\n%s", md.String())
	}
	// The plain fixture has no grid.
	if ts, _ := BuildReport(sweepFixture(), ReportOptions{}).DiminishTables(); len(ts) != 0 {
		t.Errorf("heat maps without a grid: %d", len(ts))
	}
}

func TestMarkAsideLabels(t *testing.T) {
	mk := func(label string, tasks ...string) *Group {
		return &Group{GroupKey: GroupKey{Label: label}, Runs: []*Record{{Tasks: tasks}}}
	}
	groups := []*Group{
		mk("STL", "sentiment"),
		mk("STL skipgram.steps=20", "skipgram"), // a sweep's label with a swept value
		mk("word2vec", "skipgram"),
		mk("MTL", "similarity", "analogy"),
	}
	aside := markAside(groups, "sentiment")
	want := []string{"STL", "skipgram alone skipgram.steps=20", "word2vec (skipgram alone)", "MTL [primary similarity]"}
	for i, g := range groups {
		if g.Label != want[i] || aside[g] != (i > 0) {
			t.Errorf("group %d: %q aside %v, want %q", i, g.Label, aside[g], want[i])
		}
	}
}

func TestSharedPrefixNote(t *testing.T) {
	rep := BuildReport(sweepFixture(), ReportOptions{})
	if notes := strings.Join(rep.EqualTimeTable().Notes, " "); strings.Contains(notes, "shared first epochs") {
		t.Errorf("note without resumed runs: %s", notes)
	}
	recs := sweepFixture()
	recs[6].Resumed = &Resumption{Epoch: 2, From: "shared prefix of MTL-1"} // a Switch run
	rep = BuildReport(recs, ReportOptions{})
	if notes := strings.Join(rep.EqualTimeTable().Notes, " "); !strings.Contains(notes, "1 of these 5 runs continued from another trial's shared first epochs") {
		t.Errorf("notes lack the shared-prefix count: %s", notes)
	}
}
