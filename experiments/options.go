package experiments

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/mt2st/mt2st/options"
	"github.com/mt2st/mt2st/strategies"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/sentiment"
)

// Option is one run option: one row of the table every entry point shares.
// Its Name is the key of --set and of sweep files; its flag is the name with
// '-' for '_'. A new run option is one Config field plus one row here: the
// flag, the sweep key, validation and help follow from it.
type Option struct {
	Name string
	Kind options.Kind
	Help string
	set  func(c *Config, v any) error // v has Kind's Go type
	get  func(c *Config) any
	// check validates the option's value in a resolved configuration
	// (nil: every value of the kind is valid).
	check func(c *Config) error
	// convert replaces Kind.Convert for options with a special spelling
	// (batch: "full").
	convert func(v any) (any, error)
}

// Flag is the option's command-line flag name.
func (o Option) Flag() string { return strings.ReplaceAll(o.Name, "_", "-") }

// Get returns the option's value in c, in the form flags and sweep files
// take.
func (o Option) Get(c *Config) any { return o.get(c) }

// intOption is an integer option whose valid values are ≥ min.
func intOption(name, help string, min int, field func(*Config) *int) Option {
	return Option{Name: name, Kind: options.Int, Help: help,
		set: func(c *Config, v any) error { *field(c) = int(v.(int64)); return nil },
		get: func(c *Config) any { return int64(*field(c)) },
		check: func(c *Config) error {
			if v := *field(c); v < min {
				return fmt.Errorf("%s %d: want >= %d", strings.ReplaceAll(name, "_", " "), v, min)
			}
			return nil
		}}
}

func seedOption(name, help string, field func(*Config) *int64) Option {
	return Option{Name: name, Kind: options.Int, Help: help,
		set: func(c *Config, v any) error { *field(c) = v.(int64); return nil },
		get: func(c *Config) any { return *field(c) }}
}

// floatOption is a number option; valid says what values are valid ("> 0",
// ">= 0" or "0 <= f < 1").
func floatOption(name, help, valid string, field func(*Config) *float64) Option {
	ok := map[string]func(float64) bool{
		"> 0":        func(x float64) bool { return x > 0 },
		">= 0":       func(x float64) bool { return x >= 0 },
		"0 <= f < 1": func(x float64) bool { return x >= 0 && x < 1 },
	}[valid]
	return Option{Name: name, Kind: options.Float, Help: help,
		set: func(c *Config, v any) error { *field(c) = v.(float64); return nil },
		get: func(c *Config) any { return *field(c) },
		check: func(c *Config) error {
			if v := *field(c); !ok(v) {
				return fmt.Errorf("%s %g: want %s", strings.ReplaceAll(name, "_", " "), v, valid)
			}
			return nil
		}}
}

// choiceOption is a string option whose valid values are choices() (the
// value stored for none is "").
func choiceOption(name, none, help string, choices func() []string, field func(*Config) *string) Option {
	o := stringOption(name, none, help, field)
	o.check = func(c *Config) error {
		v := options.Format(o.get(c))
		if valid := choices(); !slices.Contains(valid, v) {
			return fmt.Errorf("%s %q: valid %ss are %s", strings.ReplaceAll(name, "_", " "), v, strings.ReplaceAll(name, "_", " "), strings.Join(valid, ", "))
		}
		return nil
	}
	return o
}

// stringOption stores a string; none names the value stored as "" (the
// option's "off" value, e.g. init=random).
func stringOption(name, none, help string, field func(*Config) *string) Option {
	return Option{Name: name, Kind: options.String, Help: help,
		set: func(c *Config, v any) error {
			s := strings.TrimSpace(v.(string))
			if s == none && none != "" {
				s = ""
			}
			*field(c) = s
			return nil
		},
		get: func(c *Config) any {
			if s := *field(c); s != "" || none == "" {
				return s
			}
			return none
		}}
}

