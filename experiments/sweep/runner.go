package sweep

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mt2st/mt2st/results"
)

// RunOptions configure Run.
type RunOptions struct {
	Out  string // the sweep's output directory
	Jobs int    // worker processes (default 1)
	// RetryFailed reruns trials whose marker says failed.
	RetryFailed bool
	DataDir     string // passed to the workers (--data)
	CacheDir    string // passed to the workers (--cache)
	// SourceFile, when set, is copied to OUT/sweep.yaml for the record.
	SourceFile string
	// Worker is the command line of one worker process without its flags;
	// default: this executable with "sweep _worker". Tests use their own.
	Worker []string
	// WorkerEnv is added to each worker's environment (after GOMAXPROCS).
	WorkerEnv []string
	// Display receives the progress display; nil = none.
	Display io.Writer
	// Live redraws the status lines in place (Display is a terminal);
	// otherwise a status line is printed every StatusEvery.
	Live        bool
	StatusEvery time.Duration // default 30 s
	// Grace is how long workers get to stop after ctx is done before they
	// are killed (default 30 s). A second interrupt kills them at once.
	Grace time.Duration
	// CheckpointEvery, when set, overrides every trial's checkpoint_every
	// (how often a trial saves its state to resume from after a crash;
	// not part of the trial's identity).
	CheckpointEvery string
	// NoPrefixSharing trains every trial from epoch 1, even those that share
	// their first epochs with another trial (see SharePrefixes).
	NoPrefixSharing bool
}

// Summary counts what a Run did.
type Summary struct {
	Trials        int // in the plan
	AlreadyDone   int // finished before this run: skipped
	AlreadyFailed int // failed before this run and not retried
	Done          int // finished by this run
	Failed        int // failed in this run (marker written)
	Interrupted   int // stopped by Ctrl-C: unfinished, rerun next time
	Crashed       int // the worker died mid-trial by a signal: unfinished
	Busy          int // held by another live process
	// EpochsTrained counts the epochs the workers reported training in
	// this run (a resumed or forked trial trains only its remaining ones).
	EpochsTrained int
	Elapsed       time.Duration
}

// Pending is the number of plan trials not finished after the run.
func (s *Summary) Pending() int {
	return s.Trials - s.AlreadyDone - s.AlreadyFailed - s.Done - s.Failed
}

// Run runs every trial of plan that is not finished yet in worker processes
// and returns what happened. Finished trials (a valid done marker) are never
// rerun; failed ones only with RetryFailed. When ctx is done it stops
// dispatching, interrupts the workers, waits for them (killing them after
// Grace) and returns ctx's error; trials that did not finish stay
// unfinished and run next time.
func Run(ctx context.Context, plan *Plan, opts RunOptions) (*Summary, error) {
	if opts.Jobs < 1 {
		opts.Jobs = 1
	}
	if opts.Grace <= 0 {
		opts.Grace = 30 * time.Second
	}
	if opts.StatusEvery <= 0 {
		opts.StatusEvery = 30 * time.Second
	}
	out, err := filepath.Abs(opts.Out)
	if err != nil {
		return nil, err
	}
	opts.Out = out
	if err := CheckSameSweep(out, plan.Name); err != nil {
		return nil, fmt.Errorf("sweep run: %w", err)
	}
	plan = prepareSharing(plan, opts)
	for _, d := range []string{out, filepath.Join(out, TrialsDir), filepath.Join(out, LogsDir)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("sweep run: %w", err)
		}
	}
	if opts.DataDir != "" {
		if err := StampData(plan, opts.DataDir); err != nil {
			return nil, fmt.Errorf("sweep run: %w", err)
		}
	}
	manifest := filepath.Join(out, ManifestFile)
	if err := WriteManifest(manifest, plan.Trials); err != nil {
		return nil, err
	}
	if opts.SourceFile != "" {
		b, err := os.ReadFile(opts.SourceFile)
		if err == nil {
			err = results.WriteFileAtomic(filepath.Join(out, SweepCopy), b)
		}
		if err != nil {
			return nil, fmt.Errorf("sweep run: copy the sweep file: %w", err)
		}
	}

	sum := &Summary{Trials: len(plan.Trials)}
	var queue []int
	for _, t := range plan.Trials {
		switch ReadState(out, t.ID).State {
		case StateDone:
			sum.AlreadyDone++
		case StateFailed:
			if !opts.RetryFailed {
				sum.AlreadyFailed++
				continue
			}
			queue = append(queue, t.Index)
		default:
			queue = append(queue, t.Index)
		}
	}
	r := &runner{plan: plan, opts: opts, sum: sum, queue: queue, manifest: manifest,
		msgs: make(chan message, 64), start: time.Now(), display: opts.Display}
	if len(queue) == 0 {
		return sum, nil
	}
	err = r.run(ctx)
	sum.Elapsed = time.Since(r.start)
	if sum.Pending() == 0 {
		_ = os.RemoveAll(filepath.Join(out, PrefixDir)) // every fork point has been used
	}
	return sum, err
}

