// Package experiments runs training: it resolves a run configuration (a
// protocol's defaults plus overrides), prepares the data, builds the tasks and
// the model, asks the strategy for each epoch's weights, trains, selects the
// best epoch on the validation split, evaluates the test split once, and
// returns a results.Record. Reproduce runs the paper's comparison matrix.
//
// The vocabulary is built from the reviews a run fits on (and the unlabelled
// corpus with vocab "corpus"), never from its validation or test reviews.
// A run without the similarity or analogy task still reports their metrics
// on its selected embedding, over the same held-out items (auxeval.go), so
// STL rows are the baseline of the auxiliary metrics.
//
// A run can save its exact state at epoch boundaries and continue from it
// bit-identically (Checkpoints, checkpoint.go): after a crash, or from
// another run's state when both trained with the same weights up to that
// epoch (the shared prefixes of sweeps).
//
// Protocols:
//
//   - paper: the MT2ST reference setup — 1,000 reviews sampled with a seed from
//     the 50,000 labelled IMDB reviews, 750 train / 250 test, a validation part
//     carved from train, at most 100 tokens, a 100-d embedding, the BiLSTM-256
//     classifier, full batch, 25 epochs, Adam lr 1e-3, Switch at epoch 15.
//   - imdb: the standard 25k/25k split, the bag encoder, minibatches.
package experiments
