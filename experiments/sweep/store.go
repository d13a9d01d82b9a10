package sweep

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/mt2st/mt2st/internal/ctxio"
	"github.com/mt2st/mt2st/results"
)

// The layout of a sweep's output directory:
//
//	OUT/manifest.jsonl         the plan, one Trial per line (line i = trial i)
//	OUT/sweep.yaml             a copy of the sweep file the plan came from
//	OUT/logs/worker-N.log      each worker process's standard error
//	OUT/trials/<id>/trial.json the trial (written before it starts)
//	OUT/trials/<id>/<id>.json  its run record (results.WriteRecord, atomic)
//	OUT/trials/<id>/progress.json  the last finished epoch, while it runs
//	OUT/trials/<id>/DONE       the done marker, written atomically last
//	OUT/trials/<id>/.lock      held (flock) by the process running it
const (
	ManifestFile = "manifest.jsonl"
	SweepCopy    = "sweep.yaml"
	TrialsDir    = "trials"
	LogsDir      = "logs"
	TrialFile    = "trial.json"
	ProgressFile = "progress.json"
	MarkerFile   = "DONE"
	lockFile     = ".lock"
)

// States of a trial on disk.
const (
	StateDone       = "done"       // a valid marker says done and the record matches it
	StateFailed     = "failed"     // a valid marker says failed
	StateUnfinished = "unfinished" // started (its directory exists) but no valid marker
	StateRunning    = "running"    // unfinished, and a live process holds its lock
	StatePending    = "pending"    // in the plan, never started
)

// Marker is the content of a trial's DONE file: how the trial ended and the
// SHA-256 of its record, so a record that does not match is never counted.
type Marker struct {
	ID       string    `json:"id"`
	Status   string    `json:"status"`           // results.StatusDone or results.StatusFailed
	Record   string    `json:"record,omitempty"` // record file name in the trial directory
	SHA256   string    `json:"sha256,omitempty"` // of the record file
	Error    string    `json:"error,omitempty"`
	Finished time.Time `json:"finished"`
	Host     string    `json:"host,omitempty"`
	PID      int       `json:"pid,omitempty"`
}

// Progress is a running trial's last finished epoch.
type Progress struct {
	Epoch   int       `json:"epoch"`
	Epochs  int       `json:"epochs"`
	Val     float64   `json:"val_accuracy"`
	Seconds float64   `json:"cum_seconds"`
	Updated time.Time `json:"updated"`
	Host    string    `json:"host,omitempty"`
	PID     int       `json:"pid,omitempty"`
}

// TrialDir is where a trial's files are.
func TrialDir(out, id string) string { return filepath.Join(out, TrialsDir, id) }

// TrialState is what a trial directory holds.
type TrialState struct {
	ID       string
	Dir      string
	State    string
	Marker   *Marker   // nil unless done or failed
	Progress *Progress // last progress, when any
	// Problem says why a marker was not accepted (unfinished only).
	Problem string
}

// ReadState inspects one trial directory. A marker counts only when it
// parses, names this trial, and (for a record) the record's SHA-256 matches:
// a record from a killed writer or a stale marker makes the trial
// unfinished, never done.
func ReadState(out, id string) TrialState {
	dir := TrialDir(out, id)
	st := TrialState{ID: id, Dir: dir, State: StatePending}
	if _, err := os.Lstat(dir); err != nil {
		return st
	}
	st.State = StateUnfinished
	if err := checkTrialDir(dir); err != nil {
		st.Problem = err.Error()
		return st
	}
	if b, err := readRegular(filepath.Join(dir, ProgressFile)); err == nil {
		var p Progress
		if json.Unmarshal(b, &p) == nil {
			st.Progress = &p
		}
	}
	m, err := readMarker(dir, id)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			st.Problem = err.Error()
		}
		if locked(dir) {
			st.State = StateRunning
		}
		return st
	}
	st.Marker = m
	st.State = StateFailed
	if m.Status == results.StatusDone {
		st.State = StateDone
	}
	return st
}

// checkTrialDir refuses a trial directory that is not a plain directory: a
// symbolic link planted under OUT/trials is never followed, so no trial is
// read from or written to outside the sweep's directory.
func checkTrialDir(dir string) error {
	st, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("trial directory %s is a symbolic link: not followed (remove it)", dir)
	}
	if !st.IsDir() {
		return fmt.Errorf("trial directory %s is not a directory", dir)
	}
	return nil
}

// readRegular reads a file of a trial directory, refusing anything but a
// regular file: a symbolic link is not followed.
func readRegular(path string) ([]byte, error) {
	st, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (mode %s): not followed", path, st.Mode().Type())
	}
	return os.ReadFile(path)
}

