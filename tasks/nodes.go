package tasks

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// RowNorms returns the (n) Euclidean norms of the rows of x (n, d), with a
// small ε inside the square root so a zero row has a finite gradient.
func RowNorms(g *G.ExprGraph, x *G.Node) (*G.Node, error) {
	sq, err := G.HadamardProd(x, x)
	if err != nil {
		return nil, err
	}
	s, err := G.Sum(sq, 1)
	if err != nil {
		return nil, err
	}
	eps := G.NewScalar(g, tensor.Float32, G.WithName(fmt.Sprintf("eps%d", g.AllNodes().Len())), G.WithValue(float32(1e-12)))
	s, err = G.Add(s, eps)
	if err != nil {
		return nil, err
	}
	return G.Sqrt(s)
}

// Normalize returns x with each row divided by its norm.
func Normalize(g *G.ExprGraph, x *G.Node) (*G.Node, error) {
	n, err := RowNorms(g, x)
	if err != nil {
		return nil, err
	}
	n2, err := G.Reshape(n, tensor.Shape{x.Shape()[0], 1})
	if err != nil {
		return nil, err
	}
	return G.BroadcastHadamardDiv(x, n2, nil, []byte{1})
}

// RowDots returns the (n) dot products of the rows of a and b (n, d).
func RowDots(a, b *G.Node) (*G.Node, error) {
	p, err := G.HadamardProd(a, b)
	if err != nil {
		return nil, err
	}
	return G.Sum(p, 1)
}
