#!/usr/bin/env python3
"""make bench: what reconciling costs per run, on N schedules all due at once.

A scratch repository (outside this one) with N daily schedules whose trainer only writes its
metrics (`sh -c 'echo {...} > $RETRAIN_METRICS'`), and with --schedules S, S - N weekly ones beside
them that are never due in the rounds (issue 13: 1,000 runs due in one pass at 10,000 schedules).
After one pass that records them, each round is a day later:
  start   `retrain reconcile` that starts all N runs (detached supervisors), whole process;
  finish  once every run has left its outcome, the pass that finishes all N (result.json each);
  wait    a day later again, `retrain reconcile --wait` from first pass to last: start, the N
          supervisors and trainers themselves, and finishing, end to end.
Prints the median of ROUNDS rounds and the per-run figures.

    python3 bench/reconcile_overhead.py [--runs 1000] [--schedules 10000] [--rounds 3] [--root /tmp/retrain-bench-reconcile]
"""
import argparse
import glob
import os
import shutil
import statistics
import sys
import time

from benchlib import timed

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEDULE = """model: quick
start: 2026-11-01 10:00
repeat: daily
command: [sh, -c, 'printf "{\\"auc\\": 0.9}" > "$RETRAIN_METRICS"']
"""
# Weekly from 2026-12-07 23:00: its first slot comes after the last round (2026-12-06).
IDLE = SCHEDULE.replace("start: 2026-11-01 10:00", "start: 2026-12-07 23:00").replace("daily", "weekly")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=1000)
    p.add_argument("--schedules", type=int, default=0, help="schedules in all (at least --runs); the rest are not due")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--root", default="/tmp/retrain-bench-reconcile")
    a = p.parse_args()
    binary = os.environ.get("RETRAIN_BIN") or os.path.join(TOP, ".build/release/retrain")
    if not os.access(binary, os.X_OK):
        sys.exit("bench: build first (make release)")
    root = os.path.realpath(a.root)
    if (root + "/").startswith(TOP + "/"):
        sys.exit("bench: --root must be outside the repository")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "schedules"))
    for i in range(a.runs):
        with open(os.path.join(root, "schedules", f"s{i:05d}.yaml"), "w") as f:
            f.write(SCHEDULE)
    for i in range(a.runs, max(a.schedules, a.runs)):
        with open(os.path.join(root, "schedules", f"s{i:05d}.yaml"), "w") as f:
            f.write(IDLE)
    run = [binary, "reconcile", "--max-parallel", str(a.runs)]
    timed(run + ["--now", "2026-11-30T09:00:00Z"], root)  # first sight: recorded, nothing due
    starts, finishes, waits = [], [], []
    for r in range(a.rounds):
        day = f"2026-12-{2 * r + 1:02d}"
        starts.append(timed(run + ["--now", f"{day}T10:01:00Z"], root))
        pattern = os.path.join(root, "reports", "*", f"*@{day.replace('-', '')}T100000Z", "attempt-1", "outcome.json")
        deadline = time.time() + 600
        while len(glob.glob(pattern)) < a.runs:
            if time.time() > deadline:
                sys.exit("bench: runs did not end within 10 minutes")
            time.sleep(0.05)
        time.sleep(0.2)  # the last supervisors exit after writing their outcome
        finishes.append(timed(run + ["--now", f"{day}T10:05:00Z"], root))
        waits.append(timed(run + ["--wait", "--now", f"2026-12-{2 * r + 2:02d}T10:01:00Z"], root))
    n = a.runs
    total = max(a.schedules, a.runs)
    print(f"reconcile, {n} due schedules of {total}, trainer writes its metrics only; {os.cpu_count()} cores; median of {a.rounds}")
    print(f"{'phase':<38} {'wall s':>8} {'per run ms':>11}")
    for name, xs in [("start pass (spawns N supervisors)", starts), ("finish pass (N results written)", finishes),
                     ("reconcile --wait, end to end", waits)]:
        m = statistics.median(xs)
        print(f"{name:<38} {m:8.2f} {1000 * m / n:11.2f}")
    print(f"start + finish passes per run: {1000 * (statistics.median(starts) + statistics.median(finishes)) / n:.2f} ms")


if __name__ == "__main__":
    main()
