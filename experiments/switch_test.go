package experiments

import (
	"context"
	"slices"
	"testing"

	"github.com/mt2st/mt2st/datasets"
)

// After a Switch only the primary task trains, so embedding rows that only
// the auxiliary tasks touch must not change after the switch epoch; before
// it, the auxiliary gradient must reach exactly those rows of the words it
// trains on. Three runs of tinyConfig with the last epoch selected: A
// switches after epoch 1 and trains 3 epochs, B is A stopped after epoch 1,
// C is STL for 3 epochs. Rows outside the primary's training tokens (the
// reviews are cut at 50 tokens, so the vocabulary has words sentiment never
// reads) must be equal in A and B (nothing moved them after the switch) and
// equal in C to their initial values; rows that differ between A and C are
// auxiliary-only rows the auxiliary heads changed, and every one of them must
// be a word of a similarity pair. (The similarity head reads only its pairs'
// rows; analogy also samples negative answers from the whole vocabulary, so
// the "which rows" check uses similarity alone.)
//
// It needs the real data: the fixture's reviews hold nearly every word of
// its lists, so it has almost no auxiliary-only rows.
func TestSwitchFreezesAuxiliaryOnlyRowsAndAuxGradientFlows(t *testing.T) {
	dir, err := datasets.ResolveDir("")
	if err != nil {
		t.Skipf("real data not found: %v", err)
	}
	data := NewData(dir)
	run := func(strategy string, epochs int) *Trained {
		t.Helper()
		c := tinyConfig(t, strategy, "sentiment", "similarity")
		// 120 of the real reviews, cut at 50 tokens: sentiment never reads
		// many of the words the lists hold.
		c.Sample, c.TestSize, c.MaxTokens = 120, 40, 50
		c.DataDir, c.Epochs, c.Select = dir, epochs, "last"
		tr, err := Run(context.Background(), c, data, Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	a, b, c := run("switch:epoch=1,lambda=1", 3), run("switch:epoch=1,lambda=1", 1), run("stl", 3)

	primary := map[int32]bool{}
	for _, d := range a.Data.Documents.Train {
		for _, id := range d.IDs {
			primary[id] = true
		}
	}
	auxWords := map[string]bool{}
	lists, err := datasets.LoadSimilarityLists(data.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lists {
		for _, p := range l.Pairs {
			auxWords[p.A], auxWords[p.B] = true, true
		}
	}
	ea, eb, ec := a.Model.Embedding, b.Model.Embedding, c.Model.Embedding
	dim := ea.Dim
	row := func(w []float32, i int) []float32 { return w[i*dim : (i+1)*dim] }
	auxOnly, movedAfterSwitch, movedByAux, primaryMoved := 0, 0, 0, 0
	for i := range ea.Rows {
		if primary[int32(i)] {
			if !slices.Equal(row(ea.W, i), row(eb.W, i)) {
				primaryMoved++
			}
			continue
		}
		auxOnly++
		if !slices.Equal(row(ea.W, i), row(eb.W, i)) {
			movedAfterSwitch++
		}
		if !slices.Equal(row(ea.W, i), row(ec.W, i)) {
			movedByAux++
			if w := a.Data.Vocab.Word(int32(i)); !auxWords[w] {
				t.Errorf("row %d (%q) moved under the auxiliary tasks but is in no similarity pair", i, w)
			}
		}
	}
	if auxOnly == 0 {
		t.Fatal("no auxiliary-only rows: the test would check nothing")
	}
	if movedAfterSwitch != 0 {
		t.Errorf("%d of %d auxiliary-only rows changed after the switch", movedAfterSwitch, auxOnly)
	}
	if movedByAux == 0 {
		t.Errorf("no auxiliary-only row changed in epoch 1: the auxiliary gradient did not reach the embedding")
	}
	if primaryMoved == 0 {
		t.Error("no primary row changed after the switch: training stopped")
	}
	t.Logf("%d auxiliary-only rows: %d moved by the auxiliary heads in epoch 1, %d after the switch; %d primary rows moved after it",
		auxOnly, movedByAux, movedAfterSwitch, primaryMoved)
}
