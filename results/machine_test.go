package results

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/mt2st/mt2st/graph/linalg"
)

// cpuinfoAMD is the start of /proc/cpuinfo on the 2-core AMD EPYC development
// machine (Linux x86-64), its flags line shortened; the second processor
// repeats the first.
const cpuinfoAMD = `processor	: 0
vendor_id	: AuthenticAMD
cpu family	: 25
model		: 17
model name	: AMD EPYC
flags		: fpu vme sse sse2 fma cx16 avx f16c bmi1 avx2 avx512f avx512dq avx512_bf16 avx512vl
bugs		: sysret_ss_attrs null_seg spectre_v1
power management:

processor	: 1
vendor_id	: AuthenticAMD
model name	: AMD EPYC
flags		: fpu vme sse sse2 fma cx16 avx f16c bmi1 avx2 avx512f avx512dq avx512_bf16 avx512vl
`

// cpuinfoIntel follows the layout of an Intel processor's entry in
// /proc/cpuinfo (shortened): no AVX-512, and a "vmx flags" line, which is not
// the CPU's flags and must not be read as them.
const cpuinfoIntel = `processor	: 0
vendor_id	: GenuineIntel
model name	: Intel(R) Xeon(R) CPU E5-2690 v4 @ 2.60GHz
vmx flags	: vnmi preemption_timer avx512f
flags		: fpu sse2 avx avx2 fma
`

func TestParseCPUInfo(t *testing.T) {
	cases := []struct {
		name, text, model string
		flags             []string
	}{
		{"amd", cpuinfoAMD, "AMD EPYC", []string{"avx", "avx2", "fma", "avx512f"}},
		{"intel", cpuinfoIntel, "Intel(R) Xeon(R) CPU E5-2690 v4 @ 2.60GHz", []string{"avx", "avx2", "fma"}},
		// arm64 kernels list "Features" and no model name.
		{"arm64", "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm\n", "", nil},
		{"empty", "", "", nil},
	}
	for _, c := range cases {
		model, flags := parseCPUInfo(c.text)
		if model != c.model || !slices.Equal(flags, c.flags) {
			t.Errorf("%s: got %q %q, want %q %q", c.name, model, flags, c.model, c.flags)
		}
	}
}

func TestParseLoadAvg(t *testing.T) {
	cases := []struct {
		text string
		want []float64
	}{
		// /proc/loadavg: three load averages, running/total tasks, last PID.
		{"3.94 1.86 0.76 1/102 21517\n", []float64{3.94, 1.86, 0.76}},
		{"0.00 0.01 0.05 1/99 7", []float64{0, 0.01, 0.05}},
		{"0.52 0.58", nil},
		{"busy 0.58 0.59 1/123 4567", nil},
		{"", nil},
	}
	for _, c := range cases {
		if got := parseLoadAvg(c.text); !slices.Equal(got, c.want) {
			t.Errorf("parseLoadAvg(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

func TestReadMachineFromFiles(t *testing.T) {
	dir := t.TempDir()
	cpuinfo, loadavg := filepath.Join(dir, "cpuinfo"), filepath.Join(dir, "loadavg")
	writeFile(t, cpuinfo, cpuinfoAMD)
	writeFile(t, loadavg, "0.52 0.58 0.59 1/123 4567\n")
	m := readMachine(2, cpuinfo, loadavg)
	if m.CPU != "AMD EPYC" || !slices.Equal(m.CPUFlags, []string{"avx", "avx2", "fma", "avx512f"}) ||
		!slices.Equal(m.LoadAverage, []float64{0.52, 0.58, 0.59}) || m.Workers != 2 {
		t.Errorf("got %+v", m)
	}
	if m.NumCPU != runtime.NumCPU() || m.GOMAXPROCS != runtime.GOMAXPROCS(0) || m.GEMM != linalg.Backend() ||
		m.GoVersion != runtime.Version() || m.GOOS != runtime.GOOS || m.GOARCH != runtime.GOARCH {
		t.Errorf("runtime fields: got %+v", m)
	}
}

// Without /proc (other systems) the machine is still described, with the
// /proc fields empty.
func TestReadMachineWithoutProc(t *testing.T) {
	dir := t.TempDir()
	m := readMachine(1, filepath.Join(dir, "no-cpuinfo"), filepath.Join(dir, "no-loadavg"))
	if m.CPU != "" || m.CPUFlags != nil || m.LoadAverage != nil {
		t.Errorf("got %+v, want empty /proc fields", m)
	}
	if m.NumCPU < 1 || m.GOMAXPROCS < 1 || m.GEMM == "" || m.GoVersion == "" {
		t.Errorf("got %+v, want the runtime fields", m)
	}
	if got, want := m.String(), "unknown CPU, GOMAXPROCS "; !strings.HasPrefix(got, want) || strings.Contains(got, "load") {
		t.Errorf("String() = %q, want it to start with %q and name no load", got, want)
	}
}

func TestMachineString(t *testing.T) {
	m := Machine{CPU: "AMD EPYC 7B13", CPUFlags: []string{"avx2", "fma"}, NumCPU: 2, GOMAXPROCS: 2,
		GEMM: "go-avx2", Workers: 1, LoadAverage: []float64{0.52, 0.58, 0.59}}
	if got, want := m.String(), "AMD EPYC 7B13 (avx2 fma), GOMAXPROCS 2 of 2 CPUs, GEMM pure-Go AVX2, 1 worker, load 0.52"; got != want {
		t.Errorf("String() = %q\nwant        %q", got, want)
	}
	m = Machine{CPU: "X", NumCPU: 8, GOMAXPROCS: 4, GEMM: "openblas", Workers: 2}
	if got, want := m.String(), "X, GOMAXPROCS 4 of 8 CPUs, GEMM OpenBLAS, 2 workers"; got != want {
		t.Errorf("String() = %q\nwant        %q", got, want)
	}
}

// A record written before Record.Machine existed still loads, with no
// machine; a record with one round-trips it.
func TestRecordMachineField(t *testing.T) {
	dir := t.TempDir()
	old := `{"schema": 1, "id": "old", "label": "STL", "strategy": "stl", "setting": "0: primary only",
		"tasks": ["sentiment"], "seed": 1, "config": {}, "git_revision": "unknown",
		"started": "2026-01-01T00:00:00Z", "finished": "2026-01-01T00:01:00Z", "status": "done",
		"epochs": [], "final": {"accuracy": 0.8}, "train_seconds": 1, "eval_seconds": 0.1}`
	writeFile(t, filepath.Join(dir, "old.json"), old)
	r, err := ReadRecord(filepath.Join(dir, "old.json"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Machine != nil {
		t.Errorf("old record: machine %+v, want nil", r.Machine)
	}

	m := Machine{CPU: "AMD EPYC", CPUFlags: []string{"avx2"}, NumCPU: 2, GOMAXPROCS: 2, GEMM: "go-avx2",
		GoVersion: "go1.26.8", GOOS: "linux", GOARCH: "amd64", Workers: 2, LoadAverage: []float64{0.5, 0.25, 0.125}}
	r.ID, r.Machine = "new", &m
	path, err := WriteRecord(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ReadRecord(path)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(back.Machine)
	want, _ := json.Marshal(&m)
	if string(got) != string(want) {
		t.Errorf("machine after a round trip:\n got %s\nwant %s", got, want)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
