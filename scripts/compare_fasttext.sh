#!/usr/bin/env bash
# Speed and quality of mt2st's fastText pre-training (--init fasttext-sg|
# fasttext-cbow: word2vec's loop with subwords, package tasks/word2vec,
# TrainSubwords) against gensim's FastText, both run in this one sitting on
# the same tokens (IMDB train + unsup, reviews equal to a test review left
# out; vocabulary min_count 5) with gensim 4.x's hyper-parameters: dim 100,
# window 5, 5 negatives, sample 1e-3, n-grams 3..6, 2,000,000 buckets,
# α 0.025 → 0.025·1e-4, 2 workers. Prints each side's training wall and CPU
# seconds (vocabulary, n-grams and data loading excluded on both sides), the
# ratio mt2st/gensim, and both tables' in-vocabulary Spearman on WS-353
# (EN-WS-353-ALL) and Stanford Rare Words (EN-RW-STANFORD), scored by `mt2st
# eval` (gensim semantics). gensim's own scores, also with out-of-vocabulary
# words built from n-grams, are in OUT_DIR/gensim-MODEL.json.
#
#   scripts/compare_fasttext.sh [MODELS] [EPOCHS] [OUT_DIR]   (defaults: "sg cbow", 1, runs/compare-fasttext)
#
# The sides alternate (mt2st, gensim, per model). On a shared machine the
# wall times are noisy: compare the CPU seconds as well, or run it again on a
# quiet machine. About 10 minutes per model on 2 cores; not part of `go test`.
# The graph task under Adam (--set init.optimizer=adam) is the slower
# alternative: `go run ./scripts/pretrain --init fasttext-sg --set
# init.epochs=1,init.optimizer=adam`.
# DATA: $MT2ST_DATA or ../shared/data. PYTHON: $PYTHON or /usr/bin/python3.
set -euo pipefail
models=${1:-sg cbow}
epochs=${2:-1}
out=${3:-runs/compare-fasttext}
data=${MT2ST_DATA:-../shared/data}
py=${PYTHON:-/usr/bin/python3}
. "$(dirname "$0")/compare_lib.sh"
compare_setup

for m in $models; do
  case $m in
    sg) sg=1 ;;
    cbow) sg=0 ;;
    *) echo "model $m: want sg or cbow" >&2; exit 2 ;;
  esac
  task=fasttext-$m
  "$out/pretrain" --data "$data" --init "$task" --set "init.epochs=$epochs" \
    --out "$out/mt2st-$m.txt" | tail -n 1 > "$out/mt2st-$m.json"
  "$py" scripts/gensim_fasttext.py --data "$data" --out "$out/gensim-$m.txt" --sg "$sg" --dim 100 \
    --window 5 --negative 5 --min-count 5 --sample 1e-3 --epochs "$epochs" --min-n 3 --max-n 6 \
    --bucket 2000000 --fraction 1 --workers 2 2>/dev/null | tail -n 1 > "$out/gensim-$m.json"
  compare_report "fastText " "$m" "$epochs"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
