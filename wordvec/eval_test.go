package wordvec

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/metrics"
)

// A 2-d toy space: gender along x, royalty along y.
func royalVectors(t *testing.T) *Vectors {
	return mustVectors(t,
		[]string{"man", "woman", "king", "queen", "apple", "prince"},
		2, []float32{
			1, 0, // man
			-1, 0, // woman
			1, 1, // king
			-1, 1, // queen
			0.2, -1, // apple
			0.9, 1.1, // prince: close to king, a decoy for "king" itself
		})
}

func analogy(s string) datasets.Analogy {
	f := strings.Fields(s)
	return datasets.Analogy{A: f[0], B: f[1], C: f[2], D: f[3]}
}

func TestAnalogyExcludesQuestionWords(t *testing.T) {
	v := royalVectors(t)
	// woman - man + king = (-1,1): exactly queen. king + (woman-man) also
	// scores king and prince highly; king is excluded as a question word.
	secs := []datasets.AnalogySection{{Name: "royal", Questions: []datasets.Analogy{
		analogy("man woman king queen"),
		analogy("woman man queen king"),
		analogy("man woman king prince"), // wrong on purpose: queen wins
	}}}
	r := EvaluateAnalogies(v, secs, 0)
	want := SectionResult{Name: "royal", CosAdd: 2.0 / 3, CosMul: 2.0 / 3, Questions: 3}
	if r.Sections[0] != want {
		t.Errorf("section = %+v, want %+v", r.Sections[0], want)
	}
	if r.Total.Questions != 3 || r.Total.OOV != 0 || r.Total.CosAdd != 2.0/3 {
		t.Errorf("total = %+v", r.Total)
	}
}

func TestAnalogyOOVAndRestrictVocab(t *testing.T) {
	v := royalVectors(t)
	secs := []datasets.AnalogySection{
		{Name: "in", Questions: []datasets.Analogy{analogy("man woman king queen")}},
		{Name: "out", Questions: []datasets.Analogy{analogy("man woman king duchess"), analogy("Man Woman King Prince")}},
		{Name: "empty"},
	}
	// restrict_vocab 4: prince (row 5) is out of vocabulary, so is duchess.
	r := EvaluateAnalogies(v, secs, 4)
	if got := r.Sections[1]; got.Questions != 0 || got.CosAdd != 0 || got.CosMul != 0 {
		t.Errorf("all-OOV section = %+v, want 0 questions and accuracy 0 (gensim's convention)", got)
	}
	if got := r.Sections[2]; got != (SectionResult{Name: "empty"}) {
		t.Errorf("empty section = %+v", got)
	}
	if r.Total.Questions != 1 || math.Abs(r.Total.OOV-2.0/3) > 1e-15 || r.Total.CosAdd != 1 {
		t.Errorf("total = %+v, want 1 question, OOV 2/3, accuracy 1", r.Total)
	}
	// With every word, the upper-case question counts (lookups ignore case).
	if r := EvaluateAnalogies(v, secs, 0); r.Sections[1].Questions != 1 {
		t.Errorf("restrict 0 (all words): section out has %d questions, want 1", r.Sections[1].Questions)
	}
}

func TestAnalogySkipsCaseVariantsOfQuestionWords(t *testing.T) {
	// "KING" is nearly king and would be the best candidate for man:woman::king:?,
	// but it is a case variant of a question word, so gensim's loop skips it.
	v := mustVectors(t, []string{"man", "woman", "king", "queen", "KING", "Queen"}, 2, []float32{
		1, 0, -1, 0, 1, 1, -1, 1,
		-1.3, 0.7, // KING: along unit(woman)+unit(king)-unit(man) ≈ (-1.29, 0.71)
		-1, 1.2, // Queen: a later variant of queen; lookups use "queen" (row 3)
	})
	e := NewEvaluator(v, nil, []datasets.AnalogySection{{Name: "s", Questions: []datasets.Analogy{analogy("man woman king queen")}}}, 0)
	if e.canon[4] != 2 || e.canon[5] != 3 {
		t.Fatalf("canonical rows %v: want KING→2, Queen→3", e.canon)
	}
	addTop, _ := e.searchTops()
	if addTop[0].row[0] != 4 {
		t.Fatalf("best 3CosAdd candidate is row %d, want 4 (KING) for this test to mean anything", addTop[0].row[0])
	}
	if r := e.Analogies(); r.Total.CosAdd != 1 || r.Total.CosMul != 1 {
		t.Errorf("accuracy %+v, want 1: KING skipped, queen/Queen both count as queen", r.Total)
	}
}

