package sweep

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mt2st/mt2st/experiments"
	"github.com/mt2st/mt2st/results"
)

// Trainer trains one configuration. It returns the run's record whenever
// training started (also on failure) and an error when it did not finish.
type Trainer func(ctx context.Context, cfg experiments.Config, hooks experiments.Hooks) (*results.Record, error)

// NewTrainer returns the trainer workers use: experiments.Run with the data
// of dataDir, loaded once per process and shared by its trials, and
// pre-trained embeddings cached in cacheDir ("" = no cache).
func NewTrainer(dataDir, cacheDir string) Trainer {
	data := experiments.NewData(dataDir)
	return func(ctx context.Context, cfg experiments.Config, hooks experiments.Hooks) (*results.Record, error) {
		cfg.DataDir, cfg.CacheDir = dataDir, cacheDir
		tr, err := experiments.Run(ctx, cfg, data, hooks)
		if tr == nil {
			return nil, err
		}
		return tr.Record, err
	}
}

// Outcomes of a trial in Event.Outcome.
const (
	OutcomeDone        = "done"
	OutcomeFailed      = "failed"
	OutcomeInterrupted = "interrupted" // stopped by a signal: nothing written, it reruns
	OutcomeSkipped     = "skipped"     // already finished (or failed, without --retry-failed)
	OutcomeBusy        = "busy"        // another live process holds the trial
)

// Event is one line a worker prints on standard output for the runner.
type Event struct {
	Kind    string  `json:"event"` // "start", "epoch" or "end"
	Index   int     `json:"index"`
	ID      string  `json:"id"`
	Epoch   int     `json:"epoch,omitempty"`
	Epochs  int     `json:"epochs,omitempty"`
	Val     float64 `json:"val_accuracy,omitempty"`
	Test    float64 `json:"test_accuracy,omitempty"`
	Seconds float64 `json:"seconds,omitempty"` // epoch: cumulative training seconds; end: the trial's wall time
	Outcome string  `json:"outcome,omitempty"` // end only
	Error   string  `json:"error,omitempty"`
}

// WorkerOptions configure RunTrial.
type WorkerOptions struct {
	Out         string  // the sweep's output directory
	Train       Trainer // required
	RetryFailed bool    // rerun a trial whose marker says failed
	Events      func(Event)
	// Workers is the number of trials training at once on this machine (the
	// runner's -j), recorded in each record's machine block; 0 means 1.
	Workers int
}

func (o WorkerOptions) emit(e Event) {
	if o.Events != nil {
		o.Events(e)
	}
}

// RunTrial runs one trial into its directory under opts.Out and returns its
// end event. The order of writes is what makes a sweep crash-safe: the
// trial's lock, then its record (atomic), then the done marker (atomic,
// holding the record's SHA-256). A trial stopped by ctx writes neither, so
// it counts as unfinished and reruns; a finished trial is never rerun.
func RunTrial(ctx context.Context, t Trial, opts WorkerOptions) (Event, error) {
	end := Event{Kind: "end", Index: t.Index, ID: t.ID}
	start := time.Now()
	dir := TrialDir(opts.Out, t.ID)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return end, fmt.Errorf("trial %s: %w", t.ID, err)
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return end, fmt.Errorf("trial %s: %w", t.ID, err)
	}
	if err := checkTrialDir(dir); err != nil {
		return end, fmt.Errorf("trial %s: %w", t.ID, err)
	}
	release, ok, err := lockTrial(dir)
	if err != nil {
		return end, fmt.Errorf("trial %s: lock: %w", t.ID, err)
	}
	if !ok {
		end.Outcome = OutcomeBusy
		opts.emit(end)
		return end, nil
	}
	defer release()

	switch st := ReadState(opts.Out, t.ID); {
	case st.State == StateDone, st.State == StateFailed && !opts.RetryFailed:
		end.Outcome = OutcomeSkipped
		opts.emit(end)
		return end, nil
	}
	// A stale marker (a failed trial being retried, or one that does not
	// match its record) must not outlive the rerun's first write.
	for _, name := range []string{MarkerFile, ProgressFile} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return end, fmt.Errorf("trial %s: %w", t.ID, err)
		}
	}
	if err := writeJSON(filepath.Join(dir, TrialFile), t); err != nil {
		return end, fmt.Errorf("trial %s: %w", t.ID, err)
	}
	opts.emit(Event{Kind: "start", Index: t.Index, ID: t.ID, Epochs: t.Config.Epochs})

	host, _ := os.Hostname()
	hooks := experiments.Hooks{Workers: opts.Workers, Checkpoints: checkpointsFor(opts.Out, t), Epoch: func(e results.Epoch) {
		val, _ := e.Val.Metric("accuracy")
		p := Progress{Epoch: e.Epoch, Epochs: t.Config.Epochs, Val: val, Seconds: e.CumSeconds,
			Updated: time.Now().UTC(), Host: host, PID: os.Getpid()}
		_ = writeJSON(filepath.Join(dir, ProgressFile), p) // progress is advisory
		opts.emit(Event{Kind: "epoch", Index: t.Index, ID: t.ID, Epoch: e.Epoch, Epochs: t.Config.Epochs, Val: val, Seconds: e.CumSeconds})
	}}
	rec, runErr := opts.Train(ctx, t.Config, hooks)
	end.Seconds = time.Since(start).Seconds()
	if runErr != nil && (errors.Is(runErr, context.Canceled) || errors.Is(runErr, context.DeadlineExceeded)) {
		end.Outcome, end.Error = OutcomeInterrupted, runErr.Error()
		opts.emit(end)
		return end, nil
	}
	marker := Marker{ID: t.ID, Status: results.StatusFailed}
	if rec != nil {
		rec.Label, rec.ConfigHash, rec.Replicate = t.Label, t.ConfigHash, t.Replicate
		rec.Sweep = &results.SweepTrial{Name: t.Sweep, Index: t.Index, Replicate: t.Replicate, Values: t.Values}
		path, err := results.WriteRecord(dir, rec)
		if err != nil {
			return end, fmt.Errorf("trial %s: %w", t.ID, err)
		}
		marker.Record = filepath.Base(path)
		if runErr == nil && rec.Done() {
			marker.Status = results.StatusDone
			end.Test, _ = rec.Final.Metric("accuracy")
		}
	}
	if runErr != nil {
		marker.Error = runErr.Error()
	} else if marker.Status != results.StatusDone {
		marker.Error = "the run did not finish"
	}
	if err := finishTrial(dir, marker); err != nil {
		return end, err
	}
	if marker.Status == results.StatusDone {
		_ = os.RemoveAll(filepath.Join(dir, CheckpointsDir)) // no longer needed; a leftover is harmless
	}
	end.Outcome, end.Error = marker.Status, marker.Error
	opts.emit(end)
	return end, nil
}

