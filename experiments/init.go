package experiments

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/options"
	"github.com/mt2st/mt2st/results"
	"github.com/mt2st/mt2st/strategies"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/fasttext"
	"github.com/mt2st/mt2st/text"
	"github.com/mt2st/mt2st/wordvec"
)

// PretrainTasks are the values of Config.Init that pre-train the embedding on
// the corpus with the task of that name.
var PretrainTasks = []string{"skipgram", "cbow", "glove", "fasttext-sg", "fasttext-cbow"}

// InitDefaults are the pre-training options of --init TASK, each overridable
// with the setting init.KEY (e.g. --set init.epochs=5); init.lr_decay
// (linear, as word2vec, or none) sets the learning-rate schedule and
// init.optimizer the optimiser: sgd, word2vec's own loop (package
// tasks/word2vec, the default for skipgram, cbow, fasttext-sg and
// fasttext-cbow: faster than gensim and than Adam on the graph task at
// gensim's quality, measured in that package's doc),
// or adam, the graph task trained by the run loop (glove's only choice).
// Pre-training uses a
// vocabulary built from the corpus (IMDB train+unsup, the primary's held-out
// reviews left out) with words counted at least min_count times, whatever the
// run's own vocabulary is: 750 reviews are too few to pre-train on, and the
// table is then mapped onto the run's vocabulary by word.
type InitDefaults struct {
	Epochs    int
	LR        float64
	MinCount  int
	Seed      int64
	Optimizer string // "sgd" (word2vec's loop) or "adam" (the graph task)
}

// HasSGD reports whether task pre-trains with word2vec's own loop under
// init.optimizer sgd: skipgram and cbow (word2vec.Train) and fastText's
// skip-gram and CBOW (word2vec.TrainSubwords).
func HasSGD(task string) bool {
	return task == "skipgram" || task == "cbow" || fasttext.IsName(task)
}

// DefaultInit returns the pre-training defaults of a task.
func DefaultInit(task string) InitDefaults {
	d := InitDefaults{Epochs: 3, LR: 0.025, MinCount: 5, Seed: 1, Optimizer: "sgd"}
	switch task {
	case "glove":
		d.Epochs, d.LR, d.Optimizer = 10, 1e-2, "adam"
	case "skipgram", "cbow", fasttext.NameSG, fasttext.NameCBOW:
	default: // any other graph task: Adam through the graph
		d.LR, d.Optimizer = 1e-2, "adam"
	}
	return d
}

func init() {
	tasks.DeclareOptions("init",
		tasks.Option{Key: "epochs", Kind: options.Int, Help: "pre-training epochs (default 3; glove 10)"},
		tasks.Option{Key: "lr", Kind: options.Float, Help: "pre-training learning rate (default: sgd 0.025, as word2vec; adam 0.01)"},
		tasks.Option{Key: "optimizer", Kind: options.String, Help: "pre-training optimiser: sgd (word2vec's own loop; default for skipgram, cbow, fasttext-sg and fasttext-cbow) or adam (the graph task; the only one for glove)"},
		tasks.Option{Key: "threads", Kind: options.Int, Default: 0, Help: "word2vec loop workers, lock-free (Hogwild) when > 1; 0 = every core, 1 = deterministic"},
		tasks.Option{Key: "min_count", Kind: options.Int, Default: 5, Help: "minimum count of a pre-training vocabulary word"},
		tasks.Option{Key: "lr_decay", Kind: options.String, Default: "linear", Help: "pre-training learning-rate schedule: linear (as word2vec) or none"},
		tasks.Option{Key: "seed", Kind: options.Int, Default: 1, Help: "pre-training seed"},
	)
}

// initSpec is what a run's Init asks for, with its settings read.
type initSpec struct {
	source   string // "random", a task name or a path
	pretrain *Config
}

