package experiments

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/mt2st/mt2st/results"
)

// Plan is the comparison matrix reproduce runs: STL on the primary task alone,
// then every strategy on every auxiliary setting, for every seed.
type Plan struct {
	Base       Config
	Settings   [][]string // task lists; a list of one task is setting 0 and runs STL only
	Strategies []string   // strategies for the settings with auxiliary tasks
	Seeds      []int64
}

// PaperPlan returns the paper's matrix: settings 0–3 (primary only, +similarity,
// +analogy, +both) × MTL, Diminish and Switch at epoch 15, plus STL.
func PaperPlan(base Config, seeds int) Plan {
	p := Plan{
		Base: base,
		Settings: [][]string{
			{"sentiment"},
			{"sentiment", "similarity"},
			{"sentiment", "analogy"},
			{"sentiment", "similarity", "analogy"},
		},
		Strategies: []string{"mtl:lambda=1", "diminish:gamma=1,eta=0.3,nu=1", "switch:epoch=15,lambda=1"},
	}
	for s := 1; s <= seeds; s++ {
		p.Seeds = append(p.Seeds, int64(s))
	}
	return p
}

// Configs expands the plan into run configurations, seeds innermost.
func (p Plan) Configs() []Config {
	var out []Config
	add := func(taskList []string, strategy string) {
		for _, seed := range p.Seeds {
			c := p.Base
			c.Tasks = taskList
			c.Strategy = strategy
			c.Seed = seed
			out = append(out, c.Canonical())
		}
	}
	for _, ts := range p.Settings {
		if len(ts) == 1 {
			add(ts, "stl")
			continue
		}
		for _, s := range p.Strategies {
			add(ts, s)
		}
	}
	return out
}

// ReproduceOptions control where results go and what is printed.
type ReproduceOptions struct {
	Out   string    // directory for records and tables
	Fresh bool      // rerun configurations that already have a finished record
	Log   io.Writer // progress lines; nil = silent
}

// Reproduce runs every configuration of the plan (reusing finished records
// found in Out unless Fresh), writes one record per run under Out/records, and
// returns every record. A failed run is recorded and does not stop the others;
// cancellation stops after writing what finished.
func Reproduce(ctx context.Context, plan Plan, data *Data, opts ReproduceOptions) ([]*results.Record, error) {
	recDir := filepath.Join(opts.Out, "records")
	if err := os.MkdirAll(recDir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", recDir, err)
	}
	logf := func(format string, args ...any) {
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, format, args...)
		}
	}
	configs := plan.Configs()
	var recs []*results.Record
	var failures []error
	start := time.Now()
	for i, c := range configs {
		c.DataDir = data.Dir
		name, err := results.RecordFileName(c.ID())
		if err != nil {
			return recs, err
		}
		path := filepath.Join(recDir, name)
		if !opts.Fresh {
			if r, err := results.ReadRecord(path); err == nil && r.Done() {
				logf("[%2d/%d] %-16s %-26s seed %d  reused %s\n", i+1, len(configs), r.Label, r.Setting, r.Seed, path)
				recs = append(recs, r)
				continue
			}
		}
		t0 := time.Now()
		tr, err := Run(ctx, c, data, Hooks{})
		if tr == nil {
			return recs, err // invalid configuration: nothing ran
		}
		if _, werr := results.WriteRecord(recDir, tr.Record); werr != nil {
			return recs, fmt.Errorf("write record: %w", werr)
		}
		recs = append(recs, tr.Record)
		if err != nil {
			failures = append(failures, err)
			logf("[%2d/%d] %-16s %-26s seed %d  FAILED: %v\n", i+1, len(configs), tr.Record.Label, tr.Record.Setting, c.Seed, err)
			if ctx.Err() != nil {
				return recs, err
			}
			continue
		}
		r := tr.Record
		logf("[%2d/%d] %-16s %-26s seed %d  test acc %.3f  train %.1fs  (%.1fs, total %s)\n",
			i+1, len(configs), r.Label, r.Setting, r.Seed, r.Final["accuracy"], r.TrainSeconds,
			time.Since(t0).Seconds(), time.Since(start).Round(time.Second))
	}
	return recs, errors.Join(failures...)
}

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
// questions (disjoint from the ones trained on), counted as evaluated (every
// word in the vocabulary) and as listed before that filter.
func SplitNotes(recs []*results.Record) []string {
	var data map[string]any
	aux := map[string]map[string]any{} // part → the first description, a trained one if any
	trained := map[string]bool{}
	baseline := false
	for _, r := range recs {
		d, _ := r.Config["describe"].(map[string]any)
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
