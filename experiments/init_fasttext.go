package experiments

import (
	"fmt"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/fasttext"
	"github.com/mt2st/mt2st/text"
	"github.com/mt2st/mt2st/wordvec"
)

// pretrainer is implemented by pre-training tasks whose table for later runs
// holds more than word vectors (fastText: its n-gram rows too, to build
// vectors for words outside the pre-training vocabulary).
type pretrainer interface {
	PretrainedVectors(m *graph.Model, v *text.Vocab) (*wordvec.Vectors, error)
}

// pretrainedVectors returns the table a pre-training run leaves for the
// cache: the task's PretrainedVectors, else its TrainedVectors.
func pretrainedVectors(tr *Trained) (*wordvec.Vectors, error) {
	if p, ok := tr.Tasks[0].(pretrainer); ok {
		return p.PretrainedVectors(tr.Model, tr.Data.Vocab)
	}
	return tasks.TrainedVectors(tr.Tasks[0], tr.Model, tr.Data.Vocab)
}

// composeInit turns a fastText pre-training table (word vectors and n-gram
// rows, see fasttext.PretrainedVectors) into vectors for the run's
// vocabulary: a pre-training word keeps its vector, any other word gets the
// mean of its trained n-gram rows (fasttext.Compose). Other sources pass
// through. It returns how many words were built from n-grams alone.
func composeInit(spec initSpec, v *wordvec.Vectors, vocab *text.Vocab) (*wordvec.Vectors, int, error) {
	if spec.pretrain == nil || !fasttext.IsName(spec.source) {
		return v, 0, nil
	}
	env := &tasks.Env{Settings: tasks.NewSettings(spec.pretrain.Settings)}
	cfg, err := fasttext.ReadConfig(env, spec.source)
	if err != nil {
		return nil, 0, fmt.Errorf("init %s: %w", spec.source, err)
	}
	words := vocab.Words()
	if len(words) > 0 && words[0] == text.UnknownWord {
		words = words[1:]
	}
	out, composed, err := fasttext.Compose(v, words, cfg.MinN, cfg.MaxN, cfg.Buckets)
	if err != nil {
		return nil, 0, fmt.Errorf("init %s: %w", spec.source, err)
	}
	return out, composed, nil
}
