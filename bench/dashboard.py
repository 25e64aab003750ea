#!/usr/bin/env python3
"""make bench: the reports at scale. Builds a repository of SCHEDULES schedule files whose state
holds RUNS finished runs each (metrics drifting, some rejected and failed), then measures:

  - `retrain report --all` into an empty reports folder (every page built: each schedule's page and
    comparison, the overview, summary, metrics.prom), median of REPEAT whole-process runs;
  - index.html's size;
  - the pages in Debian's Chromium through Selenium (when installed): the overview from navigation
    to its first 100 rows drawn (the script done), a status filter over every row, and one
    schedule's page from navigation to loaded (its charts and RUNS-run table).

    python3 bench/dashboard.py            # 10,000 schedules x 50 runs
    SCHEDULES=500 RUNS=20 python3 bench/dashboard.py
"""
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(TOP, ".build/release/retrain")
ROOT = os.environ.get("BENCH_ROOT", "/tmp/retrain-bench-dashboard")
SCHEDULES = int(os.environ.get("SCHEDULES", "10000"))
RUNS = int(os.environ.get("RUNS", "50"))
REPEAT = int(os.environ.get("REPEAT", "3"))
MODELS = ["attrition", "duration", "performance", "risk"]
METRICS = {"attrition": ["auc", "accuracy", "f1", "log_loss"], "duration": ["rmse", "mae", "r2"],
           "performance": ["rmse", "mae", "r2"], "risk": ["accuracy", "macro_f1", "log_loss"]}


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def build():
    shutil.rmtree(ROOT, ignore_errors=True)
    os.makedirs(os.path.join(ROOT, "schedules"))
    rng = random.Random(42)
    start = 1767225600  # 2026-01-01
    state = {"version": 1, "schedules": {}}
    for i in range(SCHEDULES):
        model = MODELS[i % 4]
        sid = f"{model}-{i:04d}"
        with open(os.path.join(ROOT, "schedules", sid + ".yaml"), "w") as f:
            f.write(f"model: {model}\ndescription: Retrain {model} for team {i % 17}\ndata: data/{model}.csv\ntarget: y\n"
                    f"start: 2026-01-01 02:00\nrepeat: weekly\nlabels: {{team: t{i % 17}}}\n")
        history, champion, failures = [], None, 0
        level = {m: rng.uniform(0.6, 0.9) for m in METRICS[model]}
        for r in range(RUNS):
            t = start + r * 7 * 86400
            run = {"id": f"{sid}@{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime(t))}", "slot": iso(t), "attempt": 1,
                   "started_at": iso(t), "finished_at": iso(t + rng.randint(30, 900))}
            roll = rng.random()
            if roll < 0.06:
                run.update(status="failed", reason="the trainer exited with status 1")
                failures += 1
            else:
                for m in level:
                    level[m] = min(0.99, max(0.01, level[m] + rng.gauss(0, 0.01)))
                run["metrics"] = {m: round(v, 4) for m, v in level.items()}
                if roll < 0.14:
                    run.update(status="rejected", reason="gate failed: auc >= champion.auc - 0.02 (0.78 vs 0.8)")
                else:
                    run["status"] = "completed"
                    champion = run
                failures = 0
            history.append(run)
        entry = {"spec_hash": "x", "timing_hash": "y", "anchor": iso(start), "last_slot": history[-1]["slot"],
                 "consecutive_failures": failures, "history": history, "orphaned": False}
        if champion:
            entry["champion"] = champion
        state["schedules"][sid] = entry
    os.makedirs(os.path.join(ROOT, ".retrain"))
    with open(os.path.join(ROOT, ".retrain/state.json"), "w") as f:
        json.dump(state, f)


def report_seconds():
    times = []
    for _ in range(REPEAT):
        shutil.rmtree(os.path.join(ROOT, "reports"), ignore_errors=True)
        t = time.perf_counter()
        subprocess.run([BIN, "report", "--all", "--now", "2026-12-20T12:00:00Z"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def browser():
    sys.path.insert(0, os.path.join(TOP, "Tests", "Browser"))  # the browser test's way to start Chromium
    try:
        from chromium import headless_chromium
    except ImportError:
        return None
    driver = headless_chromium()
    try:
        loads, filters, opens = [], [], []
        first = sorted(os.listdir(os.path.join(ROOT, "schedules")))[0][:-len(".yaml")]
        for _ in range(REPEAT):
            driver.get("file://" + os.path.join(ROOT, "reports/index.html"))
            # The script runs at the end of the body, so when the DOM is complete the rows are drawn.
            loads.append(driver.execute_script("var t = performance.getEntriesByType('navigation')[0];"
                                               "return document.querySelectorAll('#schedules tr.sched').length ? t.domComplete : -1;"))
            filters.append(driver.execute_script(
                "var s = document.getElementById('status'), t = performance.now(); s.value = 'rejected';"
                "s.dispatchEvent(new Event('change')); document.body.offsetHeight; return performance.now() - t;"))
            shown = driver.execute_script("return document.body.dataset.shown")
            driver.get("file://" + os.path.join(ROOT, "reports", first, "index.html"))
            opens.append(driver.execute_script("var t = performance.getEntriesByType('navigation')[0]; return t.loadEventEnd;"))
        return statistics.median(loads), statistics.median(filters), statistics.median(opens), shown
    finally:
        driver.quit()


def main():
    if not os.path.exists(BIN):
        sys.exit("bench: build first (make release)")
    build()
    seconds = report_seconds()
    size = os.path.getsize(os.path.join(ROOT, "reports/index.html"))
    print(f"reports for {SCHEDULES} schedules x {RUNS} runs: retrain report {seconds * 1000:.0f} ms (median of {REPEAT}), index.html {size / 1e6:.2f} MB")
    found = browser() if os.path.exists("/usr/bin/chromedriver") else None
    if found is None:
        print("chromium or selenium missing (make test-deps): page timings skipped")
        return
    load, flt, opened, shown = found
    print(f"chromium: overview interactive {load:.0f} ms; status filter over {SCHEDULES} rows {flt:.1f} ms ({shown} shown); "
          f"a schedule's page (charts + {RUNS}-run table) loaded in {opened:.0f} ms (medians of {REPEAT})")


main()
