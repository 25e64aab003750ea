#!/usr/bin/env bash
# make demo: eight weeks of retraining in a scratch copy of this repository, so the dashboard has
# history to show (trends, a rejection, champion lineage). Time is given with --now, one pass a week;
# each week the schedules get a new seed (as new data would move the metrics), and in week 5 someone
# "merges" attrition-weekly with epochs: 2, which its gates reject.
#
#   bash examples/demo.sh [FOLDER]      # default .build-demo (ignored by git)
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEMO=${1:-$TOP/.build-demo}
BIN=$TOP/.build/release/retrain
[ -x "$BIN" ] || { echo "demo: build first (make release)" >&2; exit 2; }
rm -rf "$DEMO" && mkdir -p "$DEMO"
cp -r "$TOP/schedules" "$TOP/examples" "$DEMO/"
cd "$DEMO"
# Passes run at noon here, after the slots: no deadline or catch-up rule skips them.
sed -i -E -e "/^deadline:/d" -e "s/^catchup: none/catchup: latest/" schedules/*.yaml
for week in 1 2 3 4 5 6 7 8; do
    day=$(date -u -d "2026-12-01 +$(( (week - 1) * 7 )) days" +%F)
    sed -i -E "s/seed: [0-9]+/seed: $((week * 13))/" schedules/*.yaml
    if [ "$week" = 5 ]; then sed -i -E 's/^  epochs: 60$/  epochs: 2/' schedules/attrition-weekly.yaml; fi
    if [ "$week" = 6 ]; then sed -i -E 's/^  epochs: 2$/  epochs: 60/' schedules/attrition-weekly.yaml; fi
    echo "week $week: retrain reconcile --wait --now ${day}T12:00:00Z"
    "$BIN" reconcile --wait --now "${day}T12:00:00Z" >/dev/null 2>&1 || true
done
"$BIN" report --now "${day}T12:00:00Z" >/dev/null
"$BIN" list --now "${day}T12:00:00Z"
echo "dashboard: file://$DEMO/reports/index.html"
