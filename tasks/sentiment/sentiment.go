package sentiment

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/mt2st/mt2st/options"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/graph/lstm"
	"github.com/mt2st/mt2st/metrics"
	"github.com/mt2st/mt2st/tasks"
)

func init() {
	tasks.Register(Name, New,
		tasks.Option{Key: "hidden", Kind: options.Int, Help: "recurrent units per direction (default 256 for bilstm, 128 for lstm; unused by bag)"},
		tasks.Option{Key: "batch", Kind: options.Int, FullBatch: true, Help: "reviews per step, or full (default: the run's --batch)"},
		tasks.Option{Key: "eval_batch", Kind: options.Int, Default: 250, Help: "reviews per evaluation batch"},
	)
}

// Name is the task's registered name.
const Name = "sentiment"

// Encoders are the valid values of the run's encoder option (Env.Encoder).
var Encoders = []string{"bag", "bilstm", "lstm"}

// Config is the task's configuration.
type Config struct {
	Encoder   string // "bag", "bilstm" or "lstm"
	Hidden    int    // LSTM units (per direction for bilstm)
	Batch     int    // training minibatch; 0 = full batch
	EvalBatch int    // inference batch
}

// Sentiment is the primary classification task.
type Sentiment struct {
	cfg  Config
	docs *tasks.Documents
	dim  int
	t    int // tokens per document (padded)
	b    int // training batch rows

	train   batch
	batches *tasks.Batches
	docsBuf []tasks.Document

	eval    batch
	forward *graph.Forward
	fwdOf   *graph.Model // the model the inference graph was built for
}

var (
	_ tasks.Task             = (*Sentiment)(nil)
	_ tasks.ExampleEvaluator = (*Sentiment)(nil)
)

// batch is one set of input buffers: token ids, the per-token weights and
// the label targets.
type batch struct {
	rows int
	ids  []int32
	// tokenW is (B,T): for bag and lstm the mean-pooling weights, 1/n on a
	// document's n tokens and 0 on padding (also the lstm's mask: non-zero =
	// real); for bilstm a 0/1 mask.
	tokenW *tensor.Dense
	target *tensor.Dense // (B, classes): 1/n at the true class, 0 for padding rows
}

// New builds the task from the environment: the run's encoder (Env.Encoder,
// bag when empty) and the options sentiment.hidden, sentiment.batch and
// sentiment.eval_batch.
func New(env *tasks.Env) (tasks.Task, error) {
	if env.Documents == nil || len(env.Documents.Train) == 0 {
		return nil, fmt.Errorf("no training documents")
	}
	cfg := Config{Encoder: env.Encoder}
	if cfg.Encoder == "" {
		cfg.Encoder = "bag"
	}
	defHidden := 256 // the paper's BiLSTM
	if cfg.Encoder == "lstm" {
		defHidden = 128 // torch_ref.py's lstm model
	}
	var err error
	if cfg.Hidden, err = env.Int(Name+".hidden", defHidden); err != nil {
		return nil, err
	}
	if cfg.Batch, err = env.Int(Name+".batch", env.Batch); err != nil {
		return nil, err
	}
	if cfg.EvalBatch, err = env.Int(Name+".eval_batch", 250); err != nil {
		return nil, err
	}
	return NewWith(cfg, env.Documents, env.Dim)
}

// NewWith builds the task from an explicit configuration.
func NewWith(cfg Config, docs *tasks.Documents, dim int) (*Sentiment, error) {
	if !slices.Contains(Encoders, cfg.Encoder) {
		return nil, fmt.Errorf("encoder %q: valid encoders are %s", cfg.Encoder, strings.Join(Encoders, ", "))
	}
	if cfg.Encoder != "bag" && cfg.Hidden <= 0 {
		return nil, fmt.Errorf("hidden %d: want > 0", cfg.Hidden)
	}
	if docs.Classes < 2 {
		return nil, fmt.Errorf("%d classes: want at least 2", docs.Classes)
	}
	if docs.MaxTokens <= 0 {
		return nil, fmt.Errorf("max tokens %d: want > 0", docs.MaxTokens)
	}
	s := &Sentiment{cfg: cfg, docs: docs, dim: dim, t: docs.MaxTokens}
	s.batches = tasks.NewBatches(len(docs.Train), cfg.Batch)
	s.b = s.batches.Size()
	if cfg.EvalBatch <= 0 {
		s.cfg.EvalBatch = 250
	}
	s.train = s.newBatch(s.b)
	return s, nil
}

// Name implements tasks.Task.
func (s *Sentiment) Name() string { return Name }

