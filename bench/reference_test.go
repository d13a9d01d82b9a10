package bench

import (
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/sentiment"
)

// The optimised training step (host-side table, gathered rows, fused pooling
// and loss ops, row-sparse AVX2 Adam with prefetch) must compute what the
// plain path computes: the whole embedding as a Gorgonia tensor read with
// ByIndices, stock ops for pooling and the loss, dense gradients from
// Gorgonia, and Adam written out as torch.optim.Adam. With one fixed full
// batch, rows the batch never reads have zero gradient and zero moments, so
// dense Adam leaves them unchanged exactly as the sparse update does.
func TestOptimisedStepMatchesStockGorgonia(t *testing.T) {
	const vocab, dim, classes, maxTokens, steps = 13, 6, 3, 5, 4
	rng := rand.New(rand.NewPCG(11, 12))
	docs := make([]tasks.Document, 5)
	for i := range docs {
		ids := make([]int32, 1+i%maxTokens) // lengths 1..5: padding in every row but the last
		for j := range ids {
			ids[j] = int32(1 + rng.IntN(vocab-1)) // id 0 stands for padding in the reference
		}
		docs[i] = tasks.Document{IDs: ids, Label: i % classes}
	}
	task, err := sentiment.NewWith(sentiment.Config{Encoder: "bag", Batch: 0, EvalBatch: 8},
		&tasks.Documents{Train: docs, Classes: classes, MaxTokens: maxTokens}, dim)
	if err != nil {
		t.Fatal(err)
	}
	emb := graph.NewTable("embedding", vocab, dim)
	emb.Fill(graph.Uniform(-0.5, 0.5), 3)
	opt := graph.DefaultAdam()
	opt.LR = 0.05 // large steps, so that four of them move every value visibly
	model := graph.NewModel(emb, opt, 3)
	prog, err := model.Program(task)
	if err != nil {
		t.Fatal(err)
	}
	task.StartEpoch(rng)
	task.NextBatch(rng) // full batch: the same five documents every step, in order

	params := map[string]*graph.Param{}
	for _, p := range model.Params() {
		params[p.Name] = p
	}
	w0, b0 := params["sentiment/out.w"], params["sentiment/out.b"]
	if w0 == nil || b0 == nil {
		t.Fatalf("parameters %v: want sentiment/out.w and sentiment/out.b", slices.Sorted(maps.Keys(params)))
	}
	ref := newStockBag(t, docs, classes, maxTokens, slices.Clone(emb.W), []int{vocab, dim},
		slices.Clone(w0.Data()), slices.Clone(b0.Data()), opt)

	for step := range steps {
		losses, err := prog.Step([]float64{1})
		if err != nil {
			t.Fatal(err)
		}
		want := ref.step(t)
		if math.Abs(losses[0]-want) > 1e-5 {
			t.Fatalf("step %d: loss %.7f, stock path %.7f", step+1, losses[0], want)
		}
	}
	near(t, "embedding", emb.W, ref.vals[0], 1e-5)
	near(t, "out.w", w0.Data(), ref.vals[1], 1e-5)
	near(t, "out.b", b0.Data(), ref.vals[2], 1e-5)
	if slices.Equal(emb.W[dim:2*dim], ref.init[0][dim:2*dim]) && slices.Equal(w0.Data(), ref.init[1]) {
		t.Fatal("nothing moved: the comparison would prove nothing")
	}
}

func near(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	for i := range want {
		if math.Abs(float64(got[i]-want[i])) > tol {
			t.Fatalf("%s[%d] = %.7g, stock path %.7g", what, i, got[i], want[i])
		}
	}
}

// stockBag is the bag classifier built from stock Gorgonia ops with dense
// gradients and a dense Adam.
type stockBag struct {
	vm          G.VM
	loss        *G.Node
	grads       G.Nodes
	vals, init  [][]float32 // embedding, out.w, out.b
	m, v        [][]float32
	opt         graph.Adam
	adamStep    int
	tensorsHeld []*tensor.Dense
}

