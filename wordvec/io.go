package wordvec

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mt2st/mt2st/internal/ctxio"
)

// MaxDim bounds the dimension a file may declare, so that a corrupt header
// cannot make the reader allocate gigabytes.
const MaxDim = 1 << 16

// Line and word length limits: input without a newline (say /dev/zero) is an
// error after this many bytes rather than an ever-growing buffer.
const (
	// MaxHeaderBytes bounds the header line "count dim".
	MaxHeaderBytes = 1 << 10
	// MaxWordBytes bounds one word of the binary format.
	MaxWordBytes = 1 << 16
	// maxValueBytes is the room per value in a text line: the shortest
	// float32 is at most 15 characters, C's "%lf " 12; 64 leaves room for
	// writers that print every digit of a float64.
	maxValueBytes = 64
)

// MaxTextLineBytes is the longest text record accepted for dimension dim:
// a word of at most MaxWordBytes and dim values of maxValueBytes each.
func MaxTextLineBytes(dim int) int { return MaxWordBytes + dim*maxValueBytes }

// ReadWord2Vec reads word2vec vectors in the text format (a header line
// "count dim", then one line "word v1 ... vdim" per word) or the binary format
// (the same header, then per word: the word, a space, dim little-endian
// float32s, optionally a newline). It tells them apart by whether the first
// record parses as a text line of dim numbers; a binary file whose first
// vector's bytes happen to spell such a line would be misread, so callers who
// know the format can use ReadWord2VecText or ReadWord2VecBinary.
//
// Text values are separated by spaces or tabs; trailing whitespace and CR are
// ignored (gensim rstrips lines), as are blank lines. Values are rounded to
// float32 as gensim does. Unlike gensim, the reader rejects duplicate words
// (gensim keeps the first), non-finite values, words that are not valid UTF-8
// or contain ASCII whitespace, and records beyond the declared count, and it
// bounds lengths so that endless input (/dev/zero) is an error, not a hang:
// the header at MaxHeaderBytes, a text line at MaxTextLineBytes(dim), a
// binary word at MaxWordBytes. Errors name the file (name) and the line
// (text) or word number (binary); file content they quote is cut to 80
// bytes.
func ReadWord2Vec(r io.Reader, name string) (*Vectors, error) {
	return readWord2Vec(r, name, autoDetect)
}

// ReadWord2VecText reads the word2vec text format (see ReadWord2Vec).
func ReadWord2VecText(r io.Reader, name string) (*Vectors, error) {
	return readWord2Vec(r, name, textFormat)
}

// ReadWord2VecBinary reads the word2vec binary format (see ReadWord2Vec).
func ReadWord2VecBinary(r io.Reader, name string) (*Vectors, error) {
	return readWord2Vec(r, name, binaryFormat)
}

type format int

const (
	autoDetect format = iota
	textFormat
	binaryFormat
)

// errLineTooLong is returned (wrapped) by readLine for a line over its limit.
var errLineTooLong = errors.New("line too long")

// readLine is bufio.Reader.ReadString('\n') that gives up, with an error
// wrapping errLineTooLong, once the line exceeds limit bytes.
func readLine(br *bufio.Reader, limit int) (string, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) > limit {
			return "", fmt.Errorf("%w: more than %d bytes without a newline", errLineTooLong, limit)
		}
		if err == bufio.ErrBufferFull {
			buf = append(buf, chunk...)
			continue
		}
		if buf == nil {
			return string(chunk), err
		}
		return string(append(buf, chunk...)), err
	}
}

