package strategies

import (
	"fmt"
	"math"
)

// The adaptive strategies. Each is primary-aware: the primary task keeps
// weight 1 and the strategy sets the auxiliary weights only, including the
// loss-based multi-task baselines (uncertainty, dwa), which in their papers
// weigh every task; here they weigh the auxiliaries among themselves.
var adaptiveKinds = []kind{
	{
		// GCS, weighted form (Du et al. 2018, "Adapting Auxiliary Losses
		// Using Gradient Similarity"): w_k = λ·max(0, cos(g_k, g_primary)),
		// decided in each measured step from that step's gradients.
		name: "gcs", label: "GCS", keys: []string{"lambda", "every"},
		defaults: map[string]float64{"lambda": 1, "every": 1},
		start: func(p func(string) map[string]float64, aux []string) Controller {
			return &gcs{p: p, aux: aux}
		},
		needs: gradientsEvery, check: checkEvery("lambda"),
	},
	{
		// GCS, the binary gate of the same paper: w_k = λ if cos > 0 else 0.
		name: "gcs-binary", label: "GCS-binary", keys: []string{"lambda", "every"},
		defaults: map[string]float64{"lambda": 1, "every": 1},
		start: func(p func(string) map[string]float64, aux []string) Controller {
			return &gcs{p: p, aux: aux, binary: true}
		},
		needs: gradientsEvery, check: checkEvery("lambda"),
	},
	{
		// OL-AUX (Lin et al. 2019, "Adaptive Auxiliary Task Weighting for
		// Reinforcement Learning"): every n measured steps λ_k ← max(0,
		// λ_k + β·Σ cos(g_k, g_primary)) over those steps.
		name: "olaux", label: "OL-AUX", keys: []string{"lambda", "beta", "n", "every"},
		defaults: map[string]float64{"lambda": 1, "beta": 0.1, "n": 5, "every": 1},
		start: func(p func(string) map[string]float64, aux []string) Controller {
			return &olaux{p: p, aux: aux, n: int(p("")["n"])}
		},
		needs: gradientsEvery,
		check: func(p map[string]float64) error {
			if n := p["n"]; n < 1 || n != math.Trunc(n) {
				return fmt.Errorf("n=%g: want a whole number >= 1", n)
			}
			return checkEvery("lambda", "beta")(p)
		},
	},
	{
		// A switch that decides its epoch: every auxiliary task stops when
		// the primary's validation accuracy has not improved for `patience`
		// epochs (rule "plateau"); one task stops when the EMA (decay `ema`)
		// of its gradient cosine with the primary ends `patience`
		// consecutive epochs below 0 (rule "conflict"). plateau=0 or
		// conflict=0 turns a rule off; with conflict=0 no gradient is
		// measured.
		name: "switch-auto", label: "Adaptive-Switch", keys: []string{"lambda", "patience", "ema", "plateau", "conflict", "every"},
		defaults: map[string]float64{"lambda": 1, "patience": 3, "ema": 0.9, "plateau": 1, "conflict": 1, "every": 1},
		start: func(p func(string) map[string]float64, aux []string) Controller {
			return newAutoSwitch(p, aux)
		},
		needs: func(p map[string]float64) Signals {
			if p["conflict"] == 0 {
				return Signals{}
			}
			return gradientsEvery(p)
		},
		check: func(p map[string]float64) error {
			if v := p["patience"]; v < 1 || v != math.Trunc(v) {
				return fmt.Errorf("patience=%g: want a whole number >= 1", v)
			}
			if a := p["ema"]; a < 0 || a >= 1 {
				return fmt.Errorf("ema=%g: want 0 <= ema < 1", a)
			}
			for _, k := range []string{"plateau", "conflict"} {
				if v := p[k]; v != 0 && v != 1 {
					return fmt.Errorf("%s=%g: want 0 (off) or 1 (on)", k, v)
				}
			}
			return checkEvery("lambda")(p)
		},
	},
	{
		// Uncertainty weighting (Kendall, Gal & Cipolla 2018): w_k =
		// 1/(2σ_k²) with s_k = log σ_k² learned by Adam (rate lr) on
		// w_k·L_k + ½·s_k (= + log σ_k), from s_k = init.
		name: "uncertainty", label: "Uncertainty", keys: []string{"lr", "init"},
		defaults: map[string]float64{"lr": 0.01, "init": 0},
		start: func(p func(string) map[string]float64, aux []string) Controller {
			return newUncertainty(p, aux)
		},
		check: func(p map[string]float64) error {
			if p["lr"] <= 0 {
				return fmt.Errorf("lr=%g: want > 0", p["lr"])
			}
			return nil
		},
	},
	{
		// DWA (Liu, Johns & Davison 2019, MTAN): w_k(t) = λ·K·exp(r_k/T) /
		// Σ_j exp(r_j/T), r_k = L_k(t−1)/L_k(t−2), K auxiliary tasks;
		// λ for t ≤ 2.
		name: "dwa", label: "DWA", keys: []string{"lambda", "temperature"},
		defaults: map[string]float64{"lambda": 1, "temperature": 2},
		start: func(p func(string) map[string]float64, aux []string) Controller {
			return &dwa{p: p, aux: aux}
		},
		check: func(p map[string]float64) error {
			if p["temperature"] <= 0 {
				return fmt.Errorf("temperature=%g: want > 0", p["temperature"])
			}
			return nonNegative("lambda")(p)
		},
	},
	{
		// Primary-projected PCGrad (after Yu et al. 2020): w_k = λ; when
		// g_k·g_primary < 0, g_k −= (g_k·g_primary/|g_primary|²)·g_primary
		// on the shared rows before the update. The primary's gradient is
		// never changed.
		name: "pcgrad", label: "PCGrad-primary", keys: []string{"lambda", "every"},
		defaults: map[string]float64{"lambda": 1, "every": 1},
		start: func(p func(string) map[string]float64, aux []string) Controller {
			return &pcgrad{p: p, aux: aux}
		},
		needs: gradientsEvery, check: checkEvery("lambda"),
	},
}

