package fasttext

import (
	"fmt"
	"math"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/options"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/skipgram"
)

func init() {
	tasks.Register(NameSG, func(env *tasks.Env) (tasks.Task, error) { return newTask(env, NameSG) }, append(Options(), NormOption)...)
	tasks.Register(NameCBOW, func(env *tasks.Env) (tasks.Task, error) { return newTask(env, NameCBOW) }, Options()...)
}

// The registered names: fastText's skip-gram and CBOW.
const (
	NameSG   = "fasttext-sg"
	NameCBOW = "fasttext-cbow"
)

// IsName reports whether name is one of the package's tasks.
func IsName(name string) bool { return name == NameSG || name == NameCBOW }

// DefaultBuckets is fastText's and gensim's number of n-gram buckets.
const DefaultBuckets = 2000000

// Config holds the task's options: skip-gram's (window, negatives, sample,
// batch, steps, noise_power), the n-gram lengths and buckets, and
// skip-gram's normalisation.
type Config struct {
	skipgram.Config
	MinN, MaxN, Buckets int
	// Norm is what skip-gram's input vector divides the sum of a word's
	// rows by: NormGensim or NormFastText (SGDivisor). CBOW ignores it.
	Norm string
}

// The values of Config.Norm (the setting fasttext-sg.norm).
const (
	// NormGensim divides by n, the number of the word's n-grams (1 when
	// n = 0), as gensim 4's FastText skip-gram (fasttext_inner.pyx).
	NormGensim = "gensim"
	// NormFastText divides by 1 + n, the mean of the word's rows, as
	// fastText's computeHidden.
	NormFastText = "fasttext"
)

// NormOption declares fasttext-sg.norm (CBOW always takes the mean).
var NormOption = tasks.Option{Key: "norm", Kind: options.String, Default: NormGensim,
	Help: "skip-gram input vector = (word row + its n n-gram rows) / n (gensim; 1 when n = 0) or / (1 + n) (fasttext)"}

// SGDivisor is what skip-gram's input vector divides the sum of a word's row
// and its n n-gram rows by under norm: n (1 when n = 0) for NormGensim,
// 1 + n for NormFastText.
func SGDivisor(norm string, n int) int {
	if norm == NormFastText {
		return 1 + n
	}
	return max(n, 1)
}

func checkNorm(norm string) error {
	if norm != NormGensim && norm != NormFastText {
		return fmt.Errorf("norm %q: valid values are %s, %s", norm, NormGensim, NormFastText)
	}
	return nil
}

// DefaultConfig is fastText's and gensim's defaults (n = 3..6, 2,000,000
// buckets) with skip-gram's batch of 1024 pairs (CBOW: centre words) and
// gensim's skip-gram normalisation.
func DefaultConfig() Config {
	return Config{Config: skipgram.DefaultConfig(), MinN: 3, MaxN: 6, Buckets: DefaultBuckets, Norm: NormGensim}
}

// Options declares the settings ReadConfig reads for both tasks
// (fasttext-sg adds NormOption).
func Options() []tasks.Option {
	def := DefaultConfig()
	return append(skipgram.Options(def.Config),
		tasks.Option{Key: "minn", Kind: options.Int, Default: def.MinN, Help: "shortest character n-gram (with the < > word boundaries)"},
		tasks.Option{Key: "maxn", Kind: options.Int, Default: def.MaxN, Help: "longest character n-gram"},
		tasks.Option{Key: "buckets", Kind: options.Int, Default: def.Buckets, Help: "rows of the hashed n-gram table"},
	)
}

// ReadConfig reads the settings name.* (name: fasttext-sg or fasttext-cbow;
// norm only for fasttext-sg).
func ReadConfig(env *tasks.Env, name string) (Config, error) {
	c := DefaultConfig()
	var err error
	if c.Config, err = skipgram.ReadConfig(env, name, c.Config); err != nil {
		return c, err
	}
	for _, f := range []struct {
		key string
		dst *int
	}{{"minn", &c.MinN}, {"maxn", &c.MaxN}, {"buckets", &c.Buckets}} {
		if *f.dst, err = env.Int(name+"."+f.key, *f.dst); err != nil {
			return c, err
		}
	}
	if name == NameSG {
		c.Norm = env.String(name+".norm", c.Norm)
		if err := checkNorm(c.Norm); err != nil {
			return c, fmt.Errorf("%s.%w", name, err)
		}
	}
	return c, checkNgrams(c.MinN, c.MaxN, c.Buckets)
}

