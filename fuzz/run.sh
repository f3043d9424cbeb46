#!/usr/bin/env bash
# Builds every fuzz target and runs each for a bounded time, one after the other (not in CI).
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]     default: 60 seconds, every target
#
# Works on the stable toolchain: cargo-fuzz needs nightly-only rustc flags (-Z...), which
# RUSTC_BOOTSTRAP=1 allows on stable; `--sanitizer none` because AddressSanitizer needs the
# nightly standard library build. Debug assertions and overflow checks are on (-a).
# Needs `cargo install cargo-fuzz`. Corpora grow in fuzz/corpus/TARGET (seeded from
# fuzz/seeds/TARGET, made from training/fixtures and the tests); a crash leaves its input in
# fuzz/artifacts/TARGET/ and the script goes on to the next target. Logs: fuzz/logs/TARGET.log.
# Prints, per target: executions, seconds, executions/s, corpus size, peak RSS, and the result.
set -uo pipefail
cd "$(dirname "$0")"
secs="${1:-60}"
shift || true
export RUSTC_BOOTSTRAP=1
FLAGS=(--sanitizer none -O -a)
all=$(cargo fuzz list)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && mapfile -t targets <<<"$all"
CARGO_BUILD_JOBS=2 cargo fuzz build "${FLAGS[@]}" || exit 2
mkdir -p logs
printf '%-20s %12s %8s %10s %8s %8s  %s\n' target executions seconds exec/s corpus rss_mb result
failed=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    log="logs/$t.log"
    start=$(date +%s)
    # -rss_limit_mb: the machine is shared; -timeout: one input taking 10 s is a finding.
    dict=()
    [ -f "dicts/$t.dict" ] && dict=(-dict="dicts/$t.dict")
    cargo fuzz run "${FLAGS[@]}" "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=3072 -print_final_stats=1 \
        "${dict[@]}" >"$log" 2>&1
    rc=$?
    took=$(($(date +%s) - start))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
    if [ -z "$execs" ]; then
        # A crash ends the run before the final stats: take the last status line.
        execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
    fi
    corpus=$(find "corpus/$t" -type f | wc -l)
    if [ "$rc" -eq 0 ]; then
        result=ok
    else
        result="CRASH (exit $rc): $(ls -t "artifacts/$t" | head -1) — see $log"
        failed=$((failed + 1))
    fi
    rate=$(( ${execs:-0} / (took > 0 ? took : 1) ))
    printf '%-20s %12s %8s %10s %8s %8s  %s\n' "$t" "${execs:-?}" "$took" "$rate" "$corpus" \
        "${rss:-?}" "$result"
done
exit $((failed > 0))
