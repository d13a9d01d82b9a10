package wordvec

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mt2st/mt2st/datasets"
)

// The golden files in testdata were produced by
//
//	/usr/bin/python3 scripts/gensim_fixture.py --data ../shared/data --out wordvec/testdata
//
// (gensim 4.2.0, scipy 1.10.1): gensim's own evaluate_word_pairs
// (delimiter=None) and evaluate_word_analogies, plus most_similar_cosmul run
// through the same loop, on testdata/vectors.txt.gz; see scripts/gensim_eval.py.
// The tolerance is the agreement the eval command promises.
const gensimTolerance = 1e-3

func TestAgreesWithGensimOnFixture(t *testing.T) {
	dataDir := findDataDir(t)
	lists, sections := loadBenchmarks(t, dataDir)
	v, err := ReadFile("testdata/vectors.txt.gz")
	if err != nil {
		t.Fatal(err)
	}
	for _, restrict := range []int{1000, 300000} {
		t.Run(fmt.Sprintf("restrict_vocab=%d", restrict), func(t *testing.T) {
			golden := readGolden(t, fmt.Sprintf("testdata/gensim_eval_r%d.json", restrict))
			got := Evaluate(v, lists, sections, restrict)
			compareReports(t, got, golden)
		})
	}
}

// TestAgreesWithGensimOnFile is the full-size check, run by hand:
//
//	/usr/bin/python3 scripts/gensim_eval.py VEC.txt --data ../shared/data --restrict-vocab N --out GOLD.json
//	MT2ST_GENSIM_VECTORS=VEC.txt MT2ST_GENSIM_GOLDEN=GOLD.json MT2ST_GENSIM_RESTRICT=N go test ./wordvec -run OnFile -v
func TestAgreesWithGensimOnFile(t *testing.T) {
	vecPath, goldPath := os.Getenv("MT2ST_GENSIM_VECTORS"), os.Getenv("MT2ST_GENSIM_GOLDEN")
	if vecPath == "" || goldPath == "" {
		t.Skip("set MT2ST_GENSIM_VECTORS, MT2ST_GENSIM_GOLDEN and MT2ST_GENSIM_RESTRICT to compare with a gensim run")
	}
	restrict, err := strconv.Atoi(os.Getenv("MT2ST_GENSIM_RESTRICT"))
	if err != nil {
		t.Fatalf("MT2ST_GENSIM_RESTRICT: %v", err)
	}
	lists, sections := loadBenchmarks(t, findDataDir(t))
	start := time.Now()
	v, err := ReadFile(vecPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("read %d words × %d in %v", v.Len(), v.Dim, time.Since(start))
	start = time.Now()
	e := NewEvaluator(v, lists, sections, restrict)
	pairs := e.WordPairs()
	t.Logf("similarity lists: %v", time.Since(start))
	start = time.Now()
	analogies := e.Analogies()
	t.Logf("analogies (3CosAdd and 3CosMul, %d questions): %v", analogies.Total.Questions, time.Since(start))
	compareReports(t, Report{Similarity: pairs, Analogy: analogies}, readGolden(t, goldPath))
}

func readGolden(t *testing.T, path string) Report {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return r
}

// compareReports checks got against gensim's want, logging the largest
// differences so a by-hand run reports them.
func compareReports(t *testing.T, got, want Report) {
	t.Helper()
	maxCorr, maxAcc := 0.0, 0.0
	diff := func(a, b float64) float64 {
		if math.IsNaN(a) || math.IsNaN(b) {
			if math.IsNaN(a) && math.IsNaN(b) {
				return 0
			}
			return math.Inf(1)
		}
		return math.Abs(a - b)
	}
	gotPairs := map[string]PairResult{}
	for _, p := range got.Similarity {
		gotPairs[p.Name] = p
	}
	if len(got.Similarity) != len(want.Similarity) {
		t.Errorf("%d similarity lists, gensim has %d", len(got.Similarity), len(want.Similarity))
	}
	for _, w := range want.Similarity {
		g, ok := gotPairs[w.Name]
		if !ok {
			t.Errorf("list %s missing", w.Name)
			continue
		}
		ds, dp := diff(g.Spearman, w.Spearman), diff(g.Pearson, w.Pearson)
		maxCorr = math.Max(maxCorr, math.Max(ds, dp))
		if g.Pairs != w.Pairs || ds > gensimTolerance || dp > gensimTolerance || diff(g.OOV, w.OOV) > 1e-12 {
			t.Errorf("%s: got spearman %.6f pearson %.6f pairs %d oov %.6f; gensim %.6f %.6f %d %.6f",
				w.Name, g.Spearman, g.Pearson, g.Pairs, g.OOV, w.Spearman, w.Pearson, w.Pairs, w.OOV)
		}
	}
	if len(got.Analogy.Sections) != len(want.Analogy.Sections) {
		t.Errorf("%d analogy sections, gensim has %d", len(got.Analogy.Sections), len(want.Analogy.Sections))
	}
	for i, w := range want.Analogy.Sections {
		if i >= len(got.Analogy.Sections) {
			break
		}
		g := got.Analogy.Sections[i]
		da, dm := diff(g.CosAdd, w.CosAdd), diff(g.CosMul, w.CosMul)
		maxAcc = math.Max(maxAcc, math.Max(da, dm))
		if g.Name != w.Name || g.Questions != w.Questions || da > gensimTolerance || dm > gensimTolerance {
			t.Errorf("section %d: got %s 3cosadd %.6f 3cosmul %.6f questions %d; gensim %s %.6f %.6f %d",
				i, g.Name, g.CosAdd, g.CosMul, g.Questions, w.Name, w.CosAdd, w.CosMul, w.Questions)
		}
	}
	g, w := got.Analogy.Total, want.Analogy.Total
	da, dm := diff(g.CosAdd, w.CosAdd), diff(g.CosMul, w.CosMul)
	maxAcc = math.Max(maxAcc, math.Max(da, dm))
	if g.Questions != w.Questions || da > gensimTolerance || dm > gensimTolerance || diff(g.OOV, w.OOV) > 1e-12 {
		t.Errorf("total: got 3cosadd %.6f 3cosmul %.6f questions %d oov %.6f; gensim %.6f %.6f %d %.6f",
			g.CosAdd, g.CosMul, g.Questions, g.OOV, w.CosAdd, w.CosMul, w.Questions, w.OOV)
	}
	t.Logf("max |diff| vs gensim: correlations %.3g, accuracies %.3g (total 3cosadd %.4f/%.4f, 3cosmul %.4f/%.4f over %d questions)",
		maxCorr, maxAcc, g.CosAdd, w.CosAdd, g.CosMul, w.CosMul, g.Questions)
}

// findDataDir locates the shared data as the eval command does (--data
// unset: $MT2ST_DATA, else ../shared/data beside the module), skipping when
// it is absent.
func findDataDir(t *testing.T) string {
	t.Helper()
	dir, err := datasets.ResolveDirFor("", datasets.EvalMarkers...)
	if err != nil {
		t.Skipf("benchmark data not found: %v", err)
	}
	return dir
}

// loadBenchmarks parses the 13 similarity lists and the analogy questions
// with a minimal local reader (the datasets loaders are tested there).
func loadBenchmarks(t *testing.T, dataDir string) ([]datasets.SimilarityList, []datasets.AnalogySection) {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dataDir, "word-similarity", "EN-*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no similarity lists in %s: %v", dataDir, err)
	}
	sort.Strings(paths)
	var lists []datasets.SimilarityList
	for _, p := range paths {
		l := datasets.SimilarityList{Name: strings.TrimSuffix(filepath.Base(p), ".txt"), Path: p}
		eachLine(t, p, func(n int, fields []string) {
			if len(fields) != 3 {
				t.Fatalf("%s line %d: %d fields", p, n, len(fields))
			}
			score, err := strconv.ParseFloat(fields[2], 64)
			if err != nil {
				t.Fatalf("%s line %d: %v", p, n, err)
			}
			l.Pairs = append(l.Pairs, datasets.WordPair{A: strings.ToLower(fields[0]), B: strings.ToLower(fields[1]), Score: score, Line: n})
		})
		lists = append(lists, l)
	}
	var sections []datasets.AnalogySection
	qpath := filepath.Join(dataDir, "analogy", "questions-words.txt")
	eachLine(t, qpath, func(n int, f []string) {
		switch {
		case len(f) == 2 && f[0] == ":":
			sections = append(sections, datasets.AnalogySection{Name: f[1]})
		case len(f) == 4 && len(sections) > 0:
			s := &sections[len(sections)-1]
			s.Questions = append(s.Questions, datasets.Analogy{
				A: strings.ToLower(f[0]), B: strings.ToLower(f[1]), C: strings.ToLower(f[2]), D: strings.ToLower(f[3]),
				Section: s.Name, Line: n})
		default:
			t.Fatalf("%s line %d: unexpected %q", qpath, n, f)
		}
	})
	return lists, sections
}

func eachLine(t *testing.T, path string, fn func(n int, fields []string)) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if fields := strings.Fields(sc.Text()); len(fields) > 0 {
			fn(n, fields)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}
