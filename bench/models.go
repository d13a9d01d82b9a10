package bench

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/sentiment"
)

// The shapes of torch_ref.py (keep them identical).
const (
	Vocab        = 20000 // V
	Dim          = 100   // D
	Batch        = 64    // B reviews per step
	Tokens       = 100   // T tokens per review
	Classes      = 2
	Centres      = 1024 // NS skip-gram (centre, context) pairs per step
	Negatives    = 5    // K noise words per pair
	Pairs        = 64   // NW similarity pairs per step
	HiddenLSTM   = 128
	HiddenBiLSTM = 256 // per direction
	LR           = 1e-3
	AuxWeight    = 0.5 // mtl's weight of each auxiliary loss
	// Documents is the pool the sentiment task draws its batches from (16
	// batches' worth, reshuffled every pass).
	Documents = 16 * Batch
)

// Models are the standard benchmark models, in torch_ref.py's order.
var Models = []string{"bag", "mtl", "lstm", "bilstm"}

// DefaultSteps is torch_ref.py's number of timed steps for a model.
func DefaultSteps(model string) int {
	if model == "lstm" || model == "bilstm" {
		return 8
	}
	return 30
}

// CompareSteps is the least number of timed steps per model and side when
// mt2st and torch_ref are compared (bench --compare): enough for a median
// and quartiles of the recurrent models' step times.
const CompareSteps = 30

// Setup is one benchmark model ready to step: the tasks, their input
// streams, the model and its compiled program.
type Setup struct {
	Name    string
	Model   *graph.Model
	Program *graph.Program
	Tasks   []tasks.Task
	// Weights are the loss weights passed to every step (1 for the primary).
	Weights []float64
	rngs    []*rand.Rand
}

// Next refills every task's input buffers with the next batch (not timed).
func (s *Setup) Next() {
	for i, t := range s.Tasks {
		t.NextBatch(s.rngs[i])
	}
}

// rngOf returns task t's sampling stream.
func (s *Setup) rngOf(t tasks.Task) *rand.Rand {
	for i, x := range s.Tasks {
		if x == t {
			return s.rngs[i]
		}
	}
	return s.rngs[0]
}

// Step runs one training step on the current inputs and returns the losses.
func (s *Setup) Step() ([]float64, error) { return s.Program.Step(s.Weights) }

// New builds the named model with the given seed.
func New(name string, seed uint64) (*Setup, error) {
	var mods []tasks.Task
	var weights []float64
	switch name {
	case "bag", "lstm", "bilstm":
		s, err := newSentiment(name, seed)
		if err != nil {
			return nil, err
		}
		mods, weights = []tasks.Task{s}, []float64{1}
	case "mtl":
		s, err := newSentiment("bag", seed)
		if err != nil {
			return nil, err
		}
		aux, err := newAuxiliary(seed)
		if err != nil {
			return nil, err
		}
		mods, weights = append([]tasks.Task{s}, aux...), []float64{1, AuxWeight, AuxWeight}
	default:
		return nil, fmt.Errorf("model %q: valid models are %s", name, strings.Join(Models, ", "))
	}
	return assemble(name, seed, mods, weights)
}

// assemble builds the model around a fresh embedding, compiles the program of
// the given tasks and starts every task's first epoch.
func assemble(name string, seed uint64, ts []tasks.Task, weights []float64) (*Setup, error) {
	emb := graph.NewTable("embedding", Vocab, Dim)
	emb.Fill(graph.Uniform(-0.1, 0.1), seed) // torch_ref: nn.init.uniform_(E, -0.1, 0.1)
	opt := graph.DefaultAdam()
	opt.LR = LR
	m := graph.NewModel(emb, opt, seed)
	mods := make([]graph.Module, len(ts))
	for i, t := range ts {
		mods[i] = t
	}
	p, err := m.Program(mods...)
	if err != nil {
		return nil, fmt.Errorf("bench model %s: %w", name, err)
	}
	s := &Setup{Name: name, Model: m, Program: p, Tasks: ts, Weights: slices.Clone(weights)}
	for _, t := range ts {
		rng := rand.New(rand.NewPCG(seed, uint64(len(s.rngs)+1)))
		t.StartEpoch(rng)
		s.rngs = append(s.rngs, rng)
	}
	return s, nil
}

func newSentiment(encoder string, seed uint64) (*sentiment.Sentiment, error) {
	hidden := HiddenBiLSTM
	if encoder == "lstm" {
		hidden = HiddenLSTM
	}
	docs := SyntheticDocuments(Documents, seed)
	return sentiment.NewWith(sentiment.Config{Encoder: encoder, Hidden: hidden, Batch: Batch, EvalBatch: Batch}, docs, Dim)
}

// SyntheticDocuments returns n labelled reviews of Tokens ids each, drawn as
// torch_ref.py draws its batches: a uniform label, and each token with
// probability 0.6 from the half of the vocabulary that goes with the label,
// else uniform over the vocabulary.
func SyntheticDocuments(n int, seed uint64) *tasks.Documents {
	rng := rand.New(rand.NewPCG(seed, 0xd0c5))
	docs := make([]tasks.Document, n)
	for i := range docs {
		label := rng.IntN(Classes)
		ids := make([]int32, Tokens)
		for j := range ids {
			if rng.Float64() < 0.6 {
				ids[j] = int32(rng.IntN(Vocab/2) + label*(Vocab/2))
			} else {
				ids[j] = int32(rng.IntN(Vocab))
			}
		}
		docs[i] = tasks.Document{IDs: ids, Label: label}
	}
	return &tasks.Documents{Train: docs, Classes: Classes, MaxTokens: Tokens}
}
