#!/usr/bin/env bash
# make bench: the built-in trainer against the scikit-learn yardstick in ../shared/bench/ml.
#
#   bash bench/trainer.sh                  # 100k-row speed, 1M-row memory, quality on all four kinds
#   RUNS=3 SKIP_1M=1 bash bench/trainer.sh
#
# Data: ../shared/bench/ml/datagen.py KIND N --seed 42, in BENCH_ML (default /tmp/retrain-ml), made
# once. Settings everywhere are the yardstick's: hidden [32], 10 epochs, batch 64, lr 0.001, every
# epoch run (early_stopping_patience 0, as sklearn's early_stopping=False).
#   speed    whole process, `retrain train` vs `sk_train.py`, paired (ptime.py, medians), 100k attrition;
#            training throughput = train rows x epochs / the training loop's seconds (model.json);
#   champion the same run with a champion to re-score on its holdout (--champion), paired with one without;
#   memory   peak RSS of `retrain train` on 1M attrition rows;
#   quality  holdout metrics of both on each kind at 100k rows, on the same rows: retrain writes
#            its split (--split-file) and sk_train.py reads it (--split-file, --split-seed).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
ML=${SHARED_ML:-$TOP/../shared/bench/ml}
TIMER_PY=${TIMER_PY:-$TOP/../shared/bench/reconcile/ptime.py}
DATA=${BENCH_ML:-/tmp/retrain-ml}
RUNS=${RUNS:-5}
BIN=$TOP/.build/release/retrain
PY=$(python3 -c 'import sys; print(sys.executable)')
[ -x "$BIN" ] || { echo "bench: build first (make release)" >&2; exit 2; }
[ -f "$ML/datagen.py" ] || { echo "bench: the ML yardsticks are not at $ML (set SHARED_ML=…)" >&2; exit 2; }
case "$(realpath -m "$DATA")/" in "$TOP"/*) echo "bench: BENCH_ML must be outside the repository" >&2; exit 2 ;; esac
mkdir -p "$DATA/out"
declare -A TARGET=([attrition]=left_company [duration]=actual_hours [performance]=performance_score [risk]=risk_level)
for kind in attrition duration performance risk; do
    [ -f "$DATA/${kind}_100k.csv" ] || "$PY" "$ML/datagen.py" "$kind" 100000 "$DATA/${kind}_100k.csv" --seed 42 >/dev/null
done
SETTINGS=(--param hidden_layers=[32] --param epochs=10 --param batch_size=64 --param learning_rate=0.001 --param early_stopping_patience=0 --param seed=0)
train() {  # kind size -> the retrain train command line
    echo "$BIN train --model $1 --data $DATA/${1}_$2.csv --target ${TARGET[$1]} ${SETTINGS[*]} --output $DATA/out/$1-$2 --quiet"
}
have_sklearn=1
"$PY" -c 'import sklearn, pandas' 2>/dev/null || { have_sklearn=0; echo "bench: scikit-learn/pandas missing (pip install -r $ML/requirements.txt); timing retrain alone" >&2; }
echo "machine: $(nproc) cores; retrain $($BIN --version)"

echo
echo "speed: attrition, 100k rows (80k train), whole process, median of $RUNS"
if [ "$have_sklearn" = 1 ]; then
    "$PY" "$TIMER_PY" -n "$RUNS" --warmup 1 --vs "$PY $ML/sk_train.py attrition $DATA/attrition_100k.csv --epochs 10 --batch-size 64 --lr 0.001 --hidden 32 --seed 0" \
        -- $(train attrition 100k) > "$DATA/speed.txt"
    grep -E "^(A|B) (wall|cpu) s|^A/B wall|peak MiB" "$DATA/speed.txt"
else
    /usr/bin/time -f "retrain train: %e s wall, %M KB peak" $(train attrition 100k) > /dev/null
fi
"$PY" - "$DATA/out/attrition-100k/model.json" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
print(f"training loop: {s['train_seconds']:.3f} s for {s['train_rows']} rows x {s['epochs_run']} epochs = "
      f"{s['train_rows'] * s['epochs_run'] / s['train_seconds'] / 1e6:.2f} M rows.epoch/s")
PYEOF

echo
echo "champion re-scored on the same holdout: attrition 100k, whole process, median of $RUNS (A: with a champion, B: without)"
rm -rf "$DATA/out/champion-100k" && cp -r "$DATA/out/attrition-100k" "$DATA/out/champion-100k"
"$PY" "$TIMER_PY" -n "$RUNS" --warmup 1 --vs "$(train attrition 100k) --metrics $DATA/out/plain-metrics.json" \
    -- $(train attrition 100k) --metrics "$DATA/out/judged-metrics.json" --champion "$DATA/out/champion-100k" > "$DATA/champion.txt"
grep -E "^(A|B) wall s|^A/B wall" "$DATA/champion.txt"
"$PY" - "$DATA/champion.txt" "$DATA/out/judged-metrics.json" <<'PYEOF'
import json, re, sys
text = open(sys.argv[1]).read()
ratio = float(re.search(r"^A/B wall\s+[0-9.]+\s+([0-9.]+)", text, re.M).group(1))  # the paired median
assert "champion" in json.load(open(sys.argv[2])), "the champion was not scored"
print(f"re-scoring the champion costs {100 * (ratio - 1):.1f}% of a run (paired median A/B {ratio:.3f}; target: under 20%)")
PYEOF

if [ -z "${SKIP_1M:-}" ]; then
    [ -f "$DATA/attrition_1m.csv" ] || "$PY" "$ML/datagen.py" attrition 1000000 "$DATA/attrition_1m.csv" --seed 42 >/dev/null
    echo
    echo "memory: attrition, 1M rows"
    /usr/bin/time -f "retrain train: %e s wall, %M KB peak RSS" $(train attrition 1m) > /dev/null
fi

echo
echo "quality: holdout metrics at 100k rows (retrain | scikit-learn)"
for kind in attrition duration performance risk; do
    $(train "$kind" 100k) --split-file "$DATA/out/$kind-split.json" > /dev/null
    ours=$("$PY" -c "import json; m=json.load(open('$DATA/out/$kind-100k/model.json'))['metrics']; print(' '.join(f'{k} {m[k]:.4f}' for k in sorted(m)))")
    theirs="-"
    if [ "$have_sklearn" = 1 ]; then
        theirs=$("$PY" "$ML/sk_train.py" "$kind" "$DATA/${kind}_100k.csv" --epochs 10 --batch-size 64 --lr 0.001 --hidden 32 --seed 0 \
            --split-file "$DATA/out/$kind-split.json" --split-seed 0 | "$PY" -c "import json, sys; m=json.loads(sys.stdin.read())['metrics']; print(' '.join(f'{k} {m[k]:.4f}' for k in sorted(m)))")
    fi
    printf '%-12s %s | %s\n' "$kind" "$ours" "$theirs"
done
