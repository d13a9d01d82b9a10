package skipgram

import (
	"fmt"
	"github.com/mt2st/mt2st/options"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
)

func init() { tasks.Register(Name, New, Options(DefaultConfig())...) }

// Name is the task's registered name.
const Name = "skipgram"

// Config holds the task's options (see the package doc for the settings).
type Config struct {
	Window     int
	Negatives  int
	Sample     float64
	Batch      int // (centre, context) pairs per step
	Steps      int // steps per epoch as the primary task; 0 = one pass
	NoisePower float64
}

// DefaultConfig is word2vec's and gensim's defaults with 1024 pairs a step.
func DefaultConfig() Config {
	return Config{Window: 5, Negatives: 5, Sample: 1e-3, Batch: 1024, NoisePower: 0.75}
}

// Options declares the settings ReadConfig reads, with def's values as
// their defaults (skip-gram and CBOW share them).
func Options(def Config) []tasks.Option {
	return []tasks.Option{
		{Key: "window", Kind: options.Int, Default: def.Window, Help: "largest context window (dynamic, as word2vec)"},
		{Key: "negatives", Kind: options.Int, Default: def.Negatives, Help: "negative samples per positive"},
		{Key: "batch", Kind: options.Int, Default: def.Batch, Help: "training pairs per step"},
		{Key: "steps", Kind: options.Int, Default: def.Steps, Help: "steps per epoch as the primary task (0 = one pass)"},
		{Key: "sample", Kind: options.Float, Default: def.Sample, Help: "subsampling threshold of frequent words"},
		{Key: "noise_power", Kind: options.Float, Default: def.NoisePower, Help: "exponent of the negative-sampling distribution"},
	}
}

// ReadConfig reads the settings prefix.* (prefix "skipgram" or "cbow") over
// the defaults def.
func ReadConfig(env *tasks.Env, prefix string, def Config) (Config, error) {
	c := def
	var err error
	ints := []struct {
		key string
		dst *int
	}{{"window", &c.Window}, {"negatives", &c.Negatives}, {"batch", &c.Batch}, {"steps", &c.Steps}}
	for _, f := range ints {
		if *f.dst, err = env.Int(prefix+"."+f.key, *f.dst); err != nil {
			return c, err
		}
	}
	if c.Sample, err = env.Float(prefix+".sample", c.Sample); err != nil {
		return c, err
	}
	if c.NoisePower, err = env.Float(prefix+".noise_power", c.NoisePower); err != nil {
		return c, err
	}
	return c, c.Check()
}

// Check reports the first invalid option.
func (c Config) Check() error {
	switch {
	case c.Window < 1 || c.Window > 255:
		return fmt.Errorf("window %d: want 1..255", c.Window)
	case c.Negatives < 1:
		return fmt.Errorf("negatives %d: want >= 1", c.Negatives)
	case c.Sample < 0:
		return fmt.Errorf("sample %g: want >= 0 (0 = no subsampling)", c.Sample)
	case c.Batch < 1:
		return fmt.Errorf("batch %d: want >= 1", c.Batch)
	case c.Steps < 0:
		return fmt.Errorf("steps %d: want >= 0 (0 = one pass over the corpus)", c.Steps)
	case c.NoisePower < 0:
		return fmt.Errorf("noise_power %g: want >= 0", c.NoisePower)
	}
	return nil
}

// SkipGram is the skip-gram task.
type SkipGram struct {
	cfg    Config
	corpus *tasks.Corpus
	noise  *Noise
	keep   []float32

	pass   Pass
	cur    Cursor
	fresh  bool // the pass has not been started
	passes int
	filled int // real pairs in the current batch

	// Step buffers: centre[p] is pair p's centre word; target row
	// r = p·(K+1)+k holds, for k = 0, its context word, for k ≥ 1 its k-th
	// noise word.
	centre, target []int32
	sign, weight   *tensor.Dense
}

var _ tasks.Task = (*SkipGram)(nil)

// New builds the task over the run's corpus.
func New(env *tasks.Env) (tasks.Task, error) {
	cfg, err := ReadConfig(env, Name, DefaultConfig())
	if err != nil {
		return nil, err
	}
	c, err := env.LoadCorpus()
	if err != nil {
		return nil, err
	}
	return NewWith(c, cfg)
}

// NewWith builds the task over corpus c.
func NewWith(c *tasks.Corpus, cfg Config) (*SkipGram, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if err := c.Check(len(c.Counts)); err != nil {
		return nil, err
	}
	noise, err := NewNoise(c.Counts, cfg.NoisePower)
	if err != nil {
		return nil, err
	}
	rows := cfg.Batch * (cfg.Negatives + 1)
	s := &SkipGram{
		cfg: cfg, corpus: c, noise: noise, keep: KeepProbs(c.Counts, cfg.Sample),
		centre: make([]int32, cfg.Batch), target: make([]int32, rows),
		sign:   tensor.New(tensor.WithShape(rows), tensor.Of(tensor.Float32)),
		weight: tensor.New(tensor.WithShape(rows), tensor.Of(tensor.Float32)),
		fresh:  true,
	}
	sign := s.sign.Data().([]float32)
	for r := range sign {
		sign[r] = 1 // softplus(+dot) = −log σ(−dot): a noise word
		if r%(cfg.Negatives+1) == 0 {
			sign[r] = -1 // softplus(−dot) = −log σ(dot): the context word
		}
	}
	return s, nil
}

