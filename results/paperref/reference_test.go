package paperref

import (
	"strings"
	"testing"
)

// The embedded file as REFERENCE.md describes it: 94 lines with the
// header, 26 runs in each root log and 5 in each GloVe-Twitter benchmark
// log.
func TestRunsPerLog(t *testing.T) {
	if lines := strings.Count(strings.TrimSpace(string(referenceCSV)), "\n") + 1; lines != 94 {
		t.Errorf("%d lines, want 94", lines)
	}
	rs, err := Runs()
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 93 {
		t.Errorf("%d runs, want 93", len(rs))
	}
	got := map[string]int{}
	for _, r := range rs {
		got[r.Log]++
	}
	want := map[string]int{
		"training_mt.log": 26, "training_mt2st_dimish.log": 26, "training_mt2st_switch.log": 26,
		"benchmark/Glove-Twitter/mt": 5, "benchmark/Glove-Twitter/dimish": 5, "benchmark/Glove-Twitter/switch": 5,
	}
	if len(got) != len(want) {
		t.Errorf("logs %v, want %v", got, want)
	}
	for log, n := range want {
		if got[log] != n {
			t.Errorf("%s: %d runs, want %d", log, got[log], n)
		}
	}
}

// One row read by hand from reference_runs.csv (line 36):
// training_mt2st_dimish.log,9,Diminish,w2v-sg,2,0.6,0.6,0.81,24,
// and one with an empty first epoch and a note (line 69).
func TestRunsRowsByHand(t *testing.T) {
	rs, err := Runs()
	if err != nil {
		t.Fatal(err)
	}
	want := Run{Log: "training_mt2st_dimish.log", Index: 9, Strategy: "Diminish", Embedding: "w2v-sg", Setting: "2",
		TestAccuracy: 0.6, MacroF1: 0.6, TrainAccLast: 0.81, FirstEpochTrain08: 24}
	if rs[34] != want {
		t.Errorf("line 36: %+v, want %+v", rs[34], want)
	}
	r := rs[67] // training_mt2st_switch.log,16,Switch,fasttext-sg,1,0.58,0.58,0.82,24,"every Switch ..."
	if r.Log != "training_mt2st_switch.log" || r.Index != 16 || r.TestAccuracy != 0.58 || r.FirstEpochTrain08 != 24 ||
		!strings.HasPrefix(r.Note, "every Switch setting runs identical code") {
		t.Errorf("line 69: %+v", r)
	}
	if r := rs[7]; r.FirstEpochTrain08 != 0 || r.Setting != "1" || r.Embedding != "w2v-sg" {
		t.Errorf("line 9 (no epoch reached 0.8): %+v", r)
	}
	if _, ok := rs[0].SettingIndex(); ok || rs[0].Setting != "baseline" {
		t.Errorf("line 2: setting %q, want baseline", rs[0].Setting)
	}
}

func TestParseRejects(t *testing.T) {
	head := strings.Join(csvHeader, ",") + "\n"
	for name, body := range map[string]string{
		"header":   "log,run\nx,1\n",
		"strategy": head + "l,1,STL,w2v-sg,0,0.5,0.5,0.5,,\n",
		"setting":  head + "l,1,MTL,w2v-sg,4,0.5,0.5,0.5,,\n",
		"accuracy": head + "l,1,MTL,w2v-sg,0,1.5,0.5,0.5,,\n",
		"epoch":    head + "l,1,MTL,w2v-sg,0,0.5,0.5,0.5,0,\n",
		"run":      head + "l,x,MTL,w2v-sg,0,0.5,0.5,0.5,,\n",
	} {
		if _, err := parse([]byte(body)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
