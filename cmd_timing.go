package main

import (
	"context"
	"fmt"
	"io"

	"github.com/mt2st/mt2st/experiments"
	"github.com/mt2st/mt2st/results"
)

func runTimingCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("timing-check", "[--protocol paper|imdb] [run flags] [--rounds N]", stderr)
	rf := addRunFlags(fs, "strategy")
	pf := addPathFlags(fs)
	rounds := fs.Int("rounds", 4, "runs of each side, alternating which goes first")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := resolveRun(ctx, rf, pf, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "machine: %s\ntiming check: %s protocol, encoder %s, batch %s, %d epochs; STL (%s) vs MTL (%v), %d rounds each, alternating\n",
		results.ReadMachine(1), cfg.Protocol, cfg.Encoder, batchText(cfg.Batch), cfg.Epochs, cfg.Tasks[0], cfg.Tasks, *rounds)
	w, err := experiments.CheckWorkOrder(ctx, cfg, experiments.NewData(cfg.DataDir), *rounds)
	if err != nil {
		return err
	}
	ms, mm := median(w.STL), median(w.MTL)
	for i, label := range w.Order {
		fmt.Fprintf(stdout, "run %d  %-4s median epoch %.4f s\n", i+1, label, w.RunSeconds[i])
	}
	fmt.Fprintf(stdout, "order: %v\nSTL epoch median %.4f s over %d epochs; MTL %.4f s over %d; MTL/STL %.3f (noise: relative IQR %.3f)\n",
		w.Order, ms, len(w.STL), mm, len(w.MTL), w.Ratio, w.Noise)
	if w.Violated() {
		return fmt.Errorf("MTL, which does strictly more work per step, trained %.1f%% faster than STL, beyond the noise (%.1f%%): the timing has a confound", 100*(1-w.Ratio), 100*w.Noise)
	}
	fmt.Fprintln(stdout, "ok: MTL is not faster than STL beyond the noise")
	return nil
}

func median(xs []float64) float64 {
	m, _ := experiments.MedianIQR(xs)
	return m
}
