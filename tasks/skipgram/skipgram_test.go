package skipgram

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/taskstest"
)

func TestKeepProbsAreWord2vecs(t *testing.T) {
	// counts total 10,000; t = 1e-3 → threshold count 10.
	// word2vec/gensim: keep = (√(f/10)+1)·10/f, capped at 1:
	// f=1000: (10+1)/100 = 0.11; f=40: (2+1)/4 = 0.75; f=10: 2 → 1.
	counts := []int64{0, 1000, 40, 10, 8950}
	keep := KeepProbs(counts, 1e-3)
	want := []float64{1, 0.11, 0.75, 1, (math.Sqrt(895) + 1) * 10 / 8950}
	for i := range want {
		if math.Abs(float64(keep[i])-want[i]) > 1e-6 {
			t.Errorf("keep[%d] = %v, want %v", i, keep[i], want[i])
		}
	}
	for i, k := range KeepProbs(counts, 0) {
		if k != 1 {
			t.Errorf("sample 0: keep[%d] = %v, want 1", i, k)
		}
	}
}

func TestNoiseFollowsUnigramToThePower(t *testing.T) {
	counts := []int64{0, 1, 16, 81, 0, 625}
	noise, err := NewNoise(counts, 0.75)
	if err != nil {
		t.Fatal(err)
	}
	// count^0.75 = 1, 8, 27, 125 → total 161.
	want := map[int32]float64{1: 1.0 / 161, 2: 8.0 / 161, 3: 27.0 / 161, 5: 125.0 / 161}
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 400000
	got := map[int32]int{}
	for range n {
		got[noise.Draw(rng)]++
	}
	for id, c := range got {
		p, ok := want[id]
		if !ok {
			t.Fatalf("drew word %d with count 0", id)
		}
		// 5 binomial standard deviations.
		if sd := math.Sqrt(p * (1 - p) / n); math.Abs(float64(c)/n-p) > 5*sd {
			t.Errorf("word %d drawn %.5f of the time, want %.5f", id, float64(c)/n, p)
		}
	}
	if noise.DrawNot(rng, 5) == 5 && noise.DrawNot(rng, 5) == 5 {
		t.Error("DrawNot returned the avoided word twice")
	}
	if _, err := NewNoise([]int64{0, 0}, 0.75); err == nil {
		t.Error("no error for a distribution without words")
	}
}

func TestPassWindowsStayInDocumentsAndCountPairs(t *testing.T) {
	c := tasks.NewCorpus([][]int32{{1, 2, 3, 4, 5, 6}, {7}, {}, {8, 9, 0, 10}}, 11, "toy")
	if got := c.Docs(); got != 4 || len(c.IDs) != 10 {
		t.Fatalf("corpus: %d docs, %d tokens; want 4 docs, 10 tokens (the unknown id dropped)", got, len(c.IDs))
	}
	keep := KeepProbs(c.Counts, 0)
	rng := rand.New(rand.NewPCG(1, 2))
	var p Pass
	for range 20 {
		p.Make(c, keep, 3, rng)
		if len(p.Tokens) != 10 {
			t.Fatalf("no subsampling, %d tokens kept, want 10", len(p.Tokens))
		}
		docOf := map[int32]int{}
		for d, doc := range [][]int32{{1, 2, 3, 4, 5, 6}, {7}, {8, 9, 10}} {
			for _, id := range doc {
				docOf[id] = d
			}
		}
		var cur Cursor
		pairs := int64(0)
		for {
			a, b, ok := cur.Next(&p)
			if !ok {
				break
			}
			pairs++
			if a == b || docOf[a] != docOf[b] {
				t.Fatalf("pair (%d, %d) crosses documents or pairs a word with itself", a, b)
			}
		}
		if pairs != p.Pairs {
			t.Fatalf("cursor walked %d pairs, the pass counted %d", pairs, p.Pairs)
		}
		for _, r := range p.Radius {
			if r < 1 || r > 3 {
				t.Fatalf("window radius %d outside 1..3", r)
			}
		}
	}
}

func TestSubsamplingDropsFrequentWords(t *testing.T) {
	doc := make([]int32, 0, 20000)
	for i := range 20000 {
		if i%100 == 0 {
			doc = append(doc, 2) // rare: 1% of tokens
		} else {
			doc = append(doc, 1) // frequent: 99%
		}
	}
	c := tasks.NewCorpus([][]int32{doc}, 3, "freq")
	keep := KeepProbs(c.Counts, 1e-3)
	var p Pass
	p.Make(c, keep, 5, rand.New(rand.NewPCG(5, 5)))
	kept := map[int32]int{}
	for _, id := range p.Tokens {
		kept[id]++
	}
	// keep(2) = (√(0.01/1e-3)+1)·1e-3/0.01 ≈ 0.416 → about 83 of 200;
	// keep(1) = (√(0.99/1e-3)+1)·1e-3/0.99 ≈ 0.0328 → about 650 of 19,800.
	for id, n := range map[int32]float64{1: 19800, 2: 200} {
		exp := float64(keep[id]) * n
		if math.Abs(float64(kept[id])-exp) > 5*math.Sqrt(exp) {
			t.Errorf("word %d kept %d times, want about %.0f", id, kept[id], exp)
		}
	}
	if math.Abs(float64(keep[2])-0.41622777) > 1e-6 {
		t.Errorf("keep(2) = %v", keep[2])
	}
}

