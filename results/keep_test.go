package results

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWriteRunRecordKeepsDoneRecord(t *testing.T) {
	dir := t.TempDir()
	done := &Record{ID: "run1", Status: StatusDone, Final: Metrics{"accuracy": 0.8}}
	path, kept, err := WriteRunRecord(dir, done)
	if err != nil || kept != "" || path != filepath.Join(dir, "run1.json") {
		t.Fatalf("first write: %q, kept %q, %v", path, kept, err)
	}
	failed := &Record{ID: "run1", Status: StatusFailed, Error: "interrupted",
		Finished: time.Date(2026, 12, 1, 15, 4, 5, 0, time.UTC)}
	path, kept, err = WriteRunRecord(dir, failed)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "run1.failed-20261201T150405.000000000Z.json"); path != want || kept != filepath.Join(dir, "run1.json") {
		t.Fatalf("failed rerun went to %q (kept %q), want %q beside the done record", path, kept, want)
	}
	if r, err := ReadRecord(filepath.Join(dir, "run1.json")); err != nil || !r.Done() || r.Final["accuracy"] != 0.8 {
		t.Fatalf("done record after a failed rerun: %+v, %v", r, err)
	}
	if r, err := ReadRecord(path); err != nil || r.ID != "run1" || r.Error != "interrupted" {
		t.Fatalf("failed record kept aside: %+v, %v", r, err)
	}
	// The directory still reads as one run, the done one.
	recs, err := ReadDir(dir)
	if err != nil || len(recs) != 1 || !recs[0].Done() {
		t.Fatalf("ReadDir: %d records, %v; want the done one only", len(recs), err)
	}
	// A failed record replaces a failed one, and a done one replaces anything.
	dir2 := t.TempDir()
	for _, r := range []*Record{{ID: "x", Status: StatusFailed}, {ID: "x", Status: StatusFailed, Error: "again"}, {ID: "x", Status: StatusDone}} {
		path, kept, err := WriteRunRecord(dir2, r)
		if err != nil || kept != "" || path != filepath.Join(dir2, "x.json") {
			t.Fatalf("write %s/%s: %q, kept %q, %v", r.Status, r.Error, path, kept, err)
		}
	}
}

func TestCheckWritable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	if err := CheckWritable(dir); err != nil {
		t.Fatalf("new directory: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("probe left %d files behind", len(entries))
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CheckWritable(filepath.Join(file, "sub")); err == nil || !strings.Contains(err.Error(), file) {
		t.Fatalf("directory under a file: error %v, want one naming %s", err, file)
	}
	if os.Geteuid() != 0 { // root writes anywhere
		ro := t.TempDir()
		if err := os.Chmod(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(ro, 0o755) })
		if err := CheckWritable(ro); err == nil || !strings.Contains(err.Error(), "not writable") {
			t.Fatalf("read-only directory: error %v, want not writable", err)
		}
	}
}

func TestCheckWritableFile(t *testing.T) {
	dir := t.TempDir()
	if err := CheckWritableFile(filepath.Join(dir, "new", "v.txt")); err != nil {
		t.Fatalf("file in a new directory: %v", err)
	}
	if err := CheckWritableFile(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Fatalf("directory: error %v, want is a directory", err)
	}
	if err := CheckWritableFile(""); err == nil {
		t.Fatal("empty path accepted")
	}
}
