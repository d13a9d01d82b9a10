package word2vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The assembly kernels against the plain loops, at every length up to 40
// (all tail cases of the 16- and 8-wide loops) and at 100 and 300.
func TestKernelsMatchPlainGo(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	vec := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(r.NormFloat64())
		}
		return v
	}
	lengths := []int{100, 300}
	for n := range 41 {
		lengths = append(lengths, n)
	}
	for _, n := range lengths {
		x, y := vec(n), vec(n+3) // y longer than x: only len(x) counts
		var want float64
		for i := range x {
			want += float64(x[i]) * float64(y[i])
		}
		if got := dot(x, y); math.Abs(float64(got)-want) > 1e-4*(1+math.Abs(want)) {
			t.Errorf("n=%d: dot %v, want %v", n, got, want)
		}

		a := float32(r.NormFloat64())
		y2, wantY := append([]float32(nil), y...), append([]float32(nil), y...)
		for i := range x {
			wantY[i] += a * x[i]
		}
		axpy(a, x, y2)
		for i := range y2 {
			if math.Abs(float64(y2[i]-wantY[i])) > 1e-5 {
				t.Fatalf("n=%d: axpy[%d] = %v, want %v", n, i, y2[i], wantY[i])
			}
		}

		row, neu := vec(n), vec(n)
		wantRow, wantNeu := make([]float32, n), make([]float32, n)
		for i := range x {
			wantNeu[i] = neu[i] + a*row[i] // the old row
			wantRow[i] = row[i] + a*x[i]
		}
		update(a, x, row, neu)
		for i := range x {
			if math.Abs(float64(row[i]-wantRow[i])) > 1e-5 || math.Abs(float64(neu[i]-wantNeu[i])) > 1e-5 {
				t.Fatalf("n=%d: update [%d] row %v neu1e %v, want %v %v", n, i, row[i], neu[i], wantRow[i], wantNeu[i])
			}
		}
	}
	t.Logf("kernel: %s", Kernel())
}
