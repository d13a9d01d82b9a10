// Package skipgram is word2vec's skip-gram with negative sampling (SGNS) as a
// task on the shared embedding, over the run's corpus of unlabelled texts
// (IMDB train + unsup, never a review the primary task validates or tests
// on). It works as an auxiliary task in any strategy and, alone under STL, as
// the pre-training behind --init skipgram with init.optimizer=adam (by
// default --init trains the same objective with word2vec's own loop,
// package tasks/word2vec, which is several times faster).
//
// For a centre word c and a context word o within its window, with K noise
// words n_1..n_K drawn from the unigram distribution raised to the power
// 0.75, the loss of the pair is word2vec's
//
//	−log σ(e_c · u_o) − Σ_k log σ(−e_c · u_{n_k})
//
// where e is the shared embedding and u a context table private to the task
// (initialised to zero, as word2vec's syn1neg). A step's loss is the mean over
// its pairs. The corpus is read as word2vec and gensim read it: words outside
// the vocabulary are dropped, frequent words are subsampled with probability
// of keeping min(1, (√(f/t)+1)·t/f) (f = the word's count over the corpus
// total, t = skipgram.sample), and each centre's window is drawn uniformly
// from 1..skipgram.window (word2vec's dynamic window). Documents are visited
// in a fresh random order each pass; windows never cross a document.
//
// Settings: skipgram.window (5), skipgram.negatives (5), skipgram.sample
// (1e-3; 0 turns subsampling off), skipgram.batch (pairs per step, 1024),
// skipgram.steps (steps per epoch when skipgram is the primary task; 0 = one
// pass over the corpus), skipgram.noise_power (0.75).
//
// The pass machinery (subsampling, dynamic windows, the noise sampler) is
// exported for the cbow task.
package skipgram
