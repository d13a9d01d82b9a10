package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/mt2st/mt2st/bench"
	"github.com/mt2st/mt2st/results"
)

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", "[--model bag|mtl|lstm|bilstm|all] [--steps N] [--json] [--compare torch_ref.py] | --strategies [--epochs N --epoch-steps N]", stderr)
	model := fs.String("model", "all", "model: "+strings.Join(bench.Models, ", ")+" or all")
	steps := fs.Int("steps", 0, "timed steps per model (default: 30, 8 for lstm and bilstm, as torch_ref.py)")
	warmup := fs.Int("warmup", 3, "untimed steps before timing (torch_ref.py: 3)")
	asJSON := fs.Bool("json", false, `print one JSON line per model: {"impl": "mt2st", "model": ..., "median_ms": ..., "steps": ..., "allocs_per_step": ..., "bytes_per_step": ...}`)
	memEvery := fs.Int("memory-every", 0, "print the resident set size (VmRSS, VmHWM) every N timed steps")
	compare := fs.String("compare", "", "path of torch_ref.py: run it for each model right after mt2st's timing and print the ratio mt2st/torch")
	python := fs.String("python", "/usr/bin/python3", "the Python that runs --compare (Debian's python3-torch)")
	seed := fs.Uint64("seed", 1, "seed of the initial values and the synthetic data")
	strat := fs.Bool("strategies", false, "time epochs of the mtl model under STL, MTL, Diminish, Switch and the adaptive strategies instead (adaptive: overhead over MTL)")
	epochs := fs.Int("epochs", 10, "--strategies: epochs per strategy")
	epochSteps := fs.Int("epoch-steps", 100, "--strategies: training steps per epoch")
	var specs specList
	fs.Var(&specs, "strategy", "--strategies: ';'-separated specs (default: "+strings.Join(bench.DefaultStrategies, "; ")+")")
	skipBelow := fs.Float64("skip-below", 1e-4, "--strategies: auxiliary weights below this are not run (as in train)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *strat {
		return benchStrategies(ctx, bench.StrategyOptions{Specs: specs, Epochs: *epochs, Steps: *epochSteps, SkipBelow: *skipBelow, Seed: *seed}, *asJSON, stdout)
	}
	models := bench.Models
	if *model != "all" {
		if !slices.Contains(bench.Models, *model) {
			return fmt.Errorf("--model %q: valid models are %s, all", *model, strings.Join(bench.Models, ", "))
		}
		models = []string{*model}
	}
	if *steps < 0 || *warmup < 0 || *memEvery < 0 {
		return fmt.Errorf("--steps, --warmup and --memory-every must be >= 0")
	}
	if !*asJSON {
		fmt.Fprintf(stdout, "machine: %s\n\n", results.ReadMachine(1))
		fmt.Fprintf(stdout, "%-7s %10s %6s %11s %12s", "model", "median ms", "steps", "allocs/step", "bytes/step")
		if *compare != "" {
			fmt.Fprintf(stdout, " %10s %6s", "torch ms", "ratio")
		}
		fmt.Fprintln(stdout)
	}
	for _, name := range models {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := *steps
		if n == 0 {
			n = bench.DefaultSteps(name)
		}
		s, err := bench.New(name, *seed)
		if err != nil {
			return err
		}
		var after func(int) error
		if *memEvery > 0 {
			after = func(step int) error {
				if step%*memEvery != 0 && step != n {
					return nil
				}
				mem, err := bench.ReadMemory()
				if err != nil {
					return err
				}
				if *asJSON {
					return json.NewEncoder(stdout).Encode(map[string]any{"model": name, "step": step, "rss_mb": round1(mem.RSSMB), "peak_mb": round1(mem.PeakMB)})
				}
				_, err = fmt.Fprintf(stdout, "%-7s step %6d  rss %7.1f MB  peak %7.1f MB\n", name, step, mem.RSSMB, mem.PeakMB)
				return err
			}
		}
		r, err := bench.Measure(s, *warmup, n, after)
		if err != nil {
			return err
		}
		var torchMS float64
		if *compare != "" {
			var line string
			if torchMS, line, err = bench.TorchReference(ctx, *python, *compare, name, *steps, *warmup); err != nil {
				return err
			}
			fmt.Fprintf(stderr, "torch: %s\n", line)
		}
		if err := printBench(stdout, r, torchMS, *asJSON); err != nil {
			return err
		}
	}
	return nil
}

