package datasets

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// ParseError reports a malformed line of a data file.
type ParseError struct {
	Path string // the file as the caller named it
	Line int    // 1-based
	Err  error
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s line %d: %v", e.Path, e.Line, e.Err) }

func (e *ParseError) Unwrap() error { return e.Err }

func parseErrorf(path string, line int, format string, args ...any) error {
	return &ParseError{Path: path, Line: line, Err: fmt.Errorf(format, args...)}
}

// MaxLineBytes bounds one line of a data file (the longest IMDB review is
// under 14 KB): input without newlines, such as /dev/zero, is a ParseError
// after this many bytes instead of an ever-growing buffer.
const MaxLineBytes = 1 << 20

// lineReader yields the lines of a text file without their "\n" (or "\r\n")
// and counts them, for error messages. A line longer than MaxLineBytes is an
// error.
type lineReader struct {
	r    *bufio.Reader
	path string
	line int // number of the line last returned, 1-based
	err  error
}

func newLineReader(r io.Reader, path string) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10), path: path}
}

// next returns the next line and true, or "" and false at the end of the
// input or on a read error (see Err).
func (lr *lineReader) next() (string, bool) {
	if lr.err != nil {
		return "", false
	}
	s, err := lr.readLine()
	if err != nil {
		if err != io.EOF {
			lr.err = &ParseError{Path: lr.path, Line: lr.line + 1, Err: err}
			return "", false
		}
		lr.err = io.EOF
		if s == "" {
			return "", false
		}
	}
	lr.line++
	s = strings.TrimSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\r")
	return s, true
}

// readLine is bufio.Reader.ReadString('\n') bounded by MaxLineBytes.
func (lr *lineReader) readLine() (string, error) {
	var buf []byte
	for {
		chunk, err := lr.r.ReadSlice('\n')
		if len(buf)+len(chunk) > MaxLineBytes {
			return "", fmt.Errorf("line longer than %d bytes", MaxLineBytes)
		}
		if err != bufio.ErrBufferFull {
			if buf == nil {
				return string(chunk), err // the usual case: one copy
			}
			return string(append(buf, chunk...)), err
		}
		buf = append(buf, chunk...)
	}
}

// Err returns the read error that stopped next, or nil at a clean end.
func (lr *lineReader) Err() error {
	if lr.err == io.EOF {
		return nil
	}
	return lr.err
}

// openFile opens path for reading, decompressing it when its name ends in
// ".gz". Closing the result closes the file.
func openFile(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(path, ".gz") {
		return f, nil
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &gzipFile{Reader: zr, file: f}, nil
}

type gzipFile struct {
	*gzip.Reader
	file *os.File
}

func (g *gzipFile) Close() error {
	return errors.Join(g.Reader.Close(), g.file.Close())
}

// readFile opens path (see openFile) and hands it to parse.
func readFile[T any](path string, parse func(io.Reader) (T, error)) (T, error) {
	f, err := openFile(path)
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := parse(f)
	if closeErr := f.Close(); err == nil && closeErr != nil {
		err = fmt.Errorf("%s: %w", path, closeErr)
	}
	return v, err
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

func dirExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}
