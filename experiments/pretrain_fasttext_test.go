package experiments

import (
	"maps"
	"testing"

	"github.com/mt2st/mt2st/tasks"
)

// fasttext-sg's norm is in the pre-training configuration, default
// included, so the cache key follows it: the default is gensim's 1/n, the
// same key as norm=gensim set explicitly, another key than norm=fasttext
// and than a configuration without the setting (what a table pre-trained
// before gensim's 1/n became the default was cached under). fasttext-cbow,
// which has no norm, gets none.
func TestFastTextNormInPretrainKey(t *testing.T) {
	read := func(task string, settings map[string]string) Config {
		t.Helper()
		c, err := Defaults("paper")
		if err != nil {
			t.Fatal(err)
		}
		c.Init, c.Settings = task, settings
		spec, err := readInit(c, tasks.NewSettings(c.Settings))
		if err != nil {
			t.Fatalf("%s %v: %v", task, settings, err)
		}
		return *spec.pretrain
	}
	def := read("fasttext-sg", nil)
	if got := def.Settings["fasttext-sg.norm"]; got != "gensim" {
		t.Errorf("default fasttext-sg.norm in the pre-training settings: %q, want gensim", got)
	}
	gensim := read("fasttext-sg", map[string]string{"fasttext-sg.norm": "gensim"})
	fastText := read("fasttext-sg", map[string]string{"fasttext-sg.norm": "fasttext"})
	old := def
	old.Settings = maps.Clone(def.Settings)
	delete(old.Settings, "fasttext-sg.norm")
	switch {
	case def.Hash() != gensim.Hash():
		t.Error("the default and an explicit fasttext-sg.norm=gensim have different cache keys")
	case def.Hash() == fastText.Hash():
		t.Error("fasttext-sg.norm=fasttext did not change the cache key")
	case def.Hash() == old.Hash():
		t.Error("the default has the key of a configuration without fasttext-sg.norm")
	}
	adam := read("fasttext-sg", map[string]string{"init.optimizer": "adam"})
	if adam.Settings["fasttext-sg.norm"] != "gensim" {
		t.Errorf("init.optimizer=adam: settings %v, want fasttext-sg.norm gensim (the graph task reads it too)", adam.Settings)
	}
	if cbow := read("fasttext-cbow", nil); cbow.Settings["fasttext-cbow.norm"] != "" || cbow.Settings["fasttext-sg.norm"] != "" {
		t.Errorf("fasttext-cbow: settings %v, want no norm", cbow.Settings)
	}
}
