"""Facts the discussion states, derived from ``results.json`` by code, not by hand.

The templates place these values and choose their sentences by them (for
instance ``{% if facts.study.comparison_significant %}``), so that words and
results cannot disagree. Plain Python: the HTML step stays quick.
"""


def _argmax(values):
    best = max(v for v in values if v is not None)
    return values.index(best)


def _first_at_or_below(curve, level):
    """1-based iteration where ``curve`` first reaches ``level`` or less, or None."""
    for i, value in enumerate(curve):
        if value is not None and value <= level + 1e-12:
            return i + 1
    return None


def run_facts(run):
    E = run["E_total"]
    miss = run["misclassification_rate"]
    test_miss = run["test_misclassification_rate"]
    matrix = run["confusion_matrix"]
    names = run["class_names"]
    confusions = [
        {"true": names[i], "predicted": names[j], "count": matrix[i][j]}
        for i in range(len(matrix))
        for j in range(len(matrix))
        if i != j and matrix[i][j]
    ]
    rises = sum(1 for a, b in zip(E, E[1:], strict=False) if b > a)
    per_class = [
        {"name": names[i], "correct": matrix[i][i], "total": sum(matrix[i]),
         "recall": matrix[i][i] / sum(matrix[i]) if sum(matrix[i]) else None}
        for i in range(len(matrix))
    ]  # fmt: skip
    return {
        "correct": sum(matrix[i][i] for i in range(len(matrix))),
        "wrong": run["test_size"] - sum(matrix[i][i] for i in range(len(matrix))),
        "confusions": confusions,
        "per_class": per_class,
        "E_first": E[0],
        "E_last": E[-1],
        "E_ratio": E[-1] / E[0],
        "E_rises": rises,
        "E_monotone": rises == 0,
        "miss_first": miss[0],
        "miss_last": miss[-1],
        "miss_min": min(miss),
        "miss_last_reached": _first_at_or_below(miss, miss[-1]),
        "test_miss_last": test_miss[-1],
        "test_miss_min": min(test_miss),
        "test_miss_min_at": test_miss.index(min(test_miss)) + 1,
        "gap": run["train_accuracy"] - run["accuracy"],
    }


def factor_facts(points):
    means = [p["test"]["mean"] for p in points]
    best = _argmax(means)
    worst = means.index(min(m for m in means if m is not None))
    return {
        "best_value": points[best]["value"],
        "best": points[best]["test"],
        "worst_value": points[worst]["value"],
        "worst": points[worst]["test"],
        "first": points[0],
        "last": points[-1],
        "diverged": sum(p["test"]["diverged"] for p in points),
        "spread": max(m for m in means if m is not None) - min(m for m in means if m is not None),
    }


def _point(points, value):
    return next((p for p in points if p["value"] == value), None)


def study_facts(study, run):
    hidden = factor_facts(study["hidden_size"])
    rate = factor_facts(study["learning_rate"])
    scale = factor_facts(study["weight_scale"])
    # the smallest hidden layer whose mean test accuracy is within one point of the best
    best_mean = hidden["best"]["mean"]
    enough = next(p for p in study["hidden_size"] if p["test"]["mean"] >= best_mean - 0.01)
    comparison = study["comparison"]
    grid = study["grid"]
    cells = [
        (cell["mean"], M, eta)
        for M, row in zip(grid["hidden_sizes"], grid["test"], strict=True)
        for eta, cell in zip(grid["learning_rates"], row, strict=True)
        if cell["mean"] is not None
    ]
    good = [c for c in cells if c[0] >= max(cells)[0] - 0.01]
    p = comparison["p_value"]
    # the factors by how much they move the mean test accuracy over the values studied
    names = {"rate": "learning rate", "hidden": "hidden size", "scale": "scale of the initial weights"}
    spreads = {"hidden": hidden["spread"], "rate": rate["spread"], "scale": scale["spread"]}
    ranking = sorted(spreads, key=lambda name: -spreads[name])
    last_rate = [row[-1]["mean"] for row in grid["test"] if row[-1]["mean"] is not None]
    first_rate = [row[0]["mean"] for row in grid["test"] if row[0]["mean"] is not None]
    grid_max = max(cells)[0]
    return {
        "ranking": ranking,
        "ranking_names": [names[name] for name in ranking],
        "largest_rate_fails": bool(last_rate) and max(last_rate) < grid_max - 0.1,
        "smallest_rate_needs_size": bool(first_rate) and first_rate[-1] > first_rate[0] + 0.1,
        "hidden": hidden,
        "rate": rate,
        "scale": scale,
        "hidden_enough": enough["value"],
        "hidden_enough_stats": enough["test"],
        "default_hidden": _point(study["hidden_size"], run["hidden_size"]),
        "default_rate": _point(study["learning_rate"], run["learning_rate"]),
        "default_scale": _point(study["weight_scale"], 1.0),
        "grid_good_count": len(good),
        "grid_cells": len(cells),
        "grid_min": min(cells)[0],
        "grid_max": max(cells)[0],
        "diverged": sum(cell["diverged"] for row in grid["test"] for cell in row) + scale["diverged"],
        "comparison_significant": p is not None and p < 0.05,
    }


def derive(results):
    gradient = results["verification"]["gradient_check"]
    errors = [error for row in gradient for error in (row["dE1_relative_error"], row["dE2_relative_error"])]
    examples = results["verification"]["handout_examples"]
    return {
        "run": run_facts(results["run"]),
        "study": study_facts(results["study"], results["run"]),
        "verification": {
            "examples_ok": all(row["ok"] for row in examples),
            "examples": len(examples),
            "gradient_max_error": max(errors),
        },
    }
