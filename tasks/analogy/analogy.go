package analogy

import (
	"fmt"
	"math/rand/v2"

	"github.com/mt2st/mt2st/options"

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

// DefaultTrainFraction is the default of analogy.train_fraction.
const DefaultTrainFraction = 0.5

// Question is a training question in vocabulary ids.
type Question struct {
	A, B, C, D int32
	Section    int
}

// Analogy is the word-analogy auxiliary task.
type Analogy struct {
	filled    int // real questions in the current batch
	vocab     *text.Vocab
	train     []Question
	answers   [][]int32 // per section: the answer ids of its training questions
	report    *Report
	negatives int
	tau       float32
	info      map[string]any

	n          int
	a, b, c, d []int32
	neg        []int32
	weight     *tensor.Dense
	batches    *tasks.Batches
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
	if cfg.TrainFraction, err = env.Float(Name+".train_fraction", DefaultTrainFraction); err != nil {
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

// PairKey is the split key of a relation pair: its two words lower-cased and
// in sorted order, so (a, b) and (b, a) are one pair, in whatever section
// they appear (capital-common-countries and capital-world share pairs).
func PairKey(a, b string) string { return tasks.PairKey(a, b) }

// IsTrainPair reports whether the relation pair (a, b) trains under this
// split, in every section.
func IsTrainPair(seed uint64, frac float64, a, b string) bool {
	return tasks.IsTrainPair(Name, seed, frac, a, b)
}

// SplitRule describes the split for records.
func SplitRule(seed uint64, frac float64) string {
	return fmt.Sprintf("by unordered relation pair {a,b}, lower-cased, across all sections: hash(split_seed=%d, pair) < %g trains; "+
		"a question trains when both its pairs train and is reported when neither does (mixed questions are unused)", seed, frac)
}

// splitSections divides every section's questions into training and
// reported ones (see the package doc); mixed counts the questions of neither.
func splitSections(sections []datasets.AnalogySection, seed uint64, frac float64) (train, report []datasets.AnalogySection, mixed int, err error) {
	if frac < 0 || frac >= 1 {
		return nil, nil, 0, fmt.Errorf("train_fraction %g: want 0 <= f < 1", frac)
	}
	for _, sec := range sections {
		tr := datasets.AnalogySection{Name: sec.Name}
		held := datasets.AnalogySection{Name: sec.Name}
		for _, q := range sec.Questions {
			p1 := IsTrainPair(seed, frac, q.A, q.B)
			p2 := IsTrainPair(seed, frac, q.C, q.D)
			switch {
			case p1 && p2:
				tr.Questions = append(tr.Questions, q)
			case !p1 && !p2:
				held.Questions = append(held.Questions, q)
			default:
				mixed++
			}
		}
		train = append(train, tr)
		report = append(report, held)
	}
	return train, report, mixed, nil
}

// Report is the reported side of the split on its own: the held-out questions
// and their evaluation on an embedding, with no training part. A run without
// the analogy task uses it to score its embedding on the same questions as
// the runs that train on analogies.
type Report struct {
	vocab    *text.Vocab
	sections []datasets.AnalogySection
	info     map[string]any
	live     tasks.LiveEvaluator
}

// NewReport splits the sections as NewWith does and keeps the reported
// questions only.
func NewReport(sections []datasets.AnalogySection, vocab *text.Vocab, seed uint64, frac float64) (*Report, error) {
	_, report, mixed, err := splitSections(sections, seed, frac)
	if err != nil {
		return nil, err
	}
	return newReport(report, vocab, seed, frac, mixed)
}

func newReport(report []datasets.AnalogySection, vocab *text.Vocab, seed uint64, frac float64, mixed int) (*Report, error) {
	listed := 0
	for _, sec := range report {
		listed += len(sec.Questions)
	}
	_, perSection, err := tasks.EvaluatedCounts(vocab, nil, report)
	if err != nil {
		return nil, err
	}
	evaluated := 0
	for _, n := range perSection {
		evaluated += n
	}
	r := &Report{vocab: vocab, sections: report, info: map[string]any{
		"split":          SplitRule(seed, frac),
		"train_fraction": frac,
		"mixed_unused":   mixed,
		// Before and after dropping questions with a word outside the
		// vocabulary: the accuracy is over the evaluated ones.
		"reported_questions_listed":    listed,
		"reported_questions_evaluated": evaluated,
	}}
	return r, nil
}

// Sections returns the reported questions per section (before the
// out-of-vocabulary filter).
func (r *Report) Sections() []datasets.AnalogySection { return r.sections }

// Describe reports the split rule and the reported question counts.
func (r *Report) Describe() map[string]any { return r.info }

// Evaluate computes 3CosAdd and 3CosMul on the reported questions over the
// whole vocabulary, under the same metric names as the task.
func (r *Report) Evaluate(m *graph.Model) (tasks.Metrics, error) {
	ev, err := r.live.For(m, r.vocab, nil, r.sections)
	if err != nil {
		return nil, err
	}
	res := ev.Analogies()
	out := tasks.Metrics{
		Name + "/3cosadd":   res.Total.CosAdd,
		Name + "/3cosmul":   res.Total.CosMul,
		Name + "/questions": float64(res.Total.Questions),
		Name + "/oov":       res.Total.OOV,
	}
	for _, sec := range res.Sections {
		if sec.Questions == 0 {
			continue
		}
		out[Name+"/"+sec.Name+"/3cosadd"] = sec.CosAdd
		out[Name+"/"+sec.Name+"/3cosmul"] = sec.CosMul
		out[Name+"/"+sec.Name+"/questions"] = float64(sec.Questions)
	}
	return out, nil
}

// NewWith splits the sections and sets up batches.
func NewWith(sections []datasets.AnalogySection, vocab *text.Vocab, seed uint64, cfg Config) (*Analogy, error) {
	if cfg.Negatives < 1 {
		return nil, fmt.Errorf("negatives %d: want >= 1", cfg.Negatives)
	}
	if cfg.Temperature <= 0 {
		return nil, fmt.Errorf("temperature %g: want > 0", cfg.Temperature)
	}
	if vocab.Len() < 3 {
		return nil, fmt.Errorf("vocabulary of %d words is too small for negatives", vocab.Len())
	}
	train, report, mixed, err := splitSections(sections, seed, cfg.TrainFraction)
	if err != nil {
		return nil, err
	}
	rep, err := newReport(report, vocab, seed, cfg.TrainFraction, mixed)
	if err != nil {
		return nil, err
	}
	s := &Analogy{vocab: vocab, report: rep, negatives: cfg.Negatives, tau: float32(cfg.Temperature)}
	trainQ, trainOOV := 0, 0
	for si, sec := range train {
		seen := map[int32]bool{}
		var answers []int32
		for _, q := range sec.Questions {
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
		}
		s.answers = append(s.answers, answers)
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
		"train_questions":     len(s.train),
		"train_questions_oov": trainOOV,
		"batch":               s.n,
		"negatives":           s.negatives,
		"temperature":         cfg.Temperature,
	}
	for k, v := range rep.info {
		s.info[k] = v
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
func (s *Analogy) ReportSections() []datasets.AnalogySection { return s.report.Sections() }

// BatchExamples implements tasks.Counted: the questions in the current batch.
func (s *Analogy) BatchExamples() int { return s.filled }

// StartEpoch implements tasks.Task.
func (s *Analogy) StartEpoch(rng *rand.Rand) int { return s.batches.Start(rng) }

// NextBatch implements tasks.Task: the next questions and fresh negatives.
func (s *Analogy) NextBatch(rng *rand.Rand) {
	w := s.weight.Data().([]float32)
	idx := s.batches.Next(rng)
	real := len(idx)
	s.filled = real
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
	logits, err := graph.ConcatColumns(pos, neg)
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
// questions over the whole vocabulary (Report.Evaluate).
func (s *Analogy) Evaluate(m *graph.Model, _ tasks.Split) (tasks.Metrics, error) {
	return s.report.Evaluate(m)
}
