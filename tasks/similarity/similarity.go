package similarity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

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
		tasks.Option{Key: "train_fraction", Kind: options.Float, Default: 0.5, Help: "share of word pairs trained on; the rest are reported"},
		tasks.Option{Key: "batch", Kind: options.Int, FullBatch: true, Help: "pairs per step, or full (default 64; full under a full-batch run)"},
	)
}

// Name is the task's registered name.
const Name = "similarity"

// DefaultTrainFraction is the default of similarity.train_fraction.
const DefaultTrainFraction = 0.5

// Pair is one training pair: vocabulary ids and the normalised target.
type Pair struct {
	A, B   int32
	Target float32
}

// Similarity is the word-similarity auxiliary task.
type Similarity struct {
	filled int // real pairs in the current batch
	vocab  *text.Vocab
	train  []Pair
	report *Report
	info   map[string]any

	n       int
	a, b    []int32
	target  *tensor.Dense
	weight  *tensor.Dense
	batches *tasks.Batches
}

var _ tasks.Task = (*Similarity)(nil)

// New loads the 13 lists and splits them (see the package doc).
func New(env *tasks.Env) (tasks.Task, error) {
	frac, err := env.Float(Name+".train_fraction", DefaultTrainFraction)
	if err != nil {
		return nil, err
	}
	defBatch := 64
	if env.Batch == 0 {
		defBatch = 0
	}
	batch, err := env.Int(Name+".batch", defBatch)
	if err != nil {
		return nil, err
	}
	v, err := env.Load("similarity-lists", func() (any, error) { return datasets.LoadSimilarityLists(env.DataDir) })
	if err != nil {
		return nil, err
	}
	return NewWith(v.([]datasets.SimilarityList), env.Vocab, env.SplitSeed, frac, batch)
}

// PairKey is the split key of a word pair (tasks.PairKey; the lists are
// lower-case already).
func PairKey(a, b string) string { return tasks.PairKey(a, b) }

// IsTrainPair reports whether the pair is trained on under this split.
func IsTrainPair(seed uint64, frac float64, a, b string) bool {
	return tasks.IsTrainPair(Name, seed, frac, a, b)
}

// SplitRule describes the split for records.
func SplitRule(seed uint64, frac float64) string {
	return fmt.Sprintf("by unordered word pair across all lists: hash(split_seed=%d, pair) < %g trains", seed, frac)
}

// reportedPart returns each list's held-out pairs (all of them, in or out of
// the vocabulary).
func reportedPart(lists []datasets.SimilarityList, seed uint64, frac float64) ([]datasets.SimilarityList, error) {
	if frac < 0 || frac >= 1 {
		return nil, fmt.Errorf("train_fraction %g: want 0 <= f < 1 (some pairs must be left to report)", frac)
	}
	var report []datasets.SimilarityList
	for _, l := range lists {
		held := datasets.SimilarityList{Name: l.Name, Path: l.Path}
		for _, p := range l.Pairs {
			if !IsTrainPair(seed, frac, p.A, p.B) {
				held.Pairs = append(held.Pairs, p)
			}
		}
		report = append(report, held)
	}
	return report, nil
}

// Report is the reported side of the split on its own: every list's held-out
// pairs and their evaluation on an embedding, with no training part. A run
// without the similarity task uses it to score its embedding on the same
// pairs as the runs that train on similarity.
type Report struct {
	vocab *text.Vocab
	lists []datasets.SimilarityList
	info  map[string]any
	live  tasks.LiveEvaluator
}

// NewReport splits the lists as NewWith does and keeps the reported pairs.
func NewReport(lists []datasets.SimilarityList, vocab *text.Vocab, seed uint64, frac float64) (*Report, error) {
	report, err := reportedPart(lists, seed, frac)
	if err != nil {
		return nil, err
	}
	return newReport(report, vocab, seed, frac)
}

