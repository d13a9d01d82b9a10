package results

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestWriteReadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	r := run("MT2ST-Switch", "3: +similarity +analogy", "switch:epoch=15,lambda=1", 7,
		Metrics{"accuracy": 0.812, "macro_f1": 0.8, "analogy/3cosadd": 0.1}, []float64{0.5, 0.6}, []float64{1.5, 0.25})
	r.Config = map[string]any{"epochs": 25.0, "encoder": "bag"}
	r.GitRevision = "abc"
	r.Finished = r.Started.Add(90 * time.Second)
	r.EvalSeconds = 3.5
	r.Epochs[1].Aux = Metrics{"similarity/spearman_mean": 0.25}

	path, err := WriteRecord(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, r.ID+".json"); path != want {
		t.Errorf("path = %s, want %s", path, want)
	}
	got, err := ReadRecord(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Errorf("round trip changed the record:\n got %+v\nwant %+v", got, r)
	}
	// Writing again replaces the file atomically and leaves no temp file.
	r.Final["accuracy"] = 0.9
	if _, err := WriteRecord(dir, r); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("dir holds %d entries after two writes, want 1 (no temp leftovers)", len(entries))
	}
	got, _ = ReadRecord(path)
	if got.Final["accuracy"] != 0.9 {
		t.Errorf("second write not visible: %v", got.Final)
	}
}

