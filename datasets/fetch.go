package datasets

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// FetchOptions adjusts Fetch. The zero value downloads every default source.
type FetchOptions struct {
	// Sources to fetch; nil means DefaultSources().
	Sources []Source
	// Datasets, when non-empty, keeps only the sources of these datasets
	// (Source.Dataset, e.g. "word-similarity", "imdb").
	Datasets []string
	// BaseURL, when set, replaces the scheme and host of every source URL
	// (keeping the path): a mirror, or an httptest.Server in tests.
	BaseURL string
	// Client makes the requests; nil means http.DefaultClient.
	Client *http.Client
	// Logger receives one line per file; nil means no logging.
	Logger *slog.Logger
	// Progress, when set, receives a progress bar per download (bytes,
	// percent, rate): one line redrawn in place when ProgressRedraw is set
	// (a terminal), else a line per 10%.
	Progress       io.Writer
	ProgressRedraw bool
	// Attempts is how many times a download that breaks off is resumed
	// (HTTP Range on the .part file) before Fetch gives up; 0 means 5.
	Attempts int
}

// imdbDoneMarker, inside destDir/aclImdb, records the sha256 of the archive a
// complete extraction came from.
const imdbDoneMarker = ".fetched-from-sha256"

// Fetch downloads the sources into destDir, laid out as LoadIMDB,
// LoadSimilarityLists, LoadAnalogies, LoadUD and LoadRTPolarity expect.
// Every download is checked against its size and sha256 (a mismatch is an
// error naming the URL, the expected and the actual value) and written
// atomically (a .part file, then a rename); a file already present with
// the right sha256 is not downloaded again. A download that breaks off is
// resumed where it stopped (HTTP Range), in this call or the next. Fetch goes on after a failed
// source and returns all errors joined, unless ctx is cancelled.
func Fetch(ctx context.Context, destDir string, opts FetchOptions) error {
	sources := opts.Sources
	if sources == nil {
		sources = DefaultSources()
	}
	if len(opts.Datasets) > 0 {
		known := map[string]bool{}
		for _, s := range sources {
			known[s.Dataset] = true
		}
		for _, d := range opts.Datasets {
			if !known[d] {
				names := make([]string, 0, len(known))
				for k := range known {
					names = append(names, k)
				}
				slices.Sort(names)
				return fmt.Errorf("fetch: unknown dataset %q: want one of %s", d, strings.Join(names, ", "))
			}
		}
		sources = slices.DeleteFunc(slices.Clone(sources), func(s Source) bool { return !slices.Contains(opts.Datasets, s.Dataset) })
	}
	f := fetcher{destDir: destDir, opts: opts, client: opts.Client, log: opts.Logger}
	if f.client == nil {
		f.client = http.DefaultClient
	}
	if f.log == nil {
		f.log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(destDir, 0o755); err != nil {
		return fmt.Errorf("fetch: %w", err)
	}
	var errs []error
	for _, src := range sources {
		if err := ctx.Err(); err != nil {
			return errors.Join(append(errs, fmt.Errorf("fetch: %w", err))...)
		}
		var err error
		switch src.Unpack {
		case Keep:
			err = f.file(ctx, src)
		case UnpackIMDB:
			err = f.imdb(ctx, src)
		default:
			err = fmt.Errorf("fetch %s: unknown Unpack %d", src.URL, src.Unpack)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

type fetcher struct {
	destDir string
	opts    FetchOptions
	client  *http.Client
	log     *slog.Logger
}

func (f *fetcher) dest(src Source) (string, error) {
	p := path.Clean(src.Path)
	if src.Path == "" || path.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../") {
		return "", fmt.Errorf("fetch %s: destination %q is not a path inside the data directory", src.URL, src.Path)
	}
	return filepath.Join(f.destDir, filepath.FromSlash(p)), nil
}

// file fetches one source into its Path unless it is already there.
func (f *fetcher) file(ctx context.Context, src Source) error {
	dest, err := f.dest(src)
	if err != nil {
		return err
	}
	if sum, err := fileSHA256(dest); err == nil {
		if sum == src.SHA256 {
			f.log.Info("already present", "file", dest)
			return nil
		}
		f.log.Warn("present with another sha256, downloading again", "file", dest, "sha256", sum, "want", src.SHA256)
	}
	return f.download(ctx, src, dest)
}

// download fetches src.URL into dest through dest+".part" (see resume.go),
// checking size and sha256 before the rename.
func (f *fetcher) download(ctx context.Context, src Source, dest string) error {
	u, err := f.url(src.URL)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return fmt.Errorf("fetch %s: %w", u, err)
	}
	n, err := f.resumable(ctx, u, src, dest)
	if err != nil {
		return fmt.Errorf("fetch %s: %w", u, err)
	}
	f.log.Info("downloaded", "url", u, "file", dest, "bytes", n)
	return nil
}

// url applies FetchOptions.BaseURL.
func (f *fetcher) url(raw string) (string, error) {
	if f.opts.BaseURL == "" {
		return raw, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("fetch %s: %w", raw, err)
	}
	return strings.TrimSuffix(f.opts.BaseURL, "/") + u.EscapedPath(), nil
}

// imdb downloads the aclImdb tarball and extracts its reviews into
// destDir/aclImdb, unless a complete extraction of the same archive is there.
func (f *fetcher) imdb(ctx context.Context, src Source) error {
	final := filepath.Join(f.destDir, "aclImdb")
	marker := filepath.Join(final, imdbDoneMarker)
	if done, err := os.ReadFile(marker); err == nil && strings.TrimSpace(string(done)) == src.SHA256 {
		f.log.Info("already present", "dir", final)
		return nil
	}
	if _, err := os.Stat(final); err == nil {
		return fmt.Errorf("fetch %s: %s exists but is not a complete extraction of this archive (no %s); remove it and fetch again",
			src.URL, final, imdbDoneMarker)
	}
	archive, err := f.dest(src)
	if err != nil {
		return err
	}
	if err := f.file(ctx, src); err != nil {
		return err
	}
	partial := filepath.Join(f.destDir, ".aclImdb.partial")
	if err := os.RemoveAll(partial); err != nil {
		return fmt.Errorf("fetch %s: %w", src.URL, err)
	}
	n, err := extractIMDB(ctx, archive, partial)
	if err == nil {
		err = os.WriteFile(filepath.Join(partial, imdbDoneMarker), []byte(src.SHA256+"\n"), 0o644)
	}
	if err == nil {
		err = os.Rename(partial, final)
	}
	if err != nil {
		os.RemoveAll(partial)
		return fmt.Errorf("fetch %s: extract %s: %w", src.URL, archive, err)
	}
	f.log.Info("extracted", "archive", archive, "dir", final, "files", n)
	if err := os.Remove(archive); err != nil {
		f.log.Warn("could not remove the archive", "file", archive, "err", err)
	}
	return nil
}

// imdbMembers are the members of aclImdb_v1.tar.gz that extractIMDB keeps
// (path.Match patterns); the bag-of-words features, vocabularies and URL
// lists are left out.
var imdbMembers = []string{
	"aclImdb/README",
	"aclImdb/train/pos/*.txt",
	"aclImdb/train/neg/*.txt",
	"aclImdb/train/unsup/*.txt",
	"aclImdb/test/pos/*.txt",
	"aclImdb/test/neg/*.txt",
}

// extractIMDB writes the wanted regular-file members of the tar.gz archive
// under dir (dir/train/pos/0_9.txt for aclImdb/train/pos/0_9.txt) and
// returns how many it wrote.
func extractIMDB(ctx context.Context, archive, dir string) (int, error) {
	file, err := os.Open(archive)
	if err != nil {
		return 0, err
	}
	defer file.Close()
	zr, err := gzip.NewReader(file)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	n := 0
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, err
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		name := path.Clean(strings.TrimPrefix(hdr.Name, "./"))
		if !wantedIMDBMember(name) {
			continue
		}
		if n%1000 == 0 && ctx.Err() != nil {
			return n, ctx.Err()
		}
		dest := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(name, "aclImdb/")))
		if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
			return n, err
		}
		out, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return n, err
		}
		_, err = io.Copy(out, tr)
		if closeErr := out.Close(); err == nil {
			err = closeErr
		}
		if err != nil {
			return n, fmt.Errorf("%s: %w", name, err)
		}
		n++
	}
	return n, nil
}

func wantedIMDBMember(name string) bool {
	for _, pattern := range imdbMembers {
		if ok, _ := path.Match(pattern, name); ok {
			return true
		}
	}
	return false
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
