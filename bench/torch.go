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

// TorchReference runs the PyTorch reference (scripts/torch_ref.py) for one
// model with one BLAS thread and returns its median step time and the JSON
// line it printed. steps 0 keeps the script's default.
func TorchReference(ctx context.Context, python, script, model string, steps, warmup int) (medianMS float64, line string, err error) {
	args := []string{script, "--model", model, "--warmup", strconv.Itoa(warmup)}
	if steps > 0 {
		args = append(args, "--steps", strconv.Itoa(steps))
	}
	cmd := exec.CommandContext(ctx, python, args...)
	cmd.Env = append(os.Environ(), "OPENBLAS_NUM_THREADS=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return 0, "", fmt.Errorf("%s %s: %w: %s", python, strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var l struct {
			Model    string  `json:"model"`
			MedianMS float64 `json:"median_ms"`
		}
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Model == model && l.MedianMS > 0 {
			return l.MedianMS, sc.Text(), nil
		}
	}
	return 0, "", fmt.Errorf("%s printed no median for model %s: %q", script, model, out.String())
}