// Describe implements tasks.Describer.
func (s *Sentiment) Describe() map[string]any {
	return map[string]any{
		"encoder": s.cfg.Encoder, "hidden": s.cfg.Hidden, "batch": s.b, "max_tokens": s.t,
		"train": len(s.docs.Train), "val": len(s.docs.Val), "test": len(s.docs.Test),
	}
}

func (s *Sentiment) newBatch(rows int) batch {
	b := batch{rows: rows, ids: make([]int32, rows*s.t)}
	b.tokenW = tensor.New(tensor.WithShape(rows, s.t), tensor.Of(tensor.Float32))
	b.target = tensor.New(tensor.WithShape(rows, s.docs.Classes), tensor.Of(tensor.Float32))
	return b
}

// fill loads docs into the batch; rows past len(docs) are padding. Targets
// carry 1/len(docs), so the summed loss is the mean over real rows.
func (s *Sentiment) fill(b *batch, docs []tasks.Document, withTargets bool) {
	w := b.tokenW.Data().([]float32)
	y := b.target.Data().([]float32)
	clear(y)
	inv := float32(1) / float32(max(len(docs), 1))
	for r := 0; r < b.rows; r++ {
		ids := b.ids[r*s.t : (r+1)*s.t]
		wr := w[r*s.t : (r+1)*s.t]
		n := 0
		if r < len(docs) {
			n = copy(ids, docs[r].IDs)
			if withTargets {
				y[r*s.docs.Classes+docs[r].Label] = inv
			}
		}
		for j := n; j < s.t; j++ {
			ids[j] = -1
		}
		fillTokenWeights(wr, n, s.cfg.Encoder != "bilstm")
	}
}

func fillTokenWeights(w []float32, n int, mean bool) {
	v := float32(1)
	if mean && n > 0 {
		v = 1 / float32(n)
	}
	for j := range w {
		if j < n {
			w[j] = v
		} else {
			w[j] = 0
		}
	}
}

// StartEpoch implements tasks.Task.
func (s *Sentiment) StartEpoch(rng *rand.Rand) int { return s.batches.Start(rng) }

// NextBatch implements tasks.Task.
func (s *Sentiment) NextBatch(rng *rand.Rand) {
	idx := s.batches.Next(rng)
	docs := s.docsBuf[:0]
	for _, i := range idx {
		docs = append(docs, s.docs.Train[i])
	}
	s.docsBuf = docs
	s.fill(&s.train, docs, true)
}

// Build implements graph.Module: −Σ target ⊙ log softmax(logits), one fused
// op.
func (s *Sentiment) Build(b *graph.Builder) (*G.Node, error) {
	logits, err := s.logits(b, &s.train)
	if err != nil {
		return nil, err
	}
	return graph.SoftmaxCrossEntropy(logits, b.Input("target", s.train.target))
}

// logits builds the encoder and the output layer over one batch's buffers.
func (s *Sentiment) logits(b *graph.Builder, in *batch) (*G.Node, error) {
	x, err := b.Rows(b.Embedding(), in.ids, "tokens")
	if err != nil {
		return nil, err
	}
	var features *G.Node
	width := s.dim
	switch s.cfg.Encoder {
	case "bag":
		features, err = graph.WeightedPool(x, b.Input("pool", in.tokenW))
	case "bilstm":
		features, err = s.biLSTM(b, x, in)
		width = 2 * s.cfg.Hidden
	case "lstm":
		features, err = s.lstm(b, x, in)
	}
	if err != nil {
		return nil, fmt.Errorf("%s encoder: %w", s.cfg.Encoder, err)
	}
	return linear(b, "out", features, width, s.docs.Classes)
}

func (s *Sentiment) biLSTM(b *graph.Builder, x *G.Node, in *batch) (*G.Node, error) {
	mask := b.Input("mask", in.tokenW)
	var last [2]*G.Node
	for dir, name := range []string{"fwd", "bwd"} {
		var err error
		last[dir], err = s.lstmLayer(b, "lstm_"+name, x, mask, lstm.Options{Reverse: dir == 1, Output: lstm.LastState})
		if err != nil {
			return nil, err
		}
	}
	return graph.ConcatColumns(last[0], last[1])
}

