"""The findings: every claim of the report that depends on the results, decided here.

A finding is a named, tested statement about ``results.json``: whether it
holds, the numbers it rests on, the test that decided it, the threshold and
why that threshold. The discussion templates choose their sentences by
findings (``{% if findings.run.error_still_falling.holds %}``) and print
their evidence (``{{ findings.run.error_still_falling.recent_fall | num }}``);
they hold no thresholds of their own. Add a finding here, with its test in
tests/report/test_findings.py, before writing a sentence that needs one.

One statistical standard for the whole report (``standard``): a difference
between configurations is called one only when the paired Wilcoxon
signed-rank test of the study (report.experiments) finds it at the 5% level
after Holm's correction for every comparison the text makes; otherwise the
text says the data cannot tell them apart.
"""

import copy
import math
from dataclasses import dataclass, field

from report.numbers import number_text

ALPHA = 0.05
ROUGH_INTERVAL_REPEATS = 10  # below this, the percentile bootstrap's 95% intervals are called rough
ALPHA_WHY = "the conventional 5% level, after Holm's correction so that it holds for all comparisons together"


@dataclass(frozen=True)
class Finding:
    """One claim: ``holds``, and the evidence a sentence may print (``finding.NAME`` reads ``evidence``)."""

    name: str
    holds: bool
    claim: str
    test: str = ""
    threshold: str = ""
    why: str = ""
    evidence: dict = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "holds", bool(self.holds))  # numpy booleans read as plain ones

    def __getattr__(self, key):  # only for names that are not fields: the evidence
        try:
            return self.__dict__["evidence"][key]
        except KeyError:
            raise AttributeError(f"finding {self.__dict__['name']!r} has no evidence {key!r}") from None


# --- language helpers (Python, so that they are tested) --------------------------


def join_words(words):
    """['a'] -> 'a'; ['a', 'b'] -> 'a and b'; ['a', 'b', 'c'] -> 'a, b and c'."""
    words = [str(w) for w in words]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def plural(n, word, many=None):
    """'1 hidden unit', '2 hidden units'."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def points_phrase(difference, reference="", higher="higher", lower="lower"):
    """A signed difference of fractions in percentage points: -0.017 -> '1.7 points lower than REFERENCE'."""
    size = round(100 * abs(difference), 1)
    than = f" than {reference}" if reference else ""
    if size == 0:
        return f"the same as {reference} to 0.1 points" if reference else "the same to 0.1 points"
    return f"{size:.1f} point{'' if size == 1 else 's'} {higher if difference > 0 else lower}{than}"


def value_text(value):
    """A setting's value in a phrase ('η = 0.1 and 1000')."""
    return number_text(value)


# --- the statistical standard -------------------------------------------------------


def holm(p_values):
    """Holm's step-down adjusted p-values (None stays None): same order as given."""
    tested = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    m = len(tested)
    adjusted = [None] * len(p_values)
    running = 0.0
    for rank, (p, i) in enumerate(tested):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[i] = running
    return adjusted


class Family:
    """Every comparison the text makes, Holm-corrected together."""

    def __init__(self):
        self.comparisons = []

    def add(self, comparison):
        self.comparisons.append(comparison)
        return len(self.comparisons) - 1

    def decide(self):
        adjusted = holm([c["p_value"] for c in self.comparisons])
        self.adjusted = adjusted
        return adjusted

    def verdict(self, index):
        """+1 (a significantly above b), -1 (below), 0 (cannot tell)."""
        c, p = self.comparisons[index], self.adjusted[index]
        if p is None or p >= ALPHA or c["signed_rank_sum"] == 0 or c["mean_difference"] == 0:
            return 0
        direction = 1 if c["signed_rank_sum"] > 0 else -1
        # the test's direction and the mean's agree, or no direction is claimed
        return direction if (c["mean_difference"] > 0) == (direction > 0) else 0


def _finite(values):
    return [v for v in values if v is not None and math.isfinite(v)]


