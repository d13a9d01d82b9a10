package datasets

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// fixtureServer serves fixed bytes by URL path and counts requests.
type fixtureServer struct {
	*httptest.Server
	mu       sync.Mutex
	files    map[string][]byte
	requests map[string]int
}

func newFixtureServer(t *testing.T, files map[string][]byte) *fixtureServer {
	s := &fixtureServer{files: files, requests: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests[r.URL.Path]++
		body, ok := s.files[r.URL.Path]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *fixtureServer) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[path]
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func source(dataset, urlPath, dest string, content []byte) Source {
	return Source{Dataset: dataset, URL: "https://example.org" + urlPath, SHA256: sha256Hex(content), Size: int64(len(content)), Path: dest}
}

// leftovers lists the temporary files Fetch may have left under dir.
func leftovers(t *testing.T, dir string) []string {
	var found []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && (strings.Contains(d.Name(), ".tmp-") || strings.Contains(d.Name(), ".part")) {
			found = append(found, p)
		}
		return nil
	})
	return found
}

func TestFetchFilesAndSkipPresent(t *testing.T) {
	list := []byte("tiger\tcat\t7.35\n")
	questions := []byte(": family\nboy girl brother sister\n")
	srv := newFixtureServer(t, map[string][]byte{"/a/EN-X.txt": list, "/b/questions-words.txt": questions})
	sources := []Source{
		source("word-similarity", "/a/EN-X.txt", "word-similarity/EN-X.txt", list),
		source("analogy", "/b/questions-words.txt", "analogy/questions-words.txt", questions),
	}
	dest := t.TempDir()
	opts := FetchOptions{Sources: sources, BaseURL: srv.URL}
	if err := Fetch(context.Background(), dest, opts); err != nil {
		t.Fatal(err)
	}
	lists, err := LoadSimilarityLists(dest)
	if err != nil || len(lists) != 1 || lists[0].Pairs[0].A != "tiger" {
		t.Fatalf("fetched similarity list: %+v, %v", lists, err)
	}
	if sections, err := LoadAnalogies(dest); err != nil || len(sections) != 1 {
		t.Fatalf("fetched analogies: %+v, %v", sections, err)
	}
	if l := leftovers(t, dest); len(l) > 0 {
		t.Errorf("temporary files left: %v", l)
	}

	// Present with the right checksum: no second request.
	if err := Fetch(context.Background(), dest, opts); err != nil {
		t.Fatal(err)
	}
	if n := srv.count("/a/EN-X.txt"); n != 1 {
		t.Errorf("%d requests for a file already present, want 1 in all", n)
	}

	// A damaged local copy is downloaded again.
	local := filepath.Join(dest, "word-similarity", "EN-X.txt")
	if err := os.WriteFile(local, []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Fetch(context.Background(), dest, FetchOptions{Sources: sources, BaseURL: srv.URL, Datasets: []string{"word-similarity"}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(local); !bytes.Equal(got, list) || srv.count("/a/EN-X.txt") != 2 {
		t.Errorf("damaged copy: now %q after %d requests, want the original after 2", got, srv.count("/a/EN-X.txt"))
	}
	if srv.count("/b/questions-words.txt") != 1 {
		t.Errorf("Datasets filter: the analogy file was requested again")
	}
}

func TestFetchChecksumMismatch(t *testing.T) {
	served := []byte("tampered content\n")
	srv := newFixtureServer(t, map[string][]byte{"/x/EN-X.txt": served})
	src := source("word-similarity", "/x/EN-X.txt", "word-similarity/EN-X.txt", []byte("original content\n"))
	src.Size = int64(len(served)) // same size, so the checksum must catch it
	dest := t.TempDir()
	err := Fetch(context.Background(), dest, FetchOptions{Sources: []Source{src}, BaseURL: srv.URL})
	if err == nil {
		t.Fatal("no error for a wrong checksum")
	}
	for _, want := range []string{srv.URL + "/x/EN-X.txt", "sha256 mismatch", "want " + src.SHA256, "got " + sha256Hex(served)} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if _, statErr := os.Stat(filepath.Join(dest, "word-similarity", "EN-X.txt")); !os.IsNotExist(statErr) {
		t.Errorf("a file with the wrong checksum was kept: %v", statErr)
	}
	if l := leftovers(t, dest); len(l) > 0 {
		t.Errorf("temporary files left: %v", l)
	}
}

func TestFetchSizeMismatchAndHTTPErrors(t *testing.T) {
	served := []byte("short")
	srv := newFixtureServer(t, map[string][]byte{"/s": served})
	long := source("d", "/s", "d/s", []byte("much longer content"))
	missing := source("d", "/missing", "d/m", []byte("x"))
	err := Fetch(context.Background(), t.TempDir(), FetchOptions{Sources: []Source{long, missing}, BaseURL: srv.URL})
	if err == nil {
		t.Fatal("no error")
	}
	// Both failures are reported: Fetch goes on after the first.
	for _, want := range []string{"size mismatch: want 19 bytes, got 5", srv.URL + "/missing: HTTP status 404"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

func TestFetchRejectsUnknownDatasetAndBadPath(t *testing.T) {
	err := Fetch(context.Background(), t.TempDir(), FetchOptions{Datasets: []string{"imbd"}})
	if err == nil || !strings.Contains(err.Error(), `unknown dataset "imbd"`) || !strings.Contains(err.Error(), "word-similarity") {
		t.Errorf("unknown dataset: err = %v", err)
	}
	bad := Source{Dataset: "d", URL: "https://example.org/x", Path: "../outside"}
	err = Fetch(context.Background(), t.TempDir(), FetchOptions{Sources: []Source{bad}})
	if err == nil || !strings.Contains(err.Error(), "not a path inside the data directory") {
		t.Errorf("path outside: err = %v", err)
	}
}

func TestFetchCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Fetch(ctx, t.TempDir(), FetchOptions{Sources: []Source{source("d", "/x", "d/x", []byte("x"))}, BaseURL: "http://127.0.0.1:1"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// imdbTarball builds a small aclImdb_v1.tar.gz look-alike.
func imdbTarball(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	add := func(name string, typ byte, body string) {
		hdr := &tar.Header{Name: name, Typeflag: typ, Mode: 0o644, Size: int64(len(body))}
		if typ == tar.TypeDir {
			hdr.Size, hdr.Mode = 0, 0o755
		}
		if typ == tar.TypeSymlink {
			hdr.Size, hdr.Linkname = 0, "/etc/passwd"
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(tw, body); err != nil {
			t.Fatal(err)
		}
	}
	add("aclImdb/", tar.TypeDir, "")
	add("aclImdb/README", tar.TypeReg, "Large Movie Review Dataset v1.0\n")
	add("aclImdb/imdb.vocab", tar.TypeReg, "the\nand\n")
	add("aclImdb/train/labeledBow.feat", tar.TypeReg, "9 0:9\n")
	add("aclImdb/train/urls_pos.txt", tar.TypeReg, "http://www.imdb.com/title/tt0453418/usercomments\n")
	add("aclImdb/train/pos/10_9.txt", tar.TypeReg, "Ten.")
	add("aclImdb/train/pos/0_9.txt", tar.TypeReg, "Bromwell High is a cartoon comedy.")
	add("aclImdb/train/neg/0_3.txt", tar.TypeReg, "Story of a man.")
	add("aclImdb/train/unsup/0_0.txt", tar.TypeReg, "I admit, the great majority")
	add("aclImdb/test/pos/0_10.txt", tar.TypeReg, "I went and saw this movie")
	add("aclImdb/test/neg/0_2.txt", tar.TypeReg, "Once again Mr. Costner")
	add("aclImdb/train/pos/../../../escape.txt", tar.TypeReg, "must not be written")
	add("../escape.txt", tar.TypeReg, "must not be written")
	add("aclImdb/test/pos/1_8.txt", tar.TypeSymlink, "")
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFetchIMDBTarball(t *testing.T) {
	tarball := imdbTarball(t)
	const urlPath = "/~amaas/data/sentiment/aclImdb_v1.tar.gz"
	srv := newFixtureServer(t, map[string][]byte{urlPath: tarball})
	src := Source{Dataset: "imdb", URL: "http://ai.stanford.edu" + urlPath, SHA256: sha256Hex(tarball), Size: int64(len(tarball)),
		Path: ".downloads/aclImdb_v1.tar.gz", Unpack: UnpackIMDB}
	root := t.TempDir()
	dest := filepath.Join(root, "data")
	opts := FetchOptions{Sources: []Source{src}, BaseURL: srv.URL}
	if err := Fetch(context.Background(), dest, opts); err != nil {
		t.Fatal(err)
	}

	train, err := LoadIMDB(dest, "train")
	if err != nil {
		t.Fatal(err)
	}
	want := []Review{
		{ID: "0", Label: Positive, Rating: 9, Text: "Bromwell High is a cartoon comedy."},
		{ID: "10", Label: Positive, Rating: 9, Text: "Ten."},
		{ID: "0", Label: Negative, Rating: 3, Text: "Story of a man."},
	}
	if len(train) != len(want) {
		t.Fatalf("train = %+v, want %+v", train, want)
	}
	for i := range want {
		if train[i] != want[i] {
			t.Errorf("train[%d] = %+v, want %+v", i, train[i], want[i])
		}
	}
	if unsup, err := LoadIMDB(dest, "unsup"); err != nil || len(unsup) != 1 {
		t.Errorf("unsup = %+v, %v", unsup, err)
	}
	if test, err := LoadIMDB(dest, "test"); err != nil || len(test) != 2 {
		t.Errorf("test = %+v, %v (the symlink must not count)", test, err)
	}
	if got, err := ResolveDir(dest); err != nil || got != dest {
		t.Errorf("ResolveDir(fetched) = %q, %v", got, err)
	}
	for _, p := range []string{"aclImdb/README", "aclImdb/" + imdbDoneMarker} {
		if !fileExists(filepath.Join(dest, p)) {
			t.Errorf("%s missing", p)
		}
	}
	for _, p := range []string{"aclImdb/imdb.vocab", "aclImdb/train/labeledBow.feat", "aclImdb/train/urls_pos.txt",
		"escape.txt", "../escape.txt", "aclImdb/test/pos/1_8.txt", ".downloads/aclImdb_v1.tar.gz"} {
		if _, err := os.Lstat(filepath.Join(dest, p)); err == nil {
			t.Errorf("%s exists, want it left out (or removed)", p)
		}
	}
	if l := leftovers(t, root); len(l) > 0 {
		t.Errorf("temporary files left: %v", l)
	}

	// A complete extraction is not fetched again.
	if err := Fetch(context.Background(), dest, opts); err != nil {
		t.Fatal(err)
	}
	if n := srv.count(urlPath); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestFetchIMDBRefusesForeignFolder(t *testing.T) {
	tarball := imdbTarball(t)
	srv := newFixtureServer(t, map[string][]byte{"/a.tgz": tarball})
	dest := t.TempDir()
	writeFiles(t, dest, map[string]string{"aclImdb/train/pos/0_9.txt": "mine"})
	src := Source{Dataset: "imdb", URL: "http://x/a.tgz", SHA256: sha256Hex(tarball), Size: int64(len(tarball)), Path: ".downloads/a.tgz", Unpack: UnpackIMDB}
	err := Fetch(context.Background(), dest, FetchOptions{Sources: []Source{src}, BaseURL: srv.URL})
	if err == nil || !strings.Contains(err.Error(), "remove it") {
		t.Fatalf("err = %v, want a refusal to overwrite", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dest, "aclImdb", "train", "pos", "0_9.txt")); string(got) != "mine" {
		t.Errorf("existing file changed to %q", got)
	}
}

// TestDefaultSourcesMatchSharedData checks the table's sizes and sha256
// against the shared data copy, which was verified against the same
// repositories and commits (each folder's SOURCE.md).
func TestDefaultSourcesMatchSharedData(t *testing.T) {
	sources := DefaultSources()
	if len(sources) != 21 {
		t.Errorf("%d sources, want 21 (13 lists, analogies, 3 UD splits + license, 2 rt-polarity, IMDB)", len(sources))
	}
	paths := map[string]bool{}
	for _, s := range sources {
		if paths[s.Path] {
			t.Errorf("path %s listed twice", s.Path)
		}
		paths[s.Path] = true
		if len(s.SHA256) != 64 || s.Size <= 0 {
			t.Errorf("%s: sha256 %q size %d", s.URL, s.SHA256, s.Size)
		}
		if s.Dataset != "imdb" && !strings.HasPrefix(s.URL, "https://raw.githubusercontent.com/") {
			t.Errorf("%s: want a raw GitHub URL at a fixed commit", s.URL)
		}
	}
	dir := realDataDir(t)
	checked := 0
	for _, s := range sources {
		local := filepath.Join(dir, filepath.FromSlash(s.Path))
		var data []byte
		var err error
		switch {
		case fileExists(local):
			data, err = os.ReadFile(local)
		case fileExists(local + ".gz"): // UD train is gzipped in the shared copy
			data, err = readGzipFile(local + ".gz")
		default:
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		checked++
		if got := sha256Hex(data); got != s.SHA256 || int64(len(data)) != s.Size {
			t.Errorf("%s: shared copy has sha256 %s, %d bytes; table says %s, %d", s.Path, got, len(data), s.SHA256, s.Size)
		}
	}
	if checked != 20 { // all but the IMDB tarball
		t.Errorf("checked %d sources against the shared copy, want 20", checked)
	}
}

func readGzipFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}
