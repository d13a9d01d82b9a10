// Package word2vec is word2vec's own training loop for skip-gram and CBOW
// with negative sampling: plain SGD whose learning rate decays linearly from
// α (0.025) to α·1e-4 over the words processed, the sigmoid / negative-
// sampling update applied directly to the rows of the input table (the
// embedding, word2vec's syn0) and the output table (syn1neg), as in Mikolov
// et al.'s word2vec.c and gensim's Cython loop. It bypasses the Gorgonia
// graph for speed and is what --init skipgram|cbow trains with by default
// (package experiments); the graph tasks in tasks/skipgram and tasks/cbow
// optimise the same objective with any optimiser and remain the auxiliary
// tasks.
//
// The corpus is cut into jobs of about 10,000 tokens of whole documents
// (gensim's batch_words); each epoch hands the jobs out in a fresh seeded
// order. Within a document, frequent words are subsampled (keep probability
// min(1, (√(f/t)+1)·t/f), skipgram.KeepProbs), each centre word draws its
// window radius uniformly from 1..window, and noise words are drawn from
// count^0.75 (a draw equal to the true word is skipped, as word2vec does).
// σ comes from word2vec's 1,000-entry table over [−6, 6]; beyond it the
// gradient is clipped as word2vec.c does.
//
// Skip-gram: for each (centre, context) pair the context word's input row
// predicts the centre word (word2vec's orientation). CBOW: the mean h of the
// context rows predicts the centre word and each context row receives the
// whole update of h (gensim's cbow_mean=1 and word2vec.c: n times the
// gradient of the mean, for n context words).
//
// fastText (TrainSubwords; Bojanowski et al. 2017, "Enriching Word Vectors
// with Subword Information"): the input vector of a word is the sum of its
// word row and its character n-gram rows (a second table, package
// tasks/fasttext's hashing and compact bucket rows, given as Subwords),
// divided as below; the output side is word2vec's. The input gradient is
// added unscaled to every one of those rows: fastText's Model::update divides it by the number of
// inputs only for the supervised model (`if (args_->model ==
// model_name::sup) grad_.mul(1.0 / input.size())`, then `wi_->addRow(grad_,
// *it, 1.0)` for each input), and gensim's fasttext_inner.pyx
// (fasttext_fast_sentence_sg_neg, _cbow_neg) adds its work vector with
// weight 1 (the lock factor) to the vocabulary row and to each n-gram row.
// Skip-gram takes fastText's and gensim's orientation, the centre word's
// input vector predicting each context word, and gathers it once per centre,
// moving it by each pair's update instead of recomputing it, and scatters
// the window's summed update once (the same values up to rounding: see
// ftSkipGram). Skip-gram's divisor is Options.Norm (the setting
// fasttext-sg.norm): by default (NormGensim, "gensim") n for a word of n
// n-grams, the word row not counted (the word row alone when n = 0), as
// gensim 4's fasttext_fast_sentence_sg_neg and _sg_hs do; NormFastText
// ("fasttext") divides by 1 + n, the mean, as fastText's computeHidden
// does. Either way each row still receives the unscaled gradient, so with
// 1/n the input vector moves by (1 + n)/n of it (moveFactor). CBOW's hidden
// vector is the mean over every row (word and n-gram) of every context
// word, as both do, whatever Norm is. gensim skips a (word, target) pair
// whose dot product is beyond ±6 where this loop clips the gradient, as
// word2vec.c does (under either Norm). The vectors left for later runs are
// the mean (word row + n-gram rows)/(1 + n) under either Norm, as gensim's
// adjust_vectors and fastText's getWordVector compute them
// (fasttext.MeanVectors). Initial input rows: fastText's and gensim's
// U(±1/dim) (InitFastText).
//
// Measured (scripts/compare_fasttext.sh sg 1, then cbow: one epoch over IMDB
// train + unsup, 17.3M tokens, 51,818 words, 228,301 n-gram rows, gensim
// 4.2's FastText with the same hyper-parameters, 2 workers each, AMD EPYC
// with 2 cores, a quiet machine, load average ~1-2), training alone,
// in-vocabulary Spearman:
//
//	               mt2st s (CPU)   gensim s (CPU)   ratio wall (CPU)   WS-353 mt2st / gensim   RW mt2st / gensim
//	fastText sg     54.5 (107.5)    99.9 (195.7)    0.55 (0.55)        0.322 / 0.340           0.357 / 0.384
//	fastText CBOW   32.8 (65.2)     52.2 (101.5)    0.63 (0.64)        0.068 / 0.060           0.242 / 0.248
//
// The skip-gram row is gensim's 1/n rule (fasttext-sg.norm gensim, the
// default), measured in its own sitting (load average 1.9-2.3): gaps 0.018
// (WS-353) and 0.027 (RW), both within 0.03. Under fastText's 1/(1 + n)
// rule (fasttext-sg.norm fasttext) the seed-1 pair had missed "within 0.03"
// on WS-353 by 0.002 (43.9 s against gensim's 82.3 s; WS-353 0.318 / 0.350,
// RW 0.351 / 0.380); over seeds (init.seed 1, 2, 3: WS-353 0.318, 0.325,
// 0.325, RW 0.351, 0.379, 0.365; gensim --seed 1, 2: WS-353 0.350, 0.338,
// RW 0.380, 0.385) its mean gaps were 0.021 (WS-353) and 0.018 (RW). The
// CBOW row's rule did not change.
//
// Threads: with Options.Threads > 1 the workers update the shared tables
// without locks (Hogwild, Recht et al. 2011), exactly as word2vec.c and
// gensim do: two workers may write one row at once and an update can be
// lost (rarely: the rows touched at once are few among tens of thousands),
// and the result depends on scheduling. Threads = 1 is deterministic for a given seed (what
// the tests use, and what GOMAXPROCS=1 gives). The vector kernels are AVX2 /
// FMA assembly on amd64 (Kernel names the ones in use) and plain Go
// elsewhere; the race detector does not see writes made in assembly.
//
// Measured (scripts/compare_word2vec.sh "sg cbow" 1: one epoch over IMDB
// train + unsup, 17.3M tokens, 51,818 words, gensim 4.x's hyper-parameters,
// 2 workers each, AMD EPYC with 2 cores shared with other builds, load
// average ~16, so the CPU seconds are the steadier figure), training alone:
//
//	           mt2st s (CPU)   gensim 4.2 s (CPU)   ratio wall (CPU)   WS-353 mt2st / gensim   RW mt2st / gensim
//	skip-gram  271.1 (74.6)    356.1 (103.5)        0.76 (0.72)        0.258 / 0.251           0.219 / 0.223
//	CBOW        86.3 (21.6)    100.7  (28.9)        0.86 (0.75)        0.164 / 0.174           0.136 / 0.122
//
// This loop is the default optimiser of --init skipgram|cbow
// (init.optimizer=sgd): on the same corpus and machine, go run
// ./scripts/pretrain --init skipgram with the default 3 epochs took 485 s in
// all (data loading included; 469 s of training, 229 CPU s) for WS-353 0.446
// and RW 0.333, while one epoch of the graph task under Adam
// (--set init.epochs=1,init.optimizer=adam, lr 0.01) took 686 s for WS-353
// 0.355 and RW 0.272: Adam is better per epoch but pays Gorgonia's per-step
// overhead on one core, so the word2vec loop is better per second.
package word2vec