# --- Section 2.3 ----------------------------------------------------------------------


def confusion_findings(run):
    matrix, names = run["confusion_matrix"], run["class_names"]
    confusions = [
        {"true": names[i], "predicted": names[j], "count": matrix[i][j]}
        for i in range(len(matrix))
        for j in range(len(matrix))
        if i != j and matrix[i][j]
    ]
    correct = sum(matrix[i][i] for i in range(len(matrix)))
    wrong = sum(map(sum, matrix)) - correct
    phrase = join_words(
        f"{plural(c['count'], c['true'] + ' flower')} predicted as {c['predicted']}" for c in confusions
    )
    missed = [
        {
            "name": names[i],
            "correct": matrix[i][i],
            "total": sum(matrix[i]),
            "recall": matrix[i][i] / sum(matrix[i]),
        }
        for i in range(len(matrix))
        if sum(matrix[i]) and matrix[i][i] < sum(matrix[i])
    ]
    pairs = {frozenset((c["true"], c["predicted"])) for c in confusions}
    overlap = frozenset(("versicolor", "virginica"))
    evidence = {
        "correct": correct,
        "wrong": wrong,
        "test_size": sum(map(sum, matrix)),
        "confusions": confusions,
        "phrase": phrase,
        "missed": missed,
        "be": "is" if wrong == 1 else "are",
        "setosa_errors": sum(c["count"] for c in confusions if "setosa" in (c["true"], c["predicted"])),
    }
    return {
        "all_correct": Finding(
            "run.all_correct", wrong == 0, "every test point is classified correctly", "count of the "
            "confusion matrix's off-diagonal", "none", "a count, no threshold needed", evidence,
        ),
        "errors_only_versicolor_virginica": Finding(
            "run.errors_only_versicolor_virginica",
            wrong > 0 and pairs == {overlap},
            "every test error is a versicolor flower taken for virginica or the reverse",
            "the class pairs of the off-diagonal cells", "", "the two species that overlap in Iris", evidence,
        ),
    }  # fmt: skip