func TestWriteRecordDefaultsSchemaWithoutMutating(t *testing.T) {
	dir := t.TempDir()
	r := &Record{ID: "x", Status: StatusDone}
	path, err := WriteRecord(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	if r.Schema != 0 {
		t.Errorf("WriteRecord modified its argument: schema %d", r.Schema)
	}
	got, err := ReadRecord(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Schema != SchemaVersion {
		t.Errorf("schema = %d, want %d", got.Schema, SchemaVersion)
	}
}

func TestWriteRecordRejectsBadIDs(t *testing.T) {
	for _, id := range []string{"", ".", "..", "a/b", `a\b`, ".hidden"} {
		if _, err := WriteRecord(t.TempDir(), &Record{ID: id}); err == nil {
			t.Errorf("id %q accepted", id)
		}
	}
}

// A writer killed between creating its temp file and the rename leaves a
// partial temp file behind; it must never be read as a record.
func TestLeftoverTempFileIsNeverRead(t *testing.T) {
	dir := t.TempDir()
	good := run("STL", "", "stl", 1, Metrics{"accuracy": 0.8}, []float64{0.8}, []float64{1})
	if _, err := WriteRecord(dir, good); err != nil {
		t.Fatal(err)
	}
	// The same name pattern WriteFileAtomic uses, with half a record inside.
	partial := filepath.Join(dir, ".STL--2.json.123456"+tempSuffix)
	if err := os.WriteFile(partial, []byte(`{"schema": 1, "id": "STL--2", "status": "do`), 0o644); err != nil {
		t.Fatal(err)
	}
	// Even a complete-looking hidden file is skipped.
	if err := os.WriteFile(filepath.Join(dir, ".STL--3.json"), []byte(`{"schema":1,"id":"STL--3","status":"done"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, err := ReadDir(dir)
	if err != nil {
		t.Fatalf("ReadDir read a temp file: %v", err)
	}
	if len(recs) != 1 || recs[0].ID != good.ID {
		t.Errorf("ReadDir = %d records, want only %s", len(recs), good.ID)
	}
}

func TestCorruptFileIsNamed(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "trial-ab12")
	for i, r := range sweepFixture()[:2] {
		d := dir
		if i == 1 {
			d = sub
		}
		if _, err := WriteRecord(d, r); err != nil {
			t.Fatal(err)
		}
	}
	bad := filepath.Join(sub, "broken.json")
	if err := os.WriteFile(bad, []byte("{\n  \"schema\": 1,\n  \"id\": \"broken\",\n  \"epochs\": [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadDir(dir)
	if err == nil {
		t.Fatal("ReadDir accepted a truncated record")
	}
	if !strings.Contains(err.Error(), bad) {
		t.Errorf("error %q does not name %s", err, bad)
	}
	var fe FileError
	if !errors.As(err, &fe) || fe.Path != bad {
		t.Errorf("error is not a FileError for %s: %#v", bad, err)
	}

	// The lenient scan keeps both good records (one in a sub-directory).
	scan, err := ScanDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(scan.Records) != 2 || len(scan.Problems) != 1 || scan.Problems[0].Path != bad {
		t.Errorf("ScanDir: %d records, problems %v; want 2 records and %s", len(scan.Records), scan.Problems, bad)
	}
}

func TestSyntaxErrorGivesLine(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "r.json")
	os.WriteFile(p, []byte("{\n\"schema\": 1,\n\"id\": x\n}\n"), 0o644)
	_, err := ReadRecord(p)
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("error %v should point at line 3", err)
	}
}

func TestNonRecordJSONIsSkipped(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "sweep.json"), []byte(`{"axes": {"eta": [0.1, 0.3]}}`), 0o644)
	if _, err := ReadRecord(filepath.Join(dir, "sweep.json")); !errors.Is(err, ErrNotRecord) {
		t.Errorf("ReadRecord error = %v, want ErrNotRecord", err)
	}
	scan, err := ScanDir(dir)
	if err != nil || len(scan.Records) != 0 || len(scan.Problems) != 0 || len(scan.Skipped) != 1 {
		t.Errorf("ScanDir = %+v, %v; want one skipped file", scan, err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	p := filepath.Join(t.TempDir(), "r.json")
	os.WriteFile(p, []byte(`{"schema": 999, "id": "r"}`), 0o644)
	if _, err := ReadRecord(p); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("error = %v, want a schema refusal", err)
	}
}

func TestDuplicateIDsAreReported(t *testing.T) {
	dir := t.TempDir()
	r := sweepFixture()[0]
	WriteRecord(filepath.Join(dir, "a"), r)
	WriteRecord(filepath.Join(dir, "b"), r)
	if _, err := ReadDir(dir); err == nil || !strings.Contains(err.Error(), "already read") {
		t.Errorf("ReadDir error = %v, want duplicate id", err)
	}
	scan, _ := ScanDir(dir)
	if len(scan.Records) != 1 || len(scan.Problems) != 1 {
		t.Errorf("ScanDir kept %d records, %d problems; want 1 and 1", len(scan.Records), len(scan.Problems))
	}
}

func TestReadDirOrdersByStartTime(t *testing.T) {
	dir := t.TempDir()
	recs := sweepFixture()
	// Write in reverse, under names whose lexical order differs from start order.
	for i := len(recs) - 1; i >= 0; i-- {
		if _, err := WriteRecord(dir, recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Fixture Started = seed seconds, so order is by seed, then by path.
	for i := 1; i < len(got); i++ {
		if got[i].Started.Before(got[i-1].Started) {
			t.Fatalf("record %d (%s) started before record %d (%s)", i, got[i].ID, i-1, got[i-1].ID)
		}
	}
	scan, _ := ScanDir(dir)
	if u := scan.Unfinished(); len(u) != 1 || u[0].Status != StatusFailed {
		t.Errorf("Unfinished = %v, want the failed Switch run", u)
	}
}

func TestScanDirErrors(t *testing.T) {
	if _, err := ScanDir(filepath.Join(t.TempDir(), "absent")); err == nil {
		t.Error("missing directory accepted")
	}
	f := filepath.Join(t.TempDir(), "file")
	os.WriteFile(f, nil, 0o644)
	if _, err := ScanDir(f); err == nil {
		t.Error("a file accepted as directory")
	}
}

// A version 1 record kept describe, selected_epoch and sweep in its Config
// map; it still loads, with them in their own fields.
func TestVersion1RecordLoadsIntoTypedFields(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.json")
	const v1 = `{"schema": 1, "id": "paper-stl-s1-abc", "status": "done",
  "config": {"protocol": "paper", "describe": {"data": {"vocab": 16506}}, "selected_epoch": 7,
             "sweep": {"name": "s", "index": 3, "replicate": 2, "values": {"lr": "0.01"}}}}`
	if err := os.WriteFile(path, []byte(v1), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := ReadRecord(path)
	if err != nil {
		t.Fatal(err)
	}
	if r.SelectedEpoch != 7 || r.Describe["data"] == nil || r.Sweep == nil || r.Sweep.Replicate != 2 || r.Sweep.Values["lr"] != "0.01" {
		t.Errorf("lifted fields: selected %d, describe %v, sweep %+v", r.SelectedEpoch, r.Describe, r.Sweep)
	}
	if _, left := r.Config["selected_epoch"]; left || r.Config["protocol"] != "paper" {
		t.Errorf("config after lifting: %v", r.Config)
	}
}

// A check inside an epoch reaches the target before the epoch's end does:
// its seconds count, not the epoch's.
func TestTimeToTargetUsesChecksInsideEpochs(t *testing.T) {
	r := &Record{Epochs: []Epoch{
		{Epoch: 1, Val: Metrics{"accuracy": 0.6}, CumSeconds: 10,
			Checks: []ValCheck{{Step: 5, CumSeconds: 4, Val: Metrics{"accuracy": 0.5}}}},
		{Epoch: 2, Val: Metrics{"accuracy": 0.9}, CumSeconds: 20,
			Checks: []ValCheck{{Step: 15, CumSeconds: 14, Val: Metrics{"accuracy": 0.8}}}},
	}}
	if h := r.TimeToTarget("accuracy", 0.75); !h.Reached || h.Epoch != 2 || h.Seconds != 14 {
		t.Errorf("target 0.75: %+v, want epoch 2 at the check's 14 s", h)
	}
	if h := r.TimeToTarget("accuracy", 0.6); !h.Reached || h.Epoch != 1 || h.Seconds != 10 {
		t.Errorf("target 0.6: %+v, want epoch 1's end at 10 s", h)
	}
}
