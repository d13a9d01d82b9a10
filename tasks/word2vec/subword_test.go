package word2vec

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/fasttext"
)

// listSubwords is a Subwords given by hand.
type listSubwords struct {
	rows [][]int32
	n    int
}

func (s listSubwords) Words() int          { return len(s.rows) }
func (s listSubwords) Rows() int           { return s.n }
func (s listSubwords) Of(id int32) []int32 { return s.rows[id] }

// ftReference trains one epoch of fastText over the single document doc,
// window 1, one negative that is always word 2, constant α, in float64 and
// exactly as fastText's Model::update and gensim's fasttext_inner.pyx do
// it: before each example the input vector is recomputed from the input
// rows, and the input gradient is added unscaled to every row (once per
// listing). Skip-gram's input vector is the sum of the centre's word row and
// its n n-gram rows over n (1 when n = 0; gensim's fasttext_fast_sentence_sg_neg)
// under NormGensim, over 1 + n (fastText's computeHidden) under
// NormFastText; CBOW's is the mean of all its rows under either.
// grad computes (label − σ(f))·α.
func ftReference(m Model, norm Norm, doc []int32, sub listSubwords, in, ng, out [][]float64, alpha float64, grad func(f, label, alpha float64) float64) {
	d := len(in[0])
	inputs := func(words []int32) (rows [][]float64) {
		for _, w := range words {
			rows = append(rows, in[w])
			for _, r := range sub.Of(w) {
				rows = append(rows, ng[r])
			}
		}
		return rows
	}
	example := func(rows [][]float64, div int, target int32) {
		h := make([]float64, d)
		for _, r := range rows {
			for k := range h {
				h[k] += r[k] / float64(div)
			}
		}
		e := make([]float64, d)
		for _, tl := range []struct {
			w     int32
			label float64
		}{{target, 1}, {2, 0}} {
			if tl.label == 0 && tl.w == target {
				continue // a noise draw equal to the target is skipped
			}
			var f float64
			for k := range h {
				f += h[k] * out[tl.w][k]
			}
			g := grad(f, tl.label, alpha)
			for k := range h {
				e[k] += g * out[tl.w][k]
				out[tl.w][k] += g * h[k]
			}
		}
		for _, r := range rows {
			for k := range r {
				r[k] += e[k]
			}
		}
	}
	for i := range doc {
		var ctx []int32
		for j := max(0, i-1); j < min(len(doc), i+2); j++ {
			if j != i {
				ctx = append(ctx, doc[j])
			}
		}
		if m == CBOW {
			rows := inputs(ctx)
			example(rows, len(rows), doc[i])
			continue
		}
		div := 1 + len(sub.Of(doc[i])) // NormFastText
		if norm == NormGensim {
			div = max(1, len(sub.Of(doc[i])))
		}
		for _, c := range ctx {
			example(inputs([]int32{doc[i]}), div, c) // the centre predicts its context
		}
	}
}

func clone2(x [][]float64) [][]float64 {
	out := make([][]float64, len(x))
	for i := range x {
		out[i] = slices.Clone(x[i])
	}
	return out
}

// exactGrad uses the exact σ; tableGrad word2vec's table, as the loop does.
func exactGrad(f, label, alpha float64) float64 { return (label - sigma(f)) * alpha }

func tableGrad(f, label, alpha float64) float64 {
	return float64(gradient(float32(f), float32(label), float32(alpha)))
}

func closeTo(t *testing.T, what string, got []float32, want [][]float64, tol float64) {
	t.Helper()
	w := flat32(want)
	for i := range w {
		if math.Abs(float64(got[i]-w[i])) > tol {
			t.Errorf("%s = %v, want %v (fastText's per-example update)", what, got, w)
			return
		}
	}
}

// The n-gram rows used here: word 1 has rows 0 and 1, word 2 row 1 (shared
// with word 1), word 3 row 2 listed twice (a repeated n-gram).
var testSub = listSubwords{rows: [][]int32{nil, {0, 1}, {1}, {2, 2}}, n: 3}

var (
	testIn  = [][]float64{{0, 0}, {0.1, -0.2}, {0.3, 0.4}, {-0.3, 0.2}}
	testNg  = [][]float64{{0.2, 0.1}, {-0.1, 0.3}, {0.4, -0.2}}
	testOut = [][]float64{{0, 0}, {0.5, 0.1}, {-0.2, 0.3}, {0.3, 0.3}}
)

// norms are the two skip-gram normalisations, the default first.
var norms = []Norm{NormGensim, NormFastText}

