package results

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// UnknownRevision is what GitRevision returns outside a git checkout.
const UnknownRevision = "unknown"

// gitTimeout bounds each git command, so a hung filesystem cannot stall a run.
const gitTimeout = 5 * time.Second

// GitRevision returns the commit hash checked out at dir (or an ancestor of
// it), with "-dirty" appended when `git status --porcelain` lists changes.
// It asks the git command first; without git it reads .git/HEAD, the ref it
// names and packed-refs by hand (then nothing is known about dirtiness, so
// no suffix). Outside a checkout it returns UnknownRevision.
func GitRevision(dir string) string {
	if rev, ok := gitCommand(dir, "rev-parse", "HEAD"); ok && isHexHash(rev) {
		if status, ok := gitCommand(dir, "status", "--porcelain"); ok && status != "" {
			return rev + "-dirty"
		}
		return rev
	}
	if rev, ok := readGitHead(dir); ok {
		return rev
	}
	return UnknownRevision
}

// gitCommand runs git -C dir args... and returns its trimmed stdout.
func gitCommand(dir string, args ...string) (string, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), gitTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return "", false
	}
	return strings.TrimSpace(out.String()), true
}

// readGitHead resolves HEAD without the git command: it finds the .git
// directory (or a .git file's "gitdir:" of a worktree or submodule), follows
// "ref: refs/heads/x" to the loose ref or packed-refs of the common dir.
func readGitHead(dir string) (string, bool) {
	gitDir, ok := findGitDir(dir)
	if !ok {
		return "", false
	}
	head, err := os.ReadFile(filepath.Join(gitDir, "HEAD"))
	if err != nil {
		return "", false
	}
	line := strings.TrimSpace(string(head))
	ref, isRef := strings.CutPrefix(line, "ref:")
	if !isRef {
		return line, isHexHash(line)
	}
	ref = strings.TrimSpace(ref)
	commonDir := gitDir
	if c, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		commonDir = strings.TrimSpace(string(c))
		if !filepath.IsAbs(commonDir) {
			commonDir = filepath.Join(gitDir, commonDir)
		}
	}
	for _, d := range []string{gitDir, commonDir} {
		if b, err := os.ReadFile(filepath.Join(d, filepath.FromSlash(ref))); err == nil {
			if h := strings.TrimSpace(string(b)); isHexHash(h) {
				return h, true
			}
		}
	}
	return packedRef(filepath.Join(commonDir, "packed-refs"), ref)
}

// findGitDir walks up from dir to the first directory holding .git.
func findGitDir(dir string) (string, bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	for {
		candidate := filepath.Join(abs, ".git")
		if info, err := os.Stat(candidate); err == nil {
			if info.IsDir() {
				return candidate, true
			}
			b, err := os.ReadFile(candidate)
			if err != nil {
				return "", false
			}
			target, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir:")
			if !ok {
				return "", false
			}
			target = strings.TrimSpace(target)
			if !filepath.IsAbs(target) {
				target = filepath.Join(abs, target)
			}
			return target, true
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return "", false
		}
		abs = parent
	}
}

// packedRef looks ref up in a packed-refs file ("<hash> <ref>" lines).
func packedRef(path, ref string) (string, bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "^") {
			continue
		}
		hash, name, ok := strings.Cut(line, " ")
		if ok && name == ref && isHexHash(hash) {
			return hash, true
		}
	}
	return "", false
}

// isHexHash accepts SHA-1 (40) and SHA-256 (64) object names.
func isHexHash(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
