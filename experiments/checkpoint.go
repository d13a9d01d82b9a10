package experiments

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/results"
	"github.com/mt2st/mt2st/strategies"
	"github.com/mt2st/mt2st/tasks"
)

// Checkpoints says where a run keeps its checkpoints: complete states at
// epoch boundaries from which the run continues exactly as if it had never
// stopped (bit-identical losses, metrics and weights under the same seed;
// only wall times differ). How often it saves is the configuration's
// checkpoint_every; with Checkpoints nil in Hooks a run saves nothing.
//
// What a checkpoint holds: every table and dense parameter with its Adam
// moments and step counts (graph.ModelState), the position of every random
// stream, the model-selection state (best validation accuracy, its
// snapshot and epoch), the strategy history, the learning-rate schedule's
// step count and the record's finished epochs. The tasks' own iteration
// state (shuffled orders, cursors, corpus passes) is not stored: on resume
// it is re-derived by replaying the finished epochs' StartEpoch and
// NextBatch calls on fresh random streams, which touches no graph and costs
// a small fraction of training; the replayed streams must then equal the
// stored ones, which proves the replay reproduced the run's data pipeline.
// Replay works for every task, present and future, without each having to
// serialise its state.
type Checkpoints struct {
	// Dir holds this run's own checkpoints (epoch-NNNN.ckpt); only the
	// newest is kept.
	Dir string
	// Shared maps an epoch to a file to save the state at that epoch to,
	// whatever checkpoint_every says: the fork points of prefix sharing,
	// from which runs with the same configuration and the same weights up
	// to that epoch continue.
	Shared map[int]string
	// From lists more checkpoint files to resume from (a shared prefix's).
	// The run resumes from the latest epoch among these and Dir's newest
	// that fits it: same configuration apart from the strategy, same seed,
	// and its own strategy giving exactly the stored weights at every
	// stored epoch. Files that are missing, damaged or do not fit are
	// skipped.
	From []string
}

// CheckpointVersion is the version of the checkpoint file layout.
const CheckpointVersion = 1

// checkpointMagic starts every checkpoint file; the SHA-256 of the payload
// and the gob-encoded checkpointState follow.
const checkpointMagic = "mt2st checkpoint\n"

// checkpointState is a checkpoint file's payload.
type checkpointState struct {
	Version int
	RunID   string // Config.ID() of the run that wrote it
	Prefix  string // prefixIdentity of its configuration
	Epoch   int    // finished epochs
	Model   graph.ModelState
	// Streams are the random streams' states (rand.PCG.MarshalBinary) by
	// purpose.
	Streams       map[string][]byte
	History       []float64
	Best          float64
	Snapshot      map[string]graph.Floats
	SelectedEpoch int // 0: none selected yet
	TrainSeconds  float64
	EvalSeconds   float64
	DoneSteps     int
	Epochs        []results.Epoch
}

// ParseCheckpointEvery reads a checkpoint_every value: "" (never), a whole
// number of epochs ("5") or a Go duration of wall time ("10m", "90s").
func ParseCheckpointEvery(s string) (epochs int, interval time.Duration, err error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" {
		return 0, 0, nil
	}
	if n, err := strconv.Atoi(s); err == nil {
		if n < 0 {
			return 0, 0, fmt.Errorf("checkpoint_every %q: want a positive number of epochs or a duration such as 10m", s)
		}
		return n, 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, 0, fmt.Errorf("checkpoint_every %q: want a number of epochs (5) or a positive duration (10m, 90s)", s)
	}
	return 0, d, nil
}

// prefixIdentity is the hash of everything that shapes a run's training
// except its strategy (seed included): two runs with the same identity and
// the same weights up to epoch k are identical up to epoch k.
func prefixIdentity(c Config) string {
	c.Strategy = strategies.Spec{}
	return c.Hash()
}

// PrefixIdentity is prefixIdentity for the sweep runner.
func PrefixIdentity(c Config) string { return prefixIdentity(c) }

// pcgFor is the generator of one purpose of a run's random streams.
func pcgFor(seed uint64, purpose string) *rand.PCG {
	h := uint64(14695981039346656037)
	for i := 0; i < len(purpose); i++ {
		h ^= uint64(purpose[i])
		h *= 1099511628211
	}
	return rand.NewPCG(seed, h)
}

