#!/usr/bin/env python3
"""Writes the example training data in this folder: attrition.csv, duration.csv, performance.csv and
risk.csv. Deterministic (a fixed seed per file, Python's own random module, no other dependency), so
`python3 examples/data/generate.py` reproduces the committed files byte for byte.

Each file has numeric and text columns, a few missing cells, and a nonlinear signal (thresholds and
interactions) so that a network with hidden layers can beat a linear model on it.

    python3 examples/data/generate.py [--rows N] [--out DIR]
"""
import argparse
import csv
import math
import os
import random

DEPARTMENTS = ["engineering", "sales", "support", "finance", "operations"]
WORK_MODES = ["onsite", "hybrid", "remote"]


def maybe(rng, value, rate=0.03):
    """The value, or a missing cell now and then."""
    return "" if rng.random() < rate else value


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def attrition(rng, n):
    for _ in range(n):
        age = rng.randint(21, 63)
        department = rng.choice(DEPARTMENTS)
        level = rng.choices([1, 2, 3, 4, 5], [30, 30, 20, 12, 8])[0]
        tenure = round(min(rng.expovariate(1 / 4), age - 20), 1)
        salary = round(28000 + 9000 * level + rng.gauss(0, 5000) + (6000 if department == "engineering" else 0), -2)
        satisfaction = round(min(5, max(1, rng.gauss(3.4, 0.9))), 1)
        overtime = rng.choices(["yes", "no"], [30, 70])[0]
        mode = rng.choice(WORK_MODES)
        promotion = round(min(tenure, rng.expovariate(1 / 3)), 1)
        commute = round(rng.expovariate(1 / 18), 1) if mode != "remote" else 0.0
        # Leaving: unhappy and overworked people, the first year, long waits for promotion, a long
        # commute; a U shape in age; overtime hurts far more when pay is low.
        x = (-3.4 + 2.4 * (satisfaction < 2.6) + 1.8 * (tenure < 1.0) + 1.4 * (promotion > 5) * (level <= 2)
             + 0.05 * max(0, commute - 25) + 0.010 * (age - 40) ** 2
             + 2.6 * (overtime == "yes") * (salary < 45000) - 0.8 * (overtime == "yes") * (salary >= 60000)
             - 0.6 * (mode == "hybrid"))
        left = int(rng.random() < sigmoid(x))
        yield {"age": age, "department": department, "job_level": level, "tenure_years": tenure,
               "salary": maybe(rng, int(salary)), "satisfaction": maybe(rng, satisfaction), "overtime": overtime,
               "work_mode": maybe(rng, mode, 0.02), "years_since_promotion": promotion, "commute_km": commute,
               "left_company": left}


def duration(rng, n):
    kinds = {"bugfix": 0.6, "feature": 1.0, "refactor": 0.9, "research": 1.4, "ops": 0.5}
    for _ in range(n):
        kind = rng.choice(list(kinds))
        points = rng.choice([1, 2, 3, 5, 8, 13])
        team = rng.randint(2, 9)
        priority = rng.choices(["low", "medium", "high"], [30, 50, 20])[0]
        experience = round(rng.uniform(0.5, 15), 1)
        dependencies = rng.randint(0, 4)
        reviewed = rng.choice(["yes", "no"])
        # Hours: superlinear in points, worse with dependencies on big tasks, experience helps
        # with diminishing returns, a team too large adds coordination.
        hours = (kinds[kind] * 3.2 * points ** 1.25 * (1 + 0.15 * dependencies * (points >= 5))
                 * (1.6 / (1 + math.log1p(experience))) + 0.8 * max(0, team - 6) ** 2
                 + (4 if reviewed == "yes" else 0) + (-2 if priority == "high" else 0))
        hours = max(0.5, hours * rng.lognormvariate(0, 0.12))
        yield {"task_type": kind, "story_points": points, "team_size": team, "priority": priority,
               "assignee_experience_years": maybe(rng, experience), "dependencies": dependencies,
               "code_review": reviewed, "hours": round(hours, 1)}


def performance(rng, n):
    for _ in range(n):
        department = rng.choice(DEPARTMENTS)
        level = rng.randint(1, 5)
        tenure = round(rng.expovariate(1 / 5), 1)
        projects = max(0, int(rng.gauss(2 + tenure * 0.8, 2)))
        training = round(max(0, rng.gauss(24, 12)), 1)
        overtime = round(max(0, rng.gauss(6, 5)), 1)
        mode = rng.choice(WORK_MODES)
        # Score: training pays off up to a point, overtime helps a little then burns out,
        # projects count more at senior levels.
        score = (55 + 6 * math.tanh(training / 20) * 3 + 1.6 * projects * (0.5 + level / 5)
                 + 0.8 * overtime - 0.06 * max(0, overtime - 8) ** 2 + 2 * math.log1p(tenure)
                 + (3 if department == "engineering" and level >= 3 else 0) + rng.gauss(0, 3))
        yield {"department": department, "role_level": level, "tenure_years": tenure, "projects_completed": projects,
               "training_hours": maybe(rng, training), "overtime_hours": overtime, "work_mode": mode,
               "score": round(min(100, max(0, score)), 1)}


def risk(rng, n):
    vendors = ["in-house", "acme", "globex", "initech"]
    for _ in range(n):
        budget = round(rng.lognormvariate(5.5, 0.8), 1)  # thousands
        months = rng.randint(1, 36)
        team = rng.randint(2, 40)
        changes = rng.randint(0, 25)
        vendor = rng.choice(vendors)
        method = rng.choice(["agile", "waterfall", "hybrid"])
        delays = rng.randint(0, 6)
        # Risk grows with scope churn on long projects (worst for waterfall), big teams on small
        # budgets, and a vendor's history of delays.
        x = (0.08 * changes * (1.8 if method == "waterfall" else 1.0) * (months / 12) ** 0.5
             + 0.9 * (team > 20) * (budget < 200) + 0.35 * delays * (vendor != "in-house")
             + 0.04 * months - 0.3 * (method == "agile") + rng.gauss(0, 0.45))
        level = "low" if x < 2.6 else ("medium" if x < 4.3 else "high")
        yield {"budget_k": maybe(rng, budget), "duration_months": months, "team_size": team,
               "requirement_changes": changes, "vendor": vendor, "methodology": method,
               "vendor_past_delays": maybe(rng, delays), "risk_level": level}


def write(path, rows):
    rows = list(rows)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {path}: {len(rows)} rows")


def main():
    parser = argparse.ArgumentParser(description="Write the example training CSVs.")
    parser.add_argument("--rows", type=int, default=3000, help="rows per file (default 3000)")
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)), help="folder to write to")
    args = parser.parse_args()
    for seed, (name, make) in enumerate([("attrition", attrition), ("duration", duration),
                                          ("performance", performance), ("risk", risk)]):
        write(os.path.join(args.out, f"{name}.csv"), make(random.Random(1000 + seed), args.rows))


if __name__ == "__main__":
    main()
