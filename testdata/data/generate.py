#!/usr/bin/env python3
"""Writes the tiny data fixtures of this folder (see README.md).

Every line is made up here from the word lists below, with a fixed seed, in
the formats of the real files: run it from this folder to regenerate
byte-identical files (gzip with mtime 0).
"""
import gzip
import random

rng = random.Random(20260101)

GOOD = "great wonderful excellent superb brilliant lovely amazing moving charming delightful".split()
BAD = "awful terrible boring dull poor weak horrible stupid tedious clumsy".split()
NOUNS = "film movie story plot acting music ending cast script direction".split()
PEOPLE = [("king", "queen"), ("man", "woman"), ("boy", "girl"), ("brother", "sister"),
          ("father", "mother"), ("son", "daughter"), ("husband", "wife"), ("uncle", "aunt")]
PLACES = [("paris", "france"), ("rome", "italy"), ("tokyo", "japan"), ("berlin", "germany"),
          ("madrid", "spain"), ("london", "england"), ("moscow", "russia"), ("cairo", "egypt")]
ADJ = [("big", "bigger", "biggest"), ("small", "smaller", "smallest"), ("fast", "faster", "fastest"),
       ("old", "older", "oldest"), ("young", "younger", "youngest"), ("cold", "colder", "coldest")]
VERBS = [("walk", "walking", "walked"), ("run", "running", "ran"), ("sing", "singing", "sang"),
         ("swim", "swimming", "swam"), ("write", "writing", "wrote"), ("dance", "dancing", "danced")]


def topic_sentence():
    kind = rng.randrange(4)
    if kind == 0:
        a, b = rng.choice(PEOPLE)
        return f"The {a} and the {b} {rng.choice(VERBS)[2]} together in {rng.choice(PLACES)[0]}."
    if kind == 1:
        city, country = rng.choice(PLACES)
        return f"It was shot in {city}, the capital of {country}, with a {rng.choice(ADJ)[1]} budget."
    if kind == 2:
        base, comp, sup = rng.choice(ADJ)
        return f"A {base} {rng.choice(NOUNS)}, {comp} than most and not the {sup} of the year."
    v = rng.choice(VERBS)
    return f"We watched the {rng.choice(PEOPLE)[rng.randrange(2)]} {v[1]} and later {v[2]} again."


def review(positive):
    words = GOOD if positive else BAD
    other = BAD if positive else GOOD
    parts = [f"This {rng.choice(NOUNS)} was {rng.choice(words)}."]
    for _ in range(rng.randrange(2, 5)):
        parts.append(topic_sentence())
        if rng.random() < 0.7:
            parts.append(f"The {rng.choice(NOUNS)} is {rng.choice(words)} and {rng.choice(words)}.")
        if rng.random() < 0.15:
            parts.append(f"Some say it is {rng.choice(other)}, but not me.")
    parts.append(f"Overall {rng.choice(words)}<br /><br />")
    return " ".join(parts)


