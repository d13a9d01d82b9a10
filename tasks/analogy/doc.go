// Package analogy is the word-analogy auxiliary task on the Google questions
// (a : b :: c : d). Its loss pulls b − a + c toward d against sampled
// negatives, on cosines, as a softmax over the true answer and K negatives:
//
//	q = e_b − e_a + e_c,  s_x = cos(q, e_x) / τ
//	L = mean over questions of −log( exp(s_d) / (exp(s_d) + Σ_k exp(s_nk)) )
//
// Half of the negatives (on average) are other answers of the same section,
// which are the confusable ones; the rest are uniform over the vocabulary.
// Its metrics are 3CosAdd and 3CosMul accuracy per section and overall on the
// held-out questions, with the question words excluded, exactly as gensim's
// evaluate_word_analogies.
//
// No leakage: the questions of a section are built from word pairs (a, b);
// a pair trains when tasks.HashUnit(splitSeed, "analogy/"+section+"/"+pair)
// < analogy.train_fraction (default 0.5). A question whose two pairs both
// train is a training question, one whose two pairs are both held out is
// reported, and the mixed ones are used for neither.
// Settings: analogy.train_fraction, analogy.batch, analogy.negatives,
// analogy.temperature.
package analogy
