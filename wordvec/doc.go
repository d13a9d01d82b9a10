// Package wordvec reads and writes word vectors in the word2vec formats and
// evaluates them on word-similarity lists and analogy questions, agreeing
// with gensim 4.x KeyedVectors.evaluate_word_pairs and
// evaluate_word_analogies on the same vectors and restrict_vocab (to 1e-3;
// the committed fixture agrees exactly on every accuracy and to 1e-7 on
// every correlation, see gensim_test.go and scripts/gensim_eval.py).
//
// # Vectors
//
// Vectors is a row-major float32 table with its words, in file order (for
// word2vec and gensim files: descending frequency). NewVectors wraps a
// trainer's live table without copying; an Evaluator built on it reads the
// current values on every call, so a trainer can evaluate after each epoch
// for the cost of one normalisation and one matrix product.
//
// # Semantics, as gensim 4.2.0 (keyedvectors.py)
//
//   - Vocabulary: only the first restrictVocab words are looked up or
//     searched (restrictVocab ≤ 0 means all; gensim's default is 300000).
//     Lookups are case-insensitive: every word is upper-cased and, among case
//     variants, the first (most frequent) row stands for all of them, as
//     gensim's ok_vocab = {k.upper(): i for k in reversed(keys)}. Upper-casing
//     uses Go's strings.ToUpper (Unicode simple case mapping); Python's
//     str.upper uses full mapping and differs on a few characters such as
//     "ß" → "SS". The project's tokens are ASCII.
//   - Similarity: pairs with a word outside that vocabulary are skipped.
//     The model score is the cosine of the two vectors; Spearman's rho and
//     Pearson's r against the human scores as scipy computes them
//     (metrics.Spearman, metrics.Pearson). gensim splits list lines on a
//     delimiter, '\t' by default; three of the project's lists separate with
//     spaces, so the agreement target is evaluate_word_pairs(delimiter=None),
//     i.e. any whitespace. PairResult.OOV is a fraction in [0, 1]; gensim
//     returns the same ratio in percent. Where gensim raises (no pair in the
//     vocabulary) or scipy does (one pair), the correlations are NaN, written
//     as null in JSON, as are correlations scipy returns as NaN.
//   - Analogies: a question a : b :: c : d with any word outside the
//     vocabulary is skipped and counted in AnalogyTotal.OOV (the fraction of
//     all questions; gensim logs it in percent). 3CosAdd ranks the first
//     restrictVocab unit vectors by cosine with unit(b̂ + ĉ − â), 3CosMul by
//     ((1+cos(w,b))/2)·((1+cos(w,c))/2) / ((1+cos(w,a))/2 + 1e-6) as
//     most_similar_cosmul; both exclude the rows of a, b and c, keep the top
//     5, and then, as gensim's loop does, predict the first of those whose
//     upper-cased word is none of a, b, c (so case variants of the question
//     words are skipped too; if all five are, the last one is the
//     prediction). The prediction is right when its upper-cased word is d.
//     Accuracy is a fraction; a section with no evaluated question has
//     accuracy 0 and Questions 0 (gensim keeps it with 0/0 and logs nothing).
//     The total sums all sections (gensim's "Total accuracy").
//   - gensim 4.2.0 itself does not run 3CosMul in evaluate_word_analogies:
//     it accepts similarity_function but always calls most_similar, and its
//     most_similar_cosmul ignores restrict_vocab. The 3CosMul here is what
//     gensim's loop gives with most_similar_cosmul over the same restricted
//     vocabulary as 3CosAdd; scripts/gensim_eval.py computes exactly that.
//   - Ties: among equal scores the lower row wins. gensim orders candidates
//     with numpy's argpartition/argsort, which has no defined order among
//     ties; exact float32 ties are rare and not chased. Rounding also
//     differs (float32 products summed in another order), so a near-tie can
//     resolve differently; that is what the 1e-3 tolerance absorbs.
//   - A zero vector has cosine 0 with everything (gensim would divide by
//     zero and produce NaN).
//
// # Formats
//
// ReadWord2Vec reads the word2vec text and binary formats (detected from the
// first record), ReadFile also gzip-compressed files. WriteWord2Vec writes
// text that gensim's load_word2vec_format reads, with the shortest decimal
// per float32 so that a round trip is exact; WriteFile writes atomically.
package wordvec
