package bench

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"
	"unsafe"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/mt2st/mt2st/graph"
)

// TestMTLHeadsMatchStockGorgonia checks the mtl benchmark model (bag
// sentiment + skip-gram with negative sampling + similarity, weights 1, 0.5,
// 0.5) at the benchmark's shapes against the same losses written with stock
// Gorgonia ops over the whole embedding and context tables, differentiated
// densely by Gorgonia: ByIndices gathers, BatchedMatMul pooling, LogSoftMax
// cross-entropy, softplus of signed dot products, cosines from Sum and Sqrt.
//
// Two steps, each on a new batch: the fast path's per-task losses and its
// gradients (graph.Program.Gradients: gathered rows scattered back by id,
// parameters) must match the stock graph's, every one of the 2·20,000×100
// table entries included (rows the batch never reads must have none). The
// context table starts at zero, so the first step's skip-gram gradient
// reaches only the context table and the second step's also the embedding.
// After the first step the updated values must match dense Adam (as
// torch.optim.Adam) applied to the stock gradients: from zero moments, rows
// without gradient stay unchanged under both. Later steps are not compared
// after the update: dense Adam keeps moving rows whose moments are nonzero,
// the row-sparse Adam (torch's SparseAdam) does not.
func TestMTLHeadsMatchStockGorgonia(t *testing.T) {
	s, err := New("mtl", 3)
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string]*graph.Table{}
	for _, tb := range s.Model.Tables() {
		tables[tb.Name] = tb
	}
	params := map[string]*graph.Param{}
	for _, p := range s.Model.Params() {
		params[p.Name] = p
	}
	emb, ctx := tables["embedding"], tables["skipgram/context"]
	w, b := params["sentiment/out.w"], params["sentiment/out.b"]
	if emb == nil || ctx == nil || w == nil || b == nil {
		t.Fatalf("tables %v, params %v: want embedding, skipgram/context, sentiment/out.w and out.b", keys(tables), keys(params))
	}
	opt := graph.DefaultAdam()
	opt.LR = LR
	for step := 1; step <= 2; step++ {
		s.Next()
		in := readInputs(t, s)
		ref := newStockMTL(t, in, emb.W, ctx.W, w.Data(), b.Data())
		losses, rows, grads, err := s.Program.Gradients(s.Weights)
		if err != nil {
			t.Fatal(err)
		}
		// The stock graph sums the skip-gram loss's 6,144 float32 terms in
		// one pass, which errs by up to ~1e-4 relative (7e-5 seen); the first
		// step's exact value is known: with the context table at zero every
		// dot product is 0, and the loss is (K+1)·softplus(0) = 6·ln 2.
		for i, name := range []string{"sentiment", "skipgram", "similarity"} {
			if d := math.Abs(losses[i] - ref.losses[i]); d > 1e-4*math.Max(1, math.Abs(ref.losses[i])) {
				t.Errorf("step %d: %s loss %.7f, stock %.7f", step, name, losses[i], ref.losses[i])
			}
		}
		if want := (Negatives + 1) * math.Ln2; step == 1 && math.Abs(losses[1]-want) > 1e-6 {
			t.Errorf("step 1: skipgram loss %.7f, want 6·ln 2 = %.7f", losses[1], want)
		}
		near2(t, fmt.Sprintf("step %d d embedding", step), denseRows(rows["embedding"], Vocab, Dim), ref.grads[0])
		near2(t, fmt.Sprintf("step %d d context", step), denseRows(rows["skipgram/context"], Vocab, Dim), ref.grads[1])
		near2(t, fmt.Sprintf("step %d d out.w", step), grads["sentiment/out.w"], ref.grads[2])
		near2(t, fmt.Sprintf("step %d d out.b", step), grads["sentiment/out.b"], ref.grads[3])
		if step == 2 && maxAbs32(ref.grads[0]) == 0 {
			t.Fatal("no embedding gradient: the comparison would prove little")
		}

		before := [][]float32{slices.Clone(emb.W), slices.Clone(ctx.W), slices.Clone(w.Data()), slices.Clone(b.Data())}
		if _, err := s.Step(); err != nil {
			t.Fatal(err)
		}
		if step > 1 {
			continue
		}
		for i, got := range [][]float32{emb.W, ctx.W, w.Data(), b.Data()} {
			want := firstAdamStep(before[i], ref.grads[i], opt)
			near(t, fmt.Sprintf("step %d updated %d", step, i), got, want, 1e-6)
			if slices.Equal(got, before[i]) {
				t.Fatalf("value %d did not move", i)
			}
		}
	}
}

