package cbow

import (
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/skipgram"
)

func init() { tasks.Register(Name, New, skipgram.Options(skipgram.DefaultConfig())...) }

// Name is the task's registered name.
const Name = "cbow"

// CBOW is the continuous-bag-of-words task.
type CBOW struct {
	cfg    skipgram.Config
	corpus *tasks.Corpus
	noise  *skipgram.Noise
	keep   []float32

	pass    skipgram.Pass
	centres int              // centres with at least one context word in the pass
	at      skipgram.Centres // the next centre
	fresh   bool
	passes  int
	filled  int // real centre words in the current batch

	context []int32       // (B·2W) context ids, −1 = padding
	pool    *tensor.Dense // (B, 2W): 1/|context| on real context slots
	target  []int32       // (B·(K+1)): the centre word, then K noise words
	sign    *tensor.Dense
	weight  *tensor.Dense
}

var _ tasks.Task = (*CBOW)(nil)

// New builds the task over the run's corpus.
func New(env *tasks.Env) (tasks.Task, error) {
	cfg, err := skipgram.ReadConfig(env, Name, skipgram.DefaultConfig())
	if err != nil {
		return nil, err
	}
	c, err := env.LoadCorpus()
	if err != nil {
		return nil, err
	}
	return NewWith(c, cfg)
}

// NewWith builds the task over corpus c (cfg.Batch counts centre words).
func NewWith(c *tasks.Corpus, cfg skipgram.Config) (*CBOW, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if err := c.Check(len(c.Counts)); err != nil {
		return nil, err
	}
	noise, err := skipgram.NewNoise(c.Counts, cfg.NoisePower)
	if err != nil {
		return nil, err
	}
	b, w, k := cfg.Batch, 2*cfg.Window, cfg.Negatives+1
	s := &CBOW{
		cfg: cfg, corpus: c, noise: noise, keep: skipgram.KeepProbs(c.Counts, cfg.Sample), fresh: true,
		context: make([]int32, b*w), pool: tensor.New(tensor.WithShape(b, w), tensor.Of(tensor.Float32)),
		target: make([]int32, b*k),
		sign:   tensor.New(tensor.WithShape(b*k), tensor.Of(tensor.Float32)),
		weight: tensor.New(tensor.WithShape(b*k), tensor.Of(tensor.Float32)),
	}
	sign := s.sign.Data().([]float32)
	for r := range sign {
		sign[r] = 1
		if r%k == 0 {
			sign[r] = -1
		}
	}
	return s, nil
}

// Name implements tasks.Task.
func (s *CBOW) Name() string { return Name }

// Describe implements tasks.Describer.
func (s *CBOW) Describe() map[string]any {
	return map[string]any{
		"corpus": s.corpus.Source, "tokens": len(s.corpus.IDs), "documents": s.corpus.Docs(),
		"window": s.cfg.Window, "negatives": s.cfg.Negatives, "sample": s.cfg.Sample,
		"batch_centres": s.cfg.Batch, "steps": s.cfg.Steps, "noise_power": s.cfg.NoisePower,
	}
}

// Passes returns how many passes over the corpus have begun.
func (s *CBOW) Passes() int { return s.passes }

// BatchExamples implements tasks.Counted: the centre words in the current
// batch.
func (s *CBOW) BatchExamples() int { return s.filled }

func (s *CBOW) newPass(rng *rand.Rand) {
	s.pass.Make(s.corpus, s.keep, s.cfg.Window, rng)
	s.centres = 0
	for d := range s.pass.Docs() {
		if n := s.pass.Starts[d+1] - s.pass.Starts[d]; n > 1 {
			s.centres += n
		}
	}
	s.at = skipgram.Centres{}
	s.fresh = false
	s.passes++
}

// StartEpoch implements tasks.Task; like skipgram's, it continues an
// unfinished pass.
func (s *CBOW) StartEpoch(rng *rand.Rand) int {
	if s.fresh || s.at.Done(&s.pass) {
		s.newPass(rng)
	}
	if s.cfg.Steps > 0 {
		return s.cfg.Steps
	}
	return (s.centres + s.cfg.Batch - 1) / s.cfg.Batch
}

// NextBatch implements tasks.Task.
func (s *CBOW) NextBatch(rng *rand.Rand) {
	if s.fresh {
		s.newPass(rng)
	}
	w, k := 2*s.cfg.Window, s.cfg.Negatives+1
	pool := s.pool.Data().([]float32)
	weight := s.weight.Data().([]float32)
	n, empty := 0, 0
	for n < s.cfg.Batch {
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
		ctx := s.context[n*w : (n+1)*w]
		m := 0
		for j := max(start, i-r); j < min(end, i+r+1); j++ {
			if j != i {
				ctx[m] = s.pass.Tokens[j]
				m++
			}
		}
		pw := pool[n*w : (n+1)*w]
		for j := range ctx {
			if j < m {
				pw[j] = 1 / float32(m)
			} else {
				ctx[j], pw[j] = -1, 0
			}
		}
		c := s.pass.Tokens[i]
		s.target[n*k] = c
		for j := 1; j < k; j++ {
			s.target[n*k+j] = s.noise.DrawNot(rng, c)
		}
		n++
	}
	s.filled = n
	inv := float32(0)
	if n > 0 {
		inv = 1 / float32(n)
	}
	for r := range weight {
		if r < n*k {
			weight[r] = inv
		} else {
			s.target[r], weight[r] = -1, 0
		}
	}
	for j := n * w; j < len(s.context); j++ {
		s.context[j], pool[j] = -1, 0
	}
	if s.at.Done(&s.pass) && s.cfg.Steps == 0 {
		s.fresh = true
	}
}

// Build implements graph.Module: the mean over centres of the
// negative-sampling loss of the pooled context (skipgram.NSLoss).
func (s *CBOW) Build(b *graph.Builder) (*G.Node, error) {
	emb := b.Embedding()
	out, err := b.Table(Name+"/output", emb.Rows, emb.Dim, graph.Zeros())
	if err != nil {
		return nil, err
	}
	ctx, err := b.Rows(emb, s.context, "context")
	if err != nil {
		return nil, err
	}
	h, err := graph.WeightedPool(ctx, b.Input("pool", s.pool))
	if err != nil {
		return nil, err
	}
	u, err := b.Rows(out, s.target, "target")
	if err != nil {
		return nil, err
	}
	return skipgram.NSLoss(h, u, b.Input("sign", s.sign), b.Input("weight", s.weight))
}

// Evaluate implements tasks.Task (see skipgram's: a corpus task reports
// only how much it has read).
func (s *CBOW) Evaluate(*graph.Model, tasks.Split) (tasks.Metrics, error) {
	return tasks.Metrics{Name + "/passes": float64(s.passes)}, nil
}
