package strategies

import "slices"

// Signals says what an adaptive strategy reads beyond the epoch history.
// The training loop computes a signal only when the strategy asks for it:
// with the zero Signals nothing but the per-step losses (which every step
// computes anyway) is passed in.
type Signals struct {
	// Gradients asks for each auxiliary task's gradient compared with the
	// primary task's over the shared embedding rows (inner product, norms,
	// cosine) and for the right to project them. Cost: one pass over the
	// rows the step touched, plus one int32 per vocabulary row and task once.
	Gradients bool
	// Every measures the gradients every n steps (0 or 1: every step).
	Every int
}

// Measured reports whether step (from 0 in the run) is a measured one.
func (s Signals) Measured(step int) bool {
	return s.Gradients && (s.Every <= 1 || step%s.Every == 0)
}

// Adaptive is a Strategy whose weights depend on the run: it decides from
// validation metrics, training losses or gradients. [Parse] returns one for
// a strategy registered with [Definition.Start].
type Adaptive interface {
	Strategy
	// Needs says which signals the training loop must compute.
	Needs() Signals
	// Start returns the controller of one run with these auxiliary tasks.
	Start(aux []string) Controller
}

// Controller is the state of an adaptive strategy within one run.
type Controller interface {
	// Epoch returns each auxiliary task's weight at the start of epoch
	// (from 1). A task below the run's skip_below does not run this epoch.
	Epoch(epoch int, h History) map[string]float64
	// Step sees one training step of the tasks that run, after their
	// forward and backward passes and before any update. It reads s.Losses
	// and, on measured steps, s.Grads, and sets s.Weights: the weights
	// this step applies (they start as the previous step's).
	Step(s *Step)
	// EndEpoch is called after the epoch's validation, h including it; it
	// returns the decisions taken (e.g. a switch), for the run record.
	EndEpoch(epoch int, h History) []Event
}

// Stater is a Controller with internal values worth recording per epoch,
// e.g. OL-AUX's λ or a learned log σ².
type Stater interface {
	State() map[string]float64
}

// Step is one training step as a Controller sees it.
type Step struct {
	Epoch int // from 1
	Index int // step within the epoch, from 0
	// Losses holds each running task's unweighted loss, primary included.
	Losses map[string]float64
	// Weights holds each running auxiliary task's weight in this step.
	Weights map[string]float64
	// Grads compares the auxiliary gradients with the primary's; nil on a
	// step that was not measured.
	Grads Gradients
}

// Gradients compares each running auxiliary task's gradient with the
// primary task's on the parameters they share (the rows of the shared
// embedding both read; each task's dense parameters are its own).
type Gradients interface {
	// Dot is g_aux·g_primary over the rows both touched.
	Dot(aux string) float64
	// Norm is |g_task| over the task's own rows (task may be the primary).
	Norm(task string) float64
	// Cosine is cos(g_aux, g_primary); 0 when either gradient is zero.
	Cosine(aux string) float64
	// Project removes from g_aux its component along g_primary when they
	// conflict (PCGrad); it reports whether it did.
	Project(aux string) bool
}

// Event is a decision of an adaptive strategy, kept in the run record.
type Event struct {
	Rule   string   `json:"rule"`   // e.g. "plateau", "conflict"
	Tasks  []string `json:"tasks"`  // the auxiliary tasks it concerns
	Detail string   `json:"detail"` // what was observed
}

// adaptiveSpec is a spec of an adaptive kind.
type adaptiveSpec struct{ *spec }

// Needs implements Adaptive.
func (a adaptiveSpec) Needs() Signals { return a.k.needs(a.shared) }

// Start implements Adaptive.
func (a adaptiveSpec) Start(aux []string) Controller {
	return a.k.start(a.params, slices.Clone(aux))
}

// Weights of an adaptive strategy are what a fresh controller decides from
// the history alone: exact for rules on validation and epoch losses (DWA,
// the plateau switch), the starting weights for rules on step signals.
func (a adaptiveSpec) Weights(epoch int, aux []string, h History) map[string]float64 {
	return a.Start(aux).Epoch(epoch, h)
}

// IsAdaptive reports whether the strategy's weights depend on the run.
func (s Spec) IsAdaptive() bool { _, ok := s.Strategy().(Adaptive); return ok }

// constant returns λ_k for every task: the epoch weights of the per-step
// methods, which decide their weights step by step.
func constant(p func(string) map[string]float64, aux []string, key string) map[string]float64 {
	w := make(map[string]float64, len(aux))
	for _, t := range aux {
		w[t] = p(t)[key]
	}
	return w
}
