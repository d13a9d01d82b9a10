package datasets

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// realDataDir returns the shared data directory, or skips the test when it
// is absent (see ResolveDir for where it is looked for).
func realDataDir(t testing.TB) string {
	t.Helper()
	dir, err := ResolveDir("")
	if err != nil {
		t.Skipf("real data not found, skipping: %v", err)
	}
	return dir
}

// wantLineError checks that err is a *ParseError for path and line whose
// message contains every fragment.
func wantLineError(t *testing.T, err error, path string, line int, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s line %d: %s", path, line, strings.Join(fragments, " ... "))
	}
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %q is not a *ParseError", err)
	}
	if pe.Path != path || pe.Line != line {
		t.Errorf("error %q: at %s line %d, want %s line %d", err, pe.Path, pe.Line, path, line)
	}
	msg := err.Error()
	for _, f := range append([]string{path + " line "}, fragments...) {
		if !strings.Contains(msg, f) {
			t.Errorf("error %q does not contain %q", msg, f)
		}
	}
}

// writeFiles creates the files (slash-separated relative path → content)
// under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
