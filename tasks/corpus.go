package tasks

import "fmt"

// Corpus is the unlabelled text the corpus tasks (skipgram, cbow, glove) train
// on: token ids under the run's vocabulary, documents one after another.
// Words outside the vocabulary are dropped before any window is taken, as
// word2vec and GloVe drop them, so a window never spans an unknown word.
type Corpus struct {
	// IDs holds every document's tokens back to back.
	IDs []int32
	// Starts[i] is where document i begins in IDs; len(Starts) is the number
	// of documents plus one (the last entry is len(IDs)). Windows never cross
	// a document boundary.
	Starts []int
	// Counts[id] is how often id occurs in IDs (0 for the unknown word); the
	// noise distribution and frequent-word subsampling use these.
	Counts []int64
	// Key identifies the texts and the vocabulary, for caches of data derived
	// from the corpus (e.g. GloVe's co-occurrence counts).
	Key string
	// Source describes where the texts came from, for run records.
	Source string
}

// Docs returns the number of documents.
func (c *Corpus) Docs() int { return len(c.Starts) - 1 }

// Doc returns the tokens of document i (not a copy).
func (c *Corpus) Doc(i int) []int32 { return c.IDs[c.Starts[i]:c.Starts[i+1]] }

// Total returns the number of tokens.
func (c *Corpus) Total() int64 { return int64(len(c.IDs)) }

// Check reports a corpus whose parts disagree (for tests and factories).
func (c *Corpus) Check(vocabLen int) error {
	if len(c.Starts) == 0 || c.Starts[0] != 0 || c.Starts[len(c.Starts)-1] != len(c.IDs) {
		return fmt.Errorf("corpus: document starts do not span the %d tokens", len(c.IDs))
	}
	if len(c.Counts) != vocabLen {
		return fmt.Errorf("corpus: %d counts for a vocabulary of %d words", len(c.Counts), vocabLen)
	}
	if len(c.IDs) == 0 {
		return fmt.Errorf("corpus: no tokens in the vocabulary")
	}
	return nil
}

// NewCorpus builds a corpus from documents of vocabulary ids, dropping the
// unknown id (0) and negative ids, and counting the rest. It is the way tests
// and small tools make one; the runner builds the IMDB corpus itself.
func NewCorpus(docs [][]int32, vocabLen int, key string) *Corpus {
	c := &Corpus{Starts: []int{0}, Counts: make([]int64, vocabLen), Key: key}
	for _, d := range docs {
		for _, id := range d {
			if id <= 0 || int(id) >= vocabLen {
				continue
			}
			c.IDs = append(c.IDs, id)
			c.Counts[id]++
		}
		c.Starts = append(c.Starts, len(c.IDs))
	}
	return c
}
