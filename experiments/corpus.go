package experiments

import (
	"context"
	"fmt"
	"sync"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/text"
)

// Vocabularies are the valid values of Config.Vocab.
var Vocabularies = []string{"", "train", "corpus"}

// corpusCache holds the IMDB train+unsup texts tokenised once (under an index
// of every word seen), and the corpus built from them for each prepared data
// set (one per vocabulary and held-out split).
type corpusCache struct {
	mu      sync.Mutex
	texts   *corpusTexts
	corpora map[*Prepared]*tasks.Corpus
}

// corpusTexts is every review of IMDB train and unsup as word ids of a
// run-independent index (all words, no minimum count).
type corpusTexts struct {
	words  []string
	ids    []int32  // every review's tokens back to back
	starts []int    // review i is ids[starts[i]:starts[i+1]]
	hashes []uint64 // FNV-1a of each review's raw text
	counts []int64  // occurrences of each word over all reviews
	source string
}

// textHash identifies a review by its text, so a review sampled into the
// primary's held-out splits is recognised in the corpus whatever split
// (train or test) it was sampled from.
func textHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// loadCorpusTexts tokenises the reviews once, with text.Tokenize's rules. A
// cancelled ctx stops it with an error (and nothing cached).
func (c *corpusCache) loadCorpusTexts(ctx context.Context, train, unsup []datasets.Review) (*corpusTexts, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.texts != nil {
		return c.texts, nil
	}
	t := &corpusTexts{starts: make([]int, 1, len(train)+len(unsup)+1)}
	index := map[string]int32{}
	var toks []string
	for _, part := range [][]datasets.Review{train, unsup} {
		for _, r := range part {
			if len(t.hashes)%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					return nil, fmt.Errorf("corpus: stopped after tokenising %d reviews: %w", len(t.hashes), err)
				}
			}
			toks = text.AppendTokens(toks[:0], r.Text)
			for _, w := range toks {
				id, ok := index[w]
				if !ok {
					id = int32(len(t.words))
					w = stringsClone(w)
					index[w] = id
					t.words = append(t.words, w)
					t.counts = append(t.counts, 0)
				}
				t.ids = append(t.ids, id)
				t.counts[id]++
			}
			t.starts = append(t.starts, len(t.ids))
			t.hashes = append(t.hashes, textHash(r.Text))
		}
	}
	t.source = fmt.Sprintf("IMDB train (%d reviews) + unsup (%d reviews), %d tokens", len(train), len(unsup), len(t.ids))
	c.texts = t
	return t, nil
}

func stringsClone(s string) string { return string([]byte(s)) }

// heldOutHashes returns the text hashes of the reviews the primary task
// validates and tests on: the corpus never contains them.
func heldOutHashes(held []datasets.Review) map[uint64]bool {
	out := make(map[uint64]bool, len(held))
	for _, r := range held {
		out[textHash(r.Text)] = true
	}
	return out
}

// corpusCounter counts the words of the corpus reviews that are not held
// out, for a vocabulary built from the corpus (Config.Vocab "corpus").
func (t *corpusTexts) counter(held map[uint64]bool) text.Counter {
	counts := make([]int64, len(t.counts))
	copy(counts, t.counts)
	for i, h := range t.hashes {
		if held[h] {
			for _, id := range t.ids[t.starts[i]:t.starts[i+1]] {
				counts[id]--
			}
		}
	}
	var c text.Counter
	for id, n := range counts {
		if n > 0 {
			c.AddCount(t.words[id], n)
		}
	}
	return c
}

// reviews returns the IMDB train and unsup reviews, loading them once.
func (d *Data) corpusReviews(ctx context.Context, locked bool) (train, unsup []datasets.Review, err error) {
	if !locked {
		d.mu.Lock()
		defer d.mu.Unlock()
	}
	if train, err = d.imdb(ctx, datasets.SplitTrain); err != nil {
		return nil, nil, err
	}
	if unsup, err = d.imdb(ctx, datasets.SplitUnsup); err != nil {
		return nil, nil, err
	}
	return train, unsup, nil
}

// corpusVocab builds the vocabulary of a configuration whose Vocab is
// "corpus": the words of IMDB train+unsup (held-out reviews left out) counted
// at least MinCount times. Called by Prepare with d.mu held.
func (d *Data) corpusVocab(ctx context.Context, c Config, held []datasets.Review) (*text.Vocab, error) {
	train, unsup, err := d.corpusReviews(ctx, true)
	if err != nil {
		return nil, err
	}
	t, err := d.corpus.loadCorpusTexts(ctx, train, unsup)
	if err != nil {
		return nil, err
	}
	return text.BuildVocab(t.counter(heldOutHashes(held)), c.MinCount, c.MaxVocab), nil
}

// Corpus returns the corpus of the prepared data: the IMDB train and unsup
// reviews (never the test reviews, and none of the primary task's validation
// or test reviews, whichever IMDB split they were sampled from), as ids of
// p's vocabulary with unknown words dropped. It is built once per prepared
// data set; tokenising the 75,000 reviews happens once per Data. It stops,
// with an error wrapping ctx.Err(), soon after ctx is cancelled.
func (d *Data) Corpus(ctx context.Context, p *Prepared) (*tasks.Corpus, error) {
	train, unsup, err := d.corpusReviews(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	t, err := d.corpus.loadCorpusTexts(ctx, train, unsup)
	if err != nil {
		return nil, err
	}
	d.corpus.mu.Lock()
	defer d.corpus.mu.Unlock()
	if c, ok := d.corpus.corpora[p]; ok {
		return c, nil
	}
	toVocab := make([]int32, len(t.words))
	for i, w := range t.words {
		toVocab[i] = p.Vocab.ID(w)
	}
	held := heldOutHashes(p.heldOut)
	c := &tasks.Corpus{Starts: []int{0}, Counts: make([]int64, p.Vocab.Len())}
	c.IDs = make([]int32, 0, len(t.ids))
	skipped := 0
	for i, h := range t.hashes {
		if i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("corpus: stopped after %d reviews: %w", i, err)
			}
		}
		if held[h] {
			skipped++
			continue
		}
		for _, g := range t.ids[t.starts[i]:t.starts[i+1]] {
			if id := toVocab[g]; id != text.UnknownID {
				c.IDs = append(c.IDs, id)
				c.Counts[id]++
			}
		}
		c.Starts = append(c.Starts, len(c.IDs))
	}
	c.Source = fmt.Sprintf("%s; %d reviews left out (primary validation/test texts); %d tokens in the vocabulary of %d words",
		t.source, skipped, len(c.IDs), p.Vocab.Len())
	c.Key = "corpus|" + p.key
	if err := c.Check(p.Vocab.Len()); err != nil {
		return nil, err
	}
	if d.corpus.corpora == nil {
		d.corpus.corpora = map[*Prepared]*tasks.Corpus{}
	}
	d.corpus.corpora[p] = c
	return c, nil
}
