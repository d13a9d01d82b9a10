package sweep

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mt2st/mt2st/results"
)

// Entry is one trial of a sweep directory: its state on disk and, when the
// directory has a manifest that lists it, the trial.
type Entry struct {
	TrialState
	Trial *Trial // nil for a trial directory the manifest does not list
}

// Status lists the trials of a sweep directory: those of its manifest in
// plan order (pending when they never started), then trial directories the
// manifest does not list.
func Status(out string) ([]Entry, error) {
	info, err := os.Stat(out)
	if err != nil {
		return nil, fmt.Errorf("sweep status: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("sweep status: %s is not a directory", out)
	}
	var trials []Trial
	if _, err := os.Stat(filepath.Join(out, ManifestFile)); err == nil {
		if trials, err = ReadManifest(filepath.Join(out, ManifestFile)); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var entries []Entry
	listed := map[string]bool{}
	for i := range trials {
		t := &trials[i]
		listed[t.ID] = true
		entries = append(entries, Entry{TrialState: ReadState(out, t.ID), Trial: t})
	}
	ids, err := trialIDs(out)
	if err != nil {
		return nil, fmt.Errorf("sweep status: %w", err)
	}
	for _, id := range ids {
		if !listed[id] {
			entries = append(entries, Entry{TrialState: ReadState(out, id)})
		}
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("sweep status: %s holds no sweep (no %s, no %s/)", out, ManifestFile, TrialsDir)
	}
	return entries, nil
}

// Count tallies entries by state.
func Count(entries []Entry) map[string]int {
	n := map[string]int{}
	for _, e := range entries {
		n[e.State]++
	}
	return n
}

// StatusTable shows every trial: index, label, replicate, state, the last
// epoch reached, test accuracy or the error.
func StatusTable(entries []Entry) *results.Table {
	t := &results.Table{Title: "Trials",
		Header:  []string{"#", "configuration", "rep", "state", "epoch", "test acc", "trial / error"},
		Numeric: []bool{true, false, true, false, true, true, false}}
	t.CSVHeader = []string{"index", "label", "replicate", "state", "epoch", "epochs", "test_accuracy", "id", "error"}
	for _, e := range entries {
		idx, lbl, rep := "–", "(not in the manifest)", "–"
		if e.Trial != nil {
			idx, lbl, rep = strconv.Itoa(e.Trial.Index), e.Trial.Label, strconv.Itoa(e.Trial.Replicate)
		}
		epoch, epochs := "–", ""
		if e.Progress != nil {
			epoch = fmt.Sprintf("%d/%d", e.Progress.Epoch, e.Progress.Epochs)
			epochs = strconv.Itoa(e.Progress.Epochs)
		}
		acc, accCSV := "–", ""
		detail := e.ID
		if e.Marker != nil && e.Marker.Error != "" {
			detail = shortLine(e.Marker.Error)
		} else if e.Problem != "" {
			detail = shortLine(e.Problem)
		}
		if e.State == StateDone {
			if r, err := results.ReadRecord(filepath.Join(e.Dir, e.Marker.Record)); err == nil {
				if v, ok := r.Final.Metric("accuracy"); ok {
					acc, accCSV = fmt.Sprintf("%.4f", v), strconv.FormatFloat(v, 'g', -1, 64)
				}
				epoch = fmt.Sprintf("%d/%d", len(r.Epochs), len(r.Epochs))
			}
		}
		t.Rows = append(t.Rows, []results.Cell{{Text: idx}, {Text: lbl}, {Text: rep}, {Text: e.State}, {Text: epoch}, {Text: acc}, {Text: detail}})
		errText := ""
		if e.Marker != nil {
			errText = e.Marker.Error
		}
		t.CSVRows = append(t.CSVRows, []string{idx, lbl, rep, e.State, epoch, epochs, accCSV, e.ID, errText})
	}
	n := Count(entries)
	var parts []string
	for _, s := range []string{StateDone, StateFailed, StateRunning, StateUnfinished, StatePending} {
		if n[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[s], s))
		}
	}
	t.Notes = []string{fmt.Sprintf("%d trials: %s. done and failed trials have a valid DONE marker; unfinished ones were started but not finished (killed or interrupted) and rerun with `sweep run`; failed ones rerun with --retry-failed.",
		len(entries), strings.Join(parts, ", "))}
	return t
}

// Records returns the records of a sweep directory's trials that have a
// valid marker (done, and failed ones that left a record), in plan order,
// and the record files that could not be read. Unfinished trials never
// contribute, whatever files they left.
func Records(out string) ([]*results.Record, []results.FileError, error) {
	entries, err := Status(out)
	if err != nil {
		return nil, nil, err
	}
	var recs []*results.Record
	var problems []results.FileError
	for _, e := range entries {
		if e.Marker == nil || e.Marker.Record == "" {
			continue
		}
		path := filepath.Join(e.Dir, e.Marker.Record)
		r, err := results.ReadRecord(path)
		if err != nil {
			problems = append(problems, results.FileError{Path: path, Err: err})
			continue
		}
		recs = append(recs, r)
	}
	return recs, problems, nil
}

// Report builds the sweep report of a sweep directory: groups by
// configuration over replicates, Δ vs STL, time to target and speed-ups
// (see package results). When every configuration has the same task setting
// (the usual sweep), the setting is taken off the groups, so tables and
// plot legends show just the configurations, and returned as common.
func Report(out string, opts results.ReportOptions) (rep *results.SweepReport, common string, err error) {
	recs, problems, err := Records(out)
	if err != nil {
		return nil, "", err
	}
	if len(recs) == 0 {
		return nil, "", fmt.Errorf("sweep report: %s has no finished trial yet", out)
	}
	rep = results.BuildReport(recs, opts)
	rep.Problems = problems
	common = rep.Groups[0].Setting
	for _, g := range rep.Groups {
		if g.Setting != common {
			return rep, "", nil
		}
	}
	for _, g := range rep.Groups {
		g.Setting = ""
	}
	return rep, common, nil
}