// runOptions is the table. Protocol is first: its defaults apply before
// every other assignment.
var runOptions = []Option{
	choiceOption("protocol", "", "protocol whose defaults apply: "+strings.Join(Protocols, " or "), func() []string { return Protocols }, func(c *Config) *string { return &c.Protocol }),
	{Name: "tasks", Kind: options.Strings, Help: "comma-separated tasks, primary first",
		set: func(c *Config, v any) error { c.Tasks = slices.Clone(v.([]string)); return nil },
		get: func(c *Config) any { return slices.Clone(c.Tasks) }},
	{Name: "strategy", Kind: options.String, Help: "strategy spec: stl, mtl:lambda=0.5, diminish:gamma=1,eta=0.3,nu=1, diminish-squared:alpha=0.95, switch:epoch=15,lambda=1",
		set: func(c *Config, v any) error {
			s, err := strategies.ParseSpec(v.(string))
			c.Strategy = s
			return err
		},
		get: func(c *Config) any { return c.Strategy.String() }},
	choiceOption("encoder", "", "sentiment encoder", func() []string { return sentiment.Encoders }, func(c *Config) *string { return &c.Encoder }),
	intOption("epochs", "epochs", 1, func(c *Config) *int { return &c.Epochs }),
	{Name: "batch", Kind: options.Int, Help: "primary minibatch size, or full (also 0)",
		convert: func(v any) (any, error) {
			if s, ok := v.(string); ok && strings.TrimSpace(s) == "full" {
				return int64(0), nil
			}
			n, err := options.Int.Convert(v)
			if err != nil || n.(int64) < 0 {
				return nil, fmt.Errorf("%s: want a positive integer or full", options.Format(v))
			}
			return n, nil
		},
		set: func(c *Config, v any) error { c.Batch = int(v.(int64)); return nil },
		get: func(c *Config) any {
			if c.Batch == 0 {
				return "full"
			}
			return int64(c.Batch)
		},
		check: func(c *Config) error {
			if c.Batch < 0 {
				return fmt.Errorf("batch %d: want >= 0 (0 = full batch)", c.Batch)
			}
			return nil
		}},
	intOption("dim", "embedding dimension", 1, func(c *Config) *int { return &c.Dim }),
	intOption("max_tokens", "tokens kept per review", 1, func(c *Config) *int { return &c.MaxTokens }),
	floatOption("lr", "Adam learning rate", "> 0", func(c *Config) *float64 { return &c.LR }),
	seedOption("seed", "run seed (initialisation, shuffling, sampling)", func(c *Config) *int64 { return &c.Seed }),
	seedOption("data_seed", "seed of the review sample and the validation split", func(c *Config) *int64 { return &c.DataSeed }),
	seedOption("split_seed", "seed of the auxiliary train/report split", func(c *Config) *int64 { return &c.SplitSeed }),
	intOption("sample", "labelled reviews sampled (0 = the standard 25k/25k split)", 0, func(c *Config) *int { return &c.Sample }),
	intOption("test_size", "reviews of the sample kept for test", 0, func(c *Config) *int { return &c.TestSize }),
	floatOption("val_fraction", "fraction of the training reviews held out for validation", "0 <= f < 1", func(c *Config) *float64 { return &c.ValFraction }),
	intOption("min_count", "minimum count of a vocabulary word", 1, func(c *Config) *int { return &c.MinCount }),
	intOption("max_vocab", "vocabulary size limit (0 = none)", 0, func(c *Config) *int { return &c.MaxVocab }),
	floatOption("embed_init", "embedding initialised from U(-x, x)", ">= 0", func(c *Config) *float64 { return &c.EmbedInit }),
	floatOption("skip_below", "auxiliary weights below this are treated as 0 and not run", ">= 0", func(c *Config) *float64 { return &c.SkipBelow }),
	choiceOption("select", "", "model selection: best (validation accuracy) or last", func() []string { return []string{"best", "last"} }, func(c *Config) *string { return &c.Select }),
	intOption("aux_eval_every", "evaluate auxiliary metrics every N epochs (0 = only at the end)", 0, func(c *Config) *int { return &c.AuxEvalEvery }),
	intOption("val_every_steps", "also evaluate validation every N training steps, for time to target (0 = only at epoch ends)", 0, func(c *Config) *int { return &c.ValEverySteps }),
	choiceOption("vocab", "train", "vocabulary source: train (the primary's training texts) or corpus (IMDB train+unsup)", func() []string { return []string{"train", "corpus"} }, func(c *Config) *string { return &c.Vocab }),
	{Name: "init", Kind: options.String, Help: "embedding initialisation: random, " + strings.Join(PretrainTasks, ", ") + " (pre-trained on IMDB train+unsup; init.* options) or a word2vec file (text or binary)",
		set: func(c *Config, v any) error {
			c.Init = strings.TrimSpace(v.(string))
			if c.Init == "random" {
				c.Init = ""
			}
			return nil
		},
		get: func(c *Config) any {
			if c.Init == "" {
				return "random"
			}
			return c.Init
		},
		check: func(c *Config) error { return validateInit(c.Init) }},
	choiceOption("lr_decay", "none", "learning-rate schedule: none or linear (word2vec's decay to lr·1e-4)", func() []string { return []string{"none", "linear"} }, func(c *Config) *string { return &c.LRDecay }),
	{Name: "checkpoint_every", Kind: options.String,
		convert: func(v any) (any, error) { return options.Format(v), nil }, // 5 or "5" in a sweep file Help: "save the run's exact state every N epochs (5) or every interval of wall time (10m), to resume a killed run where it stopped; never (the default) or 0 saves nothing; not part of the run's identity",
		set: func(c *Config, v any) error {
			s := strings.TrimSpace(v.(string))
			if s == "never" || s == "0" {
				s = ""
			}
			if _, _, err := ParseCheckpointEvery(s); err != nil {
				return err
			}
			c.CheckpointEvery = s
			return nil
		},
		get: func(c *Config) any {
			if c.CheckpointEvery == "" {
				return "never"
			}
			return c.CheckpointEvery
		}},
}

