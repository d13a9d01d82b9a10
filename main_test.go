package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestScheduleJSONEqualsFormula(t *testing.T) {
	code, out, errs := runCLI(t, "schedule", "--strategy", "diminish:gamma=1,eta=0.3,nu=1", "--epochs", "3", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rows []struct {
		Epoch   int                `json:"epoch"`
		Weights map[string]float64 `json:"weights"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows {
		want := math.Exp(-0.3 * float64(r.Epoch)) // γ·exp(−η·t^ν) with γ=1, ν=1
		for _, task := range []string{"similarity", "analogy"} {
			if math.Abs(r.Weights[task]-want) > 1e-15 {
				t.Errorf("epoch %d %s: %v, want %v", r.Epoch, task, r.Weights[task], want)
			}
		}
	}
}

func TestScheduleTableMarksSwitch(t *testing.T) {
	code, out, _ := runCLI(t, "schedule", "--strategy", "switch:epoch=2", "--epochs", "3", "--tasks", "similarity")
	if code != 0 || !strings.Contains(out, "primary only") || strings.Count(out, "similarity") < 3 {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

func TestErrorsAreClear(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"fly"}, 2, `unknown command "fly"`},
		{[]string{"schedule", "--strategy", "anneal"}, 1, "valid strategies are stl, mtl, diminish, diminish-squared, switch"},
		{[]string{"schedule", "--strategy", "mtl:lamda=1"}, 1, `unknown key "lamda" for mtl: valid keys are lambda`},
		{[]string{"schedule"}, 1, "--strategy is required"},
		{[]string{"schedule", "--bogus"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"eval"}, 1, "--vectors is required"},
		{[]string{"eval", "--vectors", "/no/such/file.txt"}, 1, "/no/such/file.txt"},
		{[]string{"train", "--tasks", "sentiment,sentimnt"}, 1, `unknown task "sentimnt": registered tasks are`},
		{[]string{"train", "--protocol", "glue"}, 1, `unknown protocol "glue"`},
		{[]string{"train", "--batch", "-3"}, 1, "--batch: -3: want a positive integer or full"},
		{[]string{"train", "--lr", "inf"}, 1, `--lr: "inf" is not a finite number`},
		{[]string{"train", "--set", "sentiment.hiden=3"}, 2, "sentiment has no option hiden: its options are batch, eval_batch, hidden"},
		{[]string{"train", "--set", "epoch=3"}, 2, `unknown option "epoch": valid options are`},
		{[]string{"train", "--tasks", "sentiment,analogy", "--strategy", "mtl:similarity.lambda=2"}, 1, "similarity is not an auxiliary task of this run"},
		{[]string{"reproduce", "--strategies", "anneal"}, 1, `--strategies: unknown strategy "anneal"`},
		{[]string{"train", "--data", "/no/such/dir"}, 1, "/no/such/dir"},
		{[]string{"train", "--tasks", ""}, 1, "tasks: none given"},
		{[]string{"train", "--data", "testdata/data", "--data-check=false", "--sample", "100", "--test-size", "99"}, 1, "no validation reviews"},
		{[]string{"train", "--data", "testdata/data", "--data-check=false", "--sample", "100", "--test-size", "20", "--min-count", "100000"}, 1, "empty vocabulary: no word occurs min count 100000 times"},
	}
	for _, c := range cases {
		code, _, errs := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args, code, errs, c.code, c.want)
		}
	}
}

func TestHelpOnEveryCommand(t *testing.T) {
	for name := range commands {
		code, _, errs := runCLI(t, name, "--help")
		if code != 0 || !strings.Contains(errs, "usage: mt2st "+name) {
			t.Errorf("%s --help: exit %d, %q", name, code, errs)
		}
	}
	if code, _, errs := runCLI(t, "--help"); code != 0 || !strings.Contains(errs, "reproduce") {
		t.Errorf("--help: exit %d, %q", code, errs)
	}
	if code, out, errs := runCLI(t); code != 2 || out != "" || !strings.Contains(errs, "usage: mt2st COMMAND") {
		t.Errorf("no arguments: exit %d, stdout %q, stderr %q; want exit 2 and usage on stderr only", code, out, errs)
	}
}

func TestEvalJSONShape(t *testing.T) {
	// The gensim-trained fixture of package wordvec (2,980 words × 25).
	// On the data fixture (testdata/data/README.md): 13 lists, 14 sections.
	code, out, errs := runCLI(t, "eval", "--vectors", "wordvec/testdata/vectors.txt.gz", "--restrict-vocab", "1000", "--json", "--data", "testdata/data")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep struct {
		Similarity map[string]struct {
			Spearman *float64 `json:"spearman"`
			Pearson  *float64 `json:"pearson"`
			Pairs    *int     `json:"pairs"`
			OOV      *float64 `json:"oov"`
		} `json:"similarity"`
		Analogy struct {
			Sections map[string]struct {
				CosAdd    *float64 `json:"3cosadd"`
				CosMul    *float64 `json:"3cosmul"`
				Questions *int     `json:"questions"`
			} `json:"sections"`
			Total struct {
				CosAdd    *float64 `json:"3cosadd"`
				CosMul    *float64 `json:"3cosmul"`
				Questions *int     `json:"questions"`
				OOV       *float64 `json:"oov"`
			} `json:"total"`
		} `json:"analogy"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Similarity) != 13 || rep.Similarity["EN-WS-353-ALL"].Pairs == nil || rep.Similarity["EN-WS-353-ALL"].OOV == nil {
		t.Errorf("similarity part: %d lists, WS-353: %+v", len(rep.Similarity), rep.Similarity["EN-WS-353-ALL"])
	}
	if len(rep.Analogy.Sections) != 14 || rep.Analogy.Sections["capital-common-countries"].CosAdd == nil {
		t.Errorf("analogy part: %d sections", len(rep.Analogy.Sections))
	}
	tot := rep.Analogy.Total
	if tot.CosAdd == nil || tot.CosMul == nil || tot.Questions == nil || tot.OOV == nil || *tot.CosAdd < 0 || *tot.CosAdd > 1 || *tot.OOV < 0 || *tot.OOV > 1 {
		t.Errorf("total: %+v", tot)
	}
}