func newToyModel(v, dim int) *graph.Model {
	emb := graph.NewTable("embedding", v, dim)
	emb.Fill(graph.Uniform(-0.5, 0.5), 9)
	return graph.NewModel(emb, graph.DefaultAdam(), 9)
}

func TestLossGradientMatchesFiniteDifferences(t *testing.T) {
	c := zipfCorpus(2, 30, 4, 40)
	cfg := DefaultConfig()
	cfg.Batch, cfg.Negatives, cfg.Window = 6, 3, 2
	s, err := NewWith(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	m := newToyModel(30, 4)
	// The context table starts at zero (as word2vec's); give it values so the
	// embedding rows get a gradient too.
	if _, err := m.Table(Name+"/context", 30, 4, graph.Uniform(-0.5, 0.5)); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	s.StartEpoch(rng)
	s.NextBatch(rng)
	worst, where, err := taskstest.GradCheck(m, s, 1e-2, 40)
	if err != nil {
		t.Fatal(err)
	}
	if worst > 2e-2 {
		t.Errorf("gradient check: worst relative error %.3g at %s", worst, where)
	}
}

func TestLossValueIsWord2vecsObjective(t *testing.T) {
	// One pair, K = 1: loss = −log σ(e·u_o) − log σ(−e·u_n).
	c := tasks.NewCorpus([][]int32{{1, 2}}, 4, "pair")
	cfg := DefaultConfig()
	cfg.Batch, cfg.Negatives, cfg.Window, cfg.Sample = 1, 1, 1, 0
	s, err := NewWith(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	m := newToyModel(4, 3)
	ctx, _ := m.Table(Name+"/context", 4, 3, graph.Uniform(-1, 1))
	rng := rand.New(rand.NewPCG(1, 1))
	s.StartEpoch(rng)
	s.NextBatch(rng)
	p, err := m.Program(s)
	if err != nil {
		t.Fatal(err)
	}
	losses, _, _, err := p.Gradients([]float64{1})
	if err != nil {
		t.Fatal(err)
	}
	dot := func(a, b []float32) float64 {
		var x float64
		for i := range a {
			x += float64(a[i] * b[i])
		}
		return x
	}
	e := m.Embedding.Row(int(s.centre[0]))
	want := -math.Log(sigmoid(dot(e, ctx.Row(int(s.target[0]))))) - math.Log(sigmoid(-dot(e, ctx.Row(int(s.target[1])))))
	if math.Abs(losses[0]-want) > 1e-5 {
		t.Errorf("loss %v, want %v", losses[0], want)
	}
}

func TestTrainingPullsCooccurringWordsTogether(t *testing.T) {
	// Two topics that never share a document: words 1-5 and 6-10.
	rng := rand.New(rand.NewPCG(7, 7))
	var docs [][]int32
	for d := range 200 {
		base := int32(1 + 5*(d%2))
		doc := make([]int32, 30)
		for i := range doc {
			doc[i] = base + rng.Int32N(5)
		}
		docs = append(docs, doc)
	}
	c := tasks.NewCorpus(docs, 11, "topics")
	cfg := DefaultConfig()
	cfg.Batch, cfg.Sample = 256, 0
	s, err := NewWith(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	m := newToyModel(11, 8)
	m.Opt.LR = 0.02
	p, err := m.Program(s)
	if err != nil {
		t.Fatal(err)
	}
	var first, last float64
	steps := 0
	for epoch := range 3 {
		n := s.StartEpoch(rng)
		for range n {
			s.NextBatch(rng)
			l, err := p.Step([]float64{1})
			if err != nil {
				t.Fatal(err)
			}
			if epoch == 0 && steps == 0 {
				first = l[0]
			}
			last = l[0]
			steps++
		}
	}
	if s.Passes() != 3 {
		t.Errorf("%d passes in 3 one-pass epochs", s.Passes())
	}
	if !(last < first*0.8) {
		t.Errorf("loss %v -> %v after %d steps, want a clear drop", first, last, steps)
	}
	cos := func(a, b int) float64 {
		x, y := m.Embedding.Row(a), m.Embedding.Row(b)
		var xy, xx, yy float64
		for i := range x {
			xy += float64(x[i] * y[i])
			xx += float64(x[i] * x[i])
			yy += float64(y[i] * y[i])
		}
		return xy / math.Sqrt(xx*yy)
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
	if !(within > across+0.3) {
		t.Errorf("mean cosine within topics %.3f, across %.3f: want within clearly higher", within, across)
	}
}

func TestStepsSettingAndAuxiliaryContinuation(t *testing.T) {
	c := zipfCorpus(3, 50, 20, 50)
	cfg := DefaultConfig()
	cfg.Batch, cfg.Steps = 10, 7
	s, err := NewWith(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	if n := s.StartEpoch(rng); n != 7 {
		t.Errorf("StartEpoch = %d with steps=7", n)
	}
	s.NextBatch(rng)
	before := s.cur
	s.StartEpoch(rng) // an auxiliary task's next epoch: the pass goes on
	if s.cur != before || s.Passes() != 1 {
		t.Errorf("StartEpoch restarted an unfinished pass")
	}
	if _, err := NewWith(c, Config{Window: 0, Negatives: 5, Batch: 1}); err == nil {
		t.Error("no error for window 0")
	}
}
