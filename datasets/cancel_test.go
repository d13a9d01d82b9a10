package datasets

import (
	"context"
	"errors"
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
	header := strings.Repeat("h", 10<<20) // a 10 MiB "header line"
	err := ReadIMDBTSV(strings.NewReader(header+"\n"), "big.tsv", func(Review) error { return nil })
	wantLineError(t, err, "big.tsv", 1, `"… (10485760 bytes): want`)
	if len(err.Error()) > 300 {
		t.Errorf("error is %d bytes long, want the header shortened", len(err.Error()))
	}
}
