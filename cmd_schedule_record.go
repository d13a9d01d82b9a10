package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mt2st/mt2st/results"
)

// recordRow is one epoch of `schedule --record`.
type recordRow struct {
	Epoch   int                `json:"epoch"`
	Weights map[string]float64 `json:"weights"`
	Ran     []string           `json:"ran"`
	Cosine  map[string]float64 `json:"cosine,omitempty"`
	State   map[string]float64 `json:"state,omitempty"`
	Events  []results.Event    `json:"events,omitempty"`
}

// scheduleFromRecord prints the auxiliary weights a run applied per epoch
// (for an adaptive strategy, the mean over the epoch's steps), the mean
// gradient cosines with the primary, and the strategy's decisions.
func scheduleFromRecord(path string, asJSON bool, stdout io.Writer) error {
	r, err := results.ReadRecord(path)
	if err != nil {
		return fmt.Errorf("schedule --record: %w", err)
	}
	if len(r.Tasks) < 2 {
		return fmt.Errorf("schedule --record %s: the run has no auxiliary task", path)
	}
	aux := r.Tasks[1:]
	rows := make([]recordRow, len(r.Epochs))
	for i, e := range r.Epochs {
		w := map[string]float64{}
		for _, a := range aux {
			w[a] = e.Weights[a]
		}
		rows[i] = recordRow{Epoch: e.Epoch, Weights: w, Ran: e.Ran}
		if s := e.Signals; s != nil {
			rows[i].Cosine, rows[i].State, rows[i].Events = s.Cosine, s.State, s.Events
		}
	}
	if asJSON {
		return json.NewEncoder(stdout).Encode(rows)
	}
	fmt.Fprintf(stdout, "run %s: strategy %s, %d epochs\n", r.ID, r.Strategy, len(r.Epochs))
	adaptive := len(rows) > 0 && r.Epochs[0].Signals != nil
	if adaptive {
		fmt.Fprintln(stdout, "adaptive strategy: weights are the means over each epoch's steps; cos = mean cos(g_aux, g_primary) over the measured steps")
	}
	fmt.Fprintf(stdout, "\n%5s", "epoch")
	for _, a := range aux {
		fmt.Fprintf(stdout, "  %14s", "w "+a)
	}
	if adaptive {
		for _, a := range aux {
			fmt.Fprintf(stdout, "  %14s", "cos "+a)
		}
	}
	fmt.Fprintf(stdout, "  %s\n", "ran")
	for _, row := range rows {
		fmt.Fprintf(stdout, "%5d", row.Epoch)
		for _, a := range aux {
			fmt.Fprintf(stdout, "  %14s", strconv.FormatFloat(row.Weights[a], 'g', 6, 64))
		}
		if adaptive {
			for _, a := range aux {
				c, ok := row.Cosine[a]
				text := "–"
				if ok {
					text = strconv.FormatFloat(c, 'g', 4, 64)
				}
				fmt.Fprintf(stdout, "  %14s", text)
			}
		}
		fmt.Fprintf(stdout, "  %s\n", strings.Join(row.Ran, ","))
	}
	for _, row := range rows {
		for _, ev := range row.Events {
			fmt.Fprintf(stdout, "after epoch %d: %s (%s): %s\n", row.Epoch, ev.Rule, strings.Join(ev.Tasks, ", "), ev.Detail)
		}
	}
	return nil
}