// FastText is the fastText task, skip-gram or CBOW.
type FastText struct {
	name   string
	cbow   bool
	cfg    Config
	corpus *tasks.Corpus
	sub    *Subwords
	noise  *skipgram.Noise
	keep   []float32

	pass    skipgram.Pass
	cur     skipgram.Cursor  // skip-gram: the next pair
	at      skipgram.Centres // CBOW: the next centre
	centres int              // CBOW: centres with a context in the pass
	fresh   bool
	passes  int
	filled  int // real pairs (CBOW: centres) in the current batch

	words  []int32 // word rows: skip-gram the batch's centre words, CBOW its context words
	ngrams []int32 // n-gram rows (a capacity; −1 = unused)
	layout *Layout
	target []int32 // per output row: the true word, then K noise words
	sign   *tensor.Dense
	weight *tensor.Dense
}

var _ tasks.Task = (*FastText)(nil)

func newTask(env *tasks.Env, name string) (*FastText, error) {
	cfg, err := ReadConfig(env, name)
	if err != nil {
		return nil, err
	}
	c, err := env.LoadCorpus()
	if err != nil {
		return nil, err
	}
	return NewWith(c, env.Vocab.Words(), name, cfg)
}

// NewWith builds the task called name (NameSG or NameCBOW) over corpus c,
// whose ids index words (id 0, the unknown word, gets no n-grams).
func NewWith(c *tasks.Corpus, words []string, name string, cfg Config) (*FastText, error) {
	if !IsName(name) {
		return nil, fmt.Errorf("fasttext: unknown task %q: want %s or %s", name, NameSG, NameCBOW)
	}
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if err := checkNorm(cfg.Norm); err != nil && name == NameSG {
		return nil, fmt.Errorf("fasttext: %w", err)
	}
	if err := c.Check(len(words)); err != nil {
		return nil, err
	}
	sub, err := NewSubwords(words, cfg.MinN, cfg.MaxN, cfg.Buckets, func(id int) bool { return id == 0 })
	if err != nil {
		return nil, err
	}
	noise, err := skipgram.NewNoise(c.Counts, cfg.NoisePower)
	if err != nil {
		return nil, err
	}
	s := &FastText{name: name, cbow: name == NameCBOW, cfg: cfg, corpus: c, sub: sub, noise: noise,
		keep: skipgram.KeepProbs(c.Counts, cfg.Sample), fresh: true}
	b, k, w := cfg.Batch, cfg.Negatives+1, 2*cfg.Window
	mean := s.meanNgrams()
	var nw, nz, groups int
	if s.cbow {
		// A centre has W+1 context words on average (radius uniform in 1..W).
		nw, groups = b*w, b
		nz = int(math.Ceil(1.5*float64(b*(cfg.Window+1))*mean)) + w*sub.Max()
	} else {
		// A centre gives about W+1 consecutive pairs, one group of rows.
		nw, groups = b, b
		nz = int(math.Ceil(float64(b)*mean/2)) + sub.Max()
	}
	nz = max(nz, 1)
	s.words, s.ngrams = make([]int32, nw), make([]int32, nz)
	s.layout = NewLayout(nw, nz, b, groups)
	s.target = make([]int32, b*k)
	s.sign = tensor.New(tensor.WithShape(b*k), tensor.Of(tensor.Float32))
	s.weight = tensor.New(tensor.WithShape(b*k), tensor.Of(tensor.Float32))
	sign := s.sign.Data().([]float32)
	for r := range sign {
		sign[r] = 1
		if r%k == 0 {
			sign[r] = -1
		}
	}
	return s, nil
}

// meanNgrams is the mean number of n-grams of a corpus token that survives
// subsampling, for sizing the n-gram rows of a batch.
func (s *FastText) meanNgrams() float64 {
	var num, den float64
	for id, n := range s.corpus.Counts {
		if n > 0 {
			f := float64(n) * float64(s.keep[id])
			num += f * float64(len(s.sub.Of(int32(id))))
			den += f
		}
	}
	if den == 0 {
		return 1
	}
	return num / den
}

// Name implements tasks.Task.
func (s *FastText) Name() string { return s.name }

// Config returns the task's options.
func (s *FastText) Config() Config { return s.cfg }

// Subwords returns the n-gram buckets of the task's vocabulary.
func (s *FastText) Subwords() *Subwords { return s.sub }

