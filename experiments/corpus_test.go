package experiments

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mt2st/mt2st/strategies"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/text"
	"github.com/mt2st/mt2st/wordvec"
)

// fakeData writes a tiny data directory: IMDB train/test/unsup TSVs whose
// reviews come from a two-topic grammar (good/great/fine … vs
// bad/awful/poor …) and carry a unique marker word ("markerN"), UD EWT
// files of a few sentences, and one similarity list.
func fakeData(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(11, 12))
	pos := []string{"good", "great", "fine", "lovely", "superb"}
	neg := []string{"bad", "awful", "poor", "boring", "dull"}
	filler := []string{"the", "movie", "film", "was", "a", "and", "plot", "actor"}
	review := func(n int, positive bool) string {
		words := pos
		if !positive {
			words = neg
		}
		var b strings.Builder
		fmt.Fprintf(&b, "Marker%d", n)
		for range 30 {
			if rng.IntN(2) == 0 {
				b.WriteString(" " + words[rng.IntN(len(words))])
			} else {
				b.WriteString(" " + filler[rng.IntN(len(filler))])
			}
		}
		b.WriteString(".<br /><br />The end.")
		return b.String()
	}
	n := 0
	writeGz := func(name string, lines []string) {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		zw := gzip.NewWriter(f)
		zw.Write([]byte(strings.Join(lines, "\n") + "\n"))
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	labelled := func(count int) []string {
		lines := []string{"label\trating\tid\ttext"}
		for i := range count {
			p := i%2 == 0
			label, rating := "neg", 2
			if p {
				label, rating = "pos", 9
			}
			n++
			lines = append(lines, fmt.Sprintf("%s\t%d\t%d\t%s", label, rating, i, review(n, p)))
		}
		return lines
	}
	writeGz("imdb/train.tsv.gz", labelled(80))
	writeGz("imdb/test.tsv.gz", labelled(40))
	unsup := []string{"id\ttext"}
	for i := range 120 {
		n++
		unsup = append(unsup, fmt.Sprintf("%d\t%s", i, review(n, i%2 == 0)))
	}
	writeGz("imdb/unsup.tsv.gz", unsup)
	conllu := func(words ...string) string {
		var b strings.Builder
		for i := 0; i < len(words); i += 2 {
			fmt.Fprintf(&b, "%d\t%s\t_\t%s\t_\t_\t0\t_\t_\t_\n", i/2+1, words[i], words[i+1])
		}
		return b.String() + "\n"
	}
	ud := strings.Repeat(conllu("The", "DET", "movie", "NOUN", "was", "AUX", "good", "ADJ", ".", "PUNCT")+
		conllu("A", "DET", "film", "NOUN", "was", "AUX", "awful", "ADJ", "!", "PUNCT"), 5)
	for _, split := range []string{"train", "dev", "test"} {
		path := filepath.Join(dir, "ud-english-ewt", "en_ewt-ud-"+split+".conllu")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(ud), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var pairs strings.Builder
	all := slices.Concat(pos, neg)
	for i, a := range all {
		for j, b := range all[i+1:] {
			score := 2.0
			if (i < 5) == (i+1+j < 5) {
				score = 8
			}
			fmt.Fprintf(&pairs, "%s\t%s\t%g\n", a, b, score)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "word-similarity"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "word-similarity", "EN-FAKE.txt"), []byte(pairs.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// fakeConfig is the paper protocol on the fake data: 100 of its 120
// labelled reviews sampled, 30 for test, 20% of the rest for validation.
func fakeConfig(t *testing.T, dir string, taskNames ...string) Config {
	t.Helper()
	c, err := Defaults("paper")
	if err != nil {
		t.Fatal(err)
	}
	c.Sample, c.TestSize, c.ValFraction = 100, 30, 0.2
	c.Encoder, c.Batch, c.Epochs, c.MaxTokens = "bag", 16, 2, 40
	c.Tasks, c.Strategy = taskNames, strategies.Spec{}
	c.DataDir = dir
	return c
}

func TestCorpusIsTrainAndUnsupWithoutHeldOutReviews(t *testing.T) {
	dir := fakeData(t)
	data := smallData(dir)
	c := fakeConfig(t, dir, "skipgram")
	c.Vocab = "corpus"
	p, err := data.Prepare(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	corpus, err := data.Corpus(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	// Every review has its own marker word, so a held-out review's marker
	// must be absent from the corpus vocabulary, and every other train or
	// unsup review's marker present.
	train, _ := data.imdb(context.Background(), "train")
	test, _ := data.imdb(context.Background(), "test")
	unsup, _ := data.imdb(context.Background(), "unsup")
	held := map[string]bool{}
	for _, r := range p.heldOut {
		held[r.Text] = true
	}
	if len(held) != 30+14 {
		t.Fatalf("%d held-out reviews, want 30 test + 14 validation", len(held))
	}
	inCorpus := 0
	for _, r := range slices.Concat(train, unsup, test) {
		marker := text.Tokenize(r.Text)[0]
		_, known := p.Vocab.Lookup(marker)
		fromCorpus := !held[r.Text] && r.Label == -1 || !held[r.Text] && slices.ContainsFunc(train, func(x datasets.Review) bool { return x.Text == r.Text })
		if known != fromCorpus {
			t.Errorf("review %q: marker in the corpus vocabulary = %v, want %v", marker, known, fromCorpus)
		}
		if fromCorpus {
			inCorpus++
		}
	}
	if corpus.Docs() != inCorpus {
		t.Errorf("corpus has %d documents, want %d (train + unsup − held out)", corpus.Docs(), inCorpus)
	}
	var total int64
	for _, n := range corpus.Counts {
		total += n
	}
	if total != corpus.Total() || corpus.Counts[text.UnknownID] != 0 {
		t.Errorf("counts sum to %d for %d tokens (unknown %d)", total, corpus.Total(), corpus.Counts[0])
	}
	again, _ := data.Corpus(context.Background(), p)
	if again != corpus {
		t.Error("the corpus of the same prepared data was built twice")
	}
}

func TestSkipgramAloneUnderSTLAndAsInit(t *testing.T) {
	dir := fakeData(t)
	data := smallData(dir)
	cache := t.TempDir()
	c := fakeConfig(t, dir, "sentiment", "similarity")
	c.Init, c.CacheDir = "skipgram", cache
	c.Settings = map[string]string{"init.epochs": "2", "skipgram.batch": "64", "init.min_count": "1"}
	tr, err := Run(context.Background(), c, data, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	info := tr.Record.Describe["init"].(map[string]any)
	if info["from_cache"] != false || info["mapped_words"].(int) == 0 {
		t.Fatalf("init record %v: want a fresh pre-training that mapped words", info)
	}
	path := info["cache_file"].(string)
	vecs, err := wordvec.ReadFile(path)
	if err != nil {
		t.Fatalf("pre-trained table not cached: %v", err)
	}
	if vecs.Dim != c.Dim {
		t.Errorf("cached table has %d dimensions, want %d", vecs.Dim, c.Dim)
	}
	// The pre-training is a record of its own kind: skipgram alone, STL,
	// corpus vocabulary; its configuration hash names the cache file.
	pc := info["pretrain_config"].(map[string]any)
	if pc["strategy"] != "stl" || pc["vocab"] != "corpus" || !strings.Contains(path, info["pretrain_hash"].(string)) {
		t.Errorf("pre-training config %v, cache %s", pc, path)
	}

	// A second run (another seed, same pre-training) reads the cache, in a
	// fresh process as well (memory cache cleared).
	pretrainedTables = pretrained{}
	c.Seed = 2
	tr2, err := Run(context.Background(), c, smallData(dir), Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	info2 := tr2.Record.Describe["init"].(map[string]any)
	if info2["from_cache"] != true || info2["cache_file"] != path {
		t.Errorf("second run: init %v, want the cached %s", info2, path)
	}
}

func TestCorpusTasksRunWithSentimentUnderDiminish(t *testing.T) {
	dir := fakeData(t)
	data := smallData(dir)
	for _, aux := range []string{"skipgram", "cbow", "glove", "pos"} {
		c := fakeConfig(t, dir, "sentiment", aux)
		c.Strategy = strategies.MustParseSpec("diminish:gamma=1,eta=0.3,nu=1")
		c.Settings = map[string]string{aux + ".batch": "32"}
		tr, err := Run(context.Background(), c, data, Hooks{})
		if err != nil {
			t.Fatalf("%s: %v", aux, err)
		}
		for _, e := range tr.Record.Epochs {
			if !slices.Contains(e.Ran, aux) || e.Loss[aux] <= 0 {
				t.Errorf("%s: epoch %d ran %v with loss %v", aux, e.Epoch, e.Ran, e.Loss[aux])
			}
		}
		if aux == "pos" {
			if _, ok := tr.Record.Final["pos/accuracy"]; !ok {
				t.Errorf("pos: no test accuracy in %v", tr.Record.Final)
			}
		}
	}
}

func TestInitFileMapsRowsByWord(t *testing.T) {
	vocab := text.NewVocab([]string{"good", "bad", "movie", "unseen"})
	emb := graph.NewTable("embedding", vocab.Len(), 2)
	emb.Fill(graph.Uniform(-1, 1), 3)
	before := slices.Clone(emb.W)
	// Another order, an extra word, "unseen" missing.
	v, err := wordvec.NewVectors([]string{"movie", "extra", "bad", "good"}, 2, []float32{1, 2, 3, 4, 5, 6, 7, 8})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"init.txt", "init.bin"} {
		path := filepath.Join(t.TempDir(), name)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".bin") {
			err = v.WriteWord2VecBinary(f)
		} else {
			err = v.WriteWord2Vec(f)
		}
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		read, err := wordvec.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		copy(emb.W, before)
		cov, err := MapVectors(emb, vocab, read)
		if err != nil {
			t.Fatal(err)
		}
		for word, want := range map[string][]float32{"good": {7, 8}, "bad": {5, 6}, "movie": {1, 2}} {
			if got := emb.Row(int(vocab.ID(word))); !slices.Equal(got, want) {
				t.Errorf("%s: row of %s = %v, want %v", name, word, got, want)
			}
		}
		for _, id := range []int32{text.UnknownID, vocab.ID("unseen")} {
			if !slices.Equal(emb.Row(int(id)), before[int(id)*2:int(id)*2+2]) {
				t.Errorf("%s: row %d without a vector changed", name, id)
			}
		}
		if cov.Words != 4 || cov.Mapped != 3 || cov.WordFraction() != 0.75 {
			t.Errorf("%s: coverage %+v, want 3 of 4 words", name, cov)
		}
	}
	if _, err := MapVectors(graph.NewTable("embedding", vocab.Len(), 3), vocab, v); err == nil || !strings.Contains(err.Error(), "--dim 2") {
		t.Errorf("dimension mismatch: error %v, want one suggesting --dim 2", err)
	}
}

func TestInitValidation(t *testing.T) {
	for _, ok := range []string{"", "random", "skipgram", "cbow", "glove"} {
		if err := validateInit(ok); err != nil {
			t.Errorf("init %q: %v", ok, err)
		}
	}
	err := validateInit("no/such/file.txt")
	if err == nil || !strings.Contains(err.Error(), "skipgram, cbow, glove") {
		t.Errorf("bad init: error %v, want the valid names", err)
	}
}

func TestLinearLRIsWord2vecsSchedule(t *testing.T) {
	for _, c := range []struct {
		done, total int
		want        float64
	}{{0, 100, 0.01}, {50, 100, 0.005}, {99, 100, 0.0001}, {100, 100, 1e-6}, {0, 0, 0.01}} {
		if got := linearLR(0.01, c.done, c.total); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("linearLR(0.01, %d, %d) = %v, want %v", c.done, c.total, got, c.want)
		}
	}
}

func TestPretrainingIsSharedAcrossSeedsAndStrategies(t *testing.T) {
	hash := func(mod func(c *Config)) string {
		t.Helper()
		c, err := Defaults("paper")
		if err != nil {
			t.Fatal(err)
		}
		c.Init = "skipgram"
		c.DataDir = fixtureDir
		mod(&c)
		if c.DataDir != "" {
			// The run's own fingerprint, as Run stamps it before readInit.
			if c, _, err = StampData(c); err != nil {
				t.Fatal(err)
			}
		}
		spec, err := readInit(c, tasks.NewSettings(c.Settings))
		if err != nil {
			t.Fatal(err)
		}
		return spec.pretrain.Hash()
	}
	base := hash(func(*Config) {})
	same := map[string]func(c *Config){
		"seed":     func(c *Config) { c.Seed = 7 },
		"strategy": func(c *Config) { c.Strategy = strategies.MustParseSpec("mtl:lambda=0.5") },
		"encoder":  func(c *Config) { c.Encoder, c.Batch = "bag", 32 },
		"tasks":    func(c *Config) { c.Tasks = []string{"sentiment"} },
		"pos task": func(c *Config) { c.Tasks = []string{"sentiment", "pos"} }, // the run reads UD; the pre-training does not
		"run lr":   func(c *Config) { c.LR = 0.1 },
	}
	for name, mod := range same {
		if h := hash(mod); h != base {
			t.Errorf("changing the run's %s changed the pre-training (%s vs %s): a sweep would pre-train again", name, h, base)
		}
	}
	differ := map[string]func(c *Config){
		"dim":        func(c *Config) { c.Dim = 50 },
		"data seed":  func(c *Config) { c.DataSeed = 3 },
		"epochs":     func(c *Config) { c.Settings = map[string]string{"init.epochs": "5"} },
		"window":     func(c *Config) { c.Settings = map[string]string{"skipgram.window": "10"} },
		"init seed":  func(c *Config) { c.Settings = map[string]string{"init.seed": "2"} },
		"init tasks": func(c *Config) { c.Init = "cbow" },
		"data":       func(c *Config) { c.DataDir = changedFixture(t) },
	}
	for name, mod := range differ {
		if h := hash(mod); h == base {
			t.Errorf("changing %s kept the pre-training hash %s", name, h)
		}
	}
}

// changedFixture is a copy of the data fixture with one unsup review less.
func changedFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(fixtureDir)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "imdb", "unsup.tsv.gz")
	reviews, err := datasets.LoadIMDB(dir, datasets.SplitUnsup)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("id\ttext\n")
	for _, r := range reviews[1:] {
		fmt.Fprintf(&b, "%s\t%s\n", r.ID, r.Text)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(b.String()))
	zw.Close()
	if err := os.WriteFile(path, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
