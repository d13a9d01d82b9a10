#!/usr/bin/env bash
# fastText quality against gensim: trains fasttext-sg (or fasttext-cbow) with
# mt2st and gensim's FastText on the same tokens (IMDB train + unsup, test
# duplicates left out; vocabulary min_count 5 over the whole corpus) with the
# same hyper-parameters (dim 100, window 5, 5 negatives, sample 1e-3,
# n-grams 3..6, 2,000,000 buckets, one pass over a FRACTION of it), then
# scores both in-vocabulary vector files on WS-353 (all) and Stanford Rare
# Words with `mt2st eval`. gensim's own scores, also with out-of-vocabulary
# words built from n-grams, are in OUT_DIR/gensim-MODEL.json.
#
#   scripts/compare_fasttext.sh [sg|cbow] [FRACTION] [OUT_DIR]   (defaults: sg, 0.1, runs/compare-fasttext)
#
# gensim trains one pass over a seeded random FRACTION of the reviews; mt2st
# trains --set fasttext-MODEL.steps=S batches of one pass in a random document
# order, S chosen so that both see the same expected number of training
# examples (skip-gram pairs: kept tokens × (window+1); CBOW: kept tokens),
# from gensim's count of the tokens subsampling keeps; FRACTION 1 is one
# whole pass on both sides (steps=0). mt2st uses Adam
# (lr 0.01, linearly decayed as fastText decays its SGD rate) on batches of
# 1024 pairs (CBOW: centre words); gensim its own SGD (alpha 0.025), 2 workers.
# Tens of minutes on 2 cores; not part of `go test`. Data: $MT2ST_DATA, else the default data directory.
set -euo pipefail
model=${1:-sg}
fraction=${2:-0.1}
out=${3:-runs/compare-fasttext}
data=${MT2ST_DATA:-../shared/data}
case "$model" in sg) sg=1 ;; cbow) sg=0 ;; *) echo "model: sg or cbow" >&2; exit 2 ;; esac
task=fasttext-$model
mkdir -p "$out"
go build -o "$out/mt2st" .

/usr/bin/python3 scripts/gensim_fasttext.py --data "$data" --out "$out/gensim-$model.txt" --sg "$sg" --dim 100 \
  --window 5 --negative 5 --min-count 5 --sample 1e-3 --epochs 1 --min-n 3 --max-n 6 --bucket 2000000 \
  --fraction "$fraction" --workers 2 > "$out/gensim-$model.json"
steps=$(/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); f = float(sys.argv[2])
n = d["pairs_per_pass_estimate"] if sys.argv[3] == "sg" else d["kept_tokens_per_pass"]
print(0 if f >= 1 else max(1, round(f * n / 1024)))' "$out/gensim-$model.json" "$fraction" "$model")
echo "gensim: $(cat "$out/gensim-$model.json")"
echo "mt2st: $steps steps of 1024 (0 = one pass)"

start=$(date +%s)
"$out/mt2st" train --data "$data" --protocol imdb --tasks "$task" --strategy stl --vocab corpus \
  --val-fraction 0 --max-vocab 0 --min-count 5 --dim 100 --epochs 1 --lr 0.01 --lr-decay linear \
  --embed-init 0.005 --aux-eval-every 0 \
  --set "$task.window=5,$task.negatives=5,$task.sample=1e-3,$task.minn=3,$task.maxn=6,$task.buckets=2000000,$task.steps=$steps" \
  --cache "" --out "$out/records" --save-vectors "$out/mt2st-$model.txt" | grep -v '^[│┌├└]' | tail -3
echo "mt2st wall time: $(( $(date +%s) - start ))s"

for f in "$out/mt2st-$model.txt" "$out/gensim-$model.txt"; do
  "$out/mt2st" eval --data "$data" --vectors "$f" --json |
    /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)["similarity"]
for n in ("EN-WS-353-ALL", "EN-RW-STANFORD"):
    r = d[n]
    print("%-40s %-16s spearman %.4f  pairs %d  oov %.3f" % (sys.argv[1], n, r["spearman"], r["pairs"], r["oov"]))' "$f"
done
