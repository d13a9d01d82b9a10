// Package datasets reads the data mt2st trains and evaluates on, and fetches
// the public originals.
//
// The data directory (ResolveDir: --data flag, $MT2ST_DATA, ../shared/data
// next to the working directory or the module root, or the user cache) holds one folder per
// dataset, each described by its SOURCE.md in the shared copy:
//
//	imdb/{train,test,unsup}.tsv.gz      LoadIMDB (or aclImdb/, the original layout)
//	word-similarity/EN-*.txt            LoadSimilarityLists
//	analogy/questions-words.txt         LoadAnalogies
//	ud-english-ewt/en_ewt-ud-*.conllu   LoadUD (plain or .gz)
//	rt-polarity/rt-polarity.{pos,neg}   LoadRTPolarity
//
// Each loader has a reader form over an io.Reader (ReadIMDBTSV,
// ReadSimilarityList, ReadAnalogies, ReadCoNLLU, ReadRTPolarity) for tests
// and other sources. A malformed line is an error naming the file and the
// line, as a *ParseError:
//
//	imdb/train.tsv.gz line 17: label "foo": want pos or neg
//
// Loaders return raw text; tokenising is package text's job.
//
// Fetch downloads the originals (DefaultSources: GitHub copies at fixed
// commits and the Stanford IMDB tarball) into a data directory, checking
// every file's sha256, resuming broken-off downloads (HTTP Range) and
// drawing a progress bar. Ensure is ResolveDir that, when nothing is found,
// fetches into the user cache (CacheDir) on first use, unless offline
// ($MT2ST_OFFLINE=1).
//
// Identify gives a data file's identity for run records (rows and sha256,
// computed once per process) and Fingerprint a short hash of several;
// CheckIMDBSize rejects an IMDB split that is not the full dataset.
package datasets
