package datasets

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// hideData makes ResolveDir find nothing: no $MT2ST_DATA, a working
// directory with no ../shared/data and no go.mod above, and an empty user
// cache. It returns the cache directory Ensure downloads into.
func hideData(t *testing.T) string {
	t.Helper()
	t.Chdir(t.TempDir())
	t.Setenv(EnvDataDir, "")
	t.Setenv(EnvOffline, "")
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir()) // os.UserCacheDir on macOS
	cache, err := CacheDir()
	if err != nil {
		t.Fatal(err)
	}
	return cache
}

// firstUseSources are a small stand-in for DefaultSources: an IMDB train
// TSV (the marker ResolveDir looks for), a similarity list and analogies.
func firstUseSources(t *testing.T) (map[string][]byte, []Source) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(imdbLabelledHeader + "\npos\t9\t1\tA fine film.\nneg\t2\t2\tA dull film.\n"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"/imdb/train.tsv.gz":      gz.Bytes(),
		"/sim/EN-X.txt":           []byte("tiger\tcat\t7.35\n"),
		"/an/questions-words.txt": []byte(": family\nboy girl brother sister\n"),
	}
	return files, []Source{
		source("imdb", "/imdb/train.tsv.gz", "imdb/train.tsv.gz", files["/imdb/train.tsv.gz"]),
		source("word-similarity", "/sim/EN-X.txt", "word-similarity/EN-X.txt", files["/sim/EN-X.txt"]),
		source("analogy", "/an/questions-words.txt", "analogy/questions-words.txt", files["/an/questions-words.txt"]),
	}
}

func TestEnsureFetchesOnFirstUse(t *testing.T) {
	cache := hideData(t)
	if _, err := ResolveDir(""); !errors.Is(err, ErrNoData) {
		t.Fatalf("ResolveDir with the data hidden: %v, want ErrNoData", err)
	}
	files, sources := firstUseSources(t)
	srv := newFixtureServer(t, files)
	var notice, bar bytes.Buffer
	opts := EnsureOptions{Notice: &notice, Fetch: FetchOptions{Sources: sources, BaseURL: srv.URL, Progress: &bar}}
	dir, err := Ensure(context.Background(), "", opts)
	if err != nil {
		t.Fatal(err)
	}
	if dir != cache || !strings.HasSuffix(dir, filepath.Join("mt2st", "data")) {
		t.Errorf("Ensure = %s, want the user cache %s (…/mt2st/data)", dir, cache)
	}
	if !strings.Contains(notice.String(), "downloading") || !strings.Contains(notice.String(), cache) {
		t.Errorf("notice %q does not say it downloads into %s", notice.String(), cache)
	}
	if !strings.Contains(bar.String(), "imdb/train.tsv.gz") || !strings.Contains(bar.String(), "100%") {
		t.Errorf("progress output %q: want a bar per file reaching 100%%", bar.String())
	}
	reviews, err := LoadIMDB(dir, SplitTrain)
	if err != nil || len(reviews) != 2 {
		t.Fatalf("the downloaded IMDB: %d reviews, %v", len(reviews), err)
	}
	// The next call finds the cache: no second download.
	if again, err := Ensure(context.Background(), "", opts); err != nil || again != cache {
		t.Errorf("second Ensure = %s, %v", again, err)
	}
	if n := srv.count("/imdb/train.tsv.gz"); n != 1 {
		t.Errorf("%d requests, want 1: the second call should use the cache", n)
	}
	// ResolveDir alone finds it too.
	if got, err := ResolveDir(""); err != nil || got != cache {
		t.Errorf("ResolveDir after the download = %s, %v", got, err)
	}
}

