package sweep

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mt2st/mt2st/results"
)

// finishedTrial writes a trial directory as a worker leaves it: the record
// <id>.json, then a done marker holding its SHA-256.
func finishedTrial(t *testing.T, dir, id string) {
	t.Helper()
	if _, err := results.WriteRecord(dir, &results.Record{ID: id, Status: results.StatusDone}); err != nil {
		t.Fatal(err)
	}
	if err := finishTrial(dir, Marker{ID: id, Status: results.StatusDone, Record: id + ".json"}); err != nil {
		t.Fatal(err)
	}
}

func TestMarkerRecordMustBeTheTrialsOwn(t *testing.T) {
	out := t.TempDir()
	const id = "t1"
	dir := TrialDir(out, id)
	outside := filepath.Join(t.TempDir(), "secret.json")
	if err := os.WriteFile(outside, []byte(`{"schema": 1, "id": "t1", "status": "done"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(dir, outside)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// finishTrial computes the SHA-256 of whatever the marker names, so the
	// planted marker is otherwise perfectly valid.
	if err := finishTrial(dir, Marker{ID: id, Status: results.StatusDone, Record: rel}); err != nil {
		t.Fatal(err)
	}
	st := ReadState(out, id)
	want := fmt.Sprintf("marker %s: record %q: want %q", filepath.Join(dir, MarkerFile), rel, id+".json")
	if st.State != StateUnfinished || st.Problem != want {
		t.Fatalf("state %s, problem %q; want unfinished, %q", st.State, st.Problem, want)
	}
	recs, _, err := Records(out)
	if err != nil || len(recs) != 0 {
		t.Fatalf("Records read %d records (%v) through a marker pointing outside", len(recs), err)
	}
	dst := t.TempDir()
	sum, err := Collect(dst, []string{out})
	if err != nil || sum.Copied != 0 || sum.Unfinished != 1 {
		t.Fatalf("collect: %+v, %v; want the trial left as unfinished", sum, err)
	}
}

func TestSymlinksUnderTrialsAreNotFollowed(t *testing.T) {
	out := t.TempDir()
	elsewhere := t.TempDir()
	finishedTrial(t, elsewhere, "t1")
	if err := os.MkdirAll(filepath.Join(out, TrialsDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, TrialDir(out, "t1")); err != nil {
		t.Fatal(err)
	}
	st := ReadState(out, "t1")
	if st.State != StateUnfinished || !strings.Contains(st.Problem, "is a symbolic link: not followed") {
		t.Fatalf("symlinked trial: state %s, problem %q", st.State, st.Problem)
	}
	// Status lists it with the reason; a worker refuses to write through it.
	entries, err := Status(out)
	if err != nil || len(entries) != 1 || entries[0].Problem == "" {
		t.Fatalf("status: %+v, %v", entries, err)
	}
	_, err = RunTrial(context.Background(), Trial{ID: "t1"}, WorkerOptions{Out: out, Train: nil})
	if err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("RunTrial through a symlink: error %v", err)
	}
	if _, err := os.Lstat(filepath.Join(elsewhere, TrialFile)); err == nil {
		t.Fatal("RunTrial wrote through the symlink")
	}
	// Collect into a destination whose trial directory is a planted symlink.
	src := t.TempDir()
	finishedTrial(t, TrialDir(src, "t2"), "t2")
	dst := t.TempDir()
	target := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dst, TrialsDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, TrialDir(dst, "t2")); err != nil {
		t.Fatal(err)
	}
	if _, err := Collect(dst, []string{src}); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("collect into a symlink: error %v", err)
	}
	if entries, _ := os.ReadDir(target); len(entries) != 0 {
		t.Fatalf("collect wrote %d files through the symlink", len(entries))
	}
	// A marker that is itself a symlink is not read.
	out3 := t.TempDir()
	finishedTrial(t, elsewhere, "t3")
	dir3 := TrialDir(out3, "t3")
	if err := os.MkdirAll(dir3, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{MarkerFile, "t3.json"} {
		if err := os.Symlink(filepath.Join(elsewhere, name), filepath.Join(dir3, name)); err != nil {
			t.Fatal(err)
		}
	}
	if st := ReadState(out3, "t3"); st.State != StateUnfinished || !strings.Contains(st.Problem, "not a regular file") {
		t.Fatalf("symlinked marker: state %s, problem %q", st.State, st.Problem)
	}
}

func TestSweepNamesAreSafeFileNames(t *testing.T) {
	body := "\nbase:\n  protocol: paper\ninclude:\n  - strategy: stl\n"
	for _, c := range []struct{ name, want string }{
		{`"a\nb"`, "control character"},
		{`"a/b"`, "slash"},
		{`".hidden"`, "starts with a dot"},
		{strings.Repeat("n", 101), "101 bytes long, the limit is 100"},
	} {
		_, err := ParseBytes("s.yaml", []byte("name: "+c.name+body))
		if err == nil || !strings.Contains(err.Error(), "s.yaml line 1: name:") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("name %s: error %v, want s.yaml line 1 ... %s", c.name, err, c.want)
		}
	}
	if _, err := ParseBytes("s.yaml", []byte("name: "+strings.Repeat("n", 100)+body)); err != nil {
		t.Errorf("a 100-byte name: %v", err)
	}
	// Without name:, the file name is the sweep name and is checked too.
	if _, err := ParseBytes("bad\nname.yaml", []byte(body)); err == nil || !strings.Contains(err.Error(), "control character") {
		t.Errorf("file name with a newline: error %v", err)
	}
}

func TestSecondSweepRefusesAnothersOut(t *testing.T) {
	plan, _ := loadFake(t, fmt.Sprintf(fakeSweep, 1))
	out := t.TempDir()
	if err := WriteManifest(filepath.Join(out, ManifestFile), plan.Trials); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(out, ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckSameSweep(out, plan.Name); err != nil {
		t.Fatalf("the same sweep again: %v", err)
	}
	other := *plan
	other.Name = "other"
	_, err = Run(context.Background(), &other, fakeRunOptions(out, 1))
	if err == nil || !strings.Contains(err.Error(), `already holds sweep "fake"`) || !strings.Contains(err.Error(), `sweep "other" would overwrite its manifest`) {
		t.Fatalf("second sweep: error %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, TrialsDir)); err == nil {
		t.Fatal("the refused sweep created trials/ in the other sweep's directory")
	}
	after, _ := os.ReadFile(filepath.Join(out, ManifestFile))
	if string(after) != string(before) {
		t.Fatal("the first sweep's manifest was overwritten")
	}
}