def write_gz(path, text):
    with open(path, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
            gz.write(text.encode())


def labelled(n, first_id):
    lines = ["label\trating\tid\ttext"]
    for i in range(n):  # pos first, then neg, as the real files
        pos = i < n // 2
        rating = rng.choice([7, 8, 9, 10]) if pos else rng.choice([1, 2, 3, 4])
        lines.append(f"{'pos' if pos else 'neg'}\t{rating}\t{first_id + i}\t{review(pos)}")
    return "\n".join(lines) + "\n"


write_gz("imdb/train.tsv.gz", labelled(60, 0))
write_gz("imdb/test.tsv.gz", labelled(60, 0))
write_gz("imdb/unsup.tsv.gz", "id\ttext\n" + "".join(f"{i}\t{review(rng.random() < 0.5)}\n" for i in range(40)))

# Similarity lists: the 13 file names of the real copy, each a few pairs of
# the words above with made-up scores.
LISTS = ["EN-MC-30", "EN-MEN-TR-3k", "EN-MTurk-287", "EN-MTurk-771", "EN-RG-65", "EN-RW-STANFORD",
         "EN-SIMLEX-999", "EN-SimVerb-3500", "EN-VERB-143", "EN-WS-353-ALL", "EN-WS-353-REL",
         "EN-WS-353-SIM", "EN-YP-130"]
VOCAB = sorted(set(GOOD + BAD + NOUNS + [w for p in PEOPLE for w in p] + [w for p in PLACES for w in p]
                   + [w for t in ADJ for w in t] + [w for t in VERBS for w in t]))
for name in LISTS:
    scale = 10 if "MEN" not in name else 50
    with open(f"word-similarity/{name}.txt", "w") as f:
        for _ in range(8):
            a, b = rng.sample(VOCAB, 2)
            f.write(f"{a}\t{b}\t{rng.uniform(0, scale):.2f}\n")

# Analogies: the 14 section names of questions-words.txt, questions made
# from the pairs above (capitalised like the original for places).
SECTIONS = {
    "capital-common-countries": [(c.title(), k.title()) for c, k in PLACES[:4]],
    "capital-world": [(c.title(), k.title()) for c, k in PLACES[2:]],
    "currency": [("japan", "yen"), ("england", "pound"), ("russia", "ruble")],
    "city-in-state": [("paris", "france"), ("berlin", "germany"), ("madrid", "spain")],
    "family": PEOPLE,
    "gram1-adjective-to-adverb": [("great", "greatly"), ("poor", "poorly"), ("brilliant", "brilliantly")],
    "gram2-opposite": [("good", "bad"), ("big", "small"), ("old", "young")],
    "gram3-comparative": [(a, b) for a, b, _ in ADJ],
    "gram4-superlative": [(a, c) for a, _, c in ADJ],
    "gram5-present-participle": [(a, b) for a, b, _ in VERBS],
    "gram6-nationality-adjective": [("france", "french"), ("italy", "italian"), ("japan", "japanese")],
    "gram7-past-tense": [(b, c) for _, b, c in VERBS],
    "gram8-plural": [("film", "films"), ("movie", "movies"), ("story", "stories")],
    "gram9-plural-verbs": [("walk", "walks"), ("run", "runs"), ("sing", "sings")],
}
with open("analogy/questions-words.txt", "w") as f:
    for section, pairs in SECTIONS.items():
        f.write(f": {section}\n")
        for i, (a, b) in enumerate(pairs):
            for c, d in pairs[i + 1:i + 3]:
                f.write(f"{a} {b} {c} {d}\n")

# UD English EWT: a few made-up sentences in CoNLL-U (10 columns).
TAGS = {"the": ("DET", "DT"), "a": ("DET", "DT"), "and": ("CCONJ", "CC"), ".": ("PUNCT", "."),
        "was": ("AUX", "VBD"), "is": ("AUX", "VBZ")}
for w in GOOD + BAD:
    TAGS[w] = ("ADJ", "JJ")
for w in NOUNS + [x for p in PEOPLE for x in p]:
    TAGS[w] = ("NOUN", "NN")
for split, n in [("train", 12), ("dev", 4), ("test", 4)]:
    out = []
    for s in range(n):
        words = ["the", rng.choice(NOUNS), rng.choice(["was", "is"]), rng.choice(GOOD + BAD),
                 "and", "the", rng.choice([x for p in PEOPLE for x in p]), rng.choice(["was", "is"]), rng.choice(GOOD + BAD), "."]
        out.append(f"# sent_id = fixture-{split}-{s + 1:03d}")
        out.append("# text = " + " ".join(words))
        for i, w in enumerate(words, 1):
            upos, xpos = TAGS[w]
            head = 4 if i != 4 else 0
            out.append(f"{i}\t{w}\t{w}\t{upos}\t{xpos}\t_\t{head}\t{'root' if head == 0 else 'dep'}\t_\t_")
        out.append("")
    text = "\n".join(out) + "\n"
    if split == "train":
        write_gz(f"ud-english-ewt/en_ewt-ud-{split}.conllu.gz", text)
    else:
        with open(f"ud-english-ewt/en_ewt-ud-{split}.conllu", "w") as f:
            f.write(text)

# rt-polarity: one sentence per line, lower-cased and tokenised like the original.
for name, words in [("pos", GOOD), ("neg", BAD)]:
    with open(f"rt-polarity/rt-polarity.{name}", "w", encoding="latin-1") as f:
        for _ in range(10):
            f.write(f"the {rng.choice(NOUNS)} is {rng.choice(words)} and {rng.choice(words)} . \n")
