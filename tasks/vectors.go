package tasks

import (
	"fmt"

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
