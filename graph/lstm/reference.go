package lstm

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// Reference builds the same function as [Apply] from stock Gorgonia ops, per
// gate and per step (Slice, Mul, Add, Sigmoid, Tanh, HadamardProd, Concat),
// differentiated by Gorgonia itself. It is the slow plain path that the
// custom op is tested against: its graph grows with T and runs several times
// slower, so use it on small shapes only.
//
// Padding is handled by blending, h = h_prev + m⊙(h_new − h_prev), which
// equals carrying the state over when m is 0 or 1.
func Reference(x, mask, wx, wh, bias *G.Node, opts Options) (*G.Node, error) {
	if x == nil || mask == nil || wx == nil || wh == nil || bias == nil {
		return nil, fmt.Errorf("lstm reference: nil input")
	}
	if mask.Shape().Dims() != 2 || x.Shape().Dims() != 2 || wh.Shape().Dims() != 2 {
		return nil, fmt.Errorf("lstm reference: mask %v, x %v, wh %v: want matrices", mask.Shape(), x.Shape(), wh.Shape())
	}
	b, t := mask.Shape()[0], mask.Shape()[1]
	d, h := x.Shape()[1], wh.Shape()[0]
	if x.Shape()[0] != b*t {
		return nil, fmt.Errorf("lstm reference: x has %d rows, want %d", x.Shape()[0], b*t)
	}
	x3, err := G.Reshape(x, []int{b, t, d})
	if err != nil {
		return nil, fmt.Errorf("lstm reference: %w", err)
	}
	var st refState
	outs := make([]*G.Node, t)
	for s := 0; s < t; s++ {
		tt := s
		if opts.Reverse {
			tt = t - 1 - s
		}
		if st, err = refStep(st, x3, mask, wx, wh, bias, tt, h); err != nil {
			return nil, fmt.Errorf("lstm reference step %d: %w", s, err)
		}
		if opts.Output == AllStates {
			// Zero at padding, shaped (B, 1, H) to concatenate along time.
			o, err := G.BroadcastHadamardProd(st.h, st.m, nil, []byte{1})
			if err != nil {
				return nil, fmt.Errorf("lstm reference output %d: %w", tt, err)
			}
			if outs[tt], err = G.Reshape(o, []int{b, 1, h}); err != nil {
				return nil, fmt.Errorf("lstm reference output %d: %w", tt, err)
			}
		}
	}
	if opts.Output == LastState {
		return st.h, nil
	}
	all := outs[0]
	if t > 1 {
		if all, err = G.Concat(1, outs...); err != nil {
			return nil, fmt.Errorf("lstm reference: %w", err)
		}
	}
	out, err := G.Reshape(all, []int{b * t, h})
	if err != nil {
		return nil, fmt.Errorf("lstm reference: %w", err)
	}
	return out, nil
}

// refState is the recurrent state after a step and that step's mask column;
// nil nodes before the first step stand for the zero initial state.
type refState struct{ h, c, m *G.Node }

// refStep runs one time step, reading input position tt.
func refStep(prev refState, x3, mask, wx, wh, bias *G.Node, tt, h int) (refState, error) {
	var err error
	fail := func(what string, e error) (refState, error) { return refState{}, fmt.Errorf("%s: %w", what, e) }
	xt, err := G.Slice(x3, nil, G.S(tt), nil) // (B, D)
	if err != nil {
		return fail("slice x", err)
	}
	pre, err := G.Mul(xt, wx)
	if err != nil {
		return fail("x·wx", err)
	}
	if prev.h != nil {
		hw, err := G.Mul(prev.h, wh)
		if err != nil {
			return fail("h·wh", err)
		}
		if pre, err = G.Add(pre, hw); err != nil {
			return fail("add", err)
		}
	}
	if pre, err = G.BroadcastAdd(pre, bias, nil, []byte{0}); err != nil {
		return fail("bias", err)
	}
	var gates [4]*G.Node
	for k := range gates {
		g, err := G.Slice(pre, nil, G.S(k*h, (k+1)*h))
		if err != nil {
			return fail("slice gate", err)
		}
		if k == 2 {
			g, err = G.Tanh(g)
		} else {
			g, err = G.Sigmoid(g)
		}
		if err != nil {
			return fail("activation", err)
		}
		gates[k] = g
	}
	in, forget, cand, outGate := gates[0], gates[1], gates[2], gates[3]
	c, err := G.HadamardProd(in, cand)
	if err != nil {
		return fail("i⊙g", err)
	}
	if prev.c != nil {
		fc, err := G.HadamardProd(forget, prev.c)
		if err != nil {
			return fail("f⊙c", err)
		}
		if c, err = G.Add(c, fc); err != nil {
			return fail("c", err)
		}
	}
	tc, err := G.Tanh(c)
	if err != nil {
		return fail("tanh c", err)
	}
	hNew, err := G.HadamardProd(outGate, tc)
	if err != nil {
		return fail("h", err)
	}
	m, err := G.Slice(mask, nil, G.S(tt)) // (B)
	if err != nil {
		return fail("slice mask", err)
	}
	hNext, err := blend(prev.h, hNew, m)
	if err != nil {
		return fail("blend h", err)
	}
	cNext, err := blend(prev.c, c, m)
	if err != nil {
		return fail("blend c", err)
	}
	return refState{h: hNext, c: cNext, m: m}, nil
}

// blend returns prev + m⊙(next − prev), m broadcast over columns; a nil
// prev is the zero state, giving m⊙next.
func blend(prev, next, m *G.Node) (*G.Node, error) {
	if prev == nil {
		return G.BroadcastHadamardProd(next, m, nil, []byte{1})
	}
	diff, err := G.Sub(next, prev)
	if err != nil {
		return nil, err
	}
	step, err := G.BroadcastHadamardProd(diff, m, nil, []byte{1})
	if err != nil {
		return nil, err
	}
	return G.Add(prev, step)
}
