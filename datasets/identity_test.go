package datasets

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func gzipText(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestIdentifyRowsAndSHA256(t *testing.T) {
	dir := t.TempDir()
	imdb := gzipText(t, imdbLabelledHeader+"\npos\t9\t1\tGood.\nneg\t2\t2\tBad.\npos\t8\t3\tFine.\n")
	files := map[string][]byte{
		"imdb/train.tsv.gz":                   imdb,
		"word-similarity/EN-X.txt":            []byte("tiger\tcat\t7.35\nbook\tpaper\t7.46\n\n"),
		"analogy/questions-words.txt":         []byte(": family\nboy girl brother sister\nboy girl son daughter\n: gram\na b c d\n"),
		"ud-english-ewt/en_ewt-ud-dev.conllu": []byte("# sent_id = 1\n1\tHi\thi\tINTJ\t_\t_\t0\troot\t_\t_\n\n# sent_id = 2\n1\tGo\tgo\tVERB\t_\t_\t0\troot\t_\t_\n\n"),
		"aclImdb/test/pos/0_9.txt":            []byte("Good."),
		"aclImdb/test/pos/1_8.txt":            []byte("Fine."),
	}
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Rows: 3 reviews after the header, 2 pairs, 3 questions (section lines
	// left out), 2 sentences, 2 review files.
	want := map[string]int{"imdb/train.tsv.gz": 3, "word-similarity/EN-X.txt": 2, "analogy/questions-words.txt": 3,
		"ud-english-ewt/en_ewt-ud-dev.conllu": 2, "aclImdb/test/pos": 2}
	for rel, rows := range want {
		id, err := Identify(dir, rel)
		if err != nil {
			t.Fatal(err)
		}
		if id.Path != rel || id.Rows != rows {
			t.Errorf("Identify(%s) = %+v, want %d rows", rel, id, rows)
		}
		if b, ok := files[rel]; ok && id.SHA256 != sha256Hex(b) {
			t.Errorf("Identify(%s).SHA256 = %s, want the sha256 of the file's bytes %s", rel, id.SHA256, sha256Hex(b))
		}
	}
	folder, _ := Identify(dir, "aclImdb/test/pos")
	wantFolder := sha256Hex([]byte("0_9.txt " + sha256Hex([]byte("Good.")) + "\n1_8.txt " + sha256Hex([]byte("Fine.")) + "\n"))
	if folder.SHA256 != wantFolder {
		t.Errorf("folder sha256 %s, want %s (sorted name-sha256 lines)", folder.SHA256, wantFolder)
	}

	// The fingerprint changes with any file; the cache notices a rewrite.
	ids := []FileID{}
	for rel := range want {
		id, _ := Identify(dir, rel)
		ids = append(ids, id)
	}
	before := Fingerprint(ids)
	if len(before) != 12 {
		t.Errorf("fingerprint %q: want 12 hex digits", before)
	}
	p := filepath.Join(dir, "word-similarity", "EN-X.txt")
	if err := os.WriteFile(p, []byte("tiger\tcat\t7.35\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(p, time.Now().Add(time.Hour), time.Now().Add(time.Hour))
	changed, err := Identify(dir, "word-similarity/EN-X.txt")
	if err != nil || changed.Rows != 1 {
		t.Fatalf("after a rewrite: %+v, %v; want 1 row", changed, err)
	}
	for i := range ids {
		if ids[i].Path == changed.Path {
			ids[i] = changed
		}
	}
	if after := Fingerprint(ids); after == before {
		t.Error("the fingerprint did not change with the data")
	}
}

func TestCheckIMDBSize(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"imdb/train.tsv.gz": ""})
	if err := CheckIMDBSize(dir, SplitTrain, 25000); err != nil {
		t.Errorf("the full split: %v", err)
	}
	err := CheckIMDBSize(dir, SplitTrain, 1000)
	for _, want := range []string{filepath.Join(dir, "imdb", "train.tsv.gz"), "1000 reviews", "want 25000", "--data-check=false"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("truncated train: %v; want it to say %q", err, want)
		}
	}
	// The folder layout names its folders; unsup has 50,000.
	err = CheckIMDBSize(dir, SplitUnsup, 25000)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "aclImdb", "train", "unsup")) || !strings.Contains(err.Error(), "want 50000") {
		t.Errorf("unsup: %v", err)
	}
}