func round1(x float64) float64 { return float64(int64(x*10+0.5)) / 10 }

// printBench prints one model's result, with the torch median and the ratio
// when torchMS > 0.
func printBench(w io.Writer, r bench.Result, torchMS float64, asJSON bool) error {
	if asJSON {
		line := struct {
			bench.Result
			TorchMS float64 `json:"torch_median_ms,omitempty"`
			Ratio   float64 `json:"ratio,omitempty"`
		}{Result: r}
		if torchMS > 0 {
			line.TorchMS, line.Ratio = torchMS, ratio(r.MedianMS, torchMS)
		}
		return json.NewEncoder(w).Encode(line)
	}
	_, err := fmt.Fprintf(w, "%-7s %10.3f %6d %11d %12d", r.Model, r.MedianMS, r.Steps, r.AllocsPerStep, r.BytesPerStep)
	if err == nil && torchMS > 0 {
		_, err = fmt.Fprintf(w, " %10.3f %6.2f", torchMS, ratio(r.MedianMS, torchMS))
	}
	if err == nil {
		_, err = fmt.Fprintln(w)
	}
	return err
}

func ratio(a, b float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(a/b, 'f', 3, 64), 64)
	return v
}

func benchStrategies(ctx context.Context, opts bench.StrategyOptions, asJSON bool, stdout io.Writer) error {
	machine := results.ReadMachine(1)
	if !asJSON {
		fmt.Fprintf(stdout, "machine: %s\n", machine)
		fmt.Fprintf(stdout, "mtl model (bag sentiment + skip-gram + similarity, torch_ref shapes), %d epochs of %d steps per strategy, epochs interleaved across strategies\n\n", opts.Epochs, opts.Steps)
		fmt.Fprintf(stdout, "%-34s %5s %-31s %8s\n", "strategy", "epoch", "ran", "seconds")
		opts.Epoch = func(strategy string, e bench.Epoch) {
			fmt.Fprintf(stdout, "%-34s %5d %-31s %8.3f\n", strategy, e.Epoch, strings.Join(e.Ran, ","), e.Seconds)
		}
	}
	runs, err := bench.Strategies(ctx, opts)
	if err != nil {
		return err
	}
	saving, ok := bench.CompareSaving(runs)
	overhead := bench.CompareOverhead(runs)
	if asJSON {
		out := map[string]any{"machine": machine, "runs": runs}
		if ok {
			out["saving"] = saving
		}
		if len(overhead) > 0 {
			out["adaptive_overhead"] = overhead
		}
		return json.NewEncoder(stdout).Encode(out)
	}
	fmt.Fprintf(stdout, "\n%-34s %8s %16s %18s\n", "strategy", "total s", "s/epoch with aux", "s/epoch primary only")
	for _, r := range runs {
		fmt.Fprintf(stdout, "%-34s %8.3f %16s %18s\n", r.Strategy, r.TotalSeconds, orDash(r.WithAuxSeconds), orDash(r.PrimaryOnlySeconds))
	}
	if ok {
		fmt.Fprintf(stdout, "\nMT2ST epochs in which no auxiliary task ran (%d): median %.4f s vs STL's same epochs %.4f s (ratio %.3f)\n",
			saving.ZeroWeightEpochs, saving.ZeroWeightSeconds, saving.STLSeconds, saving.ZeroVsSTL)
		fmt.Fprintf(stdout, "MT2ST epochs in which auxiliary tasks ran (%d):    median %.4f s vs MTL's same epochs %.4f s (ratio %.3f)\n",
			saving.WeightedEpochs, saving.WeightedSeconds, saving.MTLSeconds, saving.WeightedVsMTL)
	}
	if len(overhead) > 0 {
		fmt.Fprintf(stdout, "\nadaptive strategies: median s/epoch with auxiliary tasks vs MTL's same epochs (interleaved; a shared machine moves both alike)\n")
		fmt.Fprintf(stdout, "%-16s %-44s %7s %9s %9s %7s\n", "label", "strategy", "epochs", "s/epoch", "MTL s", "ratio")
		for _, o := range overhead {
			fmt.Fprintf(stdout, "%-16s %-44s %7d %9.4f %9.4f %7.3f\n", o.Label, o.Strategy, o.Epochs, o.Seconds, o.MTLSeconds, o.Ratio)
		}
	}
	return nil
}

func orDash(x float64) string {
	if x == 0 {
		return "-"
	}
	return strconv.FormatFloat(x, 'f', 4, 64)
}
