package bench

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/mt2st/mt2st/results"
)

// LSTMFlops is the floating-point work (2 per multiply-add) of the GEMMs of
// one training step of the named LSTM model at the benchmark's shapes, and 0
// for the models without a recurrence. Per direction, with N = T·B rows and
// G = 4H gate columns, it counts exactly the products graph/lstm performs:
//
//	forward   x·Wx over all steps           2·N·D·G
//	          h·Wh for steps 2..T (h₀ = 0)  2·(T−1)·B·H·G
//	backward  dA·[Wh; Wx]ᵀ every step       2·N·G·(H+D)
//	          [h | x]ᵀ·dA over all steps    2·(H+D)·G·N
//
// bilstm counts both directions. Not counted: the classifier's small linear
// layers (under 0.1% of the total), the elementwise gate activations, the
// embedding gather and the optimiser update. PyTorch performs the same
// products (its h₀·Wh product for the first step adds under 1%).
func LSTMFlops(model string) float64 {
	var h, dirs int
	switch model {
	case "lstm":
		h, dirs = HiddenLSTM, 1
	case "bilstm":
		h, dirs = HiddenBiLSTM, 2
	default:
		return 0
	}
	n, g := float64(Tokens*Batch), float64(4*h)
	d, hf := float64(Dim), float64(h)
	forward := 2*n*d*g + 2*float64((Tokens-1)*Batch)*hf*g
	backward := 2*n*g*(hf+d) + 2*(hf+d)*g*n
	return float64(dirs) * (forward + backward)
}

// GFLOPS is the rate of flops per step at a step time of ms milliseconds.
func GFLOPS(flops, ms float64) float64 {
	if ms <= 0 {
		return 0
	}
	return round3(flops / (ms * 1e6))
}

// Peak is a machine's single-precision FMA peak:
// cores × GHz × FMA units × lanes × 2 flops.
type Peak struct {
	Cores int `json:"cores"`
	// MHz is /proc/cpuinfo's "cpu MHz" of the first CPU: the current clock
	// when it was read, not the maximum (boost) clock.
	MHz float64 `json:"cpu_mhz_current"`
	// FMAUnits per core is not in /proc/cpuinfo: the caller states it.
	FMAUnits int `json:"fma_units"`
	// Lanes are float32 values per vector: 16 with avx512f, 8 with avx2
	// and fma, else 4 (SSE, no FMA: counted as one multiply-add per lane).
	Lanes  int     `json:"lanes"`
	GFLOPS float64 `json:"gflops"`
}

// String is "P GFLOP/s = C cores × G GHz (current clock) × U FMA units × L lanes × 2".
func (p Peak) String() string {
	return fmt.Sprintf("%.1f GFLOP/s = %d cores × %.3f GHz (current clock, not max) × %d FMA units × %d lanes × 2",
		p.GFLOPS, p.Cores, p.MHz/1000, p.FMAUnits, p.Lanes)
}

// Lanes returns the float32 lanes of the widest FMA vectors the flags name.
func Lanes(flags []string) int {
	switch {
	case slices.Contains(flags, "avx512f"):
		return 16
	case slices.Contains(flags, "avx2") && slices.Contains(flags, "fma"):
		return 8
	}
	return 4
}

// PeakOf computes the peak of m on cores cores with fmaUnits FMA units per
// core, reading the current clock from cpuinfo (normally /proc/cpuinfo).
func PeakOf(m results.Machine, cores, fmaUnits int, cpuinfo string) (Peak, error) {
	mhz, err := ReadMHz(cpuinfo)
	if err != nil {
		return Peak{}, err
	}
	p := Peak{Cores: cores, MHz: mhz, FMAUnits: fmaUnits, Lanes: Lanes(m.CPUFlags)}
	p.GFLOPS = round3(float64(p.Cores) * p.MHz / 1000 * float64(p.FMAUnits) * float64(p.Lanes) * 2)
	return p, nil
}

// ReadMHz returns the first "cpu MHz" value of a cpuinfo file.
func ReadMHz(cpuinfo string) (float64, error) {
	f, err := os.Open(cpuinfo)
	if err != nil {
		return 0, fmt.Errorf("read cpu clock: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok || strings.TrimSpace(key) != "cpu MHz" {
			continue
		}
		mhz, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			return 0, fmt.Errorf("read cpu clock: %s line %q: %w", cpuinfo, sc.Text(), err)
		}
		return mhz, nil
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("read cpu clock: %w", err)
	}
	return 0, fmt.Errorf("read cpu clock: %s has no \"cpu MHz\" line", cpuinfo)
}
