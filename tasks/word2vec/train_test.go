package word2vec

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/skipgram"
)

// pairCorpus is one document "1 2" whose counts make word 2 the only noise
// word (a corpus's counts need not be its tokens'), so every draw is known.
func pairCorpus() *tasks.Corpus {
	return &tasks.Corpus{IDs: []int32{1, 2}, Starts: []int{0, 2}, Counts: []int64{0, 0, 5}}
}

func pairOptions(m Model, alpha float64) Options {
	o := DefaultOptions(m)
	o.Config.Window, o.Config.Negatives, o.Config.Sample = 1, 1, 0
	o.Epochs, o.Alpha, o.MinAlpha, o.Threads = 1, alpha, alpha, 1
	return o
}

func sigma(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func dot64(a, b []float64) float64 { return a[0]*b[0] + a[1]*b[1] }

// One epoch over "1 2" with window 1, one negative (always word 2) and a
// constant α, worked through by hand. Skip-gram: the pair (centre 1,
// context 2) trains in[2] to predict word 1 against noise word 2; then
// (centre 2, context 1) trains in[1] to predict word 2, and its noise draw
// (word 2 again) equals the target and is skipped, as word2vec skips it.
// CBOW's contexts here are single words, so it makes the same updates.
func TestOneEpochMatchesHandComputedUpdates(t *testing.T) {
	const alpha = 0.5
	in0 := [][]float64{{0, 0}, {0.1, -0.2}, {0.3, 0.4}}
	out0 := [][]float64{{0, 0}, {0.5, 0.1}, {-0.2, 0.3}}

	in := [][]float64{slices.Clone(in0[0]), slices.Clone(in0[1]), slices.Clone(in0[2])}
	out := [][]float64{slices.Clone(out0[0]), slices.Clone(out0[1]), slices.Clone(out0[2])}
	// Pair 1: input in[2]; word 1 (label 1), noise 2 (label 0).
	g1 := (1 - sigma(dot64(in[2], out[1]))) * alpha
	g2 := (0 - sigma(dot64(in[2], out[2]))) * alpha
	neu := []float64{g1*out[1][0] + g2*out[2][0], g1*out[1][1] + g2*out[2][1]}
	out[1] = []float64{out[1][0] + g1*in[2][0], out[1][1] + g1*in[2][1]}
	out[2] = []float64{out[2][0] + g2*in[2][0], out[2][1] + g2*in[2][1]}
	in[2] = []float64{in[2][0] + neu[0], in[2][1] + neu[1]}
	// Pair 2: input in[1]; word 2 (label 1); the noise draw 2 is skipped.
	g3 := (1 - sigma(dot64(in[1], out[2]))) * alpha
	neu = []float64{g3 * out[2][0], g3 * out[2][1]}
	out[2] = []float64{out[2][0] + g3*in[1][0], out[2][1] + g3*in[1][1]}
	in[1] = []float64{in[1][0] + neu[0], in[1][1] + neu[1]}

	for _, m := range []Model{SkipGram, CBOW} {
		gotIn, gotOut := flat(in0), flat(out0)
		st, err := Train(context.Background(), pairCorpus(), gotIn, gotOut, 2, pairOptions(m, alpha))
		if err != nil {
			t.Fatal(err)
		}
		if st.Tokens != 2 || st.Trained != 2 {
			t.Errorf("%v: stats %+v, want 2 tokens read and trained", m, st)
		}
		// σ comes from word2vec's table (steps of 0.012): within 3e-3.
		for name, pair := range map[string][2][]float32{"in": {gotIn, flat32(in)}, "out": {gotOut, flat32(out)}} {
			for i := range pair[0] {
				if math.Abs(float64(pair[0][i]-pair[1][i])) > 3e-3 {
					t.Errorf("%v: %s = %v, want %v (hand-computed)", m, name, pair[0], pair[1])
					break
				}
			}
		}
		// The rows did move (the updates are ~0.1, far above the tolerance).
		if math.Abs(float64(gotIn[4]-float32(in0[2][0]))) < 0.01 {
			t.Errorf("%v: in[2] barely moved: %v", m, gotIn[4:])
		}
	}
}

func flat(rows [][]float64) []float32 { return flat32(rows) }

func flat32(rows [][]float64) []float32 {
	var out []float32
	for _, r := range rows {
		for _, x := range r {
			out = append(out, float32(x))
		}
	}
	return out
}

// The word2vec update of one skip-gram pair is −α times the gradient of the
// graph task's loss (skipgram.NSLoss, differentiated by Gorgonia) for the
// same pair and noise word: the fast path and the graph task optimise the
// same objective.
func TestPairUpdateIsMinusAlphaTimesGraphGradient(t *testing.T) {
	const alpha, d = 0.05, 5
	r := rand.New(rand.NewPCG(3, 3))
	in, out := make([]float32, 3*d), make([]float32, 3*d)
	for i := range in {
		in[i], out[i] = float32(r.NormFloat64()*0.5), float32(r.NormFloat64()*0.5)
	}
	e0 := slices.Clone(in[2*d : 3*d])                         // the input row (word 2)
	u0 := append(slices.Clone(out[1*d:2*d]), out[2*d:3*d]...) // true word 1, noise word 2
	in1, out1 := slices.Clone(in), slices.Clone(out)
	tr, err := newTrainer(pairCorpus(), in1, out1, d, pairOptions(SkipGram, alpha))
	if err != nil {
		t.Fatal(err)
	}
	w := &worker{rng: 1, neu1: make([]float32, d), neu1e: make([]float32, d)}
	tr.sgPair(w, 1, 2, alpha)

	ge, gu := graphGradients(t, e0, u0, d)

	check := func(name string, before, after, grad []float32) {
		t.Helper()
		want, got := make([]float64, len(grad)), make([]float64, len(grad))
		for i := range grad {
			want[i], got[i] = -alpha*float64(grad[i]), float64(after[i]-before[i])
		}
		if c := cosine(want, got); c < 0.9999 {
			t.Errorf("%s: update %v, −α·gradient %v: cosine %.5f, want the same direction", name, got, want, c)
		}
		if n1, n2 := norm(got), norm(want); math.Abs(n1-n2) > 0.03*n2 {
			t.Errorf("%s: update norm %.5f, −α·gradient norm %.5f (σ table: within 3%%)", name, n1, n2)
		}
	}
	check("input row", e0, in1[2*d:3*d], ge)
	check("true word's output row", u0[:d], out1[d:2*d], gu[:d])
	check("noise word's output row", u0[d:], out1[2*d:3*d], gu[d:])
	if !slices.Equal(in1[:2*d], in[:2*d]) || !slices.Equal(out1[:d], out[:d]) {
		t.Error("rows outside the pair changed")
	}
}

func cosine(a, b []float64) float64 {
	var ab float64
	for i := range a {
		ab += a[i] * b[i]
	}
	return ab / (norm(a) * norm(b))
}

func norm(a []float64) float64 {
	var s float64
	for _, x := range a {
		s += x * x
	}
	return math.Sqrt(s)
}

// topicCorpus is two topics that never share a document: words 1-5 and 6-10.
func topicCorpus() *tasks.Corpus {
	rng := rand.New(rand.NewPCG(7, 7))
	var docs [][]int32
	for d := range 400 {
		base := int32(1 + 5*(d%2))
		doc := make([]int32, 30)
		for i := range doc {
			doc[i] = base + rng.Int32N(5)
		}
		docs = append(docs, doc)
	}
	return tasks.NewCorpus(docs, 11, "topics")
}

// separation is the mean cosine of word pairs within a topic minus across.
func separation(in []float32, d int) float64 {
	cos := func(a, b int) float64 {
		x, y := make([]float64, d), make([]float64, d)
		for i := range d {
			x[i], y[i] = float64(in[a*d+i]), float64(in[b*d+i])
		}
		return cosine(x, y)
	}
	var within, across float64
	for a := 1; a <= 10; a++ {
		for b := a + 1; b <= 10; b++ {
			if (a <= 5) == (b <= 5) {
				within += cos(a, b) / 20
			} else {
				across += cos(a, b) / 25
			}
		}
	}
	return within - across
}

func trainTopics(t *testing.T, m Model, threads int, seed uint64) []float32 {
	t.Helper()
	const d = 8
	c := topicCorpus()
	in, out := make([]float32, 11*d), make([]float32, 11*d)
	InitInput(in, d, seed)
	o := DefaultOptions(m)
	o.Config.Sample, o.Epochs, o.Threads, o.Seed = 0, 5, threads, seed
	if _, err := Train(context.Background(), c, in, out, d, o); err != nil {
		t.Fatal(err)
	}
	return in
}

func TestSingleThreadIsDeterministic(t *testing.T) {
	a, b := trainTopics(t, SkipGram, 1, 3), trainTopics(t, SkipGram, 1, 3)
	if !slices.Equal(a, b) {
		t.Error("two single-thread runs with one seed differ")
	}
	if c := trainTopics(t, SkipGram, 1, 4); slices.Equal(a, c) {
		t.Error("another seed gave the same table")
	}
}

// Both objectives, one thread and two (Hogwild), separate the topics about
// as well as the graph skip-gram task trained with Adam on the same corpus.
func TestLearnsTopicsLikeTheGraphTask(t *testing.T) {
	graphSep := graphTaskSeparation(t)
	if graphSep < 0.3 {
		t.Fatalf("graph task separation %.3f: the reference did not learn", graphSep)
	}
	for _, m := range []Model{SkipGram, CBOW} {
		for _, threads := range []int{1, 2} {
			if threads > 1 && raceEnabled {
				continue // Hogwild writes are races by design
			}
			// Hogwild's result depends on how the threads interleave: take
			// the median over three seeds, so one unlucky schedule cannot
			// fail the test (one thread is deterministic: one seed).
			var seps []float64
			for seed := uint64(5); seed < 5+uint64(2*threads-1); seed++ {
				seps = append(seps, separation(trainTopics(t, m, threads, seed), 8))
			}
			slices.Sort(seps)
			sep := seps[len(seps)/2]
			t.Logf("%v, %d thread(s): separation %.3f (graph task with Adam %.3f)", m, threads, sep, graphSep)
			// One thread must match the graph task within 0.25. On this
			// 10-word corpus two Hogwild threads collide on nearly every
			// row, which costs CBOW (it writes all context rows at once)
			// 0.2-0.35 of separation; they must still clearly learn the
			// topics (untrained tables score about 0).
			want := max(0.3, graphSep-0.25)
			if threads > 1 {
				want = 0.45
			}
			if sep < want {
				t.Errorf("%v, %d thread(s): separation %.3f, graph task %.3f: want at least %.3f", m, threads, sep, graphSep, want)
			}
		}
	}
}

// graphTaskSeparation trains the graph skip-gram task (Gorgonia, Adam) on
// the topic corpus, as tasks/skipgram's own test does.
func graphTaskSeparation(t *testing.T) float64 {
	t.Helper()
	c := topicCorpus()
	cfg := skipgram.DefaultConfig()
	cfg.Batch, cfg.Sample = 256, 0
	s, err := skipgram.NewWith(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	emb := graph.NewTable("embedding", 11, 8)
	emb.Fill(graph.Uniform(-0.5, 0.5), 9)
	m := graph.NewModel(emb, graph.DefaultAdam(), 9)
	m.Opt.LR = 0.02
	p, err := m.Program(s)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for range 3 {
		for range s.StartEpoch(rng) {
			s.NextBatch(rng)
			if _, err := p.Step([]float64{1}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return separation(m.Embedding.W, 8)
}

func TestTrainRejectsBadArguments(t *testing.T) {
	c := pairCorpus()
	ok := pairOptions(SkipGram, 0.1)
	for name, mod := range map[string]func(o *Options, d *int){
		"dim":     func(o *Options, d *int) { *d = 0 },
		"epochs":  func(o *Options, d *int) { o.Epochs = 0 },
		"alpha":   func(o *Options, d *int) { o.Alpha = 0 },
		"min":     func(o *Options, d *int) { o.MinAlpha = 1 },
		"threads": func(o *Options, d *int) { o.Threads = -1 },
		"window":  func(o *Options, d *int) { o.Config.Window = 0 },
	} {
		o, d := ok, 2
		mod(&o, &d)
		if _, err := Train(context.Background(), c, make([]float32, 6), make([]float32, 6), d, o); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := Train(context.Background(), c, make([]float32, 6), make([]float32, 6), 2, ok); err != nil {
		t.Errorf("valid options: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Train(ctx, c, make([]float32, 6), make([]float32, 6), 2, ok); err == nil {
		t.Error("a cancelled context trained anyway")
	}
}

// A CBOW example with two context words: the mean h of their rows predicts
// word 1 against noise word 2. The output rows move by −α·∂L/∂u and each
// context row by −α·∂L/∂h (the graph loss's gradient at h): word2vec's and
// gensim's cbow_mean=1 update, n times the gradient of each row through the
// mean.
func TestCBOWUpdateIsMinusAlphaTimesGraphGradientAtTheMean(t *testing.T) {
	const alpha, d = 0.05, 5
	r := rand.New(rand.NewPCG(4, 4))
	in, out := make([]float32, 5*d), make([]float32, 5*d)
	for i := range in {
		in[i], out[i] = float32(r.NormFloat64()*0.5), float32(r.NormFloat64()*0.5)
	}
	h := make([]float32, d)
	for i := range h {
		h[i] = (in[3*d+i] + in[4*d+i]) / 2
	}
	u0 := append(slices.Clone(out[1*d:2*d]), out[2*d:3*d]...)
	in1, out1 := slices.Clone(in), slices.Clone(out)
	c := &tasks.Corpus{IDs: []int32{1, 2}, Starts: []int{0, 2}, Counts: []int64{0, 0, 5, 0, 0}}
	tr, err := newTrainer(c, in1, out1, d, pairOptions(CBOW, alpha))
	if err != nil {
		t.Fatal(err)
	}
	w := &worker{rng: 1, neu1: make([]float32, d), neu1e: make([]float32, d)}
	tr.cbowWord(w, 1, []int32{3, 4}, alpha)

	gh, gu := graphGradients(t, h, u0, d)
	check := func(name string, before, after, grad []float32) {
		t.Helper()
		want, got := make([]float64, len(grad)), make([]float64, len(grad))
		for i := range grad {
			want[i], got[i] = -alpha*float64(grad[i]), float64(after[i]-before[i])
		}
		if c := cosine(want, got); c < 0.9999 {
			t.Errorf("%s: update %v, want %v (cosine %.5f)", name, got, want, c)
		}
		if n1, n2 := norm(got), norm(want); math.Abs(n1-n2) > 0.03*n2 {
			t.Errorf("%s: update norm %.5f, want %.5f (σ table: within 3%%)", name, n1, n2)
		}
	}
	check("context row 3", in[3*d:4*d], in1[3*d:4*d], gh)
	check("context row 4", in[4*d:5*d], in1[4*d:5*d], gh)
	check("true word's output row", u0[:d], out1[d:2*d], gu[:d])
	check("noise word's output row", u0[d:], out1[2*d:3*d], gu[d:])
}

// graphGradients differentiates skipgram.NSLoss (one input e, output rows
// u = true word then noise word) with Gorgonia.
func graphGradients(t *testing.T, e0, u0 []float32, d int) (ge, gu []float32) {
	t.Helper()
	g := G.NewGraph()
	e := G.NewMatrix(g, G.Float32, G.WithShape(1, d), G.WithName("e"), G.WithValue(tensor.New(tensor.WithShape(1, d), tensor.WithBacking(slices.Clone(e0)))))
	u := G.NewMatrix(g, G.Float32, G.WithShape(2, d), G.WithName("u"), G.WithValue(tensor.New(tensor.WithShape(2, d), tensor.WithBacking(slices.Clone(u0)))))
	sign := G.NewVector(g, G.Float32, G.WithShape(2), G.WithName("sign"), G.WithValue(tensor.New(tensor.WithBacking([]float32{-1, 1}))))
	weight := G.NewVector(g, G.Float32, G.WithShape(2), G.WithName("weight"), G.WithValue(tensor.New(tensor.WithBacking([]float32{1, 1}))))
	loss, err := skipgram.NSLoss(e, u, sign, weight)
	if err != nil {
		t.Fatal(err)
	}
	grads, err := G.Grad(loss, e, u)
	if err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	return slices.Clone(grads[0].Value().Data().([]float32)), slices.Clone(grads[1].Value().Data().([]float32))
}
