package analogy

import (
	"fmt"
	"github.com/mt2st/mt2st/options"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/text"
)

func init() {
	tasks.Register(Name, New,
		tasks.Option{Key: "train_fraction", Kind: options.Float, Default: 0.5, Help: "share of relation pairs trained on; the rest are reported"},
		tasks.Option{Key: "batch", Kind: options.Int, FullBatch: true, Help: "questions per step, or full (default 64; full under a full-batch run)"},
		tasks.Option{Key: "negatives", Kind: options.Int, Default: 5, Help: "sampled negative answers per question"},
		tasks.Option{Key: "temperature", Kind: options.Float, Default: 0.1, Help: "softmax temperature over the cosines"},
	)
}

// Name is the task's registered name.
const Name = "analogy"

// Question is a training question in vocabulary ids.
type Question struct {
	A, B, C, D int32
	Section    int
}

// Analogy is the word-analogy auxiliary task.
type Analogy struct {
	vocab     *text.Vocab
	train     []Question
	answers   [][]int32 // per section: the answer ids of its training questions
	report    []datasets.AnalogySection
	negatives int
	tau       float32
	info      map[string]any

	n          int
	a, b, c, d []int32
	neg        []int32
	weight     *tensor.Dense
	batches    *tasks.Batches
	live       tasks.LiveEvaluator
}

var _ tasks.Task = (*Analogy)(nil)

// Config holds the task's options.
type Config struct {
	TrainFraction float64
	Batch         int // questions per step; 0 = all
	Negatives     int
	Temperature   float64
}

// New loads questions-words.txt and splits it (see the package doc).
func New(env *tasks.Env) (tasks.Task, error) {
	cfg := Config{}
	var err error
	if cfg.TrainFraction, err = env.Float(Name+".train_fraction", 0.5); err != nil {
		return nil, err
	}
	defBatch := 64
	if env.Batch == 0 {
		defBatch = 0
	}
	if cfg.Batch, err = env.Int(Name+".batch", defBatch); err != nil {
		return nil, err
	}
	if cfg.Negatives, err = env.Int(Name+".negatives", 5); err != nil {
		return nil, err
	}
	if cfg.Temperature, err = env.Float(Name+".temperature", 0.1); err != nil {
		return nil, err
	}
	v, err := env.Load("analogies", func() (any, error) { return datasets.LoadAnalogies(env.DataDir) })
	if err != nil {
		return nil, err
	}
	return NewWith(v.([]datasets.AnalogySection), env.Vocab, env.SplitSeed, cfg)
}

// IsTrainPair reports whether the relation pair (a, b) of a section trains.
func IsTrainPair(seed uint64, frac float64, section, a, b string) bool {
	return tasks.HashUnit(seed, "analogy/"+section+"/"+a+" "+b) < frac
}

// NewWith splits the sections and sets up batches.
func NewWith(sections []datasets.AnalogySection, vocab *text.Vocab, seed uint64, cfg Config) (*Analogy, error) {
	if cfg.TrainFraction < 0 || cfg.TrainFraction >= 1 {
		return nil, fmt.Errorf("train_fraction %g: want 0 <= f < 1", cfg.TrainFraction)
	}
	if cfg.Negatives < 1 {
		return nil, fmt.Errorf("negatives %d: want >= 1", cfg.Negatives)
	}
	if cfg.Temperature <= 0 {
		return nil, fmt.Errorf("temperature %g: want > 0", cfg.Temperature)
	}
	if vocab.Len() < 3 {
		return nil, fmt.Errorf("vocabulary of %d words is too small for negatives", vocab.Len())
	}
	s := &Analogy{vocab: vocab, negatives: cfg.Negatives, tau: float32(cfg.Temperature)}
	trainQ, trainOOV, mixed, reported := 0, 0, 0, 0
	for si, sec := range sections {
		held := datasets.AnalogySection{Name: sec.Name}
		seen := map[int32]bool{}
		var answers []int32
		for _, q := range sec.Questions {
			p1 := IsTrainPair(seed, cfg.TrainFraction, sec.Name, q.A, q.B)
			p2 := IsTrainPair(seed, cfg.TrainFraction, sec.Name, q.C, q.D)
			switch {
			case p1 && p2:
				trainQ++
				ids, ok := lookupAll(vocab, q.A, q.B, q.C, q.D)
				if !ok {
					trainOOV++
					continue
				}
				s.train = append(s.train, Question{A: ids[0], B: ids[1], C: ids[2], D: ids[3], Section: si})
				if !seen[ids[3]] {
					seen[ids[3]] = true
					answers = append(answers, ids[3])
				}
			case !p1 && !p2:
				held.Questions = append(held.Questions, q)
				reported++
			default:
				mixed++
			}
		}
		s.answers = append(s.answers, answers)
		s.report = append(s.report, held)
	}
	if len(s.train) == 0 {
		return nil, fmt.Errorf("no training question has all four words in the vocabulary (%d training questions)", trainQ)
	}
	s.batches = tasks.NewBatches(len(s.train), cfg.Batch)
	s.n = s.batches.Size()
	s.a, s.b, s.c, s.d = make([]int32, s.n), make([]int32, s.n), make([]int32, s.n), make([]int32, s.n)
	s.neg = make([]int32, s.n*s.negatives)
	s.weight = tensor.New(tensor.WithShape(s.n), tensor.Of(tensor.Float32))
	s.info = map[string]any{
		"split":               fmt.Sprintf("by relation pair (a,b) per section: hash(split_seed=%d, section/pair) < %g trains; questions need both pairs on one side", seed, cfg.TrainFraction),
		"train_questions":     len(s.train),
		"train_questions_oov": trainOOV,
		"mixed_unused":        mixed,
		"reported_questions":  reported,
		"batch":               s.n,
		"negatives":           s.negatives,
		"temperature":         cfg.Temperature,
	}
	return s, nil
}

