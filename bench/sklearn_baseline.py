#!/usr/bin/env python3
"""scikit-learn reference baseline for whosaid's stance detection.

This is the pipeline a user would otherwise reach for, exactly as our issue specifies:

    FeatureUnion(
        TfidfVectorizer(analyzer="word",    ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
    ) -> LogisticRegression(class_weight="balanced", max_iter=MAX_ITER, C=C)

with C tuned on the dev split over a grid (default 0.1 0.3 1 3 10 30), choosing C by the
corpus's dev metric (first C reaching the best value wins a tie, i.e. the smallest).

Corpora (see ../shared/data/README.md):
  RUW       ruw/train.csv -> ruw/val.csv, GB18030 CSV; one example per (tweet, target);
            one classifier per target (Russia, Ukraine) trained on that target's pairs;
            C chosen by F-avg (mean of F1(favor) and F1(against), SemEval-2016).
  NewsMTSC  newsmtsc/train.jsonl -> newsmtsc/dev.jsonl; one example per target mention, the
            text is the whole sentence (target-unaware, the usual user pipeline), so a sentence
            with k targets is k examples; C chosen by macro-F1 over favor/against/none.

Timings (time.perf_counter, one process; BLAS/OpenMP pools limited to --threads, default 1):
  train_seconds_best   a fresh Pipeline.fit (vectorizers fit + LR fit) on train with the chosen C.
  train_seconds_grid   the whole grid search: the vectorizers are fit once on train (a user
                       tuning only C needs no refit), dev is transformed once, then for every C
                       an LR fit plus dev prediction and scoring.
  predict_sentences_per_s
                       pipeline.predict on the dev texts repeated to >= --bench-min-sentences
                       (5,000) in one batch call; median of --bench-repeats (3) timed runs after
                       one warm-up. For RUW, per target, and for the corpus both target
                       classifiers run on every tweet (tweets/s). For NewsMTSC the texts are the
                       distinct dev sentences.
  For RUW the corpus-level train times are the sums over the two targets.

Scores are fractions in [0, 1] in the JSON and percentages in the printed table.

Usage:
  python3 bench/sklearn_baseline.py [--data DIR] [--json PATH] [--save-predictions DIR]
                                    [--corpus all|ruw|newsmtsc] [--grid 0.1 0.3 1 3 10 30]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import scipy
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

LABELS = ("favor", "against", "none")
RUW_LABELS = {"FAVOR": "favor", "AGAINST": "against", "NONE": "none"}
NEWSMTSC_LABELS = {2.0: "against", 4.0: "none", 6.0: "favor"}
RUW_TARGETS = ("Russia", "Ukraine")
DEFAULT_GRID = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
MAX_ITER = 10_000


# --------------------------------------------------------------------------------------------
# Data loading


class DataError(Exception):
    pass


def read_text(path: Path, encoding: str) -> str:
    """Read a whole file, failing with file, line and byte offset on a decoding error."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise DataError(f"cannot read {path}: {e}") from e
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1)
        raise DataError(
            f"{path}: not valid {encoding} at line {line}, byte offset {e.start} "
            f"(byte {col} of the line): {e.reason}, bytes {raw[e.start:e.end]!r}"
        ) from e


def load_ruw(path: Path) -> list[dict]:
    """One example per (tweet, target): {id, target, text, gold}. id is the 0-based data row."""
    text = read_text(path, "gb18030")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    need = ["Tweet", "Target 1", "Stance 1", "Target 2", "Stance 2"]
    missing = [c for c in need if c not in (reader.fieldnames or [])]
    if missing:
        raise DataError(f"{path}: missing columns {missing}; header is {reader.fieldnames}")
    out = []
    for row_idx, row in enumerate(reader):
        for k in (1, 2):
            target = row[f"Target {k}"].strip()
            stance = row[f"Stance {k}"].strip().upper()
            if stance not in RUW_LABELS:
                raise DataError(
                    f"{path}: data row {row_idx} (line {reader.line_num}): "
                    f"unknown stance {stance!r} for target {target!r}"
                )
            out.append(
                {"id": str(row_idx), "target": target, "text": row["Tweet"],
                 "gold": RUW_LABELS[stance]}
            )
    return out


