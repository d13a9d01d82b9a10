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
	out := fs.String("out", "", "directory to download into (default: the user cache, where every command finds it); elsewhere, use --data DIR or MT2ST_DATA=DIR")
	var only listFlag
	fs.Var(&only, "only", "download only these datasets (imdb, word-similarity, analogy, ud-english-ewt, rt-polarity)")
	if err := parse(fs, args); err != nil {
		return err
	}
	inCache := *out == ""
	if inCache {
		dir, err := datasets.CacheDir()
		if err != nil {
			return err
		}
		*out = dir
	}
	log := slog.New(slog.NewTextHandler(stdout, nil))
	opts := datasets.FetchOptions{Datasets: only, Logger: log, Progress: stderr, ProgressRedraw: isTerminal(stderr)}
	if err := datasets.Fetch(ctx, *out, opts); err != nil {
		return err
	}
	if inCache {
		fmt.Fprintf(stdout, "data ready in %s, where every command finds it\n", *out)
		return nil
	}
	fmt.Fprintf(stdout, "data ready in %s: use --data %s or MT2ST_DATA=%s\n", *out, *out, *out)
	return nil
}

const offlineHelp = "never download the data: fail, saying how to get it, when no data directory is found (also $MT2ST_OFFLINE=1, or `mt2st --offline COMMAND`)"

// offlineKey marks a context in which nothing is downloaded (the global
// --offline flag before the command name).
type offlineKey struct{}

// ensureData finds the data directory (see datasets.ResolveDirFor; nil
// markers: the training data), downloading the public originals into the
// user cache on first use, with a progress bar on stderr, unless offline
// (the flag, `mt2st --offline`, or $MT2ST_OFFLINE=1).
func ensureData(ctx context.Context, flagValue string, offline bool, markers []string, stderr io.Writer) (string, error) {
	off, _ := ctx.Value(offlineKey{}).(bool)
	return datasets.Ensure(ctx, flagValue, datasets.EnsureOptions{
		Markers: markers, Offline: offline || off, Notice: stderr,
		Fetch: datasets.FetchOptions{Progress: stderr, ProgressRedraw: isTerminal(stderr)},
	})
}
