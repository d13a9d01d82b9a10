package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/experiments/sweep"
	"github.com/mt2st/mt2st/results"
)

// clusterTestsEnv enables TestClusterOneLiners. .ci/run sets it after
// starting a single-node Slurm with scripts/slurm-local.sh.
const clusterTestsEnv = "MT2ST_CLUSTER_TESTS"

// clusterSweep is the sweep the cluster test runs three ways: 2
// configurations × 2 replicates, each trial 3-4 s.
const clusterSweep = "testdata/cluster.yaml"

// sweepReadme holds the one-liners the test runs, taken from its text so
// that the README cannot drift from what is tested.
const sweepReadme = "experiments/sweep/README.md"

// TestClusterOneLiners runs the "Beyond one machine" one-liners of the
// sweep README for real: the GNU parallel one as two "hosts" with separate
// directories merged by `sweep collect`, and the Slurm job array into one
// shared directory, with one array task cancelled in the middle of its
// trial and requeued. Each must give the same per-trial records (test
// metrics, per-epoch losses and validation metrics) and the same report
// (every column but times) as `sweep run -j 2` on this machine.
//
// Without MT2ST_CLUSTER_TESTS=1 it skips. With it, a missing tool (sbatch,
// parallel), an unreachable Slurm or missing data is a failure, not a
// skip: the variable says a cluster is there, and CI must not turn green
// with the test silently not run.
func TestClusterOneLiners(t *testing.T) {
	if os.Getenv(clusterTestsEnv) != "1" {
		t.Skipf("set %s=1 to run: needs GNU parallel and a Slurm node (as root: scripts/slurm-local.sh start); .ci/run does this", clusterTestsEnv)
	}
	for _, tool := range []string{"parallel", "sbatch", "sinfo", "squeue", "scancel", "scontrol"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s=1 but %s is missing: %v (scripts/slurm-local.sh start installs Slurm; apt-get install parallel)", clusterTestsEnv, tool, err)
		}
	}
	if out, err := exec.Command("sinfo", "-h", "-o", "%T").CombinedOutput(); err != nil || !strings.Contains(string(out), "idle") && !strings.Contains(string(out), "mix") {
		t.Fatalf("%s=1 but no idle Slurm node (sinfo: %v, %q); as root: scripts/slurm-local.sh start", clusterTestsEnv, err, strings.TrimSpace(string(out)))
	}
	dataDir, err := datasets.ResolveDir("")
	if err != nil {
		t.Fatalf("%s=1 but no data: %v", clusterTestsEnv, err)
	}
	if dataDir, err = filepath.Abs(dataDir); err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(sweepReadme)
	if err != nil {
		t.Fatal(err)
	}
	parallelLine := oneLiner(t, readme, "seq 0 ", "| parallel ")
	sbatchLine := oneLiner(t, readme, "sbatch --array=", "--wrap ")

	work := t.TempDir()
	c := &cluster{t: t, work: work}
	start := time.Now()
	bin := filepath.Join(work, "bin")
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "mt2st"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built mt2st in %s", since(start))
	// Every worker gets the GOMAXPROCS that `sweep run -j 2` gives its
	// workers (cores / 2): the runs are deterministic per seed at a given
	// GOMAXPROCS. The one-liners run `mt2st` from PATH, as in the README,
	// and find the data through $MT2ST_DATA; sbatch passes the submitting
	// environment on to the job (its default, --export=ALL).
	procs := max(1, runtime.NumCPU()/2)
	c.env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"MT2ST_DATA="+dataDir, "GOMAXPROCS="+strconv.Itoa(procs))
	sweepFile, err := filepath.Abs(clusterSweep)
	if err != nil {
		t.Fatal(err)
	}

	// The reference: the whole sweep on this machine.
	local := filepath.Join(work, "local")
	start = time.Now()
	c.sh("mt2st sweep run " + sweepFile + " -j 2 --out " + local)
	t.Logf("local: sweep run -j 2 in %s", since(start))
	ids := c.manifest(sweepFile, local)
	n := len(ids)
	if n != 4 {
		t.Fatalf("%s: %d trials, want 4 (2 configurations × 2 replicates)", clusterSweep, n)
	}
	want := c.records(local, ids)
	wantReport := c.report(local)

	t.Run("parallel", func(t *testing.T) {
		c := c.with(t)
		start := time.Now()
		// Two hosts without a shared disk: each runs half the indices into
		// its own directory, and collect merges them.
		var hosts []string
		for h, r := range [][2]int{{0, n/2 - 1}, {n / 2, n - 1}} {
			dir := filepath.Join(c.work, fmt.Sprintf("host%d", h+1))
			c.manifest(sweepFile, dir)
			line := instantiate(t, parallelLine, filepath.Join(dir, "manifest.jsonl"), `seq 0 \d+`, fmt.Sprintf("seq %d %d", r[0], r[1]))
			c.sh(line)
			hosts = append(hosts, dir)
		}
		merged := filepath.Join(c.work, "parallel-merged")
		out := c.sh("mt2st sweep collect " + strings.Join(hosts, " ") + " --out " + merged)
		if !strings.Contains(out, fmt.Sprintf(": %d copied,", n)) || !strings.Contains(out, " 0 unfinished") || !strings.Contains(out, fmt.Sprintf("manifest: %d trials", n)) {
			t.Errorf("collect: %s", out)
		}
		c.compare(merged, ids, want, wantReport)
		t.Logf("GNU parallel: 2 hosts, collect, report in %s", since(start))
	})

	t.Run("slurm", func(t *testing.T) {
		c := c.with(t)
		start := time.Now()
		shared := filepath.Join(c.work, "slurm")
		c.manifest(sweepFile, shared)
		line := instantiate(t, sbatchLine, filepath.Join(shared, "manifest.jsonl"), `--array=0-\d+`, fmt.Sprintf("--array=0-%d", n-1))
		m := regexp.MustCompile(`Submitted batch job (\d+)`).FindStringSubmatch(c.sh(line))
		if m == nil {
			t.Fatalf("no job id from %q", line)
		}
		job := m[1]
		t.Cleanup(func() {
			_ = exec.Command("scancel", job).Run()
			if t.Failed() { // what the array tasks printed (sbatch writes slurm-JOB_I.out)
				outs, _ := filepath.Glob(filepath.Join(c.work, "slurm-"+job+"_*.out"))
				for _, f := range outs {
					b, _ := os.ReadFile(f)
					t.Logf("%s:\n%s", filepath.Base(f), b)
				}
			}
		})

		// Cancel array task k while its trial is between epochs: it must be
		// left unfinished, and the requeued task must finish it.
		const k = 1 // the first Diminish trial, the slowest of the four
		task := fmt.Sprintf("%s_%d", job, k)
		c.waitFor(90*time.Second, "trial "+strconv.Itoa(k)+" past its first epoch", func() bool {
			st := sweep.ReadState(shared, ids[k])
			if st.State == sweep.StateDone {
				t.Fatalf("trial %d finished before the test could cancel it", k)
			}
			return st.State == sweep.StateRunning && st.Progress != nil && st.Progress.Epoch >= 1
		})
		c.sh("scancel " + task)
		// JobState turns CANCELLED at once; the worker, interrupted by
		// SIGTERM, may still be winding down, holding the trial's lock.
		c.waitFor(30*time.Second, task+" cancelled and its worker gone", func() bool {
			return jobField(c.sh("scontrol show job "+task), "JobState") == "CANCELLED" &&
				sweep.ReadState(shared, ids[k]).State != sweep.StateRunning
		})
		if st := sweep.ReadState(shared, ids[k]); st.State != sweep.StateUnfinished {
			t.Fatalf("trial %d after scancel: %s, want unfinished (the task ended mid-trial)", k, st.State)
		}
		// A requeued job becomes eligible only some time later (Slurm sets
		// its begin time ahead); StartTime=now lets it run at once.
		c.sh("scontrol requeue " + task + " && scontrol update JobId=" + task + " StartTime=now")
		c.waitFor(3*time.Minute, "the array to finish", func() bool {
			return strings.TrimSpace(c.sh("squeue -h -j "+job+" -o %i")) == ""
		})
		for i := range n {
			info := c.sh(fmt.Sprintf("scontrol show job %s_%d", job, i))
			restarts := "0"
			if i == k {
				restarts = "1"
			}
			if s, code, r := jobField(info, "JobState"), jobField(info, "ExitCode"), jobField(info, "Restarts"); s != "COMPLETED" || code != "0:0" || r != restarts {
				t.Errorf("array task %d: JobState=%s ExitCode=%s Restarts=%s, want COMPLETED 0:0 %s", i, s, code, r, restarts)
			}
			// The one-liner has no --index: the worker took it from Slurm.
			log, err := os.ReadFile(filepath.Join(c.work, fmt.Sprintf("slurm-%s_%d.out", job, i)))
			if want := fmt.Sprintf("trial %d (from $SLURM_ARRAY_TASK_ID)", i); err != nil || !strings.Contains(string(log), want) {
				t.Errorf("array task %d: output lacks %q (%v):\n%s", i, want, err, log)
			}
		}
		collected := filepath.Join(c.work, "slurm-collected")
		out := c.sh("mt2st sweep collect " + shared + " --out " + collected)
		if !strings.Contains(out, fmt.Sprintf(": %d copied,", n)) || !strings.Contains(out, " 0 unfinished") {
			t.Errorf("collect: %s", out)
		}
		c.compare(collected, ids, want, wantReport)
		t.Logf("Slurm: job array with a cancel and requeue, collect, report in %s", since(start))
	})
}

