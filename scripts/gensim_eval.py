#!/usr/bin/env python3
"""Reference evaluation of word vectors with gensim, for wordvec's agreement tests.

Usage:
  /usr/bin/python3 scripts/gensim_eval.py VECTORS --data DATA_DIR --restrict-vocab N [--out FILE]

VECTORS is a word2vec text file (optionally .gz). DATA_DIR holds
word-similarity/EN-*.txt and analogy/questions-words.txt. Prints (or writes)
JSON in the shape of wordvec.Report:

  {"similarity": {"EN-WS-353-ALL": {"spearman": f, "pearson": f, "pairs": n, "oov": f}, ...},
   "analogy": {"sections": {"capital-common-countries": {"3cosadd": f, "3cosmul": f, "questions": n}, ...},
               "total": {"3cosadd": f, "3cosmul": f, "questions": n, "oov": f}}}

What is called (gensim 4.2.0, scipy 1.10.1):
- similarity: KeyedVectors.evaluate_word_pairs(path, delimiter=None, restrict_vocab=N).
  delimiter=None (split on any whitespace) because three of the lists separate
  with spaces, where gensim's default '\\t' would skip every line as invalid.
  gensim returns the OOV ratio in percent: "oov" here is that / 100 (checked
  against a recount), and "pairs" is the number of valid lines minus the OOV
  ones. With no pair in the vocabulary gensim raises, and with one scipy's
  pearsonr does; both are reported with null correlations, as is any
  undefined (NaN) correlation.
- 3CosAdd: KeyedVectors.evaluate_word_analogies(path, restrict_vocab=N).
- 3CosMul: gensim 4.2.0 accepts similarity_function= but ignores it (its loop
  always calls self.most_similar), and most_similar_cosmul ignores
  restrict_vocab (it searches every vector). So 3CosMul is gensim's own
  evaluate_word_analogies loop run on a KeyedVectors holding only the first N
  vectors, whose most_similar is replaced by most_similar_cosmul: the
  multiplicative objective over the same restricted vocabulary as 3CosAdd.
- "oov" of the total: questions with a word outside the first N words, over
  all valid question lines (gensim logs this ratio but does not return it).
"""
import argparse
import glob
import json
import math
import os
import sys

from gensim.models import KeyedVectors


def count_pairs(path, ok_vocab):
    """(valid lines, OOV lines) as evaluate_word_pairs(delimiter=None) sees them."""
    valid = oov = 0
    with open(path, encoding="utf8") as f:
        for line in f:
            if not line or line.startswith("#"):
                continue
            parts = line.upper().split()
            if len(parts) != 3:
                continue
            try:
                float(parts[2])
            except ValueError:
                continue
            valid += 1
            if parts[0] not in ok_vocab or parts[1] not in ok_vocab:
                oov += 1
    return valid, oov


def count_valid_questions(path):
    """Question lines evaluate_word_analogies counts (quadruplets_no)."""
    n = 0
    with open(path, encoding="utf8") as f:
        for line in f:
            if not line.startswith(": ") and len(line.split()) == 4:
                n += 1
    return n


def null_nan(x):
    x = float(x)
    return None if math.isnan(x) else x


def evaluate_similarity(kv, data_dir, restrict_vocab):
    ok_vocab = {k.upper() for k in kv.index_to_key[:restrict_vocab]}
    out = {}
    for path in sorted(glob.glob(os.path.join(data_dir, "word-similarity", "EN-*.txt"))):
        name = os.path.basename(path)[: -len(".txt")]
        valid, oov = count_pairs(path, ok_vocab)
        entry = {"spearman": None, "pearson": None, "pairs": valid - oov, "oov": oov / valid if valid else 0.0}
        try:
            pearson, spearman, oov_percent = kv.evaluate_word_pairs(
                path, delimiter=None, restrict_vocab=restrict_vocab)
        except ValueError:
            # gensim raises when no pair is in the vocabulary, and scipy's
            # pearsonr when only one is: both are undefined correlations.
            assert valid - oov < 2, (name, valid, oov)
        else:
            assert abs(oov_percent / 100 - entry["oov"]) < 1e-12, (name, oov_percent, entry)
            entry["spearman"] = null_nan(spearman[0])
            entry["pearson"] = null_nan(pearson[0])
        out[name] = entry
    return out


def restricted_cosmul(kv, restrict_vocab):
    n = min(restrict_vocab, len(kv))
    kr = KeyedVectors(kv.vector_size)
    kr.add_vectors(kv.index_to_key[:n], kv.vectors[:n])

    def most_similar(positive=None, negative=None, topn=10, restrict_vocab=None, **_):
        return KeyedVectors.most_similar_cosmul(kr, positive=positive, negative=negative, topn=topn)

    kr.most_similar = most_similar
    return kr


def accuracy(section):
    c, i = len(section["correct"]), len(section["incorrect"])
    return (c / (c + i) if c + i else 0.0), c + i


def evaluate_analogies(kv, data_dir, restrict_vocab):
    path = os.path.join(data_dir, "analogy", "questions-words.txt")
    _, add_sections = kv.evaluate_word_analogies(path, restrict_vocab=restrict_vocab)
    _, mul_sections = restricted_cosmul(kv, restrict_vocab).evaluate_word_analogies(
        path, restrict_vocab=restrict_vocab)
    sections = {}
    for add, mul in zip(add_sections[:-1], mul_sections[:-1]):
        assert add["section"] == mul["section"]
        add_acc, n = accuracy(add)
        mul_acc, n_mul = accuracy(mul)
        assert n == n_mul, (add["section"], n, n_mul)
        sections[add["section"]] = {"3cosadd": add_acc, "3cosmul": mul_acc, "questions": n}
    add_acc, n = accuracy(add_sections[-1])
    mul_acc, _ = accuracy(mul_sections[-1])
    asked = count_valid_questions(path)
    total = {"3cosadd": add_acc, "3cosmul": mul_acc, "questions": n,
             "oov": (asked - n) / asked if asked else 0.0}
    return {"sections": sections, "total": total}


def evaluate(vectors_path, data_dir, restrict_vocab):
    kv = KeyedVectors.load_word2vec_format(vectors_path, binary=False)
    return {
        "similarity": evaluate_similarity(kv, data_dir, restrict_vocab),
        "analogy": evaluate_analogies(kv, data_dir, restrict_vocab),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("vectors")
    ap.add_argument("--data", required=True, help="data directory (word-similarity/, analogy/)")
    ap.add_argument("--restrict-vocab", type=int, default=300000)
    ap.add_argument("--out", help="write JSON here instead of stdout")
    args = ap.parse_args()
    report = evaluate(args.vectors, args.data, args.restrict_vocab)
    text = json.dumps(report, indent=1, allow_nan=False) + "\n"
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
