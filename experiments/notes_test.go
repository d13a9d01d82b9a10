package experiments

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mt2st/mt2st/results"
)

func TestSplitNotesPrintEvaluatedCounts(t *testing.T) {
	// Descriptions shaped as the tasks and the baseline write them (counts
	// made up for the test).
	sim := func(trained bool) map[string]any {
		d := map[string]any{
			"split": "S", "lists": 13, "lists_with_min_pairs": 12,
			"reported_pairs_listed": 5771, "reported_pairs_evaluated": 2978,
			"reported_pairs_evaluated_by_list": map[string]int{"EN-RG-65": 11, "EN-MC-30": 9},
		}
		if trained {
			d["train_pairs"] = 2785
		}
		return d
	}
	ana := map[string]any{"split": "A", "reported_questions_listed": 5188, "reported_questions_evaluated": 1152}
	stl := &results.Record{Describe: map[string]any{
		"data":         map[string]any{"source": "src", "val": 150, "vocab": 100, "train": 600},
		"aux_baseline": map[string]any{"similarity": sim(false), "analogy": ana},
	}}
	mtl := &results.Record{Describe: map[string]any{"similarity": sim(true)}}
	// The same records after a JSON round trip (numbers become float64).
	var back []*results.Record
	for _, r := range []*results.Record{stl, mtl} {
		b, err := json.Marshal(r.Describe)
		if err != nil {
			t.Fatal(err)
		}
		c := &results.Record{}
		if err := json.Unmarshal(b, &c.Describe); err != nil {
			t.Fatal(err)
		}
		back = append(back, c)
	}
	for _, recs := range [][]*results.Record{{stl, mtl}, back} {
		all := strings.Join(SplitNotes(recs), "\n")
		for _, want := range []string{
			"unweighted mean", "12 of 13 lists", "2978 of 5771 listed", "per list: EN-MC-30 9, EN-RG-65 11",
			"the 2785 training pairs", // the trained description wins over the baseline's
			"1152 evaluated held-out questions", "of 5188 listed",
			"vocabulary 100 words (from the 600 training reviews only)", "the baseline",
		} {
			if !strings.Contains(all, want) {
				t.Errorf("notes lack %q:\n%s", want, all)
			}
		}
	}
}
