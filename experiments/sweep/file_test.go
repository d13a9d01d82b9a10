package sweep

import (
	"errors"
	"strings"
	"testing"
)

// TestFileErrorsNameKeyAndLine checks that every kind of mistake in a sweep
// file is reported with the file, the line and the key it is on.
func TestFileErrorsNameKeyAndLine(t *testing.T) {
	const head = "name: t\nbase:\n  protocol: paper\n" // lines 1-3
	cases := []struct {
		name, yaml string
		line       int
		key        string // must appear in the message
		msg        string // must appear in the message
	}{
		{"unknown top-level key", head + "grids:\n  lr: [1]\n", 4, "grids", "unknown key"},
		{"unknown option in base", head + "  epoch: 3\n", 4, "base.epoch", "unknown option"},
		{"integer option given a string", head + "  epochs: four\n", 4, "base.epochs", "want an integer"},
		{"integer option given a float", head + "  epochs: 2.5\n", 4, "base.epochs", "want an integer"},
		{"string option given a number", head + "  encoder: 3\n", 4, "base.encoder", "want a string"},
		{"list option given a string", head + "  tasks: sentiment\n", 4, "base.tasks", "want a list of strings"},
		{"wrong type deep in a grid", head + "grid:\n  lr: [0.1,\n       x]\n", 6, "grid.lr[1]", "want a number"},
		{"axis not a list", head + "grid:\n  lr: 0.1\n", 5, "grid.lr", "non-empty list"},
		{"seed is derived", head + "  seed: 3\n", 4, "base.seed", "derive"},
		{"unknown task in a task setting", head + "  sentimnt.hidden: 3\n", 4, "base.sentimnt.hidden", "unknown task"},
		{"repeated key", head + "  epochs: 3\n  epochs: 4\n", 5, "base.epochs", "repeated key (first on line 4)"},
		{"zipped lists of unequal length", head + "zip:\n  lr: [1, 2]\n  dim: [3]\n", 6, "zip.dim", "same length"},
		{"strategy parameter the strategy lacks", head + "  strategy: mtl\ngrid:\n  strategy.eta: [1, 2]\n", 6, "strategy.eta", "no parameter eta"},
		{"strategy parameter out of range", head + "  strategy: switch\ngrid:\n  strategy.epoch: [1.5]\n", 6, "strategy.epoch", "whole number"},
		{"per-task parameter for a task not in the run", head + "  strategy: mtl\n  tasks: [sentiment, analogy]\n  strategy.similarity.lambda: 2\n", 6, "strategy.similarity.lambda", "not an auxiliary task"},
		{"invalid value caught by validation", head + "grid:\n  epochs: [0]\n", 5, "epochs=0 (line 5)", "epochs 0"},
		{"protocol missing", "name: t\nbase:\n  epochs: 3\n", 2, "protocol", "not set"},
		{"protocol as an axis", head + "grid:\n  protocol: [paper, imdb]\n", 5, "grid.protocol", "cannot be an axis"},
		{"option on two axes", head + "grid:\n  lr: [1]\nzip:\n  lr: [2]\n", 7, "lr", "one axis only"},
		{"replicates not positive", head + "replicates: 0\n", 4, "replicates", "want 1 to"},
		{"duplicate configuration", head + "grid:\n  epochs: [2, 2]\n", 5, "epochs=2", "same configuration"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := ParseBytes("s.yaml", []byte(c.yaml))
			if err == nil {
				_, err = Expand(f)
			}
			if err == nil {
				t.Fatal("no error")
			}
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %q is not a *sweep.Error", err)
			}
			msg := err.Error()
			if fe.Line != c.line || !strings.Contains(msg, c.key) || !strings.Contains(msg, c.msg) || !strings.HasPrefix(msg, "s.yaml line ") {
				t.Errorf("error %q (line %d), want line %d mentioning %q and %q", msg, fe.Line, c.line, c.key, c.msg)
			}
		})
	}
}

func TestFileSyntaxErrorHasLine(t *testing.T) {
	_, err := ParseBytes("s.yaml", []byte("name: t\nbase:\n  protocol: [paper\n"))
	if err == nil || !strings.Contains(err.Error(), "s.yaml") || !strings.Contains(err.Error(), "line") {
		t.Fatalf("error = %v, want the file and a line", err)
	}
}
