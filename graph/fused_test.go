package graph

import (
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Each fused op is checked against the stock Gorgonia composition it
// replaces: the same loss and the same input gradients, on random inputs with
// a padded row, over two runs of one machine (the second run reuses the op's
// buffers).

func randDense(rng *rand.Rand, shape ...int) *tensor.Dense {
	t := tensor.New(tensor.WithShape(shape...), tensor.Of(tensor.Float32))
	for i := range t.Float32s() {
		t.Float32s()[i] = float32(rng.NormFloat64())
	}
	return t
}

// gradsOf builds loss(g, inputs) on a fresh graph, runs it twice (refilling
// the inputs from fill before each run) and returns the loss and the
// gradients with respect to the first nWrt inputs after the second run.
func gradsOf(t *testing.T, vals []*tensor.Dense, nWrt int, fill func(run int, vals []*tensor.Dense), loss func(g *G.ExprGraph, in G.Nodes) (*G.Node, error)) (float32, [][]float32) {
	t.Helper()
	g := G.NewGraph()
	in := make(G.Nodes, len(vals))
	for i, v := range vals {
		in[i] = G.NewTensor(g, tensor.Float32, v.Dims(), G.WithShape(v.Shape()...), G.WithValue(v), G.WithName(string(rune('a'+i))))
	}
	l, err := loss(g, in)
	if err != nil {
		t.Fatal(err)
	}
	grads, err := G.Grad(l, in[:nWrt]...)
	if err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(g)
	var out float32
	var gs [][]float32
	for run := range 2 {
		fill(run, vals)
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		s, err := scalar32(l.Value())
		if err != nil {
			t.Fatal(err)
		}
		out = s
		gs = gs[:0]
		for _, gr := range grads {
			d, err := Float32Data(gr.Value())
			if err != nil {
				t.Fatal(err)
			}
			gs = append(gs, append([]float32(nil), d...))
		}
		vm.Reset()
	}
	return out, gs
}

func assertNear(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if d := math.Abs(float64(got[i] - want[i])); d > tol*math.Max(1, math.Abs(float64(want[i]))) {
			t.Fatalf("%s[%d] = %g, want %g", what, i, got[i], want[i])
		}
	}
}

// refill draws new values for every input (different on each run, so a
// stale buffer would show).
func refill(seed uint64) func(int, []*tensor.Dense) {
	return func(run int, vals []*tensor.Dense) {
		rng := rand.New(rand.NewPCG(seed, uint64(run)))
		for _, v := range vals[:1] {
			for i := range v.Float32s() {
				v.Float32s()[i] = float32(rng.NormFloat64())
			}
		}
	}
}

func TestWeightedPoolMatchesBatchedMatMul(t *testing.T) {
	const b, tt, d = 3, 4, 5
	rng := rand.New(rand.NewPCG(1, 2))
	x := randDense(rng, b*tt, d)
	w := tensor.New(tensor.WithShape(b, tt), tensor.WithBacking([]float32{
		0.25, 0.25, 0.25, 0.25, // full row
		0.5, 0.5, 0, 0, // padded
		0, 0, 0, 0, // a padding document
	}))
	head := randDense(rng, d, 1) // a fixed linear read-out makes the loss depend on every output
	mk := func(fused bool) (float32, [][]float32) {
		return gradsOf(t, []*tensor.Dense{x.Clone().(*tensor.Dense), w, head}, 1, refill(3), func(g *G.ExprGraph, in G.Nodes) (*G.Node, error) {
			var pooled *G.Node
			var err error
			if fused {
				pooled, err = WeightedPool(in[0], in[1])
			} else {
				x3 := G.Must(G.Reshape(in[0], tensor.Shape{b, tt, d}))
				w3 := G.Must(G.Reshape(in[1], tensor.Shape{b, 1, tt}))
				pooled, err = G.Reshape(G.Must(G.BatchedMatMul(w3, x3)), tensor.Shape{b, d})
			}
			if err != nil {
				return nil, err
			}
			sq := G.Must(G.Square(G.Must(G.Mul(pooled, in[2]))))
			return G.Sum(sq)
		})
	}
	lf, gf := mk(true)
	ls, gs := mk(false)
	assertNear(t, "loss", []float32{lf}, []float32{ls}, 1e-5)
	assertNear(t, "dx", gf[0], gs[0], 1e-5)
	for i, v := range gf[0][(2*tt+2)*d:] { // padded rows of document 1 and all of document 2
		if v != 0 {
			t.Fatalf("gradient of a padding row %d is %g, want 0", i, v)
		}
	}
}