func gradientsEvery(p map[string]float64) Signals {
	return Signals{Gradients: true, Every: int(p["every"])}
}

func checkEvery(nonNeg ...string) func(map[string]float64) error {
	return func(p map[string]float64) error {
		if e := p["every"]; e < 1 || e != math.Trunc(e) {
			return fmt.Errorf("every=%g: want a whole number >= 1", e)
		}
		return nonNegative(nonNeg...)(p)
	}
}

// gcs gates or scales each auxiliary weight by the step's gradient cosine.
type gcs struct {
	p      func(string) map[string]float64
	aux    []string
	binary bool
}

func (g *gcs) Epoch(int, History) map[string]float64 { return constant(g.p, g.aux, "lambda") }

func (g *gcs) Step(s *Step) {
	if s.Grads == nil {
		return // an unmeasured step keeps the last decision
	}
	for t := range s.Weights {
		c, lambda := s.Grads.Cosine(t), g.p(t)["lambda"]
		switch {
		case g.binary && c > 0:
			s.Weights[t] = lambda
		case g.binary:
			s.Weights[t] = 0
		default:
			s.Weights[t] = lambda * max(0, c)
		}
	}
}

func (g *gcs) EndEpoch(int, History) []Event { return nil }

// olaux moves λ_k with the accumulated cosine.
type olaux struct {
	p      func(string) map[string]float64
	aux    []string
	n      int
	lambda map[string]float64
	sum    map[string]float64
	seen   int
}

// Epoch keeps every auxiliary task running at its starting λ, so a λ that
// reached 0 can come back; the step weights are the current λ_k.
func (o *olaux) Epoch(int, History) map[string]float64 {
	if o.lambda == nil {
		o.lambda = constant(o.p, o.aux, "lambda")
		o.sum = map[string]float64{}
	}
	return constant(o.p, o.aux, "lambda")
}

