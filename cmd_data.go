package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/mt2st/mt2st/datasets"
)

func runData(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("data", "--out DIR [--only imdb,word-similarity,...]", stderr)
	out := fs.String("out", "", "directory to download into (required); then use --data DIR or MT2ST_DATA=DIR")
	var only listFlag
	fs.Var(&only, "only", "download only these datasets (imdb, word-similarity, analogy, ud-english-ewt, rt-polarity)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("--out is required")
	}
	log := slog.New(slog.NewTextHandler(stdout, nil))
	if err := datasets.Fetch(ctx, *out, datasets.FetchOptions{Datasets: only, Logger: log}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "data ready in %s: use --data %s or MT2ST_DATA=%s\n", *out, *out, *out)
	return nil
}
