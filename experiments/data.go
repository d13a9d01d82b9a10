package experiments

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"sync"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/text"
)

// Data loads each data file once and prepares each (protocol, data seed, ...)
// combination once, so a reproduce or sweep that runs many configurations
// reads and tokenises the reviews a single time.
type Data struct {
	Dir   string
	Cache *tasks.Cache
	// AnySize accepts IMDB splits of any size; by default a split that does
	// not hold the dataset's 25,000 (unsup: 50,000) reviews is an error
	// (datasets.CheckIMDBSize). NewData sets it from $MT2ST_DATA_CHECK=0.
	AnySize bool

	mu       sync.Mutex
	reviews  map[string][]datasets.Review
	prepared map[string]*Prepared
	corpus   corpusCache
}

// NewData returns a loader for the data directory dir (already resolved).
func NewData(dir string) *Data {
	return &Data{Dir: dir, Cache: &tasks.Cache{}, reviews: map[string][]datasets.Review{}, prepared: map[string]*Prepared{},
		AnySize: os.Getenv(datasets.EnvDataCheck) == "0"}
}

// Prepared is the primary data of one protocol configuration.
type Prepared struct {
	Vocab     *text.Vocab
	Documents *tasks.Documents
	// Describe says where the documents came from, for records.
	Describe map[string]any

	key     string
	heldOut []datasets.Review // validation and test reviews: never in the corpus
}

// checkEvery is how many reviews the loops over the corpus process between
// two checks of their context: well under a second's work.
const checkEvery = 1024

func (d *Data) imdb(ctx context.Context, split string) ([]datasets.Review, error) {
	if r, ok := d.reviews[split]; ok {
		return r, nil
	}
	r, err := datasets.LoadIMDBContext(ctx, d.Dir, split)
	if err != nil {
		return nil, err
	}
	if !d.AnySize {
		if err := datasets.CheckIMDBSize(d.Dir, split, len(r)); err != nil {
			return nil, err
		}
	}
	d.reviews[split] = r
	return r, nil
}

// Prepare returns the vocabulary and documents for the configuration. It
// stops, with an error wrapping ctx.Err(), soon after ctx is cancelled.
func (d *Data) Prepare(ctx context.Context, c Config) (*Prepared, error) {
	key := fmt.Sprintf("%s|sample=%d|test=%d|val=%g|dataseed=%d|T=%d|min=%d|max=%d",
		c.Protocol, c.Sample, c.TestSize, c.ValFraction, c.DataSeed, c.MaxTokens, c.MinCount, c.MaxVocab)
	if c.Vocab == "corpus" {
		key += "|vocab=corpus"
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if p, ok := d.prepared[key]; ok {
		return p, nil
	}
	train, err := d.imdb(ctx, "train")
	if err != nil {
		return nil, err
	}
	test, err := d.imdb(ctx, "test")
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(uint64(c.DataSeed), 0x5eed_da7a))
	var trainPart, testPart []datasets.Review
	var source string
	if c.Sample > 0 {
		// The reference code samples from the 50k labelled reviews pooled.
		pool := make([]datasets.Review, 0, len(train)+len(test))
		pool = append(append(pool, train...), test...)
		if c.Sample > len(pool) {
			return nil, fmt.Errorf("sample %d: only %d labelled reviews", c.Sample, len(pool))
		}
		perm := rng.Perm(len(pool))[:c.Sample]
		for i, j := range perm {
			if i < c.Sample-c.TestSize {
				trainPart = append(trainPart, pool[j])
			} else {
				testPart = append(testPart, pool[j])
			}
		}
		source = fmt.Sprintf("%d reviews sampled (data_seed=%d) from the %s labelled IMDB reviews: %d train, %d test", c.Sample, c.DataSeed, thousands(len(pool)), len(trainPart), len(testPart))
	} else {
		trainPart = shuffled(train, rng)
		testPart = test
		source = fmt.Sprintf("IMDB standard split: %d train, %d test", len(trainPart), len(testPart))
	}
	nVal := int(float64(len(trainPart)) * c.ValFraction)
	valPart, fitPart := trainPart[:nVal], trainPart[nVal:]

	// The vocabulary sees only the reviews the run fits on, never the
	// validation reviews (they select the model) nor the test reviews.
	counts := text.Counter{}
	tokens := make([][]string, len(trainPart))
	for i, r := range trainPart {
		if i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("prepare data: stopped while tokenising: %w", err)
			}
		}
		tokens[i] = text.Tokenize(r.Text)
		if i >= nVal {
			counts.Add(tokens[i])
		}
	}
	vocab := text.BuildVocab(counts, c.MinCount, c.MaxVocab)
	heldOut := slices.Concat(valPart, testPart)
	if c.Vocab == "corpus" {
		if vocab, err = d.corpusVocab(ctx, c, heldOut); err != nil {
			return nil, err
		}
	}
	encode := func(rs []datasets.Review, toks [][]string) []tasks.Document {
		out := make([]tasks.Document, len(rs))
		for i, r := range rs {
			var t []string
			if toks != nil {
				t = toks[i]
			} else {
				t = text.Tokenize(r.Text)
			}
			if len(t) > c.MaxTokens {
				t = t[:c.MaxTokens]
			}
			out[i] = tasks.Document{IDs: vocab.Encode(t, make([]int32, 0, len(t))), Label: r.Label}
		}
		return out
	}
	docs := &tasks.Documents{
		Val:       encode(valPart, tokens[:nVal]),
		Train:     encode(fitPart, tokens[nVal:]),
		Test:      encode(testPart, nil),
		Classes:   2,
		MaxTokens: c.MaxTokens,
	}
	// Options that leave nothing to learn from, select on or score are
	// refused here, before any task is built, rather than training on an
	// empty split.
	switch {
	case len(docs.Train) == 0:
		return nil, fmt.Errorf("no training reviews left: sample %d, test size %d and val fraction %g leave none", c.Sample, c.TestSize, c.ValFraction)
	case len(docs.Test) == 0:
		return nil, fmt.Errorf("no test reviews: test size %d", c.TestSize)
	case c.ValFraction > 0 && len(docs.Val) == 0:
		return nil, fmt.Errorf("no validation reviews: val fraction %g of %d training reviews is less than one review", c.ValFraction, len(trainPart))
	case vocab.Len() <= 1:
		return nil, fmt.Errorf("empty vocabulary: no word occurs min count %d times in the %d training reviews", c.MinCount, len(docs.Train))
	}
	p := &Prepared{Vocab: vocab, Documents: docs, Describe: map[string]any{
		"source": source, "train": len(docs.Train), "val": len(docs.Val), "test": len(docs.Test),
		"vocab": vocab.Len(), "max_tokens": c.MaxTokens,
	}, key: key, heldOut: heldOut}
	d.prepared[key] = p
	return p, nil
}

func shuffled(rs []datasets.Review, rng *rand.Rand) []datasets.Review {
	out := make([]datasets.Review, len(rs))
	for i, j := range rng.Perm(len(rs)) {
		out[i] = rs[j]
	}
	return out
}

// thousands prints n with comma separators: 50,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