// Name implements tasks.Task.
func (s *SkipGram) Name() string { return Name }

// Describe implements tasks.Describer.
func (s *SkipGram) Describe() map[string]any {
	return map[string]any{
		"corpus": s.corpus.Source, "tokens": len(s.corpus.IDs), "documents": s.corpus.Docs(),
		"window": s.cfg.Window, "negatives": s.cfg.Negatives, "sample": s.cfg.Sample,
		"batch_pairs": s.cfg.Batch, "steps": s.cfg.Steps, "noise_power": s.cfg.NoisePower,
	}
}

// Passes returns how many passes over the corpus have begun.
func (s *SkipGram) Passes() int { return s.passes }

// BatchExamples implements tasks.Counted: the pairs in the current batch.
func (s *SkipGram) BatchExamples() int { return s.filled }

// StartEpoch implements tasks.Task. A new pass (fresh subsampling, windows
// and document order) begins only when the previous one is used up, so as an
// auxiliary task, whose epochs are the primary's, it keeps walking the
// corpus. It returns the steps left in the pass, or skipgram.steps.
func (s *SkipGram) StartEpoch(rng *rand.Rand) int {
	if s.fresh || s.cur.doc >= s.pass.Docs() {
		s.newPass(rng)
	}
	if s.cfg.Steps > 0 {
		return s.cfg.Steps
	}
	return int((s.pass.Pairs + int64(s.cfg.Batch) - 1) / int64(s.cfg.Batch))
}

func (s *SkipGram) newPass(rng *rand.Rand) {
	s.pass.Make(s.corpus, s.keep, s.cfg.Window, rng)
	s.cur = Cursor{}
	s.fresh = false
	s.passes++
}

// NextBatch implements tasks.Task: the next Batch pairs of the pass, each
// with K fresh noise words. At the end of a pass the batch is completed from
// the next pass, except under an exact one-pass epoch, where the last batch
// is padded.
func (s *SkipGram) NextBatch(rng *rand.Rand) {
	if s.fresh {
		s.newPass(rng)
	}
	k := s.cfg.Negatives + 1
	w := s.weight.Data().([]float32)
	n, empty := 0, 0
	for n < s.cfg.Batch {
		c, o, ok := s.cur.Next(&s.pass)
		if !ok {
			if (n > 0 && s.cfg.Steps == 0) || empty > 2 {
				break // the last batch of a pass (or a corpus without pairs)
			}
			s.newPass(rng)
			empty++
			continue
		}
		row := n * k
		s.centre[n], s.target[row] = c, o
		for j := 1; j < k; j++ {
			s.target[row+j] = s.noise.DrawNot(rng, o)
		}
		n++
	}
	s.filled = n
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
	for p := n; p < len(s.centre); p++ {
		s.centre[p] = -1
	}
	if s.cur.doc >= s.pass.Docs() && s.cfg.Steps == 0 {
		s.fresh = true // StartEpoch or the next batch begins a new pass
	}
}

// Build implements graph.Module: the mean over pairs of the pair losses
// (see NSLoss).
func (s *SkipGram) Build(b *graph.Builder) (*G.Node, error) {
	emb := b.Embedding()
	ctx, err := b.Table(Name+"/context", emb.Rows, emb.Dim, graph.Zeros())
	if err != nil {
		return nil, err
	}
	return NegativeSamplingLoss(b, emb, ctx, s.centre, s.target, s.sign, s.weight)
}

// NegativeSamplingLoss gathers the rows centre of in and target of out and
// returns their NSLoss.
func NegativeSamplingLoss(b *graph.Builder, in, out *graph.Table, centre, target []int32, sign, weight *tensor.Dense) (*G.Node, error) {
	e, err := b.Rows(in, centre, "centre")
	if err != nil {
		return nil, err
	}
	u, err := b.Rows(out, target, "target")
	if err != nil {
		return nil, err
	}
	return NSLoss(e, u, b.Input("sign", sign), b.Input("weight", weight))
}

// Evaluate implements tasks.Task. A corpus task has no labelled split: its
// quality is measured on the embedding (the similarity and analogy tasks,
// or `mt2st eval` on saved vectors), so it reports only how much it has read.
func (s *SkipGram) Evaluate(*graph.Model, tasks.Split) (tasks.Metrics, error) {
	return tasks.Metrics{Name + "/passes": float64(s.passes)}, nil
}