type runner struct {
	plan     *Plan
	opts     RunOptions
	sum      *Summary
	queue    []int
	manifest string
	msgs     chan message
	slots    []*proc
	start    time.Time
	stopping bool
	// durations are the wall times of trials finished in this run, for the ETA.
	durations []float64
	// startupFailures counts workers in a row that died before starting a
	// trial: a broken worker command must not be restarted forever.
	startupFailures int
	display         io.Writer
	drawn           int // lines of the live block on screen
	lastStatus      time.Time
}

// proc is one worker process.
type proc struct {
	slot    int
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	alive   bool
	trial   int // index of the trial it was sent, -1 when idle
	started bool
	since   time.Time
	// waiting: idle until a trial's shared prefix is ready (see dispatch).
	waiting bool
	epoch   int
	epochs  int
	val     float64
	tail    *tailWriter
}

type message struct {
	p      *proc
	ev     *Event
	exited bool
	err    error
}

func (r *runner) run(ctx context.Context) error {
	jobs := min(r.opts.Jobs, len(r.queue))
	r.slots = make([]*proc, jobs)
	for i := range r.slots {
		p, err := r.spawn(i + 1)
		if err != nil {
			r.stopAll()
			r.drain()
			return err
		}
		r.slots[i] = p
		r.dispatch(p)
	}
	r.redraw(true)

	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	done := ctx.Done()
	var grace <-chan time.Time
	again := make(chan os.Signal, 1)
	var fatal error
	for r.anyAlive() {
		select {
		case m := <-r.msgs:
			if m.ev != nil {
				r.handleEvent(m.p, *m.ev)
				continue
			}
			if err := r.handleExit(m.p, m.err); err != nil && fatal == nil {
				fatal = err
				r.stopping = true
				r.stopAll()
				grace = time.After(r.opts.Grace)
			}
		case <-tick.C:
			r.redraw(false)
		case <-done:
			done = nil
			r.stopping = true
			r.note("stopping: waiting for the running trials to stop (interrupt again to kill them)")
			r.stopAll()
			grace = time.After(r.opts.Grace)
			signal.Notify(again, os.Interrupt)
			defer signal.Stop(again)
		case <-again:
			r.killAll()
		case <-grace:
			r.note(fmt.Sprintf("workers did not stop within %s: killing them", r.opts.Grace))
			r.killAll()
		}
	}
	r.redraw(true)
	r.finishDisplay()
	if fatal != nil {
		return fatal
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if r.sum.Failed > 0 {
		return fmt.Errorf("%d trial(s) failed (see sweep status)", r.sum.Failed)
	}
	return nil
}

func (r *runner) workerCommand() ([]string, error) {
	if len(r.opts.Worker) > 0 {
		return r.opts.Worker, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("sweep run: find this program to start workers: %w", err)
	}
	return []string{exe, "sweep", "_worker"}, nil
}

// spawn starts the worker process of a slot. Each gets an equal share of
// the cores through GOMAXPROCS.
func (r *runner) spawn(slot int) (*proc, error) {
	argv, err := r.workerCommand()
	if err != nil {
		return nil, err
	}
	args := append(append([]string(nil), argv[1:]...), "--manifest", r.manifest, "--out", r.opts.Out,
		"--parent-pid", strconv.Itoa(os.Getpid()), "--workers", strconv.Itoa(len(r.slots)))
	if r.opts.DataDir != "" {
		args = append(args, "--data", r.opts.DataDir)
	}
	if r.opts.CacheDir != "" {
		args = append(args, "--cache", r.opts.CacheDir)
	}
	if r.opts.RetryFailed {
		args = append(args, "--retry-failed")
	}
	cmd := exec.Command(argv[0], args...)
	procs := max(1, runtime.NumCPU()/r.opts.Jobs)
	cmd.Env = append(append(os.Environ(), "GOMAXPROCS="+strconv.Itoa(procs)), r.opts.WorkerEnv...)
	dieWithParent(cmd)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(r.opts.Out, LogsDir, fmt.Sprintf("worker-%d.log", slot))
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("sweep run: %w", err)
	}
	p := &proc{slot: slot, cmd: cmd, stdin: stdin, alive: true, trial: -1, tail: &tailWriter{max: 20}}
	cmd.Stderr = io.MultiWriter(logFile, p.tail)
	fmt.Fprintf(logFile, "--- worker %d started %s\n", slot, time.Now().Format(time.RFC3339))
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("sweep run: start worker %q: %w", argv[0], err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
		for sc.Scan() {
			var ev Event
			if json.Unmarshal(sc.Bytes(), &ev) == nil && ev.Kind != "" {
				r.msgs <- message{p: p, ev: &ev}
				continue
			}
			fmt.Fprintf(logFile, "stdout: %s\n", sc.Text()) // not an event: keep it
		}
		err := cmd.Wait()
		logFile.Close()
		r.msgs <- message{p: p, exited: true, err: err}
	}()
	return p, nil
}