def error_findings(run):
    """Findings on E_total: the error before each update, E_total[-1] before the last one."""
    E = run["E_total"]
    T = len(E)
    bad = [i for i, v in enumerate(E) if v is None or not math.isfinite(v)]
    diverged = Finding(
        "run.error_diverged",
        bool(bad),
        "E_total became infinite or undefined (an output reached exactly 0 or 1)",
        "a non-finite value in E_total",
        "",
        "log(0) is infinite",
        {"at": bad[0] + 1 if bad else None},
    )
    good = E[: bad[0]] if bad else E
    if not good:
        good = [math.nan]
    first, last = good[0], good[-1]
    low = min(good)
    low_at = good.index(low) + 1
    peak = max(good)
    steps = list(zip(good, good[1:], strict=False))
    rises = sum(1 for a, b in steps if b > a)
    total_fall = first - low
    window = max(1, math.ceil(0.1 * len(good)))
    recent_fall = good[-1 - window] - last if len(good) > window else 0.0
    half = first - total_fall / 2
    half_at = next((i + 1 for i, v in enumerate(good) if v <= half), None) if total_fall > 0 else None
    # a change of less than 0.1% of the start: invisible on the figure, and below the three decimals
    # printed for a cross-entropy near 1 to 3; shares of such a fall would describe noise
    barely = len(good) > 1 and math.isfinite(first) and abs(first - last) < 0.001 * abs(first)
    evidence = {
        "first": first, "last": last, "ratio": last / first if first else math.nan, "iterations": T,
        "finite_iterations": len(good), "min": low, "min_at": low_at, "peak": peak,
        "peak_at": good.index(peak) + 1, "rises": rises, "total_fall": total_fall, "window": window,
        "recent_fall": recent_fall, "recent_share": recent_fall / total_fall if total_fall > 0 else 0.0,
        "half_at": half_at, "change": last - first,
    }  # fmt: skip
    return {
        "error_diverged": diverged,
        "error_barely_moves": Finding(
            "run.error_barely_moves", barely, "E_total changes by less than 0.1% of its start over the run",
            "|E[-1] - E[0]| / E[0]", "< 0.001", "invisible on the figure and below the printed decimals",
            evidence),
        "error_fell": Finding("run.error_fell", last < first, "E_total ends below its start", "E[-1] < E[0]",
                              "", "", evidence),
        "error_decreases_every_step": Finding(
            "run.error_decreases_every_step", bool(steps) and all(b < a for a, b in steps),
            "E_total falls at every iteration", "every E[i+1] < E[i]", "", "", evidence),
        "error_peak_above_start": Finding(
            "run.error_peak_above_start", peak > first, "E_total rises above its start at some point",
            "max(E) > E[0]", "", "", evidence),
        "error_ends_at_minimum": Finding(
            "run.error_ends_at_minimum", last <= low, "the last value of E_total is its lowest",
            "E[-1] <= min(E)", "", "", evidence),
        "error_still_falling": Finding(
            "run.error_still_falling", not barely and total_fall > 0 and recent_fall > 0.01 * total_fall,
            "E_total is still falling at the end", "fall over the last 10% of the iterations",
            "more than 1% of its total fall", "less than 1% of the total fall is invisible on the figure's "
            "linear scale; more is a visible slope", evidence),
        "error_levelled_off": Finding(
            "run.error_levelled_off", not barely and total_fall > 0 and abs(recent_fall) <= 0.01 * total_fall,
            "E_total has levelled off at the end", "change over the last 10% of the iterations",
            "at most 1% of its total fall", "as for error_still_falling", evidence),
        "error_rising_at_end": Finding(
            "run.error_rising_at_end", not barely and total_fall > 0 and recent_fall < -0.01 * total_fall,
            "E_total rises over the last 10% of the iterations", "change over the last 10% of the iterations",
            "a rise of more than 1% of its total fall", "as for error_still_falling", evidence),
        "error_fast_start": Finding(
            "run.error_fast_start", not barely and half_at is not None and half_at <= 0.25 * len(good),
            "E_total falls fastest at the start", "iteration by which half of the total fall is done",
            "within the first quarter of the iterations",
            "a curve falling at a constant rate would take half of them: a quarter means at least twice as "
            "fast early on as on average", evidence),
    }  # fmt: skip


def misclassification_findings(run):
    miss = run["misclassification_rate"]
    # the engine's test curve is undefined (null) after a network diverged: only its defined part
    test = [v for v in run["test_misclassification_rate"] if v is not None] or [math.nan]
    last = miss[-1]
    test_min = min(test)
    # rates are multiples of one training point: "the same level" is within half a point of it
    half_point = 0.5 / run["train_size"]
    evidence = {
        "first": miss[0], "last": last,
        "last_reached": next(i + 1 for i, v in enumerate(miss) if abs(v - last) < half_point),
        "rises": sum(1 for a, b in zip(miss, miss[1:], strict=False) if b > a),
        "test_first": test[0], "test_last": test[-1], "test_min": test_min,
        "test_min_at": test.index(test_min) + 1, "test_defined": len(test),
        "test_points_above_min": (
            round((test[-1] - test_min) * run["test_size"]) if math.isfinite(test_min) else 0),
        # the training rate at the iteration where the test rate was lowest
        # (both curves come from the same iterations; guarded for curves of other lengths)
        "train_at_test_min": (
            miss[test.index(test_min)] if math.isfinite(test_min) and test.index(test_min) < len(miss)
            else math.nan),
        "step": 1 / run["train_size"], "test_step": 1 / run["test_size"],
    }  # fmt: skip
    return {
        "one_iteration": Finding("run.one_iteration", len(miss) == 1,
                                 "train_nn ran a single iteration: every curve has one value",
                                 "length of misclassification_rate", "1", "a count", evidence),
        "train_miss_rises": Finding("run.train_miss_rises", evidence["rises"] > 0,
                                    "the training misclassification rate goes up at some iteration",
                                    "any miss[i+1] > miss[i]", "", "", evidence),
        "test_curve_stops": Finding(
            "run.test_curve_stops", len(test) < len(run["test_misclassification_rate"]),
            "the test curve is undefined after the network diverged", "null values in the test curve", "", "",
            evidence),
        "test_miss_ends_above_min": Finding(
            "run.test_miss_ends_above_min", test[-1] > test_min,
            "the test error ends above its lowest value", "test[-1] > min(test)", "", "", evidence),
        "test_rise_with_training": Finding(
            "run.test_rise_with_training", test[-1] > test_min and last > evidence["train_at_test_min"],
            "the training error rose too since the test error's lowest point, so the rise is not overfitting",
            "miss[-1] > miss[i] where test[i] is the lowest test rate", "",
            "overfitting is the test error rising while the training error keeps falling", evidence),
    }  # fmt: skip


