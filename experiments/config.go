package experiments

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/mt2st/mt2st/strategies"
	"github.com/mt2st/mt2st/tasks"
)

// Config is one run, fully resolved. Its JSON form (without DataDir) is what
// identifies the run: the same Config always has the same ID.
type Config struct {
	Protocol string   `json:"protocol"` // "paper" or "imdb"
	Tasks    []string `json:"tasks"`    // first = primary
	// Strategy is the parsed strategy; it marshals as its canonical spec
	// text, e.g. "switch:epoch=15,lambda=1".
	Strategy strategies.Spec `json:"strategy"`
	Encoder  string          `json:"encoder"` // sentiment encoder: "bag" or "bilstm"
	Epochs   int             `json:"epochs"`
	// Batch is the minibatch size of the primary task; 0 means full batch.
	Batch     int     `json:"batch"`
	Dim       int     `json:"dim"`
	MaxTokens int     `json:"max_tokens"`
	LR        float64 `json:"lr"`
	// Seed drives initialisation, shuffling and negative sampling (separate
	// streams derived from it).
	Seed int64 `json:"seed"`
	// DataSeed drives the review sample and the validation split; it stays
	// fixed across seeds so every run is scored on the same reviews.
	DataSeed int64 `json:"data_seed"`
	// SplitSeed drives the auxiliary train/report split of pairs and questions.
	SplitSeed int64 `json:"split_seed"`
	// Sample is how many labelled reviews the paper protocol samples (0 = the
	// standard split); TestSize of them are the test split.
	Sample      int     `json:"sample"`
	TestSize    int     `json:"test_size"`
	ValFraction float64 `json:"val_fraction"`
	MinCount    int     `json:"min_count"`
	MaxVocab    int     `json:"max_vocab"`
	// EmbedInit is the half-width of the uniform initialisation of the embedding.
	EmbedInit float64 `json:"embed_init"`
	// SkipBelow: an auxiliary task whose weight is below this is not run.
	SkipBelow float64 `json:"skip_below"`
	// Select is "best" (the epoch with the best validation accuracy) or "last".
	Select string `json:"select"`
	// AuxEvalEvery evaluates the auxiliary metrics every n epochs (and always
	// after the last); 0 means only at the end.
	AuxEvalEvery int `json:"aux_eval_every"`
	// ValEverySteps also evaluates the primary task on validation every n
	// training steps inside an epoch (0 = only at epoch ends), so the time to
	// a target accuracy is not rounded up to a whole epoch. It changes no
	// training: the evaluation time is excluded from the training time.
	ValEverySteps int `json:"val_every_steps,omitempty"`
	// Settings are task options, "task.key" = value.
	Settings map[string]string `json:"settings,omitempty"`
	// Vocab is where the vocabulary comes from: "" or "train" = the primary
	// task's training texts; "corpus" = the IMDB train+unsup texts (held-out
	// reviews left out), which suits pre-training on the corpus tasks.
	Vocab string `json:"vocab,omitempty"`
	// Init is the embedding's initialisation: "" or "random" (uniform, see
	// EmbedInit), "skipgram", "cbow", "glove", "fasttext-sg" or
	// "fasttext-cbow" (pre-trained on the corpus, see init.go), or the path
	// of a word2vec text or binary file.
	Init string `json:"init,omitempty"`
	// LRDecay is "" (a constant learning rate) or "linear" (word2vec's decay
	// to LR·1e-4 over the run's steps, used by corpus pre-training).
	LRDecay string `json:"lr_decay,omitempty"`
	// CheckpointEvery is how often the run saves its exact state to resume
	// from: "" never, "5" every 5 epochs, "10m" every 10 minutes of wall time
	// (see checkpoint.go). Not part of the run's identity: Hash and AsMap
	// leave it out.
	CheckpointEvery string `json:"checkpoint_every,omitempty"`
	// DataFingerprint is a short hash of the data files the run reads (see
	// StampData and docs/design.md): set from DataDir by Run, or by a sweep
	// when it plans its trials. Part of the identity, so the ID changes when
	// the data does. Not a run option: it is measured, never chosen.
	DataFingerprint string `json:"data_fingerprint,omitempty"`
	// DataDir is where the data is; not part of the run's identity (its
	// content is, through DataFingerprint).
	DataDir string `json:"-"`
	// CacheDir keeps pre-trained embeddings between runs ("" = no disk
	// cache); not part of the run's identity.
	CacheDir string `json:"-"`
}