def load_newsmtsc(path: Path) -> list[dict]:
    """One example per target mention: {id, target, text, gold, sentence_idx}."""
    text = read_text(path, "utf-8")
    out = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
        except json.JSONDecodeError as e:
            raise DataError(f"{path}: line {line_no}: invalid JSON: {e}") from e
        sent = d["sentence_normalized"]
        for k, t in enumerate(d["targets"]):
            pol = float(t["polarity"])
            if pol not in NEWSMTSC_LABELS:
                raise DataError(f"{path}: line {line_no}: unknown polarity {t['polarity']!r}")
            gid = t.get("Input.gid") or f"{d.get('primary_gid', line_no)}#{k}"
            out.append(
                {"id": gid, "target": t.get("mention", sent[t["from"]:t["to"]]), "text": sent,
                 "gold": NEWSMTSC_LABELS[pol], "sentence_idx": line_no - 1}
            )
    return out


# --------------------------------------------------------------------------------------------
# Metrics, implemented plainly


def score(gold: list[str], pred: list[str]) -> dict:
    assert len(gold) == len(pred)
    per_label = {}
    for lab in LABELS:
        tp = sum(1 for g, p in zip(gold, pred) if g == lab and p == lab)
        fp = sum(1 for g, p in zip(gold, pred) if g != lab and p == lab)
        fn = sum(1 for g, p in zip(gold, pred) if g == lab and p != lab)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_label[lab] = {"precision": prec, "recall": rec, "f1": f1, "support": tp + fn,
                          "predicted": tp + fp}
    n = len(gold)
    return {
        "per_label": per_label,
        "macro_f1": sum(per_label[l]["f1"] for l in LABELS) / len(LABELS),
        "f_avg": (per_label["favor"]["f1"] + per_label["against"]["f1"]) / 2,
        "accuracy": sum(1 for g, p in zip(gold, pred) if g == p) / n if n else 0.0,
        "n": n,
    }


# --------------------------------------------------------------------------------------------
# Model


def make_features() -> FeatureUnion:
    return FeatureUnion([
        ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
    ])


