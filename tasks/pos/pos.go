package pos

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/mt2st/mt2st/options"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/text"
)

func init() {
	d := DefaultConfig()
	tasks.Register(Name, New,
		tasks.Option{Key: "context", Kind: options.Int, Default: d.Context, Help: "words each side of the tagged word"},
		tasks.Option{Key: "hidden", Kind: options.Int, Default: d.Hidden, Help: "hidden units of the tagger"},
		tasks.Option{Key: "batch", Kind: options.Int, Default: d.Batch, Help: "words per step"},
		tasks.Option{Key: "steps", Kind: options.Int, Default: d.Steps, Help: "steps per epoch as the primary task (0 = one pass)"},
	)
}

// Name is the task's registered name.
const Name = "pos"

// Tags are the 17 UPOS tags (universaldependencies.org/u/pos), in a fixed
// order: a tag's class index is its position here.
var Tags = []string{"ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X"}

// shapes is the number of shape features per window position.
const shapes = 5

// Config holds the task's options.
type Config struct {
	Context   int // words on each side
	Hidden    int
	Batch     int // words per step
	Steps     int // steps per epoch as the primary task; 0 = one pass
	EvalBatch int
}

// DefaultConfig returns the defaults named in the package doc.
func DefaultConfig() Config { return Config{Context: 2, Hidden: 128, Batch: 256, EvalBatch: 2048} }

// Sentences is the encoded form of tagged sentences: per word its id, shape
// features and tag index, sentences back to back.
type Sentences struct {
	IDs    []int32
	Shape  [][shapes]float32
	Tags   []int32
	Starts []int // sentence s is [Starts[s], Starts[s+1])
	sent   []int32
	Words  int
	Known  int // words found in the vocabulary
}

// Encode maps sentences into the vocabulary. A tag outside Tags is an
// error naming the sentence's line.
func Encode(sents []datasets.Sentence, vocab *text.Vocab) (*Sentences, error) {
	out := &Sentences{Starts: []int{0}}
	for si, s := range sents {
		for _, tok := range s.Tokens {
			tag := slices.Index(Tags, tok.UPOS)
			if tag < 0 {
				return nil, fmt.Errorf("sentence at line %d (%s): unknown UPOS tag %q", s.Line, s.ID, tok.UPOS)
			}
			id, ok := vocab.Lookup(strings.ToLower(tok.Form))
			if !ok {
				id = text.UnknownID
			}
			out.IDs = append(out.IDs, id)
			out.Shape = append(out.Shape, shapeOf(tok.Form, id == text.UnknownID))
			out.Tags = append(out.Tags, int32(tag))
			out.sent = append(out.sent, int32(si))
			out.Words++
			if id != text.UnknownID {
				out.Known++
			}
		}
		out.Starts = append(out.Starts, len(out.IDs))
	}
	return out, nil
}

func shapeOf(form string, unknown bool) [shapes]float32 {
	var f [shapes]float32
	letterOrDigit := false
	for i, r := range form {
		if i == 0 && r >= 'A' && r <= 'Z' {
			f[0] = 1
		}
		if r >= '0' && r <= '9' {
			f[1] = 1
		}
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127 {
			letterOrDigit = true
		}
	}
	if !letterOrDigit {
		f[2] = 1
	}
	if unknown {
		f[3] = 1
	}
	return f
}

// POS is the tagging task.
type POS struct {
	cfg             Config
	train, dev, tst *Sentences
	order           []int32
	pos             int
	fresh           bool
	width           int // 2·context+1

	batch, eval window
	forward     *graph.Forward
	fwdOf       *graph.Model
}

// window is one set of input buffers for n words.
type window struct {
	n      int
	ids    []int32       // (n·width) window ids, −1 outside the sentence
	shape  *tensor.Dense // (n, width·shapes)
	target *tensor.Dense // (n, 17): 1/real at the gold tag
}

var _ tasks.Task = (*POS)(nil)

// New loads EWT train, dev and test (cached for the process).
func New(env *tasks.Env) (tasks.Task, error) {
	cfg := DefaultConfig()
	var err error
	for _, f := range []struct {
		key string
		dst *int
	}{{"context", &cfg.Context}, {"hidden", &cfg.Hidden}, {"batch", &cfg.Batch}, {"steps", &cfg.Steps}} {
		if *f.dst, err = env.Int(Name+"."+f.key, *f.dst); err != nil {
			return nil, err
		}
	}
	var splits [3][]datasets.Sentence
	for i, split := range []string{"train", "dev", "test"} {
		v, err := env.Load("ud-ewt/"+split, func() (any, error) { return datasets.LoadUD(env.DataDir, split) })
		if err != nil {
			return nil, err
		}
		splits[i] = v.([]datasets.Sentence)
	}
	return NewWith(splits[0], splits[1], splits[2], env.Vocab, cfg)
}