// dispatch sends the next queued trial to an idle worker, or closes its
// input when there is nothing left (the worker then exits).
func (r *runner) dispatch(p *proc) {
	p.waiting = false
	if r.stopping || len(r.queue) == 0 {
		p.trial = -1
		p.stdin.Close()
		return
	}
	// The first queued trial whose shared prefix is ready (prefix.go);
	// when none is, the worker waits for the next event.
	pick := slices.IndexFunc(r.queue, r.ready)
	if pick < 0 {
		p.trial, p.waiting = -1, true
		return
	}
	i := r.queue[pick]
	r.queue = slices.Delete(r.queue, pick, pick+1)
	p.trial, p.started, p.since, p.epoch, p.val = i, false, time.Now(), 0, 0
	p.epochs = r.plan.Trials[i].Config.Epochs
	if _, err := fmt.Fprintf(p.stdin, "%d\n", i); err != nil {
		// The worker is gone; its exit message puts the trial back.
		return
	}
}

func (r *runner) handleEvent(p *proc, ev Event) {
	if ev.Index != p.trial {
		return
	}
	t := r.plan.Trials[ev.Index]
	switch ev.Kind {
	case "start":
		p.started, p.since = true, time.Now()
	case "epoch":
		p.epoch, p.epochs, p.val = ev.Epoch, ev.Epochs, ev.Val
		r.sum.EpochsTrained++
		r.wake() // a fork point may be ready
	case "end":
		r.startupFailures = 0
		name := trialName(t)
		var msg string
		switch ev.Outcome {
		case OutcomeDone:
			r.sum.Done++
			r.durations = append(r.durations, time.Since(p.since).Seconds())
			msg = fmt.Sprintf("done    %s  test acc %.4f  %s", name, ev.Test, roundDuration(ev.Seconds))
		case OutcomeFailed:
			r.sum.Failed++
			r.durations = append(r.durations, time.Since(p.since).Seconds())
			msg = fmt.Sprintf("FAILED  %s: %s", name, shortLine(ev.Error))
		case OutcomeInterrupted:
			r.sum.Interrupted++
			msg = fmt.Sprintf("stopped %s at epoch %d/%d (unfinished: it reruns next time)", name, p.epoch, p.epochs)
		case OutcomeSkipped:
			r.sum.AlreadyDone++
		case OutcomeBusy:
			r.sum.Busy++
			msg = fmt.Sprintf("busy    %s: another process is running it", name)
		}
		r.dispatch(p) // first, so the status block under the note shows the next trial
		r.wake()
		if msg != "" {
			r.note(msg)
		}
	}
}

