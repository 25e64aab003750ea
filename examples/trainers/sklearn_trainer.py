#!/usr/bin/env python3
"""An external trainer for retrain, by its contract (README "External trainers").

retrain runs it without a shell, in the repository root, with:
  RETRAIN_SCHEDULE, RETRAIN_RUN_ID, RETRAIN_MODEL   who is training
  RETRAIN_DATA, RETRAIN_TARGET                      the CSV (relative to the repository root) and column to predict
  RETRAIN_PARAMS                                    a JSON file of the schedule's `params`
  RETRAIN_OUTPUT                                    a folder for the trained artifact
  RETRAIN_METRICS                                   where to write a JSON object of numeric metrics
  RETRAIN_SLOT                                      the slot the run is for (empty for a manual run)
  RETRAIN_CHAMPION                                  the champion's artifact folder, when there is one
  RETRAIN_PREVIOUS_DATA_SHA256                      the data the previous trained run read, when known
Exit 0 with a valid metrics file means trained; anything else is a failed run, and what this prints
goes to the run's log.txt.

With a champion, it scores the champion's model.json on the same holdout rows and reports those
metrics as the metrics file's "champion" object (or why it could not, as "champion_unscored"), so
the schedule's `champion.X` gates compare like with like.

It trains with scikit-learn when it is installed and with numpy otherwise: a logistic regression for a
target of two values, a softmax regression for a few more, least squares for a numeric target. Params:
validation_split (0.2), seed (42), l2 (1e-4), epochs (200, numpy only), learning_rate (0.1, numpy only).
"""
import csv
import json
import math
import os
import random
import sys


def need(name):
    value = os.environ.get(name)
    if not value:
        sys.exit(f"sklearn_trainer: ${name} is not set; this script is run by retrain, which sets it")
    return value


def load(path, target):
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        sys.exit(f"sklearn_trainer: data file {path} does not exist")
    if not rows:
        sys.exit(f"sklearn_trainer: {path} has no rows")
    if target not in rows[0]:
        sys.exit(f"sklearn_trainer: column '{target}' is not in {path} (columns: {', '.join(rows[0])})")
    return rows


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def features(rows, target):
    """Numeric columns standardised (missing → mean), text columns one-hot; fitted on all rows for brevity."""
    columns = [c for c in rows[0] if c != target]
    spec = []
    for c in columns:
        values = [r[c] for r in rows if r[c] != ""]
        if values and all(number(v) is not None for v in values):
            xs = [float(v) for v in values]
            mean = sum(xs) / len(xs)
            sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / len(xs)) or 1.0
            spec.append({"column": c, "kind": "numeric", "mean": mean, "sd": sd})
        else:
            spec.append({"column": c, "kind": "text", "values": sorted(set(values))})
    return encode(rows, spec), spec


def encode(rows, spec):
    """The rows as `spec` (fitted by `features`, or kept in a model.json) turns them into numbers."""
    matrix = []
    for r in rows:
        row = []
        for s in spec:
            v = r[s["column"]]
            if s["kind"] == "numeric":
                row.append(((float(v) if v != "" else s["mean"]) - s["mean"]) / s["sd"])
            else:
                row.extend(1.0 if v == value else 0.0 for value in s["values"])
        matrix.append(row)
    return matrix


def predict(model, rows, np):
    """A model.json's predictions for `rows`: numbers for a regression, else class probabilities."""
    X = np.array(encode(rows, model["features"]))
    coef, intercept = np.atleast_2d(np.array(model["weights"]["coef"])), np.array(model["weights"]["intercept"])
    z = X @ coef.T + intercept
    if model.get("classes") is None:
        return z[:, 0]
    if z.shape[1] == 1:  # a binary logistic regression: the positive class's score
        p = 1 / (1 + np.exp(-z[:, 0]))
        return np.stack([1 - p, p], axis=1)
    z -= z.max(axis=1, keepdims=True)
    return np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)


def score_champion(folder, rows, labels, numeric_target, np):
    """The champion's metrics on these holdout rows, or (None, why not)."""
    try:
        with open(os.path.join(folder, "model.json"), encoding="utf-8") as f:
            model = json.load(f)
    except (OSError, ValueError) as e:
        return None, f"cannot read its model.json: {e}"
    missing = [s["column"] for s in model.get("features", []) if s["column"] not in rows[0]]
    if missing:
        return None, f"its feature column '{missing[0]}' is not in the data"
    if numeric_target != (model.get("classes") is None):
        return None, "it predicts another kind of target"
    predicted = predict(model, rows, np)
    if numeric_target:
        return metrics_regression([float(v) for v in labels], [float(v) for v in predicted]), None
    unknown = sorted(set(labels) - set(model["classes"]))
    if unknown:
        return None, f"the data has the class '{unknown[0]}', which it was not trained on"
    return metrics_classification(labels, [list(map(float, p)) for p in predicted], model["classes"]), None


def metrics_classification(y_true, probabilities, classes):
    n = len(y_true)
    eps = 1e-15
    predicted = [classes[max(range(len(classes)), key=lambda k: p[k])] for p in probabilities]
    accuracy = sum(a == b for a, b in zip(y_true, predicted)) / n
    log_loss = -sum(math.log(min(max(p[classes.index(y)], eps), 1 - eps)) for y, p in zip(y_true, probabilities)) / n
    out = {"accuracy": accuracy, "log_loss": log_loss}
    if len(classes) == 2:
        positive = [p[1] for p in probabilities]
        pairs = sorted(zip(positive, [1 if y == classes[1] else 0 for y in y_true]))
        ranks, i = [0.0] * len(pairs), 0
        while i < len(pairs):  # average ranks over ties
            j = i
            while j + 1 < len(pairs) and pairs[j + 1][0] == pairs[i][0]:
                j += 1
            for k in range(i, j + 1):
                ranks[k] = (i + j) / 2 + 1
            i = j + 1
        pos = sum(label for _, label in pairs)
        neg = len(pairs) - pos
        if pos and neg:
            out["auc"] = (sum(r for r, (_, label) in zip(ranks, pairs) if label) - pos * (pos + 1) / 2) / (pos * neg)
    return out


