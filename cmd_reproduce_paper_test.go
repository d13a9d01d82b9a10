package main

import (
	"strings"
	"testing"
)

// The paper table's flag errors come before any data is looked up or any
// run starts.
func TestReproducePaperTableFlagErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--paper-table", "--inits", "foo"}, `"foo" is not an embedding of the paper's table; valid: cbow,skipgram,fasttext-cbow,fasttext-sg,glove`},
		{[]string{"--paper-table", "--inits", "cbow,cbow"}, "cbow listed twice"},
		{[]string{"--paper-table", "--inits", ","}, "inits: none given"},
		{[]string{"--inits", "cbow"}, "--inits: only with --paper-table"},
		{[]string{"--glove", "x.txt"}, "--glove: only with --paper-table"},
		{[]string{"--plan"}, "--plan: only with --paper-table"},
		{[]string{"--paper-table", "--strategies", "mtl"}, "the paper table runs the paper's strategies"},
		{[]string{"--paper-table", "--protocol", "imdb"}, "the paper table runs the paper protocol"},
		{[]string{"--paper-table", "--init", "cbow", "--inits", "cbow"}, "choose embeddings with --inits"},
		{[]string{"--paper-table", "--glove", "/no/such/glove.txt"}, "--glove /no/such/glove.txt: want a word2vec file"},
	}
	for _, c := range cases {
		code, _, errs := runCLI(t, append([]string{"reproduce"}, c.args...)...)
		if code != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 1 and %q", c.args, code, errs, c.want)
		}
	}
}

// --plan prints the trials and the estimate and runs nothing: 13
// configurations × 2 inits × 2 replicates.
func TestReproducePaperTablePlan(t *testing.T) {
	code, out, errs := runCLI(t, "reproduce", "--paper-table", "--plan", "--inits", "skipgram,glove", "--seeds", "2", "--out", t.TempDir())
	if code != 0 || !strings.Contains(out, "2 embeddings (skipgram,glove) × 13 configurations × 2 replicates = 52 trials, 25 epochs each") ||
		!strings.Contains(out, "estimated wall time") || strings.Contains(out, "mt2st reproduce: protocol") {
		t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if code, _, errs := runCLI(t, "reproduce", "--help"); code != 0 || !strings.Contains(errs, "--paper-table") {
		t.Errorf("reproduce --help: exit %d, %q", code, errs)
	}
}