// referenceAnswers implements gensim's most_similar / most_similar_cosmul and
// the prediction loop directly, in float64, one question at a time.
func referenceAnswers(v *Vectors, qs []datasets.Analogy, restrict int) (add, mul []string, addGap, mulGap []float64) {
	n := min(restrict, v.Len())
	ok := map[string]int{}
	for i := n - 1; i >= 0; i-- {
		ok[strings.ToUpper(v.Words[i])] = i
	}
	unit := func(i int) []float64 {
		r := v.Row(i)
		var ss float64
		for _, x := range r {
			ss += float64(x) * float64(x)
		}
		out := make([]float64, len(r))
		for k, x := range r {
			out[k] = float64(x) / math.Sqrt(ss)
		}
		return out
	}
	dot := func(x, y []float64) (s float64) {
		for k := range x {
			s += x[k] * y[k]
		}
		return s
	}
	type cand struct {
		row   int
		score float64
	}
	answer := func(q [3]int, score func(j int) float64) (string, float64) {
		var cs []cand
		for j := 0; j < n; j++ {
			if j != q[0] && j != q[1] && j != q[2] {
				cs = append(cs, cand{j, score(j)})
			}
		}
		sort.Slice(cs, func(i, k int) bool { return cs[i].score > cs[k].score })
		gap := math.Inf(1) // smallest score gap among the top 6: near-ties may order either way
		for i := 0; i+1 < min(6, len(cs)); i++ {
			gap = math.Min(gap, cs[i].score-cs[i+1].score)
		}
		predicted := ""
		for _, c := range cs[:min(5, len(cs))] {
			predicted = strings.ToUpper(v.Words[c.row])
			if ok[predicted] != q[0] && ok[predicted] != q[1] && ok[predicted] != q[2] {
				break
			}
		}
		return predicted, gap
	}
	for _, qq := range qs {
		a, b, c := ok[strings.ToUpper(qq.A)], ok[strings.ToUpper(qq.B)], ok[strings.ToUpper(qq.C)]
		ua, ub, uc := unit(a), unit(b), unit(c)
		mean := make([]float64, v.Dim)
		for k := range mean {
			mean[k] = ub[k] + uc[k] - ua[k]
		}
		norm := math.Sqrt(dot(mean, mean))
		p, g := answer([3]int{a, b, c}, func(j int) float64 { return dot(unit(j), mean) / norm })
		add, addGap = append(add, p), append(addGap, g)
		p, g = answer([3]int{a, b, c}, func(j int) float64 {
			uj := unit(j)
			return (1 + dot(uj, ub)) / 2 * ((1 + dot(uj, uc)) / 2) / ((1+dot(uj, ua))/2 + 1e-6)
		})
		mul, mulGap = append(mul, p), append(mulGap, g)
	}
	return add, mul, addGap, mulGap
}