// Describe implements tasks.Describer.
func (s *FastText) Describe() map[string]any {
	return map[string]any{
		"corpus": s.corpus.Source, "tokens": len(s.corpus.IDs), "documents": s.corpus.Docs(),
		"window": s.cfg.Window, "negatives": s.cfg.Negatives, "sample": s.cfg.Sample,
		"batch": s.cfg.Batch, "steps": s.cfg.Steps, "noise_power": s.cfg.NoisePower,
		"minn": s.cfg.MinN, "maxn": s.cfg.MaxN, "buckets": s.cfg.Buckets,
		"ngram_rows_per_batch": len(s.ngrams), "mean_ngrams_per_token": s.meanNgrams(),
		"ngram_table_rows": s.sub.Rows(), "norm": s.norm(),
	}
}

// norm is the task's normalisation for Describe: skip-gram's Norm, CBOW's
// mean of all rows.
func (s *FastText) norm() string {
	if s.cbow {
		return "mean"
	}
	return s.cfg.Norm
}

// Passes returns how many passes over the corpus have begun.
func (s *FastText) Passes() int { return s.passes }

// BatchExamples implements tasks.Counted: the pairs (CBOW: centre words) in
// the current batch.
func (s *FastText) BatchExamples() int { return s.filled }

func (s *FastText) newPass(rng *rand.Rand) {
	s.pass.Make(s.corpus, s.keep, s.cfg.Window, rng)
	s.cur = skipgram.Cursor{}
	s.at, s.centres = skipgram.Centres{}, 0
	for d := range s.pass.Docs() {
		if n := s.pass.Starts[d+1] - s.pass.Starts[d]; n > 1 {
			s.centres += n
		}
	}
	s.fresh = false
	s.passes++
}

func (s *FastText) done() bool {
	if s.cbow {
		return s.at.Done(&s.pass)
	}
	return s.cur.Done(&s.pass)
}

// StartEpoch implements tasks.Task; as skipgram's, it continues an
// unfinished pass. A pass's step count assumes full batches (a batch whose
// n-gram rows would overflow ends early, which is rare: see NewWith).
func (s *FastText) StartEpoch(rng *rand.Rand) int {
	if s.fresh || s.done() {
		s.newPass(rng)
	}
	if s.cfg.Steps > 0 {
		return s.cfg.Steps
	}
	if s.cbow {
		return (s.centres + s.cfg.Batch - 1) / s.cfg.Batch
	}
	return int((s.pass.Pairs + int64(s.cfg.Batch) - 1) / int64(s.cfg.Batch))
}

// NextBatch implements tasks.Task.
func (s *FastText) NextBatch(rng *rand.Rand) {
	if s.fresh {
		s.newPass(rng)
	}
	var n, nw, nz int
	if s.cbow {
		n, nw, nz = s.fillCBOW(rng)
	} else {
		n, nw, nz = s.fillSG(rng)
	}
	s.filled = n
	l := s.layout
	for i := nw; i < len(s.words); i++ {
		s.words[i], l.WordGroup[i], l.WordCoef[i] = -1, -1, 0
	}
	for j := nz; j < len(s.ngrams); j++ {
		s.ngrams[j], l.NgramGroup[j], l.NgramCoef[j] = -1, -1, 0
	}
	k := s.cfg.Negatives + 1
	w := s.weight.Data().([]float32)
	inv := float32(0)
	if n > 0 {
		inv = 1 / float32(n)
	}
	for r := range w {
		if r < n*k {
			w[r] = inv
		} else {
			s.target[r], w[r] = -1, 0
		}
	}
	for p := range l.OutGroup {
		switch {
		case p >= n:
			l.OutGroup[p] = -1
		case s.cbow:
			l.OutGroup[p] = int32(p) // skip-gram's fillSG set its own
		}
	}
	if s.done() && s.cfg.Steps == 0 {
		s.fresh = true // StartEpoch or the next batch begins a new pass
	}
}

// setTarget fills output row n: the true word, then K noise words.
func (s *FastText) setTarget(rng *rand.Rand, n int, word int32) {
	k := s.cfg.Negatives + 1
	s.target[n*k] = word
	for j := 1; j < k; j++ {
		s.target[n*k+j] = s.noise.DrawNot(rng, word)
	}
}

