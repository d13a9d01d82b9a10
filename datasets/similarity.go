package datasets

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ReadSimilarityList parses one word-similarity list: one "word1 word2 score"
// per line, fields separated by any whitespace (tabs or spaces, both occur),
// words lower-cased. Blank lines and lines starting with '#' are skipped.
// name becomes the list's Name; path is used in error messages, which give
// the line.
func ReadSimilarityList(r io.Reader, name, path string) (SimilarityList, error) {
	list := SimilarityList{Name: name, Path: path}
	lr := newLineReader(r, path)
	for {
		line, ok := lr.next()
		if !ok {
			return list, lr.Err()
		}
		fields := strings.Fields(line)
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		if len(fields) != 3 {
			return list, parseErrorf(path, lr.line, "%d fields, want 3 (word1 word2 score)", len(fields))
		}
		score, err := strconv.ParseFloat(fields[2], 64)
		if err != nil || math.IsNaN(score) || math.IsInf(score, 0) {
			return list, parseErrorf(path, lr.line, "score %q: want a finite number", fields[2])
		}
		list.Pairs = append(list.Pairs, WordPair{
			A:     strings.ToLower(fields[0]),
			B:     strings.ToLower(fields[1]),
			Score: score,
			Line:  lr.line,
		})
	}
}

// LoadSimilarityLists reads every dir/word-similarity/EN-*.txt, sorted by file
// name. Name is the file name without ".txt", e.g. "EN-WS-353-ALL".
func LoadSimilarityLists(dir string) ([]SimilarityList, error) {
	pattern := filepath.Join(dir, "word-similarity", "EN-*.txt")
	paths, err := filepath.Glob(pattern)
	if err != nil {
		return nil, fmt.Errorf("load similarity lists: %w", err)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("load similarity lists: no file matches %s (run `mt2st data --out DIR` to download the data)", pattern)
	}
	slices.Sort(paths)
	lists := make([]SimilarityList, 0, len(paths))
	for _, p := range paths {
		name := strings.TrimSuffix(filepath.Base(p), ".txt")
		list, err := readFile(p, func(r io.Reader) (SimilarityList, error) { return ReadSimilarityList(r, name, p) })
		if err != nil {
			return nil, fmt.Errorf("load similarity lists: %w", err)
		}
		lists = append(lists, list)
	}
	return lists, nil
}
