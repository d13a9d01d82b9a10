package tasks

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/mt2st/mt2st/options"
)

// Option is one setting a task reads, declared when the task registers, so
// that --set, sweep files and help can check and list it before any task is
// built. Its key on the command line is "<task>.<Key>".
type Option struct {
	Key  string // e.g. "hidden"
	Kind options.Kind
	// Default is the value used when the run does not set the option; nil
	// when it depends on other options (Help then says how).
	Default any
	Help    string
	// FullBatch lets an integer option be given as "full", meaning 0 (one
	// batch holds the whole split).
	FullBatch bool
}

// Options returns the options a registered task declares, in declaration
// order, or an error listing the registered tasks.
func Options(task string) ([]Option, error) {
	registryMu.RLock()
	r, ok := registry[task]
	registryMu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("unknown task %q: registered tasks are %s", task, strings.Join(Names(), ", "))
	}
	return slices.Clone(r.options), nil
}

// DeclareOptions adds options under a name that is not a task, for settings
// the runner reads on a task's behalf (e.g. "init", the pre-training of the
// embedding). Meant for init functions.
func DeclareOptions(owner string, opts ...Option) {
	registryMu.Lock()
	defer registryMu.Unlock()
	declared[owner] = append(declared[owner], opts...)
}

var declared = map[string][]Option{}

// LookupOption finds the declaration of "owner.key".
func LookupOption(key string) (Option, error) {
	owner, name, ok := strings.Cut(key, ".")
	if !ok || name == "" || owner == "" {
		return Option{}, fmt.Errorf("want task.key (e.g. sentiment.hidden)")
	}
	registryMu.RLock()
	r, isTask := registry[owner]
	opts := declared[owner]
	registryMu.RUnlock()
	if isTask {
		opts = r.options
	} else if opts == nil {
		return Option{}, fmt.Errorf("unknown task %q in a task setting: tasks are %s", owner, strings.Join(Names(), ", "))
	}
	for _, o := range opts {
		if o.Key == name {
			return o, nil
		}
	}
	keys := make([]string, len(opts))
	for i, o := range opts {
		keys[i] = o.Key
	}
	sort.Strings(keys)
	valid := "none"
	if len(keys) > 0 {
		valid = strings.Join(keys, ", ")
	}
	return Option{}, fmt.Errorf("%s has no option %s: its options are %s", owner, name, valid)
}

// CheckSetting checks one "task.key" setting against the task's declared
// options and returns the value in canonical text (numbers in their
// shortest form, so 0.50 and 0.5 are the same setting).
func CheckSetting(key string, value any) (string, error) {
	o, err := LookupOption(key)
	if err != nil {
		return "", err
	}
	if o.FullBatch && value == "full" {
		return "0", nil
	}
	v, err := o.Kind.Convert(value)
	if err != nil {
		return "", fmt.Errorf("%s: want %s: %w", key, o.Kind, err)
	}
	return options.Format(v), nil
}

// OptionHelp lists every declared option, one "task.key  kind  default  help"
// line each, tasks sorted.
func OptionHelp() []string {
	registryMu.RLock()
	owners := map[string][]Option{}
	for n, r := range registry {
		owners[n] = r.options
	}
	for n, o := range declared {
		owners[n] = o
	}
	registryMu.RUnlock()
	names := make([]string, 0, len(owners))
	for n := range owners {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []string
	for _, n := range names {
		for _, o := range owners[n] {
			def := "(see help)"
			if o.Default != nil {
				def = options.Format(o.Default)
			}
			out = append(out, fmt.Sprintf("%-28s %-8s %-10s %s", n+"."+o.Key, o.Kind.Word(), def, o.Help))
		}
	}
	return out
}
