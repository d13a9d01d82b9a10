// Package fasttext is fastText's skip-gram and CBOW (Bojanowski et al.,
// "Enriching Word Vectors with Subword Information", TACL 2017) as two tasks
// on the shared embedding, fasttext-sg and fasttext-cbow, over the run's
// corpus of unlabelled texts (IMDB train + unsup, never a review the primary
// task validates or tests on). They work as auxiliary tasks under any
// strategy and, alone under STL, as the pre-training behind
// --init fasttext-sg|fasttext-cbow.
//
// A word w is its row e_w of the shared embedding plus the rows z_g of its
// character n-grams: the n-grams of "<" + w + ">" of n = minn..maxn
// characters, each hashed with 32-bit FNV-1a (bytes sign-extended, as
// fastText) into one of `buckets` rows of a second table private to the
// task (Hash, AppendNgrams: the buckets are fastText's and gensim's, checked
// against gensim). Its input vector is the mean
//
//	h_w = (e_w + Σ_{g ∈ G(w)} z_g) / (1 + |G(w)|)
//
// and the objective is word2vec's negative sampling (skipgram.NSLoss): for
// skip-gram, h of the centre word predicts each context word; for CBOW, the
// mean of every context word's rows and n-gram rows (gensim's and fastText's
// cbow_mean) predicts the centre word. Output vectors are a third table,
// zero at first. The corpus is read exactly as the skipgram and cbow tasks
// read it (their pass: subsampling, dynamic windows, noise ∝ count^0.75).
// The gradient is the exact gradient of the mean (fastText's SGD adds the
// unscaled gradient of h to each row; Adam, which mt2st trains with, divides
// each row's gradient by its own running scale, so the factor 1 + |G(w)|
// cancels).
//
// A word's vector for evaluation and for later runs is h_w (WordVectors);
// a word outside the vocabulary gets the mean of its n-gram rows (Compose).
// Pre-training keeps the trained n-gram rows next to the word vectors
// (PretrainedVectors), so --init builds vectors for the run's words that the
// pre-training vocabulary lacks.
//
// Settings (prefix fasttext-sg. or fasttext-cbow.): window (5), negatives
// (5), sample (1e-3), batch (pairs, CBOW centre words, per step: 1024),
// steps (steps per epoch as the primary task; 0 = one pass), noise_power
// (0.75) as skipgram's; minn (3), maxn (6) and buckets (2,000,000, fastText's
// and gensim's default).
//
// Memory: fastText's n-gram matrix has `buckets` rows, but only the
// buckets some vocabulary word hashes to are ever trained, so the task keeps
// those alone, in a compact table (Subwords): the same model with a fraction
// of the memory. The IMDB corpus vocabulary (51,818 words at min_count 5)
// has 242,419 distinct n-grams in 228,301 of the 2,000,000 buckets: 91 MB of
// n-gram rows at D = 100 (274 MB with Adam's moments) instead of 800 MB
// (2.4 GB). So the default stays fastText's and gensim's 2,000,000, and
// the comparison with gensim runs under the same hyper-parameters.
package fasttext
