package results

import (
	"time"

	"github.com/mt2st/mt2st/strategies"
)

// SchemaVersion is the version of the Record JSON layout. Version 2 moved
// three entries out of the untyped Config map into fields of their own
// (Describe, SelectedEpoch, Sweep); ReadRecord lifts them from version 1
// records, which still load.
const SchemaVersion = 2

// Record is everything one training run leaves behind: one JSON file per run.
type Record struct {
	Schema int    `json:"schema"`
	ID     string `json:"id"`    // unique run id (config hash + seed)
	Label  string `json:"label"` // row label in tables, e.g. "MT2ST-Switch"
	// Strategy is the run's strategy; it is stored as its spec text, e.g.
	// "switch:epoch=15,lambda=1".
	Strategy strategies.Spec `json:"strategy"`
	Setting  string          `json:"setting"` // e.g. "0: primary only", "3: +similarity +analogy"
	Tasks    []string        `json:"tasks"`   // first = primary
	Seed     int64           `json:"seed"`    // the run's seed
	// ConfigHash identifies the configuration without the seed: the runs of a
	// sweep that share it are replicates and are aggregated together. Empty
	// for runs outside a sweep, which group by (Label, Setting).
	ConfigHash string `json:"config_hash,omitempty"`
	// Replicate is the run's replicate index within its configuration (from
	// 1; 0 outside a sweep).
	Replicate int            `json:"replicate,omitempty"`
	Config    map[string]any `json:"config"` // fully resolved run configuration
	// Describe says what the run trained and reported on: the data, the
	// initial embedding, each task's split and counts.
	Describe map[string]any `json:"describe,omitempty"`
	// SelectedEpoch is the epoch whose model was evaluated on the test split
	// (model selection on validation), from 1; 0 when unknown.
	SelectedEpoch int `json:"selected_epoch,omitempty"`
	// Sweep places a sweep trial in its sweep; nil outside a sweep.
	Sweep *SweepTrial `json:"sweep,omitempty"`
	// Resumed says which checkpoint the run continued from; nil when it
	// trained from epoch 1.
	Resumed *Resumption `json:"resumed,omitempty"`
	// CheckpointsSkipped lists checkpoints found but not used, and why.
	CheckpointsSkipped []string  `json:"checkpoints_skipped,omitempty"`
	GitRevision        string    `json:"git_revision"` // "unknown" when not in a git checkout
	Started            time.Time `json:"started"`
	Finished           time.Time `json:"finished"`
	Status             string    `json:"status"` // StatusDone or StatusFailed
	Error              string    `json:"error,omitempty"`
	Epochs             []Epoch   `json:"epochs"`
	Final              Metrics   `json:"final"` // test-split metrics, evaluated once at the end
	// TestCorrect optionally records which primary test examples the final
	// model got right, in test-split order, packed by EncodeCorrect (read it
	// with DecodeCorrect). It lets two single runs on the same test split be
	// compared by McNemar's exact test. Empty when not recorded.
	TestCorrect string `json:"test_correct,omitempty"`
	// TrainSeconds is the wall time of all training epochs (evaluation excluded).
	TrainSeconds float64 `json:"train_seconds"`
	// EvalSeconds is the wall time spent in evaluation (validation each epoch + final test).
	EvalSeconds float64 `json:"eval_seconds"`
	// Machine is where the run trained, read at its start; nil in records
	// written before it was recorded.
	Machine *Machine `json:"machine,omitempty"`
	// Data lists every data file the run read, with its row count and
	// sha256; their fingerprint is the config's data_fingerprint. Empty in
	// records written before it was recorded.
	Data []DataFile `json:"data,omitempty"`
}

// DataFile is one data file a run read: its path relative to the data
// directory, its rows (reviews, word pairs, questions, sentences) and its
// sha256 (for a folder of review files, the sha256 of its sorted
// "name sha256" lines).
type DataFile struct {
	Path   string `json:"path"`
	Rows   int    `json:"rows"`
	SHA256 string `json:"sha256"`
}

// Status values of Record.Status.
const (
	StatusDone   = "done"
	StatusFailed = "failed"
)

// Epoch is one epoch of a run.
type Epoch struct {
	Epoch   int                `json:"epoch"`   // from 1
	Weights map[string]float64 `json:"weights"` // task -> weight in the combined loss (primary = 1)
	Ran     []string           `json:"ran"`     // tasks whose graph heads were executed this epoch
	Loss    map[string]float64 `json:"loss"`    // task -> mean unweighted loss over the epoch's steps (ran tasks only)
	Steps   int                `json:"steps"`   // primary steps
	// TaskSteps counts each task that ran this epoch's training steps: the
	// primary's equal Steps; an auxiliary task's are Steps times its budget
	// (its steps_per_step option). Nil in records written before it was kept.
	TaskSteps map[string]int `json:"task_steps,omitempty"`
	// Examples counts each ran task's real training examples this epoch
	// (pairs, questions, centre words: padding excluded), for tasks that can
	// count them. Nil in records written before it was kept.
	Examples map[string]int64 `json:"examples,omitempty"`
	// Val holds the primary task's validation metrics (e.g. "accuracy", "macro_f1").
	Val Metrics `json:"val"`
	// Aux holds auxiliary metrics when they were evaluated this epoch (e.g. "similarity/spearman_mean").
	Aux Metrics `json:"aux,omitempty"`
	// Checks are validation evaluations inside the epoch (the run option
	// val_every_steps), in step order; the epoch-end one is Val.
	Checks     []ValCheck `json:"checks,omitempty"`
	Seconds    float64    `json:"seconds"`     // training wall time of this epoch (evaluation excluded)
	CumSeconds float64    `json:"cum_seconds"` // training wall time up to and including this epoch
	// Signals is what an adaptive strategy saw and decided (nil otherwise);
	// for those strategies Weights are the mean weights the epoch's steps applied.
	Signals *Signals `json:"signals,omitempty"`
}

// Metrics maps a metric name to its value. Names used across the project:
//
//	accuracy, macro_f1                          primary task (fractions in [0,1])
//	similarity/spearman_mean                    mean Spearman rho over the reported lists
//	similarity/<LIST>/spearman, .../oov         per list
//	analogy/3cosadd, analogy/3cosmul            overall accuracy on reported questions
//	analogy/<section>/3cosadd, ...              per section
type Metrics map[string]float64

// SweepTrial is where a run sits in its sweep.
type SweepTrial struct {
	Name      string            `json:"name"`
	Index     int               `json:"index"`
	Replicate int               `json:"replicate"`
	Values    map[string]string `json:"values,omitempty"`
}

// ValCheck is one validation evaluation inside an epoch.
type ValCheck struct {
	Step       int     `json:"step"`        // training steps taken in the run so far
	CumSeconds float64 `json:"cum_seconds"` // training wall time up to this step (evaluation excluded)
	Val        Metrics `json:"val"`
}

// Resumption is where a resumed run picked up.
type Resumption struct {
	Epoch int    `json:"epoch"` // the last epoch the checkpoint holds
	From  string `json:"from"`  // "own", or "shared prefix of <run id>"
}
