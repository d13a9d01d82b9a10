package fasttext

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/taskstest"
	"github.com/mt2st/mt2st/text"
	"github.com/mt2st/mt2st/wordvec"
)

// toyWords is a vocabulary whose words share n-grams ("cat", "cats").
var toyWords = []string{text.UnknownWord, "cat", "cats", "catty", "dog", "dogs", "doggy", "the", "a", "sat", "ran"}

func toyCorpus(seed uint64, docs, length int) *tasks.Corpus {
	rng := rand.New(rand.NewPCG(seed, seed))
	var ds [][]int32
	for range docs {
		d := make([]int32, length)
		for i := range d {
			d[i] = 1 + rng.Int32N(int32(len(toyWords)-1))
		}
		ds = append(ds, d)
	}
	return tasks.NewCorpus(ds, len(toyWords), "toy")
}

func toyModel(dim int) *graph.Model {
	emb := graph.NewTable("embedding", len(toyWords), dim)
	emb.Fill(graph.Uniform(-0.5, 0.5), 9)
	return graph.NewModel(emb, graph.DefaultAdam(), 9)
}

func toyConfig() Config {
	c := DefaultConfig()
	c.Batch, c.Negatives, c.Window, c.Buckets, c.Sample = 6, 2, 2, 97, 0
	return c
}

func TestLossGradientMatchesFiniteDifferences(t *testing.T) {
	for _, name := range []string{NameSG, NameCBOW} {
		s, err := NewWith(toyCorpus(1, 4, 12), toyWords, name, toyConfig())
		if err != nil {
			t.Fatal(err)
		}
		m := toyModel(4)
		// The output table starts at zero (as fastText's); give it values so
		// the input rows get a gradient too.
		if _, err := m.Table(name+"/output", len(toyWords), 4, graph.Uniform(-0.5, 0.5)); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Table(s.NgramTable(), s.Subwords().Rows(), 4, graph.Uniform(-0.5, 0.5)); err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 1))
		s.StartEpoch(rng)
		s.NextBatch(rng)
		if s.BatchExamples() != 6 {
			t.Fatalf("%s: %d examples in a batch of 6", name, s.BatchExamples())
		}
		worst, where, err := taskstest.GradCheck(m, s, 1e-2, 60)
		if err != nil {
			t.Fatal(err)
		}
		if worst > 2e-2 {
			t.Errorf("%s gradient check: worst relative error %.3g at %s", name, worst, where)
		}
	}
}

// One skip-gram pair, K = 1: with h = (e_c + Σ_g z_g)/n for the n = 10
// n-grams of "cats" (gensim's rule, the default; 1 + n = 11 under fastText's),
// the loss is −log σ(h·u_o) − log σ(−h·u_noise).
func TestSkipGramLossIsFastTexts(t *testing.T) {
	for _, tc := range []struct {
		norm string // "" = DefaultConfig's
		div  float64
	}{{"", 10}, {NormGensim, 10}, {NormFastText, 11}} {
		c := tasks.NewCorpus([][]int32{{2, 5}}, len(toyWords), "pair") // cats, dogs
		cfg := toyConfig()
		cfg.Batch, cfg.Negatives, cfg.Window = 1, 1, 1
		if tc.norm != "" {
			cfg.Norm = tc.norm
		}
		s, err := NewWith(c, toyWords, NameSG, cfg)
		if err != nil {
			t.Fatal(err)
		}
		m := toyModel(3)
		out, _ := m.Table(NameSG+"/output", len(toyWords), 3, graph.Uniform(-1, 1))
		ng, _ := m.Table(s.NgramTable(), s.Subwords().Rows(), 3, graph.Uniform(-1, 1))
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
		centre := s.words[0]
		// "<cats>" has the n-grams <ca <cat <cats <cats> cat cats cats> ats ats> ts>.
		subs := AppendNgrams(nil, toyWords[centre], 3, 6, 97)
		if len(subs) != 10 || len(s.sub.Of(centre)) != 10 {
			t.Fatalf("%d n-grams of %q, want 10", len(subs), toyWords[centre])
		}
		h := make([]float64, 3)
		for k := range h {
			h[k] = float64(m.Embedding.Row(int(centre))[k])
			for _, b := range subs {
				r, ok := slices.BinarySearch(s.Subwords().Buckets, b)
				if !ok {
					t.Fatalf("bucket %d of %q has no row", b, toyWords[centre])
				}
				h[k] += float64(ng.Row(r)[k])
			}
			h[k] /= tc.div
		}
		dot := func(row []float32) float64 {
			var x float64
			for k := range h {
				x += h[k] * float64(row[k])
			}
			return x
		}
		sig := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
		want := -math.Log(sig(dot(out.Row(int(s.target[0]))))) - math.Log(sig(-dot(out.Row(int(s.target[1])))))
		if math.Abs(losses[0]-want) > 1e-5 {
			t.Errorf("norm %q: loss %v, want %v (h = sum / %g)", tc.norm, losses[0], want, tc.div)
		}
	}
}

