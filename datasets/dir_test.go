package datasets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dataTree makes a data directory holding the IMDB marker file.
func dataTree(t *testing.T, dir string) string {
	t.Helper()
	writeFiles(t, dir, map[string]string{"imdb/train.tsv.gz": "marker"})
	return dir
}

func TestResolveDirPrecedence(t *testing.T) {
	flagDir := dataTree(t, t.TempDir())
	envDir := dataTree(t, t.TempDir())
	t.Setenv(EnvDataDir, envDir)

	if got, err := ResolveDir(flagDir); err != nil || got != flagDir {
		t.Errorf("flag and env set: got %q, %v; want the flag's %q", got, err, flagDir)
	}
	if got, err := ResolveDir(""); err != nil || got != envDir {
		t.Errorf("env set: got %q, %v; want %q", got, err, envDir)
	}

	// A flag that is set but wrong is an error, even with a good $MT2ST_DATA.
	empty := t.TempDir()
	_, err := ResolveDir(empty)
	if err == nil || !strings.Contains(err.Error(), "from --data") || !strings.Contains(err.Error(), "imdb/train.tsv.gz") ||
		!strings.Contains(err.Error(), "mt2st data --out") {
		t.Errorf("wrong flag: err = %v", err)
	}
	_, err = ResolveDir(filepath.Join(empty, "missing"))
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing flag dir: err = %v", err)
	}

	// A wrong $MT2ST_DATA is an error, not a reason to look further.
	t.Setenv(EnvDataDir, empty)
	_, err = ResolveDir("")
	if err == nil || !strings.Contains(err.Error(), "from $MT2ST_DATA") {
		t.Errorf("wrong env: err = %v", err)
	}
}

func TestResolveDirRelativeFlagIsMadeAbsolute(t *testing.T) {
	root := t.TempDir()
	dataTree(t, filepath.Join(root, "data"))
	t.Chdir(root)
	got, err := ResolveDir("data")
	if want := filepath.Join(root, "data"); err != nil || got != want {
		t.Errorf("ResolveDir(\"data\") = %q, %v; want %q", got, err, want)
	}
}

func TestResolveDirFallbacks(t *testing.T) {
	t.Setenv(EnvDataDir, "")
	// root/shared/data holds the data; root/proj is a module with a sub-package.
	root := t.TempDir()
	shared := dataTree(t, filepath.Join(root, "shared", "data"))
	writeFiles(t, root, map[string]string{"proj/go.mod": "module x\n", "proj/sub/pkg/x.go": "package pkg\n"})

	// ../shared/data from the working directory (the module root itself).
	t.Chdir(filepath.Join(root, "proj"))
	if got, err := ResolveDir(""); err != nil || got != shared {
		t.Errorf("from the module root: got %q, %v; want %q", got, err, shared)
	}
	// From a sub-package: through the go.mod found walking up.
	t.Chdir(filepath.Join(root, "proj", "sub", "pkg"))
	if got, err := ResolveDir(""); err != nil || got != shared {
		t.Errorf("from a sub-package: got %q, %v; want %q", got, err, shared)
	}
	// The folder layout of Fetch qualifies too.
	if err := os.Remove(filepath.Join(shared, "imdb", "train.tsv.gz")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(shared, "aclImdb", "train", "pos"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := ResolveDir(""); err != nil || got != shared {
		t.Errorf("aclImdb layout: got %q, %v; want %q", got, err, shared)
	}
}

func TestResolveDirNothingFound(t *testing.T) {
	t.Setenv(EnvDataDir, "")
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"proj/go.mod": "module x\n", "proj/sub/x.go": "package sub\n"})
	wd := filepath.Join(root, "proj", "sub")
	t.Chdir(wd)
	_, err := ResolveDir("")
	if err == nil {
		t.Fatal("no error with no data anywhere")
	}
	msg := err.Error()
	for _, want := range []string{
		filepath.Join(root, "proj", "shared", "data"), // ../shared/data from the working directory
		filepath.Join(root, "shared", "data"),         // ../shared/data from the module root
		"imdb/train.tsv.gz", "aclImdb/train/pos",      // what was looked for
		"mt2st data --out DIR", "--data DIR", "MT2ST_DATA=DIR", // how to get and point at it
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not mention %q:\n%s", want, msg)
		}
	}
}