// runStreams are a run's shuffling and per-task sampling streams, with
// their generators, whose positions a checkpoint records.
type runStreams struct {
	shuffle  *rand.Rand
	samplers []*rand.Rand
	pcgs     map[string]*rand.PCG
}

func newRunStreams(seed uint64, ts []tasks.Task) *runStreams {
	rs := &runStreams{pcgs: map[string]*rand.PCG{}}
	add := func(purpose string) *rand.Rand {
		p := pcgFor(seed, purpose)
		rs.pcgs[purpose] = p
		return rand.New(p)
	}
	rs.shuffle = add("shuffle")
	for _, t := range ts {
		rs.samplers = append(rs.samplers, add("sample/"+t.Name()))
	}
	return rs
}

func (rs *runStreams) states() (map[string][]byte, error) {
	out := map[string][]byte{}
	for k, p := range rs.pcgs {
		b, err := p.MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("random stream %s: %w", k, err)
		}
		out[k] = b
	}
	return out, nil
}

// loopState is what the training loop carries from epoch to epoch.
type loopState struct {
	Epoch         int
	History       []float64
	Best          float64
	Snapshot      snapshot
	SelectedEpoch int
	TrainSeconds  float64
	EvalSeconds   float64
	DoneSteps     int
}

// checkpointer saves and resumes one run.
type checkpointer struct {
	cfg      Config
	opts     *Checkpoints
	streams  *runStreams
	every    int
	interval time.Duration
	last     time.Time
}

func newCheckpointer(cfg Config, opts *Checkpoints, rs *runStreams) (*checkpointer, error) {
	every, interval, err := ParseCheckpointEvery(cfg.CheckpointEvery)
	if err != nil {
		return nil, err
	}
	if cfg.Strategy.IsAdaptive() {
		// An adaptive strategy's controller (its λ, σ, loss history) is not
		// part of the saved state, so its runs neither save nor resume.
		opts = nil
	}
	return &checkpointer{cfg: cfg, opts: opts, streams: rs, every: every, interval: interval, last: time.Now()}, nil
}

// epochDone saves the state after an epoch when one is due.
func (c *checkpointer) epochDone(model *graph.Model, rec *results.Record, ls loopState) error {
	if c.opts == nil {
		return nil
	}
	shared, toShared := c.opts.Shared[ls.Epoch]
	own := c.opts.Dir != "" && ls.Epoch < c.cfg.Epochs &&
		((c.every > 0 && ls.Epoch%c.every == 0) || (c.interval > 0 && time.Since(c.last) >= c.interval))
	if !own && !toShared {
		return nil
	}
	b, err := c.encode(model, rec, ls)
	if err != nil {
		return err
	}
	if toShared {
		if err := os.MkdirAll(filepath.Dir(shared), 0o755); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		if err := results.WriteFileAtomic(shared, b); err != nil {
			return fmt.Errorf("checkpoint at epoch %d: %w", ls.Epoch, err)
		}
	}
	if own {
		if err := os.MkdirAll(c.opts.Dir, 0o755); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		path := filepath.Join(c.opts.Dir, fmt.Sprintf("epoch-%04d.ckpt", ls.Epoch))
		if err := results.WriteFileAtomic(path, b); err != nil {
			return fmt.Errorf("checkpoint at epoch %d: %w", ls.Epoch, err)
		}
		old, _ := filepath.Glob(filepath.Join(c.opts.Dir, "epoch-*.ckpt"))
		for _, o := range old {
			if o != path {
				_ = os.Remove(o) // an older checkpoint left behind is skipped on resume anyway
			}
		}
		c.last = time.Now()
	}
	return nil
}