def run_vs_repeats(run, configuration):
    values = configuration["test"]["values"]
    accuracy = run["accuracy"]
    evidence = {
        "n": len(values),
        "std": configuration["test"]["std"],
        "lower": sum(1 for v in values if v < accuracy),
        "same": sum(1 for v in values if v == accuracy),
        "higher": sum(1 for v in values if v > accuracy),
        "min": min(values) if values else None,
        "max": max(values) if values else None,
        "stats": configuration["test"],
        "iterations": configuration["iterations"],
    }
    why = "one run is one draw from the distribution the repeats sample; its place among them is a fact"
    return {
        "repeats_trained": Finding(
            "run.repeats_trained", len(values) >= 2, "two repeats of the run's configuration trained",
            "count of repeats that did not diverge", "2", "a mean and a spread need two values", evidence),
        "below_every_repeat": Finding(
            "run.below_every_repeat", bool(values) and accuracy < min(values),
            "the run's test accuracy is below that of every repeat of its configuration",
            "rank among the repeats", "", why, evidence),
        "above_every_repeat": Finding(
            "run.above_every_repeat", bool(values) and accuracy > max(values),
            "the run's test accuracy is above that of every repeat of its configuration",
            "rank among the repeats", "", why, evidence),
    }  # fmt: skip


# --- the study ---------------------------------------------------------------------------


def factor_findings(name, points, family, word):
    """Best value, its ties, and which values are worse, for one factor's curve."""
    indices = [family.add(p["vs_best"]) if not p["best"] else None for p in points]
    return {"name": name, "points": points, "indices": indices, "word": word}


