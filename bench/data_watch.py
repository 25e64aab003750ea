#!/usr/bin/env python3
"""make bench: what `on_data_change` costs a pass (issue 17's "keep the check cheap").

Two scratch repositories (outside this one) of N weekly schedules of a trivial external trainer,
each schedule with its own small data file, one with `on_data_change: true` and one without.
Whole process, median of ROUNDS (wall seconds):
  first       the first `retrain reconcile`: records every schedule; with on_data_change, hashes
              every data file once (the baseline)
  noop        `retrain reconcile` with nothing to do: with on_data_change, one stat per file
  touched     the same after 1% of the files were written again with the same bytes (their size
              and time moved: those are hashed, found unchanged, and their new time recorded)
  plan        `retrain plan`

    python3 bench/data_watch.py [--schedules 10000] [--rounds 5] [--root /tmp/retrain-bench-data]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys

from benchlib import timed

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(TOP, ".build", "release", "retrain")
SCHEDULE = """model: quick
start: 2026-12-07 01:00
repeat: weekly
{watch}data: data/s{i:05d}.csv
target: y
command: [sh, -c, 'printf "{{\\"auc\\": 0.9}}" > "$RETRAIN_METRICS"']
"""
NOW = "2026-12-01T12:00:00Z"  # before the first slot: nothing is due


def make(root, n, watch):
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "schedules"))
    os.makedirs(os.path.join(root, "data"))
    for i in range(n):
        with open(os.path.join(root, "schedules", f"s{i:05d}.yaml"), "w") as f:
            f.write(SCHEDULE.format(i=i, watch="on_data_change: true\n" if watch else ""))
        with open(os.path.join(root, "data", f"s{i:05d}.csv"), "w") as f:
            f.write("a,b,y\n" + "".join(f"{i + r},{r * 3},{r % 2}\n" for r in range(40)))
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.email=b@x", "-c", "user.name=b", "commit", "-qm", "bench"], cwd=root, check=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schedules", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--root", default="/tmp/retrain-bench-data")
    args = parser.parse_args()
    if not os.access(BIN, os.X_OK):
        sys.exit("bench: build first (make release)")
    if os.path.realpath(args.root).startswith(TOP + os.sep):
        sys.exit("bench: --root must be outside the repository")
    n = args.schedules
    print(f"on_data_change: {n} schedules, each with its own data file; whole process, median of {args.rounds}, "
          "the two repositories measured in turn (this host drifts)")
    roots = {watch: os.path.join(args.root, "watch" if watch else "plain") for watch in (False, True)}
    first = {}
    for watch, root in roots.items():
        make(root, n, watch)
        first[watch] = timed([BIN, "reconcile", "--now", NOW], root)
    noop, plan, touched = {False: [], True: []}, {False: [], True: []}, {False: [], True: []}
    for r in range(args.rounds):
        for watch, root in roots.items():
            noop[watch].append(timed([BIN, "reconcile", "--now", NOW], root))
            plan[watch].append(timed([BIN, "plan", "--now", NOW], root))
            for i in range(r, n, 100):  # 1%: written again, same bytes, new time
                path = os.path.join(root, "data", f"s{i:05d}.csv")
                with open(path, "rb") as f:
                    text = f.read()
                with open(path, "wb") as f:
                    f.write(text)
            touched[watch].append(timed([BIN, "reconcile", "--now", NOW], root))
    med = {k: {w: statistics.median(v[w]) for w in (False, True)} for k, v in (("noop", noop), ("plan", plan), ("touched", touched))}
    for watch in (False, True):
        print(f"  {'with' if watch else 'without'} on_data_change: first {first[watch]:.3f} s, noop {med['noop'][watch]:.3f} s, "
              f"1% touched {med['touched'][watch]:.3f} s, plan {med['plan'][watch]:.3f} s")
    d = {k: med[k][True] - med[k][False] for k in med}
    print(f"  watching {n} files costs: noop pass +{d['noop'] * 1000:.0f} ms ({med['noop'][True] / med['noop'][False]:.2f}x, "
          f"{d['noop'] / n * 1e6:.1f} us a schedule), plan +{d['plan'] * 1000:.0f} ms, 1% rewritten +{d['touched'] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
