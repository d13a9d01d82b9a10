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
// Settings: similarity.train_fraction, similarity.batch.
package similarity
