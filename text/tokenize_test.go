package text

import (
	"slices"
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"   ...  ", nil},
		{"Hello, World!", []string{"hello", "world"}},
		{"I'll admit it's 10/10", []string{"i'll", "admit", "it's", "10", "10"}},
		// The three spellings of an HTML line break separate words and leave no "br".
		{"good.<br /><br />Bad", []string{"good", "bad"}},
		{"one<br/>two<br>three<BR />four<Br/>five", []string{"one", "two", "three", "four", "five"}},
		// Not line breaks: the letters inside are ordinary tokens.
		{"<b>bold</b> <br  /> <br / > <bra>", []string{"b", "bold", "b", "br", "br", "bra"}},
		{"a<br", []string{"a", "br"}},
		{"<", nil},
		// Non-ASCII letters separate; hyphens and dots too.
		{"café naïve Zoë", []string{"caf", "na", "ve", "zo"}},
		{"well-made, 3.5 stars", []string{"well", "made", "3", "5", "stars"}},
		{"''quoted''", []string{"''quoted''"}},
		{"TAB\tNEW\nLINE", []string{"tab", "new", "line"}},
	}
	for _, tt := range tests {
		got := Tokenize(tt.in)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAppendTokensAppends(t *testing.T) {
	dst := []string{"keep"}
	got := AppendTokens(dst, "A b")
	if want := []string{"keep", "a", "b"}; !slices.Equal(got, want) {
		t.Fatalf("AppendTokens = %q, want %q", got, want)
	}
}

func TestAppendTokensAllocations(t *testing.T) {
	lower := strings.Repeat("this movie was great<br /><br />and i'd see it again ", 20)
	upper := strings.Repeat("This Movie was GREAT<br /><br />and I'd see it again ", 20)
	buf := make([]string, 0, 1024)
	if n := testing.AllocsPerRun(100, func() { buf = AppendTokens(buf[:0], lower) }); n != 0 {
		t.Errorf("lower-case text: %v allocations per call, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { buf = AppendTokens(buf[:0], upper) }); n != 1 {
		t.Errorf("mixed-case text: %v allocations per call, want 1 (the lower-cased copy)", n)
	}
}

func isTokenByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '\''
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{
		"", "Hello, World!", "a<br />b<br/>c<br>d", "<br", "<BR />x", "café", "it's 10/10",
		"\xff\xfe<br />\x00", "''", "x<<br />>y",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tokens := Tokenize(s)
		for _, tok := range tokens {
			if tok == "" {
				t.Fatalf("Tokenize(%q) has an empty token", s)
			}
			for i := 0; i < len(tok); i++ {
				if !isTokenByte(tok[i]) {
					t.Fatalf("Tokenize(%q): token %q has byte %q outside [a-z0-9']", s, tok, tok[i])
				}
			}
		}
		again := Tokenize(strings.Join(tokens, " "))
		if !slices.Equal(again, tokens) {
			t.Fatalf("re-tokenising the joined tokens of %q: got %q, want %q", s, again, tokens)
		}
		if got := AppendTokens([]string{"x"}, s); len(got) != len(tokens)+1 || !slices.Equal(got[1:], tokens) {
			t.Fatalf("AppendTokens disagrees with Tokenize on %q", s)
		}
	})
}

func BenchmarkAppendTokens(b *testing.B) {
	review := strings.Repeat("This movie was GREAT, I'd see it again.<br /><br />Really! ", 40)
	b.SetBytes(int64(len(review)))
	buf := make([]string, 0, 1024)
	for b.Loop() {
		buf = AppendTokens(buf[:0], review)
	}
}
