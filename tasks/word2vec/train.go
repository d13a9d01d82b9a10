package word2vec

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/skipgram"
)

// Model selects the word2vec objective.
type Model int

const (
	SkipGram Model = iota // predict each context word from the centre word
	CBOW                  // predict the centre word from the mean of its context rows
)

func (m Model) String() string {
	if m == CBOW {
		return "cbow"
	}
	return "skipgram"
}

// Options configures Train. The zero value of a field is not a default:
// use DefaultOptions.
type Options struct {
	Model  Model
	Config skipgram.Config // window, negatives, sample, noise power (Batch and Steps unused)
	Epochs int
	// Alpha is the starting learning rate, decayed linearly per word
	// processed to MinAlpha at the end of the last epoch.
	Alpha, MinAlpha float64
	// Threads is the number of Hogwild workers; 0 means GOMAXPROCS. With 1
	// the result depends only on the seed and the inputs.
	Threads int
	Seed    uint64
	// Progress, when set, is called about every ProgressEvery (default 5 s)
	// with the corpus tokens processed so far and the total to process.
	Progress      func(done, total int64)
	ProgressEvery time.Duration
	// Norm is what fastText skip-gram's input vector divides the sum of a
	// word's rows by (TrainSubwords only; CBOW always divides by the number
	// of rows): NormGensim (the zero value and the default) or NormFastText.
	Norm Norm
}

// Norm selects the divisor of fastText skip-gram's input vector, the sum of
// a word's row and its n rows of n-grams (once per listing).
type Norm int

const (
	// NormGensim divides by n, the word row not counted (by 1, the word row
	// alone, when n = 0), as gensim 4's fasttext_inner.pyx does
	// (fasttext_fast_sentence_sg_neg and _sg_hs).
	NormGensim Norm = iota
	// NormFastText divides by 1 + n, as fastText's Model::computeHidden.
	NormFastText
)

func (n Norm) String() string {
	if n == NormFastText {
		return "fasttext"
	}
	return "gensim"
}

// ParseNorm reads a Norm by its String: gensim or fasttext.
func ParseNorm(s string) (Norm, error) {
	switch s {
	case "gensim":
		return NormGensim, nil
	case "fasttext":
		return NormFastText, nil
	}
	return 0, fmt.Errorf("word2vec: norm %q: valid values are gensim, fasttext", s)
}

// Divisor is what the sum of a word's row and its n n-gram rows is divided
// by: n (1 when n = 0) under NormGensim, 1 + n under NormFastText.
func (n Norm) Divisor(ngrams int) int {
	if n == NormFastText {
		return 1 + ngrams
	}
	return max(ngrams, 1)
}

// DefaultOptions are gensim 4.x's Word2Vec defaults for model m: window 5,
// 5 negatives, sample 1e-3, noise power 0.75, α 0.025 → 0.0001·0.025, 5
// epochs, every core; fastText skip-gram divides as gensim's FastText
// (NormGensim).
func DefaultOptions(m Model) Options {
	return Options{Model: m, Config: skipgram.DefaultConfig(), Epochs: 5, Alpha: 0.025, MinAlpha: 0.025 * 1e-4, Norm: NormGensim}
}

// Stats reports what Train did.
type Stats struct {
	Tokens  int64   // corpus tokens read over all epochs
	Trained int64   // of those, kept by subsampling
	Threads int     // workers used
	Seconds float64 // wall time of the training loop
	// CPUSeconds is the process's CPU time (user + system) during the loop,
	// on Unix (0 elsewhere): a figure less disturbed than wall time when
	// the machine is shared.
	CPUSeconds float64
}

// jobWords is the size of a unit of work, in tokens (gensim's batch_words).
const jobWords = 10000

// expTable holds σ(x) for x in [−maxExp, maxExp], as word2vec's EXP_TABLE.
const (
	expTableSize = 1000
	maxExp       = 6
)

var expTable = func() []float32 {
	t := make([]float32, expTableSize)
	for i := range t {
		x := math.Exp((float64(i)/expTableSize*2 - 1) * maxExp)
		t[i] = float32(x / (x + 1))
	}
	return t
}()

