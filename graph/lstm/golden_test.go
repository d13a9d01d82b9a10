package lstm

import (
	"encoding/json"
	"os"
	"testing"

	"gorgonia.org/tensor"
)

// goldenCase is one case of testdata/torch_lstm_golden.json, written by
// `/usr/bin/python3 scripts/torch_lstm_golden.py` (torch.nn.LSTM in float64
// on float32-representable inputs; masked cases through pack_padded_sequence).
type goldenCase struct {
	Name       string
	B, T, D, H int
	Reverse    bool
	Output     string
	Lengths    []int
	X, Mask    []float64
	Wx, Wh     []float64
	Bias, Dout []float64
	Out, Dx    []float64
	Dwx, Dwh   []float64
	Dbias      []float64
}

func loadGolden(t *testing.T) []goldenCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/torch_lstm_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct{ Cases []goldenCase }
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatalf("testdata/torch_lstm_golden.json: %v", err)
	}
	if len(file.Cases) == 0 {
		t.Fatal("testdata/torch_lstm_golden.json has no cases")
	}
	return file.Cases
}

// TestMatchesTorch checks outputs and all gradients against PyTorch: to 1e-5
// on the float32 path (the brief's tolerance), to 1e-10 on the float64 path.
func TestMatchesTorch(t *testing.T) {
	for _, c := range loadGolden(t) {
		opts := Options{Reverse: c.Reverse, Output: AllStates}
		if c.Output == "last" {
			opts.Output = LastState
		}
		want := results{out: c.Out, dx: c.Dx, dwx: c.Dwx, dwh: c.Dwh, dbias: c.Dbias}
		in := inputs{x: c.X, mask: c.Mask, wx: c.Wx, wh: c.Wh, bias: c.Bias, dout: c.Dout}
		for _, tc := range []struct {
			dt  tensor.Dtype
			tol float64
		}{{tensor.Float32, 1e-5}, {tensor.Float64, 1e-10}} {
			t.Run(c.Name+"/"+tc.dt.String(), func(t *testing.T) {
				s := newSession(t, tc.dt, c.B, c.T, c.D, c.H, opts, Apply)
				got, err := s.step(in)
				if err != nil {
					t.Fatal(err)
				}
				compareResults(t, c.Name, got, want, tc.tol)
			})
		}
	}
}