func trainSmall(t *testing.T, m Model, norm Norm, doc []int32, alpha float64) (in, ng, out []float32) {
	t.Helper()
	c := &tasks.Corpus{IDs: doc, Starts: []int{0, len(doc)}, Counts: []int64{0, 0, 5, 0}}
	in, ng, out = flat(testIn), flat(testNg), flat(testOut)
	o := pairOptions(m, alpha)
	o.Norm = norm
	st, err := TrainSubwords(context.Background(), c, in, ng, out, 2, testSub, o)
	if err != nil {
		t.Fatal(err)
	}
	if st.Tokens != int64(len(doc)) {
		t.Errorf("%v: %d tokens read, want %d", m, st.Tokens, len(doc))
	}
	return in, ng, out
}

// One epoch over "1 2", worked through by hand. Skip-gram: centre 1's input
// vector h1 = (in1+ng0+ng1)/2 (gensim; /3 fastText) predicts word 2 (the
// noise draw, 2, is the target and is skipped); then centre 2's
// h2 = (in2+ng1)/1 (gensim; /2 fastText) predicts word 1 against noise word
// 2: one pair, one negative. Each input gradient is added whole to each row
// of h.
func TestSubwordPairMatchesHandComputedUpdate(t *testing.T) {
	const alpha = 0.5
	for _, norm := range norms {
		// Word 1 has 2 n-grams, word 2 one: gensim divides by n, fastText
		// by 1 + n.
		div1, div2 := 2.0, 1.0
		if norm == NormFastText {
			div1, div2 = 3, 2
		}
		in, ng, out := clone2(testIn), clone2(testNg), clone2(testOut)
		sum := func(div float64, rows ...[]float64) []float64 {
			h := make([]float64, 2)
			for _, r := range rows {
				h[0], h[1] = h[0]+r[0]/div, h[1]+r[1]/div
			}
			return h
		}
		// Pair 1: h1 predicts 2.
		h1 := sum(div1, in[1], ng[0], ng[1])
		g := (1 - sigma(dot64(h1, out[2]))) * alpha
		e1 := []float64{g * out[2][0], g * out[2][1]}
		out[2] = []float64{out[2][0] + g*h1[0], out[2][1] + g*h1[1]}
		for _, r := range [][]float64{in[1], ng[0], ng[1]} {
			r[0], r[1] = r[0]+e1[0], r[1]+e1[1]
		}
		// Pair 2: h2 predicts 1 (label 1) against noise 2 (label 0).
		h2 := sum(div2, in[2], ng[1])
		gp := (1 - sigma(dot64(h2, out[1]))) * alpha
		gn := (0 - sigma(dot64(h2, out[2]))) * alpha
		e2 := []float64{gp*out[1][0] + gn*out[2][0], gp*out[1][1] + gn*out[2][1]}
		out[1] = []float64{out[1][0] + gp*h2[0], out[1][1] + gp*h2[1]}
		out[2] = []float64{out[2][0] + gn*h2[0], out[2][1] + gn*h2[1]}
		for _, r := range [][]float64{in[2], ng[1]} {
			r[0], r[1] = r[0]+e2[0], r[1]+e2[1]
		}

		gotIn, gotNg, gotOut := trainSmall(t, SkipGram, norm, []int32{1, 2}, alpha)
		// σ comes from word2vec's table (steps of 0.012, so σ within
		// 3e-3), its error multiplied by h in the output rows' update, and
		// gensim's h2 is word 2's two rows summed, of norm ~0.8: within
		// 5e-3.
		closeTo(t, norm.String()+" in", gotIn, in, 5e-3)
		closeTo(t, norm.String()+" ngrams", gotNg, ng, 5e-3)
		closeTo(t, norm.String()+" out", gotOut, out, 5e-3)
		// Unscaled: word 1's row and its own n-gram row 0 moved by the
		// same vector, and by more than the tolerance.
		for k := range 2 {
			dw, dn := gotIn[2+k]-float32(testIn[1][k]), gotNg[k]-float32(testNg[0][k])
			if math.Abs(float64(dw-dn)) > 1e-6 || math.Abs(float64(dw)) < 0.01 {
				t.Errorf("%v, dimension %d: word row moved %g, its n-gram row %g: want the same, unscaled update", norm, k, dw, dn)
			}
		}
		// The reference agrees with the hand computation.
		rin, rng, rout := clone2(testIn), clone2(testNg), clone2(testOut)
		ftReference(SkipGram, norm, []int32{1, 2}, testSub, rin, rng, rout, alpha, exactGrad)
		closeTo(t, norm.String()+" reference in", flat(in), rin, 1e-6)
		closeTo(t, norm.String()+" reference ngrams", flat(ng), rng, 1e-6)
		closeTo(t, norm.String()+" reference out", flat(out), rout, 1e-6)
	}
}

