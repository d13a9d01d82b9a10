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
