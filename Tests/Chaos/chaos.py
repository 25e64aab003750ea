#!/usr/bin/env python3
"""make test-chaos: SIGKILL at random points and a disk that fills at each write, then the invariants.

Five scenarios, each in a scratch repository (outside this one). Three kill, ROUNDS times each:
  reconcile   `retrain reconcile --wait` killed at a random point; a second one finishes the pass.
  run         `retrain run ID --wait` killed at a random point; a reconcile finishes what it started.
  supervisor  a run's supervisor killed at a random point; a reconcile finishes the run.
Two fill the disk (Tests/Chaos/enospc.c, preloaded: from call N on, every call that takes space on
the repository's filesystem fails with ENOSPC, in retrain, its supervisors and their trainers):
  disk-reconcile  `retrain reconcile --wait` on a day's slots, the disk full from call N;
  disk-run        `retrain run ID --wait`, the disk full from call N.
A counting pass first finds how many such calls a pass makes; then N takes every value from 0 to
that count (or --disk-samples values drawn at random). The pass on the full disk must end with exit
0 or 1, no crash, and, when one of its own calls was refused, say "No space left on device"; then
the disk is freed, and passes like the kill scenarios' finish what it left.
After every kill or full disk and the passes that follow:
  - the state file parses (`retrain list` exits 0 or 1, never 2, and says nothing of damage);
  - every schedule's ledger holds each run id at most once, and each slot of the round once;
  - every manual run that started (its attempt folder has a supervisor record) is in its ledger once;
  - no process of the repository is left (supervisors and trainers carry its path);
  - no temporary file (`*.tmp-PID`) is left behind.

    python3 Tests/Chaos/chaos.py [--binary .build/debug/retrain] [--rounds 100] [--disk-samples K]
                                 [--seed 1] [--root DIR] [--scenarios reconcile,run,...]
Prints one line per scenario ("N passed, 0 failed" at the end); exits 1 at the first broken invariant.
"""
import argparse
import collections
import glob
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEDULES = 4


def schedule(marker, index):
    # The trainer sleeps a little, so kills land before, during and after it; $0 is the marker.
    return f"""model: quick
start: 2026-11-01 10:00
repeat: daily
retries: 1
retry_delay: 1m
command: [sh, -c, 'sleep 0.{index + 2}; printf "{{\\"auc\\": 0.9}}" > "$RETRAIN_METRICS"', {marker}]
"""


