// Package text turns raw review text into word tokens and word ids.
//
// Tokenize lower-cases ASCII letters, drops the HTML line breaks "<br />",
// "<br/>" and "<br>" that the IMDB reviews keep, and returns the maximal runs
// of [a-z0-9'] as tokens; every other byte, non-ASCII letters included, is a
// separator. This is the tokenisation under which the data's SOURCE.md counts
// the IMDB vocabulary. AppendTokens is the allocation-light form for loops
// over many texts.
//
// A Counter counts tokens; BuildVocab turns the counts into a Vocab with
// frequency-ordered, deterministic int32 ids, id 0 being the unknown word
// "<unk>". NewVocab builds a Vocab from a fixed word list instead, such as the
// rows of a word-vectors file.
package text
