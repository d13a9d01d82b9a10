// Package bench times one training step of mt2st's standard models at the
// shapes of the PyTorch reference (scripts/torch_ref.py), so the two
// can be compared side by side on the same machine:
//
//	bag    : shared embedding → mean over T → linear → softmax cross-entropy
//	mtl    : bag + skip-gram with negative sampling + word similarity, loss
//	         weights 1, 0.5, 0.5
//	lstm   : embedding → LSTM(128) → mean over T → linear(128→100, no bias)
//	         → linear → cross-entropy
//	bilstm : embedding → BiLSTM(256 per direction) → both last states → linear
//	         → cross-entropy (the paper's classifier)
//
// with V = 20,000 words, D = 100, B = 64 reviews of T = 100 tokens, 2 classes,
// skip-gram 1,024 (centre, context) pairs with 5 negatives each and its own
// context table, 64 similarity pairs, Adam with lr 1e-3.
//
// The models are the project's own: the sentiment, skipgram and similarity
// tasks built on one [graph.Model], fed synthetic data with torch_ref's
// distributions through the tasks' own input buffers (documents of 100
// tokens, 60% of them drawn from the half of the vocabulary that goes with
// the label; a random corpus for skip-gram; a similarity list of neighbour
// pairs and random pairs). A step is one [graph.Program.Step]: gather,
// forward, backward, scatter-add and Adam. Filling the inputs (the tasks'
// NextBatch) happens outside the timed region, as torch_ref generates its
// batch outside its timer.
//
// [Measure] reports the median step time after warm-up, its spread
// ([Spread]: p10, quartiles, p90) and the heap allocations per step;
// [Start] and [Timing.Run] time a model in chunks, so that bench --compare
// can alternate chunks of mt2st steps with runs of the PyTorch reference
// ([TorchReference], which reads every step's time). [LSTMFlops] counts the
// LSTM models' GEMM work per step, and [PeakOf] the machine's FMA peak
// (cores × current clock × FMA units × float32 lanes × 2) to set the
// achieved GFLOP/s against. The mtl model's heads are tested against stock
// Gorgonia with dense gradients at these shapes; the LSTM op and the GEMM at
// them in graph/lstm and graph/linalg.
//
// [Strategies] times epochs of one model under STL, MTL, Diminish and
// Switch, to show that an epoch in which every auxiliary weight is 0 costs
// what an STL epoch costs.
package bench
