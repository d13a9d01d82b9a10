package sweep

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ManifestWork is one `sweep worker` call: which trial of which manifest,
// and how to run and report it.
type ManifestWork struct {
	Manifest string
	// Index is the trial's line in the manifest, from 0; below 0 it comes
	// from $SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX (IndexFromEnv).
	Index       int
	Out         string // the sweep directory; default: the manifest's directory
	RetryFailed bool
	JSON        bool // print progress as JSON events, one per line
	// Trainer makes the trainer once the trial is known to exist (finding
	// the data may fail; a wrong index is reported first).
	Trainer func() (Trainer, error)
}

// WorkManifest runs one trial of a manifest, as a cluster array task does,
// and prints its progress to w. A trial that fails, is interrupted or is
// held by another process is an error saying so; a finished one is skipped.
func WorkManifest(ctx context.Context, mw ManifestWork, w io.Writer) error {
	i, source := mw.Index, "--index"
	if i < 0 {
		var err error
		if i, source, err = IndexFromEnv(os.LookupEnv); err != nil {
			return err
		}
		source = "$" + source
	}
	trials, err := ReadManifest(mw.Manifest)
	if err != nil {
		return err
	}
	if i >= len(trials) {
		return fmt.Errorf("trial index %d (from %s): the manifest has %d trials (0..%d)", i, source, len(trials), len(trials)-1)
	}
	out := mw.Out
	if out == "" {
		out = filepath.Dir(mw.Manifest)
	}
	t := trials[i]
	train, err := mw.Trainer()
	if err != nil {
		return err
	}
	opts := WorkerOptions{Out: out, Train: train, RetryFailed: mw.RetryFailed}
	if mw.JSON {
		enc := json.NewEncoder(w)
		opts.Events = func(e Event) { _ = enc.Encode(e) }
	} else {
		fmt.Fprintf(w, "mt2st sweep worker: trial %d (from %s) of %s: %s replicate %d -> %s\n", i, source, t.Sweep, t.Label, t.Replicate, TrialDir(out, t.ID))
		opts.Events = func(e Event) {
			if e.Kind == "epoch" {
				fmt.Fprintf(w, "epoch %3d/%d  val acc %.4f  %.1fs\n", e.Epoch, e.Epochs, e.Val, e.Seconds)
			}
		}
	}
	end, err := RunTrial(ctx, t, opts)
	if err != nil {
		return err
	}
	if !mw.JSON {
		fmt.Fprintf(w, "%s: %s", t.ID, end.Outcome)
		if end.Outcome == OutcomeDone {
			fmt.Fprintf(w, " (test acc %.4f, %.1fs)", end.Test, end.Seconds)
		}
		fmt.Fprintln(w)
	}
	switch end.Outcome {
	case OutcomeFailed:
		return fmt.Errorf("trial %d failed: %s", i, end.Error)
	case OutcomeInterrupted:
		return fmt.Errorf("trial %d interrupted; it is unfinished and reruns next time", i)
	case OutcomeBusy:
		return fmt.Errorf("trial %d is being run by another process", i)
	}
	return nil
}