func readWord2Vec(r io.Reader, name string, f format) (*Vectors, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	header, err := readLine(br, MaxHeaderBytes)
	if err != nil && (err != io.EOF || header == "") {
		if err == io.EOF {
			return nil, fmt.Errorf("read %s: empty file, want a header line \"count dim\"", name)
		}
		return nil, fmt.Errorf("read %s line 1: %w", name, err)
	}
	count, dim, err := parseHeader(header)
	if err != nil {
		return nil, fmt.Errorf("read %s line 1: %w", name, err)
	}
	// Preallocate for the declared size, within reason: the header may lie.
	words := min(count, 1<<16)
	v := &Vectors{
		Dim:   dim,
		Words: make([]string, 0, words),
		Data:  make([]float32, 0, min(words*dim, 1<<22)),
		index: make(map[string]int, words),
	}
	if f == autoDetect {
		f = textFormat
		if count > 0 && !looksLikeText(br, dim) {
			f = binaryFormat
		}
	}
	if f == binaryFormat {
		err = readBinary(br, v, count, name)
	} else {
		err = readText(br, v, count, name)
	}
	if err != nil {
		return nil, err
	}
	v.indexOnce.Do(func() {})
	return v, nil
}

func parseHeader(line string) (count, dim int, err error) {
	f := strings.Fields(line)
	if len(f) != 2 {
		return 0, 0, fmt.Errorf("header %s: want \"count dim\"", ctxio.Quote(strings.TrimSpace(line)))
	}
	count, err1 := strconv.Atoi(f[0])
	dim, err2 := strconv.Atoi(f[1])
	switch {
	case err1 != nil || err2 != nil:
		return 0, 0, fmt.Errorf("header %s: want two integers", ctxio.Quote(strings.TrimSpace(line)))
	case count < 0:
		return 0, 0, fmt.Errorf("header: negative word count %d", count)
	case dim < 1 || dim > MaxDim:
		return 0, 0, fmt.Errorf("header: dimension %d outside 1..%d", dim, MaxDim)
	}
	return count, dim, nil
}

// looksLikeText peeks at the first record: in a text file it is a word and
// dim numbers up to the end of the line. Binary floats almost surely contain
// bytes that cannot occur in a number, or lack the separators between dim
// fields.
func looksLikeText(br *bufio.Reader, dim int) bool {
	peek, _ := br.Peek(br.Size())
	peek = bytes.TrimLeft(peek, "\r\n") // blank lines before the first record
	nl := bytes.IndexByte(peek, '\n')
	if nl < 0 && len(peek) == br.Size() {
		// A text line longer than the buffer: judge by the bytes alone.
		sp := bytes.IndexAny(peek, " \t")
		if sp < 0 {
			return false
		}
		for _, c := range peek[sp:] {
			if !isNumberByte(c) && c != ' ' && c != '\t' && c != '\r' {
				return false
			}
		}
		return true
	}
	if nl >= 0 {
		peek = peek[:nl]
	}
	fields := splitFields(strings.TrimRight(string(peek), trailingSpace))
	if len(fields) != dim+1 {
		return false
	}
	for _, s := range fields[1:] {
		for i := 0; i < len(s); i++ {
			if !isNumberByte(s[i]) {
				return false
			}
		}
		if _, err := strconv.ParseFloat(s, 32); err != nil {
			return false
		}
	}
	return true
}

// isNumberByte reports whether c can occur in a number strconv parses
// (including "inf", "infinity" and "nan" in any case).
func isNumberByte(c byte) bool {
	return strings.IndexByte("0123456789+-.eEinfatyINFATY", c) >= 0
}

// trailingSpace is what Python's bytes.rstrip() removes, as gensim applies it
// to each line.
const trailingSpace = " \t\r\n\v\f"

// splitFields splits a text line on runs of spaces and tabs.
func splitFields(line string) []string {
	return strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\t' })
}