func validateInit(s string) error {
	if s == "" || s == "random" || slices.Contains(PretrainTasks, s) {
		return nil
	}
	if st, err := os.Stat(s); err != nil || st.IsDir() {
		return fmt.Errorf("init %q: want random, %s or the path of a word2vec file (text or binary)", s, strings.Join(PretrainTasks, ", "))
	}
	return nil
}

// readInit reads the init.* settings (and marks the pre-training task's own
// settings as read, since they configure the pre-training) and returns what
// the run's Init asks for.
func readInit(cfg Config, settings *tasks.Settings) (initSpec, error) {
	spec := initSpec{source: cfg.Init}
	if spec.source == "" {
		spec.source = "random"
	}
	if !slices.Contains(PretrainTasks, spec.source) {
		return spec, nil
	}
	task := spec.source
	def := DefaultInit(task)
	p := cfg
	var err error
	if p.Epochs, err = settings.Int("init.epochs", def.Epochs); err != nil {
		return spec, err
	}
	optimizer := settings.String("init.optimizer", def.Optimizer)
	switch {
	case optimizer == "adam":
		def.LR = DefaultInit("glove").LR
	case optimizer != "sgd":
		return spec, fmt.Errorf("init.optimizer %q: valid values are sgd, adam", optimizer)
	case !HasSGD(task):
		return spec, fmt.Errorf("init.optimizer sgd: only skipgram, cbow, fasttext-sg and fasttext-cbow have word2vec's loop; %s pre-trains with adam", task)
	}
	if p.LR, err = settings.Float("init.lr", def.LR); err != nil {
		return spec, err
	}
	threads, err := settings.Int("init.threads", 0)
	if err != nil {
		return spec, err
	}
	if threads < 0 {
		return spec, fmt.Errorf("init.threads %d: want >= 0 (0 = every core)", threads)
	}
	if p.MinCount, err = settings.Int("init.min_count", def.MinCount); err != nil {
		return spec, err
	}
	p.LRDecay = settings.String("init.lr_decay", "linear")
	if p.LRDecay == "none" {
		p.LRDecay = ""
	}
	seed, err := settings.Int("init.seed", int(def.Seed))
	if err != nil {
		return spec, err
	}
	p.Seed = int64(seed)
	p.Settings = map[string]string{}
	for k, v := range settings.Values() {
		if strings.HasPrefix(k, task+".") && k != task+"."+tasks.StepsPerStep {
			settings.String(k, "") // read: it configures the pre-training
			p.Settings[k] = v
		}
	}
	if task == fasttext.NameSG {
		// Skip-gram's normalisation, default included, is part of the
		// cache key: a table trained before gensim's 1/n became the
		// default (fasttext-sg.norm unset then meant fastText's 1/(1+n))
		// must not be reused for the new default.
		if _, ok := p.Settings[task+".norm"]; !ok {
			p.Settings[task+".norm"] = fasttext.NormGensim
		}
	}
	if optimizer == "sgd" {
		// The word2vec loop: part of the configuration, and so of the
		// cache key (threads too: Hogwild results depend on them).
		p.Settings["init.optimizer"] = "sgd"
		if threads != 0 {
			p.Settings["init.threads"] = fmt.Sprint(threads)
		}
	}
	// Only what changes the pre-trained table stays in its configuration
	// (and so in its cache key): the corpus (the protocol's held-out
	// reviews), the vocabulary, the task and its options, dimension,
	// epochs, learning rate and seed.
	p.Tasks, p.Strategy, p.Vocab, p.Init = []string{task}, strategies.Spec{}, "corpus", ""
	p.MaxVocab, p.Select, p.AuxEvalEvery, p.SkipBelow = 0, "last", 0, 0
	p.Encoder, p.Batch, p.SplitSeed = "bag", 0, 0
	p.EmbedInit = 0.5 / float64(p.Dim) // word2vec's U(−0.5/D, 0.5/D)
	if err := p.Validate(); err != nil {
		return spec, fmt.Errorf("init %s: %w", task, err)
	}
	// The fingerprint of the files the pre-training reads (the corpus), not
	// of the run's, so runs with other tasks share the pre-trained table.
	p.DataFingerprint = ""
	if p.DataDir != "" {
		var err error
		if p, _, err = StampData(p); err != nil {
			return spec, fmt.Errorf("init %s: %w", task, err)
		}
	}
	spec.pretrain = &p
	return spec, nil
}

