package datasets

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
)

// cp1252High maps bytes 0x80-0x9F of Windows-1252 to Unicode. The five bytes
// Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) keep their
// Latin-1 meaning, the C1 control of the same value.
var cp1252High = [32]rune{
	'\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021', // 80-87
	'\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F', // 88-8F
	'\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014', // 90-97
	'\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178', // 98-9F
}

// DecodeWindows1252 decodes Windows-1252 bytes to a UTF-8 string: 0x80-0x9F
// per Windows-1252, every other byte as Latin-1 (byte value = code point).
func DecodeWindows1252(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/8)
	for _, c := range b {
		switch {
		case c < 0x80:
			sb.WriteByte(c)
		case c < 0xA0:
			sb.WriteRune(cp1252High[c-0x80])
		default:
			sb.WriteRune(rune(c))
		}
	}
	return sb.String()
}

// ReadRTPolarity reads one file of the sentence polarity dataset (Pang & Lee
// 2005): one snippet per line, Windows-1252, lines split on "\n" only (0x85,
// an ellipsis here, is a line break in other readings of Latin-1). Every
// review gets label (Positive or Negative) and the ID "pos-<line>" or
// "neg-<line>", line 1-based. An empty line is an error naming path and line.
func ReadRTPolarity(r io.Reader, path string, label int) ([]Review, error) {
	if label != Positive && label != Negative {
		return nil, fmt.Errorf("read %s: label %d: want Positive or Negative", path, label)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	data = bytes.TrimSuffix(data, []byte("\n"))
	if len(data) == 0 {
		return nil, nil
	}
	prefix := labelName(label) + "-"
	reviews := make([]Review, 0, bytes.Count(data, []byte("\n"))+1)
	for i, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			return nil, parseErrorf(path, i+1, "empty snippet")
		}
		reviews = append(reviews, Review{ID: prefix + strconv.Itoa(i+1), Label: label, Text: DecodeWindows1252(line)})
	}
	return reviews, nil
}

// LoadRTPolarity reads dir/rt-polarity/rt-polarity.pos then .neg: 5,331
// positive then 5,331 negative snippets, text as in the files (lower-cased,
// tokens separated by spaces, a trailing space).
func LoadRTPolarity(dir string) ([]Review, error) {
	var all []Review
	for _, part := range []struct {
		ext   string
		label int
	}{{"pos", Positive}, {"neg", Negative}} {
		path := filepath.Join(dir, "rt-polarity", "rt-polarity."+part.ext)
		reviews, err := readFile(path, func(r io.Reader) ([]Review, error) { return ReadRTPolarity(r, path, part.label) })
		if err != nil {
			return nil, fmt.Errorf("load rt-polarity: %w", err)
		}
		all = append(all, reviews...)
	}
	return all, nil
}
