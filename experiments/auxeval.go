package experiments

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/results"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/analogy"
	"github.com/mt2st/mt2st/tasks/similarity"
)

// auxBaseline scores a run's final embedding on the similarity and analogy
// report items when the run does not train those tasks (STL, or a setting
// with only one of them), so every row of a table has both auxiliary metrics
// and a reader sees what auxiliary training added. The items are those the
// tasks report on: the same split seed and the tasks' default train
// fractions, and nothing is ever trained on them.
type auxBaseline struct {
	sim *similarity.Report
	ana *analogy.Report
	// describe says, per metric family, what was evaluated or why not.
	describe map[string]any
}

// newAuxBaseline builds the evaluators the run's tasks do not provide. A
// benchmark missing from the data directory is not evaluated, and the
// description says so; any other load error is returned.
func newAuxBaseline(env *tasks.Env, taskNames []string) (*auxBaseline, error) {
	b := &auxBaseline{describe: map[string]any{}}
	if !slices.Contains(taskNames, similarity.Name) {
		// The pattern datasets.LoadSimilarityLists reads.
		if paths, _ := filepath.Glob(filepath.Join(env.DataDir, "word-similarity", "EN-*.txt")); len(paths) == 0 {
			b.describe[similarity.Name] = "not evaluated: no similarity lists in the data directory"
		} else {
			v, err := env.Load("similarity-lists", func() (any, error) { return datasets.LoadSimilarityLists(env.DataDir) })
			if err != nil {
				return nil, fmt.Errorf("auxiliary baseline: %w", err)
			}
			if b.sim, err = similarity.NewReport(v.([]datasets.SimilarityList), env.Vocab, env.SplitSeed, similarity.DefaultTrainFraction); err != nil {
				return nil, fmt.Errorf("auxiliary baseline: similarity: %w", err)
			}
			b.describe[similarity.Name] = b.sim.Describe()
		}
	}
	if !slices.Contains(taskNames, analogy.Name) {
		v, err := env.Load("analogies", func() (any, error) { return datasets.LoadAnalogies(env.DataDir) })
		switch {
		case errors.Is(err, fs.ErrNotExist):
			b.describe[analogy.Name] = "not evaluated: no analogy questions in the data directory"
		case err != nil:
			return nil, fmt.Errorf("auxiliary baseline: %w", err)
		default:
			if b.ana, err = analogy.NewReport(v.([]datasets.AnalogySection), env.Vocab, env.SplitSeed, analogy.DefaultTrainFraction); err != nil {
				return nil, fmt.Errorf("auxiliary baseline: analogy: %w", err)
			}
			b.describe[analogy.Name] = b.ana.Describe()
		}
	}
	return b, nil
}

// evaluate adds the baseline metrics of m to final, under the names the
// tasks use ("similarity/spearman_mean", "analogy/3cosadd", ...).
func (b *auxBaseline) evaluate(m *graph.Model, final results.Metrics) error {
	var evals []func(*graph.Model) (tasks.Metrics, error)
	if b.sim != nil {
		evals = append(evals, b.sim.Evaluate)
	}
	if b.ana != nil {
		evals = append(evals, b.ana.Evaluate)
	}
	for _, eval := range evals {
		met, err := eval(m)
		if err != nil {
			return fmt.Errorf("auxiliary baseline: %w", err)
		}
		for k, v := range met {
			final[k] = v
		}
	}
	return nil
}
