package results

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const fakeHash = "0123456789abcdef0123456789abcdef01234567"

func TestGitRevisionOutsideGit(t *testing.T) {
	dir := t.TempDir() // /tmp is not inside a checkout here
	if _, ok := findGitDir(dir); ok {
		t.Skip("the temp dir is inside a git checkout")
	}
	if got := GitRevision(dir); got != UnknownRevision {
		t.Errorf("GitRevision = %q, want %q", got, UnknownRevision)
	}
}

func TestReadGitHeadByHand(t *testing.T) {
	cases := map[string]func(gitDir string){
		"loose ref": func(g string) {
			os.MkdirAll(filepath.Join(g, "refs", "heads"), 0o755)
			os.WriteFile(filepath.Join(g, "HEAD"), []byte("ref: refs/heads/main\n"), 0o644)
			os.WriteFile(filepath.Join(g, "refs", "heads", "main"), []byte(fakeHash+"\n"), 0o644)
		},
		"packed ref": func(g string) {
			os.WriteFile(filepath.Join(g, "HEAD"), []byte("ref: refs/heads/main\n"), 0o644)
			os.WriteFile(filepath.Join(g, "packed-refs"), []byte("# pack-refs with: peeled fully-peeled sorted\n"+
				strings.Repeat("f", 40)+" refs/heads/other\n"+fakeHash+" refs/heads/main\n^"+strings.Repeat("e", 40)+"\n"), 0o644)
		},
		"detached": func(g string) {
			os.WriteFile(filepath.Join(g, "HEAD"), []byte(fakeHash+"\n"), 0o644)
		},
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			gitDir := filepath.Join(root, ".git")
			os.Mkdir(gitDir, 0o755)
			setup(gitDir)
			sub := filepath.Join(root, "a", "b")
			os.MkdirAll(sub, 0o755)
			got, ok := readGitHead(sub)
			if !ok || got != fakeHash {
				t.Errorf("readGitHead = %q, %v; want %s", got, ok, fakeHash)
			}
		})
	}
	t.Run("gitdir file", func(t *testing.T) {
		root := t.TempDir()
		real := filepath.Join(root, "store", "worktrees", "w")
		common := filepath.Join(root, "store")
		os.MkdirAll(real, 0o755)
		os.WriteFile(filepath.Join(real, "HEAD"), []byte("ref: refs/heads/feature\n"), 0o644)
		os.WriteFile(filepath.Join(real, "commondir"), []byte("../..\n"), 0o644)
		os.MkdirAll(filepath.Join(common, "refs", "heads"), 0o755)
		os.WriteFile(filepath.Join(common, "refs", "heads", "feature"), []byte(fakeHash), 0o644)
		wt := filepath.Join(root, "wt")
		os.Mkdir(wt, 0o755)
		os.WriteFile(filepath.Join(wt, ".git"), []byte("gitdir: "+real+"\n"), 0o644)
		if got, ok := readGitHead(wt); !ok || got != fakeHash {
			t.Errorf("worktree: readGitHead = %q, %v", got, ok)
		}
	})
}

func TestGitRevisionWithGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	git := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	os.WriteFile(filepath.Join(dir, "f"), []byte("1"), 0o644)
	git("add", "f")
	git("commit", "-q", "-m", "c")
	clean := GitRevision(dir)
	if !isHexHash(clean) {
		t.Fatalf("clean checkout: GitRevision = %q, want a bare hash", clean)
	}
	if byHand, ok := readGitHead(dir); !ok || byHand != clean {
		t.Errorf("by hand %q, git %q", byHand, clean)
	}
	os.WriteFile(filepath.Join(dir, "f"), []byte("2"), 0o644)
	if got := GitRevision(dir); got != clean+"-dirty" {
		t.Errorf("modified checkout: GitRevision = %q, want %s-dirty", got, clean)
	}
}