// InitInput fills the input table as word2vec and gensim do: every value
// uniform in [−0.5/dim, 0.5/dim).
func InitInput(in []float32, dim int, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 0x77327631))
	s := 1 / float64(dim)
	for i := range in {
		in[i] = float32((r.Float64() - 0.5) * s)
	}
}

// Train runs word2vec's training loop over corpus c on the input table in
// (the embedding, V×dim, initialised by the caller, e.g. with InitInput) and
// the output table out (word2vec's syn1neg, V×dim, normally zero), updating
// both in place. See the package doc for the algorithm.
func Train(ctx context.Context, c *tasks.Corpus, in, out []float32, dim int, o Options) (Stats, error) {
	t, err := newTrainer(c, in, out, dim, o)
	if err != nil {
		return Stats{}, err
	}
	return t.run(ctx)
}

// newTrainer checks the arguments and builds the samplers and job list.
func newTrainer(c *tasks.Corpus, in, out []float32, dim int, o Options) (*trainer, error) {
	v := len(c.Counts)
	switch {
	case dim < 1:
		return nil, fmt.Errorf("word2vec: dimension %d: want >= 1", dim)
	case len(in) != v*dim || len(out) != v*dim:
		return nil, fmt.Errorf("word2vec: tables of %d and %d values for %d words × %d dimensions", len(in), len(out), v, dim)
	case o.Epochs < 1:
		return nil, fmt.Errorf("word2vec: %d epochs: want >= 1", o.Epochs)
	case !(o.Alpha > 0) || o.MinAlpha < 0 || o.MinAlpha > o.Alpha:
		return nil, fmt.Errorf("word2vec: learning rate %g → %g: want 0 <= final <= start, start > 0", o.Alpha, o.MinAlpha)
	case o.Threads < 0:
		return nil, fmt.Errorf("word2vec: %d threads: want >= 0 (0 = GOMAXPROCS)", o.Threads)
	case o.Norm != NormGensim && o.Norm != NormFastText:
		return nil, fmt.Errorf("word2vec: norm %d: want NormGensim or NormFastText", o.Norm)
	}
	if err := o.Config.Check(); err != nil {
		return nil, fmt.Errorf("word2vec: %w", err)
	}
	if err := c.Check(v); err != nil {
		return nil, fmt.Errorf("word2vec: %w", err)
	}
	noise, err := skipgram.NewNoise(c.Counts, o.Config.NoisePower)
	if err != nil {
		return nil, fmt.Errorf("word2vec: %w", err)
	}
	t := &trainer{corpus: c, in: in, out: out, dim: dim, o: o, jobs: makeJobs(c)}
	prob, alias := noise.Alias()
	t.noiseProb, t.noiseAlias = make([]uint32, v), alias
	for i, p := range prob {
		t.noiseProb[i] = uint32(min(p*(1<<32), math.MaxUint32))
	}
	t.keep = make([]uint32, v)
	for i, k := range skipgram.KeepProbs(c.Counts, o.Config.Sample) {
		t.keep[i] = uint32(min(float64(k)*(1<<32), math.MaxUint32))
		if k >= 1 {
			t.keep[i] = math.MaxUint32
		}
	}
	t.total = int64(o.Epochs) * c.Total()
	t.order = make([][]int, o.Epochs)
	r := rand.New(rand.NewPCG(o.Seed, 0x6a6f6273))
	for e := range t.order {
		t.order[e] = r.Perm(len(t.jobs))
	}
	return t, nil
}