func newReport(report []datasets.SimilarityList, vocab *text.Vocab, seed uint64, frac float64) (*Report, error) {
	perList, _, err := tasks.EvaluatedCounts(vocab, report, nil)
	if err != nil {
		return nil, err
	}
	listed, evaluated := 0, 0
	listedBy, evaluatedBy := map[string]int{}, map[string]int{}
	usable := 0
	for i, l := range report {
		listed += len(l.Pairs)
		evaluated += perList[i]
		listedBy[l.Name] = len(l.Pairs)
		evaluatedBy[l.Name] = perList[i]
		if perList[i] >= MinPairs {
			usable++
		}
	}
	return &Report{vocab: vocab, lists: report, info: map[string]any{
		"split":          SplitRule(seed, frac),
		"train_fraction": frac,
		"lists":          len(report),
		// Pairs are list lines (a pair in two lists counts twice). "listed"
		// is before, "evaluated" after dropping pairs with a word outside
		// the vocabulary: each list's ρ is over its evaluated pairs.
		"reported_pairs_listed":            listed,
		"reported_pairs_evaluated":         evaluated,
		"reported_pairs_listed_by_list":    listedBy,
		"reported_pairs_evaluated_by_list": evaluatedBy,
		// Lists with at least MinPairs evaluated pairs: the most that can
		// enter spearman_mean (a list with constant cosines or scores also
		// has no ρ).
		"lists_with_min_pairs": usable,
	}}, nil
}

// MinPairs is the fewest evaluated pairs for which a list's Spearman ρ is
// defined, and so the fewest with which a list enters spearman_mean.
const MinPairs = 2

// Lists returns the reported pairs of every list (before the
// out-of-vocabulary filter).
func (r *Report) Lists() []datasets.SimilarityList { return r.lists }

// Describe reports the split rule and the reported pair counts.
func (r *Report) Describe() map[string]any { return r.info }

// Evaluate computes Spearman ρ on every list's reported pairs, under the same
// metric names as the task. spearman_mean is the unweighted mean of ρ over
// the lists where it is defined (at least MinPairs evaluated pairs and
// non-constant cosines and scores), however few pairs a list has.
func (r *Report) Evaluate(m *graph.Model) (tasks.Metrics, error) {
	ev, err := r.live.For(m, r.vocab, r.lists, nil)
	if err != nil {
		return nil, err
	}
	out := tasks.Metrics{}
	var sum float64
	n := 0
	for _, res := range ev.WordPairs() {
		out[Name+"/"+res.Name+"/oov"] = res.OOV
		out[Name+"/"+res.Name+"/pairs"] = float64(res.Pairs)
		// ρ is undefined (NaN) with fewer than two pairs or constant cosines;
		// such a list is left out of the mean and of the record.
		if !math.IsNaN(res.Spearman) {
			out[Name+"/"+res.Name+"/spearman"] = res.Spearman
			sum += res.Spearman
			n++
		}
	}
	if n > 0 {
		out[Name+"/spearman_mean"] = sum / float64(n)
	}
	out[Name+"/lists"] = float64(n)
	return out, nil
}

