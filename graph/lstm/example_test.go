package lstm_test

import (
	"fmt"
	"log"

	"github.com/mt2st/mt2st/graph/lstm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// A forward LSTM over two sequences of three steps, the second padded after
// its first token, returning each sequence's last state and the gradient of
// their sum with respect to the recurrent weights.
func ExampleApply() {
	const b, t, d, h = 2, 3, 2, 1
	g := G.NewGraph()
	matrix := func(name string, rows, cols int, v ...float32) *G.Node {
		return G.NewMatrix(g, G.Float32, G.WithShape(rows, cols), G.WithName(name),
			G.WithValue(tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(v))))
	}
	x := matrix("x", b*t, d,
		1, 0, 0, 1, 1, 1, // sequence 0
		1, 0, 9, 9, 9, 9) // sequence 1: one real token, then padding
	mask := matrix("mask", b, t, 1, 1, 1, 1, 0, 0)
	wx := matrix("wx", d, 4*h, 0.5, 0.1, 0.3, 0.2, -0.4, 0.2, 0.6, 0.1)
	wh := matrix("wh", h, 4*h, 0.3, -0.2, 0.5, 0.4)
	bias := G.NewVector(g, G.Float32, G.WithShape(4*h), G.WithName("bias"),
		G.WithValue(tensor.New(tensor.WithShape(4*h), tensor.WithBacking([]float32{0, 1, 0, 0}))))

	last, err := lstm.Apply(x, mask, wx, wh, bias, lstm.Options{Output: lstm.LastState})
	if err != nil {
		log.Fatal(err)
	}
	loss, err := G.Sum(last)
	if err != nil {
		log.Fatal(err)
	}
	grads, err := G.Grad(loss, wh)
	if err != nil {
		log.Fatal(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("last states %v: %.4f\n", last.Shape(), last.Value().Data())
	fmt.Printf("dloss/dwh %v: %.4f\n", grads[0].Shape(), grads[0].Value().Data())
	// PyTorch agrees (nn.LSTM on pack_padded_sequence, lengths 3 and 1):
	// h_n = [0.3582, 0.0986], weight_hh.grad = [0.0183, 0.0057, 0.0258, 0.0288].

	// Output:
	// last states (2, 1): [0.3582 0.0986]
	// dloss/dwh (1, 4): [0.0183 0.0057 0.0258 0.0288]
}