def metrics_regression(y_true, y_pred):
    n = len(y_true)
    mean = sum(y_true) / n
    sse = sum((a - b) ** 2 for a, b in zip(y_true, y_pred))
    sst = sum((a - mean) ** 2 for a in y_true) or 1.0
    return {"rmse": math.sqrt(sse / n), "mae": sum(abs(a - b) for a, b in zip(y_true, y_pred)) / n, "r2": 1 - sse / sst}


def main():
    data, target = need("RETRAIN_DATA"), need("RETRAIN_TARGET")
    with open(need("RETRAIN_PARAMS"), encoding="utf-8") as f:
        params = json.load(f)
    output, metrics_path = need("RETRAIN_OUTPUT"), need("RETRAIN_METRICS")
    rows = load(data, target)
    labels = [r[target] for r in rows if r[target] != ""]
    rows = [r for r in rows if r[target] != ""]
    x, spec = features(rows, target)
    numeric_target = all(number(v) is not None for v in labels) and len(set(labels)) > 10
    rng = random.Random(int(params.get("seed", 42)))
    order = list(range(len(rows)))
    rng.shuffle(order)
    holdout = max(1, int(len(rows) * float(params.get("validation_split", 0.2))))
    test, train = order[:holdout], order[holdout:]
    l2 = float(params.get("l2", 1e-4))
    try:
        import numpy as np
    except ImportError:
        sys.exit("sklearn_trainer: needs numpy (or scikit-learn): pip install numpy")
    X, Xt = np.array([x[i] for i in train]), np.array([x[i] for i in test])
    try:
        import sklearn  # noqa: F401
        backend = "scikit-learn"
    except ImportError:
        backend = "numpy"
    print(f"sklearn_trainer: {len(train)} training rows, {len(test)} holdout rows, {X.shape[1]} features, {backend}")
    if numeric_target:
        y = np.array([float(labels[i]) for i in train])
        if backend == "scikit-learn":
            from sklearn.linear_model import Ridge
            model = Ridge(alpha=l2).fit(X, y)
            pred, weights = model.predict(Xt), {"coef": model.coef_.tolist(), "intercept": float(model.intercept_)}
        else:
            A = np.hstack([X, np.ones((len(X), 1))])
            w = np.linalg.solve(A.T @ A + l2 * np.eye(A.shape[1]), A.T @ y)
            pred, weights = np.hstack([Xt, np.ones((len(Xt), 1))]) @ w, {"coef": w[:-1].tolist(), "intercept": float(w[-1])}
        metrics = metrics_regression([float(labels[i]) for i in test], [float(p) for p in pred])
    else:
        classes = sorted(set(labels))
        y = np.array([classes.index(labels[i]) for i in train])
        if backend == "scikit-learn":
            from sklearn.linear_model import LogisticRegression
            model = LogisticRegression(C=1.0 / max(l2, 1e-12), max_iter=1000).fit(X, y)
            proba = model.predict_proba(Xt)
            weights = {"coef": model.coef_.tolist(), "intercept": model.intercept_.tolist()}
        else:
            W = np.zeros((X.shape[1], len(classes)))
            b = np.zeros(len(classes))
            onehot = np.eye(len(classes))[y]
            lr = float(params.get("learning_rate", 0.1))
            for _ in range(int(params.get("epochs", 200))):
                z = X @ W + b
                z -= z.max(axis=1, keepdims=True)
                p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
                W -= lr * (X.T @ (p - onehot) / len(X) + l2 * W)
                b -= lr * (p - onehot).mean(axis=0)
            z = Xt @ W + b
            z -= z.max(axis=1, keepdims=True)
            proba = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
            weights = {"coef": W.T.tolist(), "intercept": b.tolist()}
        metrics = metrics_classification([labels[i] for i in test], [list(map(float, p)) for p in proba], classes)
    os.makedirs(output, exist_ok=True)
    with open(os.path.join(output, "model.json"), "w", encoding="utf-8") as f:
        json.dump({"backend": backend, "target": target, "classes": None if numeric_target else classes, "features": spec, "weights": weights}, f)
    metrics["rows"] = float(len(rows))
    champion = os.environ.get("RETRAIN_CHAMPION")
    if champion:
        # Judged on the same holdout rows as the new model: what `champion.X` in a gate then means.
        scored, why = score_champion(champion, [rows[i] for i in test], [labels[i] for i in test], numeric_target, np)
        if scored is not None:
            metrics["champion"] = scored
            print("sklearn_trainer: champion on this holdout: " + ", ".join(f"{k}={v:.4f}" for k, v in sorted(scored.items())))
        else:
            metrics["champion_unscored"] = why
            print(f"sklearn_trainer: champion not scored: {why}")
    with open(metrics_path, "w", encoding="utf-8") as f:
        json.dump(metrics, f, sort_keys=True)
    print("sklearn_trainer: " + ", ".join(f"{k}={v:.4f}" for k, v in sorted(metrics.items()) if isinstance(v, float)))


if __name__ == "__main__":
    main()
