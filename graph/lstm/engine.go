package lstm

import (
	"fmt"
	"runtime"
	"sync"
)

type float interface{ ~float32 | ~float64 }

// forceParts, when positive, overrides how many goroutines the recurrence is
// split over, so tests reach the split path on small batches.
var forceParts int

// engine runs the masked LSTM recurrence and its backward pass for fixed
// shapes, on buffers allocated once. Internal buffers are in step order (row
// s·B+b is sequence b at step s, where step s reads time t = s, or T−1−s when
// reversed), so that every step's rows are contiguous; inputs and outputs are
// batch-major (row b·T+t).
type engine[F float] struct {
	b, t, d, h int
	reverse    bool
	output     Output
	parts      int // goroutines the recurrence is split over, by batch rows

	mm  matmul[F]
	act activator[F]

	// Forward state, kept for the backward pass.
	real []bool // T·B: step-order mask
	// hx row s·B+b is [h | x]: the hidden state before step s (h₀ = 0; block
	// T holds the final state) and the input of step s. Keeping them side by
	// side makes both weight gradients one product, [dWh; dWx] = hxᵀ·dA.
	hx    []F
	gates []F  // T·B × 4H: gate activations i|f|g|o; the backward pass overwrites them with dA
	cs    []F  // (T+1)·B × H cell states; block 0 is the zero initial state
	tanhC []F  // T·B × H: tanh of the cell state after each step
	out   []F  // the output value
	ran   bool // a forward pass has filled the state

	forwardPasses, backwardPasses int // for tests: each runs once per machine step

	// Backward buffers.
	dhx       []F   // B × (H+D): per step [dh | dx] = dA·[Wh; Wx]ᵀ; dh carries to the previous step
	dc        []F   // B × H: gradient w.r.t. the cell state carried to the previous step
	dbiasPart [][]F // per part, 4H
	dx        []F   // B·T × D batch-major
	dw        []F   // (H+D) × 4H: [dWh; dWx]
	dwh       []F   // H × 4H, the top of dw
	dwx       []F   // D × 4H, the bottom of dw
	dbias     []F   // 4H
}

// matmul is the products the recurrence needs, so that one engine serves the
// float32 fast path and the float64 path used to check gradients.
type matmul[F float] interface {
	// gemm is C = alpha·op(A)·op(B) + beta·C, row-major, possibly on all cores.
	gemm(transA, transB bool, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int)
	// setForward readies Wh (H × 4H) for stepForward.
	setForward(wh []F, h int)
	// setBackward readies [Wh; Wx] ((H+D) × 4H) for stepBackward.
	setBackward(wh, wx []F, h, d int)
	// stepForward is C += A·Wh on the calling goroutine (A: m × H).
	stepForward(m int, a []F, lda int, c []F, ldc int)
	// stepBackward is C += A·[Wh; Wx]ᵀ on the calling goroutine (A: m × 4H,
	// C: m × (H+D)).
	stepBackward(m int, a []F, lda int, c []F, ldc int)
}

func newEngine[F float](b, t, d, h int, opts Options, mm matmul[F], act activator[F]) *engine[F] {
	e := &engine[F]{b: b, t: t, d: d, h: h, reverse: opts.Reverse, output: opts.Output, mm: mm, act: act}
	// Batch rows are independent, so the recurrence splits over them with no
	// synchronisation between steps; a part keeps at least 8 rows, one
	// micro-kernel tile, so the step products stay efficient.
	e.parts = max(1, min(runtime.GOMAXPROCS(0), b/8))
	if forceParts > 0 {
		e.parts = forceParts
	}
	rows := t * b
	e.real = make([]bool, rows)
	e.hx = make([]F, (rows+b)*(h+d))
	e.gates = make([]F, rows*4*h)
	e.cs = make([]F, (rows+b)*h)
	e.tanhC = make([]F, rows*h)
	if opts.Output == LastState {
		e.out = make([]F, b*h)
	} else {
		e.out = make([]F, rows*h)
	}
	e.dhx = make([]F, b*(h+d))
	e.dc = make([]F, b*h)
	e.dx = make([]F, rows*d)
	e.dw = make([]F, (h+d)*4*h)
	e.dwh = e.dw[:h*4*h]
	e.dwx = e.dw[h*4*h:]
	e.dbias = make([]F, 4*h)
	return e
}

// hRow and xRow are the hidden state before step s and the input of step s
// of sequence b, inside hx.
func (e *engine[F]) hRow(s, b int) []F {
	i := (s*e.b + b) * (e.h + e.d)
	return e.hx[i : i+e.h]
}

func (e *engine[F]) xRow(s, b int) []F {
	i := (s*e.b+b)*(e.h+e.d) + e.h
	return e.hx[i : i+e.d]
}

// time is the input position read at step s.
func (e *engine[F]) time(s int) int {
	if e.reverse {
		return e.t - 1 - s
	}
	return s
}

