package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/mt2st/mt2st/bench"
	"github.com/mt2st/mt2st/results"
)

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", "[--model bag|mtl|lstm|bilstm|all] [--steps N] [--json] [--compare torch_ref.py] | --strategies [--epochs N --epoch-steps N]", stderr)
	model := fs.String("model", "all", "model: "+strings.Join(bench.Models, ", ")+" or all")
	steps := fs.Int("steps", 0, "timed steps per model on each side (default: 30, 8 for lstm and bilstm, as torch_ref.py; with --compare at least 30 for every model)")
	warmup := fs.Int("warmup", 3, "untimed steps before timing (torch_ref.py: 3)")
	asJSON := fs.Bool("json", false, `print one JSON line per model: {"impl": "mt2st", "model": ..., "median_ms": ..., "steps": ..., "allocs_per_step": ..., "bytes_per_step": ...}`)
	memEvery := fs.Int("memory-every", 0, "print the resident set size (VmRSS, VmHWM) every N timed steps")
	compare := fs.String("compare", "", "path of torch_ref.py: alternate it with mt2st's steps (--rounds) for each model and print both spreads and the ratio mt2st/torch")
	rounds := fs.Int("rounds", 5, "--compare: alternating rounds per model (each: a chunk of mt2st steps, one torch_ref run)")
	fmaUnits := fs.Int("fma-units", 2, "FMA units per core, for the peak GFLOP/s (not in /proc/cpuinfo; 2 on recent x86 server cores)")
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
	if *rounds < 1 || *fmaUnits < 1 {
		return fmt.Errorf("--rounds and --fma-units must be >= 1")
	}
	machine := results.ReadMachine(1)
	peak, peakErr := bench.PeakOf(machine, min(runtime.GOMAXPROCS(0), runtime.NumCPU()), *fmaUnits, "/proc/cpuinfo")
	if peakErr != nil {
		fmt.Fprintf(stderr, "no FMA peak: %v\n", peakErr)
	}
	if !*asJSON {
		fmt.Fprintf(stdout, "machine: %s\n", machine)
		if peakErr == nil {
			fmt.Fprintf(stdout, "mt2st FMA peak: %s\n", peak)
		}
		if *compare != "" {
			fmt.Fprintf(stdout, "mt2st and torch_ref alternate in %d rounds per model (each round: a chunk of mt2st steps and one torch_ref run of as many timed steps after %d warm-up steps; who goes first alternates)\n", *rounds, *warmup)
		}
		fmt.Fprintln(stdout)
		fmt.Fprintf(stdout, "%-7s %6s %10s %10s %21s %11s %12s %9s", "model", "steps", "median ms", "IQR ms", "p10–p90 ms", "allocs/step", "bytes/step", "GFLOP/s")
		if *compare != "" {
			fmt.Fprintf(stdout, " | %10s %10s %21s %9s %6s", "torch ms", "IQR ms", "p10–p90 ms", "GFLOP/s", "ratio")
		}
		fmt.Fprintln(stdout)
	}
	var notes []string
	for _, name := range models {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := *steps
		if n == 0 {
			n = bench.DefaultSteps(name)
			if *compare != "" {
				n = max(n, bench.CompareSteps)
			}
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
					return json.NewEncoder(stdout).Encode(map[string]any{"model": name, "step": step, "rss_mb": round1(mem.RSSMB), "peak_mb": round1(mem.PeakMB), "machine": machine})
				}
				_, err = fmt.Fprintf(stdout, "%-7s step %6d  rss %7.1f MB  peak %7.1f MB\n", name, step, mem.RSSMB, mem.PeakMB)
				return err
			}
		}
		tm, err := bench.Start(s, *warmup)
		if err != nil {
			return err
		}
		var torch *bench.Torch
		if *compare == "" {
			if err := tm.Run(n, after); err != nil {
				return err
			}
		} else {
			if torch, err = compareRounds(ctx, tm, n, min(*rounds, n), *warmup, after, func(steps int) (bench.Torch, error) {
				t, err := bench.TorchReference(ctx, *python, *compare, name, steps, *warmup)
				if err == nil {
					fmt.Fprintf(stderr, "torch: %s\n", t.Line)
				}
				return t, err
			}); err != nil {
				return err
			}
		}
		r := tm.Result()
		line := benchLine{Result: r}
		if flops := bench.LSTMFlops(name); flops > 0 {
			line.GFLOPPerStep = round3(flops / 1e9)
			line.GFLOPS = bench.GFLOPS(flops, r.MedianMS)
			if peakErr == nil {
				p := peak
				line.Peak = &p
			}
		}
		if torch != nil {
			sp := bench.SpreadOf(torch.Times)
			line.TorchImpl, line.TorchMS, line.TorchSpread, line.Ratio = torch.Impl, sp.Median, &sp, ratio(r.MedianMS, sp.Median)
			if flops := bench.LSTMFlops(name); flops > 0 {
				line.TorchGFLOPS = bench.GFLOPS(flops, sp.Median)
				if tp, err := bench.PeakOf(machine, min(torch.Threads, runtime.NumCPU()), *fmaUnits, "/proc/cpuinfo"); err == nil {
					line.TorchPeak = &tp
				}
			}
		}
		if err := printBench(stdout, line, *asJSON); err != nil {
			return err
		}
		if line.GFLOPS > 0 && !*asJSON {
			notes = append(notes, lstmNote(name, line))
		}
	}
	if len(notes) > 0 {
		fmt.Fprintf(stdout, "\nGFLOP/s: the LSTM's GEMM flops (forward x·Wx and h·Wh, backward dA·[Wh; Wx]ᵀ and [h | x]ᵀ·dA; not the classifier,\nthe gate activations, the gather or Adam) over the median time of the whole step, so a lower bound on the GEMMs' own rate.\n")
		for _, n := range notes {
			fmt.Fprintln(stdout, n)
		}
	}
	return nil
}

