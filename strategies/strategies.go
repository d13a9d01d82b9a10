package strategies

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// History is what a strategy may look at after each finished epoch (index
// 0 = epoch 1): the primary task's validation accuracy, and for adaptive
// strategies (see [Adaptive]) also the primary's validation metrics, each
// running task's mean training loss and, when gradients are measured, each
// auxiliary task's mean gradient cosine with the primary.
type History struct {
	ValAccuracy []float64
	Val         []map[string]float64 // primary validation metrics
	Loss        []map[string]float64 // task -> mean unweighted training loss (tasks that ran)
	Cosine      []map[string]float64 // auxiliary task -> mean cos(g_aux, g_primary) over measured steps
}

// Strategy maps an epoch to each auxiliary task's weight.
type Strategy interface {
	// Name is the strategy's name in specs, e.g. "diminish".
	Name() string
	// Weights returns the weight of every auxiliary task at epoch (from 1).
	Weights(epoch int, aux []string, h History) map[string]float64
	// String returns the canonical spec, every key spelled out.
	String() string
}

// Definition describes one strategy: its spec name, table label, parameter
// keys with their defaults, a check of a parameter set, and the weight of one
// auxiliary task at an epoch given that task's parameters.
type Definition struct {
	Name     string
	Label    string
	Keys     []string // in canonical order
	Defaults map[string]float64
	Weight   func(p map[string]float64, epoch int) float64
	Check    func(p map[string]float64) error // nil: every finite value is valid
	// Start, when set, makes the strategy adaptive (Weight may then be
	// nil): it returns the controller of one run; params returns one
	// task's parameters (params("") the shared ones).
	Start func(params func(task string) map[string]float64, aux []string) Controller
	// Needs says which signals an adaptive strategy reads (nil: only the
	// losses and the validation history, which cost nothing extra).
	Needs func(p map[string]float64) Signals
}

// kind is a registered Definition.
type kind struct {
	name     string
	keys     []string
	defaults map[string]float64
	label    string
	weight   func(p map[string]float64, epoch int) float64
	check    func(p map[string]float64) error
	start    func(params func(task string) map[string]float64, aux []string) Controller
	needs    func(p map[string]float64) Signals
}

var (
	kindsMu sync.RWMutex
	kinds   = builtin
)

// Register adds a strategy. Its name must be new, lower-case, and free of
// the spec syntax characters (':', ',', '=', '.'); every key needs a
// default. It is meant for package init functions; after it, the strategy
// parses, validates, prints and labels like a built-in one.
func Register(d Definition) error {
	switch {
	case d.Name == "" || d.Name != strings.ToLower(d.Name) || strings.ContainsAny(d.Name, ":,=. \t"):
		return fmt.Errorf("register strategy %q: want a lower-case name without ':', ',', '=', '.' or spaces", d.Name)
	case d.Weight == nil && d.Start == nil:
		return fmt.Errorf("register strategy %q: no weight function and no controller", d.Name)
	}
	for _, k := range d.Keys {
		if _, ok := d.Defaults[k]; !ok {
			return fmt.Errorf("register strategy %q: key %s has no default", d.Name, k)
		}
	}
	if d.Label == "" {
		d.Label = d.Name
	}
	kindsMu.Lock()
	defer kindsMu.Unlock()
	for _, k := range kinds {
		if k.name == d.Name {
			return fmt.Errorf("register strategy %q: the name is taken", d.Name)
		}
	}
	kinds = append(slices.Clip(kinds), kind{name: d.Name, keys: slices.Clone(d.Keys), defaults: maps.Clone(d.Defaults),
		label: d.Label, weight: d.Weight, check: d.Check, start: d.Start, needs: d.Needs})
	return nil
}

func registered() []kind {
	kindsMu.RLock()
	defer kindsMu.RUnlock()
	return kinds
}

var builtin = append([]kind{
	{
		name: "stl", label: "STL",
		weight: func(map[string]float64, int) float64 { return 0 },
	},
	{
		name: "mtl", label: "MTL", keys: []string{"lambda"},
		defaults: map[string]float64{"lambda": 1},
		weight:   func(p map[string]float64, _ int) float64 { return p["lambda"] },
		check:    nonNegative("lambda"),
	},
	{
		name: "diminish", label: "MT2ST-Diminish", keys: []string{"gamma", "eta", "nu"},
		defaults: map[string]float64{"gamma": 1, "eta": 0.3, "nu": 1},
		weight: func(p map[string]float64, t int) float64 {
			return p["gamma"] * math.Exp(-p["eta"]*math.Pow(float64(t), p["nu"]))
		},
		check: nonNegative("gamma", "eta", "nu"),
	},
	{
		name: "diminish-squared", label: "MT2ST-Diminish²", keys: []string{"alpha"},
		defaults: map[string]float64{"alpha": 0.95},
		weight: func(p map[string]float64, t int) float64 {
			// α^(2^(t−1)) = exp(2^(t−1)·ln α); underflows cleanly to 0.
			return math.Exp(math.Ldexp(math.Log(p["alpha"]), t-1))
		},
		check: func(p map[string]float64) error {
			if a := p["alpha"]; !(a > 0 && a <= 1) {
				return fmt.Errorf("alpha=%g: want 0 < alpha <= 1", a)
			}
			return nil
		},
	},
	{
		name: "switch", label: "MT2ST-Switch", keys: []string{"epoch", "lambda"},
		defaults: map[string]float64{"epoch": 15, "lambda": 1},
		weight: func(p map[string]float64, t int) float64 {
			if float64(t) <= p["epoch"] {
				return p["lambda"]
			}
			return 0
		},
		check: func(p map[string]float64) error {
			if e := p["epoch"]; e < 0 || e != math.Trunc(e) {
				return fmt.Errorf("epoch=%g: want a whole number >= 0", e)
			}
			return nonNegative("lambda")(p)
		},
	},
}, adaptiveKinds...)

