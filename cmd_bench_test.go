package main

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"github.com/mt2st/mt2st/graph/linalg"
	"github.com/mt2st/mt2st/results"
)

func TestBenchJSONLine(t *testing.T) {
	code, out, errs := runCLI(t, "bench", "--model", "bag", "--steps", "2", "--warmup", "1", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 {
		t.Fatalf("%d lines, want one per model:\n%s", len(lines), out)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &r); err != nil {
		t.Fatalf("%v in %q", err, lines[0])
	}
	for _, k := range []string{"impl", "model", "median_ms", "steps", "allocs_per_step", "bytes_per_step"} {
		if _, ok := r[k]; !ok {
			t.Errorf("no %q in %s", k, lines[0])
		}
	}
	if r["model"] != "bag" || r["steps"] != 2.0 || r["impl"] != "mt2st" || r["median_ms"].(float64) <= 0 {
		t.Errorf("line %s", lines[0])
	}
	if _, ok := r["ratio"]; ok {
		t.Errorf("ratio without --compare: %s", lines[0])
	}
	// The line names the machine it was timed on.
	m, _ := r["machine"].(map[string]any)
	for _, k := range []string{"num_cpu", "gomaxprocs", "gemm", "go_version", "goos", "goarch", "workers"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no machine.%s in %s", k, lines[0])
		}
	}
	if m["gemm"] != linalg.Backend() || m["gomaxprocs"] != float64(runtime.GOMAXPROCS(0)) {
		t.Errorf("machine %v, want GEMM %s and GOMAXPROCS %d", m, linalg.Backend(), runtime.GOMAXPROCS(0))
	}
}

func TestBenchMemoryLines(t *testing.T) {
	code, out, errs := runCLI(t, "bench", "--model", "bag", "--steps", "4", "--warmup", "0", "--memory-every", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.Count(out, "rss") != 2 || !strings.Contains(out, "step      2") || !strings.Contains(out, "step      4") {
		t.Errorf("want resident-size lines at steps 2 and 4:\n%s", out)
	}
	if want := "machine: " + results.ReadMachine(1).String()[:20]; !strings.HasPrefix(out, want) {
		t.Errorf("want the output to start with %q:\n%s", want, out)
	}
}

func TestBenchStrategiesJSON(t *testing.T) {
	code, out, errs := runCLI(t, "bench", "--strategies", "--epochs", "2", "--epoch-steps", "1", "--json",
		"--strategy", "stl;mtl:lambda=0.5;switch:epoch=1,lambda=0.5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Runs []struct {
			Strategy string `json:"strategy"`
			Epochs   []struct {
				Ran []string `json:"ran"`
			} `json:"epochs"`
		} `json:"runs"`
		Saving  map[string]float64 `json:"saving"`
		Machine struct {
			GEMM string `json:"gemm"`
		} `json:"machine"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
	if len(r.Runs) != 3 || len(r.Runs[2].Epochs) != 2 || len(r.Runs[2].Epochs[1].Ran) != 1 || r.Saving["zero_weight_vs_stl"] <= 0 || r.Machine.GEMM != linalg.Backend() {
		t.Errorf("output %s", out)
	}
}

func TestBenchErrors(t *testing.T) {
	code, _, errs := runCLI(t, "bench", "--model", "cnn")
	if code != 1 || !strings.Contains(errs, "valid models are bag, mtl, lstm, bilstm, all") {
		t.Errorf("exit %d: %s", code, errs)
	}
	code, _, errs = runCLI(t, "bench", "--strategies", "--strategy", "anneal")
	if code != 1 || !strings.Contains(errs, "valid strategies are") {
		t.Errorf("exit %d: %s", code, errs)
	}
}
