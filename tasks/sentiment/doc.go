// Package sentiment is the primary task: binary (or n-class) document
// classification on the shared embedding, with two encoders:
//
//   - bag: masked mean of the token rows → linear → softmax cross-entropy.
//   - bilstm: the paper's classifier: a one-layer BiLSTM (256 per direction by
//     default), the last states of both directions concatenated → linear.
//
// Metrics: accuracy and macro-F1. Settings: sentiment.encoder (bag|bilstm),
// sentiment.hidden (BiLSTM units per direction), sentiment.batch (minibatch
// size, "full" or 0 for full batch), sentiment.eval_batch.
package sentiment