// forward runs the recurrence on x (B·T × D, batch-major), mask (B × T),
// wx (D × 4H), wh (H × 4H) and bias (4H) and fills e.out.
func (e *engine[F]) forward(x, mask, wx, wh, bias []F) error {
	B, T, D, H := e.b, e.t, e.d, e.h
	if err := firstErr(
		checkLen("x", len(x), B*T*D), checkLen("mask", len(mask), B*T), checkLen("wx", len(wx), D*4*H),
		checkLen("wh", len(wh), H*4*H), checkLen("bias", len(bias), 4*H),
	); err != nil {
		return err
	}
	for s := 0; s < T; s++ {
		t := e.time(s)
		for b := 0; b < B; b++ {
			e.real[s*B+b] = mask[b*T+t] != 0
			copy(e.xRow(s, b), x[(b*T+t)*D:(b*T+t+1)*D])
		}
	}
	// The input projection of every step in one product.
	e.mm.gemm(false, false, T*B, 4*H, D, 1, e.hx[H:], H+D, wx, 4*H, 0, e.gates, 4*H)
	e.mm.setForward(wh, H)
	for b := 0; b < B; b++ {
		clear(e.hRow(0, b))
	}
	clear(e.cs[:B*H])
	e.split(func(part, b0, b1 int) { e.forwardRows(b0, b1, bias) })
	e.ran = true
	e.forwardPasses++
	return nil
}

// forwardRows runs all steps for sequences b0..b1-1.
func (e *engine[F]) forwardRows(b0, b1 int, bias []F) {
	B, T, H := e.b, e.t, e.h
	G, HX := 4*H, H+e.d
	m := b1 - b0
	for s := 0; s < T; s++ {
		gs := e.gates[(s*B+b0)*G : (s*B+b1)*G]
		cPrev := e.cs[(s*B+b0)*H : (s*B+b1)*H]
		cNext := e.cs[((s+1)*B+b0)*H : ((s+1)*B+b1)*H]
		tc := e.tanhC[(s*B+b0)*H : (s*B+b1)*H]
		if s > 0 { // h₀ = 0 contributes nothing
			e.mm.stepForward(m, e.hx[(s*B+b0)*HX:], HX, gs, G)
		}
		for r := 0; r < m; r++ {
			rh := r * H
			hPrev, hNext := e.hRow(s, b0+r), e.hRow(s+1, b0+r)
			if !e.real[s*B+b0+r] { // padding: carry the state over
				copy(hNext, hPrev)
				copy(cNext[rh:rh+H], cPrev[rh:rh+H])
				continue
			}
			row := gs[r*G : (r+1)*G]
			e.act.gates(row, bias, H)
			cellForward(row, cPrev[rh:rh+H], cNext[rh:rh+H])
			e.act.tanh(tc[rh:rh+H], cNext[rh:rh+H])
			outGate := row[3*H : 4*H]
			for j, v := range tc[rh : rh+H] {
				hNext[j] = outGate[j] * v
			}
		}
	}
	e.writeOutput(b0, b1)
}

// cellForward sets c = f⊙cPrev + i⊙g from an activated gate row.
func cellForward[F float](row, cPrev, c []F) {
	h := len(c)
	in, forget, cand := row[:h], row[h:2*h], row[2*h:3*h]
	cPrev = cPrev[:h]
	for j := range c {
		c[j] = forget[j]*cPrev[j] + in[j]*cand[j]
	}
}

func (e *engine[F]) writeOutput(b0, b1 int) {
	B, T, H := e.b, e.t, e.h
	if e.output == LastState {
		for b := b0; b < b1; b++ {
			copy(e.out[b*H:(b+1)*H], e.hRow(T, b))
		}
		return
	}
	for b := b0; b < b1; b++ {
		for s := 0; s < T; s++ {
			dst := e.out[(b*T+e.time(s))*H : (b*T+e.time(s)+1)*H]
			if !e.real[s*B+b] {
				clear(dst) // padded positions output 0
				continue
			}
			copy(dst, e.hRow(s+1, b))
		}
	}
}

// backward computes the gradients of the inputs from dOut, the gradient of
// the output, using the state of the last forward pass and the same weights.
func (e *engine[F]) backward(dOut, wx, wh []F) error {
	if !e.ran {
		return fmt.Errorf("lstm backward: no forward pass has run")
	}
	B, T, D, H := e.b, e.t, e.d, e.h
	if err := firstErr(
		checkLen("output gradient", len(dOut), len(e.out)), checkLen("wx", len(wx), D*4*H), checkLen("wh", len(wh), H*4*H),
	); err != nil {
		return err
	}
	e.mm.setBackward(wh, wx, H, D)
	if len(e.dbiasPart) != e.parts {
		e.dbiasPart = make([][]F, e.parts)
		for i := range e.dbiasPart {
			e.dbiasPart[i] = make([]F, 4*H)
		}
	}
	e.split(func(part, b0, b1 int) { e.backwardRows(b0, b1, dOut, e.dbiasPart[part]) })

	// e.gates now holds dA, the gradient of the pre-activations, in step
	// order: [dWh; dWx] = Σ_s [h_s | x_s]ᵀ·dA_s is one product over all steps.
	rows := T * B
	e.mm.gemm(true, false, H+D, 4*H, rows, 1, e.hx[:rows*(H+D)], H+D, e.gates, 4*H, 0, e.dw, 4*H)
	copy(e.dbias, e.dbiasPart[0])
	for _, p := range e.dbiasPart[1:] {
		for j, v := range p {
			e.dbias[j] += v
		}
	}
	// The gates were overwritten: a second backward pass needs a new forward.
	e.ran = false
	e.backwardPasses++
	return nil
}

