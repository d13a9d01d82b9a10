package graph

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func randFloats(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

// withScalar runs fn with the vector loops switched off.
func withScalar(fn func()) {
	saved := useAVX2
	useAVX2 = false
	defer func() { useAVX2 = saved }()
	fn()
}

// The vector loops round every product before adding, as the Go loops do, so
// the two paths agree to the last bit under the default GOAMD64=v1; the
// tolerance only allows for a build that lets the compiler fuse the Go
// loops' multiply-adds (GOAMD64=v3).
const vecTol = 1e-6

func TestVectorKernelsMatchScalar(t *testing.T) {
	if !useAVX2 {
		t.Skip("no vector loops on this CPU")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{1, 7, 8, 37, 100} {
		x, y := randFloats(rng, n), randFloats(rng, n)
		a := float32(rng.NormFloat64())
		type kernel struct {
			name string
			run  func(dst []float32)
		}
		for _, k := range []kernel{
			{"addTo", func(dst []float32) { addTo(dst, x) }},
			{"scaleTo", func(dst []float32) { scaleTo(dst, x, a) }},
			{"axpy", func(dst []float32) { axpy(dst, x, a) }},
		} {
			vec, ref := slices.Clone(y), slices.Clone(y)
			k.run(vec)
			withScalar(func() { k.run(ref) })
			assertRel(t, k.name, vec, ref, vecTol)
		}
		// Adam: two steps from fresh moments, so the second reads moments the
		// first wrote.
		g1, g2 := randFloats(rng, n), randFloats(rng, n)
		opt := DefaultAdam()
		step := func(w, m, v []float32) {
			for s, g := range [][]float32{g1, g2} {
				k := opt.consts(opt.coefficients(s + 1))
				k.update(w, g, m, v)
			}
		}
		wv, mv, vv := slices.Clone(x), make([]float32, n), make([]float32, n)
		wr, mr, vr := slices.Clone(x), make([]float32, n), make([]float32, n)
		step(wv, mv, vv)
		withScalar(func() { step(wr, mr, vr) })
		assertRel(t, "adam w", wv, wr, vecTol)
		assertRel(t, "adam m", mv, mr, vecTol)
		assertRel(t, "adam v", vv, vr, vecTol)
		if slices.Equal(wv, x) {
			t.Fatalf("n=%d: Adam left the weights unchanged", n)
		}
	}
}

func assertRel(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	for i := range want {
		if d := math.Abs(float64(got[i] - want[i])); d > tol*math.Max(1e-2, math.Abs(float64(want[i]))) {
			t.Fatalf("%s[%d] = %.9g, want %.9g", what, i, got[i], want[i])
		}
	}
}

// referenceSparseAdam is torch.optim.SparseAdam on one table written out
// plainly: sum the gradients per row, then update each touched row.
type referenceSparseAdam struct {
	w, m, v []float32
	dim     int
	step    int
}

func (r *referenceSparseAdam) update(opt Adam, ids []int32, grad []float32) {
	sum := map[int32][]float32{}
	for i, id := range ids {
		if id < 0 {
			continue
		}
		if sum[id] == nil {
			sum[id] = make([]float32, r.dim)
		}
		for j := range r.dim {
			sum[id][j] += grad[i*r.dim+j]
		}
	}
	r.step++
	bc1 := 1 - math.Pow(opt.Beta1, float64(r.step))
	bc2 := 1 - math.Pow(opt.Beta2, float64(r.step))
	for id, g := range sum {
		for j, gj := range g {
			k := int(id)*r.dim + j
			r.m[k] = float32(opt.Beta1)*r.m[k] + float32(1-opt.Beta1)*gj
			r.v[k] = float32(opt.Beta2)*r.v[k] + float32(1-opt.Beta2)*gj*gj
			den := float32(math.Sqrt(float64(r.v[k])))/float32(math.Sqrt(bc2)) + float32(opt.Eps)
			r.w[k] -= float32(opt.LR/bc1) * r.m[k] / den
		}
	}
}

// The table's update (rows in address order, prefetched, split over the CPUs
// when there are many, vector loops) must equal the plain per-row update, for
// few touched rows (sorted) and many (slot scan), with repeated ids.
func TestTableUpdateMatchesPlainSparseAdam(t *testing.T) {
	const rows, dim = 3000, 40
	for _, n := range []int{50, 2500} { // 50·16 < 3000: sort; 2500·16 ≥ 3000: scan; 2500·40 values: parallel
		rng := rand.New(rand.NewPCG(uint64(n), 9))
		tab := NewTable("E", rows, dim)
		tab.Fill(Uniform(-0.1, 0.1), 3)
		ref := &referenceSparseAdam{w: slices.Clone(tab.W), m: make([]float32, rows*dim), v: make([]float32, rows*dim), dim: dim}
		for range 3 {
			ids := make([]int32, n)
			for i := range ids {
				ids[i] = int32(rng.IntN(rows))
			}
			ids[0], ids[1] = ids[2], -1 // a repeated row and a padding id
			grad := randFloats(rng, n*dim)
			tab.Accumulate(ids, grad)
			tab.Update(DefaultAdam())
			ref.update(DefaultAdam(), ids, grad)
		}
		// The reference divides by √(1−β2^t) where the table multiplies by
		// its inverse (as torch's formula and ours round differently), so
		// allow float32 rounding.
		assertRel(t, "table", tab.W, ref.w, 1e-5)
	}
}
