package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/wordvec"
)

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval", "--vectors FILE [--restrict-vocab N] [--json]", stderr)
	vectors := fs.String("vectors", "", "word vectors in word2vec text (or binary) format (required)")
	restrict := fs.Int("restrict-vocab", 300000, "only the first N words (frequency order) are searched and looked up, as gensim's restrict_vocab")
	asJSON := fs.Bool("json", false, "print one JSON object")
	pf := &pathFlags{}
	addDataFlag(fs, pf)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *vectors == "" {
		return fmt.Errorf("--vectors is required")
	}
	if *restrict < 1 {
		return fmt.Errorf("--restrict-vocab %d: want >= 1", *restrict)
	}
	start := time.Now()
	v, err := wordvec.ReadFileContext(ctx, *vectors)
	if err != nil {
		return err
	}
	dir, err := ensureData(ctx, pf.data, pf.offline, datasets.EvalMarkers, stderr)
	if err != nil {
		return err
	}
	lists, err := datasets.LoadSimilarityLists(dir)
	if err != nil {
		return err
	}
	sections, err := datasets.LoadAnalogies(dir)
	if err != nil {
		return err
	}
	loaded := time.Since(start)
	rep := wordvec.Evaluate(v, lists, sections, *restrict)
	if *asJSON {
		return json.NewEncoder(stdout).Encode(rep)
	}
	fmt.Fprintf(stdout, "%s: %d words × %d dims, restrict_vocab %d (loaded in %s, evaluated in %s)\n\n",
		*vectors, v.Len(), v.Dim, *restrict, loaded.Round(time.Millisecond), (time.Since(start) - loaded).Round(time.Millisecond))
	fmt.Fprintf(stdout, "%-22s %9s %9s %7s %7s\n", "similarity list", "spearman", "pearson", "pairs", "oov")
	var sum float64
	n := 0
	for _, r := range rep.Similarity {
		fmt.Fprintf(stdout, "%-22s %9s %9s %7d %6.1f%%\n", r.Name, fmtCorr(r.Spearman), fmtCorr(r.Pearson), r.Pairs, 100*r.OOV)
		if !math.IsNaN(r.Spearman) {
			sum += r.Spearman
			n++
		}
	}
	if n > 0 {
		fmt.Fprintf(stdout, "%-22s %9.4f\n", "mean", sum/float64(n))
	}
	fmt.Fprintf(stdout, "\n%-28s %9s %9s %9s\n", "analogy section", "3CosAdd", "3CosMul", "questions")
	for _, s := range rep.Analogy.Sections {
		fmt.Fprintf(stdout, "%-28s %9.4f %9.4f %9d\n", s.Name, s.CosAdd, s.CosMul, s.Questions)
	}
	t := rep.Analogy.Total
	fmt.Fprintf(stdout, "%-28s %9.4f %9.4f %9d   (%.1f%% of questions out of vocabulary)\n", "total", t.CosAdd, t.CosMul, t.Questions, 100*t.OOV)
	return nil
}

func fmtCorr(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return fmt.Sprintf("%.4f", x)
}