// compareRounds alternates chunks of mt2st's timed steps with runs of the
// PyTorch reference, in rounds (mt2st first in even rounds, torch first in
// odd ones) that together time n steps on each side, and returns torch's
// runs merged into one (all step times, the first run's impl and threads).
func compareRounds(ctx context.Context, tm *bench.Timing, n, rounds, warmup int, after func(int) error, torch func(steps int) (bench.Torch, error)) (*bench.Torch, error) {
	var merged *bench.Torch
	for i := range rounds {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		k := n/rounds + btoi(i < n%rounds)
		runTorch := func() error {
			t, err := torch(k)
			if err != nil {
				return err
			}
			if merged == nil {
				merged = &bench.Torch{Impl: t.Impl, Model: t.Model, Threads: t.Threads}
			}
			merged.Times = append(merged.Times, t.Times...)
			merged.Steps += t.Steps
			return nil
		}
		if i%2 == 1 {
			if err := runTorch(); err != nil {
				return nil, err
			}
		}
		if err := tm.Run(k, after); err != nil {
			return nil, err
		}
		if i%2 == 0 {
			if err := runTorch(); err != nil {
				return nil, err
			}
		}
	}
	merged.MedianMS = bench.Median(merged.Times)
	return merged, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func round1(x float64) float64 { return float64(int64(x*10+0.5)) / 10 }

func round3(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 3, 64), 64)
	return v
}

// benchLine is one model's output: mt2st's result and, under --compare,
// torch's over the same rounds.
type benchLine struct {
	bench.Result
	Peak        *bench.Peak   `json:"peak,omitempty"` // the FMA peak of mt2st's cores (LSTM models)
	TorchImpl   string        `json:"torch_impl,omitempty"`
	TorchMS     float64       `json:"torch_median_ms,omitempty"`
	TorchSpread *bench.Spread `json:"torch_spread,omitempty"`
	TorchGFLOPS float64       `json:"torch_gflops,omitempty"`
	TorchPeak   *bench.Peak   `json:"torch_peak,omitempty"` // the FMA peak of torch's threads
	Ratio       float64       `json:"ratio,omitempty"`      // mt2st median / torch median
}

// printBench prints one model's line: a JSON object, or a table row with
// torch's columns when it ran.
func printBench(w io.Writer, l benchLine, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(w).Encode(l)
	}
	sp := bench.Spread{}
	if l.Spread != nil {
		sp = *l.Spread
	}
	_, err := fmt.Fprintf(w, "%-7s %6d %10.3f %10.3f %21s %11d %12d %9s", l.Model, l.Steps, l.MedianMS, sp.IQR(), spanOf(sp), l.AllocsPerStep, l.BytesPerStep, orDash(l.GFLOPS, 1))
	if err == nil && l.TorchSpread != nil {
		_, err = fmt.Fprintf(w, " | %10.3f %10.3f %21s %9s %6.3f", l.TorchMS, l.TorchSpread.IQR(), spanOf(*l.TorchSpread), orDash(l.TorchGFLOPS, 1), l.Ratio)
	}
	if err == nil {
		_, err = fmt.Fprintln(w)
	}
	return err
}

func spanOf(s bench.Spread) string { return fmt.Sprintf("%.3f–%.3f", s.P10, s.P90) }

// lstmNote is the terminal line that sets an LSTM model's GFLOP/s against
// the FMA peak.
func lstmNote(name string, l benchLine) string {
	s := fmt.Sprintf("%s: %.3f GFLOP per step; mt2st %.1f GFLOP/s", name, l.GFLOPPerStep, l.GFLOPS)
	if l.Peak != nil {
		s += fmt.Sprintf(" = %.1f%% of its peak %s", 100*l.GFLOPS/l.Peak.GFLOPS, l.Peak)
	}
	if l.TorchGFLOPS > 0 {
		s += fmt.Sprintf("; torch %.1f GFLOP/s", l.TorchGFLOPS)
		if l.TorchPeak != nil {
			s += fmt.Sprintf(" = %.1f%% of its peak %.1f GFLOP/s (%d threads)", 100*l.TorchGFLOPS/l.TorchPeak.GFLOPS, l.TorchPeak.GFLOPS, l.TorchPeak.Cores)
		}
	}
	return s
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

func orDash(x float64, prec ...int) string {
	if x == 0 {
		return "-"
	}
	p := 4
	if len(prec) > 0 {
		p = prec[0]
	}
	return strconv.FormatFloat(x, 'f', p, 64)
}
