package similarity

import (
	"fmt"
	"github.com/mt2st/mt2st/options"
	"math"
	"math/rand/v2"
	"sort"

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

// Pair is one training pair: vocabulary ids and the normalised target.
type Pair struct {
	A, B   int32
	Target float32
}

// Similarity is the word-similarity auxiliary task.
type Similarity struct {
	vocab  *text.Vocab
	train  []Pair
	report []datasets.SimilarityList
	info   map[string]any

	n       int
	a, b    []int32
	target  *tensor.Dense
	weight  *tensor.Dense
	batches *tasks.Batches
	live    tasks.LiveEvaluator
}

var _ tasks.Task = (*Similarity)(nil)

// New loads the 13 lists and splits them (see the package doc).
func New(env *tasks.Env) (tasks.Task, error) {
	frac, err := env.Float(Name+".train_fraction", 0.5)
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

// PairKey is the split key of a word pair: the two words in sorted order.
func PairKey(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return a + " " + b
}

// IsTrainPair reports whether the pair is trained on under this split.
func IsTrainPair(seed uint64, frac float64, a, b string) bool {
	return tasks.HashUnit(seed, "similarity/"+PairKey(a, b)) < frac
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
		held := datasets.SimilarityList{Name: l.Name, Path: l.Path}
		for _, p := range l.Pairs {
			if !IsTrainPair(seed, frac, p.A, p.B) {
				held.Pairs = append(held.Pairs, p)
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
		s.report = append(s.report, held)
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
	reported := 0
	for _, l := range s.report {
		reported += len(l.Pairs)
	}
	s.batches = tasks.NewBatches(len(s.train), batch)
	s.n = s.batches.Size()
	s.a, s.b = make([]int32, s.n), make([]int32, s.n)
	s.target = tensor.New(tensor.WithShape(s.n), tensor.Of(tensor.Float32))
	s.weight = tensor.New(tensor.WithShape(s.n), tensor.Of(tensor.Float32))
	s.info = map[string]any{
		"split":            fmt.Sprintf("by unordered word pair: hash(split_seed=%d, pair) < %g trains", seed, frac),
		"train_pairs":      len(s.train),
		"train_pairs_oov":  trainOOV,
		"reported_pairs":   reported,
		"lists":            len(lists),
		"batch":            s.n,
		"train_fraction":   frac,
		"train_list_lines": trainSeen,
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
func (s *Similarity) ReportLists() []datasets.SimilarityList { return s.report }

// StartEpoch implements tasks.Task.
func (s *Similarity) StartEpoch(rng *rand.Rand) int { return s.batches.Start(rng) }

// NextBatch implements tasks.Task: the next n pairs, cycling.
func (s *Similarity) NextBatch(rng *rand.Rand) {
	t := s.target.Data().([]float32)
	w := s.weight.Data().([]float32)
	idx := s.batches.Next(rng)
	real := len(idx)
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
// (the same for both splits: these metrics never select models).
func (s *Similarity) Evaluate(m *graph.Model, _ tasks.Split) (tasks.Metrics, error) {
	ev, err := s.live.For(m, s.vocab, s.report, nil)
	if err != nil {
		return nil, err
	}
	out := tasks.Metrics{}
	var sum float64
	n := 0
	for _, r := range ev.WordPairs() {
		out[Name+"/"+r.Name+"/oov"] = r.OOV
		out[Name+"/"+r.Name+"/pairs"] = float64(r.Pairs)
		// ρ is undefined (NaN) with fewer than two pairs or constant cosines;
		// such a list is left out of the mean and of the record.
		if !math.IsNaN(r.Spearman) {
			out[Name+"/"+r.Name+"/spearman"] = r.Spearman
			sum += r.Spearman
			n++
		}
	}
	if n > 0 {
		out[Name+"/spearman_mean"] = sum / float64(n)
	}
	out[Name+"/lists"] = float64(n)
	return out, nil
}
