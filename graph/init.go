package graph

import (
	"math"
	"math/rand/v2"
)

// Init fills data (a tensor of the given shape, row-major) with initial values.
type Init func(rng *rand.Rand, data []float32, shape []int)

// Uniform draws every value from U(lo, hi).
func Uniform(lo, hi float64) Init {
	return func(rng *rand.Rand, data []float32, _ []int) {
		for i := range data {
			data[i] = float32(lo + (hi-lo)*rng.Float64())
		}
	}
}

// Zeros sets every value to 0.
func Zeros() Init {
	return func(_ *rand.Rand, data []float32, _ []int) { clear(data) }
}

// FanIn draws from U(−1/√fanIn, 1/√fanIn): PyTorch's default for nn.Linear
// weights and biases and for nn.LSTM (with fanIn = hidden size).
func FanIn(fanIn int) Init {
	b := 1 / math.Sqrt(float64(fanIn))
	return Uniform(-b, b)
}
