#!/usr/bin/env python3
"""make bench: what one command costs when every schedule has a year of history (issue 13's figures).

A scratch repository (outside this one) per size: N weekly schedules of a trivial external trainer
(`sh -c 'printf {...} > $RETRAIN_METRICS'`), and the version-1 state a year of weekly reconciles
leaves: 50 finished runs each (one in ten failed), the champion, the hashes retrain itself recorded.
Then, whole process, median of ROUNDS (wall seconds, peak RSS in MB):
  plan v1     `retrain plan` reading the version-1 state (nothing due)
  migrate     the first `retrain reconcile`: migrates the state (ledgers, backup) and, nothing being
              due, writes every report (a version-1 retrain's reports are not this layout's)
  plan        `retrain plan` on the migrated state
  noop        `retrain reconcile` with nothing to do
  run         `retrain run s00000 --wait`: one trivial run, recorded, reports written
  report      `retrain report --all`
  list        `retrain list`
and the size of state.json and reports/index.html. Ratios against the issue's targets follow.

    python3 bench/history.py [--sizes 100,1000,10000] [--rounds 3] [--root /tmp/retrain-bench-history]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEDULE = """model: quick
start: 2025-12-01 01:00
repeat: weekly
command: [sh, -c, 'printf "{\\"auc\\": 0.91, \\"log_loss\\": 0.3}" > "$RETRAIN_METRICS"']
gates: [auc >= champion.auc - 0.05]
"""
WEEK = 7 * 86400
FIRST = 1764550800  # 2025-12-01T01:00:00Z
ANCHOR = "2025-11-30T12:00:00Z"
NOW = "2026-11-12T12:00:00Z"  # after the 50th slot (2026-11-09), before the 51st


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def compact(t):
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(t))


def rss(argv, cwd, ok=(0,)):
    """Wall seconds and peak RSS (MB) of one run, through GNU time (Debian's `time`)."""
    t = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - t
    if done.returncode not in ok:
        sys.exit(f"bench: {' '.join(argv)} exited {done.returncode}: {done.stderr[-800:]}")
    return elapsed, int(done.stderr.strip().splitlines()[-1]) / 1024


def version_one_state(root, n, binary):
    """The v1 state: hashes from retrain's own first sight, then a year of runs."""
    subprocess.run([binary, "reconcile", "--now", ANCHOR], cwd=root, check=True, stdout=subprocess.DEVNULL)
    seen = json.load(open(os.path.join(root, ".retrain/state.json")))["schedules"]
    shutil.rmtree(os.path.join(root, ".retrain"))
    schedules = {}
    for i in range(n):
        sid = f"s{i:05d}"
        history = []
        champion = None
        for k in range(50):
            slot = FIRST + k * WEEK
            run = {"attempt": 1, "id": f"{sid}@{compact(slot)}", "slot": iso(slot), "started_at": iso(slot + 30), "finished_at": iso(slot + 95)}
            if k % 10 == 9:
                run.update(status="failed", reason="exit 1")
            else:
                run.update(status="completed", metrics={"auc": round(0.85 + (k % 7) / 100, 4), "log_loss": round(0.35 - (k % 5) / 100, 4)})
                champion = run
            history.append(run)
        entry = dict(seen[sid])
        entry.update(anchor=ANCHOR, last_slot=iso(FIRST + 49 * WEEK), consecutive_failures=0, orphaned=False, history=history, champion=champion)
        schedules[sid] = entry
    os.makedirs(os.path.join(root, ".retrain"))
    with open(os.path.join(root, ".retrain/state.json"), "w") as f:
        json.dump({"schedules": schedules, "version": 1}, f, indent=2, sort_keys=True, separators=(",", " : "))
        f.write("\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="100,1000,10000")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--root", default="/tmp/retrain-bench-history")
    a = p.parse_args()
    binary = os.path.join(TOP, ".build/release/retrain")
    if not os.access(binary, os.X_OK):
        sys.exit("bench: build first (make release)")
    if not os.access("/usr/bin/time", os.X_OK):
        sys.exit("bench: needs GNU time for peak memory (apt-get install time)")
    base = os.path.realpath(a.root)
    if (base + "/").startswith(TOP + "/"):
        sys.exit("bench: --root must be outside the repository")
    sizes = [int(s) for s in a.sizes.split(",")]
    table = {}
    for n in sizes:
        root = os.path.join(base, str(n))
        if os.path.isdir(root):
            shutil.rmtree(os.path.join(base, f".previous-{n}"), ignore_errors=True)  # a bench stopped part-way
            os.rename(root, os.path.join(base, f".previous-{n}"))
        os.makedirs(os.path.join(root, "schedules"))
        for i in range(n):
            with open(os.path.join(root, "schedules", f"s{i:05d}.yaml"), "w") as f:
                f.write(SCHEDULE)
        print(f"{n} schedules: writing a version-1 state with 50 runs each…", file=sys.stderr, flush=True)
        version_one_state(root, n, binary)
        v1 = open(os.path.join(root, ".retrain/state.json"), "rb").read()
        row = {"v1 MB": len(v1) / 1e6}
        now = ["--now", NOW]
        row["plan v1"] = statistics.median(rss([binary, "plan"] + now, root)[0] for _ in range(a.rounds))
        migrations = []
        for r in range(a.rounds):
            for leftover in ["history", "outbox", "state.json.v1", "state.json.previous"]:
                path = os.path.join(root, ".retrain", leftover)
                shutil.rmtree(path, ignore_errors=True) if os.path.isdir(path) else (os.path.exists(path) and os.remove(path))
            open(os.path.join(root, ".retrain/state.json"), "wb").write(v1)
            # A version-1 retrain's reports had no overview.json and no schedule pages: the
            # migrating pass writes every report, as it does after an upgrade.
            # (Moved aside, removed at the end: ext4 makes files slowly for a minute after tens
            # of thousands were removed, which no upgrade meets.)
            if os.path.isdir(os.path.join(root, "reports")):
                os.rename(os.path.join(root, "reports"), os.path.join(base, f".reports-{n}-{r}"))
            migrations.append(rss([binary, "reconcile"] + now, root))
        row["migrate"], row["migrate MB"] = statistics.median(m[0] for m in migrations), max(m[1] for m in migrations)
        row["state MB"] = os.path.getsize(os.path.join(root, ".retrain/state.json")) / 1e6
        row["plan"] = statistics.median(rss([binary, "plan"] + now, root)[0] for _ in range(a.rounds))
        noops = [rss([binary, "reconcile"] + now, root) for _ in range(a.rounds)]
        row["noop"], row["noop MB"] = statistics.median(x[0] for x in noops), max(x[1] for x in noops)
        runs = []
        for r in range(a.rounds):
            runs.append(rss([binary, "run", "s00000", "--wait", "--now", f"2026-11-12T13:0{r}:00Z"], root))
        row["run"], row["run MB"] = statistics.median(x[0] for x in runs), max(x[1] for x in runs)
        reports = [rss([binary, "report", "--all"] + now, root) for _ in range(a.rounds)]
        row["report"], row["report MB"] = statistics.median(x[0] for x in reports), max(x[1] for x in reports)
        row["index MB"] = os.path.getsize(os.path.join(root, "reports/index.html")) / 1e6
        row["list"] = statistics.median(rss([binary, "list"] + now, root, ok=(0, 1))[0] for _ in range(a.rounds))
        table[n] = row

        print(f"{n}: " + ", ".join(f"{k} {v:.3f}" for k, v in row.items()), file=sys.stderr, flush=True)

    for leftover in os.listdir(base):
        if leftover.startswith("."):
            shutil.rmtree(os.path.join(base, leftover), ignore_errors=True)

    keys = ["v1 MB", "plan v1", "migrate", "migrate MB", "state MB", "plan", "noop", "noop MB", "run", "run MB", "report", "report MB", "index MB", "list"]
    print("history (bench/history.py): seconds, whole process, medians of %d; MB peak RSS or file size" % a.rounds)
    print("%-11s" % "schedules" + "".join("%10s" % k for k in keys))
    for n in sizes:
        print("%-11d" % n + "".join("%10.3f" % table[n][k] for k in keys))
    big, small = max(sizes), min(sizes)
    t = table[big]
    print(f"at {big}: run --wait {t['run']:.3f} s = {t['run'] / table[small]['run']:.2f}x its time at {small} (target <= 1.5x, < 0.5 s, < 150 MB: {t['run MB']:.0f} MB)")
    print(f"at {big}: reconcile with nothing to do {t['noop'] / t['plan']:.2f}x plan (target <= 2x, < 200 MB: {t['noop MB']:.0f} MB)")
    print(f"at {big}: first reconcile, migrating version 1, {t['migrate'] / t['plan']:.2f}x plan (target < 5x)")
    print(f"at {big}: report --all {t['report']:.2f} s (target < 3 s), index.html {t['index MB']:.1f} MB (target < 5 MB)")


if __name__ == "__main__":
    main()
