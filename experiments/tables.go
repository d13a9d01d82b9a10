package experiments

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/mt2st/mt2st/results"
)

// WriteTables prints the comparison table to w and writes table.md and
// table.csv into dir.
func WriteTables(w io.Writer, dir string, recs []*results.Record) error {
	table := results.ComparisonTable(results.GroupRecords(recs))
	table.Notes = append(table.Notes, SplitNotes(recs)...)
	if err := table.WriteTerminal(w); err != nil {
		return err
	}
	for name, write := range map[string]func(io.Writer) error{
		"table.md":  table.WriteMarkdown,
		"table.csv": table.WriteCSV,
	} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if err := write(f); err != nil {
			f.Close()
			return fmt.Errorf("write %s: %w", f.Name(), err)
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// SplitNotes explains, from the records' descriptions, what the columns were
// measured on: the reviews, and the held-out similarity pairs and analogy
// questions (disjoint from the ones trained on).
func SplitNotes(recs []*results.Record) []string {
	var notes []string
	seen := map[string]bool{}
	for _, r := range recs {
		d, _ := r.Config["describe"].(map[string]any)
		for _, part := range []string{"data", "similarity", "analogy"} {
			info, ok := d[part].(map[string]any)
			if !ok || seen[part] {
				continue
			}
			seen[part] = true
			switch part {
			case "data":
				notes = append(notes, fmt.Sprintf("Data: %v; %v validation reviews (for model selection), vocabulary %v words.", info["source"], info["val"], info["vocab"]))
			case "similarity":
				notes = append(notes, fmt.Sprintf("Mean Spearman: over the lists, on %v held-out pairs; the %v training pairs are disjoint (split %v).", info["reported_pairs"], info["train_pairs"], info["split"]))
			case "analogy":
				notes = append(notes, fmt.Sprintf("Analogy acc: 3CosAdd over the whole vocabulary on %v held-out questions; %v training questions (split %v).", info["reported_questions"], info["train_questions"], info["split"]))
			}
		}
	}
	return notes
}