def run(binary, root, args, ok=(0, 1)):
    done = subprocess.run([binary] + args, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    if done.returncode not in ok:
        fail(f"retrain {' '.join(args)} exited {done.returncode}: {done.stderr[-600:]}")
    return done


def fail(message):
    print(f"chaos: {message}", file=sys.stderr)
    print("0 passed, 1 failed")
    sys.exit(1)


def killed_after(binary, root, args, delay):
    process = subprocess.Popen([binary] + args, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    if process.poll() is None:
        process.kill()
    process.wait()


def strays(marker):
    """Processes whose command line names the repository (supervisors) or the marker (trainers)."""
    found = []
    for cmdline in glob.glob("/proc/[0-9]*/cmdline"):
        try:
            text = open(cmdline, "rb").read().replace(b"\0", b" ").decode(errors="replace")
            stat = open(cmdline.replace("cmdline", "stat")).read()
        except OSError:
            continue
        if marker in text and ") Z " not in stat:
            found.append(f"{cmdline.split('/')[2]}: {text[:120]}")
    return found


def wait_for_no_strays(marker, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if not strays(marker):
            return
        time.sleep(0.05)
    fail(f"processes left running: {strays(marker)}")


def check(binary, root, marker, slots):
    listed = run(binary, root, ["list", "--format", "json"], ok=(0, 1))
    if "damaged" in listed.stderr or "cannot" in listed.stderr:
        fail(f"the state does not read: {listed.stderr[-400:]}")
    for i in range(SCHEDULES):
        sid = f"s{i}"
        ledger = os.path.join(root, ".retrain", "history", f"{sid}.jsonl")
        ids = [json.loads(line)["id"] for line in open(ledger)] if os.path.exists(ledger) else []
        twice = [k for k, n in collections.Counter(ids).items() if n > 1]
        if twice:
            fail(f"{sid}: recorded twice: {twice}")
        for slot in slots:
            if f"{sid}@{slot}" not in ids:
                fail(f"{sid}: slot {slot} not recorded: {ids[-5:]}")
        # Every manual run whose supervisor started is recorded.
        for folder in glob.glob(os.path.join(root, "reports", sid, f"{sid}@manual-*")):
            started = glob.glob(os.path.join(folder, "attempt-*", "supervisor.json"))
            if started and os.path.basename(folder) not in ids:
                fail(f"{sid}: {os.path.basename(folder)} started and was never recorded")
    wait_for_no_strays(marker)


class FullDisk:
    """The preloaded ENOSPC library, built once, and the counter its processes share."""

    def __init__(self, base):
        self.library = os.path.join(base, "enospc.so")
        self.counter = os.path.join(base, "enospc-counter")
        compiler = shutil.which("cc") or shutil.which("clang")  # Swift's toolchain has clang
        if not compiler:
            fail("no C compiler (cc or clang) to build Tests/Chaos/enospc.c")
        built = subprocess.run([compiler, "-shared", "-fPIC", "-O2", "-o", self.library, os.path.join(TOP, "Tests/Chaos/enospc.c"), "-ldl"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if built.returncode != 0:
            fail(f"cannot build the full-disk library: {built.stdout[-600:]}")

    def run(self, binary, root, args, after):
        """`retrain args` with the disk full from call `after` on (None: count only).
        Returns (the finished process, calls that took space, the first call refused or None)."""
        with open(self.counter, "wb") as f:
            f.write(bytes(4096))
        env = dict(os.environ, LD_PRELOAD=self.library, RETRAIN_ENOSPC_COUNTER=self.counter, RETRAIN_ENOSPC_ROOT=root,
                   RETRAIN_ENOSPC_AFTER="" if after is None else str(after))
        process = subprocess.Popen([binary] + args, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = process.communicate(timeout=120)
        data = open(self.counter, "rb").read()
        calls = int.from_bytes(data[:8], "little")
        refused = data[8:].split(b"\0")[0].decode(errors="replace") or None
        return subprocess.CompletedProcess(process.args, process.returncode, out, err), process.pid, calls, refused


def check_full_disk_pass(done, pid, refused, args):
    said = f"retrain {' '.join(args)}, disk full from {refused}"
    if done.returncode not in (0, 1) or "Fatal error" in done.stderr:
        fail(f"{said}: exited {done.returncode}: {done.stderr[-600:]}")
    if not refused or not refused.endswith(f"(pid {pid})") or "No space left on device" in done.stderr:
        return
    # Only the lock's holder record may fail unsaid: it is advisory (the lock is the flock on it).
    if done.returncode != 0 or not refused.split(" ")[1].endswith("/state.json.lock"):
        fail(f"{said}: exited {done.returncode} without saying the disk is full: {done.stderr[-600:]!r}")


def no_temporaries(root):
    left = [os.path.relpath(os.path.join(folder, name), root) for folder, _, names in os.walk(root) for name in names if ".tmp-" in name]
    if left:
        fail(f"temporary files left behind: {left[:5]}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--binary", default=os.path.join(TOP, ".build/debug/retrain"))
    p.add_argument("--rounds", type=int, default=100, help="kills per kill scenario")
    p.add_argument("--disk-samples", type=int, default=None, help="full-disk points per disk scenario (default: every call)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--root", default=None)
    p.add_argument("--scenarios", default="reconcile,run,supervisor,disk-reconcile,disk-run")
    a = p.parse_args()
    binary = os.path.abspath(a.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"chaos: no binary at {binary} (swift build first)")
    rng = random.Random(a.seed)
    base = tempfile.mkdtemp(prefix="retrain-chaos-", dir=a.root)
    marker = os.path.basename(base)  # in the supervisors' paths and the trainers' $0 alike
    passed = 0
    supervisors_killed = 0
    disk = None
    try:
        for scenario in a.scenarios.split(","):
            root = os.path.join(base, scenario)
            os.makedirs(os.path.join(root, "schedules"))
            for i in range(SCHEDULES):
                open(os.path.join(root, "schedules", f"s{i}.yaml"), "w").write(schedule(marker, i))
            open(os.path.join(root, "retrain.yaml"), "w").write(f"max_parallel: {SCHEDULES}\n")  # every day's runs at once
            run(binary, root, ["reconcile", "--now", "2026-11-01T09:00:00Z"])  # adopt them: no slot is due yet
            if scenario.startswith("disk-") and disk is None:
                disk = FullDisk(base)
            slots = []
            points = None  # the full-disk points still to try; found by the counting round
            r = 0
            # Kill scenarios run --rounds times; a disk scenario runs its counting round, then one per point.
            def more():
                return points is None or bool(points) if scenario.startswith("disk-") else r < a.rounds
            while more():
                day = time.strftime("%Y-%m-%d", time.gmtime(1793527200 + (r + 1) * 86400))  # 2026-11-02 on
                now = f"{day}T10:05:00Z"
                slot = day.replace("-", "") + "T100000Z"
                delay = rng.uniform(0, 0.6)
                if scenario == "reconcile":
                    killed_after(binary, root, ["reconcile", "--wait", "--now", now], delay)
                elif scenario == "run":
                    # The day's slot first, then a run by hand killed part-way.
                    run(binary, root, ["reconcile", "--wait", "--now", now])
                    killed_after(binary, root, ["run", f"s{r % SCHEDULES}", "--wait", "--now", f"{day}T12:00:0{r % 10}Z"], delay)
                elif scenario == "supervisor":
                    run(binary, root, ["reconcile", "--now", now])  # starts the day's runs, detached
                    time.sleep(delay)
                    for line in subprocess.run(["pgrep", "-f", f"supervise.*{root}"], stdout=subprocess.PIPE, text=True).stdout.split():
                        if rng.random() < 0.5:
                            try:
                                os.kill(int(line), signal.SIGKILL)
                                supervisors_killed += 1
                            except ProcessLookupError:
                                pass
                else:
                    if scenario == "disk-reconcile":
                        args = ["reconcile", "--wait", "--now", now]
                    else:
                        run(binary, root, ["reconcile", "--wait", "--now", now])
                        args = ["run", f"s{r % SCHEDULES}", "--wait", "--now", f"{day}T12:00:0{r % 10}Z"]
                    after = None if points is None else points.pop(0)
                    done, pid, calls, refused = disk.run(binary, root, args, after)
                    check_full_disk_pass(done, pid, refused, args)
                    if points is None:
                        # The counting round: this many calls take space; the disk fills before each.
                        counted = calls
                        points = list(range(calls + 1))
                        if a.disk_samples is not None:
                            points = sorted(rng.sample(points, min(a.disk_samples, len(points))))
                        total = len(points)
                # What the kill or the full disk left is finished by the next passes (a retry comes a minute later).
                run(binary, root, ["reconcile", "--wait", "--now", now.replace("10:05", "13:00")])
                run(binary, root, ["reconcile", "--wait", "--now", now.replace("10:05", "13:05")])
                slots.append(slot)
                check(binary, root, marker, slots)
                no_temporaries(root)
                passed += 1
                r += 1
            if scenario == "supervisor":
                extra = f" ({supervisors_killed} supervisors killed)"
            elif scenario.startswith("disk-"):
                which = "each" if total == counted + 1 else f"{total}, drawn at random,"
                extra = f" (the disk full from {which} of {counted + 1} points: before each of the {counted} calls that take space, and after the last)"
            else:
                extra = ""
            print(f"{scenario}: {r} rounds{extra}, every invariant held", flush=True)
    finally:
        for line in strays(marker):
            try:
                os.kill(int(line.split(":")[0]), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass
        shutil.rmtree(base, ignore_errors=True)
    print(f"{passed} passed, 0 failed")


if __name__ == "__main__":
    main()
