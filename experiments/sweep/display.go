package sweep

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// The progress display. Finished and failed trials are printed as lines
// that stay; below them a status block (counts, elapsed, ETA, and each
// worker's trial and epoch) is redrawn every second on a terminal, or
// printed every StatusEvery otherwise (logs, CI).

func trialName(t Trial) string {
	return fmt.Sprintf("#%d %s r%d", t.Index, t.Label, t.Replicate)
}

// eta estimates the time left: the mean wall time of the trials finished in
// this run (before any, extrapolated from the running trials' epochs) times
// the trials left, counting running ones by their unfinished fraction,
// divided by the number of workers.
func (r *runner) eta() (time.Duration, bool) {
	var per float64
	if len(r.durations) > 0 {
		for _, d := range r.durations {
			per += d
		}
		per /= float64(len(r.durations))
	} else {
		var n int
		for _, p := range r.slots {
			if p != nil && p.alive && p.trial >= 0 && p.epoch > 0 && p.epochs > 0 {
				per += time.Since(p.since).Seconds() * float64(p.epochs) / float64(p.epoch)
				n++
			}
		}
		if n == 0 {
			return 0, false
		}
		per /= float64(n)
	}
	left := float64(len(r.queue))
	for _, p := range r.slots {
		if p != nil && p.alive && p.trial >= 0 && p.epochs > 0 {
			left += 1 - float64(p.epoch)/float64(p.epochs)
		}
	}
	return time.Duration(left * per / float64(len(r.slots)) * float64(time.Second)), true
}

func (r *runner) statusLines() []string {
	running := 0
	for _, p := range r.slots {
		if p != nil && p.alive && p.trial >= 0 {
			running++
		}
	}
	eta := "–"
	if d, ok := r.eta(); ok {
		eta = roundDuration(d.Seconds())
	}
	failed := fmt.Sprintf("failed %d", r.sum.Failed)
	if r.sum.AlreadyFailed > 0 {
		failed += fmt.Sprintf(" (+%d earlier, not retried)", r.sum.AlreadyFailed)
	}
	lines := []string{fmt.Sprintf("[%s] done %d/%d  running %d  %s  queued %d  elapsed %s  ETA %s",
		time.Now().Format("15:04:05"), r.sum.AlreadyDone+r.sum.Done, r.sum.Trials, running, failed,
		len(r.queue), roundDuration(time.Since(r.start).Seconds()), eta)}
	for _, p := range r.slots {
		if p == nil || !p.alive || p.trial < 0 {
			continue
		}
		t := r.plan.Trials[p.trial]
		state := "starting"
		if p.epoch > 0 {
			state = fmt.Sprintf("epoch %d/%d  val acc %.4f", p.epoch, p.epochs, p.val)
		} else if p.started {
			state = fmt.Sprintf("epoch 1/%d running", p.epochs)
		}
		lines = append(lines, fmt.Sprintf("  worker %d: %s  %s  %s", p.slot, trialName(t), state, roundDuration(time.Since(p.since).Seconds())))
	}
	return lines
}

// note prints a line that stays above the status block.
func (r *runner) note(msg string) {
	if r.display == nil {
		return
	}
	r.erase()
	fmt.Fprintf(r.display, "[%s] %s\n", time.Now().Format("15:04:05"), msg)
	if r.opts.Live {
		r.draw()
	}
}

// redraw refreshes the status block (live), or prints it when it is due.
func (r *runner) redraw(force bool) {
	if r.display == nil {
		return
	}
	if r.opts.Live {
		r.erase()
		r.draw()
		return
	}
	if force || time.Since(r.lastStatus) >= r.opts.StatusEvery {
		r.lastStatus = time.Now()
		for _, l := range r.statusLines() {
			fmt.Fprintln(r.display, l)
		}
	}
}

func (r *runner) draw() {
	width := 100
	if c, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && c > 20 {
		width = c
	}
	lines := r.statusLines()
	for _, l := range lines {
		if rs := []rune(l); len(rs) >= width {
			l = string(rs[:width-2]) + "…" // a wrapped line would break the redraw
		}
		fmt.Fprintln(r.display, l)
	}
	r.drawn = len(lines)
}

func (r *runner) erase() {
	if r.opts.Live && r.drawn > 0 {
		fmt.Fprintf(r.display, "\x1b[%dF\x1b[J", r.drawn)
		r.drawn = 0
	}
}

func (r *runner) finishDisplay() {
	r.drawn = 0 // leave the last status block on screen
}

func roundDuration(secs float64) string {
	d := time.Duration(secs * float64(time.Second))
	switch {
	case d < 10*time.Second:
		return d.Round(100 * time.Millisecond).String()
	case d < time.Hour:
		return d.Round(time.Second).String()
	}
	return d.Round(time.Minute).String()
}

// shortLine is the first line of a message, shortened for the display.
func shortLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if rs := []rune(s); len(rs) > 160 {
		s = string(rs[:159]) + "…"
	}
	return s
}
