package tasks

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/mt2st/mt2st/graph"
)

// Split names the data a task is evaluated on.
type Split int

const (
	// Validation is used every epoch for model selection.
	Validation Split = iota
	// Test is evaluated once, at the end of a run.
	Test
)

func (s Split) String() string {
	if s == Test {
		return "test"
	}
	return "validation"
}

// Metrics maps a metric name to its value (fractions in [0,1] for accuracies).
type Metrics map[string]float64

// Task is one objective on the shared embedding.
type Task interface {
	// graph.Module: Name and Build. Build adds the task's head, reading its
	// input buffers, and returns its unweighted scalar loss.
	graph.Module
	// StartEpoch begins a pass over the training data (shuffling with rng) and
	// returns the number of steps in it. Only the primary task's count sets the
	// length of an epoch; auxiliary tasks cycle through their data.
	StartEpoch(rng *rand.Rand) int
	// NextBatch refills the input buffers in place for the next step. rng is
	// the task's own sampling stream (negatives, subsampling).
	NextBatch(rng *rand.Rand)
	// Evaluate computes the task's metrics on a split with the model's
	// current values.
	Evaluate(m *graph.Model, split Split) (Metrics, error)
}

// ExampleEvaluator is implemented by classification tasks that can say,
// per example of a split, whether the model got it right: runs record it for
// the test split, so two runs scored on the same examples can be compared
// with a paired test (McNemar's).
type ExampleEvaluator interface {
	EvaluateExamples(m *graph.Model, split Split) (Metrics, []bool, error)
}

// Describer is implemented by tasks that can say what data they train and
// report on (pair and question counts, the split rule), for run records.
type Describer interface {
	Describe() map[string]any
}

// Factory builds a task from the run environment.
type Factory func(env *Env) (Task, error)

// registered is one task of the registry: its factory and the options it
// reads.
type registered struct {
	factory Factory
	options []Option
}

var (
	registryMu sync.RWMutex
	registry   = map[string]registered{}
)

// Register makes a task available by name, with the options it reads. It is
// meant to be called from the task package's init function; registering a
// name twice is a programming error reported by New. Every task also gets the
// runner's option StepsPerStep (its auxiliary step budget, see
// StepsPerStepOption), so no task declares or reads it itself.
func Register(name string, f Factory, opts ...Option) {
	opts = append(slices.Clone(opts), StepsPerStepOption)
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[name]; dup {
		registry[name] = registered{factory: func(*Env) (Task, error) {
			return nil, fmt.Errorf("task %q is registered twice", name)
		}}
		return
	}
	registry[name] = registered{factory: f, options: opts}
}

// Names returns the registered task names, sorted.
func Names() []string {
	registryMu.RLock()
	defer registryMu.RUnlock()
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// New builds the task called name. An unknown name is an error that lists the
// registered ones.
func New(name string, env *Env) (Task, error) {
	registryMu.RLock()
	r, ok := registry[name]
	registryMu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("unknown task %q: registered tasks are %s", name, strings.Join(Names(), ", "))
	}
	t, err := r.factory(env)
	if err != nil {
		return nil, fmt.Errorf("task %s: %w", name, err)
	}
	return t, nil
}

// CheckNames returns an error naming the first unknown task in names.
func CheckNames(names []string) error {
	known := Names()
	for _, n := range names {
		if !slices.Contains(known, n) {
			return fmt.Errorf("unknown task %q: registered tasks are %s", n, strings.Join(known, ", "))
		}
	}
	return nil
}
