package sweep

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/mt2st/mt2st/experiments"
	"github.com/mt2st/mt2st/options"
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
	// Parent is the trial this one shares its first ForkEpoch epochs with
	// (see SharePrefixes): it starts from Parent's checkpoint after that
	// epoch when there is one. SaveAt are the epochs after which this trial
	// saves such a checkpoint for others. None of them is part of the
	// trial's identity.
	Parent    string `json:"parent,omitempty"`
	ForkEpoch int    `json:"fork_epoch,omitempty"`
	SaveAt    []int  `json:"save_at,omitempty"`
}

// Plan is a sweep file expanded into trials.
type Plan struct {
	Name        string
	Description string
	Source      string // the sweep file
	Seed        int64
	Seeds       string // how trial seeds derive from Seed: one of SeedModes
	// VaryData is the file's vary_data: replicate r trains on data and
	// split seeds + r−1, which its ConfigHash leaves out (the replicates of
	// one configuration group together).
	VaryData bool
	// Swept lists the options whose values differ between configurations,
	// in the order the file names them.
	Swept          []string
	Configurations int
	Replicates     []int
	// Trials are ordered replicate by replicate (every configuration's first
	// replicate, then every second, ...), so a sweep stopped part-way has
	// already covered every configuration.
	Trials []Trial
	// EpochsPlanned is the sum of the trials' epochs; EpochsToTrain what is
	// left when shared prefixes are trained once (SharePrefixes).
	EpochsPlanned, EpochsToTrain int
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

// Seed derivations: how a trial's run seed follows from the sweep seed.
const (
	// SeedsPaired (the default): SHA-256 of the sweep seed and the replicate
	// index. Every configuration's replicate r gets the same seed, so
	// strategies are compared on common random numbers (the same initial
	// embedding and batch order) and differences can be paired.
	SeedsPaired = "paired"
	// SeedsPerConfiguration: SHA-256 of the sweep seed, the configuration's
	// seedless hash and the replicate index — unrelated seeds per
	// configuration (independent samples; compare with unpaired intervals).
	SeedsPerConfiguration = "per-configuration"
	// SeedsReplicate: the seed is the replicate index itself (1, 2, 3, ...),
	// as `train --seed N` uses it; reproduce uses this.
	SeedsReplicate = "replicate"
)

// SeedModes are the valid values of a sweep file's seeds key.
var SeedModes = []string{SeedsPaired, SeedsPerConfiguration, SeedsReplicate}

// DeriveSeed returns the run seed of one replicate of a configuration under
// a seed derivation (see SeedsPaired and the others), reduced to 1..2³¹−1 so
// it prints short and survives JSON numbers exactly.
func DeriveSeed(mode string, sweepSeed int64, configHash string, replicate int) int64 {
	var sum [32]byte
	switch mode {
	case SeedsReplicate:
		return int64(replicate)
	case SeedsPerConfiguration:
		sum = sha256.Sum256(fmt.Appendf(nil, "mt2st sweep seed v1\x00%d\x00%s\x00%d", sweepSeed, configHash, replicate))
	default:
		sum = sha256.Sum256(fmt.Appendf(nil, "mt2st sweep seed v2\x00%d\x00%d", sweepSeed, replicate))
	}
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

	plan := &Plan{Name: f.Name, Description: f.Description, Source: f.Path, Seed: f.Seed, Seeds: f.Seeds,
		Configurations: len(configs), Replicates: slices.Clone(f.Replicates), VaryData: f.VaryData}
	plan.Swept = sweptOptions(f, configs)
	ids := map[string]bool{}
	for ri, r := range f.Replicates {
		// Each replicate starts one configuration further on, so a slow
		// spell of a shared machine does not always fall on the same
		// strategy.
		for k := range configs {
			rc := configs[(k+ri)%len(configs)]
			c := rc.config
			h := ConfigHash(c)
			c.Seed = DeriveSeed(f.Seeds, f.Seed, h, r)
			if f.VaryData {
				c.DataSeed += int64(r - 1)
				c.SplitSeed += int64(r - 1)
			}
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
	SharePrefixes(plan)
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

// resolve builds one configuration: the protocol's defaults, then the base,
// then over, each layer through experiments.Apply (so a sweep file sets
// exactly what a flag or --set sets).
func resolve(f *File, over []Assignment) (experiments.Config, error) {
	all := append(slices.Clone(f.Base), over...)
	hasProtocol := false
	for _, a := range all {
		hasProtocol = hasProtocol || a.Option == "protocol"
	}
	if !hasProtocol {
		return experiments.Config{}, &Error{File: f.Path, Line: max(1, f.Lines["base"]), Key: "base.protocol",
			Msg: "not set: name the protocol (paper or imdb) in base; its defaults apply first"}
	}
	layer := func(as []Assignment, offset int) []options.Assignment {
		out := make([]options.Assignment, 0, len(as))
		for i, a := range as {
			if m, ok := a.Value.(map[string]string); ok { // the settings mapping
				keys := slices.Sorted(maps.Keys(m))
				for _, k := range keys {
					out = append(out, options.Assignment{Key: k, Value: m[k], Source: strconv.Itoa(offset + i)})
				}
				continue
			}
			out = append(out, options.Assignment{Key: a.Option, Value: a.Value, Source: strconv.Itoa(offset + i)})
		}
		return out
	}
	c, err := experiments.Resolve(layer(f.Base, 0), layer(over, len(f.Base)))
	if err != nil {
		var oe *options.Error
		if errors.As(err, &oe) {
			i, _ := strconv.Atoi(oe.Assignment.Source)
			a := all[i]
			return c, &Error{File: f.Path, Line: a.Line, Key: a.Option, Msg: oe.Err.Error()}
		}
		for _, a := range all {
			if param, ok := strings.CutPrefix(a.Option, "strategy."); ok {
				if task, _, scoped := strings.Cut(param, "."); scoped && !slices.Contains(c.Tasks[min(1, len(c.Tasks)):], task) {
					return c, &Error{File: f.Path, Line: a.Line, Key: a.Option,
						Msg: fmt.Sprintf("%s is not an auxiliary task of this configuration (tasks: %s)", task, strings.Join(c.Tasks, ", "))}
				}
			}
		}
		return c, &Error{File: f.Path, Line: firstLine(f, over), Key: describe(over), Msg: err.Error()}
	}
	return c.Canonical(), nil
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

// formatValue prints an option value the way plans and labels show it
// (lists joined by '+', since labels are comma-separated elsewhere).
func formatValue(v any) string {
	if x, ok := v.([]string); ok {
		return strings.Join(x, "+")
	}
	return options.Format(v)
}

// coordinates lists every option value of a resolved configuration: each
// run option by name, "strategy" (the name) and "strategy.<key>" for each
// strategy parameter, and "<task>.<key>" for each task setting.
func coordinates(c experiments.Config) map[string]string {
	out := map[string]string{}
	for _, o := range experiments.Options() {
		out[o.Name] = formatValue(o.Get(&c))
	}
	out["strategy"] = c.Strategy.Name()
	for _, p := range c.Strategy.Params() {
		out["strategy."+p.Key] = formatValue(p.Value)
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
			for _, p := range rc.config.Strategy.Params() {
				add("strategy." + p.Key)
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
	// An option is swept when it takes two values among configurations
	// that train the same tasks: one that differs only between task lists
	// (an include that trains an auxiliary task alone, say, and resets its
	// step budget) is told apart by the setting, not by the label.
	var swept []string
	for _, o := range candidates {
		distinct := map[string]map[string]bool{}
		varies := false
		for _, rc := range configs {
			v, ok := rc.coords[o]
			if !ok && strings.HasPrefix(o, "strategy.") {
				continue // that strategy has no such parameter: not a difference
			}
			key := strings.Join(rc.config.Tasks, ",")
			if o == "tasks" {
				key = ""
			}
			if distinct[key] == nil {
				distinct[key] = map[string]bool{}
			}
			distinct[key][v] = true
			varies = varies || len(distinct[key]) > 1
		}
		if varies {
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