// lstm is torch_ref.py's lstm model: every hidden state of a one-layer LSTM,
// their mean over each document's tokens, then a projection back to the
// embedding width (no bias) before the output layer.
func (s *Sentiment) lstm(b *graph.Builder, x *G.Node, in *batch) (*G.Node, error) {
	weights := b.Input("pool", in.tokenW) // 1/n on real tokens: non-zero is the mask
	states, err := s.lstmLayer(b, "lstm", x, weights, lstm.Options{Output: lstm.AllStates})
	if err != nil {
		return nil, err
	}
	mean, err := graph.WeightedPool(states, weights)
	if err != nil {
		return nil, err
	}
	proj, err := b.Param("proj.w", []int{s.cfg.Hidden, s.dim}, graph.FanIn(s.cfg.Hidden))
	if err != nil {
		return nil, err
	}
	return graph.Linear(mean, proj, nil)
}

// lstmLayer adds one LSTM direction with PyTorch's initialisation,
// U(−1/√H, 1/√H) for every weight and bias.
func (s *Sentiment) lstmLayer(b *graph.Builder, name string, x, mask *G.Node, opts lstm.Options) (*G.Node, error) {
	h := s.cfg.Hidden
	wx, err := b.Param(name+".wx", []int{s.dim, 4 * h}, graph.FanIn(h))
	if err != nil {
		return nil, err
	}
	wh, err := b.Param(name+".wh", []int{h, 4 * h}, graph.FanIn(h))
	if err != nil {
		return nil, err
	}
	bias, err := b.Param(name+".b", []int{4 * h}, graph.FanIn(h))
	if err != nil {
		return nil, err
	}
	return lstm.Apply(x, mask, wx, wh, bias, opts)
}

// linear is x·W + b (graph's fused op) with PyTorch's nn.Linear
// initialisation.
func linear(b *graph.Builder, name string, x *G.Node, in, out int) (*G.Node, error) {
	w, err := b.Param(name+".w", []int{in, out}, graph.FanIn(in))
	if err != nil {
		return nil, err
	}
	bias, err := b.Param(name+".b", []int{1, out}, graph.FanIn(in))
	if err != nil {
		return nil, err
	}
	return graph.Linear(x, w, bias)
}

// Predict returns the predicted class of every document.
func (s *Sentiment) Predict(m *graph.Model, docs []tasks.Document) ([]int, error) {
	if s.forward == nil || s.fwdOf != m {
		s.eval = s.newBatch(s.cfg.EvalBatch)
		f, err := m.Forward(Name, func(b *graph.Builder) (*G.Node, error) { return s.logits(b, &s.eval) })
		if err != nil {
			return nil, err
		}
		s.forward, s.fwdOf = f, m
	}
	pred := make([]int, 0, len(docs))
	for lo := 0; lo < len(docs); lo += s.eval.rows {
		chunk := docs[lo:min(lo+s.eval.rows, len(docs))]
		s.fill(&s.eval, chunk, false)
		out, err := s.forward.Run()
		if err != nil {
			return nil, err
		}
		logits, ok := out.Data().([]float32)
		if !ok {
			return nil, fmt.Errorf("logits hold %T, want []float32", out.Data())
		}
		c := s.docs.Classes
		for r := range chunk {
			best := 0
			for k := 1; k < c; k++ {
				if logits[r*c+k] > logits[r*c+best] {
					best = k
				}
			}
			pred = append(pred, best)
		}
	}
	return pred, nil
}

// Evaluate implements tasks.Task: accuracy and macro-F1.
func (s *Sentiment) Evaluate(m *graph.Model, split tasks.Split) (tasks.Metrics, error) {
	met, _, err := s.evaluate(m, split)
	return met, err
}

// EvaluateExamples is Evaluate plus, per review of the split in order,
// whether it was classified correctly (for paired tests between runs).
func (s *Sentiment) EvaluateExamples(m *graph.Model, split tasks.Split) (tasks.Metrics, []bool, error) {
	return s.evaluate(m, split)
}

func (s *Sentiment) evaluate(m *graph.Model, split tasks.Split) (tasks.Metrics, []bool, error) {
	docs := s.docs.Val
	if split == tasks.Test {
		docs = s.docs.Test
	}
	if len(docs) == 0 {
		return tasks.Metrics{}, nil, nil
	}
	pred, err := s.Predict(m, docs)
	if err != nil {
		return nil, nil, fmt.Errorf("evaluate %s: %w", split, err)
	}
	gold := make([]int, len(docs))
	correct := make([]bool, len(docs))
	for i, d := range docs {
		gold[i] = d.Label
		correct[i] = pred[i] == d.Label
	}
	return tasks.Metrics{
		"accuracy": metrics.Accuracy(pred, gold),
		"macro_f1": metrics.MacroF1(pred, gold, s.docs.Classes),
	}, correct, nil
}
