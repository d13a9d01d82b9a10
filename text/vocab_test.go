package text

import (
	"slices"
	"testing"
	"unsafe"
)

func TestBuildVocabOrderAndCut(t *testing.T) {
	c := Counter{}
	// counts: the 4, a 3, b 2, c 2, rare 1
	c.Add([]string{"the", "a", "b", "the", "c", "a", "the", "b", "c", "the", "a", "rare"})
	if got := c.Total(); got != 12 {
		t.Fatalf("Total = %d, want 12", got)
	}

	v := BuildVocab(c, 2, 0)
	// Ties (b, c: 2 each) are broken by word ascending.
	if want := []string{UnknownWord, "the", "a", "b", "c"}; !slices.Equal(v.Words(), want) {
		t.Fatalf("Words = %q, want %q", v.Words(), want)
	}
	if v.Len() != 5 {
		t.Errorf("Len = %d, want 5", v.Len())
	}
	if got := v.Count(UnknownID); got != 1 {
		t.Errorf("Count(unk) = %d, want 1 (the one \"rare\")", got)
	}
	if got := v.Count(v.ID("the")); got != 4 {
		t.Errorf("Count(the) = %d, want 4", got)
	}
	if id, ok := v.Lookup("rare"); ok || id != UnknownID {
		t.Errorf("Lookup(rare) = %d, %v; want %d, false", id, ok, UnknownID)
	}
	if id, ok := v.Lookup("c"); !ok || id != 4 {
		t.Errorf("Lookup(c) = %d, %v; want 4, true", id, ok)
	}
	if w := v.Word(2); w != "a" {
		t.Errorf("Word(2) = %q, want a", w)
	}

	// maxSize counts the unknown word: 3 = unk + the + a.
	capped := BuildVocab(c, 1, 3)
	if want := []string{UnknownWord, "the", "a"}; !slices.Equal(capped.Words(), want) {
		t.Fatalf("capped Words = %q, want %q", capped.Words(), want)
	}
	if got := capped.Count(UnknownID); got != 5 {
		t.Errorf("capped Count(unk) = %d, want 5 (b 2 + c 2 + rare 1)", got)
	}
	if got := BuildVocab(c, 1, 1).Words(); !slices.Equal(got, []string{UnknownWord}) {
		t.Errorf("maxSize 1: Words = %q, want only the unknown word", got)
	}
}

func TestBuildVocabDeterministic(t *testing.T) {
	// The same counts added in opposite orders must give the same ids.
	words := []string{"d", "b", "a", "c", "e", "b", "d", "a"}
	var forward, backward Counter
	forward.Add(words)
	for i := len(words) - 1; i >= 0; i-- {
		backward.Add(words[i : i+1])
	}
	f, b := BuildVocab(forward, 1, 0).Words(), BuildVocab(backward, 1, 0).Words()
	if want := []string{UnknownWord, "a", "b", "d", "c", "e"}; !slices.Equal(f, want) || !slices.Equal(b, want) {
		t.Fatalf("Words: forward %q, backward %q; want %q", f, b, want)
	}
}

func TestBuildVocabIgnoresCountedUnknownWord(t *testing.T) {
	var c Counter
	c.AddCount(UnknownWord, 7)
	c.AddCount("x", 3)
	v := BuildVocab(c, 1, 0)
	if want := []string{UnknownWord, "x"}; !slices.Equal(v.Words(), want) {
		t.Fatalf("Words = %q, want %q", v.Words(), want)
	}
	if got := v.Count(UnknownID); got != 7 {
		t.Errorf("Count(unk) = %d, want 7", got)
	}
}

func TestCounterDoesNotKeepText(t *testing.T) {
	text := "alpha beta alpha"
	tokens := Tokenize(text)
	if unsafe.StringData(tokens[0]) != unsafe.StringData(text) {
		t.Fatal("precondition: tokens of lower-case text should share its memory")
	}
	c := Counter{}
	c.Add(tokens)
	for w := range c.All() {
		p := uintptr(unsafe.Pointer(unsafe.StringData(w)))
		lo := uintptr(unsafe.Pointer(unsafe.StringData(text)))
		if p >= lo && p < lo+uintptr(len(text)) {
			t.Errorf("Counter key %q points into the source text", w)
		}
	}
	if c.Count("alpha") != 2 || c.Count("beta") != 1 || c.Len() != 2 {
		t.Fatalf("counts: alpha %d, beta %d, %d words; want 2, 1, 2", c.Count("alpha"), c.Count("beta"), c.Len())
	}
}

func TestCounterMerge(t *testing.T) {
	var a, b Counter
	a.Add([]string{"x", "y", "x"})
	b.Add([]string{"y", "z"})
	a.Merge(&b)
	for w, want := range map[string]int64{"x": 2, "y": 2, "z": 1, "absent": 0} {
		if got := a.Count(w); got != want {
			t.Errorf("Count(%q) = %d, want %d", w, got, want)
		}
	}
	var order []string
	for w := range a.All() {
		order = append(order, w)
	}
	if want := []string{"x", "y", "z"}; !slices.Equal(order, want) {
		t.Errorf("All order = %q, want first-seen %q", order, want)
	}
}

func TestNewVocab(t *testing.T) {
	v := NewVocab([]string{"the", "cat", "the"})
	if want := []string{UnknownWord, "the", "cat", "the"}; !slices.Equal(v.Words(), want) {
		t.Fatalf("Words = %q, want %q", v.Words(), want)
	}
	if got := v.ID("the"); got != 1 {
		t.Errorf("ID(the) = %d, want 1 (its first slot)", got)
	}
	if got := v.ID("dog"); got != UnknownID {
		t.Errorf("ID(dog) = %d, want UnknownID", got)
	}
	if got := v.Count(2); got != 0 {
		t.Errorf("Count = %d, want 0", got)
	}

	withUnk := NewVocab([]string{UnknownWord, "x"})
	if want := []string{UnknownWord, "x"}; !slices.Equal(withUnk.Words(), want) {
		t.Fatalf("Words = %q, want %q (no second unknown word)", withUnk.Words(), want)
	}
	if NewVocab(nil).Len() != 1 {
		t.Errorf("NewVocab(nil).Len() != 1")
	}
}

func TestEncode(t *testing.T) {
	v := NewVocab([]string{"good", "movie"})
	dst := make([]int32, 0, 8)
	got := v.Encode([]string{"good", "bad", "movie"}, dst)
	if want := []int32{1, UnknownID, 2}; !slices.Equal(got, want) {
		t.Fatalf("Encode = %v, want %v", got, want)
	}
	got = v.Encode([]string{"movie"}, got)
	if want := []int32{1, UnknownID, 2, 2}; !slices.Equal(got, want) {
		t.Fatalf("Encode appends: got %v, want %v", got, want)
	}
}