func newStockBag(t *testing.T, docs []tasks.Document, classes, maxTokens int, e []float32, eShape []int, w, b []float32, opt graph.Adam) *stockBag {
	t.Helper()
	n := len(docs)
	idx := make([]int, n*maxTokens) // padding reads row 0 with pooling weight 0
	pool := make([]float32, n*maxTokens)
	target := make([]float32, n*classes)
	for i, d := range docs {
		for j, id := range d.IDs {
			idx[i*maxTokens+j] = int(id)
			pool[i*maxTokens+j] = 1 / float32(len(d.IDs))
		}
		target[i*classes+d.Label] = 1 / float32(n)
	}
	g := G.NewGraph()
	s := &stockBag{opt: opt}
	dense := func(data []float32, shape ...int) *tensor.Dense {
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data))
	}
	eT, wT, bT := dense(e, eShape...), dense(w, eShape[1], classes), dense(b, 1, classes)
	s.tensorsHeld = []*tensor.Dense{eT, wT, bT}
	s.vals = [][]float32{e, w, b}
	for _, v := range s.vals {
		s.init = append(s.init, slices.Clone(v))
		s.m = append(s.m, make([]float32, len(v)))
		s.v = append(s.v, make([]float32, len(v)))
	}
	E := G.NewMatrix(g, tensor.Float32, G.WithShape(eShape...), G.WithValue(eT), G.WithName("E"))
	W := G.NewMatrix(g, tensor.Float32, G.WithShape(eShape[1], classes), G.WithValue(wT), G.WithName("W"))
	B := G.NewMatrix(g, tensor.Float32, G.WithShape(1, classes), G.WithValue(bT), G.WithName("b"))
	I := G.NewVector(g, tensor.Int, G.WithShape(len(idx)), G.WithValue(tensor.New(tensor.WithBacking(idx))), G.WithName("idx"))
	P := G.NewTensor(g, tensor.Float32, 3, G.WithShape(n, 1, maxTokens), G.WithValue(dense(pool, n, 1, maxTokens)), G.WithName("pool"))
	Y := G.NewMatrix(g, tensor.Float32, G.WithShape(n, classes), G.WithValue(dense(target, n, classes)), G.WithName("y"))
	x := G.Must(G.ByIndices(E, I, 0))
	x3 := G.Must(G.Reshape(x, tensor.Shape{n, maxTokens, eShape[1]}))
	pooled := G.Must(G.Reshape(G.Must(G.BatchedMatMul(P, x3)), tensor.Shape{n, eShape[1]}))
	logits := G.Must(G.BroadcastAdd(G.Must(G.Mul(pooled, W)), B, nil, []byte{0}))
	s.loss = G.Must(G.Neg(G.Must(G.Sum(G.Must(G.HadamardProd(G.Must(G.LogSoftMax(logits)), Y))))))
	var err error
	if s.grads, err = G.Grad(s.loss, E, W, B); err != nil {
		t.Fatal(err)
	}
	s.vm = G.NewTapeMachine(g)
	return s
}

// step runs the stock graph, applies torch.optim.Adam to every value and
// returns the loss before the update.
func (s *stockBag) step(t *testing.T) float64 {
	t.Helper()
	defer s.vm.Reset()
	if err := s.vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	loss := float64(s.loss.Value().Data().(float32))
	s.adamStep++
	o := s.opt
	bc1 := 1 - math.Pow(o.Beta1, float64(s.adamStep))
	bc2 := 1 - math.Pow(o.Beta2, float64(s.adamStep))
	for i, gn := range s.grads {
		g := gn.Value().Data().([]float32)
		w, m, v := s.vals[i], s.m[i], s.v[i]
		for j := range w {
			m[j] = float32(o.Beta1)*m[j] + float32(1-o.Beta1)*g[j]
			v[j] = float32(o.Beta2)*v[j] + float32(1-o.Beta2)*g[j]*g[j]
			den := float32(math.Sqrt(float64(v[j])))/float32(math.Sqrt(bc2)) + float32(o.Eps)
			w[j] -= float32(o.LR/bc1) * m[j] / den
		}
	}
	return loss
}
