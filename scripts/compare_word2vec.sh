#!/usr/bin/env bash
# Speed and quality of mt2st's word2vec loop (the --init skipgram|cbow
# pre-training, package tasks/word2vec) against gensim's Word2Vec, both run in
# this one sitting on the same tokens (IMDB train + unsup, reviews equal to a
# test review left out) with gensim 4.x's hyper-parameters: window 5, 5
# negatives, min_count 5, sample 1e-3, 100 dimensions, α 0.025 → 0.025·1e-4,
# 2 workers. Prints each side's training wall and CPU seconds (vocabulary
# building and data loading excluded on both sides), the ratio mt2st/gensim,
# and both tables' Spearman on WS-353 (EN-WS-353-ALL) and Stanford Rare Words
# (EN-RW-STANFORD), scored by `mt2st eval` (gensim semantics).
#
#   scripts/compare_word2vec.sh [MODELS] [EPOCHS] [OUT_DIR]   (defaults: "sg cbow", 1, runs/compare)
#
# The sides alternate (mt2st, gensim, per model). On a shared machine the
# wall times are noisy: compare the CPU seconds as well, or run it again on a
# quiet machine. Minutes per model on 2 cores; not part of `go test`.
# DATA: $MT2ST_DATA or ../shared/data. PYTHON: $PYTHON or /usr/bin/python3.
set -euo pipefail
models=${1:-sg cbow}
epochs=${2:-1}
out=${3:-runs/compare}
data=${MT2ST_DATA:-../shared/data}
py=${PYTHON:-/usr/bin/python3}
. "$(dirname "$0")/compare_lib.sh"
compare_setup

for m in $models; do
  case $m in
    sg) task=skipgram; sg=1 ;;
    cbow) task=cbow; sg=0 ;;
    *) echo "model $m: want sg or cbow" >&2; exit 2 ;;
  esac
  "$out/pretrain" --data "$data" --init "$task" --set "init.epochs=$epochs" \
    --out "$out/mt2st-$m.txt" | tail -n 1 > "$out/mt2st-$m.json"
  "$py" scripts/gensim_word2vec.py --data "$data" --out "$out/gensim-$m.txt" --sg "$sg" --dim 100 \
    --window 5 --negative 5 --min-count 5 --sample 1e-3 --epochs "$epochs" --workers 2 \
    2>/dev/null | tail -n 1 > "$out/gensim-$m.json"
  compare_report "" "$m" "$epochs"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
