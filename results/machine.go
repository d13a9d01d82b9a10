package results

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/mt2st/mt2st/graph/linalg"
)

// Machine describes where a run or a benchmark was timed, so that a time can
// be read with what it depended on: the CPU and its vector extensions, how
// many cores the Go runtime used, which GEMM did the matrix products, how
// many runs shared the machine, and how busy it was at the start.
type Machine struct {
	// CPU is the processor's model name ("model name" in /proc/cpuinfo);
	// empty where /proc/cpuinfo is absent or does not name it.
	CPU string `json:"cpu,omitempty"`
	// CPUFlags are those of avx, avx2, fma and avx512f that the CPU has, in
	// that order (the extensions the GEMM and the vector loops choose
	// between); empty where /proc/cpuinfo is absent.
	CPUFlags   []string `json:"cpu_flags,omitempty"`
	NumCPU     int      `json:"num_cpu"`    // runtime.NumCPU
	GOMAXPROCS int      `json:"gomaxprocs"` // runtime.GOMAXPROCS at the start
	// GEMM is linalg.Backend(): "go-avx512", "go-avx2", "gonum" (pure Go)
	// or "openblas" (the openblas build tag).
	GEMM      string `json:"gemm"`
	GoVersion string `json:"go_version"`
	GOOS      string `json:"goos"`
	GOARCH    string `json:"goarch"`
	// Workers is the number of runs training at the same time on this
	// machine, this one included, as the caller stated it (0: not stated).
	Workers int `json:"workers,omitempty"`
	// LoadAverage is the 1-, 5- and 15-minute load average at the start
	// (/proc/loadavg); nil where /proc/loadavg is absent.
	LoadAverage []float64 `json:"load_average,omitempty"`
}

// cpuFlagsOfInterest are the CPU flags Machine reports, in report order.
var cpuFlagsOfInterest = []string{"avx", "avx2", "fma", "avx512f"}

// ReadMachine describes this machine and process now, with the caller's
// count of concurrent workers. It never fails: what cannot be read (no
// /proc outside Linux) is left empty.
func ReadMachine(workers int) Machine {
	return readMachine(workers, "/proc/cpuinfo", "/proc/loadavg")
}

func readMachine(workers int, cpuinfoPath, loadavgPath string) Machine {
	m := Machine{
		NumCPU:     runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		GEMM:       linalg.Backend(),
		GoVersion:  runtime.Version(),
		GOOS:       runtime.GOOS,
		GOARCH:     runtime.GOARCH,
		Workers:    workers,
	}
	if data, err := os.ReadFile(cpuinfoPath); err == nil {
		m.CPU, m.CPUFlags = parseCPUInfo(string(data))
	}
	if data, err := os.ReadFile(loadavgPath); err == nil {
		m.LoadAverage = parseLoadAvg(string(data))
	}
	return m
}

// parseCPUInfo returns the model name and the flags of interest of the first
// processor listed in the text of /proc/cpuinfo ("key<tabs>: value" lines).
// All processors of a machine report the same model and flags.
func parseCPUInfo(text string) (model string, flags []string) {
	var haveModel, haveFlags bool
	for line := range strings.SplitSeq(text, "\n") {
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(key) {
		case "model name":
			if !haveModel {
				model, haveModel = strings.TrimSpace(value), true
			}
		case "flags":
			if !haveFlags {
				present := strings.Fields(value)
				for _, f := range cpuFlagsOfInterest {
					if slices.Contains(present, f) {
						flags = append(flags, f)
					}
				}
				haveFlags = true
			}
		}
		if haveModel && haveFlags {
			break
		}
	}
	return model, flags
}

// parseLoadAvg returns the three load averages at the start of the text of
// /proc/loadavg ("0.52 0.58 0.59 1/123 4567"), or nil if they do not parse.
func parseLoadAvg(text string) []float64 {
	fields := strings.Fields(text)
	if len(fields) < 3 {
		return nil
	}
	load := make([]float64, 3)
	for i := range load {
		v, err := strconv.ParseFloat(fields[i], 64)
		if err != nil || v < 0 {
			return nil
		}
		load[i] = v
	}
	return load
}

// gemmNames are the human names of linalg.Backend's values.
var gemmNames = map[string]string{
	"go-avx512": "pure-Go AVX-512",
	"go-avx2":   "pure-Go AVX2",
	"gonum":     "pure-Go gonum",
	"openblas":  "OpenBLAS",
}

// String is the machine on one line, e.g.
//
//	AMD EPYC 7B13 (avx avx2 fma), GOMAXPROCS 2 of 2 CPUs, GEMM pure-Go AVX2, 1 worker, load 0.52
//
// with the 1-minute load average; parts that are not known are left out.
func (m Machine) String() string {
	var b strings.Builder
	cpu := m.CPU
	if cpu == "" {
		cpu = "unknown CPU"
	}
	b.WriteString(cpu)
	if len(m.CPUFlags) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(m.CPUFlags, " "))
	}
	fmt.Fprintf(&b, ", GOMAXPROCS %d of %d CPUs", m.GOMAXPROCS, m.NumCPU)
	if m.GEMM != "" {
		name, ok := gemmNames[m.GEMM]
		if !ok {
			name = m.GEMM
		}
		fmt.Fprintf(&b, ", GEMM %s", name)
	}
	switch {
	case m.Workers == 1:
		b.WriteString(", 1 worker")
	case m.Workers > 1:
		fmt.Fprintf(&b, ", %d workers", m.Workers)
	}
	if len(m.LoadAverage) > 0 {
		fmt.Fprintf(&b, ", load %.2f", m.LoadAverage[0])
	}
	return b.String()
}
