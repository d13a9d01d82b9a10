package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
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

// parseWithArgs parses flags that may come before, between or after the
// positional arguments ("sweep run FILE -j 2") and returns the positional
// ones, checking their count.
func parseWithArgs(fs *flag.FlagSet, args []string, minArgs, maxArgs int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) < minArgs || (maxArgs >= 0 && len(pos) > maxArgs) {
		if len(pos) < minArgs {
			fmt.Fprintln(fs.Output(), "missing argument")
		} else {
			fmt.Fprintf(fs.Output(), "unexpected argument %q\n", pos[maxArgs])
		}
		fs.Usage()
		return nil, errUsage
	}
	return pos, nil
}

func runSweepPlan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sweep plan", "FILE [--json]", stderr)
	asJSON := fs.Bool("json", false, "print the trials as JSON lines (the manifest) instead of a table")
	pos, err := parseWithArgs(fs, args, 1, 1)
	if err != nil {
		return err
	}
	plan, err := sweep.Load(pos[0])
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		for _, t := range plan.Trials {
			if err := enc.Encode(t); err != nil {
				return err
			}
		}
		return nil
	}
	fmt.Fprintf(stdout, "sweep %s (%s)", plan.Name, plan.Source)
	if plan.Description != "" {
		fmt.Fprintf(stdout, ": %s", strings.TrimSpace(plan.Description))
	}
	fmt.Fprintln(stdout)
	if err := sweep.PlanTable(plan).WriteTerminal(stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d trials = %d configurations × %d replicates (sweep seed %d)\n",
		len(plan.Trials), plan.Configurations, len(plan.Replicates), plan.Seed)
	fmt.Fprintln(stdout, sweep.EpochsLine(plan))
	return nil
}

func runSweepRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sweep run", "FILE [-j N] [--out DIR] [--retry-failed]", stderr)
	jobs := fs.Int("j", 1, "worker processes; the cores are split between them (GOMAXPROCS = cores / N)")
	out := fs.String("out", "", "output directory (default runs/sweeps/<sweep name>)")
	retry := fs.Bool("retry-failed", false, "rerun trials that failed before (finished trials are never rerun)")
	ckEvery := fs.String("checkpoint-every", "", "every trial saves its exact state every N epochs or every interval (10m) and a killed trial resumes from it (overrides the file's checkpoint_every; not part of trial identity)")
	noShare := fs.Bool("no-share", false, "train every trial from epoch 1, even the epochs it shares with another trial")
	pf := addPathFlags(fs)
	pos, err := parseWithArgs(fs, args, 1, 1)
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
	dataDir, err := pf.dataDir()
	if err != nil {
		return err
	}
	cacheDir, err := pf.cacheDir()
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
		fmt.Fprintf(stdout, "\n%d trials: %d done before, %d done now, %d failed now", sum.Trials, sum.AlreadyDone, sum.Done, sum.Failed)
		if sum.AlreadyFailed > 0 {
			fmt.Fprintf(stdout, ", %d failed before (not retried: --retry-failed)", sum.AlreadyFailed)
		}
		if n := sum.Interrupted + sum.Crashed; n > 0 {
			fmt.Fprintf(stdout, ", %d stopped unfinished", n)
		}
		if sum.Busy > 0 {
			fmt.Fprintf(stdout, ", %d running elsewhere", sum.Busy)
		}
		fmt.Fprintf(stdout, "; %d epochs trained; %s.\n", sum.EpochsTrained, sum.Elapsed.Round(1e9))
		if sum.Pending() > 0 {
			fmt.Fprintf(stdout, "%d trials not finished: run the same command again to finish them.\n", sum.Pending())
		}
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
	pos, err := parseWithArgs(fs, args, 1, 1)
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
			if err := enc.Encode(statusJSON(e)); err != nil {
				return err
			}
		}
		return nil
	}
	return sweep.StatusTable(entries).WriteTerminal(stdout)
}

func statusJSON(e sweep.Entry) map[string]any {
	m := map[string]any{"id": e.ID, "state": e.State, "dir": e.Dir}
	if e.Trial != nil {
		m["index"], m["label"], m["replicate"] = e.Trial.Index, e.Trial.Label, e.Trial.Replicate
	}
	if e.Marker != nil {
		m["marker"] = e.Marker
	}
	if e.Progress != nil {
		m["progress"] = e.Progress
	}
	if e.Problem != "" {
		m["problem"] = e.Problem
	}
	return m
}

func runSweepReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sweep report", "DIR [--target X] [--format terminal|markdown|csv|latex] [--out DIR]", stderr)
	target := fs.Float64("target", 0, "validation accuracy a run must reach for time to target (default: 0.99 × STL's mean best)")
	fraction := fs.Float64("target-fraction", results.DefaultTargetFraction, "the default target as a fraction of STL's mean best validation accuracy")
	format := fs.String("format", "terminal", "what to print: terminal, markdown, csv or latex")
	reportOut := fs.String("out", "", "where report.md, report.tex, the CSV files and the plots go (default DIR/report)")
	noPlots := fs.Bool("no-plots", false, "do not draw the plots")
	spread := fs.String("spread", "ci", "± in the comparison table: ci (half-width of the 95% interval of the mean) or std (sample std over seeds)")
	band := fs.String("band", "std", "band around each mean curve: std (± 1 sample std over seeds) or ci (95% interval of the mean)")
	pos, err := parseWithArgs(fs, args, 1, 1)
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
	opts := results.ReportOptions{Target: *target, TargetFraction: *fraction, Spread: tableSpread}
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
	fs := newFlags("sweep manifest", "FILE [--out M]", stderr)
	out := fs.String("out", "", "write the manifest here (default: standard output)")
	pos, err := parseWithArgs(fs, args, 1, 1)
	if err != nil {
		return err
	}
	plan, err := sweep.Load(pos[0])
	if err != nil {
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
	if _, err := parseWithArgs(fs, args, 0, 0); err != nil {
		return err
	}
	if *manifest == "" {
		fs.Usage()
		return errUsage
	}
	i, source := *index, "--index"
	if i < 0 {
		var err error
		if i, source, err = sweep.IndexFromEnv(os.LookupEnv); err != nil {
			return err
		}
		source = "$" + source
	}
	trials, err := sweep.ReadManifest(*manifest)
	if err != nil {
		return err
	}
	if i >= len(trials) {
		return fmt.Errorf("trial index %d (from %s): the manifest has %d trials (0..%d)", i, source, len(trials), len(trials)-1)
	}
	if *out == "" {
		*out = filepath.Dir(*manifest)
	}
	dataDir, err := pf.dataDir()
	if err != nil {
		return err
	}
	t := trials[i]
	opts := sweep.WorkerOptions{Out: *out, Train: sweep.NewTrainer(dataDir, pf.cache), RetryFailed: *retry}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		opts.Events = func(e sweep.Event) { _ = enc.Encode(e) }
	} else {
		fmt.Fprintf(stdout, "mt2st sweep worker: trial %d (from %s) of %s: %s replicate %d -> %s\n", i, source, t.Sweep, t.Label, t.Replicate, sweep.TrialDir(*out, t.ID))
		opts.Events = func(e sweep.Event) {
			if e.Kind == "epoch" {
				fmt.Fprintf(stdout, "epoch %3d/%d  val acc %.4f  %.1fs\n", e.Epoch, e.Epochs, e.Val, e.Seconds)
			}
		}
	}
	end, err := sweep.RunTrial(ctx, t, opts)
	if err != nil {
		return err
	}
	if !*asJSON {
		fmt.Fprintf(stdout, "%s: %s", t.ID, end.Outcome)
		if end.Outcome == sweep.OutcomeDone {
			fmt.Fprintf(stdout, " (test acc %.4f, %.1fs)", end.Test, end.Seconds)
		}
		fmt.Fprintln(stdout)
	}
	switch end.Outcome {
	case sweep.OutcomeFailed:
		return fmt.Errorf("trial %d failed: %s", i, end.Error)
	case sweep.OutcomeInterrupted:
		return fmt.Errorf("trial %d interrupted; it is unfinished and reruns next time", i)
	case sweep.OutcomeBusy:
		return fmt.Errorf("trial %d is being run by another process", i)
	}
	return nil
}

func runSweepCollect(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sweep collect", "DIR... --out DIR", stderr)
	out := fs.String("out", "", "the merged sweep directory")
	pos, err := parseWithArgs(fs, args, 1, -1)
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
