package experiments

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/fasttext"
	"github.com/mt2st/mt2st/tasks/skipgram"
	"github.com/mt2st/mt2st/tasks/word2vec"
	"github.com/mt2st/mt2st/text"
	"github.com/mt2st/mt2st/wordvec"
)

// PretrainSGD pre-trains with word2vec's own loop (package tasks/word2vec):
// the configuration p is one corpus task (skipgram, cbow, or fastText:
// fasttext-sg, fasttext-cbow, see pretrainFastTextSGD) under STL, as
// readInit made it with init.optimizer sgd. The task's settings (window,
// negatives, sample, noise_power) are the graph task's.
func PretrainSGD(ctx context.Context, p Config, data *Data) (*wordvec.Vectors, word2vec.Stats, error) {
	var st word2vec.Stats
	p = p.Canonical()
	task := p.Tasks[0]
	model := word2vec.SkipGram
	switch task {
	case "skipgram":
	case "cbow":
		model = word2vec.CBOW
	case fasttext.NameSG, fasttext.NameCBOW:
		return pretrainFastTextSGD(ctx, p, data)
	default:
		return nil, st, fmt.Errorf("the word2vec loop trains skipgram, cbow, fasttext-sg or fasttext-cbow, not %s", task)
	}
	prep, err := data.Prepare(ctx, p)
	if err != nil {
		return nil, st, fmt.Errorf("prepare data: %w", err)
	}
	corpus, err := data.Corpus(ctx, prep)
	if err != nil {
		return nil, st, err
	}
	cfg, err := skipgram.ReadConfig(&tasks.Env{Settings: tasks.NewSettings(p.Settings)}, task, skipgram.DefaultConfig())
	if err != nil {
		return nil, st, err
	}
	o, err := sgdOptions(p, model, cfg)
	if err != nil {
		return nil, st, err
	}
	v, d := prep.Vocab.Len(), p.Dim
	in, out := make([]float32, v*d), make([]float32, v*d)
	word2vec.InitInput(in, d, uint64(p.Seed))
	st, err = word2vec.Train(ctx, corpus, in, out, d, o)
	if err != nil {
		return nil, st, err
	}
	slog.Info("word2vec loop done", "task", task, "seconds", st.Seconds, "cpu_seconds", st.CPUSeconds, "threads", st.Threads, "kernel", word2vec.Kernel(),
		"tokens", st.Tokens, "trained", st.Trained, "words_per_second", float64(st.Tokens)/max(st.Seconds, 1e-9))
	words := prep.Vocab.Words()
	if len(words) > 0 && words[0] == text.UnknownWord {
		words, in = words[1:], in[d:]
	}
	vecs, err := wordvec.NewVectors(words, d, in)
	return vecs, st, err
}

// PretrainConfig returns the configuration with which --init pre-trains for
// run configuration cfg (cfg.Init a corpus task; the init.* and task
// settings in cfg.Settings), as Run would make it: for tools that pre-train
// alone, such as the word2vec comparison under scripts/.
func PretrainConfig(cfg Config) (Config, error) {
	if err := validateInit(cfg.Init); err != nil {
		return Config{}, err
	}
	spec, err := readInit(cfg, tasks.NewSettings(cfg.Settings))
	if err != nil {
		return Config{}, err
	}
	if spec.pretrain == nil {
		return Config{}, fmt.Errorf("init %q pre-trains nothing: want one of %v", cfg.Init, PretrainTasks)
	}
	return *spec.pretrain, nil
}

// sgdOptions are the word2vec loop's options for pre-training configuration
// p with the task's settings cfg: init.threads, the epochs, the learning rate
// (decayed linearly to 1e-4 of it, or constant under init.lr_decay none),
// the seed, and progress logged every 5 s.
func sgdOptions(p Config, model word2vec.Model, cfg skipgram.Config) (word2vec.Options, error) {
	threads := 0
	if s, ok := p.Settings["init.threads"]; ok {
		var err error
		if threads, err = strconv.Atoi(s); err != nil {
			return word2vec.Options{}, fmt.Errorf("init.threads %q: %w", s, err)
		}
	}
	task := p.Tasks[0]
	o := word2vec.Options{
		Model: model, Config: cfg, Epochs: p.Epochs, Alpha: p.LR, MinAlpha: p.LR * 1e-4,
		Threads: threads, Seed: uint64(p.Seed),
		Progress: func(done, total int64) {
			slog.Info("pre-training", "task", task, "tokens", done, "of", total, "percent", 100*float64(done)/float64(max(total, 1)))
		},
	}
	if p.LRDecay == "" {
		o.MinAlpha = p.LR // init.lr_decay none: a constant rate
	}
	return o, nil
}