// pretrained keeps pre-trained tables in memory by configuration hash, so a
// reproduce or sweep in one process pre-trains each once even without a
// disk cache.
type pretrained struct {
	mu     sync.Mutex
	tables map[string]*wordvec.Vectors
}

var pretrainedTables pretrained

// PretrainPath is where the disk cache keeps the table pre-trained with
// configuration p.
func PretrainPath(cacheDir string, p Config) string {
	return filepath.Join(cacheDir, fmt.Sprintf("init-%s-%s.txt", p.Tasks[0], p.Hash()))
}

// Pretrain returns the embedding pre-trained with configuration p (one
// corpus task under STL), from the memory cache, else from the disk cache
// in cacheDir (when not ""), else by training it and writing the cache file
// atomically. fromCache reports whether no training was needed.
func Pretrain(ctx context.Context, p Config, data *Data, cacheDir string) (v *wordvec.Vectors, path string, fromCache bool, err error) {
	key := p.Hash()
	pretrainedTables.mu.Lock()
	defer pretrainedTables.mu.Unlock()
	if cacheDir != "" {
		path = PretrainPath(cacheDir, p)
	}
	if v, ok := pretrainedTables.tables[key]; ok {
		return v, path, true, nil
	}
	if path != "" {
		if v, err := wordvec.ReadFileContext(ctx, path); err == nil {
			remember(key, v)
			return v, path, true, nil
		} else if !os.IsNotExist(unwrapAll(err)) {
			slog.Warn("pre-trained table cache unreadable; training again", "path", path, "err", err)
		}
	}
	slog.Info("pre-training the embedding", "task", p.Tasks[0], "epochs", p.Epochs, "lr", p.LR, "dim", p.Dim, "cache", path)
	start := time.Now()
	if p.Settings["init.optimizer"] == "sgd" {
		if v, _, err = PretrainSGD(ctx, p, data); err != nil {
			return nil, "", false, fmt.Errorf("pre-train %s: %w", p.Tasks[0], err)
		}
	} else {
		// The graph task logs each epoch: GloVe's ten epochs over 38.5M
		// co-occurrence cells take tens of minutes, which must not pass in
		// silence.
		task, epochs := p.Tasks[0], p.Epochs
		tr, err := Run(ctx, p, data, Hooks{Epoch: func(e results.Epoch) {
			slog.Info("pre-training epoch done", "task", task, "epoch", e.Epoch, "of", epochs, "seconds", e.Seconds)
		}})
		if err != nil {
			return nil, "", false, fmt.Errorf("pre-train %s: %w", p.Tasks[0], err)
		}
		if v, err = pretrainedVectors(tr); err != nil {
			return nil, "", false, err
		}
		// LiveVectors shares the model's table: copy it before caching.
		v, err = wordvec.NewVectors(slices.Clone(v.Words), v.Dim, slices.Clone(v.Data))
		if err != nil {
			return nil, "", false, err
		}
	}
	slog.Info("pre-training done", "task", p.Tasks[0], "seconds", time.Since(start).Seconds(), "words", v.Len())
	if path != "" {
		if err := os.MkdirAll(cacheDir, 0o755); err != nil {
			return nil, "", false, fmt.Errorf("pre-train cache: %w", err)
		}
		if err := v.WriteFile(path); err != nil {
			return nil, "", false, fmt.Errorf("pre-train cache: %w", err)
		}
	}
	remember(key, v)
	return v, path, false, nil
}

