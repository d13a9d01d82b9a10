// Command pretrain runs mt2st's --init pre-training alone, on the corpus a
// run with --protocol imdb --val-fraction 0 would use (IMDB train + unsup,
// reviews equal to a test review left out: the corpus of
// scripts/gensim_word2vec.py), writes the table in word2vec text format and
// prints one JSON line: seconds (everything, data loading included) and, for
// the word2vec loop, train_seconds and train_cpu_seconds (the loop alone). scripts/compare_word2vec.sh runs
// it beside gensim.
//
//	go run ./scripts/pretrain --init skipgram --set init.epochs=1 --out runs/compare/mt2st-sg.txt
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/experiments"
	"github.com/mt2st/mt2st/options"
	"github.com/mt2st/mt2st/tasks/glove"
	"github.com/mt2st/mt2st/tasks/word2vec"
	"github.com/mt2st/mt2st/wordvec"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "pretrain:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	data := flag.String("data", "", "data directory (default $MT2ST_DATA or ../shared/data)")
	init := flag.String("init", "skipgram", "the pre-training task: skipgram, cbow, fasttext-sg, fasttext-cbow or glove")
	set := flag.String("set", "", "comma-separated KEY=VALUE settings (init.*, skipgram.*, cbow.*, fasttext-sg.*, fasttext-cbow.*, glove.*)")
	dim := flag.Int("dim", 100, "dimension")
	out := flag.String("out", "", "write the vectors here (word2vec text format)")
	countOnly := flag.Bool("count-only", false, "glove: count the co-occurrences only, print the time and the count")
	flag.Parse()

	// The run-option path every entry point takes: the imdb protocol's
	// defaults, then these flags, checked against the option table.
	as := []options.Assignment{{Key: "protocol", Value: "imdb"}, {Key: "init", Value: *init},
		{Key: "dim", Value: fmt.Sprint(*dim)}, {Key: "val_fraction", Value: "0"}}
	sets, err := options.ParseAssignments([]string{*set}, "--set")
	if err != nil {
		return err
	}
	cfg, err := experiments.Resolve(append(as, sets...))
	if err != nil {
		return err
	}
	dir, err := datasets.ResolveDir(*data)
	if err != nil {
		return err
	}
	cfg.DataDir = dir
	p, err := experiments.PretrainConfig(cfg)
	if err != nil {
		return err
	}
	if *countOnly {
		return countGlove(ctx, p, dir)
	}
	start := time.Now()
	report := map[string]any{"init": *init, "settings": p.Settings, "epochs": p.Epochs, "lr": p.LR}
	var v *wordvec.Vectors
	if p.Settings["init.optimizer"] == "sgd" {
		var st word2vec.Stats
		v, st, err = experiments.PretrainSGD(context.Background(), p, experiments.NewData(dir))
		report["train_seconds"], report["train_cpu_seconds"], report["threads"] = st.Seconds, st.CPUSeconds, st.Threads
		report["kernel"] = word2vec.Kernel()
	} else {
		v, _, _, err = experiments.Pretrain(context.Background(), p, experiments.NewData(dir), "")
	}
	if err != nil {
		return err
	}
	report["seconds"], report["words"], report["dim"] = time.Since(start).Seconds(), v.Len(), v.Dim
	if *out != "" {
		if err := v.WriteFile(*out); err != nil {
			return err
		}
	}
	return json.NewEncoder(os.Stdout).Encode(report)
}

// countGlove builds the corpus of p and counts its co-occurrences with
// glove.window (for timing and peak memory, e.g. under /usr/bin/time -v).
func countGlove(ctx context.Context, p experiments.Config, dir string) error {
	if p.Tasks[0] != "glove" {
		return fmt.Errorf("--count-only is for --init glove")
	}
	data := experiments.NewData(dir)
	prep, err := data.Prepare(ctx, p)
	if err != nil {
		return err
	}
	c, err := data.Corpus(ctx, prep)
	if err != nil {
		return err
	}
	cfg := glove.DefaultConfig()
	if w, ok := p.Settings["glove.window"]; ok {
		if cfg.Window, err = strconv.Atoi(w); err != nil {
			return fmt.Errorf("glove.window %q: %w", w, err)
		}
	}
	start := time.Now()
	cooc, err := glove.CountWithProgress(ctx, c, cfg.Window, 0, func(done, total int) {
		fmt.Fprintf(os.Stderr, "counting: %d of %d documents\n", done, total)
	})
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"count_seconds": time.Since(start).Seconds(), "nonzero": cooc.Len(), "tokens": len(c.IDs), "window": cfg.Window,
	})
}