def _settle_factor(raw, family):
    points, indices, name = raw["points"], raw["indices"], raw["name"]
    best = next(p for p in points if p["best"])
    verdicts = [0 if i is None else family.verdict(i) for i in indices]
    usable = [p["test"]["n"] > 0 for p in points]
    ties = [p["value"] for p, v, ok in zip(points, verdicts, usable, strict=True) if v == 0 and ok]
    worse = [p["value"] for p, v in zip(points, verdicts, strict=True) if v < 0]
    better = [p["value"] for p, v in zip(points, verdicts, strict=True) if v > 0]
    others = [value_text(v) for v in ties if v != best["value"]]
    p_adjusted = [None if i is None else family.adjusted[i] for i in indices]
    for point, verdict, p in zip(points, verdicts, p_adjusted, strict=True):
        point["verdict"], point["p_holm"] = verdict, p
    evidence = {
        "best_value": best["value"], "best": best["test"], "ties": ties, "tie_count": len(ties),
        "other_ties": others, "other_ties_phrase": join_words(others), "worse": worse,
        "worse_phrase": join_words(value_text(v) for v in worse), "better": better,
        "first": points[0], "last": points[-1], "points": points,
        "spread": max(p["test"]["mean"] for p, ok in zip(points, usable, strict=True) if ok)
        - min(p["test"]["mean"] for p, ok in zip(points, usable, strict=True) if ok),
        "added": [p["value"] for p in points if p["added"]],
    }  # fmt: skip
    test = "paired Wilcoxon signed-rank test of each value against the best, Holm-corrected"
    result = {
        "summary": Finding(f"study.{name}.summary", True, f"the best {raw['word']} and its ties", test,
                           f"p < {ALPHA} after Holm", ALPHA_WHY, evidence),
        "matters": Finding(f"study.{name}.matters", bool(worse),
                           f"some {raw['word']} is worse than the best", test, f"p < {ALPHA} after Holm",
                           ALPHA_WHY, evidence),
        "best_tied": Finding(f"study.{name}.best_tied", bool(others),
                             f"other values of the {raw['word']} cannot be told apart from the best", test,
                             f"p < {ALPHA} after Holm", ALPHA_WHY, evidence),
        "first_worse": Finding(f"study.{name}.first_worse", points[0]["value"] in worse,
                               f"the smallest {raw['word']} is worse than the best", test,
                               f"p < {ALPHA} after Holm", ALPHA_WHY, evidence),
        "last_worse": Finding(f"study.{name}.last_worse", points[-1]["value"] in worse,
                              f"the largest {raw['word']} is worse than the best", test,
                              f"p < {ALPHA} after Holm", ALPHA_WHY, evidence),
        "single": Finding(f"study.{name}.single", len(points) == 1,
                          f"only one value of the {raw['word']} was tried: nothing to compare",
                          "number of values", "1", "a comparison needs two values", evidence),
        "added": Finding(f"study.{name}.added", bool(evidence["added"]),
                         f"the run's {raw['word']} was added to the study's values", "", "", "", evidence),
    }  # fmt: skip
    return result, verdicts


def hidden_enough(points, verdicts):
    """The smallest size from which on no size differs from the best (None if the largest is worse)."""
    enough = None
    for point, verdict in zip(reversed(points), reversed(verdicts), strict=True):
        if verdict != 0 or point["test"]["n"] == 0:
            break
        enough = point
    return enough


