package sweep

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/mt2st/mt2st/experiments"
	"github.com/mt2st/mt2st/strategies"
)

// Trial is one run of a sweep: a fully resolved configuration (seed
// included) and the replicate it is. It is one line of a manifest.
type Trial struct {
	Sweep string `json:"sweep"`
	// Index is the trial's position in the plan: its manifest line, from 0.
	Index int `json:"index"`
	// ID is Config.ID(), which ends in the hash of the whole configuration:
	// it names the trial's directory and its record.
	ID string `json:"id"`
	// ConfigHash is the hash of the configuration without the seed: the
	// replicates of one configuration share it, and reports group by it.
	ConfigHash string `json:"config_hash"`
	Replicate  int    `json:"replicate"`
	// Label names the configuration in tables: the strategy's label and the
	// swept values, e.g. "MT2ST-Diminish eta=0.3 nu=2".
	Label string `json:"label"`
	// Values holds the swept options' values of this trial.
	Values map[string]string  `json:"values,omitempty"`
	Config experiments.Config `json:"config"`
}

// Plan is a sweep file expanded into trials.
type Plan struct {
	Name        string
	Description string
	Source      string // the sweep file
	Seed        int64
	// Swept lists the options whose values differ between configurations,
	// in the order the file names them.
	Swept          []string
	Configurations int
	Replicates     []int
	// Trials are ordered replicate by replicate (every configuration's first
	// replicate, then every second, ...), so a sweep stopped part-way has
	// already covered every configuration.
	Trials []Trial
}

// maxTrials guards against a grid that multiplies out by accident.
const maxTrials = 100000

// Load parses a sweep file and expands it.
func Load(path string) (*Plan, error) {
	f, err := Parse(path)
	if err != nil {
		return nil, err
	}
	return Expand(f)
}

// DeriveSeed returns the run seed of one replicate of a configuration:
// SHA-256 of the sweep seed, the configuration's seedless hash and the
// replicate index, reduced to 1..2³¹−1 so it prints short and survives JSON
// numbers exactly. Different configurations get unrelated seeds, so their
// runs are independent samples (the reports use Welch's unpaired intervals).
func DeriveSeed(sweepSeed int64, configHash string, replicate int) int64 {
	sum := sha256.Sum256(fmt.Appendf(nil, "mt2st sweep seed v1\x00%d\x00%s\x00%d", sweepSeed, configHash, replicate))
	return int64(binary.BigEndian.Uint64(sum[:8])%(1<<31-1)) + 1
}

// ConfigHash is the hash of c with the seed left out: the identity of a
// configuration whose replicates differ only in their seeds.
func ConfigHash(c experiments.Config) string {
	c.Seed = 0
	return c.Hash()
}

// resolved is one configuration of the sweep before replication.
type resolved struct {
	config experiments.Config
	over   []Assignment // what the axes or the include entry set
	coords map[string]string
}

// Expand resolves every configuration of f (protocol defaults, then base,
// then the axis values or include entry), validates it, and replicates it.
func Expand(f *File) (*Plan, error) {
	if err := checkAxes(f); err != nil {
		return nil, err
	}
	var combos [][]Assignment
	if len(f.Grid) > 0 || len(f.Zips) > 0 || len(f.Include) == 0 {
		combos = [][]Assignment{nil}
		for _, ax := range f.Grid {
			next := make([][]Assignment, 0, len(combos)*len(ax.Values))
			for _, c := range combos {
				for _, v := range ax.Values {
					next = append(next, append(slices.Clip(c), v))
				}
			}
			combos = next
			if len(combos) > maxTrials {
				return nil, &Error{File: f.Path, Line: ax.Line, Key: "grid." + ax.Option, Msg: fmt.Sprintf("the grid has more than %d configurations", maxTrials)}
			}
		}
		for _, group := range f.Zips {
			next := make([][]Assignment, 0, len(combos)*len(group[0].Values))
			for _, c := range combos {
				for i := range group[0].Values {
					cc := slices.Clip(c)
					for _, ax := range group {
						cc = append(cc, ax.Values[i])
					}
					next = append(next, cc)
				}
			}
			combos = next
		}
	}
	combos = append(combos, f.Include...)
	if len(combos)*len(f.Replicates) > maxTrials {
		return nil, &Error{File: f.Path, Line: f.Lines["replicates"], Key: "replicates", Msg: fmt.Sprintf("%d configurations × %d replicates is more than %d trials", len(combos), len(f.Replicates), maxTrials)}
	}

	configs := make([]resolved, 0, len(combos))
	byHash := map[string]int{}
	for _, over := range combos {
		c, err := resolve(f, over)
		if err != nil {
			return nil, err
		}
		h := ConfigHash(c)
		if j, dup := byHash[h]; dup {
			return nil, &Error{File: f.Path, Line: firstLine(f, over), Key: describe(over),
				Msg: fmt.Sprintf("the same configuration as %s: each configuration may appear once (use replicates for repeats)", describe(configs[j].over))}
		}
		byHash[h] = len(configs)
		configs = append(configs, resolved{config: c, over: over, coords: coordinates(c)})
	}

	plan := &Plan{Name: f.Name, Description: f.Description, Source: f.Path, Seed: f.Seed,
		Configurations: len(configs), Replicates: slices.Clone(f.Replicates)}
	plan.Swept = sweptOptions(f, configs)
	ids := map[string]bool{}
	for _, r := range f.Replicates {
		for _, rc := range configs {
			c := rc.config
			h := ConfigHash(c)
			c.Seed = DeriveSeed(f.Seed, h, r)
			t := Trial{Sweep: f.Name, Index: len(plan.Trials), ID: c.ID(), ConfigHash: h, Replicate: r,
				Label: label(rc.coords, plan.Swept), Values: map[string]string{}, Config: c}
			for _, o := range plan.Swept {
				if v, ok := rc.coords[o]; ok {
					t.Values[o] = v
				}
			}
			if ids[t.ID] {
				return nil, &Error{File: f.Path, Line: f.Lines["replicates"], Key: "replicates",
					Msg: fmt.Sprintf("two replicates of %s derive the same seed %d; change the sweep seed", t.Label, c.Seed)}
			}
			ids[t.ID] = true
			plan.Trials = append(plan.Trials, t)
		}
	}
	return plan, nil
}

