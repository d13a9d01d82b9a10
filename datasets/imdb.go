package datasets

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/mt2st/mt2st/internal/ctxio"
)

// IMDB split names.
const (
	SplitTrain = "train"
	SplitTest  = "test"
	SplitUnsup = "unsup"
)

// The header lines of the IMDB TSV files (imdb/SOURCE.md).
const (
	imdbLabelledHeader = "label\trating\tid\ttext"
	imdbUnsupHeader    = "id\ttext"
)

// LoadIMDB reads one split ("train", "test" or "unsup") of the IMDB Large
// Movie Review Dataset from dir: dir/imdb/<split>.tsv.gz when present, else
// the original folder layout dir/aclImdb/<split>/{pos,neg}/<id>_<rating>.txt
// (dir/aclImdb/train/unsup/<id>_0.txt for "unsup"), as Fetch writes it.
//
// Reviews come in file order for the TSV (pos, then neg, by id) and in the
// same order for the folders: pos before neg, by numeric id. Texts are not
// tokenised. The TSV had 27 tab characters inside reviews replaced by spaces;
// the folder layout keeps them.
func LoadIMDB(dir, split string) ([]Review, error) {
	return LoadIMDBContext(context.Background(), dir, split)
}

// LoadIMDBContext is LoadIMDB that stops, with an error wrapping ctx.Err(),
// soon after ctx is cancelled: the TSV reader checks ctx before each read of
// the file, the folder reader before each review file.
func LoadIMDBContext(ctx context.Context, dir, split string) ([]Review, error) {
	var labelled bool
	switch split {
	case SplitTrain, SplitTest:
		labelled = true
	case SplitUnsup:
	default:
		return nil, fmt.Errorf("load IMDB: unknown split %q: want %s, %s or %s", split, SplitTrain, SplitTest, SplitUnsup)
	}
	tsv := filepath.Join(dir, "imdb", split+".tsv.gz")
	if fileExists(tsv) {
		return readFile(tsv, func(r io.Reader) ([]Review, error) {
			reviews := make([]Review, 0, 25000)
			err := readIMDBTSV(ctxio.Reader(ctx, r), tsv, &labelled, func(rv Review) error {
				reviews = append(reviews, rv)
				return nil
			})
			return reviews, err
		})
	}
	folder := filepath.Join(dir, "aclImdb", split)
	if split == SplitUnsup {
		folder = filepath.Join(dir, "aclImdb", SplitTrain, "unsup")
	}
	if dirExists(folder) {
		if labelled {
			return loadIMDBFolders(ctx, folder)
		}
		return loadIMDBFolder(ctx, folder, Unlabelled)
	}
	return nil, fmt.Errorf("load IMDB %s split: neither %s nor %s exists (run `mt2st data --out DIR` to download the data)", split, tsv, folder)
}

// ReadIMDBTSV streams the reviews of an IMDB TSV file (imdb/SOURCE.md): a
// header line, "label\trating\tid\ttext" for the labelled splits or
// "id\ttext" for unsup, then one review per line, split on the first 3 (or 1)
// tabs. name is used in error messages, which give the line: e.g.
// `imdb/train.tsv.gz line 17: label "foo": want pos or neg`. An error returned
// by fn stops the reading and is returned with the line added.
func ReadIMDBTSV(r io.Reader, name string, fn func(Review) error) error {
	return readIMDBTSV(r, name, nil, fn)
}

// readIMDBTSV is ReadIMDBTSV; a non-nil wantLabelled also checks the header
// kind.
func readIMDBTSV(r io.Reader, name string, wantLabelled *bool, fn func(Review) error) error {
	lr := newLineReader(r, name)
	header, ok := lr.next()
	if !ok {
		if err := lr.Err(); err != nil {
			return err
		}
		return parseErrorf(name, 1, "missing header line: want %q or %q", imdbLabelledHeader, imdbUnsupHeader)
	}
	var labelled bool
	switch header {
	case imdbLabelledHeader:
		labelled = true
	case imdbUnsupHeader:
	default:
		return parseErrorf(name, 1, "header %s: want %q or %q", ctxio.Quote(header), imdbLabelledHeader, imdbUnsupHeader)
	}
	if wantLabelled != nil && *wantLabelled != labelled {
		want := imdbUnsupHeader
		if *wantLabelled {
			want = imdbLabelledHeader
		}
		return parseErrorf(name, 1, "header %s: this split needs %q", ctxio.Quote(header), want)
	}
	for {
		line, ok := lr.next()
		if !ok {
			return lr.Err()
		}
		var rv Review
		var err error
		if labelled {
			rv, err = parseLabelledLine(line)
		} else {
			rv, err = parseUnsupLine(line)
		}
		if err == nil {
			err = fn(rv)
		}
		if err != nil {
			return &ParseError{Path: name, Line: lr.line, Err: err}
		}
	}
}

