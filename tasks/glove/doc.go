// Package glove is GloVe (Pennington, Socher and Manning, 2014) as a task on
// the shared embedding: weighted least squares on the logarithm of word
// co-occurrence counts over the run's corpus (IMDB train + unsup, never a
// review the primary task validates or tests on),
//
//	L = mean over the batch's pairs (i, j) of ½ · f(X_ij) · (w_i·c_j + b_i + b̃_j − log X_ij)²
//	f(x) = min(1, (x / x_max)^α)
//
// with w the shared embedding and the context vectors c and biases b, b̃ in
// tables private to the task (GloVe's ½ and f as in its glove.c).
//
// Counting follows GloVe's cooccur.c with symmetric windows: two words at
// distance d ≤ window within a document add 1/d to X_ij and to X_ji (a word
// near itself adds 2/d to X_ii); words outside the vocabulary were dropped
// from the corpus before counting. The counts are built once per corpus and
// window and kept in the run's cache; pairs of frequent words (rank product
// under a bound) go to a dense triangular array and the rest to a bounded
// buffer that is sorted, summed and merged into one sorted run (cooccur.c
// spills such runs to disk; here they stay in memory, 12 bytes a pair). On
// IMDB train + unsup (17.3M tokens, 51,818 words, window 10: 38.5M non-zero
// X_ij) the peak RSS of counting fell from 2.20 GB (a Go map for the sparse
// part) to 1.08 GB, with 11.8 s of CPU instead of 12.5 s (/usr/bin/time -v
// on go run ./scripts/pretrain --init glove --count-only, shared 2-core
// machine). Counting logs its progress every 5 s and its own duration
// ("co-occurrences counted"), apart from training, whose time the run
// record holds.
//
// An epoch as the primary task is one pass over the non-zero X_ij in a fresh
// random order; as an auxiliary task it keeps walking them.
//
// Settings: glove.window (10), glove.x_max (100), glove.alpha (0.75),
// glove.batch (pairs per step, 4096), glove.steps (steps per epoch as the
// primary task; 0 = one pass).
package glove
