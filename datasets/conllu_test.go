package datasets

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// conlluLine joins ten columns with tabs.
func conlluLine(id, form, upos, xpos string) string {
	return strings.Join([]string{id, form, strings.ToLower(form), upos, xpos, "_", "0", "root", "_", "_"}, "\t")
}

func TestReadCoNLLU(t *testing.T) {
	data := strings.Join([]string{
		"# newdoc id = doc1",
		"# sent_id = s-1",
		"# text = Don't stop.",
		conlluLine("1-2", "Don't", "_", "_"),
		conlluLine("1", "Do", "AUX", "VBP"),
		conlluLine("2", "n't", "PART", "RB"),
		conlluLine("3", "stop", "VERB", "VB"),
		conlluLine("3.1", "stop", "VERB", "VB"),
		conlluLine("4", ".", "PUNCT", "."),
		"",
		"",
		conlluLine("0.1", "x", "X", "X"), // an empty node before the first word
		conlluLine("1", "Hi", "INTJ", "UH"),
		// final sentence, no trailing blank line
	}, "\n")
	got, err := ReadCoNLLU(strings.NewReader(data), "f.conllu")
	if err != nil {
		t.Fatal(err)
	}
	want := []Sentence{
		{ID: "s-1", Line: 1, Tokens: []Token{
			{Form: "Do", UPOS: "AUX", XPOS: "VBP"},
			{Form: "n't", UPOS: "PART", XPOS: "RB"},
			{Form: "stop", UPOS: "VERB", XPOS: "VB"},
			{Form: ".", UPOS: "PUNCT", XPOS: "."},
		}},
		{Line: 12, Tokens: []Token{{Form: "Hi", UPOS: "INTJ", XPOS: "UH"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

func TestReadCoNLLUErrors(t *testing.T) {
	ok := conlluLine("1", "Hi", "INTJ", "UH")
	tests := []struct {
		name     string
		lines    []string
		line     int
		fragment string
	}{
		{"nine columns", []string{ok, "2\tx\tx\tX\tX\t_\t0\troot\t_"}, 2, "9 tab-separated columns, want 10"},
		{"spaces for tabs", []string{"1 Hi hi INTJ UH _ 0 root _ _"}, 1, "1 tab-separated columns"},
		{"empty column", []string{"1\tHi\thi\t\tUH\t_\t0\troot\t_\t_"}, 1, "column 4 is empty"},
		{"bad ID", []string{conlluLine("x", "Hi", "INTJ", "UH")}, 1, `ID "x"`},
		{"zero ID", []string{conlluLine("0", "Hi", "INTJ", "UH")}, 1, `ID "0"`},
		{"skipped ID", []string{ok, conlluLine("3", "a", "X", "X")}, 2, "word ID 3, want 2"},
		{"range not at next word", []string{ok, conlluLine("3-4", "a", "X", "X")}, 2, "want a range 2-M"},
		{"backward range", []string{conlluLine("1-1", "a", "X", "X")}, 1, "want a range 1-M"},
		{"misplaced empty node", []string{ok, conlluLine("5.1", "a", "X", "X")}, 2, "want 1.M after word 1"},
		{"comment inside sentence", []string{ok, "# sent_id = 2", conlluLine("2", "a", "X", "X")}, 2, "comment line after the words"},
		{"comments without words", []string{"# sent_id = a", "", ok}, 2, "sentence starting at line 1 has no words"},
		{"only a range", []string{"# c", conlluLine("1-2", "ab", "_", "_")}, 2, "has no words"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCoNLLU(strings.NewReader(strings.Join(tt.lines, "\n")+"\n"), "bad.conllu")
			wantLineError(t, err, "bad.conllu", tt.line, tt.fragment)
		})
	}
}

func TestLoadUDRealData(t *testing.T) {
	dir := realDataDir(t)
	// ud-english-ewt/SOURCE.md: sentences and words (integer IDs) per split.
	want := map[string][2]int{"train": {12544, 204577}, "dev": {2001, 25147}, "test": {2077, 25094}}
	for split, w := range want {
		sentences, err := LoadUD(dir, split)
		if err != nil {
			t.Fatal(err)
		}
		words := 0
		for _, s := range sentences {
			words += len(s.Tokens)
			if s.ID == "" {
				t.Fatalf("%s: sentence at line %d has no sent_id", split, s.Line)
			}
		}
		if len(sentences) != w[0] || words != w[1] {
			t.Errorf("%s: %d sentences, %d words; want %d, %d", split, len(sentences), words, w[0], w[1])
		}
		if split != "train" {
			continue
		}
		// UPOS counts of train and the number of distinct XPOS tags, from SOURCE.md.
		wantUPOS := map[string]int{
			"NOUN": 34751, "PUNCT": 23596, "VERB": 22576, "PRON": 18677, "ADP": 17742, "DET": 16299,
			"ADJ": 13137, "AUX": 12815, "PROPN": 12620, "ADV": 10167, "CCONJ": 6687, "PART": 5748,
			"NUM": 4126, "SCONJ": 3819, "SYM": 722, "INTJ": 695, "X": 400,
		}
		upos := map[string]int{}
		xpos := map[string]bool{}
		for _, s := range sentences {
			for _, tok := range s.Tokens {
				upos[tok.UPOS]++
				xpos[tok.XPOS] = true
			}
		}
		if !reflect.DeepEqual(upos, wantUPOS) {
			t.Errorf("train UPOS counts %v\nwant %v", upos, wantUPOS)
		}
		if len(xpos) != 49 {
			t.Errorf("train: %d distinct XPOS, want 49", len(xpos))
		}
	}
	if _, err := LoadUD(dir, "validation"); err == nil || !strings.Contains(err.Error(), "want train, dev or test") {
		t.Errorf("bad split: err = %v", err)
	}
}

func TestLoadUDPlainOrGzip(t *testing.T) {
	dir := t.TempDir()
	good := "# sent_id = a\n" + conlluLine("1", "Hi", "INTJ", "UH") + "\n\n"
	writeGzip(t, filepath.Join(dir, "ud-english-ewt", "en_ewt-ud-dev.conllu.gz"), good)
	writeFiles(t, dir, map[string]string{"ud-english-ewt/en_ewt-ud-test.conllu": good + "1\tbad\n"})
	dev, err := LoadUD(dir, "dev")
	if err != nil {
		t.Fatal(err)
	}
	if len(dev) != 1 || dev[0].ID != "a" || dev[0].Tokens[0].UPOS != "INTJ" {
		t.Errorf("dev from .gz = %+v", dev)
	}
	_, err = LoadUD(dir, "test")
	wantLineError(t, err, filepath.Join(dir, "ud-english-ewt", "en_ewt-ud-test.conllu"), 4, "2 tab-separated columns")
	_, err = LoadUD(dir, "train")
	if err == nil || !strings.Contains(err.Error(), "en_ewt-ud-train.conllu") {
		t.Errorf("missing train: err = %v, want the file named", err)
	}
}