// cluster runs the CLI through bash, as a user would, in a scratch
// directory and with a fixed environment.
type cluster struct {
	t    *testing.T
	work string
	env  []string
}

func (c *cluster) with(t *testing.T) *cluster { d := *c; d.t = t; return &d }

// sh runs script with bash -c in c.work and returns its standard output;
// an error fails the test with both outputs.
func (c *cluster) sh(script string) string {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.Dir, cmd.Env = c.work, c.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		c.t.Fatalf("%s: %v\nstdout:\n%s\nstderr:\n%s", script, err, out.String(), errb.String())
	}
	return out.String()
}

// manifest writes dir/manifest.jsonl for file and returns its trial ids in
// index order.
func (c *cluster) manifest(file, dir string) []string {
	c.t.Helper()
	path := filepath.Join(dir, "manifest.jsonl")
	c.sh("mt2st sweep manifest " + file + " --out " + path)
	trials, err := sweep.ReadManifest(path)
	if err != nil {
		c.t.Fatal(err)
	}
	ids := make([]string, len(trials))
	for i, tr := range trials {
		ids[i] = tr.ID
	}
	return ids
}

// records reads the run record of every trial, which must be done.
func (c *cluster) records(dir string, ids []string) map[string]*results.Record {
	c.t.Helper()
	recs := map[string]*results.Record{}
	for _, id := range ids {
		st := sweep.ReadState(dir, id)
		if st.State != sweep.StateDone {
			c.t.Fatalf("%s: trial %s is %s, want done (%s)", dir, id, st.State, st.Problem)
		}
		r, err := results.ReadRecord(filepath.Join(st.Dir, st.Marker.Record))
		if err != nil {
			c.t.Fatal(err)
		}
		recs[id] = r
	}
	return recs
}

