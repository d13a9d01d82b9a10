package tasks

import (
	"fmt"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/text"
	"github.com/mt2st/mt2st/wordvec"
)

// LiveVectors returns a view of the model's shared embedding as word vectors,
// without copying: the vocabulary's words in id order (frequency order), the
// unknown-word row left out. Evaluations on it see the current values.
func LiveVectors(m *graph.Model, v *text.Vocab) (*wordvec.Vectors, error) {
	words := v.Words()
	d := m.Embedding.Dim
	if len(words)*d > len(m.Embedding.W) {
		return nil, fmt.Errorf("vocabulary of %d words does not fit the %d-row embedding", len(words), m.Embedding.Rows)
	}
	if len(words) > 0 && words[0] == text.UnknownWord {
		return wordvec.NewVectors(words[1:], d, m.Embedding.W[d:len(words)*d])
	}
	return wordvec.NewVectors(words, d, m.Embedding.W[:len(words)*d])
}

// LiveEvaluator keeps one wordvec.Evaluator over a model's live embedding, so
// a task that is evaluated every epoch looks its words up once per model
// rather than once per evaluation. The zero value is ready to use.
type LiveEvaluator struct {
	model *graph.Model
	eval  *wordvec.Evaluator
}

// For returns the evaluator of m's embedding for these lists and sections,
// building it on the first call for m.
func (l *LiveEvaluator) For(m *graph.Model, v *text.Vocab, lists []datasets.SimilarityList, sections []datasets.AnalogySection) (*wordvec.Evaluator, error) {
	if l.eval != nil && l.model == m {
		return l.eval, nil
	}
	vecs, err := LiveVectors(m, v)
	if err != nil {
		return nil, err
	}
	l.model, l.eval = m, wordvec.NewEvaluator(vecs, lists, sections, len(vecs.Words))
	return l.eval, nil
}

// EvaluatedCounts returns how many pairs of each list and questions of each
// section an evaluation on an embedding of vocabulary v scores: those whose
// words are all in v (as LiveVectors exposes it: case-insensitive, the
// unknown word excluded). The counts are those of the evaluator itself, built
// on a placeholder table, so they cannot drift from what Evaluate reports.
func EvaluatedCounts(v *text.Vocab, lists []datasets.SimilarityList, sections []datasets.AnalogySection) (pairs, questions []int, err error) {
	words := v.Words()
	if len(words) > 0 && words[0] == text.UnknownWord {
		words = words[1:]
	}
	vecs, err := wordvec.NewVectors(words, 1, make([]float32, len(words)))
	if err != nil {
		return nil, nil, fmt.Errorf("evaluated counts: %w", err)
	}
	pairs, questions = wordvec.NewEvaluator(vecs, lists, sections, 0).Counts()
	return pairs, questions, nil
}
