// Package pos is part-of-speech tagging on UD English EWT (UPOS, 17 tags) as
// a task on the shared embedding: each word is classified from a window of
// shared-embedding rows around it (±pos.context words, concatenated), plus
// five shape features per window position, through one tanh hidden layer:
//
//	x = [e_{t−k}; …; e_{t+k}; shape_{t−k}; …; shape_{t+k}]
//	p(tag | t) = softmax(W₂ tanh(W₁x + b₁) + b₂)
//
// and the loss is the mean cross-entropy over the batch's words.
//
// Words are lower-cased and looked up in the run's vocabulary (which comes
// from IMDB reviews); a word the vocabulary lacks — every punctuation token
// among them, since the tokenizer keeps only [a-z0-9'] runs — reads the
// unknown word's row (id 0) explicitly, and the shape features (capitalised,
// has a digit, has no letter or digit, unknown, outside the sentence) keep
// such words apart. Positions past the sentence edges read a zero row.
//
// Metrics: pos/accuracy on EWT dev for validation and on EWT test for test
// (the keys carry the task name so they never collide with the primary's).
// Settings: pos.context (2), pos.hidden (128), pos.batch (words per step,
// 256), pos.steps (steps per epoch as the primary task; 0 = one pass over
// the training words).
package pos
