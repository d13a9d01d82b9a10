package tasks

import (
	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/text"
	"github.com/mt2st/mt2st/wordvec"
)

// WordVectorer is implemented by tasks whose word vectors are more than the
// rows of the shared embedding (fastText: a word's row and its character
// n-gram rows). A run trained with such a task as its primary saves and
// pre-trains with these vectors rather than with LiveVectors.
type WordVectorer interface {
	WordVectors(m *graph.Model, v *text.Vocab) (*wordvec.Vectors, error)
}

// TrainedVectors returns the word vectors a run whose primary task is
// primary leaves: the task's own (WordVectorer) or the shared embedding's
// (LiveVectors, not a copy).
func TrainedVectors(primary Task, m *graph.Model, v *text.Vocab) (*wordvec.Vectors, error) {
	if w, ok := primary.(WordVectorer); ok {
		return w.WordVectors(m, v)
	}
	return LiveVectors(m, v)
}
