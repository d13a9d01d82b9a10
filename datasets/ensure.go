package datasets

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// EnvOffline set to 1 (or true) forbids Ensure to download anything, like
// EnsureOptions.Offline (the --offline flag).
const EnvOffline = "MT2ST_OFFLINE"

// completeMarker, in the cache directory, says that a Fetch of every source
// into it finished.
const completeMarker = ".fetch-complete"

// EnsureOptions adjusts Ensure.
type EnsureOptions struct {
	// Markers are the paths of which one must exist in a data directory
	// (ResolveDirFor); nil means those of ResolveDir.
	Markers []string
	// Offline forbids downloading; $MT2ST_OFFLINE=1 does too.
	Offline bool
	// Fetch is how the data is downloaded (Sources, BaseURL, Client,
	// Progress, ...); its Datasets field is ignored: everything is fetched.
	Fetch FetchOptions
	// Notice, when set, is told where and how much is downloaded, before it
	// starts.
	Notice io.Writer
}

// Offline reports whether $MT2ST_OFFLINE asks for no downloads.
func Offline() bool {
	switch os.Getenv(EnvOffline) {
	case "1", "true", "TRUE", "True", "yes":
		return true
	}
	return false
}

// Ensure returns the data directory, downloading the data on first use.
// It resolves flagValue as ResolveDirFor does; when nothing is found
// (ErrNoData: no --data flag, no $MT2ST_DATA, no ../shared/data) it fetches
// every source into CacheDir(), with sha256 checks, a progress bar and
// resumable downloads (see Fetch), and returns that directory; a later call
// finds it there. A cache directory whose download did not finish is
// completed first. Offline mode returns the ErrNoData error with the ways
// to get the data instead.
func Ensure(ctx context.Context, flagValue string, opts EnsureOptions) (string, error) {
	markers := opts.Markers
	if markers == nil {
		markers = dataMarkers
	}
	offline := opts.Offline || Offline()
	cache, cacheErr := CacheDir()
	dir, err := ResolveDirFor(flagValue, markers...)
	if err == nil {
		if cacheErr != nil || dir != cache || fileExists(filepath.Join(cache, completeMarker)) || offline {
			return dir, nil
		}
		// The cache holds part of the data: a download broke off.
	} else if !errors.Is(err, ErrNoData) {
		return "", err
	}
	if cacheErr != nil {
		return "", errors.Join(err, cacheErr)
	}
	if offline {
		return "", fmt.Errorf("%w\nOffline (--offline or %s=1), so nothing was downloaded. Either run without --offline to download the "+
			"public originals into %s on first use, or run `mt2st data --out DIR` where there is internet access and copy DIR here",
			err, EnvOffline, cache)
	}
	sources := opts.Fetch.Sources
	if sources == nil {
		sources = DefaultSources()
	}
	var total int64
	for _, s := range sources {
		total += s.Size
	}
	if opts.Notice != nil {
		fmt.Fprintf(opts.Notice, "No data directory found: downloading the public datasets (%s, once) into %s.\n"+
			"(--offline or %s=1 prevents this; --data DIR or %s=DIR uses another copy.)\n",
			formatBytes(total), cache, EnvOffline, EnvDataDir)
	}
	fo := opts.Fetch
	fo.Sources, fo.Datasets = sources, nil
	if err := Fetch(ctx, cache, fo); err != nil {
		return "", fmt.Errorf("download the data into %s (run the same command again to resume): %w", cache, err)
	}
	if err := os.WriteFile(filepath.Join(cache, completeMarker), []byte("every source fetched and checked\n"), 0o644); err != nil {
		return "", fmt.Errorf("download the data into %s: %w", cache, err)
	}
	return ResolveDirFor(cache, markers...)
}
