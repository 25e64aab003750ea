"""What the benches share: one command timed as a whole process."""
import subprocess
import sys
import time


def timed(argv, cwd):
    """Wall seconds of `argv` run in `cwd`, output dropped; a failure stops the bench with its stderr."""
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(argv)} exited {done.returncode}: {done.stderr[-2000:]}")
    return took
