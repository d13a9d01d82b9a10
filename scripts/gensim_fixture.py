#!/usr/bin/env python3
"""Build wordvec's gensim agreement fixture.

Usage (from the repository root; DATA = the shared data directory):
  /usr/bin/python3 scripts/gensim_fixture.py --data ../shared/data --out wordvec/testdata

The full-size check (not committed; a few minutes) instead trains on every
IMDB train and unsup review, 100 dimensions, min_count 5, two workers, and
writes plain word2vec text to --full:
  /usr/bin/python3 scripts/gensim_fixture.py --data ../shared/data --full /tmp/imdb100.txt

Writes:
  vectors.txt.gz               word2vec text format, ~3,000 words x 25 dimensions
  gensim_eval_r1000.json       scripts/gensim_eval.py on it with --restrict-vocab 1000
  gensim_eval_r300000.json     ... with --restrict-vocab 300000 (all words)

The vectors: gensim 4.2.0 Word2Vec (CBOW, 25 dimensions, window 5, 10 epochs,
seed 1, one worker) on 8,000 IMDB train reviews drawn with random.Random(1),
tokenised as the project does (text.Tokenize): ASCII lower-case, "<br />",
"<br/>", "<br>" removed, tokens = runs of [a-z0-9'], vocabulary capped at
3,000 words by frequency. Values are rounded to 4 decimals (a smaller file;
the golden JSON is computed from the rounded file).

To exercise gensim's case-insensitive lookup, which an all-lower-case
vocabulary never reaches, a few upper-/title-case variants are injected on
purpose: some before their lower-case word (so the variant is the one
evaluated), some after it (so it is a candidate that the prediction loop must
skip as "a question word"), and one word whose only form is title case.
"""
import argparse
import gzip
import os
import random
import re
import tempfile

import numpy as np
from gensim.models import KeyedVectors, Word2Vec

import gensim_eval

BREAK = re.compile(rb"<br(?: /|/)?>")
TOKEN = re.compile(rb"[a-z0-9']+")


def tokenize(text):
    # bytes.lower() changes ASCII letters only, like the Go tokenizer.
    b = BREAK.sub(b" ", text.encode("utf8").lower())
    return [t.decode("ascii") for t in TOKEN.findall(b)]


def read_reviews(path):
    with gzip.open(path, "rt", encoding="utf8") as f:
        next(f)  # header: label rating id text
        return [line.rstrip("\n").split("\t", 3)[3] for line in f]


def build_vectors(data_dir):
    reviews = read_reviews(os.path.join(data_dir, "imdb", "train.tsv.gz"))
    sample = random.Random(1).sample(reviews, 8000)
    sentences = [tokenize(r) for r in sample]
    model = Word2Vec(sentences, vector_size=25, window=5, min_count=5, max_final_vocab=3000,
                     sg=0, epochs=10, seed=1, workers=1)
    words = list(model.wv.index_to_key)
    vecs = np.round(model.wv.vectors.astype(np.float64), 4).astype(np.float32)
    return words, vecs


def build_full_vectors(data_dir, path):
    reviews = read_reviews(os.path.join(data_dir, "imdb", "train.tsv.gz"))
    with gzip.open(os.path.join(data_dir, "imdb", "unsup.tsv.gz"), "rt", encoding="utf8") as f:
        next(f)  # header: id text
        reviews += [line.rstrip("\n").split("\t", 1)[1] for line in f]
    sentences = [tokenize(r) for r in reviews]
    model = Word2Vec(sentences, vector_size=100, window=5, min_count=5, sg=0, epochs=5, seed=1, workers=2)
    model.wv.save_word2vec_format(path, binary=False)
    print(f"{path}: {len(model.wv)} words x {model.wv.vector_size} from {len(reviews)} reviews")


def inject_case_variants(words, vecs):
    """Insert upper-/title-case variants (see the module docstring)."""
    rng = np.random.default_rng(1)
    index = {w: i for i, w in enumerate(words)}
    before = [w for w in ("man", "good", "he", "great", "son", "king") if w in index]
    after = [w for w in ("woman", "bad", "she", "better", "father", "queen", "boy") if w in index]
    only_title = [w for w in ("america", "american", "london") if w in index][:1]
    rows = [(w, vecs[i]) for i, w in enumerate(words)]
    inserts = []  # (position in the original order, word, vector)
    for w in before:
        i = index[w]
        inserts.append((max(0, i - 3), w.capitalize(), vecs[i] + rng.normal(0, 0.05, vecs.shape[1])))
    for w in after:
        i = index[w]
        # Close to the original, so it competes as a candidate near the top.
        inserts.append((i + 40, w.upper(), vecs[i] + rng.normal(0, 0.02, vecs.shape[1])))
    for w in only_title:
        rows[index[w]] = (w.capitalize(), vecs[index[w]])
    out = []
    for pos, (w, v) in enumerate(rows):
        out.extend((iw, iv) for ip, iw, iv in inserts if ip == pos)
        out.append((w, v))
    out.extend((iw, iv) for ip, iw, iv in inserts if ip >= len(rows))
    new_words = [w for w, _ in out]
    new_vecs = np.round(np.array([v for _, v in out], dtype=np.float64), 4).astype(np.float32)
    assert len(set(new_words)) == len(new_words)
    return new_words, new_vecs


def save(words, vecs, path):
    kv = KeyedVectors(vecs.shape[1])
    kv.add_vectors(words, vecs)
    with tempfile.TemporaryDirectory() as tmp:
        plain = os.path.join(tmp, "vectors.txt")
        kv.save_word2vec_format(plain, binary=False)
        with open(plain, "rb") as src:
            text = src.read()
    # mtime=0 and no file name in the gzip header: the same input gives the same bytes.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as z:
        z.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", help="fixture directory")
    ap.add_argument("--full", help="train on all train+unsup reviews and write word2vec text here instead")
    args = ap.parse_args()
    if args.full:
        build_full_vectors(args.data, args.full)
        return
    if not args.out:
        ap.error("--out or --full is required")
    words, vecs = inject_case_variants(*build_vectors(args.data))
    path = os.path.join(args.out, "vectors.txt.gz")
    save(words, vecs, path)
    print(f"{path}: {len(words)} words x {vecs.shape[1]}")
    for restrict in (1000, 300000):
        report = gensim_eval.evaluate(path, args.data, restrict)
        out = os.path.join(args.out, f"gensim_eval_r{restrict}.json")
        with open(out, "w") as f:
            f.write(gensim_eval.json.dumps(report, indent=1, allow_nan=False) + "\n")
        print(out, report["analogy"]["total"])


if __name__ == "__main__":
    main()
