package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/experiments"
	"github.com/mt2st/mt2st/experiments/sweep"
	"github.com/mt2st/mt2st/results"
	"github.com/mt2st/mt2st/results/plots"
)

// sweepCommands are the sub-commands of "sweep"; _worker is the hidden
// worker process "sweep run" starts.
var sweepCommands = map[string]command{
	"plan":     {"expand a sweep file and print its trials", runSweepPlan},
	"run":      {"run a sweep's unfinished trials in parallel worker processes", runSweepRun},
	"status":   {"list a sweep directory's trials: done, failed, running, unfinished, pending", runSweepStatus},
	"report":   {"aggregate a sweep directory: intervals, Δ vs STL, time to target, plots", runSweepReport},
	"manifest": {"write a sweep's trial list (JSON lines) for cluster schedulers", runSweepManifest},
	"worker":   {"run one trial of a manifest (index from --index, $SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX)", runSweepWorker},
	"collect":  {"merge sweep directories into one (finished trials only, no duplicates)", runSweepCollect},
}

func runSweep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "_worker" {
		return sweep.ServeMain(ctx, args[1:], os.Stdin, stdout, stderr, func(data, cache string) (sweep.Trainer, error) {
			dir, err := datasets.ResolveDir(data)
			if err != nil {
				return nil, err
			}
			return sweep.NewTrainer(dir, cache), nil
		})
	}
	return dispatch(ctx, "mt2st sweep", sweepCommands, args, stdout, stderr)
}

func runSweepPlan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sweep plan", "FILE [--json] [--warn-above N]", stderr)
	asJSON := fs.Bool("json", false, "print the trials as JSON lines (the manifest) instead of a table")
	warnAbove := fs.Int("warn-above", 1000, "warn on stderr when the plan has more trials than this")
	pos, err := parseArgs(fs, args, 1, 1)
	if err != nil {
		return err
	}
	plan, err := sweep.Load(pos[0])
	if err != nil {
		return err
	}
	if len(plan.Trials) > *warnAbove {
		fmt.Fprintf(stderr, "warning: %s plans %d trials, more than --warn-above %d: check the grid before running it\n", pos[0], len(plan.Trials), *warnAbove)
	}
	if *asJSON {
		return plan.WriteJSON(stdout)
	}
	return plan.WriteText(stdout)
}

func runSweepRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sweep run", "FILE [-j N] [--out DIR] [--retry-failed]", stderr)
	jobs := fs.Int("j", 1, "worker processes; the cores are split between them (GOMAXPROCS = cores / N)")
	out := fs.String("out", "", "output directory (default runs/sweeps/<sweep name>)")
	retry := fs.Bool("retry-failed", false, "rerun trials that failed before (finished trials are never rerun)")
	ckEvery := fs.String("checkpoint-every", "", "every trial saves its exact state every N epochs or every interval (10m) and a killed trial resumes from it (overrides the file's checkpoint_every; not part of trial identity)")
	noShare := fs.Bool("no-share", false, "train every trial from epoch 1, even the epochs it shares with another trial")
	pf := addPathFlags(fs)
	pos, err := parseArgs(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *jobs < 1 {
		return fmt.Errorf("-j %d: want >= 1", *jobs)
	}
	if _, _, err := experiments.ParseCheckpointEvery(*ckEvery); err != nil {
		return fmt.Errorf("--checkpoint-every: %w", err)
	}
	plan, err := sweep.Load(pos[0])
	if err != nil {
		return err
	}
	if *out == "" {
		*out = filepath.Join("runs", "sweeps", plan.Name)
	}
	dataDir, cacheDir, err := pf.dirs(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "mt2st sweep run: %s, %d trials (%d configurations × %d replicates) -> %s, -j %d\n",
		plan.Name, len(plan.Trials), plan.Configurations, len(plan.Replicates), *out, *jobs)
	sum, runErr := sweep.Run(ctx, plan, sweep.RunOptions{
		Out: *out, Jobs: *jobs, RetryFailed: *retry, DataDir: dataDir, CacheDir: cacheDir,
		SourceFile: pos[0], Display: stdout, Live: isTerminal(stdout), CheckpointEvery: *ckEvery, NoPrefixSharing: *noShare,
	})
	if sum != nil {
		sum.WriteText(stdout, "trials", *out)
		fmt.Fprintf(stdout, "Status: go run . sweep status %s\nReport: go run . sweep report %s\n", *out, *out)
	}
	return runErr
}

// isTerminal reports whether w is a terminal (a character device), where
// the progress display redraws in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0 && os.Getenv("TERM") != "dumb"
}

func runSweepStatus(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sweep status", "DIR [--json]", stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per trial")
	pos, err := parseArgs(fs, args, 1, 1)
	if err != nil {
		return err
	}
	entries, err := sweep.Status(pos[0])
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		for _, e := range entries {
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
		return nil
	}
	return sweep.StatusTable(entries).WriteTerminal(stdout)
}

func runSweepReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sweep report", "DIR [--target X] [--format terminal|markdown|csv|latex] [--out DIR]", stderr)
	target := fs.Float64("target", 0, "validation accuracy a run must reach for time to target (default: 0.99 × STL's mean best)")
	fraction := fs.Float64("target-fraction", results.DefaultTargetFraction, "the default target as a fraction of STL's mean best validation accuracy")
	margin := fs.Float64("equal-margin", results.DefaultEqualMargin, "equivalence margin on the test accuracy difference: \"equal accuracy\" when the Δ 95% interval lies inside ±margin")
	format := fs.String("format", "terminal", "what to print: terminal, markdown, csv or latex")
	reportOut := fs.String("out", "", "where report.md, report.tex, the CSV files and the plots go (default DIR/report)")
	noPlots := fs.Bool("no-plots", false, "do not draw the plots")
	spread := fs.String("spread", "ci", "± in the comparison table: ci (half-width of the 95% interval of the mean) or std (sample std over seeds)")
	band := fs.String("band", "std", "band around each mean curve: std (± 1 sample std over seeds) or ci (95% interval of the mean)")
	pos, err := parseArgs(fs, args, 1, 1)
	if err != nil {
		return err
	}
	// Every flag is checked before any work.
	f, err := results.ParseFormat(*format)
	if err != nil {
		return fmt.Errorf("--format: %w", err)
	}
	tableSpread, err := results.ParseSpread(*spread)
	if err != nil {
		return fmt.Errorf("--spread: %w", err)
	}
	bandSpread, err := results.ParseSpread(*band)
	if err != nil {
		return fmt.Errorf("--band: %w", err)
	}
	opts := results.ReportOptions{Target: *target, TargetFraction: *fraction, Spread: tableSpread, EqualMargin: *margin}
	if err := (results.ReportOptions{EqualMargin: *margin}).Validate(); err != nil {
		return fmt.Errorf("--equal-margin: %w", err)
	}
	if err := opts.Validate(); err != nil {
		return fmt.Errorf("--target/--target-fraction: %w", err)
	}
	dir := pos[0]
	if *reportOut == "" {
		*reportOut = filepath.Join(dir, "report")
	}

	rep, setting, err := sweep.Report(dir, opts)
	if err != nil {
		return err
	}
	if setting != "" && f == results.FormatTerminal {
		fmt.Fprintf(stdout, "Sweep %s: every configuration trains setting %s.\n\n", dir, setting)
	}
	if err := rep.Write(stdout, f); err != nil {
		return err
	}
	wopts := results.WriteOptions{}
	if setting != "" {
		wopts.Preamble = fmt.Sprintf("Sweep `%s`: every configuration trains setting %s.", dir, setting)
	}
	if !*noPlots {
		wopts.Plots = func(out string, rep *results.SweepReport) ([]string, error) {
			return plots.All(out, rep, plots.Options{Band: bandSpread})
		}
	}
	written, err := results.WriteSweepReport(*reportOut, rep, wopts)
	if err != nil {
		return err
	}
	if entries, err := sweep.Status(dir); err == nil {
		n := sweep.Count(entries)
		if left := n[sweep.StateUnfinished] + n[sweep.StateRunning] + n[sweep.StatePending]; left > 0 {
			fmt.Fprintf(stdout, "\nNot in this report: %d trial(s) not finished yet (sweep status %s).\n", left, dir)
		}
	}
	fmt.Fprintf(stdout, "\nWrote %d files to %s: %s\n", len(written), *reportOut, strings.Join(baseNames(written), ", "))
	return nil
}

func baseNames(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = filepath.Base(p)
	}
	return out
}

func runSweepManifest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sweep manifest", "FILE [--out M] [--data DIR]", stderr)
	out := fs.String("out", "", "write the manifest here (default: standard output)")
	pf := &pathFlags{}
	addDataFlag(fs, pf)
	pos, err := parseArgs(fs, args, 1, 1)
	if err != nil {
		return err
	}
	plan, err := sweep.Load(pos[0])
	if err != nil {
		return err
	}
	// The trial IDs include the data's fingerprint: the manifest is planned
	// on the data the workers will read.
	dataDir, err := pf.dataDir(ctx)
	if err != nil {
		return err
	}
	if err := sweep.StampData(plan, dataDir); err != nil {
		return err
	}
	if *out == "" {
		enc := json.NewEncoder(stdout)
		for _, t := range plan.Trials {
			if err := enc.Encode(t); err != nil {
				return err
			}
		}
		return nil
	}
	if err := sweep.WriteManifest(*out, plan.Trials); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %d trials (indices 0..%d) to %s\n", len(plan.Trials), len(plan.Trials)-1, *out)
	return nil
}

func runSweepWorker(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sweep worker", "--manifest M [--index I] [--out DIR] [--retry-failed]", stderr)
	manifest := fs.String("manifest", "", "the manifest (sweep manifest --out M)")
	index := fs.Int("index", -1, "trial index, from 0 (default: $SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX)")
	out := fs.String("out", "", "the sweep directory shared by all workers (default: the manifest's directory)")
	retry := fs.Bool("retry-failed", false, "rerun the trial if it failed before")
	pf := addPathFlags(fs)
	asJSON := fs.Bool("json", false, "print progress as JSON events (one per line)")
	if _, err := parseArgs(fs, args, 0, 0); err != nil {
		return err
	}
	if *manifest == "" {
		fs.Usage()
		return errUsage
	}
	// Workers of a cluster array start together: they never download (their
	// downloads would race on one cache); `mt2st data` fetches it once.
	pf.offline = true
	return sweep.WorkManifest(ctx, sweep.ManifestWork{Manifest: *manifest, Index: *index, Out: *out, RetryFailed: *retry,
		JSON: *asJSON, Trainer: func() (sweep.Trainer, error) {
			dataDir, err := pf.dataDir(ctx)
			return sweep.NewTrainer(dataDir, pf.cache), err
		}}, stdout)
}

func runSweepCollect(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sweep collect", "DIR... --out DIR", stderr)
	out := fs.String("out", "", "the merged sweep directory")
	pos, err := parseArgs(fs, args, 1, -1)
	if err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return errUsage
	}
	sum, err := sweep.Collect(*out, pos)
	if sum != nil {
		fmt.Fprintf(stdout, "collected into %s: %d copied, %d replaced a failed trial, %d already there, %d unfinished (not copied); manifest: %d trials\n",
			*out, sum.Copied, sum.Replaced, sum.AlreadyThere, sum.Unfinished, sum.Trials)
	}
	return err
}
