#!/usr/bin/env python3
"""Deterministic corpus of realistic, valid retrain schedules for `make bench`.

    python3 bench/gen_schedules.py DIR N [--seed S]

Writes N files DIR/<id>.yaml covering every optional field of format version 1, in block and flow
styles, with header and trailing comments, folded and quoted descriptions, plain/single/double-quoted
scalars, cron expressions with names, lists, ranges and steps, and non-ASCII text. Every file must pass
`retrain validate` with no diagnostics (bench/validate.sh checks). Corpora never go in the repository.
"""
import argparse
import os
import random
import sys

MODELS = {
    "attrition": ("left_company", ["age", "tenure_years", "overtime", "satisfaction", "department", "salary_band"],
                  ["auc", "accuracy", "precision", "recall", "f1"], ["log_loss"]),
    "duration": ("hours", ["story_points", "team_size", "complexity", "priority", "component"], ["r2"], ["rmse", "mae"]),
    "performance": ("score", ["tenure_years", "projects_completed", "training_hours", "role_level"], ["r2"], ["rmse", "mae"]),
    "risk": ("risk_level", ["budget_k", "team_size", "delay_days", "scope_changes", "client_tier"], ["accuracy", "macro_f1"], ["log_loss"]),
}
ZONES = ["UTC", "Europe/Madrid", "Europe/London", "America/New_York", "America/Sao_Paulo", "Asia/Tokyo",
         "Asia/Kolkata", "Australia/Sydney", "Australia/Lord_Howe", "Africa/Johannesburg"]
CRONS = ["0 2 * * *", "30 6 * * MON-FRI", "*/30 9-17 * * 1-5", "15 3 1,15 * *", "0 4 * * SUN", "45 23 28-31 * *",
         "0 */6 * * *", "10 1 13 * FRI", "0 0 1 JAN,APR,JUL,OCT *", "5/20 8 * * *", "@daily", "@weekly", "@monthly", "@hourly"]
WORDS = ["weekly", "nightly", "retrain", "of", "the", "model", "after", "data", "refresh", "for", "people", "analytics",
         "project", "office", "drift", "review", "quarterly", "señal", "équipe", "データ"]


def q(rng, s):
    """The same text in one of the three scalar styles."""
    r = rng.random()
    if r < 0.6:
        return s
    if r < 0.8:
        return "'" + s.replace("'", "''") + "'"
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def seq(rng, items, indent):
    if rng.random() < 0.5:
        return "[" + ", ".join(items) + "]"
    return "\n" + "".join(f"{indent}- {x}\n" for x in items).rstrip("\n")


