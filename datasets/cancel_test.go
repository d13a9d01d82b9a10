package datasets

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadIMDBContextStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	tsvDir := t.TempDir()
	writeGzip(t, filepath.Join(tsvDir, "imdb", "train.tsv.gz"), "label\trating\tid\ttext\npos\t10\t1\tok\n")
	if _, err := LoadIMDBContext(ctx, tsvDir, "train"); !errors.Is(err, context.Canceled) {
		t.Errorf("TSV: error %v, want context.Canceled", err)
	}
	if r, err := LoadIMDBContext(context.Background(), tsvDir, "train"); err != nil || len(r) != 1 {
		t.Errorf("TSV without cancel: %d reviews, %v; want 1, nil", len(r), err)
	}

	folderDir := t.TempDir()
	writeFiles(t, folderDir, map[string]string{"aclImdb/train/unsup/0_0.txt": "some text"})
	_, err := LoadIMDBContext(ctx, folderDir, "unsup")
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "stopped after 0 reviews") {
		t.Errorf("folders: error %v, want context.Canceled after 0 reviews", err)
	}
}

func TestIMDBHeaderErrorQuotesShort(t *testing.T) {
	header := strings.Repeat("h", 100000) // a 100 kB "header line"
	err := ReadIMDBTSV(strings.NewReader(header+"\n"), "big.tsv", func(Review) error { return nil })
	wantLineError(t, err, "big.tsv", 1, `"… (100000 bytes): want`)
	if len(err.Error()) > 300 {
		t.Errorf("error is %d bytes long, want the header shortened", len(err.Error()))
	}
}

// endless repeats one byte for ever, like /dev/zero.
type endless byte

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

func TestLineLengthIsBounded(t *testing.T) {
	in := io.MultiReader(strings.NewReader("id\ttext\n0\tok\n"), endless(0))
	err := ReadIMDBTSV(in, "zero.tsv", func(Review) error { return nil })
	wantLineError(t, err, "zero.tsv", 3, "line longer than 1048576 bytes")
	_, err = ReadCoNLLU(endless('x'), "zero.conllu")
	wantLineError(t, err, "zero.conllu", 1, "line longer than 1048576 bytes")
}
