// Package fasttext is fastText's skip-gram and CBOW (Bojanowski et al.,
// "Enriching Word Vectors with Subword Information", TACL 2017) as two tasks
// on the shared embedding, fasttext-sg and fasttext-cbow, over the run's
// corpus of unlabelled texts (IMDB train + unsup, never a review the primary
// task validates or tests on). They work as auxiliary tasks under any
// strategy and, alone under STL, as the pre-training behind
// --init fasttext-sg|fasttext-cbow under init.optimizer=adam. By default
// (init.optimizer sgd) --init trains the same model with word2vec's own loop
// extended to subwords (package tasks/word2vec, TrainSubwords), on this
// package's n-grams and compact rows (NewSubwords), leaving the same table
// (PretrainedTable): one epoch in 44 s against gensim's 82 s, measured in
// that package's doc.
//
// A word w is its row e_w of the shared embedding plus the rows z_g of its
// character n-grams: the n-grams of "<" + w + ">" of n = minn..maxn
// characters, each hashed with 32-bit FNV-1a (bytes sign-extended, as
// fastText) into one of `buckets` rows of a second table private to the
// task (Hash, AppendNgrams: the buckets are fastText's and gensim's, checked
// against gensim). Its skip-gram input vector is
//
//	h_w = (e_w + Σ_{g ∈ G(w)} z_g) / max(|G(w)|, 1)    (norm gensim, the default)
//	h_w = (e_w + Σ_{g ∈ G(w)} z_g) / (1 + |G(w)|)      (norm fasttext)
//
// the first as gensim 4's fasttext_inner.pyx (fasttext_fast_sentence_sg_neg
// and _sg_hs: the word row not counted, and the word row alone when it has
// no n-gram), the second, the mean, as fastText's computeHidden (SGDivisor;
// the setting fasttext-sg.norm); and the objective is word2vec's negative
// sampling (skipgram.NSLoss): for skip-gram, h of the centre word predicts
// each context word; for CBOW, the mean of every context word's rows and
// n-gram rows (gensim's and fastText's cbow_mean) predicts the centre word,
// whatever the norm. Output vectors are a third table, zero at first. The
// corpus is read exactly as the skipgram and cbow tasks read it (their
// pass: subsampling, dynamic windows, noise ∝ count^0.75).
// The gradient is the exact gradient of h (fastText's and gensim's SGD add
// the unscaled gradient of h to each row; Adam, which mt2st trains with,
// divides each row's gradient by its own running scale, so the divisor
// cancels).
//
// A word's vector for evaluation and for later runs is the mean
// (e_w + Σ_{g ∈ G(w)} z_g) / (1 + |G(w)|) under either norm, as gensim's
// adjust_vectors and fastText's getWordVector compute it (WordVectors);
// a word outside the vocabulary gets the mean of its n-gram rows (Compose).
// Pre-training keeps the trained n-gram rows next to the word vectors
// (PretrainedVectors), so --init builds vectors for the run's words that the
// pre-training vocabulary lacks.
//
// Settings (prefix fasttext-sg. or fasttext-cbow.): window (5), negatives
// (5), sample (1e-3), batch (pairs, CBOW centre words, per step: 1024),
// steps (steps per epoch as the primary task; 0 = one pass), noise_power
// (0.75) as skipgram's; minn (3), maxn (6) and buckets (2,000,000, fastText's
// and gensim's default); fasttext-sg only: norm (gensim, or fasttext; above).
//
// Memory: fastText's n-gram matrix has `buckets` rows, but only the
// buckets some vocabulary word hashes to are ever trained, so the task keeps
// those alone, in a compact table (Subwords): the same model with a fraction
// of the memory. The IMDB corpus vocabulary (51,818 words at min_count 5)
// has 242,419 distinct n-grams in 228,301 of the 2,000,000 buckets: 91 MB of
// n-gram rows at D = 100 (274 MB with Adam's moments) instead of 800 MB
// (2.4 GB). So the default stays fastText's and gensim's 2,000,000, and
// the comparison with gensim runs under the same hyper-parameters.
//
// Quality of this graph task against gensim (an earlier form of
// scripts/compare_fasttext.sh, which trained this task; gensim 4.2.0's
// FastText on the same tokens — IMDB train + unsup, test duplicates left
// out, vocabulary of 51,818 words at min_count 5 — with the same
// hyper-parameters: dim 100, window 5, 5 negatives, sample 1e-3, n = 3..6,
// 2,000,000 buckets; one pass; mt2st with Adam lr 0.01 decayed linearly,
// 1024 pairs a step; gensim with its SGD, 2 workers). Spearman ρ from
// `mt2st eval` on the in-vocabulary pairs (WS-353 all: 334 of 353; Stanford
// Rare Words: 689 of 2,034):
//
//	fasttext-sg, one whole pass     mt2st  WS-353 0.415  RW 0.427
//	                                gensim WS-353 0.350  RW 0.383
//	fasttext-cbow, one whole pass   mt2st  WS-353 0.345  RW 0.392
//	                                gensim WS-353 0.057  RW 0.239
//	fasttext-sg, 10% of the pass    mt2st  WS-353 0.135  RW 0.257
//	                                gensim WS-353 0.017  RW 0.185
//	fasttext-cbow, 10% of the pass  mt2st  WS-353 0.068  RW 0.219
//	                                gensim WS-353 −0.011 RW 0.101
//
// The fasttext-sg figures above were measured with the 1/(1 + |G(w)|) rule,
// before norm gensim became the default: scripts/compare_fasttext.sh
// re-measures the word2vec loop's (package tasks/word2vec), and the graph
// task's alternative it names (scripts/pretrain with init.optimizer=adam)
// this task's.
//
// One pass of SGD leaves gensim's CBOW far behind its skip-gram; Adam
// trains both further on the same data. With its out-of-vocabulary words
// built from n-grams (all 2,034 RW pairs) gensim's skip-gram scored RW 0.296
// (its own evaluation); mt2st's out-of-vocabulary vectors (Compose, --init)
// were not scored on RW. Adam's quality costs time: one skip-gram pass
// through the graph took 27 min against gensim's 695 s (both on a shared
// machine), hence the word2vec loop for --init.
package fasttext
