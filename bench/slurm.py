#!/usr/bin/env python3
"""make bench: the Slurm executor on the real single-node cluster (make slurm-up).

observe   N schedules whose Slurm jobs are all active (8 running on the 8 fake CPUs, the rest
          pending): one `retrain reconcile` pass that has nothing to start, whole process, and how
          many times it ran squeue, scontrol and sacct (a PATH shim counts them);
submit    the first pass, which submits the N jobs (one sbatch each);
overhead  `retrain run ID --wait` of a trivial trainer, executor local against executor slurm, end to
          end (the median of ROUNDS each): what going through Slurm adds to one run.

    python3 bench/slurm.py [--jobs 200] [--rounds 5] [--root /tmp/retrain-bench-slurm]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LONG = """model: quick
start: 2026-11-01 10:00
repeat: daily
command: [sh, -c, 'sleep 300']
executor: slurm
slurm: {cpus: 1, mem: 10M, time: "10"}
"""
QUICK = """model: quick
start: 2026-11-01 10:00
repeat: daily
command: [sh, -c, 'printf "{\\"auc\\": 0.9}" > "$RETRAIN_METRICS"']
executor: EXECUTOR
"""
SHIM = """#!/bin/sh
echo "$(basename "$0")" >> "{log}"
exec {real} "$@"
"""


def run(argv, cwd, env=None):
    t = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    elapsed = time.perf_counter() - t
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(argv)} exited {done.returncode}: {done.stdout[-400:]}{done.stderr[-400:]}")
    return elapsed, done.stdout


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--jobs", type=int, default=200)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--root", default="/tmp/retrain-bench-slurm")
    a = p.parse_args()
    binary = os.environ.get("RETRAIN_BIN") or os.path.join(TOP, ".build/release/retrain")
    if not os.access(binary, os.X_OK):
        sys.exit("bench: build first (make release)")
    if subprocess.run(["sinfo", "-h"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0:
        sys.exit("bench: no Slurm answers: make slurm-up")
    root = os.path.realpath(a.root)
    shutil.rmtree(root, ignore_errors=True)

    # observe: N active jobs
    repo = os.path.join(root, "observe")
    os.makedirs(os.path.join(repo, "schedules"))
    for i in range(a.jobs):
        with open(os.path.join(repo, "schedules", f"j{i:04d}.yaml"), "w") as f:
            f.write(LONG)
    shims = os.path.join(root, "shims")
    os.makedirs(shims)
    log = os.path.join(root, "calls.txt")
    for tool in ["squeue", "scontrol", "sacct", "sbatch"]:
        real = shutil.which(tool)
        path = os.path.join(shims, tool)
        with open(path, "w") as f:
            f.write(SHIM.format(log=log, real=real))
        os.chmod(path, 0o755)
    env = dict(os.environ, PATH=shims + ":" + os.environ["PATH"])
    submit, _ = run([binary, "reconcile", "--max-parallel", str(a.jobs), "--now", "2026-12-06T10:05:00Z"], repo, env)
    states = subprocess.run(["squeue", "-h", "-o", "%T"], stdout=subprocess.PIPE, text=True).stdout.split()
    active = sum(1 for s in states if s in ("PENDING", "RUNNING", "CONFIGURING"))
    os.remove(log)
    timings = []
    for _ in range(a.rounds):
        elapsed, out = run([binary, "reconcile", "--max-parallel", str(a.jobs), "--now", "2026-12-06T10:06:00Z"], repo, env)
        timings.append(elapsed)
    calls = open(log).read().split()
    per_pass = {tool: calls.count(tool) / a.rounds for tool in ["squeue", "scontrol", "sacct", "sbatch"]}
    jobs = subprocess.run(["squeue", "-h", "-o", "%i|%k"], stdout=subprocess.PIPE, text=True).stdout.split("\n")
    mine = [line.split("|")[0] for line in jobs if "|" in line and line.split("|", 1)[1].startswith(repo + "/")]
    if mine:
        subprocess.run(["scancel"] + mine)
    print(f"slurm observe: {a.jobs} jobs submitted by one pass in {submit:.2f} s ({submit / a.jobs * 1000:.1f} ms a job)")
    print(
        f"slurm observe: a pass with {active} active jobs and nothing to start: median {statistics.median(timings) * 1000:.0f} ms"
        f" (of {a.rounds}); calls a pass: squeue {per_pass['squeue']:g}, scontrol {per_pass['scontrol']:g}, sacct {per_pass['sacct']:g},"
        f" sbatch {per_pass['sbatch']:g}"
    )

    # overhead: one trivial run, local against slurm
    figures = {}
    for executor in ["local", "slurm"]:
        repo = os.path.join(root, executor)
        os.makedirs(os.path.join(repo, "schedules"))
        with open(os.path.join(repo, "schedules", "q.yaml"), "w") as f:
            f.write(QUICK.replace("EXECUTOR", executor))
        run([binary, "reconcile", "--now", "2026-12-06T09:00:00Z"], repo)  # recorded; nothing due
        times = [run([binary, "run", "q", "--wait"], repo)[0] for _ in range(a.rounds)]
        figures[executor] = statistics.median(times)
    extra = figures["slurm"] - figures["local"]
    print(
        f"slurm overhead: run --wait of a trivial trainer: local {figures['local'] * 1000:.0f} ms, slurm {figures['slurm'] * 1000:.0f} ms"
        f" (median of {a.rounds}): Slurm adds {extra * 1000:.0f} ms a run"
    )


if __name__ == "__main__":
    main()