// fillSG fills the skip-gram pairs of a batch: consecutive pairs of one
// centre word share one group (the centre's row and its n-gram rows, each
// weighted 1/SGDivisor). It
// returns the pairs, the groups (= word rows) and the n-gram rows used.
func (s *FastText) fillSG(rng *rand.Rand) (n, groups, nz int) {
	l := s.layout
	prev, empty := int32(-1), 0
	for n < s.cfg.Batch {
		saved := s.cur
		c, o, ok := s.cur.Next(&s.pass)
		if !ok {
			if (n > 0 && s.cfg.Steps == 0) || empty > 2 {
				break
			}
			s.newPass(rng)
			empty++
			continue
		}
		if groups == 0 || c != prev {
			subs := s.sub.Of(c)
			if nz+len(subs) > len(s.ngrams) {
				s.cur = saved // the n-gram rows are full: the pair opens the next batch
				break
			}
			coef := 1 / float32(SGDivisor(s.cfg.Norm, len(subs)))
			s.words[groups], l.WordGroup[groups], l.WordCoef[groups] = c, int32(groups), coef
			for _, b := range subs {
				s.ngrams[nz], l.NgramGroup[nz], l.NgramCoef[nz] = b, int32(groups), coef
				nz++
			}
			groups++
			prev = c
		}
		l.OutGroup[n] = int32(groups - 1)
		s.setTarget(rng, n, o)
		n++
	}
	return n, groups, nz
}

// fillCBOW fills the CBOW centres of a batch: centre n's group holds its
// context words' rows and all their n-gram rows, each weighted 1/(their
// number), as gensim's and fastText's CBOW average them.
func (s *FastText) fillCBOW(rng *rand.Rand) (n, nw, nz int) {
	l := s.layout
	w := 2 * s.cfg.Window
	empty := 0
	for n < s.cfg.Batch {
		saved := s.at
		i, start, end, ok := s.at.Next(&s.pass)
		if !ok {
			if (n > 0 && s.cfg.Steps == 0) || empty > 2 {
				break
			}
			s.newPass(rng)
			empty++
			continue
		}
		r := int(s.pass.Radius[i])
		lo, hi := max(start, i-r), min(end, i+r+1)
		rows, need := 0, 0 // context words and their n-grams; n-grams only
		for j := lo; j < hi; j++ {
			if j != i {
				m := len(s.sub.Of(s.pass.Tokens[j]))
				rows += 1 + m
				need += m
			}
		}
		if nz+need > len(s.ngrams) {
			s.at = saved // the n-gram rows are full: the centre opens the next batch
			break
		}
		coef := 1 / float32(rows)
		slot := n * w
		for j := lo; j < hi; j++ {
			if j == i {
				continue
			}
			t := s.pass.Tokens[j]
			s.words[slot], l.WordGroup[slot], l.WordCoef[slot] = t, int32(n), coef
			slot++
			for _, b := range s.sub.Of(t) {
				s.ngrams[nz], l.NgramGroup[nz], l.NgramCoef[nz] = b, int32(n), coef
				nz++
			}
		}
		for ; slot < (n+1)*w; slot++ {
			s.words[slot], l.WordGroup[slot], l.WordCoef[slot] = -1, -1, 0
		}
		s.setTarget(rng, n, s.pass.Tokens[i])
		n++
	}
	return n, n * w, nz
}

// NgramTable is the name of the task's n-gram table in the model.
func (s *FastText) NgramTable() string { return s.name + "/ngrams" }

// Build implements graph.Module: the mean over pairs (CBOW: centres) of
// word2vec's negative-sampling loss (skipgram.NSLoss) of fastText's input
// vector (SubwordPool) against an output table private to the task (zero
// at first, as fastText's and gensim's).
func (s *FastText) Build(b *graph.Builder) (*G.Node, error) {
	emb := b.Embedding()
	d := float64(emb.Dim)
	ng, err := b.Table(s.NgramTable(), max(1, s.sub.Rows()), emb.Dim, graph.Uniform(-1/d, 1/d))
	if err != nil {
		return nil, err
	}
	out, err := b.Table(s.name+"/output", emb.Rows, emb.Dim, graph.Zeros())
	if err != nil {
		return nil, err
	}
	w, err := b.Rows(emb, s.words, "words")
	if err != nil {
		return nil, err
	}
	z, err := b.Rows(ng, s.ngrams, "ngrams")
	if err != nil {
		return nil, err
	}
	h, err := SubwordPool(w, z, s.layout)
	if err != nil {
		return nil, err
	}
	u, err := b.Rows(out, s.target, "target")
	if err != nil {
		return nil, err
	}
	return skipgram.NSLoss(h, u, b.Input("sign", s.sign), b.Input("weight", s.weight))
}

// Evaluate implements tasks.Task (as skipgram's: a corpus task reports only
// how much it has read; its vectors are measured on the embedding).
func (s *FastText) Evaluate(*graph.Model, tasks.Split) (tasks.Metrics, error) {
	return tasks.Metrics{s.name + "/passes": float64(s.passes)}, nil
}
