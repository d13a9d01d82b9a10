package sweep

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteText prints the plan for a person: its name, source and description,
// the trial table, and the counts.
func (p *Plan) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "sweep %s (%s)", p.Name, p.Source)
	if p.Description != "" {
		fmt.Fprintf(w, ": %s", strings.TrimSpace(p.Description))
	}
	fmt.Fprintln(w)
	if err := PlanTable(p).WriteTerminal(w); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d trials = %d configurations × %d replicates (sweep seed %d, seeds %s)\n",
		len(p.Trials), p.Configurations, len(p.Replicates), p.Seed, p.Seeds)
	_, err := fmt.Fprintln(w, EpochsLine(p))
	return err
}

// WriteJSON prints the plan's trials as JSON lines (the manifest's form).
func (p *Plan) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	for _, t := range p.Trials {
		if err := enc.Encode(t); err != nil {
			return err
		}
	}
	return nil
}

// WriteText prints what a Run did, and how to carry on: rerun to finish,
// then status and report commands for out. what names the units ("trials",
// "runs").
func (s *Summary) WriteText(w io.Writer, what, out string) {
	fmt.Fprintf(w, "\n%d %s: %d done before, %d done now, %d failed now", s.Trials, what, s.AlreadyDone, s.Done, s.Failed)
	if s.AlreadyFailed > 0 {
		fmt.Fprintf(w, ", %d failed before (not retried: --retry-failed)", s.AlreadyFailed)
	}
	if n := s.Interrupted + s.Crashed; n > 0 {
		fmt.Fprintf(w, ", %d stopped unfinished", n)
	}
	if s.Busy > 0 {
		fmt.Fprintf(w, ", %d running elsewhere", s.Busy)
	}
	fmt.Fprintf(w, "; %d epochs trained; %s.\n", s.EpochsTrained, s.Elapsed.Round(1e9))
	if s.Pending() > 0 {
		fmt.Fprintf(w, "%d %s not finished: run the same command again to finish them.\n", s.Pending(), what)
	}
}

// MarshalJSON is an entry as `sweep status --json` prints it.
func (e Entry) MarshalJSON() ([]byte, error) {
	m := map[string]any{"id": e.ID, "state": e.State, "dir": e.Dir}
	if e.Trial != nil {
		m["index"], m["label"], m["replicate"] = e.Trial.Index, e.Trial.Label, e.Trial.Replicate
	}
	if e.Marker != nil {
		m["marker"] = e.Marker
	}
	if e.Progress != nil {
		m["progress"] = e.Progress
	}
	if e.Problem != "" {
		m["problem"] = e.Problem
	}
	return json.Marshal(m)
}
