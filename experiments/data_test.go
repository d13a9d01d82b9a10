package experiments

import (
	"context"
	"strings"
	"testing"

	"github.com/mt2st/mt2st/text"
)

// Every fake review carries its own marker word (fakeData), so a validation
// review's marker occurs in no other review.
func TestVocabularyExcludesValidationReviews(t *testing.T) {
	dir := fakeData(t)
	p, err := smallData(dir).Prepare(context.Background(), fakeConfig(t, dir, "sentiment"))
	if err != nil {
		t.Fatal(err)
	}
	nVal := len(p.Documents.Val)
	if nVal == 0 || len(p.Documents.Train) == 0 {
		t.Fatalf("%d validation and %d training reviews: the fixture should give both", nVal, len(p.Documents.Train))
	}
	marker := func(doc string) string {
		w := text.Tokenize(doc)[0]
		if !strings.HasPrefix(w, "marker") {
			t.Fatalf("review %q does not start with its marker", doc)
		}
		return w
	}
	for _, r := range p.heldOut[:nVal] { // validation, then test
		if w := marker(r.Text); inVocab(p.Vocab, w) {
			t.Errorf("%q, which occurs only in a validation review, is in the vocabulary", w)
		}
	}
	// The training reviews' markers are in it (min count 1), so the check above
	// is not passing because markers are dropped.
	for i, d := range p.Documents.Train {
		if d.IDs[0] == text.UnknownID {
			t.Errorf("training review %d: its marker is not in the vocabulary", i)
		}
	}
}

func inVocab(v *text.Vocab, w string) bool {
	id, ok := v.Lookup(w)
	return ok && id != text.UnknownID
}
