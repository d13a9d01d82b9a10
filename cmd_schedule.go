package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mt2st/mt2st/strategies"
)

// maxScheduleEpochs bounds --epochs: the table is built in memory (about
// 200 bytes per epoch), and no training run is anywhere near this long.
const maxScheduleEpochs = 100_000

func runSchedule(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("schedule", "--strategy SPEC --epochs N [--tasks similarity,analogy] [--json] | --record FILE [--json]", stderr)
	spec := fs.String("strategy", "", "strategy spec, e.g. diminish:gamma=1,eta=0.3,nu=1 (required unless --record)")
	record := fs.String("record", "", "print the weights a finished run applied, from its record (JSON), with an adaptive strategy's cosines and decisions")
	epochs := fs.Int("epochs", 25, "number of epochs")
	aux := listFlag{"similarity", "analogy"}
	fs.Var(&aux, "tasks", "auxiliary tasks, comma-separated")
	skipBelow := fs.Float64("skip-below", 1e-4, "weights below this are not run (as in train)")
	asJSON := fs.Bool("json", false, `print [{"epoch": 1, "weights": {...}}, ...]`)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *record != "" {
		if *spec != "" {
			return fmt.Errorf("--record and --strategy: give one")
		}
		return scheduleFromRecord(*record, *asJSON, stdout)
	}
	if *spec == "" {
		return fmt.Errorf("--strategy is required (valid strategies are %s)", strings.Join(strategies.Names(), ", "))
	}
	if *epochs < 1 || *epochs > maxScheduleEpochs {
		return fmt.Errorf("--epochs %d: want 1 to %d", *epochs, maxScheduleEpochs)
	}
	if len(aux) == 0 {
		return fmt.Errorf("--tasks: no auxiliary task given")
	}
	s, err := strategies.Parse(*spec)
	if err != nil {
		return err
	}
	if _, ok := s.(strategies.Adaptive); ok {
		return fmt.Errorf("strategy %s is adaptive: its weights depend on the run (gradient cosines, training losses or validation accuracy) and cannot be printed in advance; train it and print the weights it applied with `schedule --record FILE`", s.String())
	}
	type row struct {
		Epoch   int                `json:"epoch"`
		Weights map[string]float64 `json:"weights"`
	}
	rows := make([]row, *epochs)
	for t := 1; t <= *epochs; t++ {
		rows[t-1] = row{Epoch: t, Weights: s.Weights(t, aux, strategies.History{})}
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(rows)
	}
	fmt.Fprintf(stdout, "strategy %s over %d epochs (weights below %g are not run)\n\n", s.String(), *epochs, *skipBelow)
	fmt.Fprintf(stdout, "%5s", "epoch")
	for _, a := range aux {
		fmt.Fprintf(stdout, "  %14s", a)
	}
	fmt.Fprintf(stdout, "  %s\n", "runs")
	for _, r := range rows {
		fmt.Fprintf(stdout, "%5d", r.Epoch)
		var running []string
		for _, a := range aux {
			w := r.Weights[a]
			fmt.Fprintf(stdout, "  %14s", strconv.FormatFloat(w, 'g', 6, 64))
			if strategies.Runs(w, *skipBelow) {
				running = append(running, a)
			}
		}
		if len(running) == 0 {
			running = []string{"primary only"}
		}
		fmt.Fprintf(stdout, "  %s\n", strings.Join(running, ","))
	}
	return nil
}
