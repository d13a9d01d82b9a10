package main

import (
	"flag"
	"fmt"
	"strconv"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/experiments"
	"github.com/mt2st/mt2st/tasks"
)

// configFlags are the run options shared by train and reproduce. Only flags
// given on the command line override the protocol's defaults.
type configFlags struct {
	fs                        *flag.FlagSet
	protocol, encoder, batch  string
	strategy, selectMode      string
	tasks                     listFlag
	epochs, dim, maxTokens    int
	sample, testSize          int
	minCount, maxVocab        int
	auxEvalEvery              int
	lr, valFraction           float64
	skipBelow, embedInit      float64
	seed, dataSeed, splitSeed int64
	set                       repeatFlag
	data                      string
	init, vocab, cache        string
	lrDecay                   string
}

func addConfigFlags(fs *flag.FlagSet, single bool) *configFlags {
	f := &configFlags{fs: fs}
	fs.StringVar(&f.protocol, "protocol", "paper", "protocol whose defaults apply: paper or imdb")
	fs.StringVar(&f.encoder, "encoder", "", "sentiment encoder: bag or bilstm (default: the protocol's)")
	if single {
		fs.StringVar(&f.strategy, "strategy", "stl", "strategy spec: stl, mtl:lambda=0.5, diminish:gamma=1,eta=0.3,nu=1, diminish-squared:alpha=0.95, switch:epoch=15,lambda=1")
		f.tasks = listFlag{"sentiment", "similarity", "analogy"}
		fs.Var(&f.tasks, "tasks", "comma-separated tasks, primary first")
		fs.Int64Var(&f.seed, "seed", 1, "run seed (initialisation, shuffling, sampling)")
	}
	fs.IntVar(&f.epochs, "epochs", 0, "epochs (default: the protocol's)")
	fs.StringVar(&f.batch, "batch", "", "primary minibatch size, or full (default: the protocol's)")
	fs.IntVar(&f.dim, "dim", 0, "embedding dimension (default 100)")
	fs.IntVar(&f.maxTokens, "max-tokens", 0, "tokens kept per review (default: the protocol's)")
	fs.Float64Var(&f.lr, "lr", 0, "Adam learning rate (default 1e-3)")
	fs.Int64Var(&f.dataSeed, "data-seed", 0, "seed of the review sample and the validation split")
	fs.Int64Var(&f.splitSeed, "split-seed", 0, "seed of the auxiliary train/report split")
	fs.IntVar(&f.sample, "sample", 0, "labelled reviews sampled (paper protocol: 1000)")
	fs.IntVar(&f.testSize, "test-size", 0, "reviews of the sample kept for test (paper protocol: 250)")
	fs.Float64Var(&f.valFraction, "val-fraction", 0, "fraction of the training reviews held out for validation")
	fs.IntVar(&f.minCount, "min-count", 0, "minimum count of a vocabulary word")
	fs.IntVar(&f.maxVocab, "max-vocab", 0, "vocabulary size limit (0 = none)")
	fs.Float64Var(&f.embedInit, "embed-init", 0, "embedding initialised from U(-x, x) (default 0.1)")
	fs.Float64Var(&f.skipBelow, "skip-below", 0, "auxiliary weights below this are treated as 0 and not run (default 1e-4)")
	fs.StringVar(&f.selectMode, "select", "", "model selection: best (validation accuracy) or last")
	fs.IntVar(&f.auxEvalEvery, "aux-eval-every", 0, "evaluate auxiliary metrics every N epochs (0 = only at the end)")
	fs.Var(&f.set, "set", "task setting key=value, repeatable (e.g. sentiment.hidden=128, similarity.train_fraction=0.7)")
	fs.StringVar(&f.data, "data", "", "data directory (default: $MT2ST_DATA, else ../shared/data)")
	fs.StringVar(&f.init, "init", "random", "embedding initialisation: random, skipgram, cbow, glove (pre-trained on IMDB train+unsup; options --set init.epochs=N,init.lr=X,init.min_count=N,init.seed=N) or a word2vec file (text or binary)")
	fs.StringVar(&f.vocab, "vocab", "", "vocabulary source: train (the primary's training texts, default) or corpus (IMDB train+unsup)")
	fs.StringVar(&f.cache, "cache", "runs/cache", "directory caching pre-trained embeddings (empty = no cache)")
	fs.StringVar(&f.lrDecay, "lr-decay", "none", "learning-rate schedule: none or linear (word2vec's decay to lr·1e-4)")
	return f
}

// resolve returns the protocol's defaults with the given flags applied.
func (f *configFlags) resolve() (experiments.Config, error) {
	c, err := experiments.Defaults(f.protocol)
	if err != nil {
		return c, err
	}
	given := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	if f.strategy != "" {
		c.Strategy = f.strategy
	}
	if len(f.tasks) > 0 {
		c.Tasks = append([]string(nil), f.tasks...)
	}
	c.Seed = f.seed
	if f.encoder != "" {
		c.Encoder = f.encoder
	}
	if given["batch"] {
		if f.batch == "full" {
			c.Batch = 0
		} else if c.Batch, err = strconv.Atoi(f.batch); err != nil || c.Batch <= 0 {
			return c, fmt.Errorf("--batch %q: want a positive integer or full", f.batch)
		}
	}
	setInt := func(name string, v int, dst *int) {
		if given[name] {
			*dst = v
		}
	}
	setInt("epochs", f.epochs, &c.Epochs)
	setInt("dim", f.dim, &c.Dim)
	setInt("max-tokens", f.maxTokens, &c.MaxTokens)
	setInt("sample", f.sample, &c.Sample)
	setInt("test-size", f.testSize, &c.TestSize)
	setInt("min-count", f.minCount, &c.MinCount)
	setInt("max-vocab", f.maxVocab, &c.MaxVocab)
	setInt("aux-eval-every", f.auxEvalEvery, &c.AuxEvalEvery)
	setFloat := func(name string, v float64, dst *float64) {
		if given[name] {
			*dst = v
		}
	}
	setFloat("lr", f.lr, &c.LR)
	setFloat("val-fraction", f.valFraction, &c.ValFraction)
	setFloat("skip-below", f.skipBelow, &c.SkipBelow)
	setFloat("embed-init", f.embedInit, &c.EmbedInit)
	if given["data-seed"] {
		c.DataSeed = f.dataSeed
	}
	if given["split-seed"] {
		c.SplitSeed = f.splitSeed
	}
	if f.selectMode != "" {
		c.Select = f.selectMode
	}
	if len(f.set) > 0 {
		s, err := tasks.ParseSettings(f.set)
		if err != nil {
			return c, err
		}
		c.Settings = s.Values()
	}
	if f.init != "random" {
		c.Init = f.init
	}
	if f.vocab != "" {
		c.Vocab = f.vocab
		if c.Vocab == "train" {
			c.Vocab = ""
		}
	}
	c.CacheDir = f.cache
	if f.lrDecay != "none" {
		c.LRDecay = f.lrDecay
	}
	if c.DataDir, err = datasets.ResolveDir(f.data); err != nil {
		return c, err
	}
	return c, c.Validate()
}