// mtlInputs is one batch of the mtl model as its tasks hold it.
type mtlInputs struct {
	tokens             []int32   // sentiment: B·T token ids
	pool, target       []float32 // sentiment: B×T pooling weights, B×C target weights
	centre, sgTarget   []int32   // skip-gram: P centres, P·G context and noise words
	sign, sgWeight     []float32 // skip-gram: P·G
	a, b               []int32   // similarity: pair words
	simTarget, simWeig []float32
}

// readInputs reads the batch the tasks filled (their unexported input
// buffers, read by reflection: the tasks expose no accessor, and the
// reference must see exactly what the fast path trains on).
func readInputs(t *testing.T, s *Setup) mtlInputs {
	t.Helper()
	sent, sg, sim := s.Tasks[0], s.Tasks[1], s.Tasks[2]
	in := mtlInputs{
		tokens:    field[[]int32](t, sent, "train", "ids"),
		pool:      denseData(t, field[*tensor.Dense](t, sent, "train", "tokenW")),
		target:    denseData(t, field[*tensor.Dense](t, sent, "train", "target")),
		centre:    field[[]int32](t, sg, "centre"),
		sgTarget:  field[[]int32](t, sg, "target"),
		sign:      denseData(t, field[*tensor.Dense](t, sg, "sign")),
		sgWeight:  denseData(t, field[*tensor.Dense](t, sg, "weight")),
		a:         field[[]int32](t, sim, "a"),
		b:         field[[]int32](t, sim, "b"),
		simTarget: denseData(t, field[*tensor.Dense](t, sim, "target")),
		simWeig:   denseData(t, field[*tensor.Dense](t, sim, "weight")),
	}
	if len(in.tokens) != Batch*Tokens || len(in.centre) != Centres || len(in.sgTarget) != Centres*(Negatives+1) || len(in.a) != Pairs {
		t.Fatalf("batch sizes %d tokens, %d centres, %d targets, %d pairs: not the benchmark's", len(in.tokens), len(in.centre), len(in.sgTarget), len(in.a))
	}
	for _, ids := range [][]int32{in.tokens, in.centre, in.sgTarget, in.a, in.b} {
		if slices.Min(ids) < 0 {
			t.Fatal("a padded batch: the stock reference gathers every id")
		}
	}
	return in
}

// field reads the unexported field at path (through pointers) of v.
func field[T any](t *testing.T, v any, path ...string) T {
	t.Helper()
	f := reflect.ValueOf(v)
	for _, name := range path {
		for f.Kind() == reflect.Pointer || f.Kind() == reflect.Interface {
			f = f.Elem()
		}
		f = f.FieldByName(name)
		if !f.IsValid() {
			t.Fatalf("%T has no field %v", v, path)
		}
	}
	x, ok := reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface().(T)
	if !ok {
		t.Fatalf("%T field %v is a %v", v, path, f.Type())
	}
	return x
}

func denseData(t *testing.T, d *tensor.Dense) []float32 {
	t.Helper()
	x, ok := d.Data().([]float32)
	if !ok {
		t.Fatalf("tensor of %v, want float32", d.Dtype())
	}
	return x
}

// stockMTL is one run of the stock graph: the three losses and the dense
// gradients of 1·L_sentiment + 0.5·L_skipgram + 0.5·L_similarity with
// respect to the embedding, the context table, out.w and out.b.
type stockMTL struct {
	losses [3]float64
	grads  [4][]float32
}

