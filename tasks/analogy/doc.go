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
// No leakage: the questions are built from relation pairs (a, b). A pair's
// key is its two words lower-cased and in sorted order (PairKey), the same in
// every section, since sections share pairs: all 23 pairs of
// capital-common-countries reappear in capital-world, and one pair is in both
// gram5-present-participle and gram7-past-tense. A pair trains when
// tasks.HashUnit(splitSeed, "analogy/"+key) < analogy.train_fraction
// (default 0.5). A question whose two pairs both train is a training
// question, one whose two pairs are both held out is reported, and the mixed
// ones are used for neither; so no reported question shares a relation pair
// with a training question. Report is the reported side alone, for scoring an
// embedding that did not train on analogies. The task's description gives the
// reported questions listed and those evaluated (all four words in the
// vocabulary): the accuracy is over the evaluated ones.
// Settings: analogy.train_fraction, analogy.batch, analogy.negatives,
// analogy.temperature.
package analogy
