package metrics

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Golden values below are printed by `/usr/bin/python3 scripts/metrics_golden.py`
// (scipy 1.10.1, scikit-learn 1.2.1, mpmath 1.2.1).

func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return a == b
	}
	return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b))
}

func TestRankMatchesScipy(t *testing.T) {
	cases := []struct{ x, want []float64 }{
		// scipy.stats.rankdata([3,1,4,1,5,9,2,6,5,3,5])
		{[]float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5}, []float64{4.5, 1.5, 6, 1.5, 8, 11, 3, 10, 8, 4.5, 8}},
		{[]float64{2, 2, 2}, []float64{2, 2, 2}},
		{[]float64{0.5, -1, 7.25, -1}, []float64{3, 1.5, 4, 1.5}},
		{nil, []float64{}},
	}
	for _, c := range cases {
		got := Rank(c.x)
		if len(got) != len(c.want) {
			t.Fatalf("Rank(%v) = %v, want %v", c.x, got, c.want)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("Rank(%v) = %v, want %v", c.x, got, c.want)
				break
			}
		}
	}
	for _, r := range Rank([]float64{1, math.NaN(), 2}) {
		if !math.IsNaN(r) {
			t.Errorf("Rank with NaN input: got %v, want all NaN (scipy nan_policy=propagate)", r)
		}
	}
}

func TestCorrelationsMatchScipy(t *testing.T) {
	cases := []struct {
		x, y              []float64
		pearson, spearman float64
	}{
		{[]float64{1, 2, 3, 4, 5, 6, 7}, []float64{2.1, 3.9, 6.2, 7.8, 10.1, 11.8, 14.3}, 0.9989809552588204, 1.0},
		{[]float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5}, []float64{2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4}, 0.09422924859889797, 0.1384567651467695},
		{[]float64{0.12, 0.5, -0.3, 0.8, 0.8, 0.1}, []float64{7.5, 6.0, 1.0, 9.0, 8.0, 7.5}, 0.7665518223008491, 0.7941176470588236},
		{[]float64{1, 2}, []float64{5, 3}, -1, -0.9999999999999999},
	}
	for _, c := range cases {
		if got := Pearson(c.x, c.y); !near(got, c.pearson, 1e-12) {
			t.Errorf("Pearson(%v, %v) = %v, want %v", c.x, c.y, got, c.pearson)
		}
		if got := Spearman(c.x, c.y); !near(got, c.spearman, 1e-15) {
			t.Errorf("Spearman(%v, %v) = %v, want %v", c.x, c.y, got, c.spearman)
		}
	}
}

func TestCorrelationsUndefined(t *testing.T) {
	// scipy: spearmanr([1,1,1],[3,1,2]) and pearsonr(...) are nan (constant
	// input); spearmanr([1],[3]) is nan; pearsonr raises for n < 2.
	undefined := [][2][]float64{
		{{1, 1, 1}, {3, 1, 2}},
		{{3, 1, 2}, {4, 4, 4}},
		{{1}, {3}},
		{nil, nil},
		{{1, 2, 3}, {1, 2}},
		{{1, math.NaN(), 3}, {1, 2, 3}},
	}
	for _, u := range undefined {
		if got := Pearson(u[0], u[1]); !math.IsNaN(got) {
			t.Errorf("Pearson(%v, %v) = %v, want NaN", u[0], u[1], got)
		}
		if got := Spearman(u[0], u[1]); !math.IsNaN(got) {
			t.Errorf("Spearman(%v, %v) = %v, want NaN", u[0], u[1], got)
		}
	}
}

