package datasets

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mt2st/mt2st/internal/ctxio"
)

// ReadCoNLLU parses a CoNLL-U file (universaldependencies.org/format.html):
// sentences of ten tab-separated columns per word, separated by blank lines,
// each optionally preceded by "#" comment lines. "# sent_id = X" sets the
// sentence ID. Multiword-token ranges ("1-2") and empty nodes ("8.1") are
// skipped; the integer word IDs of a sentence must run 1, 2, 3, ... A final
// sentence without a trailing blank line is kept. Errors name path and line.
func ReadCoNLLU(r io.Reader, path string) ([]Sentence, error) {
	var (
		sentences []Sentence
		cur       Sentence
		started   bool // cur has at least one line (comment or word)
		inWords   bool // cur has had a word line (incl. ranges and empty nodes)
	)
	finish := func(line int) error {
		if !started {
			return nil
		}
		if len(cur.Tokens) == 0 {
			return parseErrorf(path, line, "sentence starting at line %d has no words", cur.Line)
		}
		sentences = append(sentences, cur)
		cur, started, inWords = Sentence{}, false, false
		return nil
	}
	lr := newLineReader(r, path)
	for {
		line, ok := lr.next()
		if !ok {
			if err := lr.Err(); err != nil {
				return sentences, err
			}
			return sentences, finish(lr.line)
		}
		if strings.TrimSpace(line) == "" {
			if err := finish(lr.line); err != nil {
				return sentences, err
			}
			continue
		}
		if !started {
			cur.Line = lr.line
			started = true
		}
		if strings.HasPrefix(line, "#") {
			if inWords {
				return sentences, parseErrorf(path, lr.line, "comment line after the words of a sentence (missing blank line?)")
			}
			if id, ok := sentID(line); ok {
				cur.ID = id
			}
			continue
		}
		inWords = true
		tok, isWord, err := parseCoNLLULine(line, len(cur.Tokens)+1)
		if err != nil {
			return sentences, &ParseError{Path: path, Line: lr.line, Err: err}
		}
		if isWord {
			cur.Tokens = append(cur.Tokens, tok)
		}
	}
}

// sentID extracts X from "# sent_id = X".
func sentID(comment string) (string, bool) {
	key, value, ok := strings.Cut(strings.TrimPrefix(comment, "#"), "=")
	if !ok || strings.TrimSpace(key) != "sent_id" {
		return "", false
	}
	return strings.TrimSpace(value), true
}

// parseCoNLLULine parses one word line; isWord is false for multiword-token
// ranges and empty nodes, which are checked for shape and skipped.
func parseCoNLLULine(line string, wantID int) (tok Token, isWord bool, err error) {
	fields := strings.Split(line, "\t")
	if len(fields) != 10 {
		return Token{}, false, fmt.Errorf("%d tab-separated columns, want 10", len(fields))
	}
	for i, f := range fields {
		if f == "" {
			return Token{}, false, fmt.Errorf("column %d is empty (CoNLL-U writes \"_\" for no value)", i+1)
		}
	}
	id := fields[0]
	bad := fmt.Errorf("ID %s: want N, N-M or N.M", ctxio.Quote(id))
	if lo, hi, ok := strings.Cut(id, "-"); ok {
		// A multiword token spans the next words.
		if !positiveInt(lo) || !positiveInt(hi) {
			return Token{}, false, bad
		}
		if first, last := atoi(lo), atoi(hi); first != wantID || last <= first {
			return Token{}, false, fmt.Errorf("multiword token %q: want a range %d-M with M > %d", id, wantID, wantID)
		}
		return Token{}, false, nil
	}
	if whole, frac, ok := strings.Cut(id, "."); ok {
		// An empty node follows word N (N = 0 before the first word).
		if !(whole == "0" || positiveInt(whole)) || !positiveInt(frac) {
			return Token{}, false, bad
		}
		if atoi(whole) != wantID-1 {
			return Token{}, false, fmt.Errorf("empty node %q: want %d.M after word %d", id, wantID-1, wantID-1)
		}
		return Token{}, false, nil
	}
	if !positiveInt(id) {
		return Token{}, false, bad
	}
	if n := atoi(id); n != wantID {
		return Token{}, false, fmt.Errorf("word ID %d, want %d (IDs count 1, 2, 3, ... within a sentence)", n, wantID)
	}
	return Token{Form: fields[1], UPOS: fields[3], XPOS: fields[4]}, true, nil
}

// atoi converts a string that positiveInt (or "0") accepted.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// positiveInt reports whether s is a decimal integer >= 1 without sign or
// leading zeros.
func positiveInt(s string) bool {
	if s == "" || s[0] == '0' || len(s) > 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// LoadUD reads one split ("train", "dev" or "test") of UD English EWT:
// dir/ud-english-ewt/en_ewt-ud-<split>.conllu, or the same name with ".gz"
// (the shared copy gzips train only).
func LoadUD(dir, split string) ([]Sentence, error) {
	switch split {
	case "train", "dev", "test":
	default:
		return nil, fmt.Errorf("load UD English EWT: unknown split %q: want train, dev or test", split)
	}
	plain := filepath.Join(dir, "ud-english-ewt", "en_ewt-ud-"+split+".conllu")
	path := plain
	if !fileExists(plain) && fileExists(plain+".gz") {
		path = plain + ".gz"
	}
	sentences, err := readFile(path, func(r io.Reader) ([]Sentence, error) { return ReadCoNLLU(r, path) })
	if err != nil {
		return nil, fmt.Errorf("load UD English EWT: %w", err)
	}
	return sentences, nil
}
