#!/usr/bin/env bash
# Throughput benchmark (issue 5), one command:
#
#   bench/run.sh            # or: WHOSAID_DATA=/path/to/shared/data bench/run.sh
#
# Builds the release binary, prepares the PolNeAR train articles as JSONL (and a >= 50 MB
# repeated copy for streaming) plus a stance input from NewsMTSC, then measures in one run:
# `whosaid classify` on 1 thread and on all cores (docs/s, sentences/s, MB/s, peak RSS, model
# load time), `whosaid predict-stance` alone, binary and model sizes, and the scikit-learn
# baseline's predict throughput (bench/sklearn_baseline.py). Prints a table and writes
# bench/out/results.json. Options go to bench/bench.py (see `bench/bench.py --help`), e.g.
# `bench/run.sh --repeats 5` or `bench/run.sh --sklearn-args "--grid 1"`.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
target_dir="${CARGO_TARGET_DIR:-target}"
exec python3 bench/bench.py --binary "$target_dir/release/whosaid" "$@"
