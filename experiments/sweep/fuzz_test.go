package sweep

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseBytes checks that the sweep-file parser never panics and that a
// file it accepts has a safe name. The seeds are the committed sweep files
// and small hand-written ones.
func FuzzParseBytes(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "sweeps", "*.yaml"))
	for _, path := range files {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		fakeSweep,
		"name: x\nbase:\n  protocol: paper\ninclude:\n  - strategy: stl\n",
		"name: x\ngrid:\n  seed: [1, 2]\n",
		"a: &a [1]\nb: *a\n",
		"name: \"a\\nb\"\n",
		"",
		"- 1\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ParseBytes("f.yaml", data)
		if err != nil {
			return
		}
		if problem := checkName(file.Name); problem != "" {
			t.Fatalf("accepted sweep name %q: %s", file.Name, problem)
		}
	})
}
