package lstm

import (
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The shapes of scripts/torch_ref.py: B=64 reviews of T=100
// tokens, D=100; model lstm has one LSTM with H=128 whose states are
// mean-pooled (AllStates), model bilstm a BiLSTM with H=256 per direction
// whose last states are concatenated (LastState, forward and reverse).
const benchB, benchT, benchD = 64, 100, 100

type benchLayer struct {
	h    int
	opts Options
}

var benchModels = []struct {
	name   string
	layers []benchLayer
}{
	{"lstm", []benchLayer{{128, Options{Output: AllStates}}}},
	{"bilstm", []benchLayer{{256, Options{Output: LastState}}, {256, Options{Reverse: true, Output: LastState}}}},
}

// BenchmarkForwardBackward times the op's forward and backward passes (no
// graph around them) at the torch_ref shapes, with no padding, as there.
// Compare with torch_ref.py run right after:
//
//	go test -run '^$' -bench ForwardBackward ./graph/lstm/
//	OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/torch_ref.py --model lstm
func BenchmarkForwardBackward(b *testing.B) {
	for _, m := range benchModels {
		b.Run(m.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			type layer struct {
				e  *engine[float32]
				in inputs32
			}
			var layers []layer
			for _, l := range m.layers {
				e := newEngine[float32](benchB, benchT, benchD, l.h, l.opts, &matmul32{}, act32{})
				in := randomInputs(rng, benchB, benchT, benchD, l.h, len(e.out)/l.h, nil)
				layers = append(layers, layer{e, to32(in)})
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for _, l := range layers {
					if err := l.e.forward(l.in.x, l.in.mask, l.in.wx, l.in.wh, l.in.bias); err != nil {
						b.Fatal(err)
					}
				}
				for _, l := range layers {
					if err := l.e.backward(l.in.dout, l.in.wx, l.in.wh); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

type inputs32 struct{ x, mask, wx, wh, bias, dout []float32 }

func to32(in inputs) inputs32 {
	c := func(s []float64) []float32 {
		out := make([]float32, len(s))
		for i, v := range s {
			out[i] = float32(v)
		}
		return out
	}
	return inputs32{c(in.x), c(in.mask), c(in.wx), c(in.wh), c(in.bias), c(in.dout)}
}

// BenchmarkGraphStep times a whole Gorgonia machine step — the op, a
// loss sum(out ⊙ dout), the gradients — as the project runs it, and reports
// allocations per step:
//
//	go test -run '^$' -bench GraphStep -benchmem ./graph/lstm/
func BenchmarkGraphStep(b *testing.B) {
	for _, m := range benchModels {
		b.Run(m.name, func(b *testing.B) {
			l := m.layers[0]
			s, err := buildSession(tensor.Float32, benchB, benchT, benchD, l.h, l.opts, Apply)
			if err != nil {
				b.Fatal(err)
			}
			defer s.vm.Close()
			rng := rand.New(rand.NewPCG(3, 4))
			in := randomInputs(rng, benchB, benchT, benchD, l.h, s.out.Shape()[0], nil)
			for _, let := range []struct {
				n *G.Node
				v []float64
			}{{s.x, in.x}, {s.mask, in.mask}, {s.wx, in.wx}, {s.wh, in.wh}, {s.bias, in.bias}, {s.dout, in.dout}} {
				if err := G.Let(let.n, toTensor(tensor.Float32, let.n.Shape(), let.v)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := s.vm.RunAll(); err != nil {
					b.Fatal(err)
				}
				s.vm.Reset()
			}
		})
	}
}
