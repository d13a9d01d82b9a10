package bench

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/mt2st/mt2st/results"
)

// The quantiles of 1..11 (unsorted) by linear interpolation at q·(n−1):
// positions 1, 2.5, 5, 7.5, 9 of the sorted values, as numpy.quantile and
// statistics.quantiles(method="inclusive") give them.
func TestSpreadOf(t *testing.T) {
	xs := []float64{11, 3, 1, 9, 5, 7, 2, 4, 6, 8, 10}
	got := SpreadOf(xs)
	want := Spread{P10: 2, P25: 3.5, Median: 6, P75: 8.5, P90: 10, N: 11}
	if got != want {
		t.Fatalf("SpreadOf = %+v, want %+v", got, want)
	}
	if got.IQR() != 5 {
		t.Errorf("IQR %g, want 5", got.IQR())
	}
	if xs[0] != 11 {
		t.Error("SpreadOf sorted its argument")
	}
	if e := SpreadOf(nil); e.N != 0 || e.Median != 0 {
		t.Errorf("empty spread %+v", e)
	}
	// Two values: the median is their mean, as Median.
	if s := SpreadOf([]float64{1, 2}); s.Median != Median([]float64{1, 2}) || s.P25 != 1.25 {
		t.Errorf("spread of 1, 2: %+v", s)
	}
}

// The LSTM work per step, written out from the shapes (N = T·B = 6,400
// rows, G = 4H gate columns):
//
//	lstm, H = 128, D = 100, G = 512:
//	  forward  2·6400·100·512 + 2·99·64·128·512 = 655,360,000 + 830,472,192
//	  backward 2·6400·512·228 + 2·228·512·6400  = 2·1,494,220,800
//	  total 4,474,273,792
//	bilstm, H = 256, G = 1024, two directions:
//	  forward  2·6400·100·1024 + 2·99·64·256·1024 = 1,310,720,000 + 3,321,888,768
//	  backward 2·2·6400·1024·356                  = 9,332,326,400
//	  total 2·13,964,935,168 = 27,929,870,336
func TestLSTMFlops(t *testing.T) {
	for model, want := range map[string]float64{"lstm": 4474273792, "bilstm": 27929870336, "bag": 0, "mtl": 0} {
		if got := LSTMFlops(model); got != want {
			t.Errorf("LSTMFlops(%s) = %.0f, want %.0f", model, got, want)
		}
	}
	if g := GFLOPS(4474273792, 100); g != 44.743 {
		t.Errorf("GFLOPS at 100 ms = %g, want 44.743", g)
	}
}

func TestPeak(t *testing.T) {
	dir := t.TempDir()
	cpuinfo := filepath.Join(dir, "cpuinfo")
	text := "processor\t: 0\nmodel name\t: Test CPU\ncpu MHz\t\t: 2500.000\nflags\t\t: fpu avx2 fma\n\nprocessor\t: 1\ncpu MHz\t\t: 3100.000\n"
	if err := os.WriteFile(cpuinfo, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		flags  []string
		lanes  int
		gflops float64
	}{
		{[]string{"avx", "avx2", "fma", "avx512f"}, 16, 320}, // 2 × 2.5 × 2 × 16 × 2
		{[]string{"avx", "avx2", "fma"}, 8, 160},
		{[]string{"avx"}, 4, 80},
	} {
		p, err := PeakOf(results.Machine{CPUFlags: tc.flags}, 2, 2, cpuinfo)
		if err != nil {
			t.Fatal(err)
		}
		if p.Lanes != tc.lanes || p.GFLOPS != tc.gflops || p.MHz != 2500 {
			t.Errorf("flags %v: %+v, want %d lanes, %g GFLOP/s at the first CPU's 2500 MHz", tc.flags, p, tc.lanes, tc.gflops)
		}
	}
	if err := os.WriteFile(cpuinfo, []byte("processor\t: 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := PeakOf(results.Machine{}, 2, 2, cpuinfo); err == nil {
		t.Error("no error for a cpuinfo without a clock")
	}
}

// A stand-in for torch_ref.py (run by /bin/sh) checks the arguments it is
// given and prints a line with its step times; one that prints no times is
// refused, since its spread could not be reported.
func TestTorchReferenceReadsTimes(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.sh")
	script := `[ "$2" = lstm ] && [ "$4" = 2 ] && [ "$5" = --times ] && [ "$7" = 3 ] || { echo "args $*" >&2; exit 1; }
echo 'loading'
echo '{"impl": "torch-2.0", "model": "lstm", "median_ms": 2.0, "steps": 3, "threads": 2, "times_ms": [1.0, 2.0, 9.5]}'
`
	if err := os.WriteFile(good, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := TorchReference(context.Background(), "/bin/sh", good, "lstm", 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got.Impl != "torch-2.0" || got.MedianMS != 2 || got.Threads != 2 || !slices.Equal(got.Times, []float64{1, 2, 9.5}) {
		t.Errorf("got %+v", got)
	}
	old := filepath.Join(dir, "old.sh")
	if err := os.WriteFile(old, []byte(`echo '{"model": "lstm", "median_ms": 2.0, "steps": 3}'`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := TorchReference(context.Background(), "/bin/sh", old, "lstm", 3, 2); err == nil {
		t.Error("no error for a line without step times")
	}
}

// Timed steps accumulate over Run chunks, with after numbering them across
// chunks, and the result covers all of them.
func TestTimingChunks(t *testing.T) {
	s, err := New("bag", 1)
	if err != nil {
		t.Fatal(err)
	}
	tm, err := Start(s, 1)
	if err != nil {
		t.Fatal(err)
	}
	var seen []int
	for _, k := range []int{2, 3} {
		if err := tm.Run(k, func(step int) error { seen = append(seen, step); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	r := tm.Result()
	if !slices.Equal(seen, []int{1, 2, 3, 4, 5}) || r.Steps != 5 || len(r.Times) != 5 || r.Spread == nil || r.Spread.N != 5 || r.MedianMS <= 0 || r.Machine == nil {
		t.Errorf("steps seen %v, result %+v", seen, r)
	}
}