def study_findings(study, run, family):
    raw = {
        "hidden": factor_findings("hidden", study["hidden_size"], family, "hidden size"),
        "rate": factor_findings("rate", study["learning_rate"], family, "learning rate"),
        "scale": factor_findings("scale", study["weight_scale"], family, "weight scale"),
    }
    grid = study["grid"]
    cells = [cell for row in grid["test"] for cell in row]
    grid_indices = [None if cell["best"] else family.add(cell["vs_best"]) for cell in cells]
    configuration = study["run_configuration"]
    gap_index = family.add(configuration["gap"])
    family.decide()

    found = {}
    verdicts = {}
    for key, value in raw.items():
        found[key], verdicts[key] = _settle_factor(value, family)
    hidden_points = study["hidden_size"]
    enough = hidden_enough(hidden_points, verdicts["hidden"])
    largest = hidden_points[-1]["value"]
    k = hidden_points.index(enough) if enough is not None else None
    # "from M = X on" says something only when the size just below X is detectably worse: when every
    # size ties with the best (too few repeats, or a flat curve) X is merely the smallest size tried
    below_worse = k is not None and k > 0 and verdicts["hidden"][k - 1] < 0
    hidden_evidence = {
        "value": enough["value"] if enough else None, "stats": enough["test"] if enough else None,
        "is_largest": enough is not None and enough["value"] == largest, "largest": largest,
        "largest_is_best": hidden_points[-1]["best"],
        "below": hidden_points[k - 1]["value"] if below_worse else None,
        "all_tied": k == 0, "largest_diverged": hidden_points[-1]["test"]["n"] == 0,
    }  # fmt: skip
    found["hidden"]["enough"] = Finding(
        "study.hidden.enough", below_worse,
        "from some size on, no larger size tested can be told apart from the best, and the size just below "
        "is worse", "paired tests of every size against the best, Holm-corrected", f"p < {ALPHA} after Holm",
        ALPHA_WHY, hidden_evidence,
    )  # fmt: skip
    found["hidden"]["largest_not_tied"] = Finding(
        "study.hidden.largest_not_tied",
        enough is None,
        "the largest size tested is worse than the best, or every network of it diverged",
        "paired test of the largest size against the best, Holm-corrected",
        f"p < {ALPHA} after Holm",
        ALPHA_WHY,
        hidden_evidence,
    )
    scale = found["scale"]["summary"]
    course = next(p for p in study["weight_scale"] if p["value"] == 1.0)
    found["scale"]["course_is_best"] = Finding(
        "study.scale.course_is_best",
        scale.best_value == 1.0,
        "the course's scale 1 has the highest mean",
        "highest mean",
        "",
        "",
        {"course": course},
    )
    found["scale"]["course_worse"] = Finding(
        "study.scale.course_worse",
        course.get("verdict", 0) < 0,
        "the course's scale 1 is worse than the best scale",
        "paired Wilcoxon, Holm",
        f"p < {ALPHA}",
        ALPHA_WHY,
        {"course": course, "course_trained": course["test"]["n"] > 0},
    )

    grid_verdicts = [0 if i is None else family.verdict(i) for i in grid_indices]
    rates = grid["learning_rates"]
    last_column = [v for k, v in enumerate(grid_verdicts) if k % len(rates) == len(rates) - 1]
    usable = [cell["n"] > 0 for cell in cells]
    grid_ties = sum(1 for v, ok in zip(grid_verdicts, usable, strict=True) if v == 0 and ok)
    grid_worse = sum(1 for v in grid_verdicts if v < 0)
    best_cell = next(cell for cell in cells if cell["best"])
    M0, eta0 = run["hidden_size"], run["learning_rate"]
    k0 = grid["hidden_sizes"].index(M0) * len(rates) + rates.index(eta0)
    grid_evidence = {
        "cells": len(cells), "ties": grid_ties, "best": grid["best"], "best_stats": best_cell,
        "ties_phrase": grid_ties_phrase(len(cells) - 1, grid_ties - 1, grid_worse),
        "same_iterations": study["iterations"] == run["iterations"],
        "run_cell": cells[k0], "run_cell_trained": cells[k0]["n"] > 0, "run_is_best": cells[k0]["best"],
        "run_vs_best": cells[k0]["vs_best"],
        "pairs_incomplete": cells[k0]["vs_best"]["n"] < len(cells[k0]["by_repeat"]),
        "run_phrase": points_phrase(cells[k0]["vs_best"]["mean_difference"], "the best"),
        "run_p_holm": None if grid_indices[k0] is None else family.adjusted[grid_indices[k0]],
        "largest_rate": rates[-1],
        "diverged": sum(cell["diverged"] for cell in cells),
    }  # fmt: skip
    test = "paired Wilcoxon signed-rank test of each combination against the best, Holm-corrected"
    found["grid"] = {
        "summary": Finding("study.grid.summary", best_cell["n"] > 0, "the best combination, its ties", test,
                           f"p < {ALPHA} after Holm", ALPHA_WHY, grid_evidence),
        "run_worse": Finding("study.grid.run_worse", grid_verdicts[k0] < 0,
                             "the run's configuration is worse than the best combination", test,
                             f"p < {ALPHA} after Holm", ALPHA_WHY, grid_evidence),
        "some_worse": Finding(
            "study.grid.some_worse", any(v < 0 for v in grid_verdicts),
            "some combination of hidden size and learning rate is worse than the best combination", test,
            f"p < {ALPHA} after Holm", ALPHA_WHY, grid_evidence),
        "largest_rate_fails": Finding(
            "study.grid.largest_rate_fails", len(rates) > 1 and all(v < 0 for v in last_column),
            "the largest learning rate is worse than the best combination at every hidden size", test,
            f"p < {ALPHA} after Holm", ALPHA_WHY, grid_evidence),
    }  # fmt: skip
    gap = configuration["gap"]
    gap_verdict = family.verdict(gap_index)
    gap_evidence = {
        "mean": gap["mean_difference"], "p": gap["p_value"], "p_holm": family.adjusted[gap_index],
        "n": gap["n"],
        "phrase": points_phrase(gap["mean_difference"], "on the test points"), "configuration": configuration,
        "run_gap": run["train_accuracy"] - run["accuracy"],
        "run_phrase": points_phrase(run["train_accuracy"] - run["accuracy"], "on the test points"),
    }  # fmt: skip
    gap_test = "paired Wilcoxon signed-rank test of training against test accuracy over the repeats, Holm"
    found["gap"] = {
        "train_above_test": Finding("study.gap.train_above_test", gap_verdict > 0,
                                    "training accuracy exceeds test accuracy over the repeats", gap_test,
                                    f"p < {ALPHA} after Holm", ALPHA_WHY, gap_evidence),
        "test_above_train": Finding("study.gap.test_above_train", gap_verdict < 0,
                                    "test accuracy exceeds training accuracy over the repeats", gap_test,
                                    f"p < {ALPHA} after Holm", ALPHA_WHY, gap_evidence),
    }  # fmt: skip
    found["run_trained_apart"] = Finding(
        "study.run_trained_apart",
        study["iterations"] != run["iterations"],
        "the run's configuration was trained on the study's repeats for the run's own iteration count, "
        "apart from the study's configurations",
        "iterations of the run and of the study",
        "",
        "",
        {"iterations": run["iterations"], "study_iterations": study["iterations"]},
    )
    found["diverged"] = Finding(
        "study.diverged",
        study_diverged(study) > 0,
        "some networks of the study diverged",
        "a non-finite error during training",
        "",
        "",
        {"count": study_diverged(study)},
    )
    names = {"hidden": "hidden size", "rate": "learning rate", "scale": "scale of the initial weights"}
    matter = [names[key] for key in ("hidden", "rate", "scale") if found[key]["matters"].holds]
    single = [names[key] for key in ("hidden", "rate", "scale") if found[key]["single"].holds]
    # the settings with two values or more that the data cannot tell apart; one value compares nothing
    others = [n for n in names.values() if n not in matter and n not in single]
    found["settings_matter"] = Finding(
        "study.settings_matter", bool(matter), "some settings change the mean test accuracy detectably",
        "some value of the setting is worse than its best (paired Wilcoxon, Holm)", f"p < {ALPHA} after Holm",
        ALPHA_WHY, {"names": matter, "phrase": join_words(matter), "count": len(matter),
                    "others": join_words(others), "other_count": len(others),
                    "single": join_words(single), "single_count": len(single),
                    "single_phrase": join_words(f"one {n}" for n in single)},
    )  # fmt: skip
    for key in ("hidden", "rate", "scale"):
        trained = [p for p in raw[key]["points"] if p["test"]["n"] > 0]
        found[key]["trained"] = Finding(
            f"study.{key}.trained",
            bool(trained),
            "some value of the setting trained without diverging",
            "",
            "",
            "",
            {"count": len(trained)},
        )
    return found