// NewWith splits the lists into training pairs (in the vocabulary) and
// reported lists, and sets up batches of the given size (0 = all pairs).
func NewWith(lists []datasets.SimilarityList, vocab *text.Vocab, seed uint64, frac float64, batch int) (*Similarity, error) {
	if frac < 0 || frac >= 1 {
		return nil, fmt.Errorf("train_fraction %g: want 0 <= f < 1 (some pairs must be left to report)", frac)
	}
	type acc struct {
		a, b       int32
		sum        float64
		n          int
		firstOrder int
	}
	merged := map[string]*acc{}
	s := &Similarity{vocab: vocab}
	trainSeen, trainOOV := 0, 0
	for _, l := range lists {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, p := range l.Pairs {
			lo, hi = math.Min(lo, p.Score), math.Max(hi, p.Score)
		}
		for _, p := range l.Pairs {
			if !IsTrainPair(seed, frac, p.A, p.B) {
				continue
			}
			trainSeen++
			ia, okA := vocab.Lookup(p.A)
			ib, okB := vocab.Lookup(p.B)
			if !okA || !okB || ia == text.UnknownID || ib == text.UnknownID {
				trainOOV++
				continue
			}
			target := 0.5
			if hi > lo {
				target = (p.Score - lo) / (hi - lo)
			}
			key := PairKey(p.A, p.B)
			if merged[key] == nil {
				merged[key] = &acc{a: ia, b: ib, firstOrder: len(merged)}
			}
			merged[key].sum += target
			merged[key].n++
		}
	}
	keys := make([]string, 0, len(merged))
	for k := range merged {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return merged[keys[i]].firstOrder < merged[keys[j]].firstOrder })
	for _, k := range keys {
		m := merged[k]
		s.train = append(s.train, Pair{A: m.a, B: m.b, Target: float32(m.sum / float64(m.n))})
	}
	if len(s.train) == 0 {
		return nil, fmt.Errorf("no training pair has both words in the vocabulary (%d training pairs, all out of vocabulary)", trainSeen)
	}
	report, err := reportedPart(lists, seed, frac)
	if err != nil {
		return nil, err
	}
	if s.report, err = newReport(report, vocab, seed, frac); err != nil {
		return nil, err
	}
	s.batches = tasks.NewBatches(len(s.train), batch)
	s.n = s.batches.Size()
	s.a, s.b = make([]int32, s.n), make([]int32, s.n)
	s.target = tensor.New(tensor.WithShape(s.n), tensor.Of(tensor.Float32))
	s.weight = tensor.New(tensor.WithShape(s.n), tensor.Of(tensor.Float32))
	s.info = map[string]any{
		"train_pairs":      len(s.train),
		"train_pairs_oov":  trainOOV,
		"batch":            s.n,
		"train_list_lines": trainSeen,
	}
	for k, v := range s.report.info {
		s.info[k] = v
	}
	return s, nil
}

// Name implements tasks.Task.
func (s *Similarity) Name() string { return Name }

// Describe implements tasks.Describer.
func (s *Similarity) Describe() map[string]any { return s.info }

// TrainPairs returns the training pairs (for tests).
func (s *Similarity) TrainPairs() []Pair { return s.train }

// ReportLists returns the held-out part of every list.
func (s *Similarity) ReportLists() []datasets.SimilarityList { return s.report.Lists() }

// BatchExamples implements tasks.Counted: the pairs in the current batch.
func (s *Similarity) BatchExamples() int { return s.filled }

// StartEpoch implements tasks.Task.
func (s *Similarity) StartEpoch(rng *rand.Rand) int { return s.batches.Start(rng) }

// NextBatch implements tasks.Task: the next n pairs, cycling.
func (s *Similarity) NextBatch(rng *rand.Rand) {
	t := s.target.Data().([]float32)
	w := s.weight.Data().([]float32)
	idx := s.batches.Next(rng)
	real := len(idx)
	s.filled = real
	for i := 0; i < s.n; i++ {
		if i < real {
			p := s.train[idx[i]]
			s.a[i], s.b[i], t[i], w[i] = p.A, p.B, p.Target, 1/float32(real)
		} else {
			s.a[i], s.b[i], t[i], w[i] = -1, -1, 0, 0
		}
	}
}

// Build implements graph.Module: Σ w·(cos − target)², w = 1/batch.
func (s *Similarity) Build(b *graph.Builder) (*G.Node, error) {
	ea, err := b.Rows(b.Embedding(), s.a, "a")
	if err != nil {
		return nil, err
	}
	eb, err := b.Rows(b.Embedding(), s.b, "b")
	if err != nil {
		return nil, err
	}
	cos, err := graph.RowCosines(ea, eb)
	if err != nil {
		return nil, err
	}
	diff, err := G.Sub(cos, b.Input("target", s.target))
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

// Evaluate implements tasks.Task: Spearman ρ on every list's held-out pairs
// (Report.Evaluate; the same for both splits: these metrics never select
// models).
func (s *Similarity) Evaluate(m *graph.Model, _ tasks.Split) (tasks.Metrics, error) {
	return s.report.Evaluate(m)
}
