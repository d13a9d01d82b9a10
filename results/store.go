package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

// RecordExt is the file extension of a stored record.
const RecordExt = ".json"

// tempSuffix ends every temporary file WriteRecord creates, so that a file
// left behind by a killed process never matches *.json.
const tempSuffix = ".tmp"

// ErrNotRecord is returned (wrapped) by ReadRecord for a well-formed JSON file
// that is not a run record (no "schema" or no "id"), e.g. a sweep's own
// configuration file stored next to the records.
var ErrNotRecord = errors.New("not a run record")

// RecordFileName returns the file name WriteRecord uses for a run id, or an
// error when the id cannot be a file name.
func RecordFileName(id string) (string, error) {
	if id == "" {
		return "", errors.New("record has an empty id")
	}
	if id == "." || id == ".." || strings.HasPrefix(id, ".") || strings.ContainsAny(id, `/\`+"\x00") {
		return "", fmt.Errorf("record id %q cannot be a file name (no path separators, no leading dot)", id)
	}
	return id + RecordExt, nil
}

// WriteRecord stores r as dir/<r.ID>.json and returns that path. The write is
// atomic: the JSON goes to a temporary file in dir, which is fsynced and then
// renamed over the final name, and dir is fsynced after the rename. A reader
// therefore sees either no file, the previous version, or the complete new
// one — never a half-written record. dir is created if needed. A zero
// r.Schema is written as SchemaVersion (r itself is not modified).
func WriteRecord(dir string, r *Record) (path string, err error) {
	if r == nil {
		return "", errors.New("write record: nil record")
	}
	name, err := RecordFileName(r.ID)
	if err != nil {
		return "", fmt.Errorf("write record: %w", err)
	}
	return writeRecordAs(dir, name, r)
}

// writeRecordAs is WriteRecord with the file name given.
func writeRecordAs(dir, name string, r *Record) (path string, err error) {
	out := *r
	if out.Schema == 0 {
		out.Schema = SchemaVersion
	}
	data, err := json.MarshalIndent(&out, "", "  ")
	if err != nil {
		return "", fmt.Errorf("write record %s: encode: %w", r.ID, err)
	}
	data = append(data, '\n')
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("write record %s: %w", r.ID, err)
	}
	path = filepath.Join(dir, name)
	if err := WriteFileAtomic(path, data); err != nil {
		return "", fmt.Errorf("write record %s: %w", r.ID, err)
	}
	return path, nil
}

// WriteFileAtomic writes data to path through a temporary file in the same
// directory (hidden, ending in ".tmp"), fsynced, renamed over path, and an
// fsync of the directory: readers see the old content or the new, never a
// part. Used for records, report files and plots.
func WriteFileAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*"+tempSuffix)
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmpName, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable. Filesystems that cannot fsync a
// directory report EINVAL, which is not an error worth failing a run for.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}

// ReadRecord reads one record file. A file that is not valid JSON gives an
// error naming the path; valid JSON without "schema" and "id" gives an error
// wrapping ErrNotRecord; a record written by a newer schema is refused.
func ReadRecord(path string) (*Record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read record %s: %w", path, err)
	}
	var probe struct {
		Schema *int    `json:"schema"`
		ID     *string `json:"id"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("read record %s: %w", path, describeJSONError(data, err))
	}
	if probe.Schema == nil || probe.ID == nil {
		return nil, fmt.Errorf("read record %s: %w", path, ErrNotRecord)
	}
	if *probe.Schema > SchemaVersion {
		return nil, fmt.Errorf("read record %s: schema %d is newer than this program's %d", path, *probe.Schema, SchemaVersion)
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("read record %s: %w", path, describeJSONError(data, err))
	}
	if r.ID == "" {
		return nil, fmt.Errorf("read record %s: empty id", path)
	}
	if r.Schema < 2 {
		if err := liftV1(&r); err != nil {
			return nil, fmt.Errorf("read record %s: %w", path, err)
		}
	}
	return &r, nil
}

