package strategies

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Spec is a validated strategy held by value: configurations, records and
// tables keep a Spec, never raw spec text, and ask it for its name, label
// and parameters. It reads and writes its own canonical spec text
// (encoding.TextMarshaler), so a Spec inside a JSON configuration is the
// same string as the spec. It holds only that canonical text, so Specs
// compare with == and reflect.DeepEqual. The zero Spec is STL.
type Spec struct{ canonical string }

// ParseSpec parses and validates a spec string such as
// "diminish:gamma=1,eta=0.3,nu=1".
func ParseSpec(text string) (Spec, error) {
	s, err := Parse(text)
	if err != nil {
		return Spec{}, err
	}
	return Spec{canonical: s.String()}, nil
}

// MustParseSpec is ParseSpec for specs written in code; it panics on an
// invalid spec, which is a programming error there.
func MustParseSpec(text string) Spec {
	s, err := ParseSpec(text)
	if err != nil {
		panic(err)
	}
	return s
}

// get parses the canonical text again: it was valid when the Spec was
// made, and parsing a few dozen bytes costs less than a training step.
func (s Spec) get() *spec {
	text := s.canonical
	if text == "" {
		text = "stl"
	}
	p, err := Parse(text)
	if err != nil { // unreachable: canonical text always parses
		panic(fmt.Sprintf("strategies: canonical spec %q does not parse: %v", text, err))
	}
	if a, ok := p.(adaptiveSpec); ok {
		return a.spec
	}
	return p.(*spec)
}

// Strategy returns the strategy the spec describes; an adaptive one
// implements [Adaptive].
func (s Spec) Strategy() Strategy { return s.get().wrap() }

// Name is the strategy's name, e.g. "switch".
func (s Spec) Name() string { return s.get().k.name }

// Label is the strategy's name in tables, e.g. "MT2ST-Switch".
func (s Spec) Label() string { return s.get().k.label }

// String is the canonical spec text, every key spelled out.
func (s Spec) String() string { return s.get().String() }

// IsZero reports whether s is the zero Spec.
func (s Spec) IsZero() bool { return s.canonical == "" }

// Is reports whether the strategy is called name.
func (s Spec) Is(name string) bool { return s.Name() == name }

// Equal reports whether two specs have the same canonical text.
func (s Spec) Equal(o Spec) bool { return s.String() == o.String() }

// Weights returns each auxiliary task's weight at epoch (from 1).
func (s Spec) Weights(epoch int, aux []string, h History) map[string]float64 {
	return s.Strategy().Weights(epoch, aux, h)
}

// Keys are the strategy's parameter names in canonical order.
func (s Spec) Keys() []string { return slices.Clone(s.get().k.keys) }

// Param returns the shared value of key (e.g. a Switch strategy's "epoch").
func (s Spec) Param(key string) (float64, bool) {
	v, ok := s.get().shared[key]
	return v, ok
}

// ParamFor returns key's value for one task: its own value when the spec
// sets one, else the shared value.
func (s Spec) ParamFor(task, key string) (float64, bool) {
	v, ok := s.get().params(task)[key]
	return v, ok
}

// Param is one parameter of a spec: Key is "eta" for a shared value and
// "analogy.eta" for one task's own value.
type Param struct {
	Key   string
	Value float64
}

// Params lists the spec's parameters in canonical order: the shared keys,
// then each task's own keys, tasks sorted.
func (s Spec) Params() []Param {
	sp := s.get()
	out := make([]Param, 0, len(sp.k.keys))
	for _, k := range sp.k.keys {
		out = append(out, Param{Key: k, Value: sp.shared[k]})
	}
	for _, t := range sp.scopedTasks() {
		for _, k := range sp.k.keys {
			if v, ok := sp.perTask[t][k]; ok {
				out = append(out, Param{Key: t + "." + k, Value: v})
			}
		}
	}
	return out
}

// Tasks lists the tasks that have a value of their own, sorted.
func (s Spec) Tasks() []string { return s.get().scopedTasks() }

// With returns the spec with one parameter set: key is a shared key ("eta")
// or a task's own ("analogy.eta"). The result is checked like a parsed spec.
func (s Spec) With(key string, value float64) (Spec, error) {
	text := s.String()
	sep := ":"
	if strings.Contains(text, ":") {
		sep = ","
	}
	return ParseSpec(text + sep + key + "=" + strconv.FormatFloat(value, 'g', -1, 64))
}

// CheckTasks returns an error when a task-scoped key names a task that is
// not one of aux, the run's auxiliary tasks.
func (s Spec) CheckTasks(aux []string) error {
	for _, t := range s.Tasks() {
		if !slices.Contains(aux, t) {
			valid := "none"
			if len(aux) > 0 {
				valid = strings.Join(aux, ", ")
			}
			return fmt.Errorf("strategy %q: %s is not an auxiliary task of this run (auxiliary tasks: %s)", s.String(), t, valid)
		}
	}
	return nil
}

// MarshalText writes the canonical spec.
func (s Spec) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses a spec.
func (s *Spec) UnmarshalText(b []byte) error {
	p, err := ParseSpec(string(b))
	if err != nil {
		return err
	}
	*s = p
	return nil
}

// Runs reports whether a task with weight w takes part in a step: its weight
// is positive and not below skipBelow. A task that does not run costs
// nothing; this rule is where MT2ST's time saving comes from.
func Runs(w, skipBelow float64) bool { return w > 0 && w >= skipBelow }