// Serve runs the trials whose indices arrive on in, one per line, until in
// is closed or ctx is done, and prints every Event on out as a JSON line.
// It is the loop of the worker processes `sweep run` starts.
func Serve(ctx context.Context, trials []Trial, in io.Reader, out io.Writer, opts WorkerOptions) error {
	var mu sync.Mutex
	enc := json.NewEncoder(out)
	opts.Events = func(e Event) {
		mu.Lock()
		defer mu.Unlock()
		_ = enc.Encode(e) // a runner that went away is noticed through ctx
	}
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(in)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		var line string
		var ok bool
		select {
		case <-ctx.Done():
			return ctx.Err()
		case line, ok = <-lines:
			if !ok {
				return nil
			}
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		i, err := strconv.Atoi(line)
		if err != nil || i < 0 || i >= len(trials) {
			return fmt.Errorf("worker: %q is not a trial index (0..%d)", line, len(trials)-1)
		}
		if _, err := RunTrial(ctx, trials[i], opts); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// WatchParent returns a context cancelled when the process's parent changes
// (the runner died and the worker was re-parented), checked twice a second.
func WatchParent(ctx context.Context, ppid int) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if os.Getppid() != ppid {
					cancel()
					return
				}
			}
		}
	}()
	return ctx, cancel
}

// ServeMain is the hidden worker command `sweep _worker` that `sweep run`
// starts: it parses its flags and serves trial indices from stdin.
// newTrainer builds the trainer for a data and a cache directory
// (NewTrainer after resolving the data directory, or a fake in tests).
func ServeMain(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, newTrainer func(dataDir, cacheDir string) (Trainer, error)) error {
	fs := flag.NewFlagSet("sweep _worker", flag.ContinueOnError)
	fs.SetOutput(stderr)
	manifest := fs.String("manifest", "", "the manifest")
	out := fs.String("out", "", "the sweep's output directory")
	data := fs.String("data", "", "data directory")
	cache := fs.String("cache", "", "directory caching pre-trained embeddings")
	ppid := fs.Int("parent-pid", 0, "stop when this process is no longer the parent")
	retry := fs.Bool("retry-failed", false, "rerun failed trials")
	workers := fs.Int("workers", 0, "worker processes the runner started on this machine")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *manifest == "" || *out == "" {
		return errors.New("sweep _worker: --manifest and --out are required")
	}
	if *ppid > 0 {
		var cancel context.CancelFunc
		ctx, cancel = WatchParent(ctx, *ppid)
		defer cancel()
	}
	trials, err := ReadManifest(*manifest)
	if err != nil {
		return err
	}
	train, err := newTrainer(*data, *cache)
	if err != nil {
		return err
	}
	err = Serve(ctx, trials, stdin, stdout, WorkerOptions{Out: *out, Train: train, RetryFailed: *retry, Workers: *workers})
	if errors.Is(err, context.Canceled) {
		return nil // interrupted: the runner knows, from the trial's end event
	}
	return err
}

// IndexEnv are the environment variables cluster schedulers set to a
// worker's index, read in this order when `sweep worker` has no --index:
// a Slurm job array's task id and a Kubernetes Indexed Job's completion
// index (both from 0).
var IndexEnv = []string{"SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"}

// IndexFromEnv returns the trial index from the first of IndexEnv that is
// set, and the variable's name.
func IndexFromEnv(lookup func(string) (string, bool)) (int, string, error) {
	for _, name := range IndexEnv {
		v, ok := lookup(name)
		if !ok || strings.TrimSpace(v) == "" {
			continue
		}
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 {
			return 0, name, fmt.Errorf("$%s=%q is not a trial index", name, v)
		}
		return i, name, nil
	}
	return 0, "", fmt.Errorf("no trial index: give --index or set one of $%s", strings.Join(IndexEnv, ", $"))
}
