package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/mt2st/mt2st/experiments"
	"github.com/mt2st/mt2st/results"
	"github.com/mt2st/mt2st/tasks"
)

func runTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("train", "--strategy SPEC [--tasks sentiment,similarity,analogy] [flags]", stderr)
	rf := addRunFlags(fs)
	pf := addPathFlags(fs)
	out := fs.String("out", "runs/train", "directory for the run record")
	saveVectors := fs.String("save-vectors", "", "write the trained embedding to this file (word2vec text format)")
	asJSON := fs.Bool("json", false, "print the run record as JSON instead of tables")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := resolveRun(ctx, rf, pf, func() error {
		if err := results.CheckWritable(*out); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		if *saveVectors != "" {
			if err := results.CheckWritableFile(*saveVectors); err != nil {
				return fmt.Errorf("--save-vectors: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	data := experiments.NewData(cfg.DataDir)
	hooks := experiments.Hooks{}
	if cfg.CheckpointEvery != "" { // the same command, rerun, resumes from the newest checkpoint
		hooks.Checkpoints = &experiments.Checkpoints{Dir: filepath.Join(*out, "checkpoints", cfg.ID())}
	}
	if !*asJSON {
		fmt.Fprintf(stdout, "mt2st train: %s, primary task %s, auxiliary %s, strategy %s, encoder %s, seed %d\n",
			cfg.Protocol, cfg.Tasks[0], orNone(cfg.Tasks[1:]), cfg.Strategy, cfg.Encoder, cfg.Seed)
		hooks.Epoch = func(e results.Epoch) {
			score := fmt.Sprintf("loss %s %.4f", cfg.Tasks[0], e.Loss[cfg.Tasks[0]])
			for _, k := range []string{"accuracy", cfg.Tasks[0] + "/accuracy"} {
				if v, ok := e.Val[k]; ok {
					score = fmt.Sprintf("val acc %.4f", v)
					break
				}
			}
			fmt.Fprintf(stdout, "epoch %3d  ran %-30s  %s  %.2fs\n", e.Epoch, strings.Join(e.Ran, ","), score, e.Seconds)
		}
	}
	tr, runErr := experiments.Run(ctx, cfg, data, hooks)
	if tr == nil {
		return runErr
	}
	path, keptDone, err := results.WriteRunRecord(*out, tr.Record)
	if err != nil {
		return fmt.Errorf("write record: %w", err)
	}
	if runErr != nil {
		if keptDone != "" {
			fmt.Fprintf(stderr, "run failed; the finished record %s is kept, this attempt's %d epochs are in %s\n", keptDone, len(tr.Record.Epochs), path)
		} else {
			fmt.Fprintf(stderr, "run failed; the %d finished epochs are in %s\n", len(tr.Record.Epochs), path)
		}
		return runErr
	}
	if *saveVectors != "" {
		v, err := tasks.TrainedVectors(tr.Tasks[0], tr.Model, tr.Data.Vocab)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(*saveVectors), 0o755); err != nil {
			return err
		}
		if err := v.WriteFile(*saveVectors); err != nil {
			return fmt.Errorf("save vectors: %w", err)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(tr.Record)
	}
	fmt.Fprintln(stdout)
	if err := results.EpochTable(tr.Record).WriteTerminal(stdout); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "\nfinal (test split, selected epoch", tr.Record.SelectedEpoch, "):")
	// Each task's own metrics ("accuracy", "pos/accuracy",
	// "analogy/3cosadd"), not the per-list and per-section breakdowns the
	// record also holds.
	keys := make([]string, 0, len(tr.Record.Final))
	for k := range tr.Record.Final {
		if strings.Count(k, "/") <= 1 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(stdout, "  %-28s %s\n", k, results.FormatMetric(k, tr.Record.Final[k]))
	}
	fmt.Fprintf(stdout, "training %.2fs (%.3fs per epoch), evaluation %.2fs\nrecord: %s\n",
		tr.Record.TrainSeconds, tr.Record.TrainSeconds/float64(len(tr.Record.Epochs)), tr.Record.EvalSeconds, path)
	if *saveVectors != "" {
		fmt.Fprintf(stdout, "vectors: %s\n", *saveVectors)
	}
	return nil
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ",")
}
