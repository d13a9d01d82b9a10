package text

import (
	"cmp"
	"iter"
	"slices"
	"strings"
)

// The unknown word: id 0 of every Vocab.
const (
	UnknownID   int32 = 0
	UnknownWord       = "<unk>"
)

// Counter counts word occurrences. The zero value is an empty Counter ready
// to use. Words are kept in first-seen order.
//
// A Counter is not a Go map on purpose: assigning to an existing map key
// replaces the stored key string, which would make the map keep alive the
// texts its tokens were cut from.
type Counter struct {
	index  map[string]int32 // word -> position in words and counts
	words  []string
	counts []int64
}

// Add counts each token once. New words are cloned before they are stored, so
// a Counter never keeps the (possibly large) texts of the tokens alive.
func (c *Counter) Add(tokens []string) {
	for _, w := range tokens {
		c.AddCount(w, 1)
	}
}

// AddCount adds n occurrences of w.
func (c *Counter) AddCount(w string, n int64) {
	if i, ok := c.index[w]; ok {
		c.counts[i] += n
		return
	}
	if c.index == nil {
		c.index = make(map[string]int32)
	}
	w = strings.Clone(w)
	c.index[w] = int32(len(c.words))
	c.words = append(c.words, w)
	c.counts = append(c.counts, n)
}

// Merge adds all counts of other to c.
func (c *Counter) Merge(other *Counter) {
	for i, w := range other.words {
		c.AddCount(w, other.counts[i])
	}
}

// Count returns how often w was counted.
func (c *Counter) Count(w string) int64 {
	if i, ok := c.index[w]; ok {
		return c.counts[i]
	}
	return 0
}

// Len returns the number of distinct words.
func (c *Counter) Len() int { return len(c.words) }

// Total returns the number of tokens counted.
func (c *Counter) Total() int64 {
	var total int64
	for _, n := range c.counts {
		total += n
	}
	return total
}

// All yields every word and its count in first-seen order.
func (c *Counter) All() iter.Seq2[string, int64] {
	return func(yield func(string, int64) bool) {
		for i, w := range c.words {
			if !yield(w, c.counts[i]) {
				return
			}
		}
	}
}

// Vocab maps words to dense int32 ids and back. Id 0 (UnknownID) is always
// UnknownWord. A Vocab is read-only after construction and safe for concurrent
// use.
type Vocab struct {
	words  []string
	counts []int64
	ids    map[string]int32
}

// BuildVocab keeps the words of c (read only; passing a Counter by value is
// fine here) counted at least minCount times, ordered by
// count descending and then by word ascending, so the ids depend only on the
// counts. maxSize > 0 caps Len() (the unknown word included); maxSize <= 0 means
// no cap. Count(UnknownID) is the total count of the words left out.
func BuildVocab(c Counter, minCount, maxSize int) *Vocab {
	type entry struct {
		word  string
		count int64
	}
	kept := make([]entry, 0, c.Len())
	var unknown int64
	for w, n := range c.All() {
		if n >= int64(minCount) && w != UnknownWord {
			kept = append(kept, entry{w, n})
		} else {
			unknown += n
		}
	}
	slices.SortFunc(kept, func(a, b entry) int {
		if a.count != b.count {
			return cmp.Compare(b.count, a.count)
		}
		return strings.Compare(a.word, b.word)
	})
	if maxSize > 0 && len(kept) > maxSize-1 {
		for _, e := range kept[max(maxSize-1, 0):] {
			unknown += e.count
		}
		kept = kept[:max(maxSize-1, 0)]
	}
	v := &Vocab{
		words:  make([]string, 0, len(kept)+1),
		counts: make([]int64, 0, len(kept)+1),
		ids:    make(map[string]int32, len(kept)+1),
	}
	v.words = append(v.words, UnknownWord)
	v.counts = append(v.counts, unknown)
	v.ids[UnknownWord] = UnknownID
	for i, e := range kept {
		v.words = append(v.words, e.word)
		v.counts = append(v.counts, e.count)
		v.ids[e.word] = int32(i + 1)
	}
	return v
}

// NewVocab builds a Vocab over a fixed word list, e.g. the rows of a
// word-vectors file. If words[0] is UnknownWord the ids are the indices of
// words; otherwise UnknownWord is prepended and word i gets id i+1. A word
// listed twice keeps both slots (so row arithmetic stays valid), and ID returns
// its first. All counts are 0.
func NewVocab(words []string) *Vocab {
	all := make([]string, 0, len(words)+1)
	if len(words) == 0 || words[0] != UnknownWord {
		all = append(all, UnknownWord)
	}
	all = append(all, words...)
	v := &Vocab{
		words:  all,
		counts: make([]int64, len(all)),
		ids:    make(map[string]int32, len(all)),
	}
	for i, w := range all {
		if _, seen := v.ids[w]; !seen {
			v.ids[w] = int32(i)
		}
	}
	return v
}

// Len returns the number of ids, the unknown word included.
func (v *Vocab) Len() int { return len(v.words) }

// ID returns the id of w, or UnknownID when w is not in the vocabulary.
func (v *Vocab) ID(w string) int32 {
	return v.ids[w] // the zero value is UnknownID
}

// Lookup returns the id of w and whether w is in the vocabulary. Lookup of
// UnknownWord itself reports true.
func (v *Vocab) Lookup(w string) (int32, bool) {
	id, ok := v.ids[w]
	return id, ok
}

// Word returns the word with the given id; it panics on an id outside
// [0, Len()), like a slice index.
func (v *Vocab) Word(id int32) string { return v.words[id] }

// Count returns the count of the word with the given id (0 for a Vocab from
// NewVocab). For UnknownID it is the total count of the words BuildVocab left
// out.
func (v *Vocab) Count(id int32) int64 { return v.counts[id] }

// Words returns all words indexed by id. The slice is shared: do not modify it.
func (v *Vocab) Words() []string { return v.words }

// Encode appends the id of each token (UnknownID for unknown ones) to dst and
// returns the extended slice; pass dst[:0] to reuse storage.
func (v *Vocab) Encode(tokens []string, dst []int32) []int32 {
	for _, w := range tokens {
		dst = append(dst, v.ids[w])
	}
	return dst
}
