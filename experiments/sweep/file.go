package sweep

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mt2st/mt2st/experiments"
	"github.com/mt2st/mt2st/internal/ctxio"
	"github.com/mt2st/mt2st/options"
	"go.yaml.in/yaml/v3"
)

// File is a parsed sweep file: a base configuration, the axes that vary it,
// extra configurations, and the replicates every configuration is run with.
type File struct {
	Path        string // as given to Parse; used in error messages
	Name        string // default: the file name without extension
	Description string
	// Seed is the sweep seed every trial seed derives from (default 1).
	Seed int64
	// Seeds is how trial seeds derive from it: one of SeedModes (default
	// SeedsPaired).
	Seeds string
	// VaryData, when true, gives replicate r the data seed and split seed
	// of the configuration plus r−1: each replicate draws its own review
	// sample, validation split and auxiliary train/report split, the same
	// for every configuration (so comparisons stay paired). The default
	// keeps the data fixed and varies only the training seed.
	VaryData bool
	// Replicates are the replicate indices (from 1) each configuration runs
	// with; "replicates: 3" means 1, 2, 3.
	Replicates []int
	Base       []Assignment
	Grid       []Axis   // cartesian product, in file order
	Zips       [][]Axis // each group's axes advance together
	Include    [][]Assignment
	// Line of each top-level key, for messages about the whole section.
	Lines map[string]int
}

// Assignment sets one option to one value.
type Assignment struct {
	Option string // "epochs", "strategy.eta", "sentiment.hidden", ...
	Value  any    // string, int64, float64, bool, []string or map[string]string
	Line   int
}

// Axis is one option with the list of values it takes.
type Axis struct {
	Option string
	Values []Assignment // one per value, each with its own line
	Line   int          // line of the option's key
}

// Error is a problem in a sweep file, with the key and the line it is on.
type Error struct {
	File string
	Line int
	Key  string // dotted path, e.g. "grid.strategy.eta[2]"
	Msg  string
}

func (e *Error) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("%s line %d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s line %d: %s: %s", e.File, e.Line, e.Key, e.Msg)
}

// topLevelKeys are the keys a sweep file may have, in documentation order.
var topLevelKeys = []string{"name", "description", "seed", "seeds", "vary_data", "replicates", "base", "grid", "zip", "include"}

// Parse reads and parses a sweep file.
func Parse(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read sweep file: %w", err)
	}
	return ParseBytes(path, data)
}

// ParseBytes parses a sweep file's content; name is used in messages and as
// the default sweep name.
func ParseBytes(name string, data []byte) (*File, error) {
	p := parser{file: name}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	f := &File{Path: name, Seed: 1, Seeds: SeedsPaired, Replicates: []int{1}, Lines: map[string]int{}}
	f.Name = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &Error{File: name, Line: 1, Msg: "empty sweep file: want a mapping with base and axes (grid, zip, include)"}
	}
	root := resolveAlias(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, p.errorf(root, "", "the sweep file must be a mapping of %s", strings.Join(topLevelKeys, ", "))
	}
	err := p.eachKey(root, "", func(key string, k, v *yaml.Node) error {
		f.Lines[key] = k.Line
		switch key {
		case "name":
			s, err := p.text(v, key)
			if err == nil {
				if problem := checkName(s); problem != "" {
					err = p.errorf(v, key, "%s cannot name a sweep: %s", ctxio.Quote(s), problem)
				}
			}
			f.Name = s
			return err
		case "description":
			s, err := p.text(v, key)
			f.Description = s
			return err
		case "seed":
			n, err := p.integer(v, key)
			f.Seed = n
			return err
		case "seeds":
			m, err := p.text(v, key)
			if err == nil && !slices.Contains(SeedModes, m) {
				err = p.errorf(v, key, "%q: valid values are %s", m, strings.Join(SeedModes, ", "))
			}
			f.Seeds = m
			return err
		case "vary_data":
			b, err := p.boolean(v, key)
			f.VaryData = b
			return err
		case "replicates":
			r, err := p.replicates(v)
			f.Replicates = r
			return err
		case "base":
			a, err := p.assignments(v, key, true)
			f.Base = a
			return err
		case "grid":
			a, err := p.axes(v, key)
			f.Grid = a
			return err
		case "zip":
			z, err := p.zips(v)
			f.Zips = z
			return err
		case "include":
			in, err := p.includes(v)
			f.Include = in
			return err
		}
		return p.errorf(k, key, "unknown key: valid keys are %s", strings.Join(topLevelKeys, ", "))
	})
	if err != nil {
		return nil, err
	}
	if _, set := f.Lines["name"]; !set {
		if problem := checkName(f.Name); problem != "" {
			return nil, &Error{File: name, Line: 1, Msg: fmt.Sprintf("the file name gives the sweep name %s, which %s: set name:", ctxio.Quote(f.Name), problem)}
		}
	}
	return f, nil
}

