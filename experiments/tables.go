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
	groups := results.GroupRecords(recs)
	table := results.ComparisonTable(groups)
	table.Notes = append(table.Notes, SplitNotes(recs)...)
	table.Notes = append(table.Notes, results.SelectionNotes(groups)...)
	table.Notes = append(table.Notes, results.WorkOrderNotes(groups)...)
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
// questions (disjoint from the ones trained on), counted as evaluated (every
// word in the vocabulary) and as listed before that filter.
func SplitNotes(recs []*results.Record) []string {
	var data map[string]any
	aux := map[string]map[string]any{} // part → the first description, a trained one if any
	trained := map[string]bool{}
	baseline := false
	for _, r := range recs {
		d := r.Describe
		if _, ok := d["aux_baseline"]; ok {
			baseline = true
		}
		if info, ok := d["data"].(map[string]any); ok && data == nil {
			data = info
		}
		for _, part := range []string{"similarity", "analogy"} {
			if info, tr, ok := auxDescription(d, part); ok && (aux[part] == nil || tr && !trained[part]) {
				aux[part], trained[part] = info, tr
			}
		}
	}
	var notes []string
	if data != nil {
		notes = append(notes, fmt.Sprintf("Data: %v; %v validation reviews (for model selection), vocabulary %v words (from the %v training reviews only).", data["source"], data["val"], data["vocab"], data["train"]))
	}
	if info := aux["similarity"]; info != nil {
		training := ""
		if trained["similarity"] {
			training = fmt.Sprintf("; the %v training pairs are disjoint from them", info["train_pairs"])
		}
		notes = append(notes, fmt.Sprintf("Mean Spearman: the unweighted mean of Spearman's ρ over the lists whose ρ is defined "+
			"(at least 2 evaluated pairs and non-constant cosines; %v of %v lists have 2 or more), each list counting equally however few pairs it has. "+
			"Evaluated held-out pairs (both words in the vocabulary): %v of %v listed (a pair in two lists counts twice); per list: %v%s (split %v).",
			count(info, "lists_with_min_pairs"), count(info, "lists"), count(info, "reported_pairs_evaluated"), count(info, "reported_pairs_listed"),
			perList(info, "reported_pairs_evaluated_by_list"), training, info["split"]))
	}
	if info := aux["analogy"]; info != nil {
		training := ""
		if trained["analogy"] {
			training = fmt.Sprintf("; %v training questions", info["train_questions"])
		}
		notes = append(notes, fmt.Sprintf("Analogy acc: 3CosAdd over the whole vocabulary on %v evaluated held-out questions (all four words in the vocabulary) of %v listed%s (split %v).",
			count(info, "reported_questions_evaluated"), count(info, "reported_questions_listed"), training, info["split"]))
	}
	if baseline {
		notes = append(notes, "Runs without the similarity or analogy task (STL, or a setting with only one of them) are scored on the same held-out pairs and questions "+
			"(same split seed, default train fraction) with the embedding they selected: the baseline for what auxiliary training adds.")
	}
	return notes
}