// checkAxes rejects an option that is on two axes.
func checkAxes(f *File) error {
	seen := map[string]int{}
	check := func(path string, ax Axis) error {
		if prev, dup := seen[ax.Option]; dup {
			return &Error{File: f.Path, Line: ax.Line, Key: path + "." + ax.Option, Msg: fmt.Sprintf("already an axis on line %d: an option may vary on one axis only", prev)}
		}
		seen[ax.Option] = ax.Line
		return nil
	}
	for _, ax := range f.Grid {
		if err := check("grid", ax); err != nil {
			return err
		}
	}
	for i, g := range f.Zips {
		for _, ax := range g {
			if err := check(fmt.Sprintf("zip[%d]", i), ax); err != nil {
				return err
			}
		}
	}
	return nil
}

var configOptionsOnce = sync.OnceValues(configOptions)

// resolve builds one configuration: the protocol's defaults, then the base,
// then over, then the strategy parameters folded into the strategy spec.
func resolve(f *File, over []Assignment) (experiments.Config, error) {
	// Within the base and within a configuration's own values, "strategy"
	// applies before any strategy.<key>, wherever the file puts it.
	all := append(strategyFirst(f.Base), strategyFirst(over)...)
	fail := func(a Assignment, format string, args ...any) error {
		return &Error{File: f.Path, Line: a.Line, Key: a.Option, Msg: fmt.Sprintf(format, args...)}
	}
	protocol := Assignment{Line: max(1, f.Lines["base"]), Option: "base.protocol"}
	for _, a := range all {
		if a.Option == "protocol" {
			protocol = a
		}
	}
	if protocol.Value == nil {
		return experiments.Config{}, fail(protocol, "not set: name the protocol (paper or imdb) in base; its defaults apply first")
	}
	c, err := experiments.Defaults(protocol.Value.(string))
	if err != nil {
		return c, fail(protocol, "%v", err)
	}
	opts, err := configOptionsOnce()
	if err != nil {
		return c, err
	}
	strategyAt := Assignment{Option: "strategy", Line: protocol.Line, Value: c.Strategy}
	var params []Assignment
	cv := reflect.ValueOf(&c).Elem()
	for _, a := range all {
		if o, ok := opts[a.Option]; ok {
			field := cv.FieldByIndex(o.field)
			switch v := a.Value.(type) {
			case string:
				field.SetString(v)
			case int64:
				field.SetInt(v)
			case float64:
				field.SetFloat(v)
			case bool:
				field.SetBool(v)
			case []string:
				field.Set(reflect.ValueOf(slices.Clone(v)))
			case map[string]string:
				for k, x := range v {
					setSetting(&c, k, x)
				}
			}
			if a.Option == "strategy" {
				strategyAt, params = a, nil // a new strategy drops the parameters set for the previous one
			}
			continue
		}
		if strings.HasPrefix(a.Option, "strategy.") {
			params = append(params, a)
			continue
		}
		setSetting(&c, a.Option, a.Value.(string))
	}

	name, args, _ := strings.Cut(c.Strategy, ":")
	name = strings.TrimSpace(name)
	keys, err := strategies.Keys(name)
	if err != nil {
		return c, fail(strategyAt, "%v", err)
	}
	spec := []string{}
	if strings.TrimSpace(args) != "" {
		spec = append(spec, args)
	}
	for _, p := range params {
		key := strings.TrimPrefix(p.Option, "strategy.")
		task, base, perTask := strings.Cut(key, ".")
		if !perTask {
			base = key
		}
		if !slices.Contains(keys, base) {
			valid := "none"
			if len(keys) > 0 {
				valid = strings.Join(keys, ", ")
			}
			return c, fail(p, "strategy %s has no parameter %s (its parameters: %s)", name, base, valid)
		}
		if perTask && !slices.Contains(c.Tasks[min(1, len(c.Tasks)):], task) {
			return c, fail(p, "%s is not an auxiliary task of this configuration (tasks: %s)", task, strings.Join(c.Tasks, ", "))
		}
		spec = append(spec, key+"="+strconv.FormatFloat(p.Value.(float64), 'g', -1, 64))
	}
	full := name
	if len(spec) > 0 {
		full += ":" + strings.Join(spec, ",")
	}
	s, err := strategies.Parse(full)
	if err != nil {
		at := strategyAt
		if len(params) > 0 {
			at = params[len(params)-1]
		}
		return c, fail(at, "%v", err)
	}
	c.Strategy = s.String()
	c = c.Canonical()
	if err := c.Validate(); err != nil {
		return c, &Error{File: f.Path, Line: firstLine(f, over), Key: describe(over), Msg: err.Error()}
	}
	return c, nil
}

