#!/usr/bin/env bash
# make bench: time `retrain validate` on generated corpora against the yardsticks in ../shared/bench/reconcile.
#
#   bash bench/validate.sh                 # 1k, 10k, 100k files
#   SIZES="1000 10000" RUNS=3 bash bench/validate.sh
#
# Two corpora per size, both outside the repository (BENCH_ROOT, default /tmp/retrain-bench-validate):
#   own/     bench/gen_schedules.py: every optional field, comments, block and flow styles;
#   shared/  ../shared/bench/reconcile/gen.py, the corpus the Python yardstick reads too.
# Pairs, whole process, warm cache, with the shared paired timer (ptime.py, medians):
#   retrain validate  vs  limit events   (bare libyaml event parse in C: the floor), on both corpora;
#   retrain validate  vs  ref_plan.py    (Python + PyYAML's libyaml loader), on the shared corpus;
#   retrain plan      vs  limit events, on the shared corpus with no state file, and with the state
#                     file our own reconcile wrote five minutes earlier (every schedule known).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
SHARED=${SHARED:-$TOP/../shared/bench/reconcile}
ROOT=${BENCH_ROOT:-/tmp/retrain-bench-validate}
SIZES=${SIZES:-"1000 10000 100000"}
RUNS=${RUNS:-7}
PY=$(python3 -c 'import sys; print(sys.executable)')
BIN=$TOP/.build/release/retrain
case "$(realpath -m "$ROOT")/" in "$TOP"/*) echo "bench: BENCH_ROOT must be outside the repository" >&2; exit 2 ;; esac
[ -x "$BIN" ] || { echo "bench: build first (make release)" >&2; exit 2; }
if [ ! -f "$SHARED/limit.c" ]; then
    echo "bench: the yardsticks are not at $SHARED (set SHARED=…); timing retrain alone" >&2
fi
mkdir -p "$ROOT/logs"
# The shared generator's built-in schedules read exports from /mnt/warehouse, outside any repository:
# the settings a user with such data writes (retrain.yaml's data_roots), given to every command.
printf 'data_roots: [/mnt/warehouse]\n' > "$ROOT/retrain.yaml"
CONFIG=(--config "$ROOT/retrain.yaml")
TIMER="$PY $SHARED/ptime.py"
if [ -f "$SHARED/limit.c" ]; then
    gcc -O2 "$SHARED/limit.c" $(pkg-config --cflags --libs yaml-0.1) -o "$ROOT/limit"
fi
echo "machine: $(nproc) cores; retrain $($BIN --version); libyaml $(pkg-config --modversion yaml-0.1)"
printf '\n%-8s %-7s %-22s %10s %10s %9s %9s %10s\n' files corpus "B (yardstick)" "A wall s" "B wall s" "A/B wall" "A/B cpu" "A peak MiB"
row() {  # corpus size label log
    local log=$4
    printf '%-8s %-7s %-22s %10s %10s %9s %9s %10s\n' "$2" "$1" "$3" \
        "$(awk '/^A wall s/ {print $5}' "$log")" "$(awk '/^B wall s/ {print $5}' "$log")" \
        "$(awk '/^A\/B wall/ {print $4}' "$log")" "$(awk '/^A\/B cpu/ {print $4}' "$log")" "$(awk '/^A peak MiB/ {print $5}' "$log")"
}
for n in $SIZES; do
    own=$ROOT/own/n$n/schedules
    shared=$ROOT/shared/n$n/schedules
    [ -d "$own" ] || python3 "$HERE/gen_schedules.py" "$own" "$n" --seed 1 2>/dev/null
    if [ -f "$SHARED/gen.py" ] && [ ! -d "$shared" ]; then python3 "$SHARED/gen.py" "$shared" "$n" --seed 1 >/dev/null 2>&1; fi
    # Both corpora must be valid with no diagnostics, or the timing means nothing.
    for c in "$own" "$shared"; do
        [ -d "$c" ] || continue
        out=$("$BIN" validate "${CONFIG[@]}" "$c" --strict 2>&1) || { echo "bench: $c is not clean:"; echo "$out" | tail -5; exit 1; }
    done
    runs=$RUNS; [ "$n" -ge 100000 ] && runs=$(( RUNS < 5 ? RUNS : 5 ))
    if [ -x "$ROOT/limit" ]; then
        $TIMER -n "$runs" --warmup 1 --vs "$ROOT/limit events $own" -- "$BIN" validate "${CONFIG[@]}" "$own" > "$ROOT/logs/own-limit-$n.txt"
        row own "$n" "limit events (C)" "$ROOT/logs/own-limit-$n.txt"
        $TIMER -n "$runs" --warmup 1 --vs "$ROOT/limit events $shared" -- "$BIN" validate "${CONFIG[@]}" "$shared" > "$ROOT/logs/shared-limit-$n.txt"
        row shared "$n" "limit events (C)" "$ROOT/logs/shared-limit-$n.txt"
        $TIMER -n 3 --warmup 1 --vs "$PY $SHARED/ref_plan.py $shared --now 2026-11-25T12:00:00Z" -- "$BIN" validate "${CONFIG[@]}" "$shared" > "$ROOT/logs/shared-python-$n.txt"
        row shared "$n" "ref_plan.py (Python)" "$ROOT/logs/shared-python-$n.txt"
        # plan: the same files, no state file yet (every schedule planned as new), all output rendered.
        $TIMER -n "$runs" --warmup 1 --vs "$ROOT/limit events $shared" -- \
            "$BIN" plan "${CONFIG[@]}" --schedules "$shared" --state "$ROOT/none.json" --now 2026-11-25T12:00:00Z > "$ROOT/logs/plan-limit-$n.txt"
        row "plan" "$n" "limit events (C)" "$ROOT/logs/plan-limit-$n.txt"
        # plan with state: a pass at 11:55 records every schedule (and starts at most one run, in
        # a scratch folder), then plan at 12:00 reads that state.
        if [ "$n" -le 10000 ]; then
            scratch=$ROOT/stateful/n$n
            rm -rf "$scratch" && mkdir -p "$scratch"
            (cd "$scratch" && "$BIN" reconcile "${CONFIG[@]}" --schedules "$shared" --state "$scratch/state.json" --max-parallel 1 \
                --now 2026-11-25T11:55:00Z > /dev/null 2>&1 || true)
            $TIMER -n "$runs" --warmup 1 --vs "$ROOT/limit events $shared" -- \
                "$BIN" plan "${CONFIG[@]}" --schedules "$shared" --state "$scratch/state.json" --now 2026-11-25T12:00:00Z > "$ROOT/logs/plan-state-limit-$n.txt"
            row "plan+st" "$n" "limit events (C)" "$ROOT/logs/plan-state-limit-$n.txt"
        fi
    else
        /usr/bin/time -f "$n files: %e s wall, %M KB peak" "$BIN" validate "${CONFIG[@]}" "$own"
    fi
done
echo
echo "A = retrain validate DIR (corpus 'plan': retrain plan on the shared corpus; 'plan+st': with a state file). A/B below 1 means retrain is faster."
echo "Full timer reports: $ROOT/logs/"