// handleExit deals with a worker that exited. A trial it was running
// without sending its end: if the worker was killed by a signal the trial
// stays unfinished; if it exited with an error after starting the trial (a
// panic, say) the trial is marked failed with the worker's last words; if it
// died before starting it, the trial goes back to the queue.
func (r *runner) handleExit(p *proc, err error) error {
	p.alive = false
	if p.trial >= 0 {
		t := r.plan.Trials[p.trial]
		name := trialName(t)
		st := ReadState(r.opts.Out, t.ID)
		switch {
		case st.State == StateDone || st.State == StateFailed:
			// It finished the trial but died before saying so.
			if st.State == StateDone {
				r.sum.Done++
			} else {
				r.sum.Failed++
			}
		case !p.started:
			r.queue = append([]int{p.trial}, r.queue...)
			if !r.stopping {
				r.startupFailures++
			}
		case signalled(err) || r.stopping:
			r.sum.Crashed++
			r.note(fmt.Sprintf("CRASHED %s: worker %v (unfinished: it reruns next time)", name, err))
		default:
			r.sum.Failed++
			msg := fmt.Sprintf("worker exited (%v) during the trial: %s", err, p.tail.String())
			if werr := finishTrial(TrialDir(r.opts.Out, t.ID), Marker{ID: t.ID, Status: "failed", Error: msg}); werr != nil {
				return werr
			}
			r.note(fmt.Sprintf("FAILED  %s: %s", name, shortLine(msg)))
		}
		p.trial = -1
	} else if err != nil && !r.stopping {
		r.startupFailures++
	}
	if r.startupFailures >= 3 {
		return fmt.Errorf("sweep run: workers keep exiting before running a trial (last: %v): %s", err, p.tail.String())
	}
	if !r.stopping && len(r.queue) > 0 {
		np, serr := r.spawn(p.slot)
		if serr != nil {
			return serr
		}
		r.slots[p.slot-1] = np
		r.dispatch(np)
	}
	r.wake()
	return nil
}

func signalled(err error) bool {
	var ee *exec.ExitError
	return errors.As(err, &ee) && ee.ExitCode() == -1
}

func (r *runner) anyAlive() bool {
	for _, p := range r.slots {
		if p != nil && p.alive {
			return true
		}
	}
	return false
}

// stopAll closes every worker's input and interrupts the busy ones.
func (r *runner) stopAll() {
	for _, p := range r.slots {
		if p == nil || !p.alive {
			continue
		}
		p.stdin.Close()
		if p.trial >= 0 && p.cmd.Process != nil {
			if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
				_ = p.cmd.Process.Kill()
			}
		}
	}
}

func (r *runner) killAll() {
	for _, p := range r.slots {
		if p != nil && p.alive && p.cmd.Process != nil {
			_ = p.cmd.Process.Kill()
		}
	}
}

// drain waits for the slots that were started to exit.
func (r *runner) drain() {
	for r.anyAlive() {
		m := <-r.msgs
		if m.exited {
			m.p.alive = false
		}
	}
}

// tailWriter keeps the last lines written to it, and the first line of a
// Go panic or fatal error, which a stack trace would push out of the tail.
type tailWriter struct {
	mu    sync.Mutex
	max   int
	lines []string
	part  string
	crash string
}

func (w *tailWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := w.part + string(b)
	parts := strings.Split(s, "\n")
	w.part = parts[len(parts)-1]
	for _, l := range parts[:len(parts)-1] {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if w.crash == "" && (strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ")) {
			w.crash = l
		}
		w.lines = append(w.lines, l)
		if len(w.lines) > w.max {
			w.lines = w.lines[1:]
		}
	}
	return len(b), nil
}

func (w *tailWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	lines := w.lines
	if w.part != "" {
		lines = append(lines[:len(lines):len(lines)], w.part)
	}
	if w.crash != "" {
		return w.crash // the stack trace is in the worker's log
	}
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return strings.Join(lines, " | ")
}