func (c *checkpointer) encode(model *graph.Model, rec *results.Record, ls loopState) ([]byte, error) {
	ms, err := model.State()
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	streams, err := c.streams.states()
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	st := checkpointState{
		Version: CheckpointVersion, RunID: c.cfg.ID(), Prefix: prefixIdentity(c.cfg), Epoch: ls.Epoch,
		Model: ms, Streams: streams, History: ls.History, Best: ls.Best, SelectedEpoch: ls.SelectedEpoch,
		TrainSeconds: ls.TrainSeconds, EvalSeconds: ls.EvalSeconds, DoneSteps: ls.DoneSteps, Epochs: rec.Epochs,
	}
	if ls.Snapshot != nil {
		st.Snapshot = map[string]graph.Floats{}
		for k, v := range ls.Snapshot {
			st.Snapshot[k] = v
		}
	}
	var payload bytes.Buffer
	if err := gob.NewEncoder(&payload).Encode(&st); err != nil {
		return nil, fmt.Errorf("checkpoint: encode: %w", err)
	}
	sum := sha256.Sum256(payload.Bytes())
	out := make([]byte, 0, len(checkpointMagic)+len(sum)+payload.Len())
	out = append(append(append(out, checkpointMagic...), sum[:]...), payload.Bytes()...)
	return out, nil
}

// readCheckpoint reads and checks a checkpoint file: magic, checksum and
// version.
func readCheckpoint(path string) (*checkpointState, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	rest, ok := bytes.CutPrefix(b, []byte(checkpointMagic))
	if !ok || len(rest) < sha256.Size {
		return nil, fmt.Errorf("checkpoint %s: not a checkpoint file", path)
	}
	sum, payload := rest[:sha256.Size], rest[sha256.Size:]
	if got := sha256.Sum256(payload); !bytes.Equal(got[:], sum) {
		return nil, fmt.Errorf("checkpoint %s: checksum mismatch (damaged file)", path)
	}
	var st checkpointState
	if err := gob.NewDecoder(bytes.NewReader(payload)).Decode(&st); err != nil {
		return nil, fmt.Errorf("checkpoint %s: decode: %w", path, err)
	}
	if st.Version != CheckpointVersion {
		return nil, fmt.Errorf("checkpoint %s: version %d, this program reads version %d", path, st.Version, CheckpointVersion)
	}
	return &st, nil
}

// fits returns nil when the checkpoint can start this run: the same
// configuration apart from the strategy (seed included), and this run's
// strategy giving exactly the weights the checkpoint's epochs trained with.
func (c *checkpointer) fits(st *checkpointState, aux []string) error {
	if st.Prefix != prefixIdentity(c.cfg) {
		return fmt.Errorf("written by run %s, whose configuration differs in more than the strategy", st.RunID)
	}
	if st.Epoch < 1 || st.Epoch > c.cfg.Epochs || len(st.Epochs) != st.Epoch || len(st.History) != st.Epoch {
		return fmt.Errorf("holds %d epochs of a %d-epoch run", st.Epoch, c.cfg.Epochs)
	}
	return WeightsAgree(c.cfg.Strategy, aux, st.Epochs, st.History)
}

// WeightsAgree returns nil when strategy gives exactly the auxiliary
// weights recorded in epochs (a run's first epochs, from 1) given the
// validation history (ValAccuracy after each of them).
func WeightsAgree(strategy strategies.Spec, aux []string, epochs []results.Epoch, history []float64) error {
	for i, e := range epochs {
		w := strategy.Weights(i+1, aux, strategies.History{ValAccuracy: slices.Clone(history[:i])})
		for _, name := range aux {
			if got, ok := e.Weights[name]; !ok || got != w[name] {
				return fmt.Errorf("epoch %d trained %s with weight %v; strategy %s gives %v", i+1, name, got, strategy, w[name])
			}
		}
	}
	return nil
}