def grid_ties_phrase(others, tied, worse):
    """How the best combination stands against the ``others``: ``tied`` of them cannot be told apart
    from it, ``worse`` are detectably worse, the rest diverged in every repeat."""
    if others == 0:
        return "it is the only combination tested"
    if tied == others:
        if others == 1:
            return "the data cannot tell it apart from the other combination"
        return f"the data cannot tell it apart from any of the other {others} combinations"
    if worse == others:
        if others == 1:
            return "the other combination is worse"
        return f"each of the other {others} combinations is worse"
    if tied == 0:
        return (
            f"{worse} of the other {others} combinations {'is' if worse == 1 else 'are'} worse and the "
            f"rest diverged in every repeat"
        )
    return f"the data cannot tell it apart from {tied} of the other {others} combinations"


def study_diverged(study):
    """Networks of the study that diverged, each counted once (the grid holds the curves but the scales)."""
    grid = sum(cell["diverged"] for row in study["grid"]["test"] for cell in row)
    scales = sum(p["test"]["diverged"] for p in study["weight_scale"] if p["value"] != 1.0)
    return grid + scales


def smallest_signed_rank_p(n):
    """The smallest two-sided p-value scipy's signed-rank test (as report.experiments runs it) can give
    for ``n`` >= 1 pairs: every difference of one sign, either all different or all equal.

    All different: the exact distribution, 2 / 2^n. All equal (every rank tied): up to 13 pairs
    scipy runs an exact permutation test, 2 / 2^n again; above, the tie-corrected normal
    approximation. Written out rather than asked of scipy, whose import alone costs the HTML step
    about 2 s; tests/report/test_findings.py checks it against scipy.
    """
    exact = 2 / 2**n
    if n <= 13:
        return exact
    # n equal differences: rank sums n(n+1)/2 and 0 about the mean n(n+1)/4, with the
    # variance n(n+1)(2n+1)/24 less the correction for one group of n ties, (n^3 - n)/48
    mean = n * (n + 1) / 4
    spread = math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - (n**3 - n) / 48)
    return min(exact, math.erfc(mean / spread / math.sqrt(2)))


