package results

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// failedInfix marks the file name of a failed attempt kept beside a done
// record: <id>.failed-<UTC time>.json.
const failedInfix = ".failed-"

// isKeptFailure reports whether name is a failed attempt that
// WriteRunRecord kept beside a done record.
func isKeptFailure(name string) bool {
	return strings.Contains(name, failedInfix) && strings.HasSuffix(name, RecordExt)
}

// WriteRunRecord is WriteRecord for a command that may rerun a finished run
// into the same directory: a record that is not done never replaces a done
// one. It then goes beside it, as dir/<id>.failed-<UTC time>.json, and
// keptDone is the done record's path (empty otherwise). ScanDir and ReadDir
// do not read such files: the done record is the run's result.
func WriteRunRecord(dir string, r *Record) (path, keptDone string, err error) {
	if r == nil || r.Done() {
		path, err = WriteRecord(dir, r)
		return path, "", err
	}
	name, err := RecordFileName(r.ID)
	if err != nil {
		return "", "", fmt.Errorf("write record: %w", err)
	}
	existing := filepath.Join(dir, name)
	prev, err := ReadRecord(existing)
	if err != nil || !prev.Done() {
		// No record, an unreadable one or a failed one: nothing to keep.
		path, err = WriteRecord(dir, r)
		return path, "", err
	}
	stamp := r.Finished
	if stamp.IsZero() {
		stamp = time.Now()
	}
	path, err = writeRecordAs(dir, r.ID+failedInfix+stamp.UTC().Format("20060102T150405.000000000Z")+RecordExt, r)
	if err != nil {
		return "", "", err
	}
	return path, existing, nil
}

// CheckWritable makes sure records can be written to dir before a run
// spends its time: it creates dir and writes and removes a probe file.
func CheckWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("directory %s is not usable: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, ".probe-*"+tempSuffix)
	if err != nil {
		return fmt.Errorf("directory %s is not writable: %w", dir, err)
	}
	name := f.Name()
	_, werr := f.Write([]byte("probe\n"))
	cerr := f.Close()
	rerr := os.Remove(name)
	if err := errors.Join(werr, cerr, rerr); err != nil {
		return fmt.Errorf("directory %s is not writable: %w", dir, err)
	}
	return nil
}

// CheckWritableFile makes sure a file can later be written at path (through
// a temporary file in its directory and a rename, as the writers here do):
// path must not be a directory, and its directory must be writable (it is
// created if needed).
func CheckWritableFile(path string) error {
	if path == "" {
		return errors.New("empty file name")
	}
	st, err := os.Stat(path)
	switch {
	case err == nil && st.IsDir():
		return fmt.Errorf("%s is a directory, want a file name", path)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: %w", path, err)
	}
	return CheckWritable(filepath.Dir(path))
}
