package datasets

import (
	"reflect"
	"strings"
	"testing"
)

func TestReadSimilarityList(t *testing.T) {
	data := "# comment line\n" +
		"Tiger\tcat\t7.35\n" +
		"\n" +
		"   \t \n" +
		"love sex 6.77\r\n" +
		"  book   paper\t7.46  \n" +
		"a b 1e1" // no final newline
	list, err := ReadSimilarityList(strings.NewReader(data), "EN-TEST", "fixture/EN-TEST.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := SimilarityList{Name: "EN-TEST", Path: "fixture/EN-TEST.txt", Pairs: []WordPair{
		{A: "tiger", B: "cat", Score: 7.35, Line: 2},
		{A: "love", B: "sex", Score: 6.77, Line: 5},
		{A: "book", B: "paper", Score: 7.46, Line: 6},
		{A: "a", B: "b", Score: 10, Line: 7},
	}}
	if !reflect.DeepEqual(list, want) {
		t.Fatalf("got %+v\nwant %+v", list, want)
	}
}

func TestReadSimilarityListErrors(t *testing.T) {
	tests := []struct {
		name, data string
		line       int
		fragment   string
	}{
		{"two fields", "a b 1\nc d\n", 2, "2 fields, want 3"},
		{"four fields", "a b 1\n\nc d 2 3\n", 3, "4 fields, want 3"},
		{"bad score", "a b x1\n", 1, `score "x1": want a finite number`},
		{"NaN score", "a b NaN\n", 1, `score "NaN"`},
		{"infinite score", "a b +Inf\n", 1, `score "+Inf"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadSimilarityList(strings.NewReader(tt.data), "X", "lists/X.txt")
			wantLineError(t, err, "lists/X.txt", tt.line, tt.fragment)
		})
	}
}

func TestLoadSimilarityListsMissing(t *testing.T) {
	_, err := LoadSimilarityLists(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "EN-*.txt") {
		t.Fatalf("err = %v, want it to name the pattern looked for", err)
	}
}

func TestLoadSimilarityListsRealData(t *testing.T) {
	dir := realDataDir(t)
	lists, err := LoadSimilarityLists(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Pair counts from word-similarity/SOURCE.md; the order is sort.Strings of
	// the file names (upper case sorts before lower case: "SIMLEX" < "SimVerb").
	want := []struct {
		name  string
		pairs int
	}{
		{"EN-MC-30", 30}, {"EN-MEN-TR-3k", 3000}, {"EN-MTurk-287", 287}, {"EN-MTurk-771", 771},
		{"EN-RG-65", 65}, {"EN-RW-STANFORD", 2034}, {"EN-SIMLEX-999", 999}, {"EN-SimVerb-3500", 3500},
		{"EN-VERB-143", 144}, {"EN-WS-353-ALL", 353}, {"EN-WS-353-REL", 252}, {"EN-WS-353-SIM", 203},
		{"EN-YP-130", 130},
	}
	if len(lists) != len(want) {
		t.Fatalf("%d lists, want %d", len(lists), len(want))
	}
	for i, w := range want {
		l := lists[i]
		if l.Name != w.name || len(l.Pairs) != w.pairs {
			t.Errorf("list %d: %s with %d pairs, want %s with %d", i, l.Name, len(l.Pairs), w.name, w.pairs)
		}
		for _, p := range l.Pairs {
			if p.A != strings.ToLower(p.A) || p.B != strings.ToLower(p.B) {
				t.Errorf("%s line %d: %q %q not lower-cased", l.Name, p.Line, p.A, p.B)
			}
		}
	}
	// Score ranges seen, from SOURCE.md: MEN 0-50, VERB-143 0.07-0.79.
	for _, c := range []struct {
		name   string
		lo, hi float64
	}{{"EN-MEN-TR-3k", 0, 50}, {"EN-VERB-143", 0.07, 0.79}, {"EN-WS-353-ALL", 0.23, 10}} {
		for _, l := range lists {
			if l.Name != c.name {
				continue
			}
			lo, hi := l.Pairs[0].Score, l.Pairs[0].Score
			for _, p := range l.Pairs {
				lo, hi = min(lo, p.Score), max(hi, p.Score)
			}
			if lo != c.lo || hi != c.hi {
				t.Errorf("%s: scores %v-%v, want %v-%v", c.name, lo, hi, c.lo, c.hi)
			}
		}
	}
}
