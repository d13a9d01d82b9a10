package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/mt2st/mt2st/experiments"
	"github.com/mt2st/mt2st/experiments/sweep"
	"github.com/mt2st/mt2st/options"
	"github.com/mt2st/mt2st/results/paperref"
	"github.com/mt2st/mt2st/strategies"
)

func runReproduce(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("reproduce", "[--protocol paper|imdb] [--encoder bag|bilstm] [--seeds N] [-j N] [--out DIR] [flags]\n"+
		"       mt2st reproduce --paper-table [--inits LIST] [--glove PATH] [--plan] [--seeds N] [-j N] [--out DIR] [flags]", stderr)
	rf := addRunFlags(fs, "tasks", "strategy", "seed")
	pf := addPathFlags(fs)
	seeds := fs.Int("seeds", 3, "replicates per configuration, with seeds 1..N")
	jobs := fs.Int("j", runtime.NumCPU(), "worker processes (the cores are split between them; default: one per core)")
	out := fs.String("out", "runs/reproduce", "the sweep directory: trials/<id>/ per run, table.md, table.csv")
	specs := specList(sweep.PaperStrategies)
	fs.Var(&specs, "strategies", "strategy specs run on settings 1-3, separated by ';'")
	fresh := fs.Bool("fresh", false, "rerun the runs that already finished in --out")
	noShare := fs.Bool("no-share", false, "train every run from epoch 1, even the epochs Switch shares with MTL (the same records, more time)")
	varyData := fs.Bool("vary-data", false, "replicate r also samples its own reviews and splits (data and split seeds + r-1), so intervals cover the data's noise")
	quick := true
	fs.BoolFunc("full", "run the full paper protocol (BiLSTM-256, full batch) instead of the quick default", func(string) error { quick = false; return nil })
	paperTable := fs.Bool("paper-table", false, "the paper's table: the matrix for every initial embedding of --inits under the full paper protocol, "+
		"beside the reference code's logged accuracies (DIR/paper_table.md, .csv)")
	inits := fs.String("inits", strings.Join(paperref.PaperInits, ","), "with --paper-table: the initial embeddings, a subset of the default")
	glove := fs.String("glove", "", "with --paper-table: a word2vec file (e.g. glove-twitter-100) replacing our GloVe in the glove rows")
	planOnly := fs.Bool("plan", false, "with --paper-table: print the trials and the estimated compute, and run nothing")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *jobs < 1 {
		return fmt.Errorf("-j %d: want >= 1", *jobs)
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if !*paperTable {
		for _, name := range []string{"inits", "glove", "plan"} {
			if given[name] {
				return fmt.Errorf("--%s: only with --paper-table", name)
			}
		}
	} else {
		if given["strategies"] {
			return errors.New("--strategies: the paper table runs the paper's strategies")
		}
		if !protocolIs(rf.assignments, "paper") {
			return errors.New("--protocol: the paper table runs the paper protocol")
		}
		quick = false
	}
	initList := splitList(*inits)
	gloveFile := *glove
	var err error
	if gloveFile != "" {
		if gloveFile, err = filepath.Abs(gloveFile); err != nil {
			return fmt.Errorf("--glove: %w", err)
		}
		if st, err := os.Stat(gloveFile); err != nil || st.IsDir() {
			return fmt.Errorf("--glove %s: want a word2vec file (text or binary)", *glove)
		}
	}
	var parsed []strategies.Spec
	for _, s := range specs {
		sp, err := strategies.ParseSpec(s)
		if err != nil {
			return fmt.Errorf("--strategies: %w", err)
		}
		parsed = append(parsed, sp)
	}
	base := rf.assignments
	// The quick default: the paper's sample and schedule with the bag encoder
	// and minibatches of 32, so all 30 runs finish in well under a minute.
	if quick && protocolIs(base, "paper") {
		for _, d := range []options.Assignment{{Key: "encoder", Value: "bag"}, {Key: "batch", Value: "32"}} {
			if !rf.given(d.Key) {
				d.Source = "the quick configuration"
				base = append([]options.Assignment{d}, base...)
			}
		}
	}
	repro := sweep.Reproduce{Base: base, Seeds: *seeds, Strategies: parsed, VaryData: *varyData}
	paper := sweep.PaperTable{Reproduce: repro, Inits: initList, Glove: gloveFile}
	var file *sweep.File
	if *paperTable {
		file, err = paper.File()
	} else {
		file, err = repro.File()
	}
	if err != nil {
		return err
	}
	plan, err := sweep.Expand(file)
	if err != nil {
		return err
	}
	if *paperTable {
		if err := sweep.WritePaperPlan(stdout, plan, initList, *seeds); err != nil {
			return err
		}
		if *planOnly {
			return nil
		}
	}
	dataDir, cacheDir, err := pf.dirs(ctx)
	if err != nil {
		return err
	}
	if err := sweep.StampData(plan, dataDir); err != nil {
		return err
	}
	if *fresh {
		for _, t := range plan.Trials {
			if err := os.RemoveAll(sweep.TrialDir(*out, t.ID)); err != nil {
				return fmt.Errorf("--fresh: %w", err)
			}
		}
	}
	c := plan.Trials[0].Config
	fmt.Fprintf(stdout, "mt2st reproduce: protocol %s, encoder %s, batch %s, %d epochs, %d seeds: %d runs -> %s, -j %d\n",
		c.Protocol, c.Encoder, batchText(c.Batch), c.Epochs, *seeds, len(plan.Trials), *out, *jobs)
	start := time.Now()
	sum, runErr := sweep.Run(ctx, plan, sweep.RunOptions{Out: *out, Jobs: *jobs, DataDir: dataDir, CacheDir: cacheDir,
		Display: stdout, Live: isTerminal(stdout), NoPrefixSharing: *noShare})
	recs, _, err := sweep.Records(*out)
	if err != nil {
		return errors.Join(runErr, err)
	}
	if len(recs) > 0 {
		fmt.Fprintln(stdout)
		if *paperTable {
			embs, err := paper.Embeddings()
			if err != nil {
				return errors.Join(runErr, err)
			}
			paths, err := sweep.WritePaperTable(stdout, *out, plan, embs, recs)
			if err != nil {
				return errors.Join(runErr, err)
			}
			fmt.Fprintf(stdout, "\nRecords: %s  Tables: %s\n", filepath.Join(*out, sweep.TrialsDir), strings.Join(paths, ", "))
		} else {
			if err := experiments.WriteTables(stdout, *out, recs); err != nil {
				return errors.Join(runErr, err)
			}
			fmt.Fprintf(stdout, "\nRecords: %s  Tables: %s, %s\n", filepath.Join(*out, sweep.TrialsDir),
				filepath.Join(*out, "table.md"), filepath.Join(*out, "table.csv"))
		}
	}
	if sum != nil {
		sum.WriteText(stdout, "runs", *out)
	}
	fmt.Fprintf(stdout, "Wall time: %s\n", time.Since(start).Round(time.Second))
	if quick && c.Protocol == "paper" {
		fmt.Fprintln(stdout, "\nThis was the quick configuration. The full paper protocol (BiLSTM-256, full batch, 25 epochs):")
		fmt.Fprintln(stdout, "  go run . reproduce --full --seeds 3 --out runs/paper")
	}
	return runErr
}

// protocolIs reports whether the last protocol assignment names p.
func protocolIs(as []options.Assignment, p string) bool {
	last := "paper"
	for _, a := range as {
		if a.Key == "protocol" {
			last = options.Format(a.Value)
		}
	}
	return last == p
}

// splitList splits a comma-separated flag value, dropping empty entries.
func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
