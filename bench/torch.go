package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// Torch is one run of the PyTorch reference for one model.
type Torch struct {
	Impl     string    `json:"impl"` // "torch-<version>"
	Model    string    `json:"model"`
	MedianMS float64   `json:"median_ms"`
	Steps    int       `json:"steps"`
	Threads  int       `json:"threads"`
	Times    []float64 `json:"times_ms"` // every timed step in milliseconds
	// Line is the JSON line the script printed.
	Line string `json:"-"`
}

// TorchReference runs the PyTorch reference (scripts/torch_ref.py) for one
// model with one BLAS thread: warmup untimed steps, then steps timed ones
// (0 keeps the script's default), and returns its timing with every step's
// time.
func TorchReference(ctx context.Context, python, script, model string, steps, warmup int) (Torch, error) {
	args := []string{script, "--model", model, "--warmup", strconv.Itoa(warmup), "--times"}
	if steps > 0 {
		args = append(args, "--steps", strconv.Itoa(steps))
	}
	cmd := exec.CommandContext(ctx, python, args...)
	cmd.Env = append(os.Environ(), "OPENBLAS_NUM_THREADS=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return Torch{}, fmt.Errorf("%s %s: %w: %s", python, strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	sc := bufio.NewScanner(&out)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	for sc.Scan() {
		var l Torch
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Model == model && l.MedianMS > 0 {
			if len(l.Times) != l.Steps {
				return Torch{}, fmt.Errorf("%s: model %s: %d step times for %d steps (does the script support --times?)", script, model, len(l.Times), l.Steps)
			}
			l.Line = sc.Text()
			return l, nil
		}
	}
	return Torch{}, fmt.Errorf("%s printed no median for model %s: %q", script, model, out.String())
}
