package options

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Kind is the type of an option's value.
type Kind int

// The kinds of value. Their Go types are int64, float64, string, []string
// and bool.
const (
	Int Kind = iota
	Float
	String
	Strings
	Bool
)

// Word is the kind's short name in option lists: int, float, string, list,
// bool.
func (k Kind) Word() string {
	return [...]string{"int", "float", "string", "list", "bool"}[k]
}

// String names the kind in messages.
func (k Kind) String() string {
	switch k {
	case Int:
		return "an integer"
	case Float:
		return "a number"
	case Strings:
		return "a comma-separated list"
	case Bool:
		return "true or false"
	}
	return "a string"
}

// Parse turns command-line text into a value of the kind. Numbers must be
// finite: a NaN or infinite learning rate is never what a user meant.
func (k Kind) Parse(text string) (any, error) {
	text = strings.TrimSpace(text)
	switch k {
	case Int:
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", text)
		}
		return n, nil
	case Float:
		x, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", text)
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%q is not a finite number", text)
		}
		return x, nil
	case Strings:
		var out []string
		for _, s := range strings.Split(text, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out, nil
	case Bool:
		b, err := strconv.ParseBool(text)
		if err != nil {
			return nil, fmt.Errorf("%q is not true or false", text)
		}
		return b, nil
	}
	return text, nil
}

// Convert checks that v is a value of the kind and returns it in the kind's
// Go type. Text is parsed; an integer is accepted where a number is wanted,
// and a whole number where an integer is wanted (YAML and JSON numbers).
func (k Kind) Convert(v any) (any, error) {
	if s, ok := v.(string); ok && k != String {
		return k.Parse(s)
	}
	switch k {
	case Int:
		switch x := v.(type) {
		case int64:
			return x, nil
		case int:
			return int64(x), nil
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				return int64(x), nil
			}
		}
	case Float:
		var x float64
		switch y := v.(type) {
		case float64:
			x = y
		case int64:
			x = float64(y)
		case int:
			x = float64(y)
		default:
			return nil, fmt.Errorf("%s is not a number", Format(v))
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%s is not a finite number", Format(v))
		}
		return x, nil
	case String:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case Strings:
		if s, ok := v.([]string); ok {
			return s, nil
		}
	case Bool:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	}
	return nil, fmt.Errorf("%s is not %s", Format(v), k)
}

// Format prints a value the way plans, labels and canonical settings show
// it: numbers in their shortest form, lists joined by ','.
func Format(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []string:
		return strings.Join(x, ",")
	}
	return fmt.Sprint(v)
}

// Assignment sets one key to one value. Value is text (from a flag or
// --set, parsed by the key's kind) or already typed (from a sweep file).
// Source says where it came from, for messages: "--epochs", "--set",
// "line 12".
type Assignment struct {
	Key    string
	Value  any
	Source string
}

// Error is an assignment that cannot be applied: the key, where it came
// from, and why.
type Error struct {
	Assignment Assignment
	Err        error
}

func (e *Error) Error() string {
	a := e.Assignment
	switch {
	case strings.HasPrefix(a.Source, "--") && a.Source != "--set":
		return fmt.Sprintf("%s: %v", a.Source, e.Err) // the flag itself
	case a.Source == "":
		return fmt.Sprintf("%s: %v", a.Key, e.Err)
	}
	return fmt.Sprintf("%s (%s): %v", a.Key, a.Source, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// ParseAssignments parses "key=value" items; an item may hold several
// assignments separated by ',' when each part has a '=' (so
// "a=1,b=2" is two, and "tasks=x,y" is one list).
func ParseAssignments(items []string, source string) ([]Assignment, error) {
	var out []Assignment
	for _, item := range items {
		parts := strings.Split(item, ",")
		for i := 0; i < len(parts); i++ {
			kv := parts[i]
			for i+1 < len(parts) && !strings.Contains(parts[i+1], "=") {
				i++
				kv += "," + parts[i]
			}
			if strings.TrimSpace(kv) == "" {
				continue
			}
			k, v, ok := strings.Cut(kv, "=")
			if !ok || strings.TrimSpace(k) == "" {
				return nil, fmt.Errorf("%s %q: want key=value", source, kv)
			}
			out = append(out, Assignment{Key: strings.TrimSpace(k), Value: strings.TrimSpace(v), Source: source})
		}
	}
	return out, nil
}