func (t *trainer) run(ctx context.Context) (Stats, error) {
	o := t.o
	threads := o.Threads
	if threads == 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	threads = min(threads, o.Epochs*len(t.jobs))
	start, cpu0 := time.Now(), processCPU()
	done := make(chan struct{})
	var mon sync.WaitGroup
	if o.Progress != nil {
		every := o.ProgressEvery
		if every <= 0 {
			every = 5 * time.Second
		}
		mon.Go(func() {
			tick := time.NewTicker(every)
			defer tick.Stop()
			for {
				select {
				case <-done:
					return
				case <-tick.C:
					o.Progress(t.processed.Load(), t.total)
				}
			}
		})
	}
	var wg sync.WaitGroup
	errs := make([]error, threads)
	for w := range threads {
		wg.Go(func() { errs[w] = t.work(ctx) })
	}
	wg.Wait()
	close(done)
	mon.Wait()
	st := Stats{Tokens: t.processed.Load(), Trained: t.trained.Load(), Threads: threads, Seconds: time.Since(start).Seconds()}
	if cpu1 := processCPU(); cpu1 > 0 {
		st.CPUSeconds = cpu1 - cpu0
	}
	for _, err := range errs {
		if err != nil {
			return st, err
		}
	}
	for _, x := range t.in {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return st, fmt.Errorf("word2vec: the input table diverged (a non-finite value); lower the learning rate")
		}
	}
	return st, nil
}

// job is a run of whole documents of about jobWords tokens.
type job struct{ firstDoc, endDoc int }

func makeJobs(c *tasks.Corpus) []job {
	var jobs []job
	first, words := 0, 0
	for d := range c.Docs() {
		words += c.Starts[d+1] - c.Starts[d]
		if words >= jobWords {
			jobs = append(jobs, job{first, d + 1})
			first, words = d+1, 0
		}
	}
	if first < c.Docs() {
		jobs = append(jobs, job{first, c.Docs()})
	}
	return jobs
}

type trainer struct {
	corpus     *tasks.Corpus
	in, out    []float32
	dim        int
	o          Options
	jobs       []job
	order      [][]int // order[epoch] = the jobs in the order they are handed out
	noiseProb  []uint32
	noiseAlias []int32
	keep       []uint32 // keep a token when a uniform uint32 is below keep[id]

	// fastText (TrainSubwords): the n-gram rows of each word, their
	// table, and how far a word's mean moves per unit update (moveFactor).
	sub    Subwords
	ngrams []float32
	move   []float32

	total              int64
	next               atomic.Int64 // the next (epoch, job) to hand out, as epoch·len(jobs)+i
	processed, trained atomic.Int64
}

// worker holds one goroutine's scratch space and random state.
type worker struct {
	rng         uint64
	sent        []int32
	neu1, neu1e []float32
	acc         []float32 // fastText skip-gram: the centre's summed update
	ctx         []int32
}

// next returns a uniform 64-bit number (xorshift64*).
func (w *worker) next() uint64 {
	x := w.rng
	x ^= x >> 12
	x ^= x << 25
	x ^= x >> 27
	w.rng = x
	return x * 2685821657736338717
}

