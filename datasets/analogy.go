package datasets

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// ReadAnalogies parses the Google analogy questions (questions-words.txt):
// section headers ": name", each followed by questions "a b c d" (a : b ::
// c : d) of exactly four whitespace-separated words, lower-cased as gensim's
// evaluate_word_analogies does. Blank lines are skipped. A question before the
// first header or with another number of words is an error naming path and
// line.
func ReadAnalogies(r io.Reader, path string) ([]AnalogySection, error) {
	var sections []AnalogySection
	lr := newLineReader(r, path)
	for {
		line, ok := lr.next()
		if !ok {
			return sections, lr.Err()
		}
		if strings.HasPrefix(line, ":") {
			name := strings.TrimSpace(line[1:])
			if name == "" || strings.ContainsAny(name, " \t") {
				return sections, parseErrorf(path, lr.line, "section header %q: want \": name\" with a one-word name", line)
			}
			sections = append(sections, AnalogySection{Name: name})
			continue
		}
		words := strings.Fields(line)
		if len(words) == 0 {
			continue
		}
		if len(sections) == 0 {
			return sections, parseErrorf(path, lr.line, "question before the first \": section\" header")
		}
		if len(words) != 4 {
			return sections, parseErrorf(path, lr.line, "%d words, want 4 (a b c d)", len(words))
		}
		s := &sections[len(sections)-1]
		s.Questions = append(s.Questions, Analogy{
			A:       strings.ToLower(words[0]),
			B:       strings.ToLower(words[1]),
			C:       strings.ToLower(words[2]),
			D:       strings.ToLower(words[3]),
			Section: s.Name,
			Line:    lr.line,
		})
	}
}

// LoadAnalogies reads dir/analogy/questions-words.txt.
func LoadAnalogies(dir string) ([]AnalogySection, error) {
	path := filepath.Join(dir, "analogy", "questions-words.txt")
	sections, err := readFile(path, func(r io.Reader) ([]AnalogySection, error) { return ReadAnalogies(r, path) })
	if err != nil {
		return nil, fmt.Errorf("load analogies: %w", err)
	}
	return sections, nil
}

// Questions returns the questions of all sections, in file order.
func Questions(sections []AnalogySection) []Analogy {
	n := 0
	for _, s := range sections {
		n += len(s.Questions)
	}
	all := make([]Analogy, 0, n)
	for _, s := range sections {
		all = append(all, s.Questions...)
	}
	return all
}
