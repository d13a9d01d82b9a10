package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/mt2st/mt2st/bench"
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

// --compare alternates rounds: mt2st's chunk first in even rounds, torch's
// first in odd ones, the chunks adding up to the requested steps on each side.
func TestCompareRoundsAlternate(t *testing.T) {
	s, err := bench.New("bag", 1)
	if err != nil {
		t.Fatal(err)
	}
	tm, err := bench.Start(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	after := func(step int) error { order = append(order, fmt.Sprintf("go%d", step)); return nil }
	torch, err := compareRounds(context.Background(), tm, 7, 3, 0, after, func(steps int) (bench.Torch, error) {
		order = append(order, fmt.Sprintf("torch×%d", steps))
		times := make([]float64, steps)
		for i := range times {
			times[i] = float64(len(order))
		}
		return bench.Torch{Impl: "torch-test", Model: "bag", Steps: steps, Threads: 2, Times: times}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"go1", "go2", "go3", "torch×3", "torch×2", "go4", "go5", "go6", "go7", "torch×2"}
	if !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	if torch.Steps != 7 || len(torch.Times) != 7 || torch.Impl != "torch-test" || tm.Result().Steps != 7 {
		t.Errorf("torch %+v, mt2st steps %d: want 7 each", torch, tm.Result().Steps)
	}
}

// The --compare JSON line carries both spreads and the ratio, with a stand-in
// for torch_ref.py (run by /bin/sh) whose every step takes 2 ms.
func TestBenchCompareJSON(t *testing.T) {
	script := filepath.Join(t.TempDir(), "torch_ref.sh")
	body := `n=$7; times=$(yes 2.0 | head -n "$n" | paste -sd, -)
echo "{\"impl\": \"torch-test\", \"model\": \"$2\", \"median_ms\": 2.0, \"steps\": $n, \"threads\": 2, \"times_ms\": [$times]}"
`
	if err := os.WriteFile(script, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "bench", "--model", "bag", "--steps", "5", "--rounds", "2", "--warmup", "0", "--json",
		"--compare", script, "--python", "/bin/sh")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.Count(errs, "torch: ") != 2 {
		t.Errorf("want two torch runs on stderr:\n%s", errs)
	}
	var r struct {
		Steps       int           `json:"steps"`
		MedianMS    float64       `json:"median_ms"`
		Spread      *bench.Spread `json:"spread"`
		TorchImpl   string        `json:"torch_impl"`
		TorchMS     float64       `json:"torch_median_ms"`
		TorchSpread *bench.Spread `json:"torch_spread"`
		Ratio       float64       `json:"ratio"`
		Machine     *results.Machine
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
	if r.Steps != 5 || r.Spread == nil || r.Spread.N != 5 || r.TorchSpread == nil || r.TorchSpread.N != 5 ||
		r.TorchMS != 2 || r.TorchImpl != "torch-test" || r.Ratio != ratio(r.MedianMS, 2) || r.Machine == nil || r.Machine.GEMM == "" {
		t.Errorf("line %s", out)
	}
}

// Every --json line names the machine, the --memory-every lines included.
func TestBenchJSONMemoryLinesNameTheMachine(t *testing.T) {
	code, out, errs := runCLI(t, "bench", "--model", "bag", "--steps", "2", "--warmup", "0", "--memory-every", "1", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 2 memory lines and a result:\n%s", len(lines), out)
	}
	for _, l := range lines {
		var r struct{ Machine *results.Machine }
		if err := json.Unmarshal([]byte(l), &r); err != nil || r.Machine == nil || r.Machine.GEMM != linalg.Backend() {
			t.Errorf("line without the machine: %s (%v)", l, err)
		}
	}
}
