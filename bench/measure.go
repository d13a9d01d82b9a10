package bench

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mt2st/mt2st/results"
)

// Result is one model's timing, in torch_ref.py's JSON fields plus the heap
// allocations per step.
type Result struct {
	Impl          string  `json:"impl"`
	Model         string  `json:"model"`
	MedianMS      float64 `json:"median_ms"`
	Steps         int     `json:"steps"`
	AllocsPerStep int64   `json:"allocs_per_step"`
	BytesPerStep  int64   `json:"bytes_per_step"`
	Threads       int     `json:"threads"` // GOMAXPROCS
	// Machine is where the model was timed, read before its warm-up (the
	// load average is the one at that moment).
	Machine *results.Machine `json:"machine,omitempty"`
	// Spread is the distribution of the step times (nil before any step).
	Spread *Spread `json:"spread,omitempty"`
	// GFLOPPerStep and GFLOPS are the LSTM's GEMM work per step and the rate
	// achieved at the median step time (LSTM models only; see [LSTMFlops]).
	GFLOPPerStep float64 `json:"gflop_per_step,omitempty"`
	GFLOPS       float64 `json:"gflops,omitempty"`
	// Times are every timed step in milliseconds, in order (not in the
	// one-line JSON output).
	Times []float64 `json:"-"`
}

// Impl is the "impl" field of mt2st's results.
const Impl = "mt2st"

// Measure runs warmup untimed steps, then steps timed ones, each on a fresh
// batch filled outside the timed region, and returns the median step time
// and the mean heap allocations (count and bytes) of a timed step. after, if
// not nil, is called after each timed step (1-based), outside the timing.
func Measure(s *Setup, warmup, steps int, after func(step int) error) (Result, error) {
	if steps < 1 {
		return Result{}, fmt.Errorf("measure %s: %d steps, want at least 1", s.Name, steps)
	}
	tm, err := Start(s, warmup)
	if err != nil {
		return Result{}, err
	}
	if err := tm.Run(steps, after); err != nil {
		return Result{}, err
	}
	return tm.Result(), nil
}

// Timing accumulates the timed steps of one model over several chunks, so
// that chunks of mt2st steps can alternate with runs of the PyTorch
// reference: [Start] warms the model up once, each [Timing.Run] adds timed
// steps, [Timing.Result] summarises all of them.
type Timing struct {
	s              *Setup
	r              Result
	mallocs, bytes uint64
}

// Start reads the machine, runs warmup untimed steps and returns a Timing
// with no timed steps yet.
func Start(s *Setup, warmup int) (*Timing, error) {
	machine := results.ReadMachine(1)
	for i := range warmup {
		s.Next()
		if _, err := s.Step(); err != nil {
			return nil, fmt.Errorf("measure %s: warm-up step %d: %w", s.Name, i+1, err)
		}
	}
	return &Timing{s: s, r: Result{Impl: Impl, Model: s.Name, Threads: runtime.GOMAXPROCS(0), Machine: &machine}}, nil
}

// Run times steps more steps; after, if not nil, is called after each one
// with its number counted over all chunks (1-based), outside the timing.
func (tm *Timing) Run(steps int, after func(step int) error) error {
	s := tm.s
	var before, afterStats runtime.MemStats
	for range steps {
		s.Next()
		runtime.ReadMemStats(&before)
		start := time.Now()
		_, err := s.Step()
		elapsed := time.Since(start)
		runtime.ReadMemStats(&afterStats)
		if err != nil {
			return fmt.Errorf("measure %s: step %d: %w", s.Name, len(tm.r.Times)+1, err)
		}
		tm.r.Times = append(tm.r.Times, float64(elapsed.Nanoseconds())/1e6)
		tm.mallocs += afterStats.Mallocs - before.Mallocs
		tm.bytes += afterStats.TotalAlloc - before.TotalAlloc
		if after != nil {
			if err := after(len(tm.r.Times)); err != nil {
				return err
			}
		}
	}
	return nil
}

// Result summarises every step timed so far: the median and the spread of
// the step times, and the mean allocations of a step.
func (tm *Timing) Result() Result {
	r := tm.r
	r.Times = slices.Clone(r.Times)
	steps := len(r.Times)
	r.Steps = steps
	if steps == 0 {
		return r
	}
	r.MedianMS = round3(Median(r.Times))
	sp := SpreadOf(r.Times)
	r.Spread = &sp
	r.AllocsPerStep = int64((tm.mallocs + uint64(steps)/2) / uint64(steps))
	r.BytesPerStep = int64((tm.bytes + uint64(steps)/2) / uint64(steps))
	return r
}

// Median returns the median of xs (the mean of the middle two for an even
// count), as Python's statistics.median.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func round3(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 3, 64), 64)
	return v
}

// Memory is the process's resident set size from /proc/self/status.
type Memory struct {
	RSSMB  float64 `json:"rss_mb"`  // VmRSS: resident now
	PeakMB float64 `json:"peak_mb"` // VmHWM: the peak resident size so far
}

// ReadMemory reads the resident set size of this process (Linux only).
func ReadMemory() (Memory, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return Memory{}, fmt.Errorf("read memory: %w", err)
	}
	defer f.Close()
	var m Memory
	found := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		fields := strings.Fields(rest) // "123456 kB"
		if len(fields) != 2 || fields[1] != "kB" {
			return Memory{}, fmt.Errorf("read memory: /proc/self/status line %q: want \"%s: N kB\"", sc.Text(), key)
		}
		kb, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			return Memory{}, fmt.Errorf("read memory: /proc/self/status line %q: %w", sc.Text(), err)
		}
		if key == "VmRSS" {
			m.RSSMB = kb / 1024
		} else {
			m.PeakMB = kb / 1024
		}
		found++
	}
	if err := sc.Err(); err != nil {
		return Memory{}, fmt.Errorf("read memory: %w", err)
	}
	if found != 2 {
		return Memory{}, fmt.Errorf("read memory: /proc/self/status has no VmRSS or VmHWM line")
	}
	return m, nil
}
