package fasttext

import (
	"fmt"
	"slices"
)

// Hash is fastText's hash of a character n-gram: 32-bit FNV-1a over its
// UTF-8 bytes, each byte sign-extended before the xor as fastText's
// Dictionary::hash does (it reads the bytes as C chars) and gensim's
// ft_hash_bytes copies. The two agree with plain FNV-1a on ASCII.
func Hash(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(int32(int8(s[i])))
		h *= 16777619
	}
	return h
}

// AppendNgrams appends to dst the buckets of the character n-grams of word,
// n = minn..maxn, of "<" + word + ">" in fastText's order (by start, then by
// length), counting UTF-8 characters, not bytes, as fastText's
// computeSubwords and gensim's compute_ngrams_bytes do. Single characters at
// the boundary ("<", ">") are left out as fastText leaves them out; the
// whole bracketed word is an n-gram when it is no longer than maxn.
// Duplicates are kept (both implementations keep them).
func AppendNgrams(dst []int32, word string, minn, maxn, buckets int) []int32 {
	w := "<" + word + ">"
	for i := 0; i < len(w); i++ {
		if w[i]&0xC0 == 0x80 {
			continue // not the first byte of a character
		}
		j := i
		for n := 1; j < len(w) && n <= maxn; n++ {
			j++
			for j < len(w) && w[j]&0xC0 == 0x80 {
				j++
			}
			if n >= minn && !(n == 1 && (i == 0 || j == len(w))) {
				dst = append(dst, int32(Hash(w[i:j])%uint32(buckets)))
			}
		}
	}
	return dst
}

// Subwords holds the n-grams of every word of a vocabulary, by word id, as
// rows of a compact n-gram table: word i's rows are IDs[Start[i]:Start[i+1]],
// and row r holds hash bucket Buckets[r]. Only the buckets some word has get
// a row (in increasing bucket order): the others would never be trained, so
// the model is fastText's with `buckets` rows while its table, and Adam's
// moments, hold only the rows in use (228,301 of 2,000,000 for the IMDB
// corpus vocabulary).
type Subwords struct {
	MinN, MaxN, NumBuckets int
	Start                  []int
	IDs                    []int32
	Buckets                []int32
}

// NewSubwords computes the n-grams of words (in id order). skip reports
// words that get none (the unknown word).
func NewSubwords(words []string, minn, maxn, buckets int, skip func(id int) bool) (*Subwords, error) {
	if err := checkNgrams(minn, maxn, buckets); err != nil {
		return nil, err
	}
	s := &Subwords{MinN: minn, MaxN: maxn, NumBuckets: buckets, Start: make([]int, 1, len(words)+1)}
	for id, w := range words {
		if skip == nil || !skip(id) {
			s.IDs = AppendNgrams(s.IDs, w, minn, maxn, buckets)
		}
		s.Start = append(s.Start, len(s.IDs))
	}
	s.Buckets = slices.Clone(s.IDs)
	slices.Sort(s.Buckets)
	s.Buckets = slices.Compact(s.Buckets)
	for i, b := range s.IDs {
		r, _ := slices.BinarySearch(s.Buckets, b)
		s.IDs[i] = int32(r)
	}
	return s, nil
}

// Rows is the number of rows of the compact n-gram table.
func (s *Subwords) Rows() int { return len(s.Buckets) }

func checkNgrams(minn, maxn, buckets int) error {
	switch {
	case minn < 1:
		return fmt.Errorf("minn %d: want >= 1", minn)
	case maxn < minn:
		return fmt.Errorf("maxn %d: want >= minn %d", maxn, minn)
	case buckets < 1 || buckets > 1<<31-1:
		return fmt.Errorf("buckets %d: want 1..2147483647", buckets)
	}
	return nil
}

// Of returns the n-gram table rows of word id (not a copy).
func (s *Subwords) Of(id int32) []int32 { return s.IDs[s.Start[id]:s.Start[id+1]] }

// Max returns the largest number of n-grams of one word.
func (s *Subwords) Max() int {
	m := 0
	for i := 1; i < len(s.Start); i++ {
		m = max(m, s.Start[i]-s.Start[i-1])
	}
	return m
}

// Words is the number of words whose n-grams s holds.
func (s *Subwords) Words() int { return len(s.Start) - 1 }
