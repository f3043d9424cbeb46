#!/usr/bin/env python3
"""Fits scikit-learn's LogisticRegression on the very rows whosaid's attribution models are fitted on.

`whosaid train attribution ... --dump-rows DIR` writes the cue, source and content models'
training rows as their fits see them (features selected, idf-weighted, normalized) to
DIR/{cue,source,content}.svm. This script fits scikit-learn's LogisticRegression (lbfgs, one
thread) on each with the recipe's penalty and iteration limit, and prints its fit time next to
whosaid's (read from the training log's "<model> model fitted: ..., fit S s" lines), so that the
two fits of the same problems can be compared. scikit-learn's C is 1 / alpha: linfa-logistic's
loss is summed over the rows with an L2 penalty alpha, scikit-learn's is C times the summed loss
plus the same penalty at 1.

    python3 bench/sklearn_attribution.py DIR --recipe training/attribution.toml --log train.log
"""

import argparse
import json
import os
import re
import sys
import time
import tomllib
from pathlib import Path

# One thread, as whosaid's figures per core are compared with it.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402
from sklearn.datasets import load_svmlight_file  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

MODELS = ("cue", "source", "content")
FITTED = re.compile(r"(\w+) model fitted: (\d+) rows x (\d+) columns, fit ([\d.]+) s")
HEADER = re.compile(r"# whosaid training rows: (\d+) rows x (\d+) columns")


def ours_from_log(path: Path) -> dict:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = FITTED.search(line)
        if m:
            out[m.group(1)] = {"rows": int(m.group(2)), "columns": int(m.group(3)),
                               "fit_s": float(m.group(4))}
    return out


def fit_one(path: Path, alpha: float, max_iter: int, tol: float) -> dict:
    with open(path, encoding="utf-8") as f:
        m = HEADER.match(f.readline())
    if not m:
        sys.exit(f"{path}: line 1: not a whosaid row dump (no '# whosaid training rows' header)")
    n, k = int(m.group(1)), int(m.group(2))
    t0 = time.perf_counter()
    x, y = load_svmlight_file(str(path), n_features=k, zero_based=True, dtype=np.float32)
    load_s = time.perf_counter() - t0
    if x.shape[0] != n:
        sys.exit(f"{path}: {x.shape[0]} rows read, the header says {n}")
    clf = LogisticRegression(C=1.0 / alpha, solver="lbfgs", max_iter=max_iter, tol=tol)
    t0 = time.perf_counter()
    clf.fit(x, y)
    fit_s = time.perf_counter() - t0
    p = clf.predict_proba(x)[:, 1]
    eps = 1e-12
    log_loss = float(-np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)))
    return {"rows": n, "columns": k, "nonzeros": int(x.nnz), "load_s": load_s, "fit_s": fit_s,
            "n_iter": int(clf.n_iter_[0]), "train_log_loss": log_loss,
            "train_accuracy": float(np.mean((p >= 0.5) == (y == 1)))}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rows", type=Path, help="the --dump-rows directory")
    ap.add_argument("--recipe", type=Path, default=Path(__file__).resolve().parent.parent
                    / "training" / "attribution.toml")
    ap.add_argument("--log", type=Path, help="whosaid's training log (stderr), for its fit times")
    ap.add_argument("--tol", type=float, default=1e-4, help="as whosaid's FIT_TOLERANCE")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    a = ap.parse_args(argv)
    recipe = tomllib.loads(a.recipe.read_text(encoding="utf-8"))
    alpha = float(recipe.get("alpha", 1.0))
    max_iter = int(recipe.get("max_iterations", 100))
    ours = ours_from_log(a.log) if a.log else {}
    res = {"alpha": alpha, "C": 1.0 / alpha, "max_iter": max_iter,
           "whosaid_solver": recipe.get("solver", "linfa"), "models": {}}
    print(f"{'model':<8} {'rows':>7} {'cols':>5} {'sklearn fit s':>13} {'iter':>5} "
          f"{'whosaid fit s':>13} {'ratio':>6}")
    for name in MODELS:
        path = a.rows / f"{name}.svm"
        if not path.exists():
            sys.exit(f"{path}: no such file (run whosaid train attribution with --dump-rows)")
        r = fit_one(path, alpha, max_iter, a.tol)
        if name in ours:
            r["whosaid_fit_s"] = ours[name]["fit_s"]
            r["whosaid_vs_sklearn"] = ours[name]["fit_s"] / max(r["fit_s"], 1e-9)
        res["models"][name] = r
        w = r.get("whosaid_fit_s")
        print(f"{name:<8} {r['rows']:>7} {r['columns']:>5} {r['fit_s']:>13.2f} {r['n_iter']:>5} "
              f"{w if w is not None else float('nan'):>13.2f} "
              f"{r.get('whosaid_vs_sklearn', float('nan')):>6.2f}")
    if ours:
        tot_ours = sum(ours[m]["fit_s"] for m in MODELS if m in ours)
        tot_sk = sum(res["models"][m]["fit_s"] for m in MODELS)
        res["total"] = {"whosaid_fit_s": tot_ours, "sklearn_fit_s": tot_sk,
                        "whosaid_vs_sklearn": tot_ours / max(tot_sk, 1e-9)}
        print(f"{'all':<8} {'':>7} {'':>5} {tot_sk:>13.2f} {'':>5} {tot_ours:>13.2f} "
              f"{tot_ours / max(tot_sk, 1e-9):>6.2f}")
    if a.json:
        a.json.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
