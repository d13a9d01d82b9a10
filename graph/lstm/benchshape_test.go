package lstm

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// benchInputs draws inputs at the scales the benchmark models train at:
// x like the embedding's uniform(−0.1, 0.1) initial values, the weights and
// bias like PyTorch's LSTM initialisation, uniform(±1/√H), the output
// gradient uniform(−1, 1). Every sequence is full length, as the
// benchmark's synthetic reviews are. Values are float32-representable.
func benchInputs(rng *rand.Rand, b, t, d, h, outRows int) inputs {
	u := func(n int, scale float64) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = float64(float32((rng.Float64()*2 - 1) * scale))
		}
		return s
	}
	mask := make([]float64, b*t)
	for i := range mask {
		mask[i] = 1
	}
	k := 1 / math.Sqrt(float64(h))
	return inputs{x: u(b*t*d, 0.1), mask: mask, wx: u(d*4*h, k), wh: u(h*4*h, k), bias: u(4*h, k), dout: u(outRows*h, 1)}
}

// benchTol is the agreement asked of the float32 op and the float64
// reference at the benchmark's shapes, relative to max(1, |value|): the
// weight gradients sum T·B = 6,400 float32 products per entry.
const benchTol = 1e-4

// TestPlainReferenceMatchesReference checks the float64 step-by-step
// reference against the stock-op Reference where the latter is sound (H not
// a multiple of 128), in both directions and for both outputs, over two
// steps with new inputs.
func TestPlainReferenceMatchesReference(t *testing.T) {
	const b, steps, d, h = 3, 5, 7, 6
	for _, opts := range []Options{{}, {Reverse: true}, {Output: LastState}, {Reverse: true, Output: LastState}} {
		ref := newSession(t, tensor.Float64, b, steps, d, h, opts, Reference)
		rng := rand.New(rand.NewPCG(5, 6))
		rows := b * steps
		if opts.Output == LastState {
			rows = b
		}
		for step := 0; step < 2; step++ {
			in := benchInputs(rng, b, steps, d, h, rows)
			for i := range in.x { // larger inputs than the benchmark's, so that every gate moves
				in.x[i] *= 10
			}
			want, err := ref.step(in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := plainLSTM(in, b, steps, d, h, opts)
			if err != nil {
				t.Fatal(err)
			}
			compareResults(t, fmt.Sprintf("reverse=%v/%v step %d", opts.Reverse, opts.Output, step), got, want, 1e-12)
		}
	}
}

// TestMatchesReferenceAtBenchmarkShapes runs the benchmark's lstm layer
// (B=64, T=100, D=100, H=128, every state output, forward) through the op, one
// machine step, and compares the output and every gradient with plainLSTM.
func TestMatchesReferenceAtBenchmarkShapes(t *testing.T) {
	const h = 128
	start := time.Now()
	rng := rand.New(rand.NewPCG(64, 100))
	opts := Options{Output: AllStates}
	op := newSession(t, tensor.Float32, benchB, benchT, benchD, h, opts, Apply)
	in := benchInputs(rng, benchB, benchT, benchD, h, benchB*benchT)
	got, err := op.step(in)
	if err != nil {
		t.Fatal(err)
	}
	want, err := plainLSTM(in, benchB, benchT, benchD, h, opts)
	if err != nil {
		t.Fatal(err)
	}
	reportMaxDiff(t, "lstm", got, want)
	compareResults(t, "lstm B64 T100 D100 H128", got, want, benchTol)
	requireMoving(t, want)
	t.Logf("took %v", time.Since(start))
}

// TestBidirectionalMatchesReferenceAtBenchmarkShapes does the same for the
// benchmark's bilstm encoder: H=256 per direction, a forward and a reverse op
// over one x, last states, x's gradient the sum of both directions' (added
// by Gorgonia). Each direction's output gets its own output gradient rather
// than one concatenated (B, 2H) output: Gorgonia v0.9.18's Concat
// differentiates through two slices, [0, 256) and [256, 512) along axis 1,
// whose one-byte bound hashes are equal, so it hands the second input the
// first one's gradient at this width (see plainLSTM).
func TestBidirectionalMatchesReferenceAtBenchmarkShapes(t *testing.T) {
	const h = 256
	start := time.Now()
	g := G.NewGraph()
	x := G.NewMatrix(g, G.Float32, G.WithShape(benchB*benchT, benchD), G.WithName("x"))
	mask := G.NewMatrix(g, G.Float32, G.WithShape(benchB, benchT), G.WithName("mask"))
	var params, douts []*G.Node
	var loss *G.Node
	for _, dir := range []string{"fwd", "rev"} {
		wx := G.NewMatrix(g, G.Float32, G.WithShape(benchD, 4*h), G.WithName("wx"+dir))
		wh := G.NewMatrix(g, G.Float32, G.WithShape(h, 4*h), G.WithName("wh"+dir))
		bias := G.NewVector(g, G.Float32, G.WithShape(4*h), G.WithName("bias"+dir))
		out, err := Apply(x, mask, wx, wh, bias, Options{Reverse: dir == "rev", Output: LastState})
		if err != nil {
			t.Fatal(err)
		}
		dout := G.NewMatrix(g, G.Float32, G.WithShape(benchB, h), G.WithName("dout"+dir))
		l := G.Must(G.Sum(G.Must(G.HadamardProd(out, dout))))
		if loss == nil {
			loss = l
		} else {
			loss = G.Must(G.Add(loss, l))
		}
		params, douts = append(params, wx, wh, bias), append(douts, dout, out)
	}
	grads, err := G.Grad(loss, append([]*G.Node{x}, params...)...)
	if err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()

	rng := rand.New(rand.NewPCG(64, 256))
	fw := benchInputs(rng, benchB, benchT, benchD, h, benchB)
	rv := benchInputs(rng, benchB, benchT, benchD, h, benchB)
	rv.x = fw.x // one input, two directions
	for n, v := range map[*G.Node][]float64{
		x: fw.x, mask: fw.mask, douts[0]: fw.dout, douts[2]: rv.dout,
		params[0]: fw.wx, params[1]: fw.wh, params[2]: fw.bias, params[3]: rv.wx, params[4]: rv.wh, params[5]: rv.bias,
	} {
		if err := G.Let(n, toTensor(tensor.Float32, n.Shape(), v)); err != nil {
			t.Fatal(err)
		}
	}
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	got := [][]float64{fromValue(douts[1].Value()), fromValue(douts[3].Value())}
	for _, gr := range grads {
		got = append(got, fromValue(gr.Value()))
	}
	t.Logf("op took %v", time.Since(start))

	refStart := time.Now()
	var want [2]results
	var errs [2]error
	var wg sync.WaitGroup
	for i, in := range []inputs{fw, rv} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			want[i], errs[i] = plainLSTM(in, benchB, benchT, benchD, h, Options{Reverse: i == 1, Output: LastState})
		}()
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		t.Fatal(err)
	}
	t.Logf("references took %v", time.Since(refStart))
	f, r := want[0], want[1]
	dx := make([]float64, len(f.dx))
	for i := range dx {
		dx[i] = f.dx[i] + r.dx[i]
	}
	wantAll := [][]float64{f.out, r.out, dx, f.dwx, f.dwh, f.dbias, r.dwx, r.dwh, r.dbias}
	names := []string{"out fwd", "out rev", "dx", "dwx fwd", "dwh fwd", "dbias fwd", "dwx rev", "dwh rev", "dbias rev"}
	for i := range got {
		worst := 0.0
		for j := range got[i] {
			worst = math.Max(worst, math.Abs(got[i][j]-wantAll[i][j])/math.Max(1, math.Abs(wantAll[i][j])))
		}
		t.Logf("%s: largest relative difference %.3g", names[i], worst)
	}
	for i := range got {
		compare(t, "bilstm B64 T100 D100 H256 "+names[i], got[i], wantAll[i], benchTol)
		if i >= 2 && maxAbs(wantAll[i]) < 1e-3 {
			t.Errorf("%s: largest |gradient| %.3g: the inputs leave it all but zero, so the comparison proves little", names[i], maxAbs(wantAll[i]))
		}
	}
	t.Logf("took %v", time.Since(start))
}

func reportMaxDiff(t *testing.T, what string, got, want results) {
	t.Helper()
	for _, p := range []struct {
		name string
		g, w []float64
	}{{"out", got.out, want.out}, {"dx", got.dx, want.dx}, {"dwx", got.dwx, want.dwx}, {"dwh", got.dwh, want.dwh}, {"dbias", got.dbias, want.dbias}} {
		worst := 0.0
		for i := range p.g {
			if i < len(p.w) {
				worst = math.Max(worst, math.Abs(p.g[i]-p.w[i])/math.Max(1, math.Abs(p.w[i])))
			}
		}
		t.Logf("%s %s: largest relative difference %.3g", what, p.name, worst)
	}
}

// requireMoving fails when a gradient is all but zero: then agreeing with
// the reference would prove little.
func requireMoving(t *testing.T, r results) {
	t.Helper()
	for name, v := range map[string][]float64{"dx": r.dx, "dwx": r.dwx, "dwh": r.dwh, "dbias": r.dbias} {
		if m := maxAbs(v); m < 1e-3 {
			t.Errorf("%s: largest |gradient| %.3g", name, m)
		}
	}
}

func maxAbs(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}
