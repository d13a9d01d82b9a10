package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/mt2st/mt2st/experiments"
)

func runReproduce(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("reproduce", "[--protocol paper|imdb] [--encoder bag|bilstm] [--seeds N] [--out DIR] [flags]", stderr)
	cf := addConfigFlags(fs, false)
	seeds := fs.Int("seeds", 3, "seeds per configuration (1..N)")
	out := fs.String("out", "runs/reproduce", "directory for run records and tables")
	strategiesFlag := specList{"mtl:lambda=1", "diminish:gamma=1,eta=0.3,nu=1", "switch:epoch=15,lambda=1"}
	fs.Var(&strategiesFlag, "strategies", "strategy specs run on settings 1-3, separated by ';'")
	fresh := fs.Bool("fresh", false, "rerun configurations that already have a finished record in --out")
	quick := true
	fs.BoolFunc("full", "run the full paper protocol (BiLSTM-256, full batch) instead of the quick default", func(string) error { quick = false; return nil })
	if err := parse(fs, args); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	// The quick default: the paper's sample and schedule with the bag encoder
	// and minibatches of 32, so all 30 runs finish in a few minutes on 2 cores.
	if quick && cf.protocol == "paper" {
		if !given["encoder"] {
			cf.encoder = "bag"
		}
		if !given["batch"] {
			cf.batch = "32"
			_ = fs.Set("batch", "32")
		}
	}
	base, err := cf.resolve()
	if err != nil {
		return err
	}
	if *seeds < 1 {
		return fmt.Errorf("--seeds %d: want >= 1", *seeds)
	}
	plan := experiments.PaperPlan(base, *seeds)
	plan.Strategies = append([]string(nil), strategiesFlag...)
	if base.Protocol != "paper" {
		// Switch at 60% of the run, as the paper's 15 of 25 epochs.
		sw := max(1, base.Epochs*3/5)
		for i, s := range plan.Strategies {
			if s == "switch:epoch=15,lambda=1" {
				plan.Strategies[i] = fmt.Sprintf("switch:epoch=%d,lambda=1", sw)
			}
		}
	}
	configs := plan.Configs()
	fmt.Fprintf(stdout, "mt2st reproduce: protocol %s, encoder %s, batch %s, %d epochs, %d seeds: %d runs -> %s\n",
		base.Protocol, base.Encoder, batchText(base.Batch), base.Epochs, *seeds, len(configs), *out)
	data := experiments.NewData(base.DataDir)
	start := time.Now()
	recs, runErr := experiments.Reproduce(ctx, plan, data, experiments.ReproduceOptions{Out: *out, Fresh: *fresh, Log: stdout})
	if len(recs) > 0 {
		fmt.Fprintln(stdout)
		if err := experiments.WriteTables(stdout, *out, recs); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\nRecords: %s  Tables: %s, %s\n", filepath.Join(*out, "records"),
			filepath.Join(*out, "table.md"), filepath.Join(*out, "table.csv"))
	}
	fmt.Fprintf(stdout, "Wall time: %s\n", time.Since(start).Round(time.Second))
	if quick && base.Protocol == "paper" {
		fmt.Fprintln(stdout, "\nThis was the quick configuration. The full paper protocol (BiLSTM-256, full batch, 25 epochs):")
		fmt.Fprintln(stdout, "  go run . reproduce --full --seeds 3 --out runs/paper")
	}
	return runErr
}

func batchText(b int) string {
	if b == 0 {
		return "full"
	}
	return fmt.Sprint(b)
}
