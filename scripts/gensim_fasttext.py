#!/usr/bin/env python3
"""Train gensim FastText on the IMDB corpus exactly as mt2st's corpus tasks see it.

The reference for the fasttext-sg / fasttext-cbow quality check
(scripts/compare_fasttext.sh): vectors trained by mt2st on the same tokens
with the same hyper-parameters must score on par on Stanford Rare Words
(EN-RW-STANFORD) and WS-353 (EN-WS-353-ALL).

Corpus and tokens: as scripts/gensim_word2vec.py (IMDB train + unsup, test
duplicates left out, text.Tokenize's rules). The vocabulary is built on the
whole corpus (min_count); with --fraction F < 1 the model then trains one
pass over a random F of the reviews (seeded), as mt2st's --set
fasttext-sg.steps=S trains on the first S batches of a pass in a random
document order. --pairs-per-token prints how many skip-gram pairs a pass
holds, to match S to F.

Usage (Debian python3-gensim 4.2.0):
  /usr/bin/python3 scripts/gensim_fasttext.py --data DATA_DIR --out runs/gensim-ft.txt \
      --sg 1 --dim 100 --window 5 --negative 5 --min-count 5 --sample 1e-3 --epochs 1 \
      --min-n 3 --max-n 6 --bucket 2000000 --fraction 0.1 --workers 2
It saves the in-vocabulary vectors (gensim's adjusted vectors: a word's row
averaged with its n-gram rows) in word2vec text format, ordered by frequency,
for `mt2st eval`, and prints JSON with gensim's own Spearman on WS-353 and RW,
in-vocabulary pairs only and with out-of-vocabulary words built from their
n-grams (FastTextKeyedVectors.get_vector).
"""
import argparse
import json
import logging
import math
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gensim_word2vec import reviews, tokenize  # noqa: E402


def spearman_pairs(kv, path, allow_oov):
    """Spearman over the list's pairs whose words have vectors (in vocabulary, or any with n-grams)."""
    from scipy.stats import spearmanr
    xs, ys, total = [], [], 0
    with open(path, encoding="utf8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.lower().split()
            if len(parts) != 3:
                continue
            total += 1
            a, b = parts[0], parts[1]
            if not allow_oov and (a not in kv.key_to_index or b not in kv.key_to_index):
                continue
            xs.append(float(kv.similarity(a, b)))
            ys.append(float(parts[2]))
    return {"spearman": float(spearmanr(xs, ys).correlation), "pairs": len(xs), "listed": total}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("MT2ST_DATA", "../shared/data"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--sg", type=int, default=1)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--window", type=int, default=5)
    ap.add_argument("--negative", type=int, default=5)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--sample", type=float, default=1e-3)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--min-n", type=int, default=3)
    ap.add_argument("--max-n", type=int, default=6)
    ap.add_argument("--bucket", type=int, default=2000000)
    ap.add_argument("--fraction", type=float, default=1.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    from gensim.models import FastText

    imdb = os.path.join(args.data, "imdb")
    held = set(reviews(os.path.join(imdb, "test.tsv.gz"), True))
    sentences = []
    for name, labelled in (("train.tsv.gz", True), ("unsup.tsv.gz", False)):
        for text in reviews(os.path.join(imdb, name), labelled):
            if text not in held:
                sentences.append(tokenize(text))
    tokens = sum(len(s) for s in sentences)

    logging.basicConfig(level=logging.WARNING)
    model = FastText(vector_size=args.dim, window=args.window, min_count=args.min_count, sample=args.sample,
                     sg=args.sg, negative=args.negative, hs=0, min_n=args.min_n, max_n=args.max_n,
                     bucket=args.bucket, workers=args.workers, seed=args.seed)
    model.build_vocab(corpus_iterable=sentences)
    # Expected skip-gram pairs of one pass: every kept token times the mean
    # 2r of a radius uniform in 1..window (window + 1), edges ignored.
    kv = model.wv
    kept = sum(kv.get_vecattr(w, "count") * min(1.0, float(kv.get_vecattr(w, "sample_int")) / 2**32)
               for w in kv.index_to_key)
    train = sentences
    if args.fraction < 1:
        rng = random.Random(args.seed)
        train = rng.sample(sentences, round(args.fraction * len(sentences)))
    train_tokens = sum(len(s) for s in train)
    t0, c0 = time.time(), time.process_time()
    model.train(corpus_iterable=train, total_examples=len(train), total_words=train_tokens, epochs=args.epochs)
    secs, cpu = time.time() - t0, time.process_time() - c0
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    kv.save_word2vec_format(args.out, binary=False)
    lists = {name: os.path.join(args.data, "word-similarity", name + ".txt") for name in ("EN-WS-353-ALL", "EN-RW-STANFORD")}
    print(json.dumps({
        "train_seconds": round(secs, 2), "train_cpu_seconds": round(cpu, 2), "vocab": len(kv.index_to_key), "corpus_tokens": tokens,
        "reviews": len(sentences), "train_reviews": len(train), "train_tokens": train_tokens,
        "kept_tokens_per_pass": round(kept), "pairs_per_pass_estimate": round(kept * (args.window + 1)),
        "in_vocabulary": {n: spearman_pairs(kv, p, False) for n, p in lists.items()},
        "with_oov_from_ngrams": {n: spearman_pairs(kv, p, True) for n, p in lists.items()},
        "params": {k: getattr(args, k) for k in ("sg", "dim", "window", "negative", "min_count", "sample",
                                                 "epochs", "min_n", "max_n", "bucket", "fraction", "workers", "seed")},
    }))


if __name__ == "__main__":
    main()