func TestAnalogiesMatchDirectImplementation(t *testing.T) {
	// 1,500 rows span three blocks and both workers; a few case variants and
	// near-duplicates exercise the lookup and the skip loop.
	rng := rand.New(rand.NewPCG(3, 4))
	const vocab, dim = 1500, 8
	words := make([]string, vocab)
	data := make([]float32, vocab*dim)
	for i := range words {
		words[i] = fmt.Sprintf("w%d", i)
		for k := 0; k < dim; k++ {
			data[i*dim+k] = float32(rng.NormFloat64())
		}
	}
	for _, i := range []int{7, 30, 600, 1100} {
		j := i + 200
		words[j] = strings.ToUpper(words[i])
		for k := 0; k < dim; k++ {
			data[j*dim+k] = data[i*dim+k] + float32(0.05*rng.NormFloat64())
		}
	}
	v := mustVectors(t, words, dim, data)
	var qs []datasets.Analogy
	pool := []int{7, 30, 600, 990, 3, 4, 5, 900, 999, 450, 250, 12} // all below 1000
	for range 400 {
		w := func() string { return words[pool[rng.IntN(len(pool))]] }
		qs = append(qs, datasets.Analogy{A: w(), B: w(), C: w(), D: w()})
	}
	for _, restrict := range []int{vocab, 1000} {
		wantAdd, wantMul, addGap, mulGap := referenceAnswers(v, qs, restrict)
		e := NewEvaluator(v, nil, []datasets.AnalogySection{{Name: "s", Questions: qs}}, restrict)
		if len(e.questions) != len(qs) {
			t.Fatalf("restrict %d: %d questions in vocabulary, want %d", restrict, len(e.questions), len(qs))
		}
		addTop, mulTop := e.searchTops()
		word := func(row int32) string {
			if row < 0 {
				return ""
			}
			return strings.ToUpper(v.Words[row])
		}
		checked := 0
		for i := range e.questions {
			q := &e.questions[i]
			if got := word(e.predict(q, &addTop[i])); got != wantAdd[i] && addGap[i] > 1e-5 {
				t.Errorf("restrict %d question %d 3CosAdd: predicted %s, direct %s", restrict, i, got, wantAdd[i])
			}
			if got := word(e.predict(q, &mulTop[i])); got != wantMul[i] && mulGap[i] > 1e-5 {
				t.Errorf("restrict %d question %d 3CosMul: predicted %s, direct %s", restrict, i, got, wantMul[i])
			}
			if addGap[i] > 1e-5 && mulGap[i] > 1e-5 {
				checked++
			}
		}
		if checked < len(qs)*9/10 {
			t.Errorf("only %d of %d questions free of near-ties: the test checks too little", checked, len(qs))
		}
	}
}

func TestWordPairs(t *testing.T) {
	v := mustVectors(t, []string{"cat", "dog", "Paris", "car", "paris"}, 2, []float32{
		1, 0, 0.8, 0.6, 0, 1, -1, 0.2, 1, 1,
	})
	list := datasets.SimilarityList{Name: "toy", Pairs: []datasets.WordPair{
		{A: "cat", B: "dog", Score: 8},
		{A: "cat", B: "paris", Score: 1}, // "paris" resolves to row 2, "Paris" (more frequent)
		{A: "dog", B: "car", Score: 3},
		{A: "cat", B: "unicorn", Score: 5}, // OOV
	}}
	got := EvaluateWordPairs(v, list, 0)
	// cos(cat,dog) = 0.8, cos(cat,Paris) = 0, cos(dog,car) = (-0.8+0.12)/√1.04
	model := []float64{0.8, 0, (-0.8 + 0.12) / math.Sqrt(1.04)}
	gold := []float64{8, 1, 3}
	want := PairResult{Name: "toy", Spearman: metrics.Spearman(gold, model), Pearson: metrics.Pearson(gold, model), Pairs: 3, OOV: 0.25}
	if got.Name != want.Name || got.Pairs != want.Pairs || got.OOV != want.OOV ||
		math.Abs(got.Spearman-want.Spearman) > 1e-12 || math.Abs(got.Pearson-want.Pearson) > 1e-7 {
		t.Errorf("got %+v, want %+v", got, want)
	}
	// restrict_vocab 2 leaves cat and dog: one pair, correlation undefined.
	got = EvaluateWordPairs(v, list, 2)
	if got.Pairs != 1 || got.OOV != 0.75 || !math.IsNaN(got.Spearman) || !math.IsNaN(got.Pearson) {
		t.Errorf("restrict 2: got %+v, want 1 pair, OOV 0.75, NaN correlations", got)
	}
}

func TestEvaluatorReadsLiveData(t *testing.T) {
	v := royalVectors(t)
	e := NewEvaluator(v, nil, []datasets.AnalogySection{{Name: "s", Questions: []datasets.Analogy{analogy("man woman king queen")}}}, 0)
	if r := e.Analogies(); r.Total.CosAdd != 1 {
		t.Fatalf("before the update: accuracy %v, want 1", r.Total.CosAdd)
	}
	// Move queen far away (a trainer updating its table in place).
	copy(v.Data[3*2:4*2], []float32{0.1, -1})
	if r := e.Analogies(); r.Total.CosAdd != 0 {
		t.Errorf("after the update: accuracy %v, want 0", r.Total.CosAdd)
	}
}