// On a longer document, with a shared and a repeated n-gram row, both models
// under both normalisations match the per-example update: skip-gram's one
// gather and scatter per centre (ftSkipGram) changes nothing but rounding.
func TestSubwordEpochMatchesFastTextReference(t *testing.T) {
	const alpha = 0.3
	doc := []int32{1, 2, 3, 1, 3, 3, 2, 1}
	for _, m := range []Model{SkipGram, CBOW} {
		for _, norm := range norms {
			what := m.String() + "/" + norm.String()
			in, ng, out := clone2(testIn), clone2(testNg), clone2(testOut)
			// The reference takes σ from the loop's table, so only float32
			// rounding (and skip-gram's moved h) separates the two.
			ftReference(m, norm, doc, testSub, in, ng, out, alpha, tableGrad)
			gotIn, gotNg, gotOut := trainSmall(t, m, norm, doc, alpha)
			closeTo(t, what+" in", gotIn, in, 1e-4)
			closeTo(t, what+" ngrams", gotNg, ng, 1e-4)
			closeTo(t, what+" out", gotOut, out, 1e-4)
			if math.Abs(float64(gotNg[4]-float32(testNg[2][0]))) < 0.01 {
				t.Errorf("%s: the repeated n-gram row barely moved: %v", what, gotNg[4:])
			}
		}
	}
}

// The default options (DefaultOptions, which pairOptions starts from)
// train skip-gram with gensim's 1/n: the result is gensim's reference and
// not fastText's, which differs by far more than the tolerance. CBOW is the
// same under either.
func TestSubwordDefaultNormIsGensims(t *testing.T) {
	const alpha = 0.3
	doc := []int32{1, 2, 3, 1, 3, 3, 2, 1}
	c := &tasks.Corpus{IDs: doc, Starts: []int{0, len(doc)}, Counts: []int64{0, 0, 5, 0}}
	for _, m := range []Model{SkipGram, CBOW} {
		in, ng, out := flat(testIn), flat(testNg), flat(testOut)
		if _, err := TrainSubwords(context.Background(), c, in, ng, out, 2, testSub, pairOptions(m, alpha)); err != nil {
			t.Fatal(err)
		}
		ref := map[Norm][]float32{}
		for _, norm := range norms {
			rin, rng, rout := clone2(testIn), clone2(testNg), clone2(testOut)
			ftReference(m, norm, doc, testSub, rin, rng, rout, alpha, tableGrad)
			ref[norm] = slices.Concat(flat32(rin), flat32(rng), flat32(rout))
		}
		got := slices.Concat(in, ng, out)
		dist := func(a, b []float32) (d float64) {
			for i := range a {
				d = max(d, math.Abs(float64(a[i]-b[i])))
			}
			return d
		}
		if d := dist(got, ref[NormGensim]); d > 1e-4 {
			t.Errorf("%v: default options are %g from gensim's 1/n reference, want within 1e-4", m, d)
		}
		apart := dist(ref[NormGensim], ref[NormFastText])
		switch {
		case m == SkipGram && apart < 0.01:
			t.Errorf("skip-gram: the two normalisations' references differ by only %g: the test cannot tell them apart", apart)
		case m == CBOW && apart != 0:
			t.Errorf("CBOW: the normalisation changed the reference by %g, want no change", apart)
		}
	}
}

// moveFactor's values by hand: s = 1 + Σ_listings m over the divisor, n
// (1 when n = 0) under gensim's rule, 1 + n under fastText's; and the
// hidden vector moved by it equals the one recomputed after the update, for
// words without n-grams, with distinct, repeated and shared n-gram rows.
func TestMoveFactor(t *testing.T) {
	for _, c := range []struct {
		rows                   []int32
		wantGensim, wantFastTx float32
	}{
		{nil, 1, 1},
		{[]int32{4, 5}, 3.0 / 2, 1},
		{[]int32{2, 2}, 5.0 / 2, 5.0 / 3},
		{[]int32{1, 2, 1}, 6.0 / 3, 6.0 / 4},
	} {
		for norm, want := range map[Norm]float32{NormGensim: c.wantGensim, NormFastText: c.wantFastTx} {
			if got := moveFactor(c.rows, norm); math.Abs(float64(got-want)) > 1e-6 {
				t.Errorf("moveFactor(%v, %v) = %g, want %g", c.rows, norm, got, want)
			}
		}
	}
	u := []float32{0.25, -0.5}
	for _, norm := range norms {
		for word := range testSub.Words() {
			tr := &trainer{in: flat(testIn), ngrams: flat(testNg), dim: 2, sub: testSub, o: Options{Norm: norm}}
			h, after := make([]float32, 2), make([]float32, 2)
			rows := tr.hidden(h, int32(word))
			tr.addToRows(u, int32(word), rows)
			tr.hidden(after, int32(word))
			axpy(moveFactor(rows, norm), u, h)
			for k := range h {
				if math.Abs(float64(h[k]-after[k])) > 1e-6 {
					t.Errorf("%v, word %d (n-gram rows %v): h moved by moveFactor·u = %v, recomputed %v", norm, word, rows, h, after)
					break
				}
			}
		}
	}
}

