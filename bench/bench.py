#!/usr/bin/env python3
"""whosaid throughput benchmark (issue 5); run it through bench/run.sh, which builds first.

Inputs, prepared in bench/out/ from the shared data:
  polnear-train.jsonl   the 840 PolNeAR train articles, one {"id", "text"} line each
  polnear-stream.jsonl  the same lines repeated (ids suffixed #k) to >= --stream-mb MB
  polnear-big.jsonl     the stream copy repeated to >= --big-mb MB (for peak memory)
  stance.jsonl          NewsMTSC train + dev: one {"id", "text", "target", "target_span"} line
                        per target mention, repeated to >= --stance-min-records lines

Measurements (each the median of --repeats runs by wall time, under /usr/bin/time -v), in this
order (scikit-learn and predict-stance back to back, since on a shared machine only figures taken
close together compare):
  classify      `whosaid classify --jsonl --format jsonl --stance-scope all --jobs N -` on both corpora, N = 1 and
                all cores: docs/s, sentences/s and MB/s of article text over the process's wall
                time (model load and input reading included), the same over the time whosaid
                reports for classifying alone, CPU seconds, peak RSS
  predict-stance `whosaid predict-stance --jobs N` with N = 1 and all cores: records/s
  training      with --training: `whosaid train stance` and `whosaid train attribution` from the
                shipped recipes, once each (to bench/out/trained-*.json): wall, CPU, peak RSS,
                and the stance time over the scikit-learn baseline's grid time (RUW + NewsMTSC);
                the attribution training also dumps its cue, source and content rows
                (--dump-rows), which bench/sklearn_attribution.py fits with scikit-learn's
                LogisticRegression: both fit times of the same problems, and their ratio
  big stream    `whosaid classify --jsonl` on all cores over the >= --big-mb MB copy, once: peak
                RSS (memory must not grow with the input) and MB/s
  model load    whosaid's own "models loaded in N ms" on an empty input; process start to exit
  sizes         the binary, models/default/*.json
  scikit-learn  bench/sklearn_baseline.py (single thread): predict sentences/s on NewsMTSC dev
                and RUW val; its full output goes to bench/out/sklearn.json
  baseline      with --baseline OLD_BINARY: classify on the PolNeAR train articles and
                predict-stance, each on 1 thread, OLD_BINARY and this binary alternating
                (max(--repeats, 5) runs each): the medians and the speedup. The host's own speed
                can drift by more than a change gains (1.3-1.6x in one evening of session 8), so
                a speedup is only shown by runs taken at the same moment.

Writes bench/out/results.json and prints a table with the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CLASSIFY_TARGET_MB_S = 5.0  # issue 5: MB/s of article text per core, full classify pipeline
STANCE_TARGET_RATIO = 50.0  # issue 5: stance alone vs scikit-learn, per core


def log(msg: str) -> None:
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def default_data_dir() -> Path:
    env = os.environ.get("WHOSAID_DATA")
    return Path(env) if env else (REPO / ".." / "shared" / "data").resolve()


# ------------------------------------------------------------------------------------------
# Inputs


def prepare(data: Path, out: Path, stream_mb: float, stance_min: int, big_mb: float) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    texts = sorted((data / "polnear" / "train" / "text").glob("*.txt"))
    if not texts:
        sys.exit(f"bench: no PolNeAR train articles under {data}")
    lines, text_bytes = [], 0
    for p in texts:
        t = p.read_text(encoding="utf-8")
        text_bytes += len(t.encode("utf-8"))
        lines.append(json.dumps({"id": p.name, "text": t}, ensure_ascii=False))
    train = out / "polnear-train.jsonl"
    train.write_text("\n".join(lines) + "\n", encoding="utf-8")

    stream = out / "polnear-stream.jsonl"
    reps, size = 0, 0
    with stream.open("w", encoding="utf-8") as f:
        while size < stream_mb * 1e6:
            reps += 1
            for p in texts:
                line = json.dumps({"id": f"{p.name}#{reps}", "text": p.read_text(encoding="utf-8")},
                                  ensure_ascii=False) + "\n"
                f.write(line)
                size += len(line.encode("utf-8"))

    big = out / "polnear-big.jsonl"
    big_reps = 0
    if big_mb > 0:
        chunk = stream.read_bytes()
        with big.open("wb") as f:
            while big_reps * len(chunk) < big_mb * 1e6:
                big_reps += 1
                f.write(chunk)

    records = []
    for split in ("train.jsonl", "dev.jsonl"):
        for line in (data / "newsmtsc" / split).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            for k, t in enumerate(d["targets"]):
                records.append({"id": f"{split}:{d.get('primary_gid')}#{k}",
                                "text": d["sentence_normalized"], "target": t["mention"],
                                "target_span": [t["from"], t["to"]]})
    base = len(records)
    stance = out / "stance.jsonl"
    with stance.open("w", encoding="utf-8") as f:
        n = 0
        while n < stance_min:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
                n += 1
    return {
        "polnear_train": {"path": str(train), "docs": len(texts), "text_bytes": text_bytes,
                          "file_bytes": train.stat().st_size},
        "polnear_stream": {"path": str(stream), "docs": len(texts) * reps, "repeats": reps,
                           "text_bytes": text_bytes * reps, "file_bytes": stream.stat().st_size},
        "polnear_big": {"path": str(big), "docs": len(texts) * reps * big_reps,
                        "text_bytes": text_bytes * reps * big_reps,
                        "file_bytes": big.stat().st_size if big_reps else 0},
        "stance": {"path": str(stance), "records": n, "distinct_records": base,
                   "file_bytes": stance.stat().st_size},
    }


# ------------------------------------------------------------------------------------------
# Running


SUMMARY = re.compile(
    r"whosaid: (\d+) documents, (\d+) sentences, (\d+) errors in ([0-9.]+) s .*models loaded in "
    r"(\d+) ms")


def parse_time_v(err: str) -> dict:
    def field(name: str) -> str:
        m = re.search(rf"^\s*{re.escape(name)}: (.*)$", err, re.M)
        return m.group(1).strip() if m else ""

    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    secs = 0.0
    for part in wall.split(":"):
        secs = secs * 60 + float(part or 0)
    return {"wall_s": secs, "user_s": float(field("User time (seconds)") or 0),
            "sys_s": float(field("System time (seconds)") or 0),
            "max_rss_kb": int(field("Maximum resident set size (kbytes)") or 0)}


def timed(cmd: list[str], stdin: Path | None, env: dict | None = None) -> tuple[dict, str]:
    """Runs cmd under /usr/bin/time -v with stdout discarded; returns (figures, stderr)."""
    with open(stdin or os.devnull, "rb") as fin:
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-v", *cmd], stdin=fin, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, env=env, text=True)
        wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"bench: {shlex.join(cmd)} failed ({p.returncode}):\n{p.stderr[-2000:]}")
    fig = parse_time_v(p.stderr)
    fig["wall_s"] = wall  # finer than /usr/bin/time's centiseconds
    return fig, p.stderr


def median_run(runs: list[dict]) -> dict:
    runs = sorted(runs, key=lambda r: r["wall_s"])
    best = dict(runs[len(runs) // 2])
    best["wall_s_all"] = [round(r["wall_s"], 4) for r in runs]
    return best


def bench_classify(binary: str, corpus: dict, jobs: int, repeats: int) -> dict:
    load = os.getloadavg()
    runs = []
    for _ in range(repeats):
        # `--stance-scope all`: stance toward both targets on every sentence. The default scope
        # skips the stance model in documents that never mention a target, which most PolNeAR
        # articles (US politics, 2016) never do; the issue measures the whole pipeline.
        fig, err = timed([binary, "classify", "--jsonl", "--format", "jsonl", "--stance-scope",
                          "all", "--jobs", str(jobs), "-"], Path(corpus["path"]))
        m = SUMMARY.search(err)
        if not m:
            sys.exit(f"bench: no summary line from classify:\n{err[-2000:]}")
        docs, sents, errors, proc_s, load_ms = m.groups()
        fig.update({"docs": int(docs), "sentences": int(sents), "errors": int(errors),
                    "classify_s": float(proc_s), "model_load_ms": int(load_ms)})
        runs.append(fig)
    r = median_run(runs)
    mb = corpus["text_bytes"] / 1e6
    cpu = r["user_s"] + r["sys_s"]
    r.update({
        "jobs": jobs,
        "load_average_before": load,
        "docs_per_s": r["docs"] / r["wall_s"],
        "sentences_per_s": r["sentences"] / r["wall_s"],
        "mb_per_s": mb / r["wall_s"],
        "mb_per_s_classify_only": mb / max(r["classify_s"], 1e-9),
        "sentences_per_s_classify_only": r["sentences"] / max(r["classify_s"], 1e-9),
        "mb_per_cpu_s": mb / max(cpu, 1e-9),
    })
    return r


def bench_stance(binary: str, stance: dict, threads: int, repeats: int) -> dict:
    load = os.getloadavg()
    runs = [timed([binary, "predict-stance", "--jobs", str(threads), stance["path"]], None)[0]
            for _ in range(repeats)]
    r = median_run(runs)
    cpu = r["user_s"] + r["sys_s"]
    r.update({"threads": threads, "records": stance["records"], "load_average_before": load,
              "records_per_s": stance["records"] / r["wall_s"],
              "records_per_cpu_s": stance["records"] / max(cpu, 1e-9)})
    return r


def bench_baseline(binary: str, baseline: str, inputs: dict, repeats: int) -> dict:
    """The same measurements with `baseline` and `binary` alternating, run by run."""
    jobs = {
        "classify_polnear_train_1_job": (
            ["classify", "--jsonl", "--format", "jsonl", "--stance-scope", "all", "--jobs", "1",
             "-"], Path(inputs["polnear_train"]["path"])),
        "predict_stance_1_thread": (
            ["predict-stance", "--jobs", "1", inputs["stance"]["path"]], None),
    }
    out: dict = {"baseline_binary": baseline, "load_average_before": os.getloadavg()}
    for name, (args, stdin) in jobs.items():
        walls: dict[str, list[float]] = {"baseline": [], "this": []}
        for _ in range(max(repeats, 5)):
            for who, b in (("baseline", baseline), ("this", binary)):
                walls[who].append(timed([b, *args], stdin)[0]["wall_s"])
        med = {who: statistics.median(w) for who, w in walls.items()}
        out[name] = {"baseline_wall_s_median": med["baseline"], "this_wall_s_median": med["this"],
                     "speedup": med["baseline"] / max(med["this"], 1e-9),
                     "wall_s_all": {who: [round(x, 4) for x in w] for who, w in walls.items()}}
    return out


def model_load(binary: str, repeats: int, out: Path) -> dict:
    loads, walls = [], []
    empty = out / "empty.jsonl"
    empty.write_text("")
    for _ in range(max(repeats, 5)):
        fig, err = timed([binary, "classify", "--jsonl", "--format", "jsonl", "-"], empty)
        m = SUMMARY.search(err)
        loads.append(int(m.group(5)) if m else -1)
        walls.append(fig["wall_s"])
    return {"model_load_ms_median": statistics.median(loads),
            "empty_run_wall_ms_median": 1000 * statistics.median(walls),
            "empty_run_max_rss_kb": fig["max_rss_kb"]}


def sklearn(data: Path, out: Path, extra: str) -> dict | None:
    js = out / "sklearn.json"
    cmd = [sys.executable, str(REPO / "bench" / "sklearn_baseline.py"), "--data", str(data),
           "--json", str(js), "--threads", "1", *shlex.split(extra)]
    log("scikit-learn baseline: " + shlex.join(cmd))
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        log(f"scikit-learn baseline failed ({p.returncode}); skipped:\n{p.stderr[-1500:]}")
        return None
    d = json.loads(js.read_text())
    c = d["corpora"]
    res = {"seconds": time.perf_counter() - t0, "versions": d["versions"],
           "threads": d["settings"]["threads"]}
    if "newsmtsc" in c:
        res["newsmtsc_sentences_per_s"] = c["newsmtsc"]["predict_sentences_per_s"]
    if "ruw" in c:
        res["ruw_tweets_per_s_both_targets"] = c["ruw"]["predict_sentences_per_s"]
        res["ruw_sentences_per_s_per_target"] = {
            t: v["predict_sentences_per_s"] for t, v in c["ruw"]["targets"].items()}
    res["train_seconds_grid"] = {k: v["train_seconds_grid"] for k, v in c.items()
                                 if "train_seconds_grid" in v}
    per_target = list(res.get("ruw_sentences_per_s_per_target", {}).values())
    pool = per_target + ([res["newsmtsc_sentences_per_s"]] if "newsmtsc_sentences_per_s" in res
                         else [])
    res["sentences_per_s_mean"] = statistics.mean(pool) if pool else None
    return res


def bench_training(binary: str, data: Path, out: Path, with_sklearn: bool) -> dict:
    """Trains each shipped model from its recipe once (to a scratch file): wall time and peak RSS.
    The attribution rows are dumped for scikit-learn to fit the same problems (unless skipped)."""
    res = {}
    rows = out / "attribution-rows"
    for model, recipe in (("stance", "training/stance.toml"),
                          ("attribution", "training/attribution.toml")):
        log(f"training {model} (once) ...")
        load = os.getloadavg()
        cmd = [binary, "train", model, "--recipe", str(REPO / recipe), "--data", str(data),
               "--out", str(out / f"trained-{model}.json")]
        if model == "attribution" and with_sklearn:
            cmd += ["--dump-rows", str(rows)]
        fig, err = timed(cmd, None)
        res[model] = {"wall_s": fig["wall_s"], "max_rss_kb": fig["max_rss_kb"],
                      "cpu_s": fig["user_s"] + fig["sys_s"], "load_average_before": load}
        if model == "attribution" and with_sklearn:
            train_log = out / "trained-attribution.log"
            train_log.write_text(err, encoding="utf-8")
            js = out / "sklearn-attribution.json"
            cmd = [sys.executable, str(REPO / "bench" / "sklearn_attribution.py"), str(rows),
                   "--recipe", str(REPO / recipe), "--log", str(train_log), "--json", str(js)]
            log("scikit-learn on the attribution rows: " + shlex.join(cmd))
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode == 0:
                res["attribution_fits"] = json.loads(js.read_text(encoding="utf-8"))
            else:
                log(f"sklearn_attribution.py failed ({p.returncode}); skipped:\n{p.stderr[-1500:]}")
    return res


# ------------------------------------------------------------------------------------------


def machine(binary: str) -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass

    def out(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""

    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "kernel": platform.release(),
            "rustc": out(["rustc", "--version"]), "whosaid": out([binary, "--version"]),
            "load_average_at_start": os.getloadavg()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", required=True, help="the whosaid release binary")
    ap.add_argument("--data", type=Path, default=None,
                    help="shared data dir (default: $WHOSAID_DATA or ../shared/data)")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    ap.add_argument("--repeats", type=int, default=3, help="runs per measurement (median)")
    ap.add_argument("--stream-mb", type=float, default=50.0)
    ap.add_argument("--big-mb", type=float, default=500.0,
                    help="size of the peak-memory input (0 skips that measurement)")
    ap.add_argument("--stance-min-records", type=int, default=100_000)
    ap.add_argument("--sklearn-args", default="",
                    help='extra options for sklearn_baseline.py, e.g. "--grid 1"')
    ap.add_argument("--skip-sklearn", action="store_true")
    ap.add_argument("--baseline", metavar="OLD_BINARY", default=None,
                    help="another whosaid binary (e.g. a build of the previous commit) to time "
                    "against this one, alternating, on classify and predict-stance (1 thread)")
    ap.add_argument("--training", action="store_true",
                    help="also train both shipped models once from their recipes (seconds each), "
                    "and compare with the scikit-learn baseline's grid time and, for the "
                    "attribution models, with scikit-learn fitting the same rows")
    args = ap.parse_args(argv)
    data = (args.data or default_data_dir()).resolve()
    cores = os.cpu_count() or 1

    res: dict = {"tool": "whosaid bench/bench.py", "machine": machine(args.binary),
                 "data_dir": str(data), "repeats": args.repeats}
    log("preparing inputs ...")
    inputs = prepare(data, args.out, args.stream_mb, args.stance_min_records, args.big_mb)
    res["inputs"] = inputs
    res["sizes"] = {"binary_bytes": os.path.getsize(args.binary),
                    "models": {p.name: p.stat().st_size
                               for p in sorted((REPO / "models" / "default").glob("*.json"))}}
    log("model load ...")
    res["model_load"] = model_load(args.binary, args.repeats, args.out)

    # scikit-learn first and predict-stance right after it: on a shared machine their ratio is
    # only meaningful when they run close together.
    res["sklearn"] = None if args.skip_sklearn else sklearn(data, args.out, args.sklearn_args)
    res["predict_stance"] = {}
    for threads in sorted({1, cores}):
        log(f"predict-stance, {threads} thread(s) ...")
        res["predict_stance"][f"threads{threads}"] = bench_stance(
            args.binary, inputs["stance"], threads, args.repeats)
    res["classify"] = {}
    for name in ("polnear_train", "polnear_stream"):
        for jobs in sorted({1, cores}):
            log(f"classify {name} --jobs {jobs} ...")
            res["classify"][f"{name}/jobs{jobs}"] = bench_classify(
                args.binary, inputs[name], jobs, args.repeats)
    if inputs["polnear_big"]["file_bytes"]:
        log(f"classify polnear_big ({inputs['polnear_big']['file_bytes'] / 1e6:.0f} MB) "
            f"--jobs {cores}, once ...")
        res["classify"][f"polnear_big/jobs{cores}"] = bench_classify(
            args.binary, inputs["polnear_big"], cores, 1)
    if args.baseline:
        log(f"baseline {args.baseline}, alternating with this binary ...")
        res["baseline"] = bench_baseline(args.binary, args.baseline, inputs, args.repeats)
    if args.training:
        res["training"] = bench_training(args.binary, data, args.out, not args.skip_sklearn)
    res["machine"]["load_average_at_end"] = os.getloadavg()

    # Ratios.
    c1 = res["classify"]["polnear_train/jobs1"]
    s1 = res["predict_stance"]["threads1"]
    ratios = {
        "classify_mb_per_s_1_thread_vs_target": c1["mb_per_s"] / CLASSIFY_TARGET_MB_S,
        "classify_mb_per_cpu_s_vs_target": c1["mb_per_cpu_s"] / CLASSIFY_TARGET_MB_S,
        "classify_all_cores_vs_1_thread": (
            res["classify"][f"polnear_train/jobs{cores}"]["mb_per_s"] / c1["mb_per_s"]),
    }
    sk = res["sklearn"]
    if sk and sk.get("newsmtsc_sentences_per_s"):
        ratios["stance_1_thread_vs_sklearn_newsmtsc"] = (
            s1["records_per_s"] / sk["newsmtsc_sentences_per_s"])
        ratios["stance_per_cpu_s_vs_sklearn_newsmtsc"] = (
            s1["records_per_cpu_s"] / sk["newsmtsc_sentences_per_s"])
        ratios["classify_sentences_1_thread_vs_sklearn_newsmtsc"] = (
            c1["sentences_per_s"] / sk["newsmtsc_sentences_per_s"])
    tr = res.get("training")
    if tr and sk and sk.get("train_seconds_grid"):
        # The stance model trains on RUW + NewsMTSC, the baseline's grids on each: their sum.
        ratios["stance_training_vs_sklearn_grid"] = (
            tr["stance"]["wall_s"] / sum(sk["train_seconds_grid"].values()))
    if tr and tr.get("attribution_fits", {}).get("total"):
        ratios["attribution_fits_vs_sklearn_same_rows"] = (
            tr["attribution_fits"]["total"]["whosaid_vs_sklearn"])
    res["ratios"] = ratios
    res["targets"] = {"classify_mb_per_s_per_core": CLASSIFY_TARGET_MB_S,
                      "stance_vs_sklearn_per_core": STANCE_TARGET_RATIO}

    out = args.out / "results.json"
    out.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print_table(res)
    log(f"wrote {out}")
    return 0


def print_table(res: dict) -> None:
    m = res["machine"]
    print(f"whosaid benchmark: {m['whosaid']} | {m['cpu']}, {m['cores']} cores, {m['memory']} | "
          f"{m['rustc']}")
    la, lb = m["load_average_at_start"], m.get("load_average_at_end", ())
    print(f"load average (1, 5, 15 min) at start {', '.join(f'{x:.2f}' for x in la)}; at end "
          f"{', '.join(f'{x:.2f}' for x in lb)}")
    i = res["inputs"]
    print(f"inputs: PolNeAR train {i['polnear_train']['docs']} docs, "
          f"{i['polnear_train']['text_bytes'] / 1e6:.2f} MB text; stream copy "
          f"{i['polnear_stream']['docs']} docs, {i['polnear_stream']['text_bytes'] / 1e6:.1f} MB; "
          f"big copy {i['polnear_big']['file_bytes'] / 1e6:.0f} MB of JSONL; "
          f"stance {i['stance']['records']} records")
    s = res["sizes"]
    models = ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in s["models"].items())
    ml = res["model_load"]
    print(f"binary {s['binary_bytes'] / 1e6:.1f} MB; models {models}; model load "
          f"{ml['model_load_ms_median']} ms; empty run {ml['empty_run_wall_ms_median']:.0f} ms, "
          f"{ml['empty_run_max_rss_kb'] / 1024:.0f} MB RSS")
    print()
    print(f"{'classify':<24} {'jobs':>4} {'wall s':>7} {'docs/s':>8} {'sent/s':>9} {'MB/s':>6} "
          f"{'MB/s*':>6} {'MB/cpu-s':>8} {'RSS MB':>7} {'load':>5}")
    for key, r in res["classify"].items():
        print(f"{key.split('/')[0]:<24} {r['jobs']:>4} {r['wall_s']:>7.2f} {r['docs_per_s']:>8.0f} "
              f"{r['sentences_per_s']:>9.0f} {r['mb_per_s']:>6.2f} "
              f"{r['mb_per_s_classify_only']:>6.2f} {r['mb_per_cpu_s']:>8.2f} "
              f"{r['max_rss_kb'] / 1024:>7.0f} {r['load_average_before'][0]:>5.1f}")
    print("  (MB/s: article text over the process's wall time; MB/s*: over whosaid's own "
          "classifying time, without model load; load: 1-minute load average before the runs)")
    print()
    print(f"{'predict-stance':<24} {'thr':>4} {'wall s':>7} {'records/s':>10} {'rec/cpu-s':>10} "
          f"{'RSS MB':>7} {'load':>5}")
    for key, r in res["predict_stance"].items():
        print(f"{'NewsMTSC mentions':<24} {r['threads']:>4} {r['wall_s']:>7.2f} "
              f"{r['records_per_s']:>10.0f} {r['records_per_cpu_s']:>10.0f} "
              f"{r['max_rss_kb'] / 1024:>7.0f} {r['load_average_before'][0]:>5.1f}")
    tr = res.get("training")
    if tr:
        print()
        for model in ("stance", "attribution"):
            r = tr[model]
            print(f"train {model:<18} wall {r['wall_s']:7.1f} s, cpu {r['cpu_s']:7.1f} s, "
                  f"RSS {r['max_rss_kb'] / 1024:5.0f} MB, load {r['load_average_before'][0]:.1f}")
        af = tr.get("attribution_fits")
        if af:
            fits = ", ".join(f"{m} {r.get('whosaid_fit_s', float('nan')):.2f} s vs {r['fit_s']:.2f} s"
                             for m, r in af["models"].items())
            print(f"attribution fits, whosaid (solver {af.get('whosaid_solver', '?')}) vs "
                  f"scikit-learn (lbfgs, sparse) on the same rows: {fits}")
    sk = res["sklearn"]
    if sk and sk.get("train_seconds_grid"):
        grids = ", ".join(f"{k} {v:.1f} s" for k, v in sk["train_seconds_grid"].items())
        print(f"scikit-learn training (grid over C, 1 thread): {grids}")
    if sk:
        ruw = ", ".join(f"{t} {v:,.0f}" for t, v in sk.get("ruw_sentences_per_s_per_target",
                                                          {}).items())
        print(f"\nscikit-learn (1 thread, sklearn {sk['versions']['sklearn']}): NewsMTSC "
              f"{sk.get('newsmtsc_sentences_per_s', 0):,.0f} sentences/s; RUW per target {ruw}")
    bl = res.get("baseline")
    if bl:
        print(f"\nsame-moment A/B against {bl['baseline_binary']} (medians, alternating runs):")
        for k, v in bl.items():
            if isinstance(v, dict):
                print(f"  {k:<32} baseline {v['baseline_wall_s_median']:6.3f} s, this "
                      f"{v['this_wall_s_median']:6.3f} s: {v['speedup']:.2f}x")
    print("\nratios:")
    for k, v in res["ratios"].items():
        print(f"  {k:<52} {v:8.2f}")
    t = res["targets"]
    print(f"  (targets: classify >= {t['classify_mb_per_s_per_core']} MB/s per core; stance >= "
          f"{t['stance_vs_sklearn_per_core']:.0f}x scikit-learn per core)")


if __name__ == "__main__":
    sys.exit(main())
