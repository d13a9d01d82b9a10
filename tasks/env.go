package tasks

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/mt2st/mt2st/text"
)

// Document is one labelled text of the primary task, already encoded.
type Document struct {
	IDs   []int32 // vocabulary ids, at most MaxTokens of them
	Label int     // class index
}

// Documents is the primary task's data, split three ways.
type Documents struct {
	Train, Val, Test []Document
	Classes          int
	MaxTokens        int // longest allowed document (longer ones were cut)
}

// Env is what a task factory receives: the vocabulary and dimension of the
// shared embedding, where the data is, the split seed, the primary data, and
// the task settings of the run.
type Env struct {
	DataDir string
	Vocab   *text.Vocab
	Dim     int
	// SplitSeed fixes which auxiliary pairs and questions are trained on and
	// which are reported; it does not change with the run seed, so every seed
	// and strategy is scored on the same held-out items.
	SplitSeed uint64
	// Batch is the default minibatch size; 0 means full batch.
	Batch int
	// Encoder names the text encoder a primary classification task uses
	// (e.g. "bag", "bilstm"); the run's encoder option sets it.
	Encoder string
	// Documents holds the primary task's data (nil when the run has none).
	Documents *Documents
	// Settings holds task-specific options as "task.key" = value.
	Settings *Settings
	// Cache shares loaded data between tasks and between runs.
	Cache *Cache
	// Corpus returns the unlabelled texts of the corpus tasks, built on first
	// use (nil when the run has no corpus).
	Corpus func() (*Corpus, error)
	// Context, when set, is the run's context: factories doing long work
	// (such as counting co-occurrences) stop when it is cancelled.
	Context context.Context
}

// Ctx returns the run's context, or context.Background() when none is set.
func (e *Env) Ctx() context.Context {
	if e.Context == nil {
		return context.Background()
	}
	return e.Context
}

// LoadCorpus returns the run's corpus, or an error saying there is none.
func (e *Env) LoadCorpus() (*Corpus, error) {
	if e.Corpus == nil {
		return nil, fmt.Errorf("this run has no corpus of unlabelled texts")
	}
	return e.Corpus()
}

// Setting returns the settings, never nil.
func (e *Env) setting() *Settings {
	if e.Settings == nil {
		e.Settings = NewSettings(nil)
	}
	return e.Settings
}

// Int reads the integer setting task.key, or def.
func (e *Env) Int(key string, def int) (int, error) { return e.setting().Int(key, def) }

// Float reads the float setting key, or def.
func (e *Env) Float(key string, def float64) (float64, error) { return e.setting().Float(key, def) }

// String reads the string setting key, or def.
func (e *Env) String(key, def string) string { return e.setting().String(key, def) }

// Load returns the value cached under key, computing it with fn once.
func (e *Env) Load(key string, fn func() (any, error)) (any, error) {
	if e.Cache == nil {
		e.Cache = &Cache{}
	}
	return e.Cache.Load(key, fn)
}

// Cache memoises loaded data by key. It is safe for concurrent use.
type Cache struct {
	mu sync.Mutex
	m  map[string]any
}

// Load returns the value under key, computing it with fn on first use. Errors
// are not cached.
func (c *Cache) Load(key string, fn func() (any, error)) (any, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.m[key]; ok {
		return v, nil
	}
	v, err := fn()
	if err != nil {
		return nil, err
	}
	if c.m == nil {
		c.m = map[string]any{}
	}
	c.m[key] = v
	return v, nil
}

// Settings are typed task options given as key=value strings (from the CLI's
// --set or a sweep file). Every read marks its key as known, so a run can
// reject keys that no task read.
type Settings struct {
	values map[string]string
	read   map[string]bool
}

// NewSettings wraps key=value options.
func NewSettings(values map[string]string) *Settings {
	v := map[string]string{}
	for k, x := range values {
		v[k] = x
	}
	return &Settings{values: v, read: map[string]bool{}}
}

// ParseSettings parses "a.b=1,c.d=x" or repeated "key=value" items.
func ParseSettings(items []string) (*Settings, error) {
	v := map[string]string{}
	for _, item := range items {
		for _, kv := range strings.Split(item, ",") {
			if strings.TrimSpace(kv) == "" {
				continue
			}
			k, x, ok := strings.Cut(kv, "=")
			if !ok || strings.TrimSpace(k) == "" {
				return nil, fmt.Errorf("setting %q: want task.key=value", kv)
			}
			v[strings.TrimSpace(k)] = strings.TrimSpace(x)
		}
	}
	return NewSettings(v), nil
}

// Set adds or replaces a setting.
func (s *Settings) Set(key, value string) { s.values[key] = value }

// Has reports whether key was given.
func (s *Settings) Has(key string) bool { _, ok := s.values[key]; return ok }

// Values returns a copy of the settings.
func (s *Settings) Values() map[string]string {
	out := make(map[string]string, len(s.values))
	for k, v := range s.values {
		out[k] = v
	}
	return out
}

// Int reads an integer.
func (s *Settings) Int(key string, def int) (int, error) {
	s.read[key] = true
	x, ok := s.values[key]
	if !ok {
		return def, nil
	}
	if x == "full" {
		return 0, nil
	}
	n, err := strconv.Atoi(x)
	if err != nil {
		return 0, fmt.Errorf("setting %s=%q: want an integer", key, x)
	}
	return n, nil
}

// Float reads a number.
func (s *Settings) Float(key string, def float64) (float64, error) {
	s.read[key] = true
	x, ok := s.values[key]
	if !ok {
		return def, nil
	}
	f, err := strconv.ParseFloat(x, 64)
	if err != nil {
		return 0, fmt.Errorf("setting %s=%q: want a number", key, x)
	}
	return f, nil
}

// String reads a string.
func (s *Settings) String(key, def string) string {
	s.read[key] = true
	if x, ok := s.values[key]; ok {
		return x
	}
	return def
}

// Unread returns an error naming the settings no task read, listing the
// known ones, or nil.
func (s *Settings) Unread() error {
	var unknown []string
	for k := range s.values {
		if !s.read[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	known := make([]string, 0, len(s.read))
	for k := range s.read {
		known = append(known, k)
	}
	slices.Sort(known)
	return fmt.Errorf("unknown setting %s: settings of this run's tasks are %s", strings.Join(unknown, ", "), strings.Join(known, ", "))
}
