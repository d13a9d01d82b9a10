package experiments

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/fasttext"
	"github.com/mt2st/mt2st/tasks/word2vec"
	"github.com/mt2st/mt2st/wordvec"
)

// pretrainFastTextSGD pre-trains fasttext-sg or fasttext-cbow with word2vec's
// loop extended to subwords (word2vec.TrainSubwords): the graph task's
// n-grams and compact bucket rows (fasttext.NewSubwords, the task's minn,
// maxn and buckets settings; for fasttext-sg, its norm setting, gensim's
// 1/n by default, as word2vec.Options.Norm), fastText's and gensim's
// U(±1/dim) initial input rows, a zero output table. It returns what the graph task's
// PretrainedVectors returns (fasttext.PretrainedTable: each word's mean
// vector, then the trained n-gram rows keyed fasttext.NgramKey), so
// composeInit builds vectors for words outside the pre-training vocabulary
// the same way.
func pretrainFastTextSGD(ctx context.Context, p Config, data *Data) (*wordvec.Vectors, word2vec.Stats, error) {
	var st word2vec.Stats
	task := p.Tasks[0]
	model := word2vec.SkipGram
	if task == fasttext.NameCBOW {
		model = word2vec.CBOW
	}
	cfg, err := fasttext.ReadConfig(&tasks.Env{Settings: tasks.NewSettings(p.Settings)}, task)
	if err != nil {
		return nil, st, err
	}
	prep, err := data.Prepare(ctx, p)
	if err != nil {
		return nil, st, fmt.Errorf("prepare data: %w", err)
	}
	corpus, err := data.Corpus(ctx, prep)
	if err != nil {
		return nil, st, err
	}
	words := prep.Vocab.Words()
	sub, err := fasttext.NewSubwords(words, cfg.MinN, cfg.MaxN, cfg.Buckets, func(id int) bool { return id == 0 })
	if err != nil {
		return nil, st, fmt.Errorf("%s: %w", task, err)
	}
	o, err := sgdOptions(p, model, cfg.Config)
	if err != nil {
		return nil, st, err
	}
	norm := "mean" // CBOW's, whatever fasttext-sg.norm says
	if model == word2vec.SkipGram {
		if o.Norm, err = word2vec.ParseNorm(cfg.Norm); err != nil {
			return nil, st, fmt.Errorf("%s: %w", task, err)
		}
		norm = o.Norm.String()
	}
	v, d := len(words), p.Dim
	in, ngrams, out := make([]float32, v*d), make([]float32, sub.Rows()*d), make([]float32, v*d)
	word2vec.InitFastText(in, d, uint64(p.Seed))
	word2vec.InitFastText(ngrams, d, uint64(p.Seed)+1)
	st, err = word2vec.TrainSubwords(ctx, corpus, in, ngrams, out, d, sub, o)
	if err != nil {
		return nil, st, fmt.Errorf("%s: %w", task, err)
	}
	slog.Info("word2vec loop done", "task", task, "seconds", st.Seconds, "cpu_seconds", st.CPUSeconds, "threads", st.Threads, "kernel", word2vec.Kernel(),
		"tokens", st.Tokens, "trained", st.Trained, "ngram_rows", sub.Rows(), "norm", norm, "words_per_second", float64(st.Tokens)/max(st.Seconds, 1e-9))
	vecs, err := fasttext.PretrainedTable(words, sub, in, ngrams, d)
	return vecs, st, err
}
