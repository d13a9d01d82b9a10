#!/usr/bin/env python3
"""Train gensim Word2Vec on the IMDB corpus exactly as mt2st's corpus tasks see it.

The reference for the skip-gram quality check: skip-gram (or CBOW) trained by mt2st
on the IMDB texts must reach a WS-353 (all) Spearman within 0.03 of gensim's.

Corpus: IMDB train + unsup (imdb/train.tsv.gz, imdb/unsup.tsv.gz), one review
per sentence, in file order, with every review whose text equals a test review
left out (mt2st's corpus never holds a review the primary task validates or
tests on; with `--protocol imdb --val-fraction 0` those are the test reviews).
Tokens follow text.Tokenize: ASCII letters lower-cased, the HTML line breaks
"<br />", "<br/>" and "<br>" (any case) removed, then every maximal run of
[a-z0-9'] is a token; every other byte, non-ASCII included, separates tokens.

Usage (Debian python3-gensim 4.2.0):
  /usr/bin/python3 scripts/gensim_word2vec.py --data ../shared/data --out runs/gensim-sg.txt \
      --sg 1 --dim 100 --window 5 --negative 5 --min-count 5 --sample 1e-3 --epochs 3 --workers 2
It prints the wall time of building the vocabulary (vocab_seconds) and of training
(train_seconds, the figure scripts/compare_word2vec.sh compares), gensim's own WS-353
(all) and Stanford Rare Words Spearman, and saves
the vectors in word2vec text format (ordered by frequency) for `mt2st eval`.
"""
import argparse
import gzip
import json
import logging
import os
import re
import sys
import time

BREAK = re.compile(rb"<br(?: /|/)?>", re.IGNORECASE)
TOKEN = re.compile(rb"[a-z0-9']+")


def tokenize(text: bytes):
    # bytes.lower() lower-cases ASCII letters only, as text.Tokenize does.
    return [t.decode("ascii") for t in TOKEN.findall(BREAK.sub(b" ", text.lower()))]


def reviews(path, labelled):
    with gzip.open(path, "rb") as f:
        f.readline()  # header
        for line in f:
            line = line.rstrip(b"\n").rstrip(b"\r")
            parts = line.split(b"\t", 3 if labelled else 1)
            yield parts[-1]


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
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep-test-duplicates", action="store_true",
                    help="keep train/unsup reviews whose text equals a test review")
    args = ap.parse_args()

    from gensim.models import Word2Vec
    from gensim.test.utils import datapath

    imdb = os.path.join(args.data, "imdb")
    held = set()
    if not args.keep_test_duplicates:
        held = set(reviews(os.path.join(imdb, "test.tsv.gz"), True))
    t0 = time.time()
    sentences, dropped = [], 0
    for name, labelled in (("train.tsv.gz", True), ("unsup.tsv.gz", False)):
        for text in reviews(os.path.join(imdb, name), labelled):
            if text in held:
                dropped += 1
                continue
            sentences.append(tokenize(text))
    tokens = sum(len(s) for s in sentences)
    print(f"corpus: {len(sentences)} reviews, {tokens} tokens, {dropped} left out as test duplicates "
          f"({time.time() - t0:.1f}s to read)", file=sys.stderr)

    logging.basicConfig(level=logging.WARNING)
    t0 = time.time()
    model = Word2Vec(vector_size=args.dim, window=args.window, min_count=args.min_count,
                     sample=args.sample, sg=args.sg, negative=args.negative, hs=0, epochs=args.epochs,
                     workers=args.workers, seed=args.seed)
    model.build_vocab(sentences)
    vocab_secs = time.time() - t0
    t1, c1 = time.time(), time.process_time()
    model.train(sentences, total_examples=model.corpus_count, epochs=model.epochs)
    train_secs, train_cpu = time.time() - t1, time.process_time() - c1
    secs = time.time() - t0
    kv = model.wv
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    kv.save_word2vec_format(args.out, binary=False)
    ws = os.path.join(args.data, "word-similarity", "EN-WS-353-ALL.txt")
    pearson, spearman, oov = kv.evaluate_word_pairs(ws, restrict_vocab=len(kv.index_to_key),
                                                    case_insensitive=True, delimiter=None)
    rw = os.path.join(args.data, "word-similarity", "EN-RW-STANFORD.txt")
    rw_spearman = float(kv.evaluate_word_pairs(rw, restrict_vocab=len(kv.index_to_key),
                                               case_insensitive=True, delimiter=None)[1][0])
    print(json.dumps({"seconds": round(secs, 2), "vocab_seconds": round(vocab_secs, 2),
                      "train_seconds": round(train_secs, 2),
                      "train_cpu_seconds": round(train_cpu, 2), "rw_stanford_spearman": rw_spearman, "vocab": len(kv.index_to_key), "tokens": tokens,
                      "ws353_all_spearman": float(spearman[0]), "oov_percent": oov,
                      "params": {k: getattr(args, k) for k in ("sg", "dim", "window", "negative", "min_count",
                                                               "sample", "epochs", "workers", "seed")}}))


if __name__ == "__main__":
    main()
