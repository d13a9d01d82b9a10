package experiments

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/results"
	"github.com/mt2st/mt2st/strategies"
	"github.com/mt2st/mt2st/strategies/adaptive"
	"github.com/mt2st/mt2st/tasks"
)

// Hooks let a caller watch a run and say what shares its machine. Every
// field may be left zero.
type Hooks struct {
	// Epoch is called after each epoch with its record.
	Epoch func(e results.Epoch)
	// Workers is the number of runs training at the same time on this
	// machine, this one included, recorded in Record.Machine; 0 means 1.
	Workers int
	// Checkpoints, when set, is where the run saves its exact state (as
	// often as the configuration's checkpoint_every says) and resumes from
	// (see Checkpoints in checkpoint.go).
	Checkpoints *Checkpoints
}

// Trained is a finished run: its record and what it trained.
type Trained struct {
	Record *results.Record
	Model  *graph.Model
	Tasks  []tasks.Task
	Data   *Prepared
}

// Run trains one configuration. It always returns a record when the
// configuration was valid: on failure (NaN loss, cancellation) the record has
// Status "failed", the error, and every finished epoch.
func Run(ctx context.Context, cfg Config, data *Data, hooks Hooks) (*Trained, error) {
	cfg = cfg.Canonical()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg, dataIDs, err := StampData(cfg) // the data's identity enters cfg.ID()
	if err != nil {
		return nil, err
	}
	strategy := cfg.Strategy
	prep, err := data.Prepare(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("prepare data: %w", err)
	}
	settings := tasks.NewSettings(cfg.Settings)
	env := &tasks.Env{
		DataDir: data.Dir, Vocab: prep.Vocab, Dim: cfg.Dim, SplitSeed: uint64(cfg.SplitSeed),
		Batch: cfg.Batch, Encoder: cfg.Encoder, Documents: prep.Documents, Settings: settings, Cache: data.Cache,
		Corpus:  func() (*tasks.Corpus, error) { return data.Corpus(ctx, prep) },
		Context: ctx,
	}
	ts := make([]tasks.Task, len(cfg.Tasks))
	for i, name := range cfg.Tasks {
		if ts[i], err = tasks.New(name, env); err != nil {
			return nil, err
		}
	}
	baseline, err := newAuxBaseline(env, cfg.Tasks)
	if err != nil {
		return nil, err
	}
	initSpec, err := readInit(cfg, settings)
	if err != nil {
		return nil, err
	}
	budgets, err := readBudgets(settings, cfg.Tasks)
	if err != nil {
		return nil, err
	}
	if err := settings.Unread(); err != nil {
		return nil, err
	}

	seed := uint64(cfg.Seed)
	emb := graph.NewTable("embedding", prep.Vocab.Len(), cfg.Dim)
	emb.Fill(graph.Uniform(-cfg.EmbedInit, cfg.EmbedInit), seed)
	initInfo, err := initEmbedding(ctx, initSpec, cfg, data, prep.Vocab, emb)
	if err != nil {
		return nil, err
	}
	opt := graph.DefaultAdam()
	opt.LR = cfg.LR
	model := graph.NewModel(emb, opt, seed)

	rec := &results.Record{
		Schema: results.SchemaVersion, ID: cfg.ID(), Label: strategy.Label(),
		Strategy: strategy, Setting: SettingLabel(cfg.Tasks), Tasks: cfg.Tasks, Seed: cfg.Seed,
		Config: cfg.AsMap(), GitRevision: results.GitRevision("."), Started: time.Now().UTC(),
		Status: results.StatusFailed, Machine: ptr(results.ReadMachine(max(1, hooks.Workers))),
		Data: recordData(dataIDs),
	}
	describe := map[string]any{"data": prep.Describe, "init": initInfo}
	for _, t := range ts {
		if d, ok := t.(tasks.Describer); ok {
			describe[t.Name()] = d.Describe()
		}
	}
	if len(baseline.describe) > 0 {
		describe["aux_baseline"] = baseline.describe
	}
	rec.Describe = describe

	tr := &Trained{Record: rec, Model: model, Tasks: ts, Data: prep}
	err = train(ctx, cfg, strategy, model, ts, budgets, rec, hooks)
	if err == nil {
		// The auxiliary metrics the run's tasks did not give, on the selected embedding.
		evalStart := time.Now()
		err = baseline.evaluate(model, rec.Final)
		rec.EvalSeconds += time.Since(evalStart).Seconds()
	}
	rec.Finished = time.Now().UTC()
	if err != nil {
		rec.Error = err.Error()
		return tr, fmt.Errorf("run %s: %w", rec.ID, err)
	}
	rec.Status = results.StatusDone
	return tr, nil
}

