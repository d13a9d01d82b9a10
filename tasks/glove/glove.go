package glove

import (
	"fmt"
	"github.com/mt2st/mt2st/options"
	"log/slog"
	"math"
	"math/rand/v2"
	"time"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
)

func init() {
	d := DefaultConfig()
	tasks.Register(Name, New,
		tasks.Option{Key: "window", Kind: options.Int, Default: d.Window, Help: "co-occurrence window (weights 1/distance)"},
		tasks.Option{Key: "x_max", Kind: options.Float, Default: d.XMax, Help: "count at which the weighting function reaches 1"},
		tasks.Option{Key: "alpha", Kind: options.Float, Default: d.Alpha, Help: "exponent of the weighting function"},
		tasks.Option{Key: "batch", Kind: options.Int, Default: d.Batch, Help: "co-occurrence cells per step"},
		tasks.Option{Key: "steps", Kind: options.Int, Default: d.Steps, Help: "steps per epoch as the primary task (0 = one pass)"},
	)
}

// Name is the task's registered name.
const Name = "glove"

// Config holds the task's options.
type Config struct {
	Window int
	XMax   float64
	Alpha  float64
	Batch  int // pairs per step
	Steps  int // steps per epoch as the primary task; 0 = one pass
}

// DefaultConfig is GloVe's defaults (window 10, x_max 100, α 0.75).
func DefaultConfig() Config { return Config{Window: 10, XMax: 100, Alpha: 0.75, Batch: 4096} }

// Check reports the first invalid option.
func (c Config) Check() error {
	switch {
	case c.Window < 1:
		return fmt.Errorf("window %d: want >= 1", c.Window)
	case c.XMax <= 0:
		return fmt.Errorf("x_max %g: want > 0", c.XMax)
	case c.Alpha < 0:
		return fmt.Errorf("alpha %g: want >= 0", c.Alpha)
	case c.Batch < 1:
		return fmt.Errorf("batch %d: want >= 1", c.Batch)
	case c.Steps < 0:
		return fmt.Errorf("steps %d: want >= 0", c.Steps)
	}
	return nil
}

// GloVe is the GloVe task.
type GloVe struct {
	filled int // real entries in the current batch
	cfg    Config
	corpus *tasks.Corpus
	cooc   *Cooccurrence
	order  []int32 // a permutation of the entries, reshuffled every pass
	pos    int
	fresh  bool
	passes int

	i, j         []int32
	logX, weight *tensor.Dense // log X_ij; ½·f(X_ij)/n (0 on padding)
}

var _ tasks.Task = (*GloVe)(nil)

// New builds the task over the run's corpus; the counts are cached per
// corpus and window.
func New(env *tasks.Env) (tasks.Task, error) {
	cfg := DefaultConfig()
	var err error
	if cfg.Window, err = env.Int(Name+".window", cfg.Window); err != nil {
		return nil, err
	}
	if cfg.XMax, err = env.Float(Name+".x_max", cfg.XMax); err != nil {
		return nil, err
	}
	if cfg.Alpha, err = env.Float(Name+".alpha", cfg.Alpha); err != nil {
		return nil, err
	}
	if cfg.Batch, err = env.Int(Name+".batch", cfg.Batch); err != nil {
		return nil, err
	}
	if cfg.Steps, err = env.Int(Name+".steps", cfg.Steps); err != nil {
		return nil, err
	}
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	c, err := env.LoadCorpus()
	if err != nil {
		return nil, err
	}
	v, err := env.Load(fmt.Sprintf("glove-cooccurrence|%s|window=%d", c.Key, cfg.Window), func() (any, error) {
		start := time.Now()
		slog.Info("glove: counting co-occurrences", "tokens", len(c.IDs), "documents", c.Docs(), "window", cfg.Window)
		cooc, err := CountWithProgress(env.Ctx(), c, cfg.Window, 0, func(done, total int) {
			slog.Info("glove: counting co-occurrences", "documents", done, "of", total, "percent", 100*float64(done)/float64(total))
		})
		if err == nil {
			slog.Info("glove: co-occurrences counted", "seconds", time.Since(start).Seconds(), "nonzero", cooc.Len())
		}
		return cooc, err
	})
	if err != nil {
		return nil, err
	}
	return NewWith(c, v.(*Cooccurrence), cfg)
}

// NewWith builds the task from counts already made.
func NewWith(c *tasks.Corpus, cooc *Cooccurrence, cfg Config) (*GloVe, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if cooc.Len() == 0 {
		return nil, fmt.Errorf("no co-occurrences in the corpus")
	}
	s := &GloVe{
		cfg: cfg, corpus: c, cooc: cooc, fresh: true,
		order: make([]int32, cooc.Len()),
		i:     make([]int32, cfg.Batch), j: make([]int32, cfg.Batch),
		logX:   tensor.New(tensor.WithShape(cfg.Batch), tensor.Of(tensor.Float32)),
		weight: tensor.New(tensor.WithShape(cfg.Batch), tensor.Of(tensor.Float32)),
	}
	for k := range s.order {
		s.order[k] = int32(k)
	}
	return s, nil
}