func (o *olaux) Step(s *Step) {
	for t := range s.Weights {
		s.Weights[t] = o.lambda[t]
	}
	if s.Grads == nil {
		return
	}
	for t := range s.Weights {
		o.sum[t] += s.Grads.Cosine(t)
	}
	if o.seen++; o.seen < o.n {
		return
	}
	for t, c := range o.sum {
		o.lambda[t] = max(0, o.lambda[t]+o.p(t)["beta"]*c)
		o.sum[t] = 0
	}
	o.seen = 0
}

func (o *olaux) EndEpoch(int, History) []Event { return nil }

func (o *olaux) State() map[string]float64 { return prefixed("lambda/", o.lambda) }

// autoSwitch stops auxiliary tasks on a validation plateau or a lasting
// gradient conflict.
type autoSwitch struct {
	p     func(string) map[string]float64
	aux   []string
	off   map[string]bool
	ema   map[string]float64
	seen  map[string]bool // measured this epoch
	below map[string]int  // consecutive epochs ending with the EMA below 0
}

func newAutoSwitch(p func(string) map[string]float64, aux []string) *autoSwitch {
	return &autoSwitch{p: p, aux: aux, off: map[string]bool{}, ema: map[string]float64{}, seen: map[string]bool{}, below: map[string]int{}}
}

func (a *autoSwitch) Epoch(int, History) map[string]float64 {
	w := constant(a.p, a.aux, "lambda")
	for t := range a.off {
		w[t] = 0
	}
	clear(a.seen)
	return w
}

func (a *autoSwitch) Step(s *Step) {
	if s.Grads == nil {
		return
	}
	for t := range s.Weights {
		c, decay := s.Grads.Cosine(t), a.p(t)["ema"]
		if _, ok := a.ema[t]; !ok {
			a.ema[t] = c
		} else {
			a.ema[t] = decay*a.ema[t] + (1-decay)*c
		}
		a.seen[t] = true
	}
}

func (a *autoSwitch) EndEpoch(epoch int, h History) []Event {
	shared := a.p("")
	patience := int(shared["patience"])
	var events []Event
	if shared["conflict"] == 1 {
		for _, t := range a.aux {
			if a.off[t] || !a.seen[t] {
				continue
			}
			if a.ema[t] >= 0 {
				a.below[t] = 0
				continue
			}
			if a.below[t]++; a.below[t] >= patience {
				a.off[t] = true
				events = append(events, Event{Rule: "conflict", Tasks: []string{t}, Detail: fmt.Sprintf(
					"EMA of cos(g_%s, g_primary) = %.4g, below 0 at the end of %d consecutive epochs: %s stops after epoch %d", t, a.ema[t], a.below[t], t, epoch)})
			}
		}
	}
	if shared["plateau"] == 1 && len(h.ValAccuracy) > 0 {
		best := 0
		for i, v := range h.ValAccuracy {
			if v > h.ValAccuracy[best] {
				best = i
			}
		}
		if epoch-(best+1) >= patience {
			var stop []string
			for _, t := range a.aux {
				if !a.off[t] {
					a.off[t] = true
					stop = append(stop, t)
				}
			}
			if len(stop) > 0 {
				events = append(events, Event{Rule: "plateau", Tasks: stop, Detail: fmt.Sprintf(
					"validation accuracy %.4g at epoch %d, not improved in the %d epochs since: single-task from epoch %d", h.ValAccuracy[best], best+1, epoch-(best+1), epoch+1)})
			}
		}
	}
	return events
}

func (a *autoSwitch) State() map[string]float64 {
	if len(a.ema) == 0 {
		return nil
	}
	return prefixed("cos_ema/", a.ema)
}

// uncertainty learns s_k = log σ_k² per auxiliary task.
type uncertainty struct {
	p     func(string) map[string]float64
	aux   []string
	s     map[string]float64
	m, v  map[string]float64
	steps map[string]int
}