func ptr[T any](v T) *T { return &v }

// stream returns an independent random stream for one purpose of a run.
func stream(seed uint64, purpose string) *rand.Rand {
	return rand.New(pcgFor(seed, purpose)) // checkpoint: one derivation, in checkpoint.go
}

func train(ctx context.Context, cfg Config, strategy strategies.Spec, model *graph.Model, ts []tasks.Task, budgets []int, rec *results.Record, hooks Hooks) error {
	seed := uint64(cfg.Seed)
	primary, aux := ts[0], ts[1:]
	auxNames := make([]string, len(aux))
	for i, t := range aux {
		auxNames[i] = t.Name()
	}
	// checkpoint: the streams are kept with their generators, whose
	// positions a checkpoint records (checkpoint.go).
	streams := newRunStreams(seed, ts)
	shuffle, samplers := streams.shuffle, streams.samplers
	var history strategies.History
	ad := adaptive.New(strategy, primary.Name(), auxNames) // nil unless the strategy is adaptive
	best := -1.0
	var snap snapshot
	var trainSecs, evalSecs float64
	doneSteps := 0

	// checkpoint: resume from the latest checkpoint that fits (checkpoint.go).
	ck, err := newCheckpointer(cfg, hooks.Checkpoints, streams)
	if err != nil {
		return err
	}
	firstEpoch, selected := 1, 0
	if ls, err := ck.resume(model, ts, rec); err != nil {
		return err
	} else if ls != nil {
		firstEpoch, selected = ls.Epoch+1, ls.SelectedEpoch
		history.ValAccuracy, best, snap = ls.History, ls.Best, ls.Snapshot
		trainSecs, evalSecs, doneSteps = ls.TrainSeconds, ls.EvalSeconds, ls.DoneSteps
	}

	for epoch := firstEpoch; epoch <= cfg.Epochs; epoch++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("stopped before epoch %d: %w", epoch, err)
		}
		weights := ad.Weights(strategy, epoch, auxNames, history)
		active := []tasks.Task{primary}
		ws := []float64{1}
		samp := []*rand.Rand{samplers[0]}
		budget := []int{1}
		for i, t := range aux {
			if w := weights[t.Name()]; strategies.Runs(w, cfg.SkipBelow) {
				active = append(active, t)
				ws = append(ws, w)
				samp = append(samp, samplers[i+1])
				budget = append(budget, budgets[i+1])
			}
		}
		mods := make([]graph.Module, len(active))
		for i, t := range active {
			mods[i] = t
		}
		prog, err := model.Program(mods...)
		if err != nil {
			return err
		}
		counts, err := newEpochSteps(model, active, ws, samp, budget)
		if err != nil {
			return err
		}

		start := time.Now()
		steps := primary.StartEpoch(shuffle)
		for i, t := range active[1:] {
			t.StartEpoch(samp[i+1])
		}
		var checks []results.ValCheck
		var paused time.Duration // in-epoch validation, not training time
		// Linear decay assumes later epochs as long as this one.
		totalSteps := doneSteps + steps*(cfg.Epochs-epoch+1)
		for s := 0; s < steps; s++ {
			if cfg.LRDecay == "linear" {
				model.Opt.LR = linearLR(cfg.LR, doneSteps, totalSteps)
			}
			doneSteps++
			for i, t := range active {
				t.NextBatch(samp[i])
			}
			losses, err := ad.Step(prog, ws, s)
			if err != nil {
				return fmt.Errorf("epoch %d step %d: %w", epoch, s+1, err)
			}
			counts.joint(losses)
			if err := counts.extra(); err != nil {
				return fmt.Errorf("epoch %d step %d: %w", epoch, s+1, err)
			}
			// Every step: a BiLSTM step on a full batch can take a second,
			// and checking costs next to nothing.
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("stopped in epoch %d: %w", epoch, err)
			}
			if n := cfg.ValEverySteps; n > 0 && doneSteps%n == 0 && s+1 < steps {
				pauseStart := time.Now()
				val, err := primary.Evaluate(model, tasks.Validation)
				if err != nil {
					return err
				}
				trained := pauseStart.Sub(start) - paused
				checks = append(checks, results.ValCheck{Step: doneSteps, CumSeconds: trainSecs + trained.Seconds(), Val: results.Metrics(val)})
				paused += time.Since(pauseStart)
				evalSecs += time.Since(pauseStart).Seconds()
			}
		}
		secs := (time.Since(start) - paused).Seconds()
		trainSecs += secs

		e := results.Epoch{
			Epoch: epoch, Weights: map[string]float64{primary.Name(): 1}, Loss: map[string]float64{},
			Steps: steps, Seconds: secs, CumSeconds: trainSecs, Checks: checks,
		}
		for name, w := range weights {
			e.Weights[name] = w
		}
		for _, t := range active {
			e.Ran = append(e.Ran, t.Name())
		}
		counts.fill(&e)

		evalStart := time.Now()
		val, err := primary.Evaluate(model, tasks.Validation)
		if err != nil {
			return err
		}
		e.Val = results.Metrics(val)
		last := epoch == cfg.Epochs
		if len(aux) > 0 && (last || (cfg.AuxEvalEvery > 0 && epoch%cfg.AuxEvalEvery == 0)) {
			e.Aux = results.Metrics{}
			for _, t := range aux {
				m, err := t.Evaluate(model, tasks.Validation)
				if err != nil {
					return err
				}
				for k, v := range m {
					e.Aux[k] = v
				}
			}
		}
		acc, ok := val["accuracy"]
		if !ok {
			acc, ok = val[primary.Name()+"/accuracy"]
		}
		if !ok {
			acc = -e.Loss[primary.Name()] // a primary without accuracy: select on loss
		}
		history.ValAccuracy = append(history.ValAccuracy, acc)
		ad.EndEpoch(&e, &history, val)
		if cfg.Select == "best" && acc > best {
			best = acc
			snap = takeSnapshot(model, snap)
			rec.SelectedEpoch = epoch
			selected = epoch
		}
		evalSecs += time.Since(evalStart).Seconds()
		rec.Epochs = append(rec.Epochs, e)
		rec.TrainSeconds, rec.EvalSeconds = trainSecs, evalSecs
		// checkpoint: save this epoch boundary when one is due (checkpoint.go).
		if err := ck.epochDone(model, rec, loopState{Epoch: epoch, History: history.ValAccuracy, Best: best, Snapshot: snap,
			SelectedEpoch: selected, TrainSeconds: trainSecs, EvalSeconds: evalSecs, DoneSteps: doneSteps}); err != nil {
			return err
		}
		if hooks.Epoch != nil {
			hooks.Epoch(e)
		}
	}

	evalStart := time.Now()
	if cfg.Select == "best" && snap != nil {
		snap.restore(model)
	} else {
		rec.SelectedEpoch = cfg.Epochs
	}
	rec.Final = results.Metrics{}
	for i, t := range ts {
		var m tasks.Metrics
		var err error
		if ex, ok := t.(tasks.ExampleEvaluator); ok && i == 0 {
			var correct []bool
			m, correct, err = ex.EvaluateExamples(model, tasks.Test)
			rec.TestCorrect = results.EncodeCorrect(correct)
		} else {
			m, err = t.Evaluate(model, tasks.Test)
		}
		if err != nil {
			return err
		}
		for k, v := range m {
			rec.Final[k] = v
		}
	}
	rec.EvalSeconds = evalSecs + time.Since(evalStart).Seconds()
	return nil
}

// linearLR is word2vec's learning-rate schedule: from lr down to lr·1e-4,
// linearly in the steps taken.
func linearLR(lr float64, done, total int) float64 {
	return lr * max(1e-4, 1-float64(done)/float64(max(total, 1)))
}

// snapshot holds copies of every value of a model (not the optimiser
// state), keyed by table and parameter name.
type snapshot map[string][]float32

func takeSnapshot(m *graph.Model, s snapshot) snapshot {
	if s == nil {
		s = snapshot{}
	}
	for _, t := range m.Tables() {
		s["table/"+t.Name] = append(s["table/"+t.Name][:0], t.W...)
	}
	for _, p := range m.Params() {
		s["param/"+p.Name] = append(s["param/"+p.Name][:0], p.Data()...)
	}
	return s
}

// restore copies the snapshot back. Values created after the snapshot (a head
// first built in a later epoch) keep their current values.
func (s snapshot) restore(m *graph.Model) {
	for _, t := range m.Tables() {
		if v, ok := s["table/"+t.Name]; ok {
			copy(t.W, v)
		}
	}
	for _, p := range m.Params() {
		if v, ok := s["param/"+p.Name]; ok {
			copy(p.Data(), v)
		}
	}
}
