// Package sentiment is the primary task: binary (or n-class) document
// classification on the shared embedding, with three encoders:
//
//   - bag: masked mean of the token rows → linear → softmax cross-entropy.
//   - bilstm: the paper's classifier: a one-layer BiLSTM (256 per direction by
//     default), the last states of both directions concatenated → linear.
//   - lstm: the benchmark's recurrent model (scripts/torch_ref.py): a
//     one-layer LSTM (128 by default), the masked mean of its hidden states →
//     linear to the embedding width (no bias) → linear.
//
// The mean pooling and the softmax cross-entropy are graph's fused ops
// (graph.WeightedPool, graph.SoftmaxCrossEntropy).
//
// Metrics: accuracy and macro-F1. The encoder (bag|bilstm|lstm) is the run's
// encoder option; settings: sentiment.hidden (LSTM units, per direction for bilstm), sentiment.batch
// (minibatch size, "full" or 0 for full batch), sentiment.eval_batch.
package sentiment
