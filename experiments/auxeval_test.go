package experiments

import (
	"context"
	"strings"
	"testing"
)

// STL with the auxiliary tasks present at weight 0 trains the same embedding
// as STL alone (TestMTLEmbeddingDiffersFromSTLAndIdleHeadsChangeNothing), so
// the baseline metrics of STL alone must equal what the idle tasks report:
// same items, same names.
func TestSTLAloneHasTheAuxiliaryMetricsOfTheTasks(t *testing.T) {
	data := testData(t)
	alone, err := Run(context.Background(), tinyConfig(t, "stl", "sentiment"), data, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	withAux, err := Run(context.Background(), tinyConfig(t, "stl", "sentiment", "similarity", "analogy"), data, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for k, want := range withAux.Record.Final {
		if !strings.HasPrefix(k, "similarity/") && !strings.HasPrefix(k, "analogy/") {
			continue
		}
		n++
		if got, ok := alone.Record.Final[k]; !ok || got != want {
			t.Errorf("STL alone: %s = %v (present %v), the idle task reports %v", k, got, ok, want)
		}
	}
	for _, k := range []string{"similarity/spearman_mean", "analogy/3cosadd", "analogy/questions"} {
		if _, ok := alone.Record.Final[k]; !ok {
			t.Errorf("STL alone lacks %s: %v", k, keys(alone.Record.Final))
		}
	}
	if n < 10 {
		t.Errorf("only %d auxiliary metrics compared", n)
	}
	d := alone.Record.Describe["aux_baseline"].(map[string]any)
	ana := d["analogy"].(map[string]any)
	if float64(ana["reported_questions_evaluated"].(int)) != alone.Record.Final["analogy/questions"] {
		t.Errorf("describe says %v evaluated questions, the metric %v", ana["reported_questions_evaluated"], alone.Record.Final["analogy/questions"])
	}
	if _, ok := withAux.Record.Describe["aux_baseline"]; ok {
		t.Error("a run with both auxiliary tasks has a baseline description: nothing should be added")
	}
}

// Without the benchmark files (the fake data has one similarity list and no
// analogy questions), the baseline evaluates what exists and says what not.
func TestBaselineWithoutAnalogyFile(t *testing.T) {
	dir := fakeData(t)
	tr, err := Run(context.Background(), fakeConfig(t, dir, "sentiment"), smallData(dir), Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	d := tr.Record.Describe["aux_baseline"].(map[string]any)
	if s, _ := d["analogy"].(string); !strings.HasPrefix(s, "not evaluated") {
		t.Errorf("analogy baseline described as %v, want a not-evaluated reason", d["analogy"])
	}
	if _, ok := tr.Record.Final["analogy/3cosadd"]; ok {
		t.Error("analogy metric without analogy questions")
	}
	if _, ok := tr.Record.Final["similarity/EN-FAKE/pairs"]; !ok {
		t.Errorf("no similarity baseline on the fake list: %v", keys(tr.Record.Final))
	}
}
