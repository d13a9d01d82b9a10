package wordvec

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// endless repeats one byte for ever, like /dev/zero.
type endless byte

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

// readWithin runs read and fails the test if it has not returned within d:
// the property under test is that bad input ends in an error, not a hang.
func readWithin(t *testing.T, d time.Duration, read func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- read() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		t.Fatalf("reader still running after %s", d)
		return nil
	}
}

func TestReadEndlessInputFailsOnLineLength(t *testing.T) {
	cases := []struct {
		name string
		in   io.Reader
		read func(io.Reader, string) (*Vectors, error)
		want string
	}{
		// /dev/zero: the header never ends.
		{"zeros", endless(0), ReadWord2Vec, "z line 1: line too long: more than 1024 bytes without a newline"},
		// A text record that never ends: the limit for 2 dimensions is
		// 65,536 + 2×64 bytes.
		{"text", io.MultiReader(strings.NewReader("1 2\nword 1"), endless('1')), ReadWord2VecText,
			"z line 2: line too long: more than 65664 bytes without a newline"},
		// A binary word that never ends.
		{"binary", io.MultiReader(strings.NewReader("1 2\n"), endless('a')), ReadWord2VecBinary,
			"z word 1: no space after the word: line too long: more than 65536 bytes without a space"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := readWithin(t, 10*time.Second, func() error { _, err := c.read(c.in, "z"); return err })
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestReadErrorsShortenQuotedContent(t *testing.T) {
	// A value of 150,000 bytes fits the line limit of a 2000-d file
	// (65,536 + 2000×64 bytes) and must not be quoted whole.
	long := strings.Repeat("x", 150000)
	in := "1 2000\nw " + long + strings.Repeat(" 1", 1999) + "\n"
	_, err := ReadWord2VecText(strings.NewReader(in), "v.txt")
	want := `read v.txt line 2: word "w" value 1: bad number "` + strings.Repeat("x", 80) + `"… (150000 bytes)`
	if err == nil || err.Error() != want {
		t.Fatalf("error %.300v, want %s", err, want)
	}
	// A header of 1000 bytes (under the 1024-byte limit) is quoted short too.
	_, err = ReadWord2Vec(strings.NewReader(strings.Repeat("h", 1000)+"\n"), "v.txt")
	if err == nil || len(err.Error()) > 200 || !strings.Contains(err.Error(), `"… (1000 bytes)`) {
		t.Fatalf("error %v, want the header quoted in under 200 bytes", err)
	}
}

func TestReadFileContextStopsOnCancel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.txt")
	if err := os.WriteFile(path, []byte("1 2\na 1 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadFileContext(ctx, path); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled read: error %v, want context.Canceled", err)
	}
	if _, err := ReadFileContext(context.Background(), path); err != nil {
		t.Fatalf("read: %v", err)
	}
}

func TestReadFileDevZeroEnds(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	err := readWithin(t, 10*time.Second, func() error { _, err := ReadFile("/dev/zero"); return err })
	if err == nil || !strings.Contains(err.Error(), "/dev/zero line 1: line too long") {
		t.Fatalf("error %v, want a line-length error naming /dev/zero line 1", err)
	}
}