func remember(key string, v *wordvec.Vectors) {
	if pretrainedTables.tables == nil {
		pretrainedTables.tables = map[string]*wordvec.Vectors{}
	}
	pretrainedTables.tables[key] = v
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

// initEmbedding sets the embedding's initial values as spec asks and
// returns what it did, for the run record.
func initEmbedding(ctx context.Context, spec initSpec, cfg Config, data *Data, vocab *text.Vocab, emb *graph.Table) (map[string]any, error) {
	info := map[string]any{"source": spec.source}
	var v *wordvec.Vectors
	switch {
	case spec.source == "random":
		info["uniform"] = cfg.EmbedInit
		return info, nil
	case spec.pretrain != nil:
		start := time.Now()
		vv, path, cached, err := Pretrain(ctx, *spec.pretrain, data, cfg.CacheDir)
		if err != nil {
			return nil, err
		}
		v = vv
		info["pretrain_config"] = spec.pretrain.AsMap()
		info["pretrain_hash"] = spec.pretrain.Hash()
		info["cache_file"] = path
		info["from_cache"] = cached
		info["seconds"] = time.Since(start).Seconds()
		composed := 0
		if v, composed, err = composeInit(spec, v, vocab); err != nil {
			return nil, err
		}
		if composed > 0 {
			info["composed_from_ngrams"] = composed
		}
	default:
		vv, err := wordvec.ReadFileContext(ctx, spec.source)
		if err != nil {
			return nil, fmt.Errorf("init: %w", err)
		}
		v = vv
		info["file"] = spec.source
	}
	cov, err := MapVectors(emb, vocab, v)
	if err != nil {
		return nil, fmt.Errorf("init from %s: %w", spec.source, err)
	}
	maps.Copy(info, cov.Map())
	slog.Info("embedding initialised", "source", spec.source, "words", cov.Words, "mapped", cov.Mapped,
		"word_coverage", cov.WordFraction(), "token_coverage", cov.TokenFraction())
	return info, nil
}

// Coverage says how much of a vocabulary a vectors file covered.
type Coverage struct {
	Words, Mapped           int   // vocabulary words (unknown word excluded) and how many had a vector
	Tokens, MappedTokens    int64 // the same weighted by the vocabulary's counts
	VectorWords, VectorsDim int
}

// WordFraction is Mapped / Words.
func (c Coverage) WordFraction() float64 { return float64(c.Mapped) / float64(max(c.Words, 1)) }

// TokenFraction is MappedTokens / Tokens (0 when the vocabulary has no counts).
func (c Coverage) TokenFraction() float64 {
	if c.Tokens == 0 {
		return 0
	}
	return float64(c.MappedTokens) / float64(c.Tokens)
}

// Map returns the coverage for a run record.
func (c Coverage) Map() map[string]any {
	return map[string]any{
		"vocab_words": c.Words, "mapped_words": c.Mapped, "word_coverage": c.WordFraction(),
		"token_coverage": c.TokenFraction(), "vector_words": c.VectorWords,
	}
}

// MapVectors copies into emb the vector of every vocabulary word that v has
// (by exact word), leaving the other rows (and the unknown word's) as they
// were. The dimensions must agree.
func MapVectors(emb *graph.Table, vocab *text.Vocab, v *wordvec.Vectors) (Coverage, error) {
	if v.Dim != emb.Dim {
		return Coverage{}, fmt.Errorf("vectors have %d dimensions, the embedding %d (set --dim %d)", v.Dim, emb.Dim, v.Dim)
	}
	if vocab.Len() > emb.Rows {
		return Coverage{}, fmt.Errorf("vocabulary of %d words does not fit the %d-row embedding", vocab.Len(), emb.Rows)
	}
	c := Coverage{VectorWords: v.Len(), VectorsDim: v.Dim}
	for id := int32(1); id < int32(vocab.Len()); id++ {
		c.Words++
		n := vocab.Count(id)
		c.Tokens += n
		i, ok := v.Index(vocab.Word(id))
		if !ok {
			continue
		}
		copy(emb.Row(int(id)), v.Row(i))
		c.Mapped++
		c.MappedTokens += n
	}
	return c, nil
}