// report is `sweep report DIR --format csv` without the columns that hold
// wall-clock times (or ratios of them, or the time saved), which differ
// between any two runs.
func (c *cluster) report(dir string) string {
	c.t.Helper()
	out := c.sh("mt2st sweep report " + dir + " --format csv --no-plots")
	var b strings.Builder
	for _, section := range strings.Split(out, "\n\n") {
		title, body, ok := strings.Cut(section, "\n")
		if !ok || !strings.HasPrefix(title, "# ") { // "Wrote N files to DIR/report: ..."
			continue
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil || len(rows) < 2 {
			c.t.Fatalf("report %s, table %q: %v\n%s", dir, title, err, body)
		}
		var keep []int
		for j, h := range rows[0] {
			timed := false
			for _, w := range []string{"seconds", "speedup", "time_ratio", "saved"} {
				timed = timed || strings.Contains(h, w)
			}
			if !timed {
				keep = append(keep, j)
			}
		}
		fmt.Fprintln(&b, title)
		for _, row := range rows {
			for i, j := range keep {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(row[j])
			}
			b.WriteByte('\n')
		}
	}
	if b.Len() == 0 {
		c.t.Fatalf("report %s: no tables in\n%s", dir, out)
	}
	return b.String()
}

// compare checks dir against the local run: every trial done with the same
// test metrics, the same per-epoch losses, weights and validation and
// auxiliary metrics, and the same report.
func (c *cluster) compare(dir string, ids []string, want map[string]*results.Record, wantReport string) {
	c.t.Helper()
	got := c.records(dir, ids)
	for _, id := range ids {
		a, b := want[id], got[id]
		if !reflect.DeepEqual(a.Final, b.Final) {
			c.t.Errorf("trial %s: test metrics %v, locally %v", id, b.Final, a.Final)
		}
		if len(a.Epochs) != len(b.Epochs) {
			c.t.Errorf("trial %s: %d epochs, locally %d", id, len(b.Epochs), len(a.Epochs))
			continue
		}
		for e := range a.Epochs {
			ea, eb := a.Epochs[e], b.Epochs[e]
			if !reflect.DeepEqual(ea.Loss, eb.Loss) || !reflect.DeepEqual(ea.Val, eb.Val) || !reflect.DeepEqual(ea.Weights, eb.Weights) || !reflect.DeepEqual(ea.Aux, eb.Aux) {
				c.t.Errorf("trial %s epoch %d: loss %v val %v, locally loss %v val %v", id, ea.Epoch, eb.Loss, eb.Val, ea.Loss, ea.Val)
			}
		}
	}
	if r := c.report(dir); r != wantReport {
		c.t.Errorf("report of %s differs from the local one:\n%s\nlocal:\n%s", dir, r, wantReport)
	}
}

// waitFor polls ok every 50 ms until it holds, failing after limit.
func (c *cluster) waitFor(limit time.Duration, what string, ok func() bool) {
	c.t.Helper()
	for deadline := time.Now().Add(limit); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			c.t.Fatalf("waited %s for %s", limit, what)
		}
	}
}

