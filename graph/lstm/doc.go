// Package lstm is a masked LSTM layer as one custom Gorgonia op: the whole
// recurrence over T steps is a single node with a hand-written backward pass,
// instead of per-gate, per-step graph nodes (which take ~450 ms to build and
// run 2–4× slower than PyTorch).
//
// [Apply] adds the layer to a graph. Its inputs follow PyTorch's nn.LSTM
// (gate order i|f|g|o, weights transposed so that gates = x·wx + h·wh + bias)
// and the project's batch-major layout: x holds B sequences of T rows each
// (row b·T+t), a (B, T) mask marks real tokens with 1 and padding with 0, and
// where the mask is 0 the state is carried over unchanged. With right padding
// this is what PyTorch computes on a packed sequence, in both directions
// (Options.Reverse gives the reverse half of a bidirectional LSTM). The output
// is every hidden state (0 at padded positions) or the last one.
//
// Inside, the input projection of all steps is one matrix product; each step
// is one product h·Wh with Wh packed once per pass, then the gate arithmetic
// with vectorised sigmoid and tanh (AVX-512 or AVX2); the backward
// pass is one product per step, dA·[Wh; Wx]ᵀ giving dh and dx together, and
// the weight gradients are one product over all steps, [dWh; dWx] = [h | x]ᵀ·dA.
// Batch rows are independent, so the recurrence runs in GOMAXPROCS goroutines
// over slices of the batch. Every buffer is allocated once per node; the
// node's output and gradient values are those buffers, overwritten by the
// next run of the machine.
//
// [Reference] builds the same function from stock Gorgonia ops; the tests
// check the op against it, against PyTorch (testdata/torch_lstm_golden.json,
// from scripts/torch_lstm_golden.py) and against finite differences.
package lstm