func readMarker(dir, id string) (*Marker, error) {
	b, err := readRegular(filepath.Join(dir, MarkerFile))
	if err != nil {
		return nil, err
	}
	var m Marker
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("marker %s: %w", filepath.Join(dir, MarkerFile), err)
	}
	if m.ID != id {
		return nil, fmt.Errorf("marker %s names trial %q", filepath.Join(dir, MarkerFile), m.ID)
	}
	switch m.Status {
	case results.StatusFailed:
		if m.Record == "" {
			return &m, nil
		}
	case results.StatusDone:
		if m.Record == "" {
			return nil, fmt.Errorf("marker %s: done without a record", filepath.Join(dir, MarkerFile))
		}
	default:
		return nil, fmt.Errorf("marker %s: status %q", filepath.Join(dir, MarkerFile), ctxio.Quote(m.Status))
	}
	// The record is always the trial's own <id>.json in the trial directory:
	// a marker naming any other path (say ../../../../etc/passwd) is refused.
	if want, err := results.RecordFileName(id); err != nil || m.Record != want {
		return nil, fmt.Errorf("marker %s: record %s: want %q", filepath.Join(dir, MarkerFile), ctxio.Quote(m.Record), want)
	}
	sum, err := fileSHA256(filepath.Join(dir, m.Record))
	if err != nil {
		return nil, fmt.Errorf("marker %s: record: %w", filepath.Join(dir, MarkerFile), err)
	}
	if sum != m.SHA256 {
		return nil, fmt.Errorf("marker %s: record %s does not match (sha256 %s, marker says %s)", filepath.Join(dir, MarkerFile), m.Record, sum, m.SHA256)
	}
	return &m, nil
}

func fileSHA256(path string) (string, error) {
	b, err := readRegular(path)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// writeJSON writes v as indented JSON, atomically.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return results.WriteFileAtomic(path, append(b, '\n'))
}

// finishTrial writes the done marker for a trial whose record (if any) is
// already in place: the last write of a trial.
func finishTrial(dir string, m Marker) error {
	if m.Record != "" {
		sum, err := fileSHA256(filepath.Join(dir, m.Record))
		if err != nil {
			return fmt.Errorf("finish trial %s: %w", m.ID, err)
		}
		m.SHA256 = sum
	}
	if m.Finished.IsZero() {
		m.Finished = time.Now().UTC()
	}
	m.Host, _ = os.Hostname()
	m.PID = os.Getpid()
	if err := writeJSON(filepath.Join(dir, MarkerFile), m); err != nil {
		return fmt.Errorf("finish trial %s: %w", m.ID, err)
	}
	return nil
}

// CheckSameSweep refuses to write the plan of sweep name into out when out
// already holds another sweep's manifest: two sweeps sharing one --out would
// overwrite each other's manifest and mix their trials. A manifest that
// cannot be read is reported too; no manifest is fine.
func CheckSameSweep(out, name string) error {
	path := filepath.Join(out, ManifestFile)
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	trials, err := ReadManifest(path)
	if err != nil {
		return fmt.Errorf("%s already holds a sweep whose manifest cannot be read (%w): use another --out", out, err)
	}
	if stored := trials[0].Sweep; stored != name {
		return fmt.Errorf("%s already holds sweep %s (%s): sweep %s would overwrite its manifest: use another --out", out, ctxio.Quote(stored), path, ctxio.Quote(name))
	}
	return nil
}

// WriteManifest writes trials as JSON lines (line i = trial i), atomically.
func WriteManifest(path string, trials []Trial) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, t := range trials {
		if err := enc.Encode(t); err != nil {
			return fmt.Errorf("write manifest: %w", err)
		}
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("write manifest: %w", err)
		}
	}
	if err := results.WriteFileAtomic(path, b.Bytes()); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	return nil
}

// ReadManifest reads a manifest. Every line must be a trial whose ID still
// matches its configuration: a manifest written by a version of this program
// whose configurations hash differently is refused rather than run under
// the wrong name.
func ReadManifest(path string) ([]Trial, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	defer f.Close()
	var trials []Trial
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.DisallowUnknownFields()
		var t Trial
		if err := dec.Decode(&t); err != nil {
			return nil, fmt.Errorf("read manifest %s line %d: %w", path, line, err)
		}
		if t.Index != len(trials) {
			return nil, fmt.Errorf("read manifest %s line %d: trial index %d, want %d (one trial per line, in order)", path, line, t.Index, len(trials))
		}
		if id := t.Config.ID(); id != t.ID {
			return nil, fmt.Errorf("read manifest %s line %d: trial %s: its configuration now hashes to %s (written by another version of mt2st?): regenerate the manifest", path, line, t.ID, id)
		}
		trials = append(trials, t)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read manifest %s: %w", path, err)
	}
	if len(trials) == 0 {
		return nil, fmt.Errorf("read manifest %s: no trials", path)
	}
	return trials, nil
}

// trialIDs lists the trial directories under out.
func trialIDs(out string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(out, TrialsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range entries {
		// Symbolic links are listed so that ReadState reports them (as
		// unfinished, with the reason); they are never followed.
		if (e.IsDir() || e.Type()&fs.ModeSymlink != 0) && !strings.HasPrefix(e.Name(), ".") {
			ids = append(ids, e.Name())
		}
	}
	sort.Strings(ids)
	return ids, nil
}
