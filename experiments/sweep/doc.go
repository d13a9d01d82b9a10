// Package sweep runs sweeps: many training runs described by one YAML file,
// in parallel worker processes, resumable after any crash, aggregated over
// seeds into tables and plots.
//
// # Sweep files
//
// A sweep file (go.yaml.in/yaml/v3, whose nodes carry line numbers, so every
// unknown key or mistyped value is reported with its key and line) has a
// base configuration — any experiments.Config field by its JSON name, the
// protocol's defaults applied first, task options as task.key — and axes:
// grid (cartesian product), zip (lists advancing together) and include
// (extra configurations, e.g. the STL and MTL baselines). Strategy
// parameters are options too: strategy.eta, strategy.epoch,
// strategy.similarity.lambda. replicates (a count or a list of indices)
// repeats every configuration with another seed. See README.md.
//
// # Identity and seeds
//
// Expand resolves each configuration fully and hashes it without the seed
// (ConfigHash). Replicate r of a configuration gets the seed
// DeriveSeed(mode, sweep seed, config hash, r) — by default the same for
// every configuration (SeedsPaired), so strategies are compared on common
// random numbers — and the trial's ID is
// Config.ID(), which ends in the hash of the whole configuration, seed
// included: the same trial always has the same directory, whichever file,
// order or machine it came from, so adding replicates or axis values to a
// sweep reuses every trial already run. The configuration includes the
// fingerprint of the data its run reads (StampData, at plan time, before
// the manifest is written), so trials on other data get other IDs. The run itself draws separate random
// streams from the seed for initialisation, shuffling and each task's
// sampling; the data sample and splits come from the configuration's own
// data_seed and split_seed, shared by all replicates unless the file sets
// vary_data.
//
// # Crash safety
//
// A trial directory OUT/trials/<id> is written in this order: trial.json,
// progress.json after each epoch, the run record (atomic: temporary file,
// fsync, rename), then the DONE marker (atomic), which holds the record's
// SHA-256. A trial counts as finished only with a DONE marker that parses,
// names the trial and matches the record byte for byte; anything else —
// a killed worker, a half-copied directory, a record without a marker — is
// unfinished and reruns. The running process holds flock(2) on the trial's
// .lock file (released by the kernel when it dies), so two processes never
// run one trial at once. A trial that ended with an error gets a marker
// with status "failed" and reruns only with RetryFailed. With
// checkpoint_every a killed trial resumes from its newest checkpoint
// (experiments.Checkpoints), bit-identically.
//
// # Shared prefixes
//
// SharePrefixes links trials that differ only in the strategy and train with
// the same weights up to some epoch: the parent saves its state there
// (PrefixFile), the child starts from it, and Run dispatches a child once
// its fork point exists (or once its parent will not produce it in this run).
//
// # Untrusted directories
//
// A marker's record must be the trial's own <id>.json: any other name (say
// ../../../../etc/passwd) makes the trial unfinished, so Status, Report and
// Collect never read or copy a file outside the trial directory. Symbolic
// links under OUT/trials — a trial directory, a marker, a record — are never
// followed: such a trial is unfinished, with the reason shown by Status, and
// a worker or Collect refuses to write through it. A sweep's name must be a
// safe file name (at most MaxNameLen bytes, no slash, no control character,
// no leading dot), checked when the file is parsed; Run refuses an OUT that
// holds another sweep's manifest (CheckSameSweep), and Collect refuses to
// merge two sweeps.
//
// # Running
//
// Run starts N worker processes (this program's hidden "sweep _worker"
// command, GOMAXPROCS = cores / N each), feeds them trial indices on stdin
// and reads their progress as JSON lines on stdout. Each worker loads the
// data once and runs many trials. Cancelling the context (Ctrl-C) stops
// dispatching, interrupts the workers, which write nothing for the trial
// they were in, and waits for them. Workers die with the runner (Linux
// parent-death signal, and a parent-PID watch elsewhere). Trials run
// replicate by replicate, so a stopped sweep has covered every
// configuration.
//
// For clusters, WriteManifest writes the plan as JSON lines (line i = trial
// i), RunTrial runs one trial of it (the "sweep worker" command, whose index
// may come from $SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX), and Collect
// merges the resulting directories. Status and Report read any of them.
//
// # Built-in sweeps
//
// Reproduce is the comparison matrix of `mt2st reproduce`; PaperTable is
// that matrix once per initial embedding, the grid of the paper's table
// (`reproduce --paper-table`), which WritePaperTable lays out beside the
// reference code's logged runs (package results/paperref).
package sweep