func nonNegative(keys ...string) func(map[string]float64) error {
	return func(p map[string]float64) error {
		for _, k := range keys {
			if v, ok := p[k]; ok && v < 0 {
				return fmt.Errorf("%s=%g: want >= 0", k, v)
			}
		}
		return nil
	}
}

// Names returns the valid strategy names.
func Names() []string {
	ks := registered()
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.name
	}
	return out
}

// Label returns the table label of a strategy name ("MT2ST-Switch" for
// "switch"), or the name itself when unknown.
func Label(name string) string {
	for _, k := range registered() {
		if k.name == name {
			return k.label
		}
	}
	return name
}

// Keys returns the keys a strategy name accepts, or an error listing the
// valid names.
func Keys(name string) ([]string, error) {
	k, err := lookup(name)
	if err != nil {
		return nil, err
	}
	return slices.Clone(k.keys), nil
}

func lookup(name string) (kind, error) {
	for _, k := range registered() {
		if k.name == name {
			return k, nil
		}
	}
	return kind{}, fmt.Errorf("unknown strategy %q: valid strategies are %s", name, strings.Join(Names(), ", "))
}

// spec is the one Strategy implementation: a kind plus its parameters.
type spec struct {
	k       kind
	shared  map[string]float64
	perTask map[string]map[string]float64 // task -> key -> value
}

// Parse builds a strategy from a spec string such as
// "diminish:gamma=1,eta=0.3,nu=1". Unknown names and keys are errors that
// list the valid ones.
func Parse(s string) (Strategy, error) {
	name, args, _ := strings.Cut(strings.TrimSpace(s), ":")
	k, err := lookup(strings.TrimSpace(name))
	if err != nil {
		return nil, err
	}
	sp := &spec{k: k, shared: map[string]float64{}, perTask: map[string]map[string]float64{}}
	for key, v := range k.defaults {
		sp.shared[key] = v
	}
	if strings.TrimSpace(args) == "" {
		return sp.wrap(), sp.validate(s)
	}
	for _, kv := range strings.Split(args, ",") {
		key, val, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok {
			return nil, fmt.Errorf("strategy %q: %q is not key=value", s, kv)
		}
		key = strings.TrimSpace(key)
		task, base, scoped := strings.Cut(key, ".")
		if !scoped {
			base, task = key, ""
		}
		if !slices.Contains(k.keys, base) {
			valid := "none"
			if len(k.keys) > 0 {
				valid = strings.Join(k.keys, ", ")
			}
			return nil, fmt.Errorf("strategy %q: unknown key %q for %s: valid keys are %s (or task.key for one task)", s, key, k.name, valid)
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("strategy %q: key %s: %q is not a finite number", s, key, val)
		}
		if task == "" {
			sp.shared[base] = x
			continue
		}
		if sp.perTask[task] == nil {
			sp.perTask[task] = map[string]float64{}
		}
		sp.perTask[task][base] = x
	}
	return sp.wrap(), sp.validate(s)
}

// wrap returns the Strategy of sp: an [Adaptive] one for an adaptive kind.
func (sp *spec) wrap() Strategy {
	if sp.k.start != nil {
		if sp.k.needs == nil {
			sp.k.needs = func(map[string]float64) Signals { return Signals{} }
		}
		return adaptiveSpec{sp}
	}
	return sp
}

func (sp *spec) validate(s string) error {
	if sp.k.check == nil {
		return nil
	}
	if err := sp.k.check(sp.shared); err != nil {
		return fmt.Errorf("strategy %q: %w", s, err)
	}
	for task := range sp.perTask {
		if err := sp.k.check(sp.params(task)); err != nil {
			return fmt.Errorf("strategy %q: task %s: %w", s, task, err)
		}
	}
	return nil
}

func (sp *spec) params(task string) map[string]float64 {
	over := sp.perTask[task]
	if len(over) == 0 {
		return sp.shared
	}
	p := make(map[string]float64, len(sp.shared))
	for k, v := range sp.shared {
		p[k] = v
	}
	for k, v := range over {
		p[k] = v
	}
	return p
}

func (sp *spec) Name() string { return sp.k.name }

// Weights implements Strategy.
func (sp *spec) Weights(epoch int, aux []string, _ History) map[string]float64 {
	w := make(map[string]float64, len(aux))
	for _, t := range aux {
		w[t] = sp.k.weight(sp.params(t), epoch)
	}
	return w
}

// String implements Strategy: the canonical spec with every key.
func (sp *spec) String() string {
	if len(sp.k.keys) == 0 {
		return sp.k.name
	}
	parts := make([]string, 0, len(sp.k.keys))
	for _, k := range sp.k.keys {
		parts = append(parts, k+"="+strconv.FormatFloat(sp.shared[k], 'g', -1, 64))
	}
	for _, t := range sp.scopedTasks() {
		for _, k := range sp.k.keys {
			if v, ok := sp.perTask[t][k]; ok {
				parts = append(parts, t+"."+k+"="+strconv.FormatFloat(v, 'g', -1, 64))
			}
		}
	}
	return sp.k.name + ":" + strings.Join(parts, ",")
}

// scopedTasks lists the tasks with values of their own, sorted.
func (sp *spec) scopedTasks() []string {
	tasks := make([]string, 0, len(sp.perTask))
	for t := range sp.perTask {
		tasks = append(tasks, t)
	}
	sort.Strings(tasks)
	return tasks
}