// resume finds the latest checkpoint that fits the run, restores the model
// and the record's epochs from it and replays the tasks' data pipeline to
// its epoch. It returns nil when there is none (the run starts at epoch 1).
func (c *checkpointer) resume(model *graph.Model, ts []tasks.Task, rec *results.Record) (*loopState, error) {
	if c.opts == nil {
		return nil, nil
	}
	var paths []string
	if c.opts.Dir != "" {
		own, _ := filepath.Glob(filepath.Join(c.opts.Dir, "epoch-*.ckpt"))
		paths = append(paths, own...)
	}
	paths = append(paths, c.opts.From...)
	aux := make([]string, 0, len(ts)-1)
	for _, t := range ts[1:] {
		aux = append(aux, t.Name())
	}
	var best *checkpointState
	var from string
	var skipped []string
	for _, p := range paths {
		st, err := readCheckpoint(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err == nil {
			err = c.fits(st, aux)
		}
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s: %v", filepath.Base(p), err))
			continue
		}
		if best == nil || st.Epoch > best.Epoch {
			best, from = st, p
		}
	}
	if len(skipped) > 0 {
		rec.CheckpointsSkipped = skipped
	}
	if best == nil {
		return nil, nil
	}
	if err := model.SetState(best.Model); err != nil {
		return nil, fmt.Errorf("resume from %s: %w", from, err)
	}
	if err := replay(ts, c.streams, best.Epochs); err != nil {
		return nil, fmt.Errorf("resume from %s: %w", from, err)
	}
	got, err := c.streams.states()
	if err != nil {
		return nil, err
	}
	for k, want := range best.Streams {
		if !bytes.Equal(got[k], want) {
			return nil, fmt.Errorf("resume from %s: replaying %d epochs did not bring random stream %s to its saved position: the training loop draws differently from the one that wrote the checkpoint", from, best.Epoch, k)
		}
	}
	if len(got) != len(best.Streams) {
		return nil, fmt.Errorf("resume from %s: %d random streams saved, the run has %d", from, len(best.Streams), len(got))
	}
	rec.Epochs = slices.Clone(best.Epochs)
	rec.TrainSeconds, rec.EvalSeconds = best.TrainSeconds, best.EvalSeconds
	if best.SelectedEpoch > 0 {
		rec.SelectedEpoch = best.SelectedEpoch
	}
	origin := "own"
	if best.RunID != c.cfg.ID() {
		origin = "shared prefix of " + best.RunID
	}
	rec.Resumed = &results.Resumption{Epoch: best.Epoch, From: origin}
	ls := &loopState{Epoch: best.Epoch, History: best.History, Best: best.Best, SelectedEpoch: best.SelectedEpoch,
		TrainSeconds: best.TrainSeconds, EvalSeconds: best.EvalSeconds, DoneSteps: best.DoneSteps}
	if best.Snapshot != nil {
		ls.Snapshot = snapshot{}
		for k, v := range best.Snapshot {
			ls.Snapshot[k] = v
		}
	}
	return ls, nil
}

// replay repeats the data side of the finished epochs — each epoch's
// StartEpoch calls and one NextBatch per step for the tasks that ran, in
// the training loop's order, on the run's streams — without running any
// graph, so every task's iteration state and every stream reach where the
// training loop left them.
func replay(ts []tasks.Task, rs *runStreams, epochs []results.Epoch) error {
	byName := map[string]int{}
	for i, t := range ts {
		byName[t.Name()] = i
	}
	for _, e := range epochs {
		if len(e.Ran) == 0 || e.Ran[0] != ts[0].Name() {
			return fmt.Errorf("replay: epoch %d ran %v, want the primary task %s first", e.Epoch, e.Ran, ts[0].Name())
		}
		active := make([]int, len(e.Ran))
		for i, name := range e.Ran {
			j, ok := byName[name]
			if !ok {
				return fmt.Errorf("replay: epoch %d ran task %s, which this run does not have", e.Epoch, name)
			}
			active[i] = j
		}
		steps := ts[0].StartEpoch(rs.shuffle)
		if steps != e.Steps {
			return fmt.Errorf("replay: epoch %d has %d steps, the record says %d", e.Epoch, steps, e.Steps)
		}
		for _, j := range active[1:] {
			ts[j].StartEpoch(rs.samplers[j])
		}
		// Auxiliary step budgets: a task with K steps per primary step drew
		// K−1 more batches after each joint step, in rounds (epochSteps).
		budget := make([]int, len(active))
		rounds := 1
		for i, j := range active {
			budget[i] = 1
			if n, ok := e.TaskSteps[ts[j].Name()]; ok && i > 0 && steps > 0 {
				budget[i] = n / steps
			}
			rounds = max(rounds, budget[i])
		}
		for range steps {
			for _, j := range active {
				ts[j].NextBatch(rs.samplers[j])
			}
			for r := 1; r < rounds; r++ {
				for i, j := range active[1:] {
					if budget[i+1] > r {
						ts[j].NextBatch(rs.samplers[j])
					}
				}
			}
		}
	}
	return nil
}