func TestSoftmaxCrossEntropyMatchesStockOps(t *testing.T) {
	const b, c = 4, 3
	rng := rand.New(rand.NewPCG(4, 5))
	z := randDense(rng, b, c)
	// 1/3 at the true class of three real rows; the last row is padding.
	y := tensor.New(tensor.WithShape(b, c), tensor.WithBacking([]float32{
		1.0 / 3, 0, 0,
		0, 0, 1.0 / 3,
		0, 1.0 / 3, 0,
		0, 0, 0,
	}))
	scale := tensor.New(tensor.WithShape(), tensor.WithBacking([]float32{0.7})) // a loss weight, as in Program
	mk := func(fused bool) (float32, [][]float32) {
		return gradsOf(t, []*tensor.Dense{z.Clone().(*tensor.Dense), y}, 1, refill(6), func(g *G.ExprGraph, in G.Nodes) (*G.Node, error) {
			var loss *G.Node
			if fused {
				var err error
				if loss, err = SoftmaxCrossEntropy(in[0], in[1]); err != nil {
					return nil, err
				}
			} else {
				logp := G.Must(G.LogSoftMax(in[0]))
				loss = G.Must(G.Neg(G.Must(G.Sum(G.Must(G.HadamardProd(logp, in[1]))))))
			}
			w := G.NewScalar(g, tensor.Float32, G.WithValue(float32(scale.Float32s()[0])), G.WithName("w"))
			return G.Mul(loss, w)
		})
	}
	lf, gf := mk(true)
	ls, gs := mk(false)
	assertNear(t, "loss", []float32{lf}, []float32{ls}, 1e-5)
	assertNear(t, "dz", gf[0], gs[0], 1e-5)
}

func TestLinearMatchesMulAndBroadcastAdd(t *testing.T) {
	const n, in, out = 5, 7, 3
	rng := rand.New(rand.NewPCG(7, 8))
	x, w, b := randDense(rng, n, in), randDense(rng, in, out), randDense(rng, 1, out)
	head := randDense(rng, out, 1)
	for _, withBias := range []bool{true, false} {
		mk := func(fused bool) (float32, [][]float32) {
			vals := []*tensor.Dense{x.Clone().(*tensor.Dense), w, b, head}
			return gradsOf(t, vals, 3, refill(9), func(g *G.ExprGraph, in G.Nodes) (*G.Node, error) {
				var y *G.Node
				var err error
				bias := in[2]
				if !withBias {
					bias = nil
				}
				switch {
				case fused:
					y, err = Linear(in[0], in[1], bias)
				case withBias:
					y, err = G.BroadcastAdd(G.Must(G.Mul(in[0], in[1])), in[2], nil, []byte{0})
				default:
					y, err = G.Mul(in[0], in[1])
				}
				if err != nil {
					return nil, err
				}
				loss := G.Must(G.Sum(G.Must(G.Square(G.Must(G.Mul(y, in[3]))))))
				if !withBias { // keep b in the graph so both versions have its gradient (zero)
					loss = G.Must(G.Add(loss, G.Must(G.Mul(G.Must(G.Sum(in[2])), G.NewScalar(g, tensor.Float32, G.WithValue(float32(0)), G.WithName("zero"))))))
				}
				return loss, nil
			})
		}
		lf, gf := mk(true)
		ls, gs := mk(false)
		assertNear(t, "loss", []float32{lf}, []float32{ls}, 1e-5)
		for i, name := range []string{"dx", "dW", "db"} {
			assertNear(t, name, gf[i], gs[i], 1e-4)
		}
	}
}

// stockCosines is tasks.Cosines written out: dot / (√(Σa²+ε)·√(Σb²+ε)).
func stockCosines(g *G.ExprGraph, a, b *G.Node) *G.Node {
	norm := func(x *G.Node, name string) *G.Node {
		eps := G.NewScalar(g, tensor.Float32, G.WithName(name), G.WithValue(float32(CosineEps)))
		return G.Must(G.Sqrt(G.Must(G.Add(G.Must(G.Sum(G.Must(G.HadamardProd(x, x)), 1)), eps))))
	}
	dot := G.Must(G.Sum(G.Must(G.HadamardProd(a, b)), 1))
	return G.Must(G.HadamardDiv(dot, G.Must(G.HadamardProd(norm(a, "epsA"), norm(b, "epsB")))))
}

func TestRowCosinesMatchStockOps(t *testing.T) {
	const n, d = 6, 5
	rng := rand.New(rand.NewPCG(10, 11))
	a, b := randDense(rng, n, d), randDense(rng, n, d)
	copy(b.Float32s()[d:2*d], a.Float32s()[d:2*d]) // a cosine of exactly 1
	target := randDense(rng, n)
	mk := func(fused bool) (float32, [][]float32) {
		return gradsOf(t, []*tensor.Dense{a.Clone().(*tensor.Dense), b, target}, 2, refill(12), func(g *G.ExprGraph, in G.Nodes) (*G.Node, error) {
			var cos *G.Node
			if fused {
				var err error
				if cos, err = RowCosines(in[0], in[1]); err != nil {
					return nil, err
				}
			} else {
				cos = stockCosines(g, in[0], in[1])
			}
			// the similarity task's loss: Σ (cos − target)²
			return G.Sum(G.Must(G.Square(G.Must(G.Sub(cos, in[2])))))
		})
	}
	lf, gf := mk(true)
	ls, gs := mk(false)
	assertNear(t, "loss", []float32{lf}, []float32{ls}, 1e-5)
	assertNear(t, "da", gf[0], gs[0], 1e-5)
	assertNear(t, "db", gf[1], gs[1], 1e-5)
}