func TestClassificationMatchesSklearn(t *testing.T) {
	cases := []struct {
		pred, gold    []int
		classes       int
		accuracy, mf1 float64
	}{
		// Class 0: tp 2, fp 2, fn 1 -> P 1/2, R 2/3, F1 4/7; class 1: tp 3, fp 1,
		// fn 2 -> P 3/4, R 3/5, F1 2/3; macro (4/7 + 2/3)/2 = 0.6190476...
		{[]int{0, 1, 1, 0, 1, 1, 0, 0}, []int{0, 1, 0, 0, 1, 1, 1, 1}, 2, 0.625, 0.6190476190476191},
		{[]int{0, 2, 1, 0, 0, 1, 2, 2, 1, 0}, []int{0, 1, 1, 0, 2, 1, 2, 0, 1, 0}, 3, 0.7, 0.669047619047619},
		// Class 3 in neither: F1 0 under labels=range(4), so 3/4 of the value above.
		{[]int{0, 2, 1, 0, 0, 1, 2, 2, 1, 0}, []int{0, 1, 1, 0, 2, 1, 2, 0, 1, 0}, 4, 0.7, 0.5017857142857143},
		// Class 1 never predicted: precision 0/0 -> 0 (zero_division="warn").
		{[]int{0, 0, 0, 2, 2}, []int{0, 1, 1, 2, 0}, 3, 0.4, 0.35555555555555557},
	}
	for _, c := range cases {
		if got := Accuracy(c.pred, c.gold); !near(got, c.accuracy, 1e-15) {
			t.Errorf("Accuracy(%v, %v) = %v, want %v", c.pred, c.gold, got, c.accuracy)
		}
		if got := MacroF1(c.pred, c.gold, c.classes); !near(got, c.mf1, 1e-15) {
			t.Errorf("MacroF1(%v, %v, %d) = %v, want %v", c.pred, c.gold, c.classes, got, c.mf1)
		}
	}
}

func TestClassificationUndefined(t *testing.T) {
	if v := Accuracy(nil, nil); !math.IsNaN(v) {
		t.Errorf("Accuracy of nothing = %v, want NaN", v)
	}
	if v := Accuracy([]int{1}, []int{1, 0}); !math.IsNaN(v) {
		t.Errorf("Accuracy with mismatched lengths = %v, want NaN", v)
	}
	if v := MacroF1([]int{0, 2}, []int{0, 1}, 2); !math.IsNaN(v) {
		t.Errorf("MacroF1 with label 2 of 2 classes = %v, want NaN", v)
	}
	if v := MacroF1([]int{0}, []int{0}, 0); !math.IsNaN(v) {
		t.Errorf("MacroF1 with 0 classes = %v, want NaN", v)
	}
	c, err := NewConfusion(2)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Add(0, -1); err == nil {
		t.Error("Confusion.Add(0, -1): no error")
	}
}

func TestConfusionCounts(t *testing.T) {
	c, _ := NewConfusion(3)
	if err := c.AddAll([]int{0, 2, 2, 1}, []int{0, 1, 2, 1}); err != nil {
		t.Fatal(err)
	}
	want := [][]int{{1, 0, 0}, {0, 1, 1}, {0, 0, 1}}
	for g := range want {
		for p := range want[g] {
			if c.Counts[g][p] != want[g][p] {
				t.Fatalf("Counts = %v, want %v", c.Counts, want)
			}
		}
	}
	if c.Total() != 4 || c.Accuracy() != 0.75 {
		t.Errorf("Total %d Accuracy %v, want 4 and 0.75", c.Total(), c.Accuracy())
	}
	// Class 1: predicted once (correct), occurs twice: P 1, R 1/2, F1 2/3.
	if p, r, f := c.Precision(1), c.Recall(1), c.F1(1); p != 1 || r != 0.5 || !near(f, 2.0/3, 1e-15) {
		t.Errorf("class 1: P %v R %v F1 %v, want 1, 0.5, 2/3", p, r, f)
	}
}

func TestMeanStdInterval(t *testing.T) {
	// numpy.mean / numpy.std(ddof=1) / scipy.stats.t.interval(0.95, 4, loc=m, scale=s/sqrt(5))
	xs := []float64{0.812, 0.798, 0.825, 0.806, 0.819}
	if m := Mean(xs); !near(m, 0.812, 1e-14) {
		t.Errorf("Mean = %v, want 0.812", m)
	}
	if s := Std(xs); !near(s, 0.01060660171779817, 1e-13) {
		t.Errorf("Std = %v, want 0.01060660171779817", s)
	}
	lo, hi := ConfidenceInterval95(xs)
	if !near(lo, 0.7988301645037238, 1e-13) || !near(hi, 0.8251698354962763, 1e-13) {
		t.Errorf("ConfidenceInterval95 = [%v, %v], want [0.7988301645037238, 0.8251698354962763]", lo, hi)
	}
	if s := Std([]float64{3}); s != 0 {
		t.Errorf("Std of one value = %v, want 0", s)
	}
	if m, s := Mean(nil), Std(nil); !math.IsNaN(m) || !math.IsNaN(s) {
		t.Errorf("Mean, Std of nothing = %v, %v, want NaN", m, s)
	}
	if lo, hi := ConfidenceInterval95([]float64{1}); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("interval of one value = [%v, %v], want NaN", lo, hi)
	}
	if lo, hi := ConfidenceInterval95([]float64{2, 2, 2}); lo != 2 || hi != 2 {
		t.Errorf("interval of constant values = [%v, %v], want [2, 2]", lo, hi)
	}
}