// Options returns the run options in table order.
func Options() []Option { return slices.Clone(runOptions) }

// LookupOption returns the run option called name.
func LookupOption(name string) (Option, bool) {
	for _, o := range runOptions {
		if o.Name == name {
			return o, true
		}
	}
	return Option{}, false
}

// KeyKind says what a key of --set or a sweep file sets and the kind of
// value it takes: a run option, a strategy parameter ("strategy.eta",
// "strategy.analogy.eta": numbers), or a task option ("sentiment.hidden").
// An unknown key is an error that lists the valid ones.
func KeyKind(key string) (options.Kind, error) {
	if o, ok := LookupOption(key); ok {
		return o.Kind, nil
	}
	head, rest, dotted := strings.Cut(key, ".")
	switch {
	case dotted && head == "strategy":
		if rest == "" || strings.Count(rest, ".") > 1 {
			return 0, fmt.Errorf("%s: want strategy.<key> or strategy.<task>.<key>", key)
		}
		return options.Float, nil
	case dotted:
		o, err := tasks.LookupOption(key)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", key, err)
		}
		return o.Kind, nil
	}
	names := make([]string, len(runOptions))
	for i, o := range runOptions {
		names[i] = o.Name
	}
	sort.Strings(names)
	return 0, fmt.Errorf("unknown option %q: valid options are %s, strategy.<key>, and <task>.<key> task options (tasks: %s; see mt2st tasks)",
		key, strings.Join(names, ", "), strings.Join(tasks.Names(), ", "))
}

// Apply sets each assignment on c, in order, except that within one call
// every "strategy" assignment comes before the strategy parameters (a new
// strategy drops the parameters set for the previous one). It never changes
// the protocol's defaults: see Resolve. The first failing assignment is
// returned as an *options.Error.
func Apply(c *Config, as []options.Assignment) error {
	ordered := slices.Clone(as)
	slices.SortStableFunc(ordered, func(a, b options.Assignment) int {
		return boolRank(b.Key == "strategy") - boolRank(a.Key == "strategy")
	})
	for _, a := range ordered {
		if err := apply(c, a); err != nil {
			return &options.Error{Assignment: a, Err: err}
		}
	}
	return nil
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func apply(c *Config, a options.Assignment) error {
	if o, ok := LookupOption(a.Key); ok {
		convert := o.Kind.Convert
		if o.convert != nil {
			convert = o.convert
		}
		v, err := convert(a.Value)
		if err != nil {
			return err
		}
		return o.set(c, v)
	}
	if _, err := KeyKind(a.Key); err != nil {
		return err
	}
	if param, ok := strings.CutPrefix(a.Key, "strategy."); ok {
		_, base, scoped := strings.Cut(param, ".")
		if !scoped {
			base = param
		}
		if keys := c.Strategy.Keys(); !slices.Contains(keys, base) {
			valid := "none"
			if len(keys) > 0 {
				valid = strings.Join(keys, ", ")
			}
			return fmt.Errorf("strategy %s has no parameter %s (its parameters: %s)", c.Strategy.Name(), base, valid)
		}
		x, err := options.Float.Convert(a.Value)
		if err != nil {
			return err
		}
		s, err := c.Strategy.With(param, x.(float64))
		if err != nil {
			return err
		}
		c.Strategy = s
		return nil
	}
	text, err := tasks.CheckSetting(a.Key, a.Value)
	if err != nil {
		return err
	}
	if c.Settings == nil {
		c.Settings = map[string]string{}
	}
	c.Settings[a.Key] = text
	return nil
}

// Resolve builds a configuration from layers of assignments: the defaults
// of the protocol they name (the last "protocol" wins; paper when none
// does), then each layer through Apply, in order (a sweep file's base, then
// one configuration's own values), then Validate.
func Resolve(layers ...[]options.Assignment) (Config, error) {
	protocol := options.Assignment{Key: "protocol", Value: "paper"}
	for _, as := range layers {
		for _, a := range as {
			if a.Key == "protocol" {
				protocol = a
			}
		}
	}
	name, err := options.String.Convert(protocol.Value)
	if err != nil {
		return Config{}, &options.Error{Assignment: protocol, Err: err}
	}
	c, err := Defaults(name.(string))
	if err != nil {
		return c, &options.Error{Assignment: protocol, Err: err}
	}
	for _, as := range layers {
		if err := Apply(&c, as); err != nil {
			return c, err
		}
	}
	return c, c.Validate()
}

// DefaultText describes an option's default under every protocol, for help
// texts: "25" when all agree, "paper 25, imdb 10" when not.
func DefaultText(o Option) string {
	if o.Name == "protocol" {
		return "paper"
	}
	var parts []string
	same := true
	var first string
	for i, p := range Protocols {
		c, _ := Defaults(p)
		v := options.Format(o.get(&c))
		if i == 0 {
			first = v
		} else if v != first {
			same = false
		}
		parts = append(parts, p+" "+v)
	}
	if same {
		return first
	}
	return strings.Join(parts, ", ")
}
