package glove

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/taskstest"
)

// countByHand is cooccur.c's rule written plainly: X[a][b] and X[b][a] both
// get 1/d for two words d ≤ window apart in a document.
func countByHand(docs [][]int32, window int) map[[2]int32]float64 {
	x := map[[2]int32]float64{}
	for _, doc := range docs {
		var kept []int32
		for _, id := range doc {
			if id > 0 {
				kept = append(kept, id)
			}
		}
		for p := range kept {
			for q := max(0, p-window); q < p; q++ {
				x[[2]int32{kept[p], kept[q]}] += 1 / float64(p-q)
				x[[2]int32{kept[q], kept[p]}] += 1 / float64(p-q)
			}
		}
	}
	return x
}

func TestCountMatchesDefinitionInDenseAndSparseParts(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	var docs [][]int32
	for range 30 {
		doc := make([]int32, 25)
		for i := range doc {
			doc[i] = rng.Int32N(40) // 0 = unknown, dropped before counting
		}
		docs = append(docs, doc)
	}
	c := tasks.NewCorpus(docs, 40, "random")
	want := countByHand(docs, 4)
	for _, tc := range []struct {
		product int64
		cap     int
	}{{20_000_000, pendCap}, {30, pendCap}, {30, 7}} { // all dense; mostly sparse; sparse with many merges
		product := tc.product
		tab := newTable(40, product)
		tab.cap = tc.cap
		for d := range c.Docs() {
			doc := c.Doc(d)
			for p, a := range doc {
				for q := max(0, p-4); q < p; q++ {
					tab.add(a, doc[q], 1/float32(p-q))
				}
			}
		}
		sparse := len(tab.keys) + len(tab.pend)
		got := tab.entries()
		if got.Len() != len(want) {
			t.Fatalf("product %d: %d entries, want %d", product, got.Len(), len(want))
		}
		for k := range got.X {
			w := want[[2]int32{got.I[k], got.J[k]}]
			if math.Abs(float64(got.X[k])-w) > 1e-4 {
				t.Errorf("product %d: X[%d][%d] = %v, want %v", product, got.I[k], got.J[k], got.X[k], w)
			}
		}
		if product == 30 && sparse == 0 {
			t.Errorf("product 30 stored nothing in the sparse part")
		}
	}
	all, err := Count(c, 4)
	if err != nil || all.Len() != len(want) {
		t.Fatalf("Count: %v entries, err %v; want %d", all.Len(), err, len(want))
	}
}

func TestWeightIsGloVes(t *testing.T) {
	// f(x) = (x/100)^0.75 below x_max: f(10) = 0.1^0.75 = 0.17782794.
	for _, c := range []struct{ x, want float64 }{{10, 0.17782794}, {100, 1}, {250, 1}, {1, 0.031622777}} {
		if got := Weight(c.x, 100, 0.75); math.Abs(got-c.want) > 1e-7 {
			t.Errorf("f(%v) = %v, want %v", c.x, got, c.want)
		}
	}
}

func toy(t *testing.T, batch int) (*GloVe, *graph.Model) {
	t.Helper()
	rng := rand.New(rand.NewPCG(6, 6))
	var docs [][]int32
	for range 20 {
		doc := make([]int32, 15)
		for i := range doc {
			doc[i] = 1 + rng.Int32N(11)
		}
		docs = append(docs, doc)
	}
	c := tasks.NewCorpus(docs, 12, "toy")
	cooc, err := Count(c, 3)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Batch, cfg.XMax = batch, 5
	s, err := NewWith(c, cooc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	emb := graph.NewTable("embedding", 12, 4)
	emb.Fill(graph.Uniform(-0.5, 0.5), 3)
	return s, graph.NewModel(emb, graph.DefaultAdam(), 3)
}

func TestLossGradientMatchesFiniteDifferences(t *testing.T) {
	s, m := toy(t, 8)
	rng := rand.New(rand.NewPCG(1, 1))
	s.StartEpoch(rng)
	s.NextBatch(rng)
	// Non-zero biases and context rows, so every input has a gradient.
	for _, name := range []string{"context", "bias", "context_bias"} {
		dim := 4
		if name != "context" {
			dim = 1
		}
		if _, err := m.Table(Name+"/"+name, 12, dim, graph.Uniform(-0.5, 0.5)); err != nil {
			t.Fatal(err)
		}
	}
	worst, where, err := taskstest.GradCheck(m, s, 1e-2, 40)
	if err != nil {
		t.Fatal(err)
	}
	if worst > 2e-2 {
		t.Errorf("gradient check: worst relative error %.3g at %s", worst, where)
	}
}

func TestTrainingFitsLogCounts(t *testing.T) {
	s, m := toy(t, 64)
	m.Opt.LR = 0.05
	p, err := m.Program(s)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	var first, last float64
	for epoch := range 60 {
		for step := range s.StartEpoch(rng) {
			s.NextBatch(rng)
			l, err := p.Step([]float64{1})
			if err != nil {
				t.Fatal(err)
			}
			if epoch == 0 && step == 0 {
				first = l[0]
			}
			last = l[0]
		}
	}
	if !(last < first/10) {
		t.Errorf("loss %v -> %v after 60 passes, want a tenfold drop", first, last)
	}
	if s.Passes() != 60 {
		t.Errorf("%d passes in 60 one-pass epochs", s.Passes())
	}
}
