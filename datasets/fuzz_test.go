package datasets

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkParseError is the shared invariant of every parser's error: it names
// the file and a line.
func checkParseError(t *testing.T, err error, path string) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line < 1 || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), " line ") {
		t.Fatalf("error %q (%T) does not name %s and a line", err, err, path)
	}
}

func FuzzReadIMDBTSV(f *testing.F) {
	f.Add("label\trating\tid\ttext\npos\t9\t0\tGreat<br />film\nneg\t2\t1\tbad\n")
	f.Add("id\ttext\n0\tsome\ttext\n")
	f.Add("label\trating\tid\ttext\nfoo\t9\t0\tx\n")
	f.Add("label\trating\tid\ttext\npos\t5\t0\tx")
	f.Add("")
	f.Fuzz(func(t *testing.T, data string) {
		n := 0
		err := ReadIMDBTSV(strings.NewReader(data), "f.tsv", func(r Review) error {
			n++
			switch {
			case r.ID == "":
				t.Fatalf("review %d: empty ID", n)
			case r.Label == Unlabelled && r.Rating != 0:
				t.Fatalf("review %d: unlabelled with rating %d", n, r.Rating)
			case r.Label == Positive && (r.Rating < 7 || r.Rating > 10), r.Label == Negative && (r.Rating < 1 || r.Rating > 4):
				t.Fatalf("review %d: label %d rating %d", n, r.Label, r.Rating)
			case r.Label != Positive && r.Label != Negative && r.Label != Unlabelled:
				t.Fatalf("review %d: label %d", n, r.Label)
			case strings.ContainsRune(r.Text, '\n'):
				t.Fatalf("review %d: newline in text", n)
			}
			return nil
		})
		if err != nil {
			checkParseError(t, err, "f.tsv")
		}
	})
}

func FuzzReadSimilarityList(f *testing.F) {
	f.Add("Tiger\tcat\t7.35\nlove sex 6.77\n")
	f.Add("# comment\n\na b 1e3")
	f.Add("a b NaN\n")
	f.Add("a b\n")
	f.Fuzz(func(t *testing.T, data string) {
		list, err := ReadSimilarityList(strings.NewReader(data), "X", "x.txt")
		if err != nil {
			checkParseError(t, err, "x.txt")
			return
		}
		last := 0
		for _, p := range list.Pairs {
			if p.A == "" || p.B == "" || strings.ContainsAny(p.A+p.B, " \t\n") {
				t.Fatalf("malformed words %q %q", p.A, p.B)
			}
			if p.A != strings.ToLower(p.A) || p.B != strings.ToLower(p.B) {
				t.Fatalf("words not lower-cased: %q %q", p.A, p.B)
			}
			if math.IsNaN(p.Score) || math.IsInf(p.Score, 0) {
				t.Fatalf("score %v not finite", p.Score)
			}
			if p.Line <= last {
				t.Fatalf("line %d after %d", p.Line, last)
			}
			last = p.Line
		}
	})
}

func FuzzReadAnalogies(f *testing.F) {
	f.Add(": capital\nAthens Greece Baghdad Iraq\n: family\nboy girl brother sister")
	f.Add("a b c d\n")
	f.Add(": s\na b c\n")
	f.Add(":\n")
	f.Fuzz(func(t *testing.T, data string) {
		sections, err := ReadAnalogies(strings.NewReader(data), "q.txt")
		if err != nil {
			checkParseError(t, err, "q.txt")
			return
		}
		for _, s := range sections {
			if s.Name == "" {
				t.Fatal("empty section name")
			}
			for _, q := range s.Questions {
				if q.Section != s.Name {
					t.Fatalf("question of %q says section %q", s.Name, q.Section)
				}
				for _, w := range []string{q.A, q.B, q.C, q.D} {
					if w == "" || strings.ContainsAny(w, " \t\n") || w != strings.ToLower(w) {
						t.Fatalf("malformed word %q in %+v", w, q)
					}
				}
			}
		}
	})
}

func FuzzReadCoNLLU(f *testing.F) {
	f.Add("# sent_id = a\n1-2\tDon't\t_\t_\t_\t_\t_\t_\t_\t_\n1\tDo\tdo\tAUX\tVBP\t_\t0\troot\t_\t_\n2\tn't\tnot\tPART\tRB\t_\t1\tadvmod\t_\t_\n\n")
	f.Add("1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n1.1\tx\tx\tX\tX\t_\t_\t_\t0:root\t_\n\n# c\n")
	f.Add("1\tHi\n")
	f.Add("\n\n\n")
	f.Fuzz(func(t *testing.T, data string) {
		sentences, err := ReadCoNLLU(strings.NewReader(data), "f.conllu")
		if err != nil {
			checkParseError(t, err, "f.conllu")
			return
		}
		last := 0
		for _, s := range sentences {
			if len(s.Tokens) == 0 {
				t.Fatalf("sentence at line %d has no tokens", s.Line)
			}
			if s.Line <= last {
				t.Fatalf("sentence line %d after %d", s.Line, last)
			}
			last = s.Line
			for _, tok := range s.Tokens {
				if tok.Form == "" || tok.UPOS == "" || tok.XPOS == "" || strings.ContainsAny(tok.Form+tok.UPOS+tok.XPOS, "\t\n") {
					t.Fatalf("malformed token %+v", tok)
				}
			}
		}
	})
}

func FuzzReadRTPolarity(f *testing.F) {
	f.Add([]byte("a gorgeous film\x85 \nit's \x93fun\x94 \n"))
	f.Add([]byte("one\n\nthree"))
	f.Add([]byte{0x80, 0x81, 0xff, '\n'})
	f.Fuzz(func(t *testing.T, data []byte) {
		reviews, err := ReadRTPolarity(bytes.NewReader(data), "x.neg", Negative)
		if err != nil {
			checkParseError(t, err, "x.neg")
			return
		}
		for i, r := range reviews {
			if r.Label != Negative || r.Text == "" || strings.ContainsRune(r.Text, '\n') || !utf8.ValidString(r.Text) {
				t.Fatalf("review %d malformed: %+v", i, r)
			}
			if want := "neg-" + strconv.Itoa(i+1); r.ID != want {
				t.Fatalf("review %d: ID %q, want %q", i, r.ID, want)
			}
		}
		// Every byte decodes to exactly one rune.
		decoded := DecodeWindows1252(data)
		if !utf8.ValidString(decoded) || utf8.RuneCountInString(decoded) != len(data) {
			t.Fatalf("DecodeWindows1252(%q) = %q: want valid UTF-8 with one rune per byte", data, decoded)
		}
	})
}
