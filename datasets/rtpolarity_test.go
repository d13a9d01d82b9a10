package datasets

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDecodeWindows1252(t *testing.T) {
	tests := []struct {
		in   []byte
		want string
	}{
		{[]byte("plain ascii"), "plain ascii"},
		{[]byte("caf\xe9"), "café"},                                 // Latin-1 range
		{[]byte("wait\x85 \x93hi\x94 \x96 \x97"), "wait… “hi” – —"}, // cp1252 0x80-0x9F
		{[]byte{0x80, 0x9f, 0xff, 0xa0}, "€Ÿÿ\u00a0"},
		{[]byte{0x81, 0x8d, 0x8f, 0x90, 0x9d}, "\u0081\u008d\u008f\u0090\u009d"}, // undefined in cp1252: Latin-1
	}
	for _, tt := range tests {
		if got := DecodeWindows1252(tt.in); got != tt.want {
			t.Errorf("DecodeWindows1252(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestReadRTPolarity(t *testing.T) {
	// 0x85 (an ellipsis in cp1252, NEL in Latin-1) must not split a line.
	data := "a gorgeous film\x85 \nit's \x93fun\x94 \n"
	got, err := ReadRTPolarity(strings.NewReader(data), "x.pos", Positive)
	if err != nil {
		t.Fatal(err)
	}
	want := []Review{
		{ID: "pos-1", Label: Positive, Text: "a gorgeous film… "},
		{ID: "pos-2", Label: Positive, Text: "it's “fun” "},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	_, err = ReadRTPolarity(strings.NewReader("one\n\nthree\n"), "x.neg", Negative)
	wantLineError(t, err, "x.neg", 2, "empty snippet")
	if _, err := ReadRTPolarity(strings.NewReader("x\n"), "x", Unlabelled); err == nil {
		t.Error("label Unlabelled: no error")
	}
}

func TestLoadRTPolarityRealData(t *testing.T) {
	dir := realDataDir(t)
	reviews, err := LoadRTPolarity(dir)
	if err != nil {
		t.Fatal(err)
	}
	// rt-polarity/SOURCE.md: 5,331 lines per file; 101 lines in each file
	// contain bytes >= 0x80, so 101 decoded lines have non-ASCII runes.
	counts := map[int]int{}
	nonASCII := map[int]int{}
	for _, r := range reviews {
		counts[r.Label]++
		if !utf8.ValidString(r.Text) {
			t.Fatalf("%s: invalid UTF-8", r.ID)
		}
		for _, c := range r.Text {
			if c >= 0x80 {
				nonASCII[r.Label]++
				break
			}
		}
	}
	if counts[Positive] != 5331 || counts[Negative] != 5331 {
		t.Errorf("labels %v, want 5331 each", counts)
	}
	if nonASCII[Positive] != 101 || nonASCII[Negative] != 101 {
		t.Errorf("non-ASCII lines %v, want 101 each", nonASCII)
	}
	if first, last := reviews[0], reviews[len(reviews)-1]; first.ID != "pos-1" || last.ID != "neg-5331" {
		t.Errorf("IDs %s ... %s, want pos-1 ... neg-5331", first.ID, last.ID)
	}
	// The lines are lower-cased and end with a space (SOURCE.md).
	if r := reviews[0]; !strings.HasSuffix(r.Text, " ") || r.Text != strings.ToLower(r.Text) {
		t.Errorf("first snippet %q: want lower-case text ending in a space", r.Text)
	}
}