func readText(br *bufio.Reader, v *Vectors, count int, name string) error {
	lineNo := 1
	limit := MaxTextLineBytes(v.Dim)
	for {
		line, err := readLine(br, limit)
		if line == "" && err == io.EOF {
			break
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("read %s line %d: %w", name, lineNo+1, err)
		}
		lineNo++
		line = strings.TrimRight(line, trailingSpace)
		if line == "" {
			continue // blank lines (e.g. at the end) carry nothing
		}
		if len(v.Words) == count {
			return fmt.Errorf("read %s line %d: more words than the %d in the header", name, lineNo, count)
		}
		if err := addTextLine(v, line); err != nil {
			return fmt.Errorf("read %s line %d: %w", name, lineNo, err)
		}
	}
	if len(v.Words) != count {
		return fmt.Errorf("read %s: header says %d words, found %d", name, count, len(v.Words))
	}
	return nil
}

func addTextLine(v *Vectors, line string) error {
	fields := splitFields(line)
	if len(fields) != v.Dim+1 {
		return fmt.Errorf("%d values after the word, want %d", len(fields)-1, v.Dim)
	}
	word := fields[0]
	for k, s := range fields[1:] {
		x, err := strconv.ParseFloat(s, 32)
		if err != nil {
			return fmt.Errorf("word %s value %d: bad number %s", ctxio.Quote(word), k+1, ctxio.Quote(s))
		}
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return fmt.Errorf("word %s value %d: non-finite %s", ctxio.Quote(word), k+1, ctxio.Quote(s))
		}
		v.Data = append(v.Data, float32(x))
	}
	return addWord(v, word)
}

func addWord(v *Vectors, word string) error {
	if err := checkWord(word); err != nil {
		return err
	}
	if j, dup := v.index[word]; dup {
		return fmt.Errorf("duplicate word %s (first at word %d)", ctxio.Quote(word), j+1)
	}
	v.index[word] = len(v.Words)
	v.Words = append(v.Words, word)
	return nil
}

func readBinary(br *bufio.Reader, v *Vectors, count int, name string) error {
	raw := make([]byte, 4*v.Dim)
	for rec := 1; rec <= count; rec++ {
		// Writers differ on a newline after each vector; gensim strips it from
		// the start of the next word.
		for {
			b, err := br.ReadByte()
			if err != nil {
				return fmt.Errorf("read %s word %d: header says %d words: %w", name, rec, count, noEOF(err))
			}
			if b != '\n' {
				_ = br.UnreadByte()
				break
			}
		}
		word, err := readWord(br)
		if err != nil {
			return fmt.Errorf("read %s word %d: no space after the word: %w", name, rec, noEOF(err))
		}
		word = word[:len(word)-1]
		if _, err := io.ReadFull(br, raw); err != nil {
			return fmt.Errorf("read %s word %d (%s): vector: %w", name, rec, ctxio.Quote(word), noEOF(err))
		}
		for k := 0; k < v.Dim; k++ {
			x := math.Float32frombits(binary.LittleEndian.Uint32(raw[4*k:]))
			if math.IsInf(float64(x), 0) || x != x {
				return fmt.Errorf("read %s word %d (%s) value %d: non-finite %v", name, rec, ctxio.Quote(word), k+1, x)
			}
			v.Data = append(v.Data, x)
		}
		if err := addWord(v, word); err != nil {
			return fmt.Errorf("read %s word %d: %w", name, rec, err)
		}
	}
	rest, err := io.ReadAll(br)
	if err != nil {
		return fmt.Errorf("read %s: after word %d: %w", name, count, err)
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return fmt.Errorf("read %s: %d bytes after the %d words of the header", name, len(rest), count)
	}
	return nil
}

// readWord reads a binary record's word up to and including its space, at
// most MaxWordBytes long.
func readWord(br *bufio.Reader) (string, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice(' ')
		if len(buf)+len(chunk) > MaxWordBytes+1 {
			return "", fmt.Errorf("%w: more than %d bytes without a space (the longest word allowed)", errLineTooLong, MaxWordBytes)
		}
		if err != bufio.ErrBufferFull {
			if buf == nil {
				return string(chunk), err
			}
			return string(append(buf, chunk...)), err
		}
		buf = append(buf, chunk...)
	}
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// checkWord accepts the words that both formats can carry: non-empty, valid
// UTF-8 (gensim decodes strictly), without ASCII whitespace.
func checkWord(word string) error {
	switch {
	case word == "":
		return fmt.Errorf("empty word")
	case !utf8.ValidString(word):
		return fmt.Errorf("word %s is not valid UTF-8", ctxio.Quote(word))
	case strings.ContainsAny(word, trailingSpace):
		return fmt.Errorf("word %s contains whitespace", ctxio.Quote(word))
	}
	return nil
}