def derive(results):
    """Every finding of the report, from the parsed results.json (left unchanged)."""
    results = copy.deepcopy(results)
    run, study = results["run"], results["study"]
    family = Family()
    study_found = study_findings(study, run, family)
    found_run = {
        **confusion_findings(run),
        **error_findings(run),
        **misclassification_findings(run),
        **run_vs_repeats(run, study["run_configuration"]),
    }
    tested = sum(1 for c in family.comparisons if c["p_value"] is not None)
    pairs = max((c["n"] for c in family.comparisons), default=0)
    smallest = smallest_signed_rank_p(pairs) if pairs else 1.0
    study_found["too_few_repeats"] = Finding(
        "study.too_few_repeats",
        tested > 0 and smallest * tested >= ALPHA,
        "no comparison can reach the 5% level after Holm's correction with this many repeats",
        "the smallest two-sided p-value the signed-rank test can give times the comparisons",
        f"{ALPHA}",
        "Holm's first step compares the smallest p-value with 5% divided by the comparisons",
        {
            "repeats": pairs,
            "smallest_p": smallest,
            "comparisons": tested,
            "left_out": pairs < study["repeats"],
        },
    )
    study_found["rough_intervals"] = Finding(
        "study.rough_intervals",
        study["repeats"] < ROUGH_INTERVAL_REPEATS,
        "the study's bootstrap intervals rest on so few repeats that they are likely narrower than 95%",
        "number of repeats",
        f"fewer than {ROUGH_INTERVAL_REPEATS}",
        "a percentile bootstrap resamples only the values observed: with n of them its interval for a "
        "mean is about sqrt((n - 1) / n) times a normal one and ignores the t-distribution's wider tails, "
        "so it covers noticeably less than 95% for small n (with 2 values it is about their range)",
        {"repeats": study["repeats"], "threshold": ROUGH_INTERVAL_REPEATS},
    )
    gradient = results["verification"]["gradient_check"]
    errors = [e for row in gradient for e in (row["dE1_relative_error"], row["dE2_relative_error"])]
    examples = results["verification"]["handout_examples"]
    return {
        "run": found_run,
        "study": study_found,
        "standard": {
            "alpha": ALPHA,
            "comparisons": sum(1 for c in family.comparisons if c["p_value"] is not None),
            "resamples": study["standard"]["bootstrap_resamples"],
            "confidence": study["standard"]["confidence"],
        },
        "verification": {
            "examples_ok": all(row["ok"] for row in examples),
            "examples": len(examples),
            "gradient_max_error": max(errors),
        },
    }


def all_findings(found):
    """Every Finding in ``found`` (as derive returns it), for listing and tests."""
    if isinstance(found, Finding):
        return [found]
    if isinstance(found, dict):
        return [f for value in found.values() for f in all_findings(value)]
    return []
