package experiments

import (
	"fmt"
	"sort"
	"strings"
)

// The helpers of SplitNotes: they read a record's "describe" map, whose
// values are Go ints and maps when the record was just made and float64 and
// map[string]any when it was read back from JSON.

// auxDescription returns the description of the similarity or analogy items
// a record was scored on: the task's own, else the auxiliary baseline's (a
// run without that task), and whether the run trained the task.
func auxDescription(d map[string]any, part string) (info map[string]any, trained, ok bool) {
	if info, ok := d[part].(map[string]any); ok {
		return info, true, true
	}
	if base, ok := d["aux_baseline"].(map[string]any); ok {
		if info, ok := base[part].(map[string]any); ok {
			return info, false, true
		}
	}
	return nil, false, false
}

// count formats a counted value of a description, or "?" for an old record
// that lacks it.
func count(info map[string]any, key string) string {
	v, ok := info[key]
	if !ok {
		return "?"
	}
	return fmt.Sprint(v)
}

// perList formats a map of list name → count as "EN-MC-30 9, EN-RG-65 11, ..."
// in name order, or "?" when absent.
func perList(info map[string]any, key string) string {
	var names []string
	values := map[string]string{}
	switch m := info[key].(type) {
	case map[string]int:
		for k, v := range m {
			names, values[k] = append(names, k), fmt.Sprint(v)
		}
	case map[string]any:
		for k, v := range m {
			names, values[k] = append(names, k), fmt.Sprint(v)
		}
	default:
		return "?"
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + " " + values[n]
	}
	return strings.Join(parts, ", ")
}