// fasttext-sg reads norm (default gensim) and rejects other values;
// fasttext-cbow does not declare it.
func TestNormSetting(t *testing.T) {
	read := func(name string, settings map[string]string) (Config, error) {
		return ReadConfig(&tasks.Env{Settings: tasks.NewSettings(settings)}, name)
	}
	if c, err := read(NameSG, nil); err != nil || c.Norm != NormGensim {
		t.Errorf("default: norm %q, %v; want %q", c.Norm, err, NormGensim)
	}
	if c, err := read(NameSG, map[string]string{"fasttext-sg.norm": "fasttext"}); err != nil || c.Norm != NormFastText {
		t.Errorf("fasttext-sg.norm=fasttext: norm %q, %v", c.Norm, err)
	}
	if _, err := read(NameSG, map[string]string{"fasttext-sg.norm": "mean"}); err == nil {
		t.Error("fasttext-sg.norm=mean: no error")
	}
	for name, want := range map[string]bool{NameSG: true, NameCBOW: false} {
		opts, err := tasks.Options(name)
		if err != nil {
			t.Fatal(err)
		}
		has := slices.ContainsFunc(opts, func(o tasks.Option) bool { return o.Key == "norm" })
		if has != want {
			t.Errorf("%s declares norm: %v, want %v", name, has, want)
		}
	}
	for n, want := range map[int][2]int{0: {1, 1}, 1: {1, 2}, 10: {10, 11}} {
		if g, f := SGDivisor(NormGensim, n), SGDivisor(NormFastText, n); g != want[0] || f != want[1] {
			t.Errorf("SGDivisor(·, %d) = %d (gensim), %d (fasttext); want %v", n, g, f, want)
		}
	}
}

// Two topics that never share a document, one of cat words, one of dog
// words; after training, the out-of-vocabulary "catz" (n-grams only) is
// closer to the cat words than to the dog words.
func TestTrainingAndOutOfVocabularyVectors(t *testing.T) {
	for _, name := range []string{NameSG, NameCBOW} {
		rng := rand.New(rand.NewPCG(7, 7))
		topics := [][]int32{{1, 2, 3, 9}, {4, 5, 6, 10}}
		var docs [][]int32
		for d := range 200 {
			topic := topics[d%2]
			doc := make([]int32, 30)
			for i := range doc {
				doc[i] = topic[rng.IntN(len(topic))]
			}
			docs = append(docs, doc)
		}
		c := tasks.NewCorpus(docs, len(toyWords), "topics")
		cfg := DefaultConfig()
		cfg.Batch, cfg.Sample, cfg.Buckets = 128, 0, 1000
		s, err := NewWith(c, toyWords, name, cfg)
		if err != nil {
			t.Fatal(err)
		}
		m := toyModel(8)
		m.Opt.LR = 0.02
		p, err := m.Program(s)
		if err != nil {
			t.Fatal(err)
		}
		var first, last float64
		steps := 0
		for range 3 {
			for range s.StartEpoch(rng) {
				s.NextBatch(rng)
				l, err := p.Step([]float64{1})
				if err != nil {
					t.Fatal(err)
				}
				if steps == 0 {
					first = l[0]
				}
				last = l[0]
				steps++
			}
		}
		if !(last < first*0.8) {
			t.Errorf("%s: loss %v -> %v after %d steps, want a clear drop", name, first, last, steps)
		}
		pre, err := s.PretrainedVectors(m, text.NewVocab(toyWords[1:]))
		if err != nil {
			t.Fatal(err)
		}
		v, composed, err := Compose(pre, []string{"cats", "catz", "dogz"}, 3, 6, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if composed != 2 || v.Len() != 3 {
			t.Fatalf("%s: %d of 3 words, %d composed; want 3 with catz and dogz composed", name, v.Len(), composed)
		}
		for _, w := range [][3]string{{"catz", "cat", "dog"}, {"dogz", "dogs", "cats"}} {
			near, ok1 := simAcross(v, pre, w[0], w[1])
			far, ok2 := simAcross(v, pre, w[0], w[2])
			if !ok1 || !ok2 {
				t.Fatalf("%s: %v lacks a vector", name, w)
			}
			if !(near > far) {
				t.Errorf("%s: cos(%s, %s) = %.3f, cos(%s, %s) = %.3f: want the first higher", name, w[0], w[1], near, w[0], w[2], far)
			}
		}
	}
}

// simAcross is the cosine of word x of vectors vx and word y of vectors vy.
func simAcross(vx *wordvec.Vectors, vy *wordvec.Vectors, x, y string) (float64, bool) {
	a, ok1 := vx.Vector(x)
	b, ok2 := vy.Vector(y)
	if !ok1 || !ok2 {
		return math.NaN(), false
	}
	var ab, aa, bb float64
	for k := range a {
		ab += float64(a[k] * b[k])
		aa += float64(a[k] * a[k])
		bb += float64(b[k] * b[k])
	}
	return ab / math.Sqrt(aa*bb), true
}

// Compose keeps a known word's vector, averages the n-gram rows it finds
// for another word, and leaves out a word with none.
func TestCompose(t *testing.T) {
	const buckets = 1000
	catz := AppendNgrams(nil, "catz", 3, 6, buckets)
	keys := []string{"cat"}
	data := []float32{9, 9}
	// Two of catz's n-gram rows are known: (1, 0) and (0, 3).
	for i, row := range [][]float32{{1, 0}, {0, 3}} {
		keys = append(keys, NgramKey(catz[i]))
		data = append(data, row...)
	}
	pre, err := wordvec.NewVectors(keys, 2, data)
	if err != nil {
		t.Fatal(err)
	}
	v, composed, err := Compose(pre, []string{"cat", "catz", "zzzzzzzzzz"}, 3, 6, buckets)
	if err != nil {
		t.Fatal(err)
	}
	if composed != 1 || v.Len() != 2 {
		t.Fatalf("%d words, %d composed; want cat and catz, catz composed", v.Len(), composed)
	}
	if x, _ := v.Vector("cat"); !slices.Equal(x, []float32{9, 9}) {
		t.Errorf("cat = %v, want its own (9, 9)", x)
	}
	// Unless catz's n-grams collide in 1000 buckets, the mean is (0.5, 1.5).
	if x, _ := v.Vector("catz"); !slices.Equal(x, []float32{0.5, 1.5}) {
		t.Errorf("catz = %v, want the mean of its two known n-gram rows (0.5, 1.5)", x)
	}
}
