// Package similarity is the word-similarity auxiliary task. Its loss pulls the
// cosine similarity of each training pair's two embedding rows toward the
// pair's human score, normalised to [0,1] within its list:
//
//	L = mean over pairs of (cos(e_a, e_b) − s̃)²,   s̃ = (s − min) / (max − min)
//
// Its metric is Spearman's ρ between human scores and cosines on each list's
// held-out pairs, with the out-of-vocabulary ratio, computed exactly as gensim's
// evaluate_word_pairs.
//
// No leakage: a word pair (unordered, across all 13 lists, since lists share
// pairs) is a training pair when tasks.HashUnit(splitSeed, "similarity/"+pair)
// < similarity.train_fraction (default 0.5); the others are the reported pairs.
// Report is the reported side alone, for scoring an embedding that did not
// train on similarity. spearman_mean is the unweighted mean of ρ over the
// lists where ρ is defined (at least MinPairs evaluated pairs, non-constant
// cosines), so a list with 9 evaluated pairs counts as much as one with 500.
// The task's description gives the reported pairs listed and those evaluated
// (both words in the vocabulary), overall and per list.
// Settings: similarity.train_fraction, similarity.batch.
package similarity
