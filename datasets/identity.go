package datasets

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// FileID is the identity of one data file a run read: its path relative to
// the data directory (slash-separated), its row count and its sha256.
//
// Rows are reviews for IMDB, word pairs for a similarity list, questions
// for the analogies, sentences for CoNLL-U and lines for rt-polarity. A
// folder of the aclImdb layout (aclImdb/train/pos, ...) is one FileID whose
// Rows are its review files and whose SHA256 is the sha256 of the sorted
// lines "<file name> <sha256 of the file>\n".
type FileID struct {
	Path   string `json:"path"`
	Rows   int    `json:"rows"`
	SHA256 string `json:"sha256"`
}

// identityCache holds the FileIDs computed in this process, by absolute path,
// valid while the file's size and modification time stay the same.
var identityCache = struct {
	sync.Mutex
	m map[string]cachedID
}{m: map[string]cachedID{}}

type cachedID struct {
	size  int64
	mtime time.Time
	id    FileID
}

// Identify returns the FileID of rel (a file, or an aclImdb split folder)
// in the data directory dir. The sha256 and row count are computed once per
// process (hashing the three IMDB TSV files takes about a second) and
// reused while the file's size and modification time are unchanged.
func Identify(dir, rel string) (FileID, error) {
	abs := filepath.Join(dir, filepath.FromSlash(rel))
	info, err := os.Stat(abs)
	if err != nil {
		return FileID{}, fmt.Errorf("identify data file: %w", err)
	}
	identityCache.Lock()
	defer identityCache.Unlock() // one file at a time: the disk is the limit
	if c, ok := identityCache.m[abs]; ok && c.size == info.Size() && c.mtime.Equal(info.ModTime()) {
		return c.id, nil
	}
	id := FileID{Path: filepath.ToSlash(rel)}
	if info.IsDir() {
		id.Rows, id.SHA256, err = identifyFolder(abs)
	} else {
		id.Rows, id.SHA256, err = identifyFile(abs, rowCounter(rel))
	}
	if err != nil {
		return FileID{}, fmt.Errorf("identify data file %s: %w", abs, err)
	}
	identityCache.m[abs] = cachedID{size: info.Size(), mtime: info.ModTime(), id: id}
	return id, nil
}

// Fingerprint is a short hash of the identities of a set of files: the
// first 12 hex digits of the sha256 of the sorted "path sha256" lines. Two
// runs reading the same bytes share it; any change to a file changes it.
func Fingerprint(ids []FileID) string {
	lines := make([]string, len(ids))
	for i, id := range ids {
		lines[i] = id.Path + " " + id.SHA256 + "\n"
	}
	slices.Sort(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "")))
	return hex.EncodeToString(sum[:6])
}

// rowCounter returns the function counting the rows of one line of the
// (decompressed) file rel: 1 when the line is a row.
func rowCounter(rel string) func(line []byte, prevBlank bool) int {
	rel = filepath.ToSlash(rel)
	switch {
	case strings.HasPrefix(rel, "imdb/"):
		first := true
		return func(line []byte, _ bool) int { // every line after the header
			if first {
				first = false
				return 0
			}
			return 1
		}
	case strings.HasPrefix(rel, "analogy/"):
		return func(line []byte, _ bool) int { // not the ": section" lines
			if t := bytes.TrimSpace(line); len(t) == 0 || t[0] == ':' {
				return 0
			}
			return 1
		}
	case strings.Contains(rel, ".conllu"):
		return func(line []byte, prevBlank bool) int { // a blank line ends a sentence
			if len(bytes.TrimSpace(line)) == 0 && !prevBlank {
				return 1
			}
			return 0
		}
	}
	return func(line []byte, _ bool) int { // every non-empty line
		if len(bytes.TrimSpace(line)) == 0 {
			return 0
		}
		return 1
	}
}

// identifyFile hashes the file's bytes and counts the rows of its content,
// gunzipped when it ends in .gz, in one pass.
func identifyFile(path string, count func(line []byte, prevBlank bool) int) (int, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	raw := io.TeeReader(f, h)
	content := raw
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(raw)
		if err != nil {
			return 0, "", err
		}
		defer zr.Close()
		content = zr
	}
	br := bufio.NewReaderSize(content, 1<<16)
	rows, prevBlank := 0, true
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 || err == nil {
			rows += count(line, prevBlank)
			prevBlank = len(bytes.TrimSpace(line)) == 0
		}
		if err == bufio.ErrBufferFull {
			// A line longer than the buffer: the rest of it is not a new row.
			for err == bufio.ErrBufferFull {
				_, err = br.ReadSlice('\n')
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, "", err
		}
	}
	if _, err := io.Copy(io.Discard, raw); err != nil { // hash any trailing bytes
		return 0, "", err
	}
	return rows, hex.EncodeToString(h.Sum(nil)), nil
}

// identifyFolder identifies a folder of the aclImdb layout: its .txt files.
func identifyFolder(dir string) (int, string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, "", err
	}
	var lines []string
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".txt") {
			continue
		}
		sum, err := fileSHA256(filepath.Join(dir, e.Name()))
		if err != nil {
			return 0, "", err
		}
		lines = append(lines, e.Name()+" "+sum+"\n")
	}
	slices.Sort(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "")))
	return len(lines), hex.EncodeToString(sum[:]), nil
}

// EnvDataCheck set to 0 turns off CheckIMDBSize, for a deliberately smaller
// copy of IMDB (the --data-check=false flag sets it, so that worker
// processes inherit it).
const EnvDataCheck = "MT2ST_DATA_CHECK"

// IMDBSplitSize is the number of reviews of each IMDB split.
var IMDBSplitSize = map[string]int{SplitTrain: 25000, SplitTest: 25000, SplitUnsup: 50000}

// IMDBFiles returns the paths, relative to dir, that LoadIMDB reads for the
// split: imdb/<split>.tsv.gz, or the folders of the aclImdb layout.
func IMDBFiles(dir, split string) []string {
	tsv := "imdb/" + split + ".tsv.gz"
	if fileExists(filepath.Join(dir, filepath.FromSlash(tsv))) {
		return []string{tsv}
	}
	switch split {
	case SplitUnsup:
		return []string{"aclImdb/train/unsup"}
	default:
		return []string{"aclImdb/" + split + "/pos", "aclImdb/" + split + "/neg"}
	}
}

// CheckIMDBSize returns an error, naming the file and the count, when n
// reviews were read for the split in dir but the dataset has
// IMDBSplitSize[split]: a truncated or partial copy would otherwise train
// and be reported as the full dataset.
func CheckIMDBSize(dir, split string, n int) error {
	want, ok := IMDBSplitSize[split]
	if !ok || n == want {
		return nil
	}
	files := IMDBFiles(dir, split)
	for i, f := range files {
		files[i] = filepath.Join(dir, filepath.FromSlash(f))
	}
	return fmt.Errorf("IMDB %s split: %s holds %d reviews, want %d: a truncated or partial copy? "+
		"Fetch the data again, or pass --data-check=false (%s=0) to use a deliberately smaller copy",
		split, strings.Join(files, " + "), n, want, EnvDataCheck)
}