// MaxNameLen bounds a sweep name, which names directories and fills every
// record of the sweep.
const MaxNameLen = 100

// checkName says why s cannot be a sweep name, or returns "": a name must be
// a safe file name, non-empty, at most MaxNameLen bytes of valid UTF-8,
// without slashes, control characters (newlines included) or a leading dot.
func checkName(s string) string {
	switch {
	case s == "":
		return "it is empty"
	case len(s) > MaxNameLen:
		return fmt.Sprintf("it is %d bytes long, the limit is %d", len(s), MaxNameLen)
	case !utf8.ValidString(s):
		return "it is not valid UTF-8"
	case strings.ContainsAny(s, `/\`):
		return "it contains a slash"
	case strings.HasPrefix(s, "."):
		return "it starts with a dot"
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "it contains a control character (newline, tab, ...)"
	}
	return ""
}

type parser struct{ file string }

func (p parser) errorf(n *yaml.Node, key, format string, args ...any) error {
	return &Error{File: p.file, Line: n.Line, Key: key, Msg: fmt.Sprintf(format, args...)}
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// eachKey calls fn for every key of a mapping in file order, rejecting
// repeated keys and non-string keys.
func (p parser) eachKey(m *yaml.Node, path string, fn func(key string, k, v *yaml.Node) error) error {
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := resolveAlias(m.Content[i]), resolveAlias(m.Content[i+1])
		if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
			return p.errorf(k, path, "keys must be plain names")
		}
		key := k.Value
		full := join(path, key)
		if prev, dup := seen[key]; dup {
			return p.errorf(k, full, "repeated key (first on line %d)", prev)
		}
		seen[key] = k.Line
		if err := fn(key, k, v); err != nil {
			return err
		}
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// kindName says what a YAML node is, for type errors.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.ShortTag() {
	case "!!str":
		return fmt.Sprintf("the string %q", n.Value)
	case "!!int":
		return "the integer " + n.Value
	case "!!float":
		return "the number " + n.Value
	case "!!bool":
		return "the boolean " + n.Value
	case "!!null":
		return "empty (null)"
	}
	return n.ShortTag() + " " + n.Value
}

func (p parser) text(n *yaml.Node, key string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		return "", p.errorf(n, key, "want a string, got %s", kindName(n))
	}
	return n.Value, nil
}

func (p parser) integer(n *yaml.Node, key string) (int64, error) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		return 0, p.errorf(n, key, "want an integer, got %s", kindName(n))
	}
	var x int64
	if err := n.Decode(&x); err != nil {
		return 0, p.errorf(n, key, "want an integer: %v", err)
	}
	return x, nil
}

func (p parser) number(n *yaml.Node, key string) (float64, error) {
	if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!int" && n.ShortTag() != "!!float") {
		return 0, p.errorf(n, key, "want a number, got %s", kindName(n))
	}
	var x float64
	if err := n.Decode(&x); err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, p.errorf(n, key, "want a finite number, got %s", n.Value)
	}
	return x, nil
}

func (p parser) boolean(n *yaml.Node, key string) (bool, error) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		return false, p.errorf(n, key, "want true or false, got %s", kindName(n))
	}
	var b bool
	err := n.Decode(&b)
	return b, err
}

func (p parser) stringList(n *yaml.Node, key string) ([]string, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, p.errorf(n, key, "want a list of strings, got %s", kindName(n))
	}
	out := make([]string, 0, len(n.Content))
	for i, c := range n.Content {
		s, err := p.text(resolveAlias(c), fmt.Sprintf("%s[%d]", key, i))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (p parser) replicates(n *yaml.Node) ([]int, error) {
	const key = "replicates"
	if n.Kind == yaml.ScalarNode {
		count, err := p.integer(n, key)
		if err != nil {
			return nil, p.errorf(n, key, "want a count (replicates: 3) or a list of replicate indices (replicates: [4, 5]), got %s", kindName(n))
		}
		if count < 1 || count > 10000 {
			return nil, p.errorf(n, key, "%d: want 1 to 10000", count)
		}
		out := make([]int, count)
		for i := range out {
			out[i] = i + 1
		}
		return out, nil
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return nil, p.errorf(n, key, "want a count (replicates: 3) or a non-empty list of replicate indices (replicates: [4, 5]), got %s", kindName(n))
	}
	var out []int
	for i, c := range n.Content {
		c = resolveAlias(c)
		k := fmt.Sprintf("%s[%d]", key, i)
		x, err := p.integer(c, k)
		if err != nil {
			return nil, err
		}
		if x < 1 {
			return nil, p.errorf(c, k, "replicate index %d: want >= 1", x)
		}
		if slices.Contains(out, int(x)) {
			return nil, p.errorf(c, k, "replicate %d listed twice", x)
		}
		out = append(out, int(x))
	}
	return out, nil
}

// assignments reads a mapping of options (base, or one include entry).
// allowMap permits the "settings" option as a nested mapping.
func (p parser) assignments(n *yaml.Node, path string, allowMap bool) ([]Assignment, error) {
	if n.Kind != yaml.MappingNode {
		return nil, p.errorf(n, path, "want a mapping of options (option: value), got %s", kindName(n))
	}
	var out []Assignment
	err := p.eachKey(n, path, func(key string, k, v *yaml.Node) error {
		opt, err := lookupOption(key)
		if err != nil {
			return p.errorf(k, join(path, key), "%v", err)
		}
		if opt.settings && !allowMap {
			return p.errorf(k, join(path, key), "set task options one by one here (task.key: value)")
		}
		a, err := p.value(opt, v, join(path, key))
		if err != nil {
			return err
		}
		a.Line = k.Line
		out = append(out, a)
		return nil
	})
	return out, err
}

// axes reads a mapping of option: [values].
func (p parser) axes(n *yaml.Node, path string) ([]Axis, error) {
	if n.Kind != yaml.MappingNode {
		return nil, p.errorf(n, path, "want a mapping of option: [values], got %s", kindName(n))
	}
	var out []Axis
	err := p.eachKey(n, path, func(key string, k, v *yaml.Node) error {
		full := join(path, key)
		opt, err := lookupOption(key)
		if err != nil {
			return p.errorf(k, full, "%v", err)
		}
		if opt.settings {
			return p.errorf(k, full, "sweep task options one by one (task.key: [values])")
		}
		if opt.name == "protocol" {
			return p.errorf(k, full, "the protocol cannot be an axis (its defaults apply to the whole sweep); write one sweep file per protocol")
		}
		if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
			return p.errorf(v, full, "want a non-empty list of values, got %s", kindName(v))
		}
		ax := Axis{Option: opt.name, Line: k.Line}
		for i, c := range v.Content {
			c = resolveAlias(c)
			a, err := p.value(opt, c, fmt.Sprintf("%s[%d]", full, i))
			if err != nil {
				return err
			}
			a.Line = c.Line
			ax.Values = append(ax.Values, a)
		}
		out = append(out, ax)
		return nil
	})
	return out, err
}

// zips reads either one group (a mapping) or a list of groups.
func (p parser) zips(n *yaml.Node) ([][]Axis, error) {
	groups := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		groups = groups[:0]
		for _, c := range n.Content {
			groups = append(groups, resolveAlias(c))
		}
	}
	var out [][]Axis
	for i, g := range groups {
		path := "zip"
		if n.Kind == yaml.SequenceNode {
			path = fmt.Sprintf("zip[%d]", i)
		}
		axes, err := p.axes(g, path)
		if err != nil {
			return nil, err
		}
		if len(axes) == 0 {
			return nil, p.errorf(g, path, "empty zip group: want option: [values] pairs of equal length")
		}
		for _, a := range axes[1:] {
			if len(a.Values) != len(axes[0].Values) {
				return nil, &Error{File: p.file, Line: a.Line, Key: join(path, a.Option),
					Msg: fmt.Sprintf("%d values, but %s (line %d) has %d: zipped lists must have the same length", len(a.Values), axes[0].Option, axes[0].Line, len(axes[0].Values))}
			}
		}
		out = append(out, axes)
	}
	return out, nil
}

func (p parser) includes(n *yaml.Node) ([][]Assignment, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, p.errorf(n, "include", "want a list of mappings (- strategy: stl), got %s", kindName(n))
	}
	var out [][]Assignment
	for i, c := range n.Content {
		a, err := p.assignments(resolveAlias(c), fmt.Sprintf("include[%d]", i), true)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// value decodes one value of an option, checking its type.
func (p parser) value(opt option, n *yaml.Node, key string) (Assignment, error) {
	a := Assignment{Option: opt.name, Line: n.Line}
	var err error
	switch {
	case opt.settings:
		if n.Kind != yaml.MappingNode {
			return a, p.errorf(n, key, "want a mapping of task.key: value, got %s", kindName(n))
		}
		m := map[string]string{}
		err = p.eachKey(n, key, func(k string, kn, v *yaml.Node) error {
			if !strings.Contains(k, ".") {
				return p.errorf(kn, join(key, k), "want task.key (e.g. sentiment.hidden)")
			}
			if _, err := experiments.KeyKind(k); err != nil {
				return p.errorf(kn, join(key, k), "%v", err)
			}
			s, err := p.settingValue(v, join(key, k))
			m[k] = s
			return err
		})
		a.Value = m
	case opt.task:
		// Task options take any scalar; the task's declared kind checks it
		// when the configuration is resolved.
		a.Value, err = p.settingValue(n, key)
	case opt.kind == options.String:
		a.Value, err = p.text(n, key)
	case opt.kind == options.Int:
		if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" && n.Value == "full" {
			a.Value = n.Value // batch: full
			break
		}
		a.Value, err = p.integer(n, key)
	case opt.kind == options.Float:
		a.Value, err = p.number(n, key)
	case opt.kind == options.Bool:
		a.Value, err = p.boolean(n, key)
	case opt.kind == options.Strings:
		a.Value, err = p.stringList(n, key)
	}
	return a, err
}

// settingValue turns a scalar into the string a task setting holds; numbers
// are written in their shortest form so 0.50 and 0.5 are the same setting.
func (p parser) settingValue(n *yaml.Node, key string) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", p.errorf(n, key, "want a number, string or boolean, got %s", kindName(n))
	}
	switch n.ShortTag() {
	case "!!str", "!!bool":
		return n.Value, nil
	case "!!int":
		x, err := p.integer(n, key)
		return strconv.FormatInt(x, 10), err
	case "!!float":
		x, err := p.number(n, key)
		return strconv.FormatFloat(x, 'g', -1, 64), err
	}
	return "", p.errorf(n, key, "want a number, string or boolean, got %s", kindName(n))
}

// option is one settable key of a sweep file and the kind of value it
// takes (from experiments.KeyKind, the table every entry point shares).
type option struct {
	name     string
	kind     options.Kind
	task     bool // a task option, <task>.<key>
	settings bool // the settings mapping of task options
}

// reservedOptions are run options a sweep file may not set, with why.
var reservedOptions = map[string]string{
	"seed": "trial seeds derive from the sweep seed and the replicate index: set the top-level seed, seeds and replicates instead",
}

// lookupOption returns the option a key names, or an error listing the
// valid ones.
func lookupOption(key string) (option, error) {
	if why, ok := reservedOptions[key]; ok {
		return option{}, errors.New(why)
	}
	if key == "settings" {
		return option{name: key, settings: true}, nil
	}
	k, err := experiments.KeyKind(key)
	if err != nil {
		return option{}, err
	}
	head, _, dotted := strings.Cut(key, ".")
	return option{name: key, kind: k, task: dotted && head != "strategy"}, nil
}