def schedule(rng, i):
    model = rng.choice(list(MODELS) + ["churn", "demand_forecast"])
    external = model not in MODELS or rng.random() < 0.15
    lines = []
    if rng.random() < 0.7:
        lines.append("# yaml-language-server: $schema=schedule.schema.json")
    if rng.random() < 0.5:
        lines.append(f"# owner: team-{rng.randrange(20)} · generated schedule {i}")
    if rng.random() < 0.5:
        lines.append("version: 1")
    lines.append(f"model: {model}")
    desc = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(3, 14)))
    if rng.random() < 0.25:
        lines.append("description: >\n  " + desc + "\n  " + " ".join(rng.choice(WORDS) for _ in range(5)))
    else:
        lines.append("description: " + q(rng, desc.replace(":", "")))
    if rng.random() < 0.6:
        lines.append(f"enabled: {rng.choice(['true', 'true', 'true', 'false'])}")
    y, m, d = rng.choice([2026, 2027]), rng.randrange(1, 13), rng.randrange(1, 29)
    start = f"{y}-{m:02d}-{d:02d}" + ("" if rng.random() < 0.2 else f"{rng.choice([' ', 'T'])}{rng.randrange(24):02d}:{rng.choice([0, 15, 30, 45]):02d}")
    lines.append(f"start: {start}" + ("   # local time" if rng.random() < 0.3 else ""))
    if rng.random() < 0.85:
        lines.append(f"timezone: {rng.choice(ZONES)}")
    rep = rng.choice(["once", "daily", "weekly", "monthly", "cron", "cron"])
    if rep == "cron":
        lines.append(f'repeat: "{rng.choice(CRONS)}"')
    else:
        lines.append(f"repeat: {rep}")
    if rep != "once" and rng.random() < 0.4:
        lines.append(f"end: {y + 2}-12-31")
    if rng.random() < 0.6:
        lines.append(f"catchup: {rng.choice(['latest', 'none', 'all'])}")
    if rng.random() < 0.5:
        lines.append(f"deadline: {rng.choice(['30m', '2h', '6h', '1h30m', '1d'])}")
    if model in MODELS:
        target, features, up, down = MODELS[model]
    else:
        target, features, up, down = "y", ["f1", "f2", "f3"], ["auc"], ["mape"]
    if external:
        data = rng.choice([f"data/{model}.parquet", f"s3://ml-data/{model}/latest.parquet", f"examples/data/{model}.csv"])
    else:
        data = f"examples/data/{model}.csv"
    lines.append(f"data: {data}")
    lines.append(f"target: {target}")
    if rng.random() < 0.5:
        lines.append("features: " + seq(rng, rng.sample(features, rng.randrange(1, len(features) + 1)), "  "))
    if external:
        params = {"learning_rate": "3.0e-05", "dropout": "0.1", "optimizer": rng.choice(["adam", "adamw", "'sgd'"]),
                  "shuffle": "true", "layers": "[dense, dense, out]"}
    else:
        params = {"epochs": str(rng.choice([20, 50, 100, 200])), "batch_size": str(rng.choice([16, 32, 64, 128, 256])),
                  "learning_rate": rng.choice(["0.001", "0.0005", "0.003", "1.0e-04", "0.01"])}
        if rng.random() < 0.7:
            params["hidden_layers"] = rng.choice(["[32, 16]", "[64]", "[]", "[128, 64, 32]"])
        if rng.random() < 0.4:
            params["l2"] = rng.choice(["0.0", "1.0e-05", "0.0001", "0.001"])
        if rng.random() < 0.3:
            params["validation_split"] = rng.choice(["0.1", "0.2", "0.25"])
        if rng.random() < 0.3:
            params["early_stopping_patience"] = str(rng.choice([3, 5, 10]))
        if rng.random() < 0.5:
            params["seed"] = str(rng.randrange(10000))
    if rng.random() < 0.3:
        lines.append("params: {" + ", ".join(f"{k}: {v}" for k, v in params.items()) + "}")
    else:
        lines.append("params:" + "".join(f"\n  {k}: {v}" for k, v in params.items()))
    if external:
        lines.append("command: " + seq(rng, ["python3", "examples/trainers/sklearn_trainer.py"] + (["--fast"] if rng.random() < 0.3 else []), "  "))
    if rng.random() < 0.6:
        lines.append(f"timeout: {rng.choice(['20m', '1h', '2h', '6h', '1h30m'])}")
    if rng.random() < 0.5:
        lines.append(f"retries: {rng.randrange(4)}")
        lines.append(f"retry_delay: {rng.choice(['1m', '5m', '10m', '30s'])}")
    if rng.random() < 0.15:
        lines.append("executor: slurm")
        lines.append(f'slurm: {{partition: {rng.choice(["cpu", "gpu"])}, cpus: {rng.choice([1, 2, 4])}, mem: {rng.choice(["4G", "8G", "16000"])}, time: "02:00:00"}}')
    elif rng.random() < 0.3:
        lines.append("executor: local")
    gates = []
    for _ in range(rng.randrange(0, 4)):
        if rng.random() < 0.5:
            m = rng.choice(up)
            gates.append(rng.choice([f"{m} >= 0.{rng.randrange(50, 95)}", f"{m} >= champion.{m} - 0.02", f"{m} > previous.{m} * 0.98"]))
        else:
            m = rng.choice(down)
            gates.append(rng.choice([f"{m} <= {rng.randrange(1, 9)}.5", f"{m} <= previous.{m} * 1.10", f"{m} < champion.{m} + 0.05"]))
    if gates:
        lines.append("gates:" + "".join(f'\n  - "{g}"' if rng.random() < 0.5 else f"\n  - {g}" for g in gates))
    if rng.random() < 0.7:
        events = rng.sample(["failed", "rejected", "stale", "completed", "recovered"], rng.randrange(1, 5))
        notify = [f"email: [ml-{rng.randrange(9)}@example.com" + (', "${ONCALL_EMAIL}"]' if rng.random() < 0.2 else "]"),
                  f"on: [{', '.join(events)}]"]
        if "stale" in events:
            notify.append(f"stale_after: {rng.choice(['7d', '15d', '30d'])}")
        if rng.random() < 0.2:
            notify.append('webhook: "${ALERT_WEBHOOK}"')
        lines.append("notify:" + "".join(f"\n  {n}" for n in notify))
    if rng.random() < 0.6:
        labels = {"team": rng.choice(["people-analytics", "project-office", "forecasting"]), "tier": rng.choice(["gold", "silver"])}
        if rng.random() < 0.5:
            lines.append("labels: {" + ", ".join(f"{k}: {v}" for k, v in labels.items()) + "}")
        else:
            lines.append("labels:" + "".join(f"\n  {k}: {v}" for k, v in labels.items()))
    if rng.random() < 0.3:
        lines.append(f'trigger: "2026-11-{rng.randrange(1, 26):02d}-{rng.randrange(1, 4)}"')
    if rng.random() < 0.3:
        lines.append("# end of schedule")
    return model, "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    rng = random.Random(a.seed)
    total = 0
    for i in range(a.n):
        model, text = schedule(rng, i)
        name = f"{model.replace('_', '-')}-{i:06d}.yaml"
        with open(os.path.join(a.dir, name), "w", encoding="utf-8") as f:
            f.write(text)
        total += len(text.encode())
    print(f"gen_schedules.py: {a.n} files, {total} bytes ({total // max(a.n, 1)} B/file) in {a.dir}", file=sys.stderr)


if __name__ == "__main__":
    main()
