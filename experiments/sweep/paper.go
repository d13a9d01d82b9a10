package sweep

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/mt2st/mt2st/experiments"
	"github.com/mt2st/mt2st/results"
	"github.com/mt2st/mt2st/results/paperref"
)

// PaperTableName is the sweep name of the paper's table.
const PaperTableName = "paper-table"

// PaperTable is the grid of the paper's table: the reproduce matrix (STL on
// setting 0, every strategy on settings 1–3, replicates with seeds 1..N) for
// every initial embedding in Inits. It is a built-in sweep, so it runs with
// -j, resumes, and pairs its seeds across embeddings and strategies.
type PaperTable struct {
	Reproduce
	// Inits are values of the init option, one per embedding of the table
	// (a subset of paperref.PaperInits); Glove, when not empty, is the
	// word2vec file that replaces our GloVe ("glove").
	Inits []string
	Glove string
}

// CheckPaperInits checks a list of the table's inits: each one of
// paperref.PaperInits, none twice, and each one this build can pre-train
// (experiments.PretrainTasks), or glove replaced by a file.
func CheckPaperInits(inits []string, glove string) error {
	if len(inits) == 0 {
		return fmt.Errorf("inits: none given; the paper's are %s", strings.Join(paperref.PaperInits, ","))
	}
	for i, in := range inits {
		if !slices.Contains(paperref.PaperInits, in) {
			return fmt.Errorf("inits: %q is not an embedding of the paper's table; valid: %s", in, strings.Join(paperref.PaperInits, ","))
		}
		if slices.Contains(inits[:i], in) {
			return fmt.Errorf("inits: %s listed twice", in)
		}
		if in == "glove" && glove != "" {
			continue
		}
		if !slices.Contains(experiments.PretrainTasks, in) {
			var have []string
			for _, p := range paperref.PaperInits {
				if slices.Contains(experiments.PretrainTasks, p) {
					have = append(have, p)
				}
			}
			return fmt.Errorf("inits: this build cannot pre-train %s; choose a subset with --inits (available: %s)", in, strings.Join(have, ","))
		}
	}
	return nil
}

// File returns the sweep file: Reproduce's configurations once per init.
func (p PaperTable) File() (*File, error) {
	if err := CheckPaperInits(p.Inits, p.Glove); err != nil {
		return nil, err
	}
	for _, a := range p.Base {
		if a.Key == "init" {
			return nil, fmt.Errorf("init: the paper table sets it for every run (choose embeddings with --inits, a GloVe file with --glove)")
		}
	}
	f, err := p.Reproduce.File()
	if err != nil {
		return nil, err
	}
	embs, err := p.Embeddings()
	if err != nil {
		return nil, err
	}
	f.Path, f.Name = "reproduce --paper-table (built in)", PaperTableName
	f.Description = "the paper's table: for every initial embedding, " + f.Description
	configs := f.Include
	f.Include = nil
	for _, e := range embs {
		for _, c := range configs {
			f.Include = append(f.Include, append(slices.Clip(c), Assignment{Option: "init", Value: e.Init}))
		}
	}
	return f, nil
}

// Embeddings returns the table's embeddings for Inits and Glove.
func (p PaperTable) Embeddings() ([]paperref.Embedding, error) {
	return paperref.Embeddings(p.Inits, p.Glove)
}

// PaperRecords keeps the records of the plan's trials, so that runs of
// another configuration left in the same directory stay out of the table.
func PaperRecords(plan *Plan, recs []*results.Record) []*results.Record {
	ids := map[string]bool{}
	for _, t := range plan.Trials {
		ids[t.ID] = true
	}
	var out []*results.Record
	for _, r := range recs {
		if r != nil && ids[r.ID] {
			out = append(out, r)
		}
	}
	return out
}

// PaperEpochSeconds is the wall time per epoch of the full paper protocol
// (BiLSTM-256, full batch, 600 training reviews) on the 2-core development
// machine (AMD EPYC, 2026-12-01), evaluation included, at reproduce's
// default of one worker per core: `reproduce --full --seeds 3` trained 840
// epochs in 28 min 46 s (README, "The paper's protocol"), 1,726 s / 840 =
// 2.05 s.
const PaperEpochSeconds = 2.05

// PaperBusyEpochSeconds is the same epoch on that machine while several
// others built and trained on it (load average 15 on 2 cores): `train
// --epochs 3` of STL and of MTL on setting 3, run alternately twice, took
// 11–20 s per training epoch (mean 15) plus about 3 s of evaluation.
const PaperBusyEpochSeconds = 18.0

// Pre-training is not in the estimate: `--init skipgram` pre-trains 3
// epochs on IMDB train+unsup (51,917 words) once; later runs read the
// cache. With word2vec's own loop that took 485 s on the shared machine.

// Estimate is the plan's compute at secondsPerEpoch, one worker: the
// epochs to train (shared prefixes trained once) times the epoch's time.
// Pre-training each init once (cached afterwards) comes on top.
func Estimate(plan *Plan, secondsPerEpoch float64) time.Duration {
	return time.Duration(float64(plan.EpochsToTrain) * secondsPerEpoch * float64(time.Second))
}

// WritePaperPlan says what the paper table will run: trials, epochs and
// the estimated compute on a quiet and on a busy machine.
func WritePaperPlan(w io.Writer, plan *Plan, inits []string, seeds int) error {
	_, err := fmt.Fprintf(w, "paper table: %d embeddings (%s) × %d configurations × %d replicates = %d trials, %d epochs each\n"+
		"%s\n"+
		"estimated wall time on the 2-core development machine, one worker per core: %s when it is quiet (%.2f s per epoch, README), "+
		"%s while others use it (%.0f s per epoch, measured at load average 15);\n"+
		"  pre-training each embedding once (then cached in --cache) comes on top: the skip-gram pre-training took 8 min on the shared machine.\n",
		len(inits), strings.Join(inits, ","), plan.Configurations/max(1, len(inits)), seeds, len(plan.Trials), plan.Trials[0].Config.Epochs,
		EpochsLine(plan), hours(Estimate(plan, PaperEpochSeconds)), PaperEpochSeconds,
		hours(Estimate(plan, PaperBusyEpochSeconds)), PaperBusyEpochSeconds)
	return err
}

// hours prints a long duration as "1.4 h", a short one as "43 min".
func hours(d time.Duration) string {
	if d < 30*time.Second {
		return "under 1 min"
	}
	if d < time.Hour {
		return fmt.Sprintf("%.0f min", d.Minutes())
	}
	return fmt.Sprintf("%.1f h", d.Hours())
}

// WritePaperTable prints the paper's table of the plan's records to w and
// writes it to dir/paper_table.md and dir/paper_table.csv; it returns the
// two paths.
func WritePaperTable(w io.Writer, dir string, plan *Plan, embs []paperref.Embedding, recs []*results.Record) ([]string, error) {
	table, err := paperref.Table(PaperRecords(plan, recs), embs)
	if err != nil {
		return nil, err
	}
	if err := table.WriteTerminal(w); err != nil {
		return nil, err
	}
	var paths []string
	for _, out := range []struct {
		name  string
		write func(io.Writer) error
	}{{"paper_table.md", table.WriteMarkdown}, {"paper_table.csv", table.WriteCSV}} {
		path := filepath.Join(dir, out.name)
		f, err := os.Create(path)
		if err != nil {
			return nil, fmt.Errorf("paper table: %w", err)
		}
		if err := out.write(f); err != nil {
			f.Close()
			return nil, fmt.Errorf("write %s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("write %s: %w", path, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}