func newStockMTL(t *testing.T, in mtlInputs, e, c, w, b []float32) stockMTL {
	t.Helper()
	g := G.NewGraph()
	mat := func(name string, data []float32, shape ...int) *G.Node {
		return G.NewTensor(g, tensor.Float32, len(shape), G.WithShape(shape...), G.WithName(name),
			G.WithValue(tensor.New(tensor.WithShape(shape...), tensor.WithBacking(slices.Clone(data)))))
	}
	idx := func(name string, ids []int32) *G.Node {
		v := make([]int, len(ids))
		for i, id := range ids {
			v[i] = int(id)
		}
		return G.NewVector(g, tensor.Int, G.WithShape(len(v)), G.WithName(name), G.WithValue(tensor.New(tensor.WithBacking(v))))
	}
	must := G.Must
	E, C := mat("E", e, Vocab, Dim), mat("C", c, Vocab, Dim)
	W, B := mat("W", w, Dim, Classes), mat("b", b, 1, Classes)

	// Sentiment: mean of the token rows, linear, cross-entropy weighted by
	// the target (1/B at the label).
	x := must(G.Reshape(must(G.ByIndices(E, idx("tokens", in.tokens), 0)), tensor.Shape{Batch, Tokens, Dim}))
	pooled := must(G.Reshape(must(G.BatchedMatMul(mat("pool", in.pool, Batch, 1, Tokens), x)), tensor.Shape{Batch, Dim}))
	logits := must(G.BroadcastAdd(must(G.Mul(pooled, W)), B, nil, []byte{0}))
	lSent := must(G.Neg(must(G.Sum(must(G.HadamardProd(must(G.LogSoftMax(logits)), mat("y", in.target, Batch, Classes)))))))

	// Skip-gram: Σ_r weight_r · softplus(sign_r · e_{centre(r)} · u_r), the
	// centre row repeated for its K+1 targets.
	per := Negatives + 1
	rep := make([]int32, len(in.sgTarget))
	for r := range rep {
		rep[r] = in.centre[r/per]
	}
	eRep := must(G.ByIndices(E, idx("centres", rep), 0))
	u := must(G.ByIndices(C, idx("targets", in.sgTarget), 0))
	dots := must(G.Sum(must(G.HadamardProd(eRep, u)), 1))
	signed := must(G.HadamardProd(dots, mat("sign", in.sign, len(in.sign))))
	lSG := must(G.Sum(must(G.HadamardProd(must(G.Softplus(signed)), mat("sgw", in.sgWeight, len(in.sgWeight))))))

	// Similarity: Σ w·(cos − target)², cos = a·b / (√(|a|²+ε)·√(|b|²+ε)).
	ea, eb := must(G.ByIndices(E, idx("a", in.a), 0)), must(G.ByIndices(E, idx("b", in.b), 0))
	eps := G.NewScalar(g, tensor.Float32, G.WithName("eps"), G.WithValue(float32(graph.CosineEps)))
	norm := func(v *G.Node) *G.Node {
		return must(G.Sqrt(must(G.Add(must(G.Sum(must(G.Square(v)), 1)), eps))))
	}
	cos := must(G.HadamardDiv(must(G.Sum(must(G.HadamardProd(ea, eb)), 1)), must(G.HadamardProd(norm(ea), norm(eb)))))
	diff := must(G.Sub(cos, mat("simt", in.simTarget, Pairs)))
	lSim := must(G.Sum(must(G.HadamardProd(must(G.Square(diff)), mat("simw", in.simWeig, Pairs)))))

	half := G.NewScalar(g, tensor.Float32, G.WithName("half"), G.WithValue(float32(AuxWeight)))
	total := must(G.Add(lSent, must(G.Mul(must(G.Add(lSG, lSim)), half))))
	grads, err := G.Grad(total, E, C, W, B)
	if err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	var out stockMTL
	for i, l := range []*G.Node{lSent, lSG, lSim} {
		out.losses[i] = float64(l.Value().Data().(float32))
	}
	for i, gr := range grads {
		out.grads[i] = slices.Clone(gr.Value().Data().([]float32))
	}
	return out
}

// denseRows lays out row gradients by id as a dense rows×dim table.
func denseRows(byID map[int32][]float32, rows, dim int) []float32 {
	d := make([]float32, rows*dim)
	for id, g := range byID {
		copy(d[int(id)*dim:], g)
	}
	return d
}

// near2 compares gradients relative to the largest stock gradient: the
// entries are sums of many float32 terms of either sign, so an entry near
// zero can differ by more than its own size.
func near2(t *testing.T, what string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, stock %d", what, len(got), len(want))
	}
	scale := float64(maxAbs32(want))
	tol := 1e-4 * scale
	worst := 0.0
	for i := range want {
		d := math.Abs(float64(got[i] - want[i]))
		worst = math.Max(worst, d)
		if !(d <= tol) {
			t.Fatalf("%s[%d] = %.7g, stock %.7g (largest |stock| %.3g)", what, i, got[i], want[i], scale)
		}
	}
	t.Logf("%s: largest difference %.3g of largest |gradient| %.3g", what, worst, scale)
}

func maxAbs32(v []float32) float32 {
	var m float32
	for _, x := range v {
		m = max(m, float32(math.Abs(float64(x))))
	}
	return m
}

// firstAdamStep is torch.optim.Adam's first update from zero moments.
func firstAdamStep(w, g []float32, o graph.Adam) []float32 {
	out := slices.Clone(w)
	bc1, bc2 := 1-o.Beta1, 1-o.Beta2
	for j := range out {
		m := float32(1-o.Beta1) * g[j]
		v := float32(1-o.Beta2) * g[j] * g[j]
		den := float32(math.Sqrt(float64(v)))/float32(math.Sqrt(bc2)) + float32(o.Eps)
		out[j] -= float32(o.LR/bc1) * m / den
	}
	return out
}

func keys[V any](m map[string]V) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	slices.Sort(k)
	return k
}