// NewWith builds the task from sentences.
func NewWith(train, dev, test []datasets.Sentence, vocab *text.Vocab, cfg Config) (*POS, error) {
	switch {
	case cfg.Context < 0:
		return nil, fmt.Errorf("context %d: want >= 0", cfg.Context)
	case cfg.Hidden < 1:
		return nil, fmt.Errorf("hidden %d: want >= 1", cfg.Hidden)
	case cfg.Batch < 1:
		return nil, fmt.Errorf("batch %d: want >= 1", cfg.Batch)
	case cfg.Steps < 0:
		return nil, fmt.Errorf("steps %d: want >= 0", cfg.Steps)
	}
	if cfg.EvalBatch < 1 {
		cfg.EvalBatch = DefaultConfig().EvalBatch
	}
	s := &POS{cfg: cfg, width: 2*cfg.Context + 1, fresh: true}
	var err error
	for _, x := range []struct {
		dst   **Sentences
		sents []datasets.Sentence
		name  string
	}{{&s.train, train, "train"}, {&s.dev, dev, "dev"}, {&s.tst, test, "test"}} {
		if *x.dst, err = Encode(x.sents, vocab); err != nil {
			return nil, fmt.Errorf("EWT %s: %w", x.name, err)
		}
	}
	if s.train.Words == 0 {
		return nil, fmt.Errorf("no training words")
	}
	s.order = make([]int32, s.train.Words)
	for i := range s.order {
		s.order[i] = int32(i)
	}
	s.batch = s.newWindow(cfg.Batch)
	return s, nil
}

func (s *POS) newWindow(n int) window {
	return window{
		n: n, ids: make([]int32, n*s.width),
		shape:  tensor.New(tensor.WithShape(n, s.width*shapes), tensor.Of(tensor.Float32)),
		target: tensor.New(tensor.WithShape(n, len(Tags)), tensor.Of(tensor.Float32)),
	}
}

// fill loads the windows of words (indices into ss) into w; rows past
// len(words) are padding with zero targets.
func (s *POS) fill(w *window, ss *Sentences, words []int32) {
	shape := w.shape.Data().([]float32)
	y := w.target.Data().([]float32)
	clear(shape)
	clear(y)
	inv := float32(1) / float32(max(len(words), 1))
	k := s.cfg.Context
	for r := range w.n {
		ids := w.ids[r*s.width : (r+1)*s.width]
		sh := shape[r*s.width*shapes : (r+1)*s.width*shapes]
		if r >= len(words) {
			for j := range ids {
				ids[j] = -1
			}
			continue
		}
		t := int(words[r])
		sent := ss.sent[t]
		lo, hi := ss.Starts[sent], ss.Starts[sent+1]
		for j := range ids {
			p := t - k + j
			if p < lo || p >= hi {
				ids[j] = -1
				sh[j*shapes+4] = 1 // outside the sentence
				continue
			}
			ids[j] = ss.IDs[p]
			copy(sh[j*shapes:(j+1)*shapes], ss.Shape[p][:])
		}
		y[r*len(Tags)+int(ss.Tags[t])] = inv
	}
}

// Name implements tasks.Task.
func (s *POS) Name() string { return Name }

// Describe implements tasks.Describer.
func (s *POS) Describe() map[string]any {
	return map[string]any{
		"data":        "UD English EWT: train for training, dev for validation, test for test",
		"train_words": s.train.Words, "dev_words": s.dev.Words, "test_words": s.tst.Words,
		"train_known_fraction": float64(s.train.Known) / float64(s.train.Words),
		"context":              s.cfg.Context, "hidden": s.cfg.Hidden, "batch": s.cfg.Batch,
	}
}

// StartEpoch implements tasks.Task: a new shuffled pass over the training
// words when the previous one is used up.
func (s *POS) StartEpoch(rng *rand.Rand) int {
	if s.fresh || s.pos >= len(s.order) {
		rng.Shuffle(len(s.order), func(a, b int) { s.order[a], s.order[b] = s.order[b], s.order[a] })
		s.pos, s.fresh = 0, false
	}
	if s.cfg.Steps > 0 {
		return s.cfg.Steps
	}
	return (len(s.order) - s.pos + s.cfg.Batch - 1) / s.cfg.Batch
}

// NextBatch implements tasks.Task.
func (s *POS) NextBatch(rng *rand.Rand) {
	if s.fresh || s.pos >= len(s.order) {
		s.fresh = true
		s.StartEpoch(rng)
	}
	end := min(s.pos+s.cfg.Batch, len(s.order))
	s.fill(&s.batch, s.train, s.order[s.pos:end])
	s.pos = end
}