func parseLabelledLine(line string) (Review, error) {
	fields := strings.SplitN(line, "\t", 4)
	if len(fields) != 4 {
		return Review{}, fmt.Errorf("%d tab-separated fields, want 4 (label, rating, id, text)", len(fields))
	}
	label, err := parseLabel(fields[0])
	if err != nil {
		return Review{}, err
	}
	rating, err := parseRating(fields[1], label)
	if err != nil {
		return Review{}, err
	}
	if fields[2] == "" {
		return Review{}, errors.New("empty id")
	}
	return Review{ID: fields[2], Label: label, Rating: rating, Text: fields[3]}, nil
}

func parseUnsupLine(line string) (Review, error) {
	id, text, ok := strings.Cut(line, "\t")
	if !ok {
		return Review{}, errors.New("no tab: want 2 fields (id, text)")
	}
	if id == "" {
		return Review{}, errors.New("empty id")
	}
	return Review{ID: id, Label: Unlabelled, Rating: 0, Text: text}, nil
}

func parseLabel(s string) (int, error) {
	switch s {
	case "pos":
		return Positive, nil
	case "neg":
		return Negative, nil
	}
	return 0, fmt.Errorf("label %s: want pos or neg", ctxio.Quote(s))
}

// parseRating checks a 1-10 star rating against its label: the dataset has
// only ratings <= 4 (neg) and >= 7 (pos), so anything else means a shifted or
// corrupted column.
func parseRating(s string, label int) (int, error) {
	rating, err := strconv.Atoi(s)
	if err != nil || rating < 1 || rating > 10 {
		return 0, fmt.Errorf("rating %s: want an integer from 1 to 10", ctxio.Quote(s))
	}
	if label == Positive && rating < 7 || label == Negative && rating > 4 {
		return 0, fmt.Errorf("rating %d does not fit label %s: want 1-4 for neg, 7-10 for pos", rating, labelName(label))
	}
	return rating, nil
}

func labelName(label int) string {
	switch label {
	case Positive:
		return "pos"
	case Negative:
		return "neg"
	}
	return "unlabelled"
}

// loadIMDBFolders reads split/pos then split/neg.
func loadIMDBFolders(ctx context.Context, split string) ([]Review, error) {
	pos, err := loadIMDBFolder(ctx, filepath.Join(split, "pos"), Positive)
	if err != nil {
		return nil, err
	}
	neg, err := loadIMDBFolder(ctx, filepath.Join(split, "neg"), Negative)
	if err != nil {
		return nil, err
	}
	return append(pos, neg...), nil
}

// loadIMDBFolder reads every <id>_<rating>.txt of one folder of the aclImdb
// layout, ordered by numeric id. Other files are ignored.
func loadIMDBFolder(ctx context.Context, folder string, label int) ([]Review, error) {
	entries, err := os.ReadDir(folder)
	if err != nil {
		return nil, fmt.Errorf("load IMDB: %w", err)
	}
	type file struct {
		name   string
		id     int
		rating int
	}
	files := make([]file, 0, len(entries))
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".txt") || e.IsDir() {
			continue
		}
		id, rating, err := parseIMDBFileName(name, label)
		if err != nil {
			return nil, fmt.Errorf("load IMDB %s: %w", filepath.Join(folder, name), err)
		}
		files = append(files, file{name, id, rating})
	}
	slices.SortFunc(files, func(a, b file) int { return cmp.Compare(a.id, b.id) })
	reviews := make([]Review, 0, len(files))
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("load IMDB %s: stopped after %d reviews: %w", folder, len(reviews), err)
		}
		text, err := os.ReadFile(filepath.Join(folder, f.name))
		if err != nil {
			return nil, fmt.Errorf("load IMDB: %w", err)
		}
		reviews = append(reviews, Review{ID: strconv.Itoa(f.id), Label: label, Rating: f.rating, Text: string(text)})
	}
	return reviews, nil
}

// parseIMDBFileName splits "<id>_<rating>.txt"; unlabelled reviews have
// rating 0.
func parseIMDBFileName(name string, label int) (id, rating int, err error) {
	idText, ratingText, ok := strings.Cut(strings.TrimSuffix(name, ".txt"), "_")
	if ok {
		id, err = strconv.Atoi(idText)
		ok = err == nil && id >= 0
	}
	if !ok {
		return 0, 0, fmt.Errorf("file name %q: want <id>_<rating>.txt", name)
	}
	if label == Unlabelled {
		if ratingText != "0" {
			return 0, 0, fmt.Errorf("file name %q: unlabelled reviews are named <id>_0.txt", name)
		}
		return id, 0, nil
	}
	rating, err = parseRating(ratingText, label)
	if err != nil {
		return 0, 0, fmt.Errorf("file name %q: %w", name, err)
	}
	return id, rating, nil
}
