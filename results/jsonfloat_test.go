package results

import (
	"math"
	"os"
	"strings"
	"testing"
)

func TestNonFiniteValuesSurviveTheStore(t *testing.T) {
	dir := t.TempDir()
	r := run("MTL", "", "mtl:lambda=1", 1, Metrics{"accuracy": 0.7, "similarity/spearman_mean": math.NaN()},
		[]float64{0.6}, []float64{1})
	r.Epochs[0].Loss["similarity"] = math.Inf(1) // a diverged loss
	r.Epochs[0].Val["macro_f1"] = math.NaN()
	path, err := WriteRecord(dir, r)
	if err != nil {
		t.Fatalf("a record with NaN/Inf could not be written: %v", err)
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), `"similarity/spearman_mean": null`) || !strings.Contains(string(data), `"similarity": null`) {
		t.Errorf("non-finite values not written as null:\n%s", data)
	}
	got, err := ReadRecord(path)
	if err != nil {
		t.Fatal(err)
	}
	if v := got.Final["similarity/spearman_mean"]; !math.IsNaN(v) {
		t.Errorf("Final spearman = %v, want NaN", v)
	}
	if v := got.Epochs[0].Loss["similarity"]; !math.IsNaN(v) {
		t.Errorf("loss = %v, want NaN (null read back)", v)
	}
	if got.Epochs[0].Loss["sentiment"] != 0.7 || got.Epochs[0].Weights["similarity"] != 0.5 || got.Epochs[0].CumSeconds != 1 {
		t.Errorf("finite values changed: %+v", got.Epochs[0])
	}
	// NaN is "not measured": missing in tables, not aggregated.
	if s := GroupRecords([]*Record{got})[0].Summarize(ColSpearman); s.Valid() {
		t.Errorf("NaN Spearman aggregated: %+v", s)
	}
}

func TestMetricsJSONKeepsNilAndOrder(t *testing.T) {
	var m Metrics
	b, err := m.MarshalJSON()
	if err != nil || string(b) != "null" {
		t.Errorf("nil Metrics = %s, %v", b, err)
	}
	b, _ = Metrics{"b": 1, "a": 0.5}.MarshalJSON()
	if string(b) != `{"a":0.5,"b":1}` {
		t.Errorf("Metrics JSON = %s", b)
	}
	var back Metrics
	if err := back.UnmarshalJSON([]byte(`{"x": null, "y": 2}`)); err != nil || !math.IsNaN(back["x"]) || back["y"] != 2 {
		t.Errorf("UnmarshalJSON = %v, %v", back, err)
	}
}
