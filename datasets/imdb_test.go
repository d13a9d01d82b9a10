package datasets

import (
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func readTSV(t *testing.T, data string) ([]Review, error) {
	t.Helper()
	var got []Review
	err := ReadIMDBTSV(strings.NewReader(data), "fixture.tsv", func(r Review) error {
		got = append(got, r)
		return nil
	})
	return got, err
}

func TestReadIMDBTSVLabelled(t *testing.T) {
	data := "label\trating\tid\ttext\n" +
		"pos\t9\t0\tGreat.<br /><br />Loved it\twith a tab\n" +
		"neg\t1\t12\tBad \"quoted\" text\r\n" +
		"neg\t4\t7\t" // empty text, no final newline
	got, err := readTSV(t, data)
	if err != nil {
		t.Fatal(err)
	}
	want := []Review{
		{ID: "0", Label: Positive, Rating: 9, Text: "Great.<br /><br />Loved it\twith a tab"},
		{ID: "12", Label: Negative, Rating: 1, Text: "Bad \"quoted\" text"},
		{ID: "7", Label: Negative, Rating: 4, Text: ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

func TestReadIMDBTSVUnsup(t *testing.T) {
	got, err := readTSV(t, "id\ttext\n0\tfirst\ttabbed\n1\tsecond\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []Review{
		{ID: "0", Label: Unlabelled, Text: "first\ttabbed"},
		{ID: "1", Label: Unlabelled, Text: "second"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

func TestReadIMDBTSVErrors(t *testing.T) {
	const labelled = "label\trating\tid\ttext\npos\t10\t1\tfine\n"
	tests := []struct {
		name, data string
		line       int
		fragments  []string
	}{
		{"empty file", "", 1, []string{"missing header"}},
		{"bad header", "label,rating,id,text\n", 1, []string{`header "label,rating,id,text"`}},
		{"too few fields", labelled + "pos\t10\t2\n", 3, []string{"3 tab-separated fields, want 4"}},
		{"bad label", labelled + "foo\t10\t2\ttext\n", 3, []string{`label "foo": want pos or neg`}},
		{"rating not a number", labelled + "pos\tten\t2\ttext\n", 3, []string{`rating "ten"`}},
		{"rating out of range", labelled + "pos\t11\t2\ttext\n", 3, []string{`rating "11"`}},
		{"rating against label", labelled + "neg\t8\t2\ttext\n", 3, []string{"rating 8 does not fit label neg"}},
		{"empty id", labelled + "pos\t8\t\ttext\n", 3, []string{"empty id"}},
		{"blank line", labelled + "\n", 3, []string{"1 tab-separated fields"}},
		{"unsup without tab", "id\ttext\n5 no tab\n", 2, []string{"no tab"}},
		{"unsup empty id", "id\ttext\n\ttext\n", 2, []string{"empty id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readTSV(t, tt.data)
			wantLineError(t, err, "fixture.tsv", tt.line, tt.fragments...)
		})
	}
}

func TestReadIMDBTSVCallbackError(t *testing.T) {
	stop := errors.New("stop here")
	n := 0
	err := ReadIMDBTSV(strings.NewReader("id\ttext\n1\ta\n2\tb\n3\tc\n"), "u.tsv", func(Review) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("err = %v, want the callback's error", err)
	}
	wantLineError(t, err, "u.tsv", 3, "stop here")
}

func writeGzip(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	if _, err := zw.Write([]byte(content)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestLoadIMDBTSVFileError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "imdb", "train.tsv.gz")
	writeGzip(t, path, "label\trating\tid\ttext\npos\t10\t1\tok\nfoo\t10\t2\tbad\n")
	_, err := LoadIMDB(dir, "train")
	wantLineError(t, err, path, 3, `label "foo": want pos or neg`)
	// The message reads as the package documents it.
	if want := filepath.Join("imdb", "train.tsv.gz") + ` line 3: label "foo": want pos or neg`; !strings.HasSuffix(err.Error(), want) {
		t.Errorf("error %q does not end in %q", err, want)
	}
}

func TestLoadIMDBHeaderMustFitSplit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "imdb", "unsup.tsv.gz")
	writeGzip(t, path, "label\trating\tid\ttext\npos\t10\t1\tok\n")
	_, err := LoadIMDB(dir, "unsup")
	wantLineError(t, err, path, 1, `this split needs "id\ttext"`)
}

func TestLoadIMDBFolderLayout(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"aclImdb/train/pos/10_9.txt":   "ten",
		"aclImdb/train/pos/2_7.txt":    "two<br />lines",
		"aclImdb/train/pos/notes.md":   "ignored: not .txt",
		"aclImdb/train/neg/5_1.txt":    "five\twith tab",
		"aclImdb/train/unsup/3_0.txt":  "u3",
		"aclImdb/train/unsup/20_0.txt": "u20",
		"aclImdb/test/pos/0_10.txt":    "t0",
		"aclImdb/test/neg/1_4.txt":     "t1",
	})
	train, err := LoadIMDB(dir, "train")
	if err != nil {
		t.Fatal(err)
	}
	// pos before neg, numeric id order (2 before 10).
	want := []Review{
		{ID: "2", Label: Positive, Rating: 7, Text: "two<br />lines"},
		{ID: "10", Label: Positive, Rating: 9, Text: "ten"},
		{ID: "5", Label: Negative, Rating: 1, Text: "five\twith tab"},
	}
	if !reflect.DeepEqual(train, want) {
		t.Errorf("train = %+v\nwant %+v", train, want)
	}
	unsup, err := LoadIMDB(dir, "unsup")
	if err != nil {
		t.Fatal(err)
	}
	if want := []Review{{ID: "3", Label: Unlabelled, Text: "u3"}, {ID: "20", Label: Unlabelled, Text: "u20"}}; !reflect.DeepEqual(unsup, want) {
		t.Errorf("unsup = %+v\nwant %+v", unsup, want)
	}
	test, err := LoadIMDB(dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(test) != 2 || test[0].Rating != 10 || test[1].Label != Negative {
		t.Errorf("test = %+v", test)
	}
	if got, err := ResolveDir(dir); err != nil || got != dir {
		t.Errorf("ResolveDir(folder layout) = %q, %v; want %q", got, err, dir)
	}
}

func TestLoadIMDBFolderErrors(t *testing.T) {
	tests := []struct {
		file, fragment string
	}{
		{"aclImdb/train/pos/x_9.txt", `file name "x_9.txt": want <id>_<rating>.txt`},
		{"aclImdb/train/pos/1_3.txt", "rating 3 does not fit label pos"},
		{"aclImdb/train/neg/1.txt", `file name "1.txt"`},
		{"aclImdb/train/unsup/1_5.txt", "unlabelled reviews are named <id>_0.txt"},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{tt.file: "text", "aclImdb/train/pos/0_9.txt": "ok", "aclImdb/train/neg/0_1.txt": "ok"})
		split := "train"
		if strings.Contains(tt.file, "unsup") {
			split = "unsup"
		}
		_, err := LoadIMDB(dir, split)
		if err == nil || !strings.Contains(err.Error(), tt.fragment) || !strings.Contains(err.Error(), filepath.FromSlash(tt.file)) {
			t.Errorf("%s: err = %v, want it to name the file and say %q", tt.file, err, tt.fragment)
		}
	}
}

func TestLoadIMDBPrefersTSV(t *testing.T) {
	dir := t.TempDir()
	writeGzip(t, filepath.Join(dir, "imdb", "test.tsv.gz"), "label\trating\tid\ttext\npos\t8\t42\tfrom tsv\n")
	writeFiles(t, dir, map[string]string{"aclImdb/test/pos/1_8.txt": "from folder", "aclImdb/test/neg/2_2.txt": "x"})
	got, err := LoadIMDB(dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Text != "from tsv" {
		t.Fatalf("got %+v, want the TSV's one review", got)
	}
}

func TestLoadIMDBMissingAndBadSplit(t *testing.T) {
	dir := t.TempDir()
	_, err := LoadIMDB(dir, "train")
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "imdb", "train.tsv.gz")) ||
		!strings.Contains(err.Error(), filepath.Join(dir, "aclImdb", "train")) {
		t.Errorf("missing data: err = %v, want both places named", err)
	}
	_, err = LoadIMDB(dir, "validation")
	if err == nil || !strings.Contains(err.Error(), `unknown split "validation"`) {
		t.Errorf("bad split: err = %v", err)
	}
}

func TestLoadIMDBRealData(t *testing.T) {
	dir := realDataDir(t)
	// Counts from imdb/SOURCE.md: 25,000 reviews per labelled split, 12,500
	// per label, and the per-rating histograms.
	wantRatings := map[string]map[int]int{
		"train": {1: 5100, 2: 2284, 3: 2420, 4: 2696, 7: 2496, 8: 3009, 9: 2263, 10: 4732},
		"test":  {1: 5022, 2: 2302, 3: 2541, 4: 2635, 7: 2307, 8: 2850, 9: 2344, 10: 4999},
	}
	for _, split := range []string{"train", "test"} {
		reviews, err := LoadIMDB(dir, split)
		if err != nil {
			t.Fatal(err)
		}
		if len(reviews) != 25000 {
			t.Fatalf("%s: %d reviews, want 25000", split, len(reviews))
		}
		labels := map[int]int{}
		ratings := map[int]int{}
		for _, r := range reviews {
			labels[r.Label]++
			ratings[r.Rating]++
		}
		if labels[Positive] != 12500 || labels[Negative] != 12500 {
			t.Errorf("%s: labels %v, want 12500 each", split, labels)
		}
		if !reflect.DeepEqual(ratings, wantRatings[split]) {
			t.Errorf("%s: ratings %v, want %v", split, ratings, wantRatings[split])
		}
		// Rows are sorted pos first, then by id (SOURCE.md).
		if reviews[0].Label != Positive || reviews[0].ID != "0" || reviews[24999].Label != Negative {
			t.Errorf("%s: first %+v / last label %d: want pos id 0 first, neg last", split, reviews[0].ID, reviews[24999].Label)
		}
	}
	train, _ := LoadIMDB(dir, "train")
	// imdb/SOURCE.md: train/pos/0_9.txt starts "Bromwell High is a cartoon comedy".
	if r := train[0]; r.Rating != 9 || !strings.HasPrefix(r.Text, "Bromwell High is a cartoon comedy") {
		t.Errorf("train[0] = %q (rating %d), want pos 0_9 \"Bromwell High ...\"", r.Text[:40], r.Rating)
	}
	unsup, err := LoadIMDB(dir, "unsup")
	if err != nil {
		t.Fatal(err)
	}
	distinct := map[string]bool{}
	for _, r := range unsup {
		if r.Label != Unlabelled || r.Rating != 0 {
			t.Fatalf("unsup review %s: label %d rating %d", r.ID, r.Label, r.Rating)
		}
		distinct[r.Text] = true
	}
	// 50,000 rows, 49,507 distinct texts (SOURCE.md).
	if len(unsup) != 50000 || len(distinct) != 49507 {
		t.Errorf("unsup: %d reviews, %d distinct texts; want 50000, 49507", len(unsup), len(distinct))
	}
}

// BenchmarkLoadIMDBTrain measures the 25k-review train split (gzip + split).
func BenchmarkLoadIMDBTrain(b *testing.B) {
	dir := realDataDir(b)
	for b.Loop() {
		if _, err := LoadIMDB(dir, "train"); err != nil {
			b.Fatal(err)
		}
	}
}