def make_lr(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", max_iter=MAX_ITER)


def make_pipeline(c: float) -> Pipeline:
    return Pipeline([("features", make_features()), ("lr", make_lr(c))])


def fit_lr(lr, x, y) -> tuple[int, bool]:
    """Fit, returning (iterations, converged)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        lr.fit(x, y)
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    return int(np.max(lr.n_iter_)), converged


def run_grid(train: list[dict], dev: list[dict], grid, metric: str) -> dict:
    xtr_text = [e["text"] for e in train]
    ytr = [e["gold"] for e in train]
    xdv_text = [e["text"] for e in dev]
    ydv = [e["gold"] for e in dev]

    t0 = time.perf_counter()
    feats = make_features()
    xtr = feats.fit_transform(xtr_text)
    xdv = feats.transform(xdv_text)
    rows = []
    for c in grid:
        lr = make_lr(c)
        n_iter, conv = fit_lr(lr, xtr, ytr)
        s = score(ydv, list(lr.predict(xdv)))
        rows.append({"C": c, "f_avg": s["f_avg"], "macro_f1": s["macro_f1"],
                     "accuracy": s["accuracy"], "n_iter": n_iter, "converged": conv})
    grid_seconds = time.perf_counter() - t0

    best = rows[0]
    for r in rows[1:]:
        if r[metric] > best[metric]:
            best = r
    return {"rows": rows, "best_C": best["C"], "train_seconds_grid": grid_seconds,
            "n_features": int(xtr.shape[1])}


def fit_best(train: list[dict], c: float) -> tuple[Pipeline, float, int, bool]:
    xtr_text = [e["text"] for e in train]
    ytr = [e["gold"] for e in train]
    pipe = make_pipeline(c)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        t0 = time.perf_counter()
        pipe.fit(xtr_text, ytr)
        secs = time.perf_counter() - t0
    conv = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    return pipe, secs, int(np.max(pipe.named_steps["lr"].n_iter_)), conv


def repeat_to(texts: list[str], minimum: int) -> list[str]:
    reps = max(1, math.ceil(minimum / len(texts)))
    return texts * reps


def throughput(pipes: list[Pipeline], texts: list[str], repeats: int) -> dict:
    """Sentences/s of running every pipeline in `pipes` on each text (one batch call each)."""
    for p in pipes:  # warm-up
        p.predict(texts[: min(len(texts), 500)])
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for p in pipes:
            p.predict(texts)
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    return {"sentences": len(texts), "seconds_median": med, "seconds_all": times,
            "predict_sentences_per_s": len(texts) / med}


def predictions(pipe: Pipeline, dev: list[dict]) -> tuple[list[str], list[dict]]:
    probs = pipe.predict_proba([e["text"] for e in dev])
    classes = [str(c) for c in pipe.classes_]
    preds, recs = [], []
    for e, pr in zip(dev, probs):
        pred = classes[int(np.argmax(pr))]
        preds.append(pred)
        recs.append({"id": e["id"], "target": e["target"], "gold": e["gold"], "pred": pred,
                     "probs": {c: float(v) for c, v in zip(classes, pr)}})
    return preds, recs


# --------------------------------------------------------------------------------------------
# Corpora


def run_ruw(data: Path, args) -> tuple[dict, list[dict]]:
    train_all = load_ruw(data / "ruw" / "train.csv")
    dev_all = load_ruw(data / "ruw" / "val.csv")
    result = {"train_file": "ruw/train.csv", "dev_file": "ruw/val.csv",
              "selection_metric": "f_avg", "targets": {}}
    pipes, recs_all = [], []
    for target in RUW_TARGETS:
        train = [e for e in train_all if e["target"] == target]
        dev = [e for e in dev_all if e["target"] == target]
        if not train or not dev:
            raise DataError(f"RUW: no examples for target {target!r}")
        log(f"RUW/{target}: grid over C on {len(train)} train, {len(dev)} dev pairs ...")
        g = run_grid(train, dev, args.grid, "f_avg")
        pipe, secs, n_iter, conv = fit_best(train, g["best_C"])
        preds, recs = predictions(pipe, dev)
        recs_all += recs
        tp = throughput([pipe], repeat_to([e["text"] for e in dev], args.bench_min_sentences),
                        args.bench_repeats)
        pipes.append(pipe)
        result["targets"][target] = {
            "n_train": len(train), "n_dev": len(dev), "n_features": g["n_features"],
            "chosen_C": g["best_C"], "grid": g["rows"],
            "scores": score([e["gold"] for e in dev], preds),
            "train_seconds_best": secs, "train_seconds_grid": g["train_seconds_grid"],
            "lr_n_iter": n_iter, "lr_converged": conv,
            "predict_sentences_per_s": tp["predict_sentences_per_s"], "throughput": tp,
        }
    tr = result["targets"]
    tweets = [e["text"] for e in dev_all if e["target"] == RUW_TARGETS[0]]
    tp = throughput(pipes, repeat_to(tweets, args.bench_min_sentences), args.bench_repeats)
    result["mean"] = {k: statistics.mean(tr[t]["scores"][k] for t in RUW_TARGETS)
                      for k in ("f_avg", "macro_f1", "accuracy")}
    result["train_seconds_best"] = sum(tr[t]["train_seconds_best"] for t in RUW_TARGETS)
    result["train_seconds_grid"] = sum(tr[t]["train_seconds_grid"] for t in RUW_TARGETS)
    result["predict_sentences_per_s"] = tp["predict_sentences_per_s"]
    result["throughput"] = dict(tp, note="tweets/s, both target classifiers per tweet")
    return result, recs_all


def run_newsmtsc(data: Path, args) -> tuple[dict, list[dict]]:
    train = load_newsmtsc(data / "newsmtsc" / "train.jsonl")
    dev = load_newsmtsc(data / "newsmtsc" / "dev.jsonl")
    log(f"NewsMTSC: grid over C on {len(train)} train, {len(dev)} dev examples ...")
    g = run_grid(train, dev, args.grid, "macro_f1")
    pipe, secs, n_iter, conv = fit_best(train, g["best_C"])
    preds, recs = predictions(pipe, dev)
    seen, sentences = set(), []
    for e in dev:
        if e["sentence_idx"] not in seen:
            seen.add(e["sentence_idx"])
            sentences.append(e["text"])
    tp = throughput([pipe], repeat_to(sentences, args.bench_min_sentences), args.bench_repeats)
    result = {
        "train_file": "newsmtsc/train.jsonl", "dev_file": "newsmtsc/dev.jsonl",
        "selection_metric": "macro_f1", "target_aware": False,
        "n_train": len(train), "n_dev": len(dev), "n_dev_sentences": len(sentences),
        "n_features": g["n_features"], "chosen_C": g["best_C"], "grid": g["rows"],
        "scores": score([e["gold"] for e in dev], preds),
        "train_seconds_best": secs, "train_seconds_grid": g["train_seconds_grid"],
        "lr_n_iter": n_iter, "lr_converged": conv,
        "predict_sentences_per_s": tp["predict_sentences_per_s"], "throughput": tp,
    }
    return result, recs


# --------------------------------------------------------------------------------------------
# Output


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def pct(x: float) -> str:
    return f"{100 * x:6.2f}"


def print_scores(name: str, r: dict, metric: str) -> None:
    s = r["scores"]
    print(f"\n== {name}: C={r['chosen_C']:g} (by dev {metric}), {r['n_train']} train / "
          f"{r['n_dev']} dev, {r['n_features']} features, LR {r['lr_n_iter']} iter"
          + ("" if r["lr_converged"] else " NOT CONVERGED"))
    print(f"   {'label':<8} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5} {'pred':>5}")
    for lab in LABELS:
        p = s["per_label"][lab]
        print(f"   {lab:<8} {pct(p['precision'])} {pct(p['recall'])} {pct(p['f1'])} "
              f"{p['support']:>5} {p['predicted']:>5}")
    print(f"   F-avg {pct(s['f_avg'])}   macro-F1 {pct(s['macro_f1'])}   "
          f"accuracy {pct(s['accuracy'])}")
    print("   grid: " + "  ".join(f"C={row['C']:g}:{100 * row[metric]:.2f}" for row in r["grid"]))
    print(f"   train {r['train_seconds_best']:.2f}s (chosen C), grid {r['train_seconds_grid']:.2f}s;"
          f" predict {r['predict_sentences_per_s']:,.0f} sentences/s")


def print_report(out: dict) -> None:
    v = out["versions"]
    print(f"sklearn baseline on dev  (python {v['python']}, scikit-learn {v['sklearn']}, "
          f"numpy {v['numpy']}, scipy {v['scipy']}; threads={out['settings']['threads']})")
    print(f"data: {out['data_dir']}")
    c = out["corpora"]
    if "ruw" in c:
        for t, r in c["ruw"]["targets"].items():
            print_scores(f"RUW / {t}", r, "f_avg")
    if "newsmtsc" in c:
        print_scores("NewsMTSC (target-unaware)", c["newsmtsc"], "macro_f1")
    print("\n== Summary (dev)")
    print(f"   {'corpus':<26} {'F-avg':>6} {'mF1':>6} {'acc':>6} {'C':>8} "
          f"{'train s':>8} {'grid s':>8} {'sent/s':>9}")
    if "ruw" in c:
        r = c["ruw"]
        for t, rt in r["targets"].items():
            s = rt["scores"]
            print(f"   {'RUW ' + t:<26} {pct(s['f_avg'])} {pct(s['macro_f1'])} "
                  f"{pct(s['accuracy'])} {rt['chosen_C']:>8g} {rt['train_seconds_best']:>8.2f} "
                  f"{rt['train_seconds_grid']:>8.2f} {rt['predict_sentences_per_s']:>9,.0f}")
        m = r["mean"]
        print(f"   {'RUW mean (both targets)':<26} {pct(m['f_avg'])} {pct(m['macro_f1'])} "
              f"{pct(m['accuracy'])} {'':>8} {r['train_seconds_best']:>8.2f} "
              f"{r['train_seconds_grid']:>8.2f} {r['predict_sentences_per_s']:>9,.0f}")
    if "newsmtsc" in c:
        r = c["newsmtsc"]
        s = r["scores"]
        print(f"   {'NewsMTSC':<26} {pct(s['f_avg'])} {pct(s['macro_f1'])} {pct(s['accuracy'])} "
              f"{r['chosen_C']:>8g} {r['train_seconds_best']:>8.2f} "
              f"{r['train_seconds_grid']:>8.2f} {r['predict_sentences_per_s']:>9,.0f}")
    print("   (RUW mean row: train/grid s summed over targets; sent/s = tweets/s through both "
          "target classifiers)")


def default_data_dir() -> Path:
    env = os.environ.get("WHOSAID_DATA")
    if env:
        return Path(env)
    repo_root = Path(__file__).resolve().parent.parent
    return (repo_root / ".." / "shared" / "data").resolve()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=None,
                    help="data dir (default: $WHOSAID_DATA or ../shared/data from the repo root)")
    ap.add_argument("--json", type=Path, help="write all figures to this JSON file")
    ap.add_argument("--save-predictions", type=Path, metavar="DIR",
                    help="write DIR/ruw-dev.jsonl and DIR/newsmtsc-dev.jsonl")
    ap.add_argument("--corpus", choices=("all", "ruw", "newsmtsc"), default="all")
    ap.add_argument("--grid", type=float, nargs="+", default=list(DEFAULT_GRID))
    ap.add_argument("--threads", type=int, default=1,
                    help="BLAS/OpenMP threads (default 1: single-core timings)")
    ap.add_argument("--bench-min-sentences", type=int, default=5000)
    ap.add_argument("--bench-repeats", type=int, default=3)
    args = ap.parse_args(argv)
    data = (args.data or default_data_dir()).resolve()

    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(limits=args.threads)  # for the whole process
    except ImportError:  # pragma: no cover
        pass

    out = {
        "tool": "whosaid bench/sklearn_baseline.py", "split": "dev", "data_dir": str(data),
        "score_scale": "fraction (0-1)",
        "versions": {"python": platform.python_version(), "sklearn": sklearn.__version__,
                     "numpy": np.__version__, "scipy": scipy.__version__,
                     "platform": platform.platform(), "machine": platform.machine()},
        "settings": {
            "grid": args.grid, "tie_break": "smallest C among the best",
            "features": "FeatureUnion(TfidfVectorizer(word, 1-2, sublinear_tf), "
                        "TfidfVectorizer(char_wb, 2-5, sublinear_tf))",
            "classifier": f"LogisticRegression(class_weight='balanced', max_iter={MAX_ITER}, "
                          "solver lbfgs)",
            "threads": args.threads,
            "train_seconds_best": "fresh Pipeline.fit (vectorizers + LR) with the chosen C",
            "train_seconds_grid": "vectorizers fit once + dev transform + per C: LR fit, "
                                  "dev predict, scoring",
            "predict_sentences_per_s": f"Pipeline.predict, one batch of dev texts repeated to "
                                       f">= {args.bench_min_sentences}, median of "
                                       f"{args.bench_repeats} runs after a warm-up",
        },
        "corpora": {},
    }
    preds = {}
    try:
        if args.corpus in ("all", "ruw"):
            out["corpora"]["ruw"], preds["ruw"] = run_ruw(data, args)
        if args.corpus in ("all", "newsmtsc"):
            out["corpora"]["newsmtsc"], preds["newsmtsc"] = run_newsmtsc(data, args)
    except DataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2

    print_report(out)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        log(f"wrote {args.json}")
    if args.save_predictions:
        args.save_predictions.mkdir(parents=True, exist_ok=True)
        for corpus, recs in preds.items():
            p = args.save_predictions / f"{corpus}-dev.jsonl"
            with p.open("w", encoding="utf-8") as fh:
                for r in recs:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
            log(f"wrote {p} ({len(recs)} predictions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
