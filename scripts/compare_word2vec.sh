#!/usr/bin/env bash
# Skip-gram quality against gensim: trains skip-gram with mt2st and
# with gensim's Word2Vec on the same tokens (IMDB train + unsup, test-review
# duplicates left out) with the same hyper-parameters, then scores both
# vector files on WS-353 (all) with `mt2st eval` and with gensim.
#
#   scripts/compare_word2vec.sh [EPOCHS] [OUT_DIR]      (defaults: 3, runs/compare)
#
# Several minutes per run on 2 cores; not part of `go test`. DATA: $MT2ST_DATA
# or ../shared/data. mt2st uses Adam (lr 0.01, linearly decayed as word2vec
# decays its SGD rate) on batches of 1024 pairs; gensim its own SGD, 2 workers.
set -euo pipefail
epochs=${1:-3}
out=${2:-runs/compare}
data=${MT2ST_DATA:-../shared/data}
mkdir -p "$out"
go build -o "$out/mt2st" .

start=$(date +%s)
"$out/mt2st" train --data "$data" --protocol imdb --tasks skipgram --strategy stl --vocab corpus \
  --val-fraction 0 --max-vocab 0 --min-count 5 --dim 100 --epochs "$epochs" --lr 0.01 --lr-decay linear \
  --embed-init 0.005 --set skipgram.window=5,skipgram.negatives=5,skipgram.sample=1e-3 \
  --cache "" --out "$out/records" --save-vectors "$out/mt2st-sg.txt" | grep -v '^[│┌├└]'
echo "mt2st wall time: $(( $(date +%s) - start ))s"

/usr/bin/python3 scripts/gensim_word2vec.py --data "$data" --out "$out/gensim-sg.txt" --sg 1 --dim 100 \
  --window 5 --negative 5 --min-count 5 --sample 1e-3 --epochs "$epochs" --workers 2

for f in "$out/mt2st-sg.txt" "$out/gensim-sg.txt"; do
  echo "== $f"
  "$out/mt2st" eval --data "$data" --vectors "$f" --json |
    /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print("mt2st eval  WS-353-ALL spearman", d["similarity"]["EN-WS-353-ALL"]["spearman"])'
  /usr/bin/python3 scripts/gensim_eval.py "$f" --data "$data" --restrict-vocab 1000000 |
    /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print("gensim eval WS-353-ALL spearman", d["similarity"]["EN-WS-353-ALL"]["spearman"])'
done