// Protocols are the valid protocol names.
var Protocols = []string{"paper", "imdb"}

// Defaults returns the protocol's configuration (tasks: all three; strategy:
// stl).
func Defaults(protocol string) (Config, error) {
	c := Config{
		Protocol: protocol, Tasks: []string{"sentiment", "similarity", "analogy"}, Strategy: strategies.MustParseSpec("stl"),
		Dim: 100, LR: 1e-3, Seed: 1, DataSeed: 0, SplitSeed: 0, ValFraction: 0.2,
		EmbedInit: 0.1, SkipBelow: 1e-4, Select: "best",
	}
	switch protocol {
	case "paper":
		c.Encoder, c.Epochs, c.Batch, c.MaxTokens = "bilstm", 25, 0, 100
		c.Sample, c.TestSize, c.MinCount, c.MaxVocab = 1000, 250, 1, 0
		c.AuxEvalEvery = 5
	case "imdb":
		c.Encoder, c.Epochs, c.Batch, c.MaxTokens = "bag", 10, 64, 400
		c.Sample, c.TestSize, c.MinCount, c.MaxVocab = 0, 0, 5, 30000
		c.ValFraction = 0.1
		c.AuxEvalEvery = 0
	default:
		return Config{}, fmt.Errorf("unknown protocol %q: valid protocols are %s", protocol, strings.Join(Protocols, ", "))
	}
	return c, nil
}

// Validate checks the configuration and returns the first problem, naming the
// field and value.
func (c *Config) Validate() error {
	for _, o := range runOptions {
		if o.check != nil {
			if err := o.check(c); err != nil {
				return err
			}
		}
	}
	if len(c.Tasks) == 0 {
		return fmt.Errorf("tasks: none given")
	}
	if err := tasks.CheckNames(c.Tasks); err != nil {
		return err
	}
	for i, t := range c.Tasks {
		if slices.Contains(c.Tasks[:i], t) {
			return fmt.Errorf("tasks: %s listed twice", t)
		}
	}
	if err := c.Strategy.CheckTasks(c.Tasks[1:]); err != nil {
		return err
	}
	if c.Sample != 0 && c.TestSize >= c.Sample {
		return fmt.Errorf("sample %d with test size %d: want 0 or test size < sample", c.Sample, c.TestSize)
	}
	return nil
}

// Canonical returns a copy that shares no slices or maps with c, with empty
// settings as nil, so equal runs hash equally. (The strategy is always in
// canonical form: it is a parsed Spec.)
func (c Config) Canonical() Config {
	c.Tasks = slices.Clone(c.Tasks)
	c.Settings = maps.Clone(c.Settings)
	if len(c.Settings) == 0 {
		c.Settings = nil
	}
	return c
}

// Hash is a short stable hash of the canonical configuration.
func (c Config) Hash() string {
	c.CheckpointEvery = ""
	b, _ := json.Marshal(c.Canonical()) // a struct of plain fields always marshals
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}

// ID names the run: protocol, strategy name, hash (which includes the seed).
func (c Config) ID() string {
	return fmt.Sprintf("%s-%s-s%d-%s", c.Protocol, c.Strategy.Name(), c.Seed, c.Hash())
}

// AsMap returns the configuration as a JSON-style map for records.
func (c Config) AsMap() map[string]any {
	c.CheckpointEvery = ""
	b, _ := json.Marshal(c.Canonical())
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

// SettingLabel names the task combination the way the paper's tables do:
// "0: primary only", "1: +similarity", "2: +analogy", "3: +similarity +analogy";
// other combinations are spelled out.
func SettingLabel(taskNames []string) string {
	aux := taskNames[1:]
	switch {
	case len(aux) == 0:
		return "0: primary only"
	case slices.Equal(aux, []string{"similarity"}):
		return "1: +similarity"
	case slices.Equal(aux, []string{"analogy"}):
		return "2: +analogy"
	case slices.Equal(aux, []string{"similarity", "analogy"}):
		return "3: +similarity +analogy"
	}
	return "+" + strings.Join(aux, " +")
}
