package datasets

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// EnvDataDir is the environment variable naming the data directory.
const EnvDataDir = "MT2ST_DATA"

// dataMarkers are the paths, relative to a data directory, of which at least
// one must exist for the directory to count as holding the data: the IMDB
// TSV of the shared copy, or the folder layout that Fetch extracts.
var dataMarkers = []string{
	filepath.Join("imdb", "train.tsv.gz"),
	filepath.Join("aclImdb", "train", "pos"),
}

// ResolveDir finds the data directory. Candidates, in order:
//
//  1. flagValue, when non-empty (the --data flag);
//  2. $MT2ST_DATA, when set;
//  3. ../shared/data relative to the working directory;
//  4. ../shared/data relative to the directory of the nearest go.mod above the
//     working directory (so tests in sub-packages and `go run` from
//     sub-folders find it too);
//  5. the user's cache directory, CacheDir(), where Ensure downloads the data
//     on first use.
//
// A candidate qualifies when it holds imdb/train.tsv.gz or aclImdb/train/pos.
// A flag or variable that is set but does not qualify is an error rather
// than a reason to look elsewhere. The result is an absolute path. When
// nothing qualifies, the error (which matches ErrNoData) lists every place
// looked and how to get the data.
func ResolveDir(flagValue string) (string, error) {
	return ResolveDirFor(flagValue, dataMarkers...)
}

// EvalMarkers are what `mt2st eval` needs: the similarity lists and the
// analogy questions, not the reviews.
var EvalMarkers = []string{filepath.Join("analogy", "questions-words.txt")}

// ResolveDirFor is ResolveDir for a command that needs other files: a
// candidate qualifies when it holds at least one of markers (paths relative
// to the data directory).
func ResolveDirFor(flagValue string, markers ...string) (string, error) {
	holdsData := func(dir string) bool {
		for _, m := range markers {
			if fileExists(filepath.Join(dir, m)) || dirExists(filepath.Join(dir, m)) {
				return true
			}
		}
		return false
	}
	checkExplicitDir := func(dir, source string) (string, error) {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return "", fmt.Errorf("data directory %q (from %s): %w", dir, source, err)
		}
		if !dirExists(abs) {
			return "", fmt.Errorf("data directory %s (from %s) does not exist; download the data with `mt2st data --out %s`", abs, source, dir)
		}
		if !holdsData(abs) {
			return "", fmt.Errorf("data directory %s (from %s) holds neither %s; download the data with `mt2st data --out %s`",
				abs, source, strings.Join(markers, " nor "), dir)
		}
		return abs, nil
	}
	if flagValue != "" {
		return checkExplicitDir(flagValue, "--data")
	}
	if env, ok := os.LookupEnv(EnvDataDir); ok && env != "" {
		return checkExplicitDir(env, "$"+EnvDataDir)
	}
	type candidate struct{ dir, why string }
	var looked []candidate
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find data directory: %w", err)
	}
	looked = append(looked, candidate{filepath.Join(wd, "..", "shared", "data"), "../shared/data from the working directory"})
	if root, ok := moduleRoot(wd); ok && root != wd {
		looked = append(looked, candidate{filepath.Join(root, "..", "shared", "data"), "../shared/data from the module root " + root})
	}
	if cache, err := CacheDir(); err == nil {
		looked = append(looked, candidate{cache, "the user cache, where data is downloaded on first use"})
	}
	for _, c := range looked {
		if holdsData(c.dir) {
			return filepath.Clean(c.dir), nil
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "no data directory found: looked for %s in\n", strings.Join(markers, " or "))
	for _, c := range looked {
		fmt.Fprintf(&b, "  %s (%s)\n", filepath.Clean(c.dir), c.why)
	}
	fmt.Fprintf(&b, "(no --data flag given, $%s not set).\n", EnvDataDir)
	fmt.Fprintf(&b, "Download the data with `mt2st data --out DIR` (or `go run . data --out DIR`), then point at it with --data DIR or %s=DIR", EnvDataDir)
	return "", &noDataError{msg: b.String()}
}

// ErrNoData matches (errors.Is) the error of ResolveDir and ResolveDirFor
// when no --data flag or $MT2ST_DATA was given and no candidate holds the
// data: the case in which Ensure downloads it.
var ErrNoData = errors.New("no data directory found")

type noDataError struct{ msg string }

func (e *noDataError) Error() string        { return e.msg }
func (e *noDataError) Is(target error) bool { return target == ErrNoData }

// CacheDir is where Ensure downloads the data on first use:
// <user cache>/mt2st/data, with the user cache from os.UserCacheDir
// ($XDG_CACHE_HOME, else ~/.cache, on Linux).
func CacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the user cache directory: %w", err)
	}
	return filepath.Join(dir, "mt2st", "data"), nil
}

// moduleRoot returns the nearest directory at or above dir holding a go.mod.
func moduleRoot(dir string) (string, bool) {
	for {
		if fileExists(filepath.Join(dir, "go.mod")) {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}
