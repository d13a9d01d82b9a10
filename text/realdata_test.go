package text_test

import (
	"testing"
	"time"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/text"
)

// TestIMDBCounts tokenises all 100,000 IMDB reviews and checks the counts
// that imdb/SOURCE.md gives (5.84M train tokens, 172,629 types, 59,145 with
// count >= 5). The exact numbers come from
// `python3 scripts/imdb_token_counts.py`, which tokenises the same way with a
// regular expression: train 5,841,708, test 5,709,723, unsup 11,719,463.
func TestIMDBCounts(t *testing.T) {
	dir, err := datasets.ResolveDir("")
	if err != nil {
		t.Skipf("real data not found, skipping: %v", err)
	}
	wantTokens := map[string]int{"train": 5841708, "test": 5709723, "unsup": 11719463}
	var counter text.Counter
	var tokenizeTime time.Duration
	buf := make([]string, 0, 4096)
	for _, split := range []string{"train", "test", "unsup"} {
		reviews, err := datasets.LoadIMDB(dir, split)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		n := 0
		for _, r := range reviews {
			buf = text.AppendTokens(buf[:0], r.Text)
			n += len(buf)
			counter.Add(buf)
		}
		tokenizeTime += time.Since(start)
		if n != wantTokens[split] {
			t.Errorf("%s: %d tokens, want %d", split, n, wantTokens[split])
		}
	}
	t.Logf("tokenised and counted 23.3M tokens in %v", tokenizeTime)
	if counter.Len() != 172629 {
		t.Errorf("%d types, want 172629", counter.Len())
	}
	v := text.BuildVocab(counter, 5, 0)
	if v.Len() != 59145+1 {
		t.Errorf("vocabulary with count >= 5: %d words + unknown, want 59145 + 1", v.Len()-1)
	}
	if got, want := counter.Total(), int64(23270894); got != want {
		t.Errorf("total %d tokens, want %d", got, want)
	}
	// Everything left out is counted under the unknown word.
	var kept int64
	for id := int32(1); id < int32(v.Len()); id++ {
		kept += v.Count(id)
	}
	if kept+v.Count(text.UnknownID) != counter.Total() {
		t.Errorf("kept %d + unknown %d != total %d", kept, v.Count(text.UnknownID), counter.Total())
	}
	if v.Word(1) != "the" {
		t.Errorf("most frequent word %q, want \"the\"", v.Word(1))
	}
}