func lookupAll(v *text.Vocab, words ...string) ([4]int32, bool) {
	var ids [4]int32
	for i, w := range words {
		id, ok := v.Lookup(w)
		if !ok || id == text.UnknownID {
			return ids, false
		}
		ids[i] = id
	}
	return ids, true
}

// Name implements tasks.Task.
func (s *Analogy) Name() string { return Name }

// Describe implements tasks.Describer.
func (s *Analogy) Describe() map[string]any { return s.info }

// TrainQuestions returns the training questions (for tests).
func (s *Analogy) TrainQuestions() []Question { return s.train }

// ReportSections returns the held-out questions per section.
func (s *Analogy) ReportSections() []datasets.AnalogySection { return s.report }

// StartEpoch implements tasks.Task.
func (s *Analogy) StartEpoch(rng *rand.Rand) int { return s.batches.Start(rng) }

// NextBatch implements tasks.Task: the next questions and fresh negatives.
func (s *Analogy) NextBatch(rng *rand.Rand) {
	w := s.weight.Data().([]float32)
	idx := s.batches.Next(rng)
	real := len(idx)
	k := s.negatives
	v := int32(s.vocab.Len())
	for i := 0; i < s.n; i++ {
		negs := s.neg[i*k : (i+1)*k]
		if i >= real {
			s.a[i], s.b[i], s.c[i], s.d[i], w[i] = -1, -1, -1, -1, 0
			for j := range negs {
				negs[j] = -1
			}
			continue
		}
		q := s.train[idx[i]]
		s.a[i], s.b[i], s.c[i], s.d[i], w[i] = q.A, q.B, q.C, q.D, 1/float32(real)
		answers := s.answers[q.Section]
		for j := range negs {
			for {
				var x int32
				if len(answers) > 1 && rng.IntN(2) == 0 {
					x = answers[rng.IntN(len(answers))]
				} else {
					x = 1 + rng.Int32N(v-1) // id 0 is the unknown word
				}
				if x != q.D {
					negs[j] = x
					break
				}
			}
		}
	}
}

// Build implements graph.Module (see the package doc for the loss).
func (s *Analogy) Build(b *graph.Builder) (*G.Node, error) {
	g := b.Graph()
	emb := b.Embedding()
	var rows [5]*G.Node
	for i, in := range []struct {
		ids  []int32
		name string
	}{{s.a, "a"}, {s.b, "b"}, {s.c, "c"}, {s.d, "d"}, {s.neg, "negatives"}} {
		r, err := b.Rows(emb, in.ids, in.name)
		if err != nil {
			return nil, err
		}
		rows[i] = r
	}
	q, err := G.Sub(rows[1], rows[0])
	if err != nil {
		return nil, err
	}
	if q, err = G.Add(q, rows[2]); err != nil {
		return nil, err
	}
	qn, err := tasks.Normalize(g, q)
	if err != nil {
		return nil, err
	}
	dn, err := tasks.Normalize(g, rows[3])
	if err != nil {
		return nil, err
	}
	nn, err := tasks.Normalize(g, rows[4])
	if err != nil {
		return nil, err
	}
	dim := emb.Dim
	pos, err := tasks.RowDots(qn, dn)
	if err != nil {
		return nil, err
	}
	if pos, err = G.Reshape(pos, tensor.Shape{s.n, 1}); err != nil {
		return nil, err
	}
	n3, err := G.Reshape(nn, tensor.Shape{s.n, s.negatives, dim})
	if err != nil {
		return nil, err
	}
	q3, err := G.Reshape(qn, tensor.Shape{s.n, dim, 1})
	if err != nil {
		return nil, err
	}
	neg, err := G.BatchedMatMul(n3, q3)
	if err != nil {
		return nil, err
	}
	if neg, err = G.Reshape(neg, tensor.Shape{s.n, s.negatives}); err != nil {
		return nil, err
	}
	logits, err := G.Concat(1, pos, neg)
	if err != nil {
		return nil, err
	}
	invTau := G.NewScalar(g, tensor.Float32, G.WithName("analogy/inv_tau"), G.WithValue(1/s.tau))
	if logits, err = G.Mul(logits, invTau); err != nil {
		return nil, err
	}
	logp, err := G.LogSoftMax(logits)
	if err != nil {
		return nil, err
	}
	first, err := G.Slice(logp, nil, G.S(0))
	if err != nil {
		return nil, err
	}
	weighted, err := G.HadamardProd(first, b.Input("weight", s.weight))
	if err != nil {
		return nil, err
	}
	sum, err := G.Sum(weighted)
	if err != nil {
		return nil, err
	}
	return G.Neg(sum)
}

// Evaluate implements tasks.Task: 3CosAdd and 3CosMul on the held-out
// questions over the whole vocabulary.
func (s *Analogy) Evaluate(m *graph.Model, _ tasks.Split) (tasks.Metrics, error) {
	ev, err := s.live.For(m, s.vocab, nil, s.report)
	if err != nil {
		return nil, err
	}
	r := ev.Analogies()
	out := tasks.Metrics{
		Name + "/3cosadd":   r.Total.CosAdd,
		Name + "/3cosmul":   r.Total.CosMul,
		Name + "/questions": float64(r.Total.Questions),
		Name + "/oov":       r.Total.OOV,
	}
	for _, sec := range r.Sections {
		if sec.Questions == 0 {
			continue
		}
		out[Name+"/"+sec.Name+"/3cosadd"] = sec.CosAdd
		out[Name+"/"+sec.Name+"/3cosmul"] = sec.CosMul
		out[Name+"/"+sec.Name+"/questions"] = float64(sec.Questions)
	}
	return out, nil
}
