#!/usr/bin/env python3
"""Would subword pieces help the stance model? A scikit-learn replica of the RUW keys answers it.

The issue's reference pipeline (TF-IDF word 1-2-grams + char_wb 2-5-grams, sublinear tf,
LogisticRegression with class_weight balanced, C chosen on RUW val by F-avg, one model per
target), with and without a third TF-IDF block over the WordPiece or BPE pieces of a vocabulary
trained (Hugging Face `tokenizers`, BERT normalizer and pre-tokenizer) on the training tweets
only. Printed per setting: RUW val F-avg (mean over Russia and Ukraine), and held out on RUW
train halves (seed 7, 2,100 tweets each: trained on one half with C chosen on val, scored on
the other half).

Session 21 (2026-11-24), this machine; the trainers run in parallel, so the pieces settings
move by about 0.3 from run to run:
    pieces     vocab  val F-avg  A->B   B->A
    none           0      53.41  52.69  53.01
    wordpiece   4000      53.35  51.49  51.74
    wordpiece   8000      52.88  51.71  52.05
    wordpiece  16000      53.74  51.32  52.03
    bpe         8000      52.88  51.67  52.00
and with char_wb 4-5 (whosaid's char_min 4, char_max 5) instead of 2-5: none 53.72 / 52.22 /
53.19, wordpiece 8000 53.32 / 51.78 / 51.77, 16000 54.52 / 51.32 / 52.32. Pieces cost 0.4-1.7
on every held-out half: whosaid's feature extractor has no subword group.

Usage: python3 bench/sklearn_subwords.py [DATA_DIR]   (default $WHOSAID_DATA or ../shared/data)
Needs: pip install -r bench/requirements.txt tokenizers
"""

import csv
import io
import os
import random
import sys

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.pipeline import FeatureUnion
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers

GRID = [1, 3, 10]
SETTINGS = [(0, "none"), (4000, "wordpiece"), (8000, "wordpiece"), (16000, "wordpiece"), (8000, "bpe")]


def load(path):
    """(tweet, stance toward Russia, stance toward Ukraine) rows of a GB18030 RUW CSV."""
    rows = list(csv.reader(io.StringIO(open(path, "rb").read().decode("gb18030"))))[1:]
    return [(r[0], r[2].upper(), r[4].upper()) for r in rows]


def piece_analyzer(texts, vocab, kind):
    """A function from a text to its pieces, the vocabulary trained on `texts`."""
    if kind == "wordpiece":
        tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
        trainer = trainers.WordPieceTrainer(vocab_size=vocab, special_tokens=["[UNK]"])
    else:
        tok = Tokenizer(models.BPE(unk_token="[UNK]"))
        trainer = trainers.BpeTrainer(vocab_size=vocab, special_tokens=["[UNK]"])
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.train_from_iterator(texts, trainer)
    return lambda text: tok.encode(text).tokens


def f_avg(gold, pred):
    """Mean F1 of FAVOR and AGAINST (SemEval-2016)."""
    f1 = lambda label: f1_score(gold, pred, labels=[label], average="macro", zero_division=0)
    return (f1("FAVOR") + f1("AGAINST")) / 2


def run(train, dev, test, vocab, kind):
    """[dev F-avg] or [dev F-avg, test F-avg], each the mean over the two targets, in %."""
    pieces = piece_analyzer([r[0] for r in train], vocab, kind) if vocab else None
    per_target = []
    for col in (1, 2):
        blocks = [
            ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
        ]
        if pieces:
            blocks.append(("pieces", TfidfVectorizer(analyzer=pieces, sublinear_tf=True)))
        union = FeatureUnion(blocks)
        x = union.fit_transform([r[0] for r in train])
        xd = union.transform([r[0] for r in dev])
        best = None
        for c in GRID:
            model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
            model.fit(x, [r[col] for r in train])
            score = f_avg([r[col] for r in dev], model.predict(xd))
            if best is None or score > best[0]:
                best = (score, model)
        scores = [100 * best[0]]
        if test:
            pred = best[1].predict(union.transform([r[0] for r in test]))
            scores.append(100 * f_avg([r[col] for r in test], pred))
        per_target.append(scores)
    return [round(float(np.mean([s[k] for s in per_target])), 2) for k in range(len(per_target[0]))]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    data = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
        "WHOSAID_DATA", os.path.join(here, "..", "..", "shared", "data"))
    train = load(os.path.join(data, "ruw", "train.csv"))
    val = load(os.path.join(data, "ruw", "val.csv"))
    order = list(range(len(train)))
    random.Random(7).shuffle(order)
    half_a = [train[i] for i in order[:2100]]
    half_b = [train[i] for i in order[2100:]]
    print("pieces     vocab  val F-avg  A->B   B->A")
    for vocab, kind in SETTINGS:
        val_score = run(train, val, None, vocab, kind)[0]
        a_to_b = run(half_a, val, half_b, vocab, kind)[1]
        b_to_a = run(half_b, val, half_a, vocab, kind)[1]
        print(f"{kind:10} {vocab:5}  {val_score:9.2f}  {a_to_b:5.2f}  {b_to_a:5.2f}", flush=True)


if __name__ == "__main__":
    main()
