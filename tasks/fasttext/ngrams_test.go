package fasttext

import (
	"slices"
	"testing"
)

// The expected buckets are gensim 4.2.0's:
//
//	from gensim.models.fasttext import ft_ngram_hashes
//	ft_ngram_hashes('where', 3, 6, 2000000)
//	ft_ngram_hashes('a', 3, 6, 2000000)
//	ft_ngram_hashes('héllo', 3, 4, 2000000)
func TestNgramsMatchGensim(t *testing.T) {
	cases := []struct {
		word       string
		minn, maxn int
		want       []int32
	}{
		{"where", 3, 6, []int32{167652, 989715, 1526707, 1071586, 420941, 312621, 969176, 121234, 1473420, 1540811, 114991, 1529033, 1568469, 867498}},
		{"a", 3, 6, []int32{1087600}},
		{"héllo", 3, 4, []int32{174101, 253051, 213657, 1024047, 1147105, 294922, 617342, 350912, 1504790}},
	}
	for _, c := range cases {
		got := AppendNgrams(nil, c.word, c.minn, c.maxn, 2000000)
		if !slices.Equal(got, c.want) {
			t.Errorf("%q n=%d..%d: buckets %v, want gensim's %v", c.word, c.minn, c.maxn, got, c.want)
		}
	}
}

// FNV-1a 32 of "a" is 0xe40c292c (the FNV reference test vectors); fastText's
// sign extension changes only bytes ≥ 0x80.
func TestHash(t *testing.T) {
	if got := Hash("a"); got != 0xe40c292c {
		t.Errorf("Hash(a) = %#x, want 0xe40c292c", got)
	}
	if Hash("\xc3") == fnv1a("\xc3") {
		t.Error("a byte >= 0x80 hashed as plain FNV-1a: fastText sign-extends it")
	}
}

func fnv1a(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// The compact table has one row per distinct bucket, and every word's rows
// lead back to its buckets; with 7 buckets "cats" and "cat" collide often.
func TestSubwordsCompactRows(t *testing.T) {
	words := []string{"<unk>", "cat", "cats", "dog"}
	for _, buckets := range []int{7, 2000000} {
		s, err := NewSubwords(words, 3, 6, buckets, func(id int) bool { return id == 0 })
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int32]bool{}
		for id, w := range words {
			rows := s.Of(int32(id))
			want := AppendNgrams(nil, w, 3, 6, buckets)
			if id == 0 {
				want = nil
			}
			if len(rows) != len(want) {
				t.Fatalf("buckets %d: %q has %d rows, want %d", buckets, w, len(rows), len(want))
			}
			for i, r := range rows {
				if s.Buckets[r] != want[i] {
					t.Errorf("buckets %d: %q row %d holds bucket %d, want %d", buckets, w, r, s.Buckets[r], want[i])
				}
				seen[want[i]] = true
			}
		}
		if s.Rows() != len(seen) || !slices.IsSorted(s.Buckets) {
			t.Errorf("buckets %d: %d rows for %d distinct buckets (sorted %v)", buckets, s.Rows(), len(seen), slices.IsSorted(s.Buckets))
		}
	}
}