func TestEnsureCompletesABrokenOffCache(t *testing.T) {
	cache := hideData(t)
	files, sources := firstUseSources(t)
	srv := newFixtureServer(t, files)
	// A first download that got only the IMDB file (the marker) and stopped.
	if err := Fetch(context.Background(), cache, FetchOptions{Sources: sources[:1], BaseURL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	dir, err := Ensure(context.Background(), "", EnsureOptions{Fetch: FetchOptions{Sources: sources, BaseURL: srv.URL}})
	if err != nil || dir != cache {
		t.Fatalf("Ensure = %s, %v", dir, err)
	}
	if _, err := LoadAnalogies(dir); err != nil {
		t.Errorf("the missing files were not fetched: %v", err)
	}
	if n := srv.count("/imdb/train.tsv.gz"); n != 1 {
		t.Errorf("%d requests for a file already in the cache, want 1", n)
	}
}

func TestEnsureOffline(t *testing.T) {
	for _, viaEnv := range []bool{false, true} {
		cache := hideData(t)
		files, sources := firstUseSources(t)
		srv := newFixtureServer(t, files)
		opts := EnsureOptions{Fetch: FetchOptions{Sources: sources, BaseURL: srv.URL}}
		if viaEnv {
			t.Setenv(EnvOffline, "1")
		} else {
			opts.Offline = true
		}
		_, err := Ensure(context.Background(), "", opts)
		if !errors.Is(err, ErrNoData) {
			t.Fatalf("offline (env %v): err = %v, want ErrNoData", viaEnv, err)
		}
		for _, want := range []string{"Offline", "mt2st data --out DIR", cache, "--data"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("offline error %q does not say %q", err, want)
			}
		}
		if n := srv.count("/imdb/train.tsv.gz"); n != 0 {
			t.Errorf("offline made %d requests", n)
		}
	}
}

func TestEnsureExplicitDirIsNotFetched(t *testing.T) {
	hideData(t)
	_, err := Ensure(context.Background(), "/no/such/dir", EnsureOptions{Fetch: FetchOptions{BaseURL: "http://127.0.0.1:1"}})
	if err == nil || errors.Is(err, ErrNoData) || !strings.Contains(err.Error(), "/no/such/dir") {
		t.Errorf("--data /no/such/dir: err = %v, want an error naming it, not a download", err)
	}
}

// flakyServer serves one file with Range support (http.ServeContent) but
// drops the connection half-way through the first response; with
// ignoreRange it answers every later request with the whole file (200).
type flakyServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []string // the Range header of each request
}

func newFlakyServer(t *testing.T, body []byte, ignoreRange bool) *flakyServer {
	s := &flakyServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.Header.Get("Range"))
		first := len(s.requests) == 1
		s.mu.Unlock()
		switch {
		case first:
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(http.StatusOK)
			w.Write(body[:len(body)/2])
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler) // closes the connection mid-body
		case ignoreRange:
			w.Write(body)
		default:
			http.ServeContent(w, r, "f", time.Time{}, bytes.NewReader(body))
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func TestFetchResumesAfterADroppedConnection(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789abcdef"), 4096) // 64 KiB
	for _, ignoreRange := range []bool{false, true} {
		srv := newFlakyServer(t, body, ignoreRange)
		src := source("d", "/f", "d/f.bin", body)
		dest := t.TempDir()
		var bar bytes.Buffer
		err := Fetch(context.Background(), dest, FetchOptions{Sources: []Source{src}, BaseURL: srv.URL, Progress: &bar})
		if err != nil {
			t.Fatalf("ignoreRange=%v: %v", ignoreRange, err)
		}
		got, err := os.ReadFile(filepath.Join(dest, "d", "f.bin"))
		if err != nil || !bytes.Equal(got, body) {
			t.Fatalf("ignoreRange=%v: the file differs from the original (%d bytes, %v)", ignoreRange, len(got), err)
		}
		if len(srv.requests) != 2 || srv.requests[0] != "" || !strings.HasPrefix(srv.requests[1], "bytes=") || srv.requests[1] == "bytes=0-" {
			t.Errorf("ignoreRange=%v: Range headers %q, want none, then a resume from the bytes received", ignoreRange, srv.requests)
		}
		if !ignoreRange && !strings.Contains(bar.String(), "resuming at") {
			t.Errorf("progress %q does not say it resumed", bar.String())
		}
		if l := leftovers(t, dest); len(l) > 0 {
			t.Errorf("ignoreRange=%v: temporary files left: %v", ignoreRange, l)
		}
	}
}

