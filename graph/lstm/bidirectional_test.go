package lstm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// biSession is the paper's encoder: a forward and a reverse op over the same
// x, last states concatenated, loss sum(out ⊙ dout). x's gradient is the sum
// of the two ops' dx, which Gorgonia adds — possibly in place, into one op's
// buffer — so this also checks that each step starts from fresh gradients.
type biSession struct {
	x, mask, dout *G.Node
	params        []*G.Node // wxF, whF, biasF, wxR, whR, biasR
	out           *G.Node
	grads         G.Nodes // x, then params
	vm            G.VM
}

func newBiSession(t *testing.T, b, steps, d, h int, build buildFunc) *biSession {
	t.Helper()
	g := G.NewGraph()
	s := &biSession{
		x:    G.NewMatrix(g, G.Float32, G.WithShape(b*steps, d), G.WithName("x")),
		mask: G.NewMatrix(g, G.Float32, G.WithShape(b, steps), G.WithName("mask")),
	}
	var last []*G.Node
	for _, dir := range []string{"fwd", "rev"} {
		wx := G.NewMatrix(g, G.Float32, G.WithShape(d, 4*h), G.WithName("wx"+dir))
		wh := G.NewMatrix(g, G.Float32, G.WithShape(h, 4*h), G.WithName("wh"+dir))
		bias := G.NewVector(g, G.Float32, G.WithShape(4*h), G.WithName("bias"+dir))
		s.params = append(s.params, wx, wh, bias)
		n, err := build(s.x, s.mask, wx, wh, bias, Options{Reverse: dir == "rev", Output: LastState})
		if err != nil {
			t.Fatal(err)
		}
		last = append(last, n)
	}
	var err error
	if s.out, err = G.Concat(1, last...); err != nil {
		t.Fatal(err)
	}
	s.dout = G.NewMatrix(g, G.Float32, G.WithShape(b, 2*h), G.WithName("dout"))
	prod, err := G.HadamardProd(s.out, s.dout)
	if err != nil {
		t.Fatal(err)
	}
	loss, err := G.Sum(prod)
	if err != nil {
		t.Fatal(err)
	}
	if s.grads, err = G.Grad(loss, append([]*G.Node{s.x}, s.params...)...); err != nil {
		t.Fatal(err)
	}
	s.vm = G.NewTapeMachine(g)
	t.Cleanup(func() { s.vm.Close() })
	return s
}

func (s *biSession) step(t *testing.T, vals map[*G.Node][]float64) [][]float64 {
	t.Helper()
	for n, v := range vals {
		if err := G.Let(n, toTensor(tensor.Float32, n.Shape(), v)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	defer s.vm.Reset()
	res := [][]float64{fromValue(s.out.Value())}
	for _, g := range s.grads {
		res = append(res, fromValue(g.Value()))
	}
	return res
}

func TestBidirectionalMatchesReference(t *testing.T) {
	const b, steps, d, h = 3, 4, 3, 5
	lengths := []int{4, 2, 1}
	op := newBiSession(t, b, steps, d, h, Apply)
	ref := newBiSession(t, b, steps, d, h, Reference)
	rng := rand.New(rand.NewPCG(11, 12))
	names := []string{"out", "dx", "dwx fwd", "dwh fwd", "dbias fwd", "dwx rev", "dwh rev", "dbias rev"}
	for step := 0; step < 3; step++ {
		fw := randomInputs(rng, b, steps, d, h, b, lengths)
		rv := randomInputs(rng, b, steps, d, h, b, lengths)
		dout := randomInputs(rng, b, 1, 1, 2*h, b, nil).dout
		vals := func(s *biSession) map[*G.Node][]float64 {
			return map[*G.Node][]float64{
				s.x: fw.x, s.mask: fw.mask, s.dout: dout,
				s.params[0]: fw.wx, s.params[1]: fw.wh, s.params[2]: fw.bias,
				s.params[3]: rv.wx, s.params[4]: rv.wh, s.params[5]: rv.bias,
			}
		}
		got, want := op.step(t, vals(op)), ref.step(t, vals(ref))
		for i := range got {
			compare(t, fmt.Sprintf("step %d %s", step, names[i]), got[i], want[i], 1e-5)
		}
	}
}