// backwardRows runs the backward recurrence for sequences b0..b1-1, leaving
// dA in e.gates, writing their rows of dx and adding their bias gradient to
// dbias.
func (e *engine[F]) backwardRows(b0, b1 int, dOut, dbias []F) {
	B, T, D, H := e.b, e.t, e.d, e.h
	G, HX := 4*H, H+D
	m := b1 - b0
	dhx := e.dhx[b0*HX : b1*HX]
	dc := e.dc[b0*H : b1*H]
	clear(dhx)
	clear(dc)
	clear(dbias)
	if e.output == LastState {
		for r := 0; r < m; r++ {
			copy(dhx[r*HX:r*HX+H], dOut[(b0+r)*H:(b0+r+1)*H])
		}
	}
	for s := T - 1; s >= 0; s-- {
		t := e.time(s)
		ga := e.gates[(s*B+b0)*G : (s*B+b1)*G]
		for r := 0; r < m; r++ {
			b := b0 + r
			row := ga[r*G : (r+1)*G]
			dhr := dhx[r*HX : r*HX+H]
			clear(dhx[r*HX+H : (r+1)*HX]) // dx of this step, filled by the product below
			if !e.real[s*B+b] {           // padding: the state passed through, so do its gradients
				clear(row)
				continue
			}
			if e.output == AllStates {
				for j, v := range dOut[(b*T+t)*H : (b*T+t+1)*H] {
					dhr[j] += v
				}
			}
			cellBackward(row, e.tanhC[(s*B+b)*H:(s*B+b+1)*H], e.cs[(s*B+b)*H:(s*B+b+1)*H], dhr, dc[r*H:(r+1)*H], dbias)
			clear(dhr) // replaced by dA·Whᵀ below
		}
		// [dh_prev | dx_s] += dA_s·[Wh; Wx]ᵀ: padded rows have dA = 0 and keep
		// their carried dh.
		e.mm.stepBackward(m, ga, G, dhx, HX)
		for r := 0; r < m; r++ {
			b := b0 + r
			copy(e.dx[(b*T+t)*D:(b*T+t+1)*D], dhx[r*HX+H:(r+1)*HX])
		}
	}
}

// cellBackward turns the activated gate row i|f|g|o into dA, the gradient of
// the pre-activations, given dh and dc after this step; dc becomes the
// gradient w.r.t. the previous cell state, and dA is added to dbias.
func cellBackward[F float](row, tanhC, cPrev, dh, dc, dbias []F) {
	h := len(dh)
	in, forget, cand, outGate := row[:h], row[h:2*h], row[2*h:3*h], row[3*h:4*h]
	dbI, dbF, dbG, dbO := dbias[:h], dbias[h:2*h], dbias[2*h:3*h], dbias[3*h:4*h]
	tanhC, cPrev, dc = tanhC[:h], cPrev[:h], dc[:h]
	for j := 0; j < h; j++ {
		i, f, g, o := in[j], forget[j], cand[j], outGate[j]
		tc, dhj := tanhC[j], dh[j]
		dct := dc[j] + dhj*o*(1-tc*tc)
		daI := dct * g * i * (1 - i)
		daF := dct * cPrev[j] * f * (1 - f)
		daG := dct * i * (1 - g*g)
		daO := dhj * tc * o * (1 - o)
		dc[j] = dct * f
		in[j], forget[j], cand[j], outGate[j] = daI, daF, daG, daO
		dbI[j] += daI
		dbF[j] += daF
		dbG[j] += daG
		dbO[j] += daO
	}
}

// split runs fn over e.parts contiguous ranges of batch rows, each a
// multiple of 8 rows but the last, part 0 on the calling goroutine.
func (e *engine[F]) split(fn func(part, b0, b1 int)) {
	bounds := func(p int) (int, int) {
		units := (e.b + 7) / 8
		return min(p*units/e.parts*8, e.b), min((p+1)*units/e.parts*8, e.b)
	}
	if e.parts == 1 {
		fn(0, 0, e.b)
		return
	}
	var wg sync.WaitGroup
	for p := 1; p < e.parts; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b0, b1 := bounds(p)
			fn(p, b0, b1)
		}()
	}
	b0, b1 := bounds(0)
	fn(0, b0, b1)
	wg.Wait()
}

func checkLen(name string, got, want int) error {
	if got != want {
		return fmt.Errorf("lstm: %s has %d elements, want %d", name, got, want)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
