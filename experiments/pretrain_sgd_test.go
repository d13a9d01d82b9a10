package experiments

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/mt2st/mt2st/tasks"
)

func TestInitOptimizerDefaultsAndChoices(t *testing.T) {
	read := func(task string, settings map[string]string) (Config, error) {
		t.Helper()
		c, err := Defaults("paper")
		if err != nil {
			t.Fatal(err)
		}
		c.Init, c.Settings = task, settings
		spec, err := readInit(c, tasks.NewSettings(c.Settings))
		if err != nil {
			return Config{}, err
		}
		return *spec.pretrain, nil
	}
	// skipgram, cbow and fastText: word2vec's loop and rate (0.025,
	// word2vec.c's and gensim's).
	for _, task := range []string{"skipgram", "cbow", "fasttext-sg", "fasttext-cbow"} {
		p, err := read(task, nil)
		if err != nil {
			t.Fatal(err)
		}
		if p.Settings["init.optimizer"] != "sgd" || p.LR != 0.025 || p.LRDecay != "linear" {
			t.Errorf("%s: optimizer %q lr %v decay %q, want sgd 0.025 linear", task, p.Settings["init.optimizer"], p.LR, p.LRDecay)
		}
	}
	// adam: the graph task with Adam's 0.01, as before the word2vec loop.
	adam, err := read("skipgram", map[string]string{"init.optimizer": "adam"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := adam.Settings["init.optimizer"]; ok || adam.LR != 0.01 {
		t.Errorf("adam: settings %v lr %v, want no optimizer key and 0.01", adam.Settings, adam.LR)
	}
	sgd, _ := read("skipgram", nil)
	threads, err := read("skipgram", map[string]string{"init.threads": "1"})
	if err != nil {
		t.Fatal(err)
	}
	if adam.Hash() == sgd.Hash() || threads.Hash() == sgd.Hash() {
		t.Error("the optimiser or the thread count did not change the pre-training's cache key")
	}
	glove, err := read("glove", nil)
	if err != nil || glove.Settings["init.optimizer"] != "" || glove.LR != 0.01 {
		t.Errorf("glove: %v, settings %v, lr %v: want adam at 0.01", err, glove.Settings, glove.LR)
	}
	for _, bad := range []struct{ task, key, value, want string }{
		{"glove", "init.optimizer", "sgd", "pre-trains with adam"},
		{"skipgram", "init.optimizer", "rmsprop", "sgd, adam"},
		{"skipgram", "init.threads", "-1", ">= 0"},
	} {
		if _, err := read(bad.task, map[string]string{bad.key: bad.value}); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s %s=%s: error %v, want one naming %q", bad.task, bad.key, bad.value, err, bad.want)
		}
	}
}

// --init skipgram|cbow train with the word2vec loop by default and with
// the graph task under init.optimizer=adam; both give a table that maps.
func TestPretrainBothOptimizers(t *testing.T) {
	dir := fakeData(t)
	for _, c := range []struct{ task, optimizer string }{
		{"skipgram", "sgd"}, {"cbow", "sgd"}, {"skipgram", "adam"},
		{"fasttext-sg", "sgd"}, {"fasttext-cbow", "sgd"}, {"fasttext-sg", "adam"},
	} {
		pretrainedTables = pretrained{}
		cfg := fakeConfig(t, dir, "sentiment")
		cfg.Init = c.task
		cfg.Settings = map[string]string{"init.epochs": "2", "init.min_count": "1", "init.optimizer": c.optimizer, "init.threads": "1"}
		if strings.HasPrefix(c.task, "fasttext") {
			cfg.Settings[c.task+".buckets"] = "10000"
		}
		tr, err := Run(context.Background(), cfg, smallData(dir), Hooks{})
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		info := tr.Record.Describe["init"].(map[string]any)
		pc := info["pretrain_config"].(map[string]any)
		if got := fmt.Sprint(pc["settings"]); strings.Contains(got, "init.optimizer:sgd") != (c.optimizer == "sgd") {
			t.Errorf("%+v: pre-training settings %v", c, pc["settings"])
		}
		if info["mapped_words"].(int) == 0 || info["from_cache"] != false {
			t.Errorf("%+v: init %v: want a fresh table that maps words", c, info)
		}
		// fastText's table holds its trained n-gram rows for composeInit,
		// whichever optimiser made it.
		if v, ok := pretrainedTables.tables[tr.Record.Describe["init"].(map[string]any)["pretrain_hash"].(string)]; ok && strings.HasPrefix(c.task, "fasttext") {
			ngrams := 0
			for _, w := range v.Words {
				if strings.HasPrefix(w, "<ngram:") {
					ngrams++
				}
			}
			if ngrams == 0 {
				t.Errorf("%+v: the pre-trained table has no n-gram rows", c)
			}
		} else if !ok {
			t.Errorf("%+v: the pre-trained table is not in the memory cache", c)
		}
	}
}