func TestStudentTQuantileMatchesScipy(t *testing.T) {
	// scipy's t.ppf (cephes stdtrit) is only good to about 1e-9 relative, so the
	// exact root of the tail equation, solved by mpmath at 40 digits in the same
	// script, is checked to 1e-12 and scipy's value to 1e-8.
	cases := []struct {
		p             float64
		df            int
		scipy, mpmath float64
	}{
		{0.975, 1, 12.706204736432095, 12.706204736174693},
		{0.975, 2, 4.302652729911275, 4.3026527297494618},
		{0.975, 4, 2.7764451051977987, 2.7764451051977935},
		{0.975, 9, 2.2621571627409915, 2.262157162798205},
		{0.975, 29, 2.045229642132703, 2.0452296421327039},
		{0.975, 1000, 1.9623390808264074, 1.9623390808264081},
		{0.995, 3, 5.84090929975643, 5.8409093097333554},
		{0.9, 5, 1.4758840487820273, 1.4758840488244813},
		{0.6, 7, 0.2631668613520166, 0.26316686135202275},
		{0.025, 4, -2.7764451051977996, -2.7764451051977943},
		{1e-10, 3, -2225.769284683086, -2225.7692846830932},
		{0.999999, 2, 707.1057205157683, 707.10572051576712},
	}
	for _, c := range cases {
		got := StudentTQuantile(c.p, c.df)
		if !near(got, c.mpmath, 1e-12) || !near(got, c.scipy, 1e-8) {
			t.Errorf("StudentTQuantile(%v, %d) = %.17g, want %.17g (scipy %.17g)", c.p, c.df, got, c.mpmath, c.scipy)
		}
	}
	edges := []struct {
		p    float64
		df   int
		want float64
	}{
		{0.5, 3, 0}, {0, 3, math.Inf(-1)}, {1, 3, math.Inf(1)}, {1.5, 3, math.NaN()}, {0.9, 0, math.NaN()},
	}
	for _, e := range edges {
		if got := StudentTQuantile(e.p, e.df); !near(got, e.want, 0) {
			t.Errorf("StudentTQuantile(%v, %d) = %v, want %v", e.p, e.df, got, e.want)
		}
	}
}

func TestSpeedupIntervalGolden(t *testing.T) {
	// fieller() in scripts/metrics_golden.py solves the quadratic directly.
	base := []float64{41.2, 39.8, 43.1, 40.5, 42.0}
	treated := []float64{14.1, 13.2, 15.0, 13.8}
	r, lo, hi := SpeedupInterval(base, treated)
	if !near(r, 2.946167557932264, 1e-13) || !near(lo, 2.725365587804345, 1e-9) || !near(hi, 3.1964772496298086, 1e-9) {
		t.Errorf("SpeedupInterval = %v [%v, %v], want 2.946167557932264 [2.725365587804345, 3.1964772496298086]", r, lo, hi)
	}
	if _, lo, hi := SpeedupInterval([]float64{4}, treated); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("one base run: bounds [%v, %v], want NaN", lo, hi)
	}
	if _, lo, hi := SpeedupInterval([]float64{1, 2}, []float64{-1, 1.5}); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("treated mean indistinguishable from 0: bounds [%v, %v], want NaN (unbounded)", lo, hi)
	}
	if r, lo, hi := SpeedupInterval([]float64{6, 6}, []float64{3, 3, 3}); r != 2 || lo != 2 || hi != 2 {
		t.Errorf("no spread: %v [%v, %v], want 2 [2, 2]", r, lo, hi)
	}
}

// The interval should cover the true ratio about 95% of the time for normal
// samples; 4000 seeded replicates give a binomial standard error of 0.0034.
func TestSpeedupIntervalCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const reps, trueRatio = 4000, 2.0
	covered := 0
	base, treated := make([]float64, 5), make([]float64, 4)
	for range reps {
		for i := range base {
			base[i] = 10 + 1.5*rng.NormFloat64()
		}
		for i := range treated {
			treated[i] = 5 + 0.4*rng.NormFloat64()
		}
		_, lo, hi := SpeedupInterval(base, treated)
		if lo <= trueRatio && trueRatio <= hi {
			covered++
		}
	}
	if rate := float64(covered) / reps; rate < 0.93 || rate > 0.97 {
		t.Errorf("coverage %.4f of the true ratio, want about 0.95", rate)
	}
}