// liftV1 moves what version 1 kept in the Config map into its fields.
func liftV1(r *Record) error {
	if d, ok := r.Config["describe"].(map[string]any); ok {
		r.Describe = d
	}
	if e, ok := r.Config["selected_epoch"].(float64); ok {
		r.SelectedEpoch = int(e)
	}
	if s, ok := r.Config["sweep"]; ok {
		b, err := json.Marshal(s)
		if err != nil {
			return err
		}
		r.Sweep = &SweepTrial{}
		if err := json.Unmarshal(b, r.Sweep); err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
	}
	for _, k := range []string{"describe", "selected_epoch", "sweep"} {
		delete(r.Config, k)
	}
	return nil
}

// describeJSONError adds the line number to a syntax error, and says
// "truncated" for the typical leftover of a killed writer.
func describeJSONError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return fmt.Errorf("line %d: %w", line, err)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("truncated: %w", err)
	}
	return err
}

// FileError is a problem with one file met while reading a directory.
type FileError struct {
	Path string
	Err  error
}

func (e FileError) Error() string { return e.Err.Error() }
func (e FileError) Unwrap() error { return e.Err }

// Scan is what ScanDir found: the readable records and the files that could
// not be used.
type Scan struct {
	Records  []*Record
	Problems []FileError // corrupt files and duplicate ids, in path order
	Skipped  []string    // JSON files that are not records (ErrNotRecord)
}

// Unfinished returns the records whose Status is not StatusDone (failed or
// killed runs that still wrote a record): reported, never aggregated.
func (s *Scan) Unfinished() []*Record {
	var out []*Record
	for _, r := range s.Records {
		if !r.Done() {
			out = append(out, r)
		}
	}
	return out
}

// ReadDir reads every *.json record under dir, recursively, and fails on the
// first file that is not a readable record, naming it. Hidden files and
// WriteRecord's temporary files are never read, nor the failed attempts
// WriteRunRecord keeps beside a done record; JSON files that are not records
// (ErrNotRecord) are skipped. Records come back ordered by Started
// time, then path, so groups appear in the order the runs were started. Two
// files with the same record id are an error: the run would count twice.
func ReadDir(dir string) ([]*Record, error) {
	scan, err := ScanDir(dir)
	if err != nil {
		return nil, err
	}
	if len(scan.Problems) > 0 {
		return nil, scan.Problems[0]
	}
	return scan.Records, nil
}

// ScanDir is ReadDir for directories that may hold damaged files, such as a
// sweep whose workers were killed: it keeps the good records and collects a
// FileError per bad file instead of stopping. The error is non-nil only when
// dir itself cannot be walked.
func ScanDir(dir string) (*Scan, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("read records: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("read records: %s is not a directory", dir)
	}
	type found struct {
		path string
		rec  *Record
	}
	var (
		scan  Scan
		files []found
	)
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir {
				return err
			}
			scan.Problems = append(scan.Problems, FileError{Path: path, Err: fmt.Errorf("read records: %w", err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if path != dir && strings.HasPrefix(name, ".") {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(name, ".") || !strings.HasSuffix(name, RecordExt) || !d.Type().IsRegular() || isKeptFailure(name) {
			return nil
		}
		rec, err := ReadRecord(path)
		switch {
		case errors.Is(err, ErrNotRecord):
			scan.Skipped = append(scan.Skipped, path)
		case err != nil:
			scan.Problems = append(scan.Problems, FileError{Path: path, Err: err})
		default:
			files = append(files, found{path, rec})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read records in %s: %w", dir, err)
	}
	sort.SliceStable(files, func(i, j int) bool {
		a, b := files[i].rec.Started, files[j].rec.Started
		if !a.Equal(b) {
			return a.Before(b)
		}
		return files[i].path < files[j].path
	})
	firstPath := make(map[string]string, len(files))
	for _, f := range files {
		if prev, dup := firstPath[f.rec.ID]; dup {
			scan.Problems = append(scan.Problems, FileError{Path: f.path,
				Err: fmt.Errorf("read record %s: id %q already read from %s", f.path, f.rec.ID, prev)})
			continue
		}
		firstPath[f.rec.ID] = f.path
		scan.Records = append(scan.Records, f.rec)
	}
	sort.SliceStable(scan.Problems, func(i, j int) bool { return scan.Problems[i].Path < scan.Problems[j].Path })
	return &scan, nil
}
