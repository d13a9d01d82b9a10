package sweep

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/mt2st/mt2st/internal/ctxio"
	"github.com/mt2st/mt2st/results"
)

// CollectSummary counts what Collect did with the sources' trials.
type CollectSummary struct {
	Copied       int // finished trials new to the destination
	Replaced     int // done trials that replaced a failed one
	AlreadyThere int // finished in the destination already: left alone
	Unfinished   int // no valid marker in the source: not copied
	Trials       int // trials in the merged manifest
}

// Collect merges sweep directories (say, the results of workers on
// different machines) into out. Only trials with a valid marker are copied,
// record first and marker last, each file atomically, so an interrupted
// collect never leaves a trial that looks finished but is not. A trial
// already finished in out is kept: a trial never appears twice. A done trial
// replaces a failed one. The manifests are merged (union by trial id, in
// first-seen order).
func Collect(out string, sources []string) (*CollectSummary, error) {
	absOut, err := filepath.Abs(out)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(absOut, TrialsDir), 0o755); err != nil {
		return nil, fmt.Errorf("sweep collect: %w", err)
	}
	sum := &CollectSummary{}
	var manifest []Trial
	seen := map[string]bool{}
	addTrials := func(path string) error {
		ts, err := ReadManifest(path)
		if err != nil {
			return err
		}
		if len(manifest) > 0 && len(ts) > 0 && ts[0].Sweep != manifest[0].Sweep {
			return fmt.Errorf("%s is sweep %s, not %s: collect one sweep per destination", path, ctxio.Quote(ts[0].Sweep), ctxio.Quote(manifest[0].Sweep))
		}
		for _, t := range ts {
			if !seen[t.ID] {
				seen[t.ID] = true
				t.Index = len(manifest)
				manifest = append(manifest, t)
			}
		}
		return nil
	}
	if _, err := os.Stat(filepath.Join(absOut, ManifestFile)); err == nil {
		if err := addTrials(filepath.Join(absOut, ManifestFile)); err != nil {
			return nil, fmt.Errorf("sweep collect: %w", err)
		}
	}
	for _, src := range sources {
		absSrc, err := filepath.Abs(src)
		if err != nil {
			return nil, err
		}
		if absSrc == absOut {
			return nil, fmt.Errorf("sweep collect: %s is the destination", src)
		}
		if _, err := os.Stat(filepath.Join(absSrc, ManifestFile)); err == nil {
			if err := addTrials(filepath.Join(absSrc, ManifestFile)); err != nil {
				return nil, fmt.Errorf("sweep collect: %w", err)
			}
		}
		ids, err := trialIDs(absSrc)
		if err != nil {
			return nil, fmt.Errorf("sweep collect %s: %w", src, err)
		}
		if ids == nil {
			if _, err := os.Stat(absSrc); err != nil {
				return nil, fmt.Errorf("sweep collect: %w", err)
			}
		}
		for _, id := range ids {
			from := ReadState(absSrc, id)
			if from.Marker == nil {
				sum.Unfinished++
				continue
			}
			to := ReadState(absOut, id)
			switch {
			case to.State == StateDone, to.State == StateFailed && from.State == StateFailed:
				sum.AlreadyThere++
				continue
			case to.State == StateFailed:
				sum.Replaced++
			default:
				sum.Copied++
			}
			if err := copyTrial(from.Dir, TrialDir(absOut, id)); err != nil {
				return sum, fmt.Errorf("sweep collect: trial %s: %w", id, err)
			}
			if st := ReadState(absOut, id); st.State != from.State {
				return sum, fmt.Errorf("sweep collect: trial %s is %s after the copy, want %s (%s)", id, st.State, from.State, st.Problem)
			}
		}
	}
	if len(manifest) > 0 {
		if err := WriteManifest(filepath.Join(absOut, ManifestFile), manifest); err != nil {
			return sum, err
		}
	}
	sum.Trials = len(manifest)
	return sum, nil
}

// copyTrial copies a finished trial's files: the marker last, after any
// marker already in dst is removed.
func copyTrial(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.Mkdir(dst, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	if err := checkTrialDir(dst); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(dst, MarkerFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || strings.HasPrefix(name, ".") || name == MarkerFile || name == ProgressFile {
			continue
		}
		if err := copyFile(filepath.Join(src, name), filepath.Join(dst, name)); err != nil {
			return err
		}
	}
	return copyFile(filepath.Join(src, MarkerFile), filepath.Join(dst, MarkerFile))
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return results.WriteFileAtomic(to, b)
}
