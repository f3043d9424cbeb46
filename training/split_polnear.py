"""Splits PolNeAR train into two halves of articles (seed 10), to score a model trained on one
half on the other: the held-out check of training/attribution.toml's figures ("half A -> half B").

Usage: python3 training/split_polnear.py DATA_DIR OUT_DIR
  DATA_DIR: the shared data directory (polnear/train, polnear/dev, polnear/sentences-*.json)
  OUT_DIR:  gets polnear/trainA, polnear/trainB (symbolic links to the articles and their
            annotations), polnear/sentences-trainA.json, sentences-trainB.json, and links to dev.
Then train on half A with the shipped recipe (train = "polnear/trainA") and `--data OUT_DIR`, and
run `whosaid eval attribution --model HALF_A.json --data polnear:OUT_DIR/polnear/trainB`.
"""
import json, os, random, sys
# Absolute, so that the symbolic links resolve whatever the working directory.
src = os.path.abspath(sys.argv[1]); dst = sys.argv[2]
tr = os.path.join(src, "polnear/train")
stems = sorted(f[:-4] for f in os.listdir(os.path.join(tr, "text")) if f.endswith(".txt"))
rng = random.Random(10); rng.shuffle(stems)
half = {"trainA": set(stems[::2]), "trainB": set(stems[1::2])}
sents = json.load(open(os.path.join(src, "polnear/sentences-train.json")))
for name, s in half.items():
    for sub in ("text", "attributions"):
        os.makedirs(os.path.join(dst, "polnear", name, sub), exist_ok=True)
    for f in os.listdir(os.path.join(tr, "text")):
        if f[:-4] in s:
            os.symlink(os.path.join(tr, "text", f), os.path.join(dst, "polnear", name, "text", f))
    for f in os.listdir(os.path.join(tr, "attributions")):
        stem = f.rsplit("_", 1)[0]
        if stem in s:
            os.symlink(os.path.join(tr, "attributions", f), os.path.join(dst, "polnear", name, "attributions", f))
    json.dump({k: v for k, v in sents.items() if k in s}, open(os.path.join(dst, "polnear", "sentences-%s.json" % name), "w"))
    print(name, len(s))
for f in ("dev", "sentences-dev.json", "metadata.tsv"):
    os.symlink(os.path.join(src, "polnear", f), os.path.join(dst, "polnear", f))