// ReadFile reads a word2vec text or binary file, gzip-compressed or not
// (recognised by its magic bytes).
func ReadFile(path string) (*Vectors, error) {
	return ReadFileContext(context.Background(), path)
}

// ReadFileContext is ReadFile that stops, with an error wrapping ctx.Err(),
// soon after ctx is cancelled (the reader checks it every 64 KiB).
func ReadFileContext(ctx context.Context, path string) (*Vectors, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read vectors: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(ctxio.Reader(ctx, f), 1<<16)
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	return ReadWord2Vec(r, path)
}

// WriteWord2Vec writes v in the word2vec text format that gensim's
// KeyedVectors.load_word2vec_format reads. Each value is the shortest decimal
// that parses back to the same float32, so a round trip is exact.
func (v *Vectors) WriteWord2Vec(w io.Writer) error {
	if err := v.checkWritable(); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "%d %d\n", len(v.Words), v.Dim)
	buf := make([]byte, 0, 64)
	for i, word := range v.Words {
		bw.WriteString(word)
		for _, x := range v.Row(i) {
			buf = append(buf[:0], ' ')
			buf = strconv.AppendFloat(buf, float64(x), 'g', -1, 32)
			bw.Write(buf)
		}
		if err := bw.WriteByte('\n'); err != nil {
			return fmt.Errorf("write vectors: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write vectors: %w", err)
	}
	return nil
}

// WriteWord2VecBinary writes v in the word2vec binary format (as the C tool
// does: a newline after each vector), which gensim reads with binary=True.
func (v *Vectors) WriteWord2VecBinary(w io.Writer) error {
	if err := v.checkWritable(); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "%d %d\n", len(v.Words), v.Dim)
	raw := make([]byte, 4*v.Dim)
	for i, word := range v.Words {
		for k, x := range v.Row(i) {
			binary.LittleEndian.PutUint32(raw[4*k:], math.Float32bits(x))
		}
		bw.WriteString(word)
		bw.WriteByte(' ')
		bw.Write(raw)
		if err := bw.WriteByte('\n'); err != nil {
			return fmt.Errorf("write vectors: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write vectors: %w", err)
	}
	return nil
}

// checkWritable rejects tables whose file could not be read back as written.
func (v *Vectors) checkWritable() error {
	if v.Dim < 1 || len(v.Data) != len(v.Words)*v.Dim {
		return fmt.Errorf("write vectors: %d values for %d words × %d dimensions", len(v.Data), len(v.Words), v.Dim)
	}
	for i, w := range v.Words {
		if err := checkWord(w); err != nil {
			return fmt.Errorf("write vectors: row %d: %w", i, err)
		}
	}
	for i, x := range v.Data {
		if math.IsInf(float64(x), 0) || x != x {
			return fmt.Errorf("write vectors: word %q has a non-finite value", v.Words[i/v.Dim])
		}
	}
	return nil
}

// WriteFile writes v to path in the text format, gzip-compressed when path
// ends in ".gz". It writes a temporary file in the same directory and renames
// it, so readers never see a partial file.
func (v *Vectors) WriteFile(path string) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	var w io.Writer = tmp
	var zw *gzip.Writer
	if strings.HasSuffix(path, ".gz") {
		zw = gzip.NewWriter(tmp)
		w = zw
	}
	if err := v.WriteWord2Vec(w); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