func strategyFirst(as []Assignment) []Assignment {
	out := slices.Clone(as)
	slices.SortStableFunc(out, func(a, b Assignment) int {
		switch {
		case a.Option == "strategy" && b.Option != "strategy":
			return -1
		case b.Option == "strategy" && a.Option != "strategy":
			return 1
		}
		return 0
	})
	return out
}

func setSetting(c *experiments.Config, key, value string) {
	if c.Settings == nil {
		c.Settings = map[string]string{}
	}
	c.Settings[key] = value
}

// firstLine is the line of a configuration's first own assignment, or of
// the base section.
func firstLine(f *File, over []Assignment) int {
	if len(over) > 0 {
		return over[0].Line
	}
	return max(1, f.Lines["base"])
}

// describe names a configuration by what its axes set, with lines.
func describe(over []Assignment) string {
	if len(over) == 0 {
		return "the base configuration"
	}
	parts := make([]string, len(over))
	for i, a := range over {
		parts[i] = fmt.Sprintf("%s=%s (line %d)", a.Option, formatValue(a.Value), a.Line)
	}
	return "configuration " + strings.Join(parts, ", ")
}

// formatValue prints an option value the way plans and labels show it.
func formatValue(v any) string {
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
		return strings.Join(x, "+")
	}
	return fmt.Sprint(v)
}

// coordinates lists every option value of a resolved configuration: its
// fields by JSON name, "strategy" (the name) and "strategy.<key>" for each
// strategy parameter, and "<task>.<key>" for each task setting.
func coordinates(c experiments.Config) map[string]string {
	out := map[string]string{}
	opts, _ := configOptionsOnce()
	cv := reflect.ValueOf(c)
	for name, o := range opts {
		if o.kind == kindSettings {
			continue
		}
		out[name] = formatValue(cv.FieldByIndex(o.field).Interface())
	}
	name, args, _ := strings.Cut(c.Strategy, ":")
	out["strategy"] = name
	if args != "" {
		for _, kv := range strings.Split(args, ",") {
			k, v, _ := strings.Cut(kv, "=")
			out["strategy."+k] = v
		}
	}
	for k, v := range c.Settings {
		out[k] = v
	}
	delete(out, "seed")
	return out
}

// sweptOptions returns the options that differ between configurations, in
// the order the file's axes and include entries name them; naming
// "strategy" brings in every strategy parameter.
func sweptOptions(f *File, configs []resolved) []string {
	var candidates []string
	add := func(o string) {
		if !slices.Contains(candidates, o) {
			candidates = append(candidates, o)
		}
	}
	addStrategyKeys := func() {
		for _, rc := range configs {
			name, _, _ := strings.Cut(rc.config.Strategy, ":")
			keys, _ := strategies.Keys(name)
			for _, k := range keys {
				add("strategy." + k)
			}
		}
	}
	mention := func(o string) {
		if o == "strategy" {
			add(o)
			addStrategyKeys()
			return
		}
		if o == "settings" {
			return
		}
		add(o)
	}
	for _, ax := range f.Grid {
		mention(ax.Option)
	}
	for _, g := range f.Zips {
		for _, ax := range g {
			mention(ax.Option)
		}
	}
	for _, in := range f.Include {
		for _, a := range in {
			if m, ok := a.Value.(map[string]string); ok {
				for k := range m {
					add(k)
				}
				continue
			}
			mention(a.Option)
		}
	}
	var swept []string
	for _, o := range candidates {
		distinct := map[string]bool{}
		for _, rc := range configs {
			v, ok := rc.coords[o]
			if !ok && strings.HasPrefix(o, "strategy.") {
				continue // that strategy has no such parameter: not a difference
			}
			distinct[v] = true
		}
		if len(distinct) > 1 {
			swept = append(swept, o)
		}
	}
	return swept
}

// label is the strategy's table label followed by the swept values other
// than the strategy name and the task list (tables show the setting).
func label(coords map[string]string, swept []string) string {
	parts := []string{strategies.Label(coords["strategy"])}
	for _, o := range swept {
		if o == "strategy" || o == "tasks" {
			continue
		}
		v, ok := coords[o]
		if !ok {
			continue
		}
		parts = append(parts, strings.TrimPrefix(o, "strategy.")+"="+v)
	}
	return strings.Join(parts, " ")
}
