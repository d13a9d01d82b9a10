package experiments

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/results"
)

// corpusTasks read the IMDB train + unsup corpus (Data.Corpus).
var corpusTasks = []string{"skipgram", "cbow", "glove"}

// DataFiles lists the data files, relative to dir, that a run of c reads:
//
//   - IMDB train and test (every run: the primary task's reviews), and IMDB
//     unsup when the run uses the corpus (Vocab "corpus", a skipgram, cbow or
//     glove task, or Init pre-training on one of them);
//   - every similarity list and the analogy questions present in dir (every
//     run: the tasks, or the baseline evaluation of the auxiliary metrics);
//   - UD English EWT train, dev and test with the pos task.
func DataFiles(c Config, dir string) []string {
	files := slices.Concat(datasets.IMDBFiles(dir, datasets.SplitTrain), datasets.IMDBFiles(dir, datasets.SplitTest))
	usesCorpus := c.Vocab == "corpus" || slices.Contains(corpusTasks, c.Init)
	for _, t := range c.Tasks {
		usesCorpus = usesCorpus || slices.Contains(corpusTasks, t)
	}
	if usesCorpus {
		files = append(files, datasets.IMDBFiles(dir, datasets.SplitUnsup)...)
	}
	// The patterns LoadSimilarityLists and LoadAnalogies read.
	lists, _ := filepath.Glob(filepath.Join(dir, "word-similarity", "EN-*.txt"))
	slices.Sort(lists)
	for _, l := range lists {
		files = append(files, "word-similarity/"+filepath.Base(l))
	}
	if _, err := os.Stat(filepath.Join(dir, "analogy", "questions-words.txt")); err == nil {
		files = append(files, "analogy/questions-words.txt")
	}
	if slices.Contains(c.Tasks, "pos") {
		for _, split := range []string{"train", "dev", "test"} {
			name := "ud-english-ewt/en_ewt-ud-" + split + ".conllu"
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				name += ".gz" // LoadUD's fallback
			}
			files = append(files, name)
		}
	}
	return files
}

// IdentifyData returns the identity of every file a run of c reads in dir
// (DataFiles; sha256 and rows computed once per process, see
// datasets.Identify) and their fingerprint, the short hash that enters the
// run's ID through Config.DataFingerprint.
func IdentifyData(c Config, dir string) ([]datasets.FileID, string, error) {
	paths := DataFiles(c, dir)
	ids := make([]datasets.FileID, len(paths))
	for i, p := range paths {
		id, err := datasets.Identify(dir, p)
		if err != nil {
			return nil, "", err
		}
		ids[i] = id
	}
	return ids, datasets.Fingerprint(ids), nil
}

// StampData sets c.DataFingerprint to the fingerprint of the data c reads
// in c.DataDir, so that c.ID() changes when the data does. A fingerprint
// already set (a sweep stamps its trials when it plans them) must match
// the data on disk: otherwise the data changed since, and it is an error.
func StampData(c Config) (Config, []datasets.FileID, error) {
	if c.DataDir == "" {
		return c, nil, fmt.Errorf("data identity: no data directory")
	}
	ids, fp, err := IdentifyData(c, c.DataDir)
	if err != nil {
		return c, nil, err
	}
	if c.DataFingerprint != "" && c.DataFingerprint != fp {
		return c, nil, fmt.Errorf("the data in %s has fingerprint %s, but this run was planned on data with fingerprint %s: the data changed since; plan it again",
			c.DataDir, fp, c.DataFingerprint)
	}
	c.DataFingerprint = fp
	return c, ids, nil
}

// recordData converts file identities for a run record.
func recordData(ids []datasets.FileID) []results.DataFile {
	out := make([]results.DataFile, len(ids))
	for i, id := range ids {
		out[i] = results.DataFile{Path: id.Path, Rows: id.Rows, SHA256: id.SHA256}
	}
	return out
}