func TestTopKOrderIndependent(t *testing.T) {
	scores := []float32{0.5, 0.9, 0.5, 0.1, 0.9, 0.7, 0.5, 0.3}
	var fwd, rev, merged topK
	for i, s := range scores {
		fwd.push(s, int32(i))
	}
	for i := len(scores) - 1; i >= 0; i-- {
		rev.push(scores[i], int32(i))
	}
	var lo, hi topK
	for i, s := range scores {
		if i%2 == 0 {
			lo.push(s, int32(i))
		} else {
			hi.push(s, int32(i))
		}
	}
	merged = lo
	merged.merge(&hi)
	wantRows := [analogyTopN]int32{1, 4, 5, 0, 2} // 0.9, 0.9, 0.7, 0.5, 0.5: ties by lower row
	for _, got := range []topK{fwd, rev, merged} {
		if got.n != analogyTopN || got.row != wantRows {
			t.Errorf("rows %v (n %d), want %v", got.row, got.n, wantRows)
		}
	}
}

func TestReportJSON(t *testing.T) {
	r := Report{
		Similarity: []PairResult{
			{Name: "EN-WS-353-ALL", Spearman: 0.5, Pearson: 0.25, Pairs: 10, OOV: 0.5},
			{Name: "EN-MC-30", Spearman: math.NaN(), Pearson: math.NaN(), Pairs: 1, OOV: 0.75},
		},
		Analogy: AnalogyResult{
			Sections: []SectionResult{{Name: "family", CosAdd: 0.5, CosMul: 0.75, Questions: 4}, {Name: "capital-world"}},
			Total:    AnalogyTotal{CosAdd: 0.5, CosMul: 0.75, Questions: 4, OOV: 0.2},
		},
	}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"similarity":{"EN-WS-353-ALL":{"spearman":0.5,"pearson":0.25,"pairs":10,"oov":0.5},` +
		`"EN-MC-30":{"spearman":null,"pearson":null,"pairs":1,"oov":0.75}},` +
		`"analogy":{"sections":{"family":{"3cosadd":0.5,"3cosmul":0.75,"questions":4},` +
		`"capital-world":{"3cosadd":0,"3cosmul":0,"questions":0}},` +
		`"total":{"3cosadd":0.5,"3cosmul":0.75,"questions":4,"oov":0.2}}}`
	if string(data) != want {
		t.Errorf("JSON\n%s\nwant\n%s", data, want)
	}
	var back Report
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(back)
	if string(again) != want || !math.IsNaN(back.Similarity[1].Spearman) || back.Analogy.Sections[1].Name != "capital-world" {
		t.Errorf("round trip gave %s (%+v)", again, back)
	}
}

func TestCountsAreWhatIsScored(t *testing.T) {
	v := royalVectors(t)
	list := datasets.SimilarityList{Name: "toy", Pairs: []datasets.WordPair{
		{A: "man", B: "woman", Score: 3}, {A: "King", B: "queen", Score: 9}, {A: "man", B: "unicorn", Score: 1},
	}}
	secs := []datasets.AnalogySection{
		{Name: "in", Questions: []datasets.Analogy{analogy("man woman king queen"), analogy("MAN WOMAN KING QUEEN")}},
		{Name: "out", Questions: []datasets.Analogy{analogy("man woman king duchess")}},
	}
	e := NewEvaluator(v, []datasets.SimilarityList{list}, secs, 0)
	pairs, questions := e.Counts()
	// Lookups ignore case; unicorn and duchess are not words of royalVectors.
	if fmt.Sprint(pairs, questions) != "[2] [2 0]" {
		t.Errorf("Counts = %v %v, want [2] [2 0]", pairs, questions)
	}
	r := e.Evaluate()
	if r.Similarity[0].Pairs != pairs[0] || r.Analogy.Sections[0].Questions != questions[0] || r.Analogy.Sections[1].Questions != questions[1] {
		t.Errorf("Counts %v %v disagree with the evaluation %+v", pairs, questions, r)
	}
}
