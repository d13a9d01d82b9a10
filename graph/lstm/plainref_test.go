package lstm

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// plainLSTM is the LSTM written out step by step in float64, independent of
// the op's engine: the gates i, f, g, o from pre = x_t·Wx + h·Wh + bias,
// c = f⊙c + i⊙g, h = o⊙tanh(c), and backpropagation through time with the
// textbook derivatives. Its matrix products are gonum's Dgemm (float64), so
// that the benchmark's shapes check in seconds. Unlike [Reference] it builds
// no Gorgonia graph: Gorgonia v0.9.18 hashes a slice's bounds to one byte
// each, so at H = 128 or 256 the stock graph's gate slices [0, H) and
// [2H, 3H) (and [H, 2H) and [3H, 4H)) hash alike, are merged as one node,
// and the reference computes a different function there.
//
// It covers full-length sequences (the mask all ones, as the benchmark's
// reviews are); the small-shape tests cover padding against Reference.
func plainLSTM(in inputs, b, t, d, h int, opts Options) (results, error) {
	for _, m := range in.mask {
		if m != 1 {
			return results{}, fmt.Errorf("plainLSTM: padding is not supported")
		}
	}
	bl := gonum.Implementation{}
	g4, n := 4*h, b*t
	tau := func(s int) int {
		if opts.Reverse {
			return t - 1 - s
		}
		return s
	}
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	// xs is x in step order: row s·B+r is sequence r's input at step s.
	xs := make([]float64, n*d)
	for s := 0; s < t; s++ {
		for r := 0; r < b; r++ {
			copy(xs[(s*b+r)*d:(s*b+r+1)*d], in.x[(r*t+tau(s))*d:])
		}
	}
	// gates (step order) start as x·Wx + bias for every step in one product;
	// each step adds h·Wh and activates its rows in place. hs block s is the
	// hidden state before step s (block 0 is zero), cs block s the cell state.
	gates := make([]float64, n*g4)
	for i := 0; i < n; i++ {
		copy(gates[i*g4:(i+1)*g4], in.bias)
	}
	bl.Dgemm(blas.NoTrans, blas.NoTrans, n, g4, d, 1, xs, d, in.wx, g4, 1, gates, g4)
	hs, cs := make([]float64, (n+b)*h), make([]float64, (n+b)*h)
	for s := 0; s < t; s++ {
		pre := gates[s*b*g4 : (s+1)*b*g4]
		hPrev, cPrev := hs[s*b*h:(s+1)*b*h], cs[s*b*h:(s+1)*b*h]
		hNext, cNext := hs[(s+1)*b*h:(s+2)*b*h], cs[(s+1)*b*h:(s+2)*b*h]
		bl.Dgemm(blas.NoTrans, blas.NoTrans, b, g4, h, 1, hPrev, h, in.wh, g4, 1, pre, g4)
		for r := 0; r < b; r++ {
			p := pre[r*g4 : (r+1)*g4]
			for j := 0; j < h; j++ {
				p[j], p[h+j], p[2*h+j], p[3*h+j] = sig(p[j]), sig(p[h+j]), math.Tanh(p[2*h+j]), sig(p[3*h+j])
				c := p[h+j]*cPrev[r*h+j] + p[j]*p[2*h+j]
				cNext[r*h+j] = c
				hNext[r*h+j] = p[3*h+j] * math.Tanh(c)
			}
		}
	}
	var res results
	if opts.Output == AllStates {
		res.out = make([]float64, n*h)
		for s := 0; s < t; s++ {
			for r := 0; r < b; r++ {
				copy(res.out[(r*t+tau(s))*h:(r*t+tau(s)+1)*h], hs[((s+1)*b+r)*h:])
			}
		}
	} else {
		res.out = append([]float64(nil), hs[n*h:]...)
	}

	// Backpropagation through time: dpre (step order) holds the gradient of
	// every step's pre-activations; the weight and input gradients are then
	// one product each over all steps.
	dpre := make([]float64, n*g4)
	dh, dc := make([]float64, b*h), make([]float64, b*h) // carried from step s+1
	for s := t - 1; s >= 0; s-- {
		dp := dpre[s*b*g4 : (s+1)*b*g4]
		for r := 0; r < b; r++ {
			var dOut []float64
			if opts.Output == AllStates {
				dOut = in.dout[(r*t+tau(s))*h : (r*t+tau(s)+1)*h]
			} else if s == t-1 {
				dOut = in.dout[r*h : (r+1)*h]
			}
			p := gates[(s*b+r)*g4 : (s*b+r+1)*g4]
			d := dp[r*g4 : (r+1)*g4]
			cPrev, cNow := cs[(s*b+r)*h:], cs[((s+1)*b+r)*h:]
			for j := 0; j < h; j++ {
				dhj := dh[r*h+j]
				if dOut != nil {
					dhj += dOut[j]
				}
				i, f, g, o := p[j], p[h+j], p[2*h+j], p[3*h+j]
				tc := math.Tanh(cNow[j])
				dcj := dc[r*h+j] + dhj*o*(1-tc*tc)
				d[j] = dcj * g * i * (1 - i)
				d[h+j] = dcj * cPrev[j] * f * (1 - f)
				d[2*h+j] = dcj * i * (1 - g*g)
				d[3*h+j] = dhj * tc * o * (1 - o)
				dc[r*h+j] = dcj * f
			}
		}
		bl.Dgemm(blas.NoTrans, blas.Trans, b, h, g4, 1, dp, g4, in.wh, g4, 0, dh, h)
	}
	res.dbias = make([]float64, g4)
	for i := 0; i < n; i++ {
		for j, v := range dpre[i*g4 : (i+1)*g4] {
			res.dbias[j] += v
		}
	}
	res.dwx, res.dwh = make([]float64, d*g4), make([]float64, h*g4)
	bl.Dgemm(blas.Trans, blas.NoTrans, d, g4, n, 1, xs, d, dpre, g4, 0, res.dwx, g4)
	bl.Dgemm(blas.Trans, blas.NoTrans, h, g4, n, 1, hs[:n*h], h, dpre, g4, 0, res.dwh, g4)
	dxs := make([]float64, n*d)
	bl.Dgemm(blas.NoTrans, blas.Trans, n, d, g4, 1, dpre, g4, in.wx, g4, 0, dxs, d)
	res.dx = make([]float64, n*d)
	for s := 0; s < t; s++ {
		for r := 0; r < b; r++ {
			copy(res.dx[(r*t+tau(s))*d:(r*t+tau(s)+1)*d], dxs[(s*b+r)*d:])
		}
	}
	return res, nil
}