func TestFetchResumesAcrossCalls(t *testing.T) {
	body := bytes.Repeat([]byte("mt2st "), 10000)
	srv := newFlakyServer(t, body, false)
	src := source("d", "/f", "d/f.bin", body)
	dest := t.TempDir()
	// One attempt only: the first Fetch fails and leaves the .part file.
	err := Fetch(context.Background(), dest, FetchOptions{Sources: []Source{src}, BaseURL: srv.URL, Attempts: 1})
	if err == nil {
		t.Fatal("no error for a dropped connection with one attempt")
	}
	part, statErr := os.Stat(filepath.Join(dest, "d", "f.bin.part"))
	if statErr != nil || part.Size() == 0 || part.Size() >= int64(len(body)) {
		t.Fatalf("after the broken download: .part %v, %v; want part of the file", part, statErr)
	}
	if err := Fetch(context.Background(), dest, FetchOptions{Sources: []Source{src}, BaseURL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dest, "d", "f.bin")); !bytes.Equal(got, body) {
		t.Error("the resumed file differs from the original")
	}
	if want := "bytes=" + strconv.FormatInt(part.Size(), 10) + "-"; srv.requests[1] != want {
		t.Errorf("second call asked %q, want %q", srv.requests[1], want)
	}
}

func TestFetchCorruptPartIsDiscarded(t *testing.T) {
	body := []byte("the right content of the file\n")
	srv := newFixtureServer(t, map[string][]byte{"/f": body})
	src := source("d", "/f", "d/f", body)
	dest := t.TempDir()
	// A .part of full length but wrong bytes: the server ignores nothing, but
	// the check at the end fails and the .part goes.
	os.MkdirAll(filepath.Join(dest, "d"), 0o755)
	if err := os.WriteFile(filepath.Join(dest, "d", "f.part"), bytes.Repeat([]byte("x"), len(body)+5), 0o644); err != nil {
		t.Fatal(err)
	}
	// Longer than the file: started again from scratch.
	if err := Fetch(context.Background(), dest, FetchOptions{Sources: []Source{src}, BaseURL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dest, "d", "f")); !bytes.Equal(got, body) {
		t.Errorf("got %q", got)
	}
}

func TestProgressLines(t *testing.T) {
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }

	// Not a terminal: one line per 10%, each with bytes, percent and rate.
	var lines bytes.Buffer
	p := newProgress(&lines, false, "imdb/x.tar.gz", 2_000_000)
	p.now = now
	p.start(0)
	for i := 0; i < 200; i++ {
		clock = clock.Add(50 * time.Millisecond)
		p.Write(make([]byte, 10_000))
	}
	p.finish()
	got := strings.Split(strings.TrimSpace(lines.String()), "\n")
	if len(got) != 10 { // 10%, 20%, ..., 100%
		t.Errorf("%d lines, want 10 (10%%..100%%):\n%s", len(got), lines.String())
	}
	last := got[len(got)-1]
	for _, want := range []string{"imdb/x.tar.gz", "2.0 MB / 2.0 MB", "100%", "/s"} {
		if !strings.Contains(last, want) {
			t.Errorf("last line %q lacks %q", last, want)
		}
	}
	if strings.Contains(lines.String(), "\r") {
		t.Error("carriage return outside a terminal")
	}
	// 10,000 bytes per 50 ms tick = 200 kB/s.
	if !strings.Contains(last, "200.0 kB/s") {
		t.Errorf("last line %q: want the rate 200.0 kB/s", last)
	}

	// A terminal: one line, redrawn in place, ended once.
	var term bytes.Buffer
	p = newProgress(&term, true, "f", 1000)
	p.now = now
	p.start(0)
	for i := 0; i < 10; i++ {
		clock = clock.Add(150 * time.Millisecond)
		p.Write(make([]byte, 100))
	}
	p.finish()
	out := term.String()
	if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") || strings.Count(out, "\r") < 5 || !strings.Contains(out, "100%") {
		t.Errorf("terminal output %q: want one line redrawn with \\r, ended by one newline", out)
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 84125825: "84.1 MB", 3_500_000_000: "3.5 GB"} {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestNoConnectionFailsAtOnce(t *testing.T) {
	hideData(t)
	_, sources := firstUseSources(t)
	start := time.Now()
	// Port 1: nothing listens, the connection is refused. Retrying each of
	// the 3 files 5 times with back-off would take 5 s per file.
	_, err := Ensure(context.Background(), "", EnsureOptions{Fetch: FetchOptions{Sources: sources, BaseURL: "http://127.0.0.1:1"}})
	if err == nil || !strings.Contains(err.Error(), "run the same command again to resume") {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("no connection took %v: connection errors are not retried", d)
	}
}
