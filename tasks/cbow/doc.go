// Package cbow is word2vec's continuous bag of words with negative sampling
// as a task on the shared embedding, over the run's corpus (IMDB train +
// unsup, never a review the primary task validates or tests on): the mean of
// the shared-embedding rows of a centre word's context predicts the centre
// word against K noise words,
//
//	h = mean_{o ∈ window(c)} e_o,   loss = −log σ(h · u_c) − Σ_k log σ(−h · u_{n_k})
//
// with u an output table private to the task (zero at first, as word2vec's
// syn1neg). It reads the corpus exactly as the skipgram task does (its pass:
// subsampling, dynamic windows, noise ∝ count^0.75), and uses gensim's
// default cbow_mean=1. --init cbow trains the same objective with word2vec's
// own loop (package tasks/word2vec) unless init.optimizer=adam.
//
// Settings: cbow.window (5), cbow.negatives (5), cbow.sample (1e-3),
// cbow.batch (centre words per step, 1024), cbow.steps (steps per epoch as
// the primary task; 0 = one pass), cbow.noise_power (0.75).
package cbow
