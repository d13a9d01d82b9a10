#!/usr/bin/env python3
"""Golden token counts for text.Tokenize over the shared IMDB data.

Tokenisation as text.Tokenize defines it: ASCII letters lower-cased, the HTML
line breaks "<br />", "<br/>" and "<br>" replaced by a space, tokens = maximal
runs of [a-z0-9']. (Python's str.lower() would also map a few non-ASCII
letters to ASCII, e.g. U+0130 to "i" + a combining dot, which gives one more
token in unsup; Tokenize treats every non-ASCII byte as a separator.)

Usage: python3 scripts/imdb_token_counts.py [DATA_DIR]   (default ../shared/data)
Output on the shared data (sha256 in imdb/SOURCE.md): train 5841708, test 5709723,
unsup 11719463 tokens; 172629 types; 59145 with count >= 5.
"""
import collections
import gzip
import re
import sys

data = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
token = re.compile(r"[a-z0-9']+")
upper_to_lower = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
counts = collections.Counter()
for split in ["train", "test", "unsup"]:
    n = 0
    with gzip.open(f"{data}/imdb/{split}.tsv.gz", "rt", encoding="utf-8") as f:
        next(f)  # header
        for line in f:
            text = line.rstrip("\n").split("\t", 3 if split != "unsup" else 1)[-1]
            text = text.translate(upper_to_lower)
            text = text.replace("<br />", " ").replace("<br/>", " ").replace("<br>", " ")
            tokens = token.findall(text)
            n += len(tokens)
            counts.update(tokens)
    print(f"{split} tokens {n}")
print(f"types {len(counts)}")
print(f"types with count >= 5 {sum(1 for c in counts.values() if c >= 5)}")
print(f"total tokens {sum(counts.values())}")