// topicWords name the topic corpus's words (ids 1-10): the two topics share
// no 3-gram.
var topicWords = []string{"<unk>", "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"}

func trainTopicsFT(t *testing.T, m Model, threads int, seed uint64) []float32 {
	t.Helper()
	const d = 8
	c := topicCorpus()
	sub, err := fasttext.NewSubwords(topicWords, 3, 6, 1000, func(id int) bool { return id == 0 })
	if err != nil {
		t.Fatal(err)
	}
	in, ng, out := make([]float32, 11*d), make([]float32, sub.Rows()*d), make([]float32, 11*d)
	InitFastText(in, d, seed)
	InitFastText(ng, d, seed+1000)
	o := DefaultOptions(m)
	o.Config.Sample, o.Epochs, o.Threads, o.Seed = 0, 5, threads, seed
	if _, err := TrainSubwords(context.Background(), c, in, ng, out, d, sub, o); err != nil {
		t.Fatal(err)
	}
	_, vecs, err := fasttext.MeanVectors(topicWords, sub, in, ng, d)
	if err != nil {
		t.Fatal(err)
	}
	return append(make([]float32, d), vecs...) // id 0 back in place
}

func TestSubwordSingleThreadIsDeterministic(t *testing.T) {
	for _, m := range []Model{SkipGram, CBOW} {
		a, b := trainTopicsFT(t, m, 1, 3), trainTopicsFT(t, m, 1, 3)
		if !slices.Equal(a, b) {
			t.Errorf("%v: two single-thread runs with one seed differ", m)
		}
		if c := trainTopicsFT(t, m, 1, 4); slices.Equal(a, c) {
			t.Errorf("%v: another seed gave the same table", m)
		}
	}
}

// fastText's word vectors (word row and n-gram rows averaged) separate the
// two topics, with one thread and with two (Hogwild; median of three seeds).
func TestSubwordLearnsTopics(t *testing.T) {
	for _, m := range []Model{SkipGram, CBOW} {
		for _, threads := range []int{1, 2} {
			if threads > 1 && raceEnabled {
				continue // Hogwild writes are races by design
			}
			var seps []float64
			for seed := uint64(5); seed < 5+uint64(2*threads-1); seed++ {
				seps = append(seps, separation(trainTopicsFT(t, m, threads, seed), 8))
			}
			slices.Sort(seps)
			sep := seps[len(seps)/2]
			t.Logf("%v, %d thread(s): separation %.3f", m, threads, sep)
			// Untrained tables score about 0; word2vec's own loop scores
			// 0.45 or more on this corpus (TestLearnsTopicsLikeTheGraphTask).
			if sep < 0.4 {
				t.Errorf("%v, %d thread(s): separation %.3f: want at least 0.4", m, threads, sep)
			}
		}
	}
}

func TestTrainSubwordsRejectsBadArguments(t *testing.T) {
	c := &tasks.Corpus{IDs: []int32{1, 2}, Starts: []int{0, 2}, Counts: []int64{0, 0, 5, 0}}
	o := pairOptions(SkipGram, 0.1)
	in, ng, out := flat(testIn), flat(testNg), flat(testOut)
	for name, call := range map[string]func() error{
		"nil subwords": func() error { _, err := TrainSubwords(context.Background(), c, in, ng, out, 2, nil, o); return err },
		"short n-grams": func() error {
			_, err := TrainSubwords(context.Background(), c, in, ng[:4], out, 2, testSub, o)
			return err
		},
		"vocabulary": func() error {
			_, err := TrainSubwords(context.Background(), c, in, ng, out, 2, listSubwords{rows: testSub.rows[:3], n: 3}, o)
			return err
		},
		"norm": func() error {
			bad := o
			bad.Norm = NormFastText + 1
			_, err := TrainSubwords(context.Background(), c, in, ng, out, 2, testSub, bad)
			return err
		},
		"row out of range": func() error {
			_, err := TrainSubwords(context.Background(), c, in, ng, out, 2, listSubwords{rows: [][]int32{nil, {3}, nil, nil}, n: 3}, o)
			return err
		},
	} {
		if call() == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestParseNorm(t *testing.T) {
	for _, n := range norms {
		if got, err := ParseNorm(n.String()); err != nil || got != n {
			t.Errorf("ParseNorm(%q) = %v, %v; want %v", n.String(), got, err, n)
		}
	}
	if _, err := ParseNorm("mean"); err == nil {
		t.Error(`ParseNorm("mean"): no error`)
	}
}