// Build implements graph.Module: the mean cross-entropy of the batch.
func (s *POS) Build(b *graph.Builder) (*G.Node, error) {
	logits, err := s.logits(b, &s.batch)
	if err != nil {
		return nil, err
	}
	logp, err := G.LogSoftMax(logits)
	if err != nil {
		return nil, err
	}
	ll, err := G.HadamardProd(logp, b.Input("target", s.batch.target))
	if err != nil {
		return nil, err
	}
	sum, err := G.Sum(ll)
	if err != nil {
		return nil, err
	}
	return G.Neg(sum)
}

func (s *POS) logits(b *graph.Builder, w *window) (*G.Node, error) {
	emb := b.Embedding()
	rows, err := b.Rows(emb, w.ids, "window")
	if err != nil {
		return nil, err
	}
	x, err := G.Reshape(rows, tensor.Shape{w.n, s.width * emb.Dim})
	if err != nil {
		return nil, err
	}
	if x, err = graph.ConcatColumns(x, b.Input("shape", w.shape)); err != nil {
		return nil, err
	}
	in := s.width * (emb.Dim + shapes)
	h, err := linear(b, "hidden", x, in, s.cfg.Hidden)
	if err != nil {
		return nil, err
	}
	if h, err = G.Tanh(h); err != nil {
		return nil, err
	}
	return linear(b, "out", h, s.cfg.Hidden, len(Tags))
}

// linear is x·W + b with PyTorch's nn.Linear initialisation.
func linear(b *graph.Builder, name string, x *G.Node, in, out int) (*G.Node, error) {
	w, err := b.Param(name+".w", []int{in, out}, graph.FanIn(in))
	if err != nil {
		return nil, err
	}
	bias, err := b.Param(name+".b", []int{1, out}, graph.FanIn(in))
	if err != nil {
		return nil, err
	}
	xw, err := G.Mul(x, w)
	if err != nil {
		return nil, err
	}
	return G.BroadcastAdd(xw, bias, nil, []byte{0})
}

// Predict returns the predicted tag index of every word of ss.
func (s *POS) Predict(m *graph.Model, ss *Sentences) ([]int, error) {
	if s.forward == nil || s.fwdOf != m {
		s.eval = s.newWindow(s.cfg.EvalBatch)
		f, err := m.Forward(Name, func(b *graph.Builder) (*G.Node, error) { return s.logits(b, &s.eval) })
		if err != nil {
			return nil, err
		}
		s.forward, s.fwdOf = f, m
	}
	pred := make([]int, 0, ss.Words)
	words := make([]int32, 0, s.eval.n)
	for lo := 0; lo < ss.Words; lo += s.eval.n {
		words = words[:0]
		for t := lo; t < min(lo+s.eval.n, ss.Words); t++ {
			words = append(words, int32(t))
		}
		s.fill(&s.eval, ss, words)
		out, err := s.forward.Run()
		if err != nil {
			return nil, err
		}
		logits, ok := out.Data().([]float32)
		if !ok {
			return nil, fmt.Errorf("logits hold %T, want []float32", out.Data())
		}
		c := len(Tags)
		for r := range words {
			pred = append(pred, argmax(logits[r*c:(r+1)*c]))
		}
	}
	return pred, nil
}

func argmax(x []float32) int {
	best := 0
	for k := range x {
		if x[k] > x[best] {
			best = k
		}
	}
	return best
}

// Evaluate implements tasks.Task: tagging accuracy on EWT dev (validation)
// or test, and the accuracy on words the vocabulary knows.
func (s *POS) Evaluate(m *graph.Model, split tasks.Split) (tasks.Metrics, error) {
	ss := s.dev
	if split == tasks.Test {
		ss = s.tst
	}
	if ss.Words == 0 {
		return tasks.Metrics{}, nil
	}
	pred, err := s.Predict(m, ss)
	if err != nil {
		return nil, fmt.Errorf("evaluate %s: %w", split, err)
	}
	correct, known, knownCorrect := 0, 0, 0
	for t, p := range pred {
		ok := p == int(ss.Tags[t])
		if ok {
			correct++
		}
		if ss.IDs[t] != text.UnknownID {
			known++
			if ok {
				knownCorrect++
			}
		}
	}
	out := tasks.Metrics{
		Name + "/accuracy": float64(correct) / float64(ss.Words),
		Name + "/words":    float64(ss.Words),
	}
	if known > 0 {
		out[Name+"/accuracy_known"] = float64(knownCorrect) / float64(known)
	}
	return out, nil
}