// oneLiner returns the one line of readme that starts with prefix and
// contains substr.
func oneLiner(t *testing.T, readme []byte, prefix, substr string) string {
	t.Helper()
	var found []string
	for _, line := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(line, prefix) && strings.Contains(line, substr) {
			found = append(found, line)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s: %d lines start with %q and contain %q, want 1: %q", sweepReadme, len(found), prefix, substr, found)
	}
	return found[0]
}

// readmeManifest is the manifest path of the README's one-liners.
const readmeManifest = "/shared/dd/manifest.jsonl"

// instantiate points a README one-liner at manifest and replaces its one
// match of the index-range pattern with indices.
func instantiate(t *testing.T, line, manifest, pattern, indices string) string {
	t.Helper()
	if strings.Count(line, readmeManifest) != 1 {
		t.Fatalf("%s: %q does not name the manifest %s once", sweepReadme, line, readmeManifest)
	}
	re := regexp.MustCompile(pattern)
	if len(re.FindAllString(line, -1)) != 1 {
		t.Fatalf("%s: %q does not match %s once", sweepReadme, line, pattern)
	}
	return re.ReplaceAllLiteralString(strings.Replace(line, readmeManifest, manifest, 1), indices)
}

// jobField is the value of key in `scontrol show job` output.
func jobField(info, key string) string {
	m := regexp.MustCompile(`(?:^|\s)` + key + `=(\S*)`).FindStringSubmatch(info)
	if m == nil {
		return ""
	}
	return m[1]
}

func since(t time.Time) time.Duration { return time.Since(t).Round(100 * time.Millisecond) }
