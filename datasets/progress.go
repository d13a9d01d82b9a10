package datasets

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress draws one download's progress bar: bytes so far, percent and
// rate. With redraw (a terminal) it rewrites one line, at most every 100 ms;
// otherwise it prints a line each time another 10% is done. A nil writer
// draws nothing.
type progress struct {
	w       io.Writer
	redraw  bool
	name    string
	total   int64 // 0 = unknown
	now     func() time.Time
	began   time.Time
	from    int64 // bytes already there when this attempt began (resumed)
	done    int64
	decile  int // the last 10% step printed (line mode)
	drawn   time.Time
	lastLen int
}

func newProgress(w io.Writer, redraw bool, name string, total int64) *progress {
	return &progress{w: w, redraw: redraw, name: name, total: total, now: time.Now, decile: -1}
}

// start begins an attempt at byte offset have (0, or where a resumed
// download goes on).
func (p *progress) start(have int64) {
	if p.w == nil {
		return
	}
	p.began, p.from, p.done = p.now(), have, have
	if have > 0 {
		p.line(fmt.Sprintf("%s: resuming at %s", p.name, formatBytes(have)))
	}
	if p.total > 0 {
		p.decile = int(have * 10 / p.total)
	}
	p.draw(true)
}

// Write counts downloaded bytes (progress is an io.Writer so io.Copy can
// feed it).
func (p *progress) Write(b []byte) (int, error) {
	if p.w == nil {
		return len(b), nil
	}
	p.done += int64(len(b))
	p.draw(false)
	return len(b), nil
}

// finish draws the complete bar and ends the line.
func (p *progress) finish() {
	if p.w == nil {
		return
	}
	if p.total > 0 {
		p.done = p.total
	}
	if p.redraw {
		p.draw(true)
		fmt.Fprintln(p.w)
		p.lastLen = 0
	} else if p.total <= 0 || p.decile < 10 {
		p.line(p.status())
	}
}

// abort ends a redrawn line so an error message starts on its own line.
func (p *progress) abort() {
	if p.w != nil && p.redraw && p.lastLen > 0 {
		fmt.Fprintln(p.w)
		p.lastLen = 0
	}
}

func (p *progress) draw(force bool) {
	if p.redraw {
		now := p.now()
		if !force && now.Sub(p.drawn) < 100*time.Millisecond {
			return
		}
		p.drawn = now
		s := p.status()
		pad := ""
		if n := p.lastLen - len(s); n > 0 {
			pad = strings.Repeat(" ", n)
		}
		fmt.Fprintf(p.w, "\r%s%s", s, pad)
		p.lastLen = len(s)
		return
	}
	if p.total <= 0 {
		return
	}
	if d := int(p.done * 10 / p.total); d > p.decile {
		p.decile = d
		p.line(p.status())
	}
}

func (p *progress) line(s string) {
	if p.redraw && p.lastLen > 0 {
		fmt.Fprintln(p.w)
		p.lastLen = 0
	}
	fmt.Fprintln(p.w, s)
}

// status is the bar's text, e.g.
// "imdb/aclImdb_v1.tar.gz  [=====>    ]  42.1 MB / 84.1 MB   50%  6.3 MB/s".
func (p *progress) status() string {
	rate := ""
	if secs := p.now().Sub(p.began).Seconds(); secs > 0 {
		rate = "  " + formatBytes(int64(float64(p.done-p.from)/secs)) + "/s"
	}
	if p.total <= 0 {
		return fmt.Sprintf("%s  %s%s", p.name, formatBytes(p.done), rate)
	}
	pct := int(p.done * 100 / p.total)
	const width = 20
	filled := int(p.done * width / p.total)
	bar := strings.Repeat("=", filled) + strings.Repeat(" ", width-filled)
	if filled > 0 && filled < width {
		bar = bar[:filled-1] + ">" + bar[filled:]
	}
	return fmt.Sprintf("%s  [%s]  %s / %s  %3d%%%s", p.name, bar, formatBytes(p.done), formatBytes(p.total), pct, rate)
}

// formatBytes prints a byte count in decimal units: 512 B, 3.4 kB, 84.1 MB.
func formatBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, suffix := float64(n), ""
	for _, s := range []string{"kB", "MB", "GB", "TB"} {
		v /= unit
		suffix = s
		if v < unit {
			break
		}
	}
	return fmt.Sprintf("%.1f %s", v, suffix)
}