func (t *trainer) work(ctx context.Context) error {
	w := &worker{neu1: make([]float32, t.dim), neu1e: make([]float32, t.dim), acc: make([]float32, t.dim), ctx: make([]int32, 0, 2*t.o.Config.Window)}
	n := int64(len(t.jobs))
	for {
		k := t.next.Add(1) - 1
		if k >= int64(t.o.Epochs)*n {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("word2vec: %w", err)
		}
		epoch, j := int(k/n), t.order[k/n][k%n]
		// A stream per (seed, epoch, job): the samples do not depend on
		// which worker takes the job.
		w.rng = splitmix(t.o.Seed ^ splitmix(uint64(epoch)<<32|uint64(j)))
		if w.rng == 0 {
			w.rng = 1
		}
		// word2vec's linear decay, by the share of the corpus processed.
		done := float64(t.processed.Load()) / float64(t.total+1)
		alpha := float32(max(t.o.MinAlpha, t.o.Alpha-(t.o.Alpha-t.o.MinAlpha)*done))
		tokens, kept := t.runJob(w, t.jobs[j], alpha)
		t.processed.Add(tokens)
		t.trained.Add(kept)
	}
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func (t *trainer) runJob(w *worker, jb job, alpha float32) (tokens, kept int64) {
	window := uint64(t.o.Config.Window)
	for d := jb.firstDoc; d < jb.endDoc; d++ {
		doc := t.corpus.Doc(d)
		tokens += int64(len(doc))
		w.sent = w.sent[:0]
		for _, id := range doc {
			if k := t.keep[id]; k == math.MaxUint32 || uint32(w.next()) < k {
				w.sent = append(w.sent, id)
			}
		}
		kept += int64(len(w.sent))
		s := w.sent
		for i, word := range s {
			r := int(window - w.next()%window) // the radius, uniform in 1..window
			lo, hi := max(0, i-r), min(len(s), i+r+1)
			if t.o.Model == SkipGram {
				if t.sub != nil {
					t.ftSkipGram(w, s, i, lo, hi, alpha)
					continue
				}
				for j := lo; j < hi; j++ {
					if j != i {
						t.sgPair(w, word, s[j], alpha)
					}
				}
				continue
			}
			w.ctx = w.ctx[:0]
			for j := lo; j < hi; j++ {
				if j != i {
					w.ctx = append(w.ctx, s[j])
				}
			}
			if len(w.ctx) > 0 && t.sub != nil {
				t.ftCBOW(w, word, w.ctx, alpha)
			} else if len(w.ctx) > 0 {
				t.cbowWord(w, word, w.ctx, alpha)
			}
		}
	}
	return tokens, kept
}

// drawNoise returns a word drawn from the noise distribution.
func (t *trainer) drawNoise(w *worker) int32 {
	r := w.next()
	i := int32((r >> 32) * uint64(len(t.noiseProb)) >> 32)
	if uint32(r) < t.noiseProb[i] {
		return i
	}
	return t.noiseAlias[i]
}

// gradient returns (label − σ(f))·α with word2vec's clipping at |f| > 6.
func gradient(f float32, label, alpha float32) float32 {
	switch {
	case f > maxExp:
		return (label - 1) * alpha
	case f < -maxExp:
		return label * alpha
	}
	return (label - expTable[int((f+maxExp)*(expTableSize/maxExp/2))]) * alpha
}

// negSample applies word2vec's negative-sampling update for input vector
// l1 predicting word: word with label 1, then Negatives noise words with
// label 0 (a draw equal to word is skipped, as word2vec does). Each output
// row is updated at once; the input's gradient is accumulated in neu1e.
func (t *trainer) negSample(w *worker, l1 []float32, word int32, alpha float32) {
	d := t.dim
	clear(w.neu1e)
	for k := 0; k <= t.o.Config.Negatives; k++ {
		target, label := word, float32(1)
		if k > 0 {
			if target, label = t.drawNoise(w), 0; target == word {
				continue
			}
		}
		row := t.out[int(target)*d : int(target)*d+d]
		update(gradient(dot(l1, row), label, alpha), l1, row, w.neu1e)
	}
}

// sgPair trains one skip-gram pair: the input row of context predicts word
// (word2vec's and gensim's orientation).
func (t *trainer) sgPair(w *worker, word, context int32, alpha float32) {
	d := t.dim
	l1 := t.in[int(context)*d : int(context)*d+d]
	t.negSample(w, l1, word, alpha)
	axpy(1, w.neu1e, l1)
}

// cbowWord trains one CBOW example as gensim does with cbow_mean=1 (and
// word2vec.c with -cbow 1): the mean h of the context rows predicts word,
// and every context row receives the whole update of h, not 1/|context| of
// it (gensim divides only under cbow_mean=0, where h is the sum).
func (t *trainer) cbowWord(w *worker, word int32, ctx []int32, alpha float32) {
	d := t.dim
	clear(w.neu1)
	for _, c := range ctx {
		axpy(1, t.in[int(c)*d:int(c)*d+d], w.neu1)
	}
	inv := 1 / float32(len(ctx))
	for i := range w.neu1 {
		w.neu1[i] *= inv
	}
	t.negSample(w, w.neu1, word, alpha)
	for _, c := range ctx {
		axpy(1, w.neu1e, t.in[int(c)*d:int(c)*d+d])
	}
}