// Name implements tasks.Task.
func (s *GloVe) Name() string { return Name }

// Describe implements tasks.Describer.
func (s *GloVe) Describe() map[string]any {
	return map[string]any{
		"corpus": s.corpus.Source, "tokens": len(s.corpus.IDs), "nonzero_counts": s.cooc.Len(),
		"window": s.cfg.Window, "x_max": s.cfg.XMax, "alpha": s.cfg.Alpha, "batch": s.cfg.Batch, "steps": s.cfg.Steps,
	}
}

// Passes returns how many passes over the counts have begun.
func (s *GloVe) Passes() int { return s.passes }

func (s *GloVe) newPass(rng *rand.Rand) {
	rng.Shuffle(len(s.order), func(a, b int) { s.order[a], s.order[b] = s.order[b], s.order[a] })
	s.pos, s.fresh = 0, false
	s.passes++
}

// StartEpoch implements tasks.Task, continuing an unfinished pass.
func (s *GloVe) StartEpoch(rng *rand.Rand) int {
	if s.fresh || s.pos >= len(s.order) {
		s.newPass(rng)
	}
	if s.cfg.Steps > 0 {
		return s.cfg.Steps
	}
	return (len(s.order) - s.pos + s.cfg.Batch - 1) / s.cfg.Batch
}

// Weight is GloVe's f(x) = min(1, (x/x_max)^α).
func Weight(x, xMax, alpha float64) float64 {
	if x >= xMax {
		return 1
	}
	return math.Pow(x/xMax, alpha)
}

// BatchExamples implements tasks.Counted: the co-occurrence entries in the
// current batch.
func (s *GloVe) BatchExamples() int { return s.filled }

// NextBatch implements tasks.Task.
func (s *GloVe) NextBatch(rng *rand.Rand) {
	if s.fresh || (s.pos >= len(s.order) && s.cfg.Steps > 0) {
		s.newPass(rng)
	}
	end := min(s.pos+s.cfg.Batch, len(s.order))
	n := end - s.pos
	s.filled = n
	logX, w := s.logX.Data().([]float32), s.weight.Data().([]float32)
	for k := range s.cfg.Batch {
		if k >= n {
			s.i[k], s.j[k], logX[k], w[k] = -1, -1, 0, 0
			continue
		}
		e := s.order[s.pos+k]
		x := float64(s.cooc.X[e])
		s.i[k], s.j[k] = s.cooc.I[e], s.cooc.J[e]
		logX[k] = float32(math.Log(x))
		w[k] = float32(0.5 * Weight(x, s.cfg.XMax, s.cfg.Alpha) / float64(n))
	}
	s.pos = end
	if s.pos >= len(s.order) && s.cfg.Steps == 0 {
		s.fresh = true
	}
}

// Build implements graph.Module (see the package doc for the loss).
func (s *GloVe) Build(b *graph.Builder) (*G.Node, error) {
	emb := b.Embedding()
	d := emb.Dim
	ctxT, err := b.Table(Name+"/context", emb.Rows, d, graph.Uniform(-0.5/float64(d), 0.5/float64(d)))
	if err != nil {
		return nil, err
	}
	biasT, err := b.Table(Name+"/bias", emb.Rows, 1, graph.Zeros())
	if err != nil {
		return nil, err
	}
	ctxBiasT, err := b.Table(Name+"/context_bias", emb.Rows, 1, graph.Zeros())
	if err != nil {
		return nil, err
	}
	w, err := b.Rows(emb, s.i, "w")
	if err != nil {
		return nil, err
	}
	c, err := b.Rows(ctxT, s.j, "c")
	if err != nil {
		return nil, err
	}
	bi, err := b.Rows(biasT, s.i, "b")
	if err != nil {
		return nil, err
	}
	bj, err := b.Rows(ctxBiasT, s.j, "b_context")
	if err != nil {
		return nil, err
	}
	dot, err := tasks.RowDots(w, c)
	if err != nil {
		return nil, err
	}
	n := s.cfg.Batch
	if bi, err = G.Reshape(bi, tensor.Shape{n}); err != nil {
		return nil, err
	}
	if bj, err = G.Reshape(bj, tensor.Shape{n}); err != nil {
		return nil, err
	}
	pred, err := G.Add(dot, bi)
	if err != nil {
		return nil, err
	}
	if pred, err = G.Add(pred, bj); err != nil {
		return nil, err
	}
	diff, err := G.Sub(pred, b.Input("log_x", s.logX))
	if err != nil {
		return nil, err
	}
	sq, err := G.Square(diff)
	if err != nil {
		return nil, err
	}
	weighted, err := G.HadamardProd(sq, b.Input("weight", s.weight))
	if err != nil {
		return nil, err
	}
	return G.Sum(weighted)
}

// Evaluate implements tasks.Task (a corpus task reports only how much it has
// read; see skipgram's).
func (s *GloVe) Evaluate(*graph.Model, tasks.Split) (tasks.Metrics, error) {
	return tasks.Metrics{Name + "/passes": float64(s.passes)}, nil
}