func newUncertainty(p func(string) map[string]float64, aux []string) *uncertainty {
	u := &uncertainty{p: p, aux: aux, s: constant(p, aux, "init"), m: map[string]float64{}, v: map[string]float64{}, steps: map[string]int{}}
	return u
}

func (u *uncertainty) weight(t string) float64 { return 0.5 * math.Exp(-u.s[t]) }

func (u *uncertainty) Epoch(int, History) map[string]float64 {
	w := make(map[string]float64, len(u.aux))
	for _, t := range u.aux {
		w[t] = u.weight(t)
	}
	return w
}

// Step takes one Adam step on s_k from this step's loss: the objective
// ½·exp(−s)·L + ½·s has derivative −½·exp(−s)·L + ½. The new weight
// applies from the next step (this one used the weight from s before).
func (u *uncertainty) Step(s *Step) {
	const b1, b2, eps = 0.9, 0.999, 1e-8 // Adam's defaults, as graph.DefaultAdam
	for t := range s.Weights {
		l, ok := s.Losses[t]
		if !ok {
			continue
		}
		g := -0.5*math.Exp(-u.s[t])*l + 0.5
		u.steps[t]++
		n := float64(u.steps[t])
		u.m[t] = b1*u.m[t] + (1-b1)*g
		u.v[t] = b2*u.v[t] + (1-b2)*g*g
		mHat, vHat := u.m[t]/(1-math.Pow(b1, n)), u.v[t]/(1-math.Pow(b2, n))
		u.s[t] -= u.p(t)["lr"] * mHat / (math.Sqrt(vHat) + eps)
		s.Weights[t] = u.weight(t)
	}
}

func (u *uncertainty) EndEpoch(int, History) []Event { return nil }

func (u *uncertainty) State() map[string]float64 { return prefixed("log_var/", u.s) }

// dwa weighs the auxiliaries by the ratio of their last two epoch losses.
type dwa struct {
	p   func(string) map[string]float64
	aux []string
}

func (d *dwa) Epoch(epoch int, h History) map[string]float64 {
	w := constant(d.p, d.aux, "lambda")
	if epoch <= 2 || len(h.Loss) < epoch-1 {
		return w
	}
	prev, before := h.Loss[epoch-2], h.Loss[epoch-3]
	e := make(map[string]float64, len(d.aux))
	var sum float64
	for _, t := range d.aux {
		r := 1.0 // a task missing from either epoch counts as steady
		if a, b := prev[t], before[t]; a > 0 && b > 0 {
			r = a / b
		}
		e[t] = math.Exp(r / d.p(t)["temperature"])
		sum += e[t]
	}
	for _, t := range d.aux {
		w[t] *= float64(len(d.aux)) * e[t] / sum
	}
	return w
}

func (d *dwa) Step(*Step) {}

func (d *dwa) EndEpoch(int, History) []Event { return nil }

// pcgrad projects conflicting auxiliary gradients off the primary's.
type pcgrad struct {
	p                   func(string) map[string]float64
	aux                 []string
	projected, measured map[string]int
}

func (c *pcgrad) Epoch(int, History) map[string]float64 {
	c.projected, c.measured = map[string]int{}, map[string]int{}
	return constant(c.p, c.aux, "lambda")
}

func (c *pcgrad) Step(s *Step) {
	if s.Grads == nil {
		return
	}
	for t := range s.Weights {
		c.measured[t]++
		if s.Grads.Project(t) {
			c.projected[t]++
		}
	}
}

func (c *pcgrad) EndEpoch(int, History) []Event { return nil }

// State is the fraction of the epoch's measured steps in which each
// auxiliary gradient was projected.
func (c *pcgrad) State() map[string]float64 {
	out := map[string]float64{}
	for t, n := range c.measured {
		out["projected/"+t] = float64(c.projected[t]) / float64(n)
	}
	return out
}

func prefixed(prefix string, m map[string]float64) map[string]float64 {
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[prefix+k] = v
	}
	return out
}
