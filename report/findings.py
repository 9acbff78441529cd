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

from report.numbers import number_texts, percent, plural, points_phrase

ALPHA = 0.05
ROUGH_INTERVAL_REPEATS = 10  # below this, the percentile bootstrap's 95% intervals are called rough
FITS_TRAINING = 0.9  # training accuracy below which the network is not fitting its training set
ENGINE_CLOSE = (
    1e-6  # largest difference of weights or E_total between the engine and train_nn called "the same"
)
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
    """Every comparison the text makes, Holm-corrected together.

    A comparison is counted once however often the text makes it: ``key`` names the two
    configurations compared (all on the study's repeats), and comparisons with the same key are one
    test with one p-value. (With a study list of one value, the one-at-a-time comparisons and the
    grid's compare the same two configurations on the same repeats: counting them twice would make
    Holm's correction stricter than it says, and "all N comparisons" false.)
    """

    def __init__(self):
        self.comparisons = []
        self.keys = []

    def add(self, comparison, key=None):
        self.comparisons.append(comparison)
        self.keys.append(("alone", len(self.keys)) if key is None else key)
        return len(self.comparisons) - 1

    def distinct(self):
        """The first comparison of each key, in order: the tests that Holm's correction counts."""
        first = {}
        for i, key in enumerate(self.keys):
            first.setdefault(key, i)
        return list(first.values())

    def tested(self, leave_out=()):
        """How many distinct comparisons have a p-value (a pair of repeats), but those in ``leave_out``."""
        return sum(
            1 for i in self.distinct() if i not in leave_out and self.comparisons[i]["p_value"] is not None
        )

    def decide(self):
        distinct = self.distinct()
        once = dict(zip(distinct, holm([self.comparisons[i]["p_value"] for i in distinct]), strict=True))
        first = {self.keys[i]: i for i in distinct}
        self.adjusted = [once[first[key]] for key in self.keys]
        return self.adjusted

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


def _weights_finite(run):
    """The trained weights are finite numbers (results.json writes a non-finite number as null)."""
    return all(v is not None and math.isfinite(v) for W in (run["W1"], run["W2"]) for row in W for v in row)


def error_findings(run):
    """Findings on E_total: the error before each update, E_total[-1] before the last one.

    The graded E_total is +inf at an iteration where an output rounds to exactly 0 on its target class or
    to exactly 1 on another (ln 0), while the weights stay finite and training goes on: such iterations
    are left out of the curve's description, which uses the finite values over the whole run. The network
    *diverged* only when its weights are no longer finite numbers (as the study's engine counts it); then
    the error is undefined from some iteration on.
    """
    E = run["E_total"]
    T = len(E)
    finite_at = [i for i, v in enumerate(E) if v is not None and math.isfinite(v)]
    weights_ok = _weights_finite(run)
    # with non-finite weights, the error is undefined from the iteration after the last finite one on
    tail = T if weights_ok else (finite_at[-1] + 1 if finite_at else 0)
    infinite = [i for i in range(tail) if i not in set(finite_at)]
    weights_diverged = Finding(
        "run.weights_diverged", not weights_ok, "the trained weights are not finite numbers: it diverged",
        "a non-finite value in W1 or W2", "", "a network with non-finite weights computes nothing",
        {"undefined_from": tail + 1 if tail < T else None},
    )  # fmt: skip
    error_infinite = Finding(
        "run.error_infinite", bool(infinite),
        "E_total is infinite at some iterations (an output rounded to exactly 0 on its target class or to "
        "exactly 1 on another: ln 0), while the weights stay finite",
        "a non-finite value in E_total before the weights diverged, if they did", "", "ln 0 is infinite",
        {"count": len(infinite), "at": infinite[0] + 1 if infinite else None, "iterations": T,
         "finite_iterations": len(finite_at), "all": bool(T) and not finite_at},
    )  # fmt: skip
    good = [E[i] for i in finite_at] or [math.nan]
    iteration = [i + 1 for i in finite_at] or [None]
    first, last = good[0], good[-1]
    low, peak = min(good), max(good)
    low_at, peak_at = iteration[good.index(low)], iteration[good.index(peak)]
    # steps between consecutive iterations whose errors are both finite
    steps = [E[i + 1] - E[i] for i in finite_at if i + 1 < T and i + 1 in set(finite_at)]
    rises = sum(1 for d in steps if d > 0)
    # "the fall" is always the fall from the start to the lowest value: one definition for every share
    total_fall = first - low
    n = len(finite_at)
    window = max(1, math.ceil(0.1 * n))
    # the last `window` steps, when they and the last iteration are all finite: the end of the run
    recent = (
        E[T - 1 - window :]
        if T > window and finite_at[-window - 1 :] == list(range(T - 1 - window, T))
        else []
    )
    recent_steps = [b - a for a, b in zip(recent, recent[1:], strict=False)]
    recent_fall = recent[0] - recent[-1] if recent else 0.0
    recent_range = max(recent) - min(recent) if recent else 0.0
    # the curve's slope at the end, as a share of the fall per iteration (the mean step over the window), and
    # where it leads if the run went on as long again at that rate: ``projected`` of the fall. A run's end is
    # judged by this slope, not by the window's fall: a window is 10% of the run, so the window's fall of a
    # curve at a constant slope would shrink with the run's length (6 steps of a 60-iteration run at 0.14% of
    # the fall each, 0.8%, looked level while still falling as fast as before)
    recent_rate = recent_fall / window / total_fall if recent and total_fall > 0 else 0.0
    projected = recent_rate * T
    half = first - total_fall / 2
    half_at = next((iteration[k] for k, v in enumerate(good) if v <= half), None) if total_fall > 0 else None
    # a change of less than 0.1% of the start: invisible on the figure, and below the three decimals
    # printed for a cross-entropy near 1 to 3; shares of such a fall would describe noise
    barely = n > 1 and abs(first - last) < 0.001 * abs(first)
    shaped = not barely and total_fall > 0 and bool(recent)
    visible = 0.01 * total_fall
    evidence = {
        "first": first, "first_at": iteration[0], "last": last, "last_at": iteration[-1],
        "ratio": last / first if first else math.nan, "iterations": T, "finite_iterations": n,
        "min": low, "min_at": low_at, "peak": peak, "peak_at": peak_at, "rises": rises, "steps": len(steps),
        "total_fall": total_fall, "window": window, "recent_fall": recent_fall,
        "recent_share": recent_fall / total_fall if total_fall > 0 else 0.0,
        "recent_low": min(recent) if recent else math.nan, "recent_high": max(recent) if recent else math.nan,
        "recent_rises": sum(1 for d in recent_steps if d > 0),
        "recent_range_share": recent_range / total_fall if total_fall > 0 else 0.0,
        "half_at": half_at, "change": last - first,
        "recent_rate": recent_rate, "projected": projected, "horizon": T,
        "window_fall_small": abs(recent_fall) <= visible,
    }  # fmt: skip
    # "levelled off" claims that training longer would not visibly lower E. Extrapolated at its final
    # slope over as many iterations again as the run (the natural 'more iterations': the run's figure
    # drawn for a run twice as long), E must move by at most 1% of its fall, invisible on that figure's
    # linear scale; a falling curve that slows down moves less than that straight line, so the claim
    # errs on the side of 'still falling'. Only a run of steps all one way is a trend, not an oscillation.
    why_level = (
        "less than 1% of the fall is invisible on the figure's linear scale: at its final slope, as many "
        "iterations again as the run would move E by at most that; a window's range alone would depend on "
        "the run's length. Only a run of steps all one way is a trend rather than an oscillation"
    )
    level = shaped and recent_range <= visible and abs(projected) <= 0.01
    return {
        "weights_diverged": weights_diverged,
        "error_infinite": error_infinite,
        "error_barely_moves": Finding(
            "run.error_barely_moves", barely,
            "E_total changes by less than 0.1% of its start over the run (first to last finite value)",
            "|E_last - E_first| / E_first", "< 0.001", "invisible on the figure, below the printed decimals",
            evidence),
        "error_fell": Finding("run.error_fell", last < first, "the last finite E_total is below the first",
                              "E_last < E_first (finite values)", "", "", evidence),
        "error_decreases_every_step": Finding(
            "run.error_decreases_every_step", bool(steps) and n == T and all(d < 0 for d in steps),
            "E_total falls at every iteration", "every E[i+1] < E[i], all finite", "", "", evidence),
        "error_peak_above_start": Finding(
            "run.error_peak_above_start", peak > first, "E_total rises above its start at some point",
            "max(E) > E_first (finite values)", "", "", evidence),
        "error_ends_at_minimum": Finding(
            "run.error_ends_at_minimum", last <= low, "the last finite value of E_total is its lowest",
            "E_last <= min(E)", "", "", evidence),
        "error_still_falling": Finding(
            "run.error_still_falling",
            shaped and not level and all(d <= 0 for d in recent_steps),
            "E_total still falls at the end: none of its last steps rises, and at their mean slope as many "
            "iterations again would lower it visibly",
            "the steps over the last 10% of the iterations (all finite); their mean slope times the run",
            "none rises; the projection exceeds 1% of the fall from the start to the lowest value",
            why_level, evidence),
        "error_levelled_off": Finding(
            "run.error_levelled_off", level,
            "E_total has levelled off at the end: over the last 10% of the iterations it stays within 1% of "
            "its fall, and at their mean slope as many iterations again would move it by at most 1% of it",
            "range of E over the last 10% of the iterations; their mean slope times the iterations",
            "both at most 1% of the fall from the start to the lowest value", why_level, evidence),
        "error_rising_at_end": Finding(
            "run.error_rising_at_end",
            shaped and not level and all(d >= 0 for d in recent_steps),
            "E_total rises at the end: none of its last steps falls, and at their mean slope as many "
            "iterations again would raise it visibly",
            "the steps over the last 10% of the iterations", "as for error_still_falling", why_level,
            evidence),
        "error_oscillates_at_end": Finding(
            "run.error_oscillates_at_end",
            shaped and not level and any(d > 0 for d in recent_steps) and any(d < 0 for d in recent_steps),
            "E_total goes up and down over the last 10% of the iterations and has not levelled off",
            "signs of the last steps; not levelled off", "both signs", why_level,
            evidence),
        "error_fast_start": Finding(
            "run.error_fast_start", not barely and half_at is not None and half_at <= 0.25 * T,
            "E_total first gets halfway from its start to its lowest within the first quarter of the run",
            "first iteration at or below the halfway value", "within the first quarter of the iterations",
            "a curve falling at a constant rate would take half of them: a quarter means at least twice as "
            "fast early on as on average", evidence),
    }  # fmt: skip


def misclassification_findings(run):
    """Findings on the misclassification curves, recorded before each update, and on the final network.

    The curves' last values come from the weights before the last update; the accuracies of Section 2.1
    from the final weights after it. Sentences about "the end" use the final network.
    """
    miss = run["misclassification_rate"]
    N, N_test = run["train_size"], run["test_size"]
    # the engine's test curve is undefined (null) after it stopped a network: only its defined part
    test = [v for v in run["test_misclassification_rate"] if v is not None] or [math.nan]
    last = miss[-1]
    test_min = min(test)
    # rates are multiples of one training point: counts of points are compared, never rates
    points = [round(v * N) for v in miss]
    test_points = [round(v * N_test) if math.isfinite(v) else None for v in test]
    final_train_wrong = round((1 - run["train_accuracy"]) * N)
    final_test_wrong = round((1 - run["accuracy"]) * N_test)
    test_min_points = min(p for p in test_points if p is not None) if test_points[0] is not None else None
    test_min_i = test_points.index(test_min_points) if test_min_points is not None else None
    jumps = [abs(b - a) for a, b in zip(points, points[1:], strict=False)]
    # the training curve from the test curve's lowest iteration on, and the final network
    window = points[test_min_i:] + [final_train_wrong] if test_min_i is not None else []
    train_at_test_min = points[test_min_i] if test_min_i is not None and test_min_i < len(points) else None
    evidence = {
        "first": miss[0], "last": last,
        "last_reached": next(i + 1 for i, p in enumerate(points) if p == points[-1]),
        "rises": sum(1 for a, b in zip(points, points[1:], strict=False) if b > a),
        "largest_jump": max(jumps, default=0), "moves": any(jumps),
        "test_first": test[0], "test_last": test[-1], "test_min": test_min,
        "test_min_at": test_min_i + 1 if test_min_i is not None else None, "test_defined": len(test),
        "test_min_points": test_min_points,
        "final_train_wrong": final_train_wrong, "final_train_rate": final_train_wrong / N,
        "final_test_wrong": final_test_wrong, "final_test_rate": final_test_wrong / N_test,
        "final_train_differs": final_train_wrong != points[-1],
        "final_test_differs": test_points[-1] is None or final_test_wrong != test_points[-1],
        "test_points_above_min": final_test_wrong - test_min_points if test_min_points is not None else 0,
        "train_at_test_min": train_at_test_min / N if train_at_test_min is not None else math.nan,
        "step": 1 / N, "test_step": 1 / N_test, "train_accuracy": run["train_accuracy"],
    }  # fmt: skip
    evidence["final_differs"] = evidence["final_train_differs"] or evidence["final_test_differs"]
    final_above_min = test_min_points is not None and final_test_wrong > test_min_points
    rose = final_above_min and train_at_test_min is not None and final_train_wrong > train_at_test_min
    never_rose = (
        final_above_min
        and train_at_test_min is not None
        and all(b <= a for a, b in zip(window, window[1:], strict=False))
    )
    evidence["train_never_rose"] = never_rose
    return {
        "one_iteration": Finding("run.one_iteration", len(miss) == 1,
                                 "train_nn ran a single iteration: every curve has one value",
                                 "length of misclassification_rate", "1", "a count", evidence),
        "train_miss_moves": Finding("run.train_miss_moves", evidence["moves"],
                                    "the training misclassification rate changes at some iteration",
                                    "any two successive counts differ", "", "a count", evidence),
        "train_miss_rises": Finding("run.train_miss_rises", evidence["rises"] > 0,
                                    "the training misclassification rate goes up at some iteration",
                                    "any miss[i+1] > miss[i]", "", "", evidence),
        "final_differs": Finding(
            "run.final_differs", evidence["final_differs"],
            "the final network (after the last update) misclassifies another number of training or test "
            "points than the curves show before the last update",
            "counts of misclassified points, final against the curves' last values", "", "a count", evidence),
        "test_curve_stops": Finding(
            "run.test_curve_stops", len(test) < len(run["test_misclassification_rate"]),
            "the test curve is undefined after the engine stopped the network (its weights were not finite)",
            "null values in the test curve", "", "", evidence),
        "test_miss_ends_above_min": Finding(
            "run.test_miss_ends_above_min", final_above_min,
            "the final network misclassifies more test points than the test curve at its lowest",
            "final test errors > min(test curve), in points", "", "", evidence),
        "test_rise_with_training": Finding(
            "run.test_rise_with_training", rose,
            "the training error rose too since the test error's lowest point, so the rise is not overfitting",
            "final training errors > training errors where the test curve was lowest", "",
            "overfitting is the test error rising while the training error keeps falling", evidence),
        "overfitting_possible": Finding(
            "run.overfitting_possible",
            final_above_min and not rose and run["train_accuracy"] >= FITS_TRAINING,
            "the test error rose from its lowest while the training error did not, and the network fits its "
            "training set: this may be the beginning of overfitting",
            "final training errors <= those where the test curve was lowest; final training accuracy",
            f">= {percent(FITS_TRAINING, 0)}",
            "Iris is nearly linearly separable (a linear discriminant misclassifies 3 of the 150 flowers): a "
            "network below 90% on its own training points underfits, and overfitting cannot begin there",
            evidence),
    }  # fmt: skip


def engine_findings(run):
    """How closely the study's engine reproduced train_nn on the Section 2.3 network (Appendix A)."""
    a = run["engine_agreement"]
    weights, errors = a["max_abs_weight_difference"], a["max_abs_E_total_difference"]
    test = run["test_misclassification_rate"]
    stopped = next((i + 1 for i, v in enumerate(test) if v is None), None)
    close = (
        weights is not None and weights <= ENGINE_CLOSE and (errors is None or errors <= ENGINE_CLOSE)
        and a["same_infinite_E_total"] and a["same_misclassification_rate"] and a["same_guesses"]
    )  # fmt: skip
    evidence = {**a, "stopped_at": stopped, "close": ENGINE_CLOSE, "weights_finite": _weights_finite(run)}
    return {
        "engine_agrees": Finding(
            "run.engine_agrees", close,
            "the study's engine gives train_nn's numbers on this run's network, to rounding",
            "largest differences of weights and of E_total where both are finite; E_total infinite at the "
            "same iterations; misclassification rates and guesses identical",
            f"<= {ENGINE_CLOSE:g}",
            "far above the last-digit rounding a stable run accumulates (about 1e-12), far below the three "
            "decimals printed for E_total",
            evidence),
        "engine_stopped": Finding(
            "run.engine_stopped", stopped is not None and weights is None and _weights_finite(run),
            "the engine stopped this run's network where its weights were no longer finite numbers, while "
            "train_nn's stayed finite, so the two cannot be compared",
            "null values in the engine's test curve and weight difference; train_nn's weights finite", "", "",
            evidence),
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


def _pair(a, b):
    """The key of a comparison between configurations (M, eta, s), all trained on the study's repeats for
    its iterations: the same two configurations are the same comparison, in either order."""
    return frozenset((tuple(a), tuple(b)))


def factor_findings(name, points, family, word, config):
    """Best value, its ties, and which values are worse, for one factor's curve; ``config(value)`` is the
    configuration (M, eta, s) trained at that value."""
    best = config(next(p["value"] for p in points if p["best"]))
    indices = [
        None if p["best"] else family.add(p["vs_best"], _pair(config(p["value"]), best)) for p in points
    ]
    return {"name": name, "points": points, "indices": indices, "word": word}


def _same_every_repeat(a, b):
    """Two stats with identical accuracies in every repeat (diverged in the same ones): an exact tie."""
    return a["n"] > 0 and a["by_repeat"] == b["by_repeat"]


def _same_mean(a, b):
    """Two stats with the same mean accuracy: neither is "the best". Means of multiples of one test point
    over the repeats differ by at least 1 / (test points x repeats) when they differ; the tolerance is for
    the order of summation only."""
    return a["n"] > 0 and b["n"] > 0 and math.isclose(a["mean"], b["mean"], rel_tol=1e-9, abs_tol=1e-12)


def _monotone(means, rising):
    """Means that never fall (rising) or never rise along the values, over at least two steps:
    between two values there is a difference, not yet a trend ("falls steadily")."""
    steps = list(zip(means, means[1:], strict=False))
    return len(steps) >= 2 and all((b >= a) if rising else (b <= a) for a, b in steps)


def _settle_factor(raw, family):
    points, indices, name = raw["points"], raw["indices"], raw["name"]
    best = next(p for p in points if p["best"])
    verdicts = [0 if i is None else family.verdict(i) for i in indices]
    usable = [p["test"]["n"] > 0 for p in points]
    trained = [p for p, ok in zip(points, usable, strict=True) if ok]
    ties = [p["value"] for p, v, ok in zip(points, verdicts, usable, strict=True) if v == 0 and ok]
    worse = [p["value"] for p, v in zip(points, verdicts, strict=True) if v < 0]
    better = [p["value"] for p, v in zip(points, verdicts, strict=True) if v > 0]
    # values with the best's accuracy in every repeat: the same, not merely "cannot tell apart"
    level = [p for p in trained if p is not best and _same_mean(p["test"], best["test"])]
    equal = [p["value"] for p in level]
    # a list of a setting's values is printed in the notation of all its values (number_texts)
    values = [p["value"] for p in points]

    def texts(chosen):
        return number_texts(chosen, among=values)

    others = texts([v for v in ties if v != best["value"] and v not in equal])
    p_adjusted = [None if i is None else family.adjusted[i] for i in indices]
    for point, verdict, p in zip(points, verdicts, p_adjusted, strict=True):
        point["verdict"], point["p_holm"] = verdict, p
    diverged = [p["value"] for p in points if p["test"]["n"] == 0]
    partly = [
        {
            "value": p["value"],
            "diverged": p["test"]["diverged"],
            "repeats": p["test"]["n"] + p["test"]["diverged"],
        }
        for p in trained
        if p["test"]["diverged"]
    ]
    means = [p["test"]["mean"] for p in trained]
    first, last = (trained[0], trained[-1]) if trained else (points[0], points[-1])
    k = trained.index(best) if best in trained else 0
    evidence = {
        # best_text: the best value as its list writes it (10⁻¹ beside 10⁻⁵, never 0.1)
        "best_value": best["value"], "best_text": texts([best["value"]])[0], "best": best["test"],
        "ties": ties, "tie_count": len(ties),
        "other_ties": others, "other_ties_phrase": join_words(others), "worse": worse,
        "worse_phrase": join_words(texts(worse)), "better": better,
        "equal": equal, "equal_phrase": join_words(texts([best["value"], *equal])),
        "equal_others_phrase": join_words(texts(equal)),
        # each value of the highest mean with its own statistics: their intervals differ unless identical
        # (its text as equal_phrase writes it)
        "equal_stats": [
            {"value": p["value"], "text": text, "stats": p["test"]}
            for p, text in zip([best, *level], texts([p["value"] for p in [best, *level]]), strict=True)
        ],
        # every value of the highest mean has the same accuracy in every repeat, not merely the same mean
        "identical": all(_same_every_repeat(p["test"], best["test"]) for p in level),
        "diverged": diverged, "diverged_phrase": join_words(texts(diverged)),
        "diverged_networks": sum(p["test"]["diverged"] for p in points),
        "partly": partly, "trained_count": len(trained),
        "first": first, "last": last, "points": points,
        "spread": max(means) - min(means) if means else None,
        "added": [p["value"] for p in points if p["added"]],
    }  # fmt: skip
    test = "paired Wilcoxon signed-rank test of each value against the best, Holm-corrected"
    first_worse = first is not best and first["value"] in worse
    last_worse = last is not best and last["value"] in worse
    result = {
        "summary": Finding(f"study.{name}.summary", bool(trained), f"the best {raw['word']} and its ties",
                           test,
                           f"p < {ALPHA} after Holm", ALPHA_WHY, evidence),
        "matters": Finding(f"study.{name}.matters", bool(worse),
                           f"some {raw['word']} is worse than the best", test, f"p < {ALPHA} after Holm",
                           ALPHA_WHY, evidence),
        "best_tied": Finding(f"study.{name}.best_tied", bool(others),
                             f"other values of the {raw['word']} cannot be told apart from the best (and are "
                             "not identical to it)", test, f"p < {ALPHA} after Holm", ALPHA_WHY, evidence),
        "best_equal": Finding(f"study.{name}.best_equal", bool(equal),
                              f"other values of the {raw['word']} have the highest mean too",
                              "the means, to rounding", "equal", "a tie for the highest mean has no best",
                              evidence),
        "only_trained": Finding(f"study.{name}.only_trained", len(trained) == 1 and len(points) > 1,
                                f"of several values of the {raw['word']}, one alone trained",
                                "values with a repeat that did not diverge", "1", "a count", evidence),
        "some_diverged": Finding(f"study.{name}.some_diverged", bool(diverged) and bool(trained),
                                 f"at some values of the {raw['word']} every network diverged, at others not",
                                 "values without a repeat that did not diverge", "", "", evidence),
        "first_worse": Finding(f"study.{name}.first_worse", first_worse,
                               f"the smallest {raw['word']} that trained is worse than the best", test,
                               f"p < {ALPHA} after Holm", ALPHA_WHY, evidence),
        "last_worse": Finding(f"study.{name}.last_worse", last_worse,
                              f"the largest {raw['word']} that trained is worse than the best", test,
                              f"p < {ALPHA} after Holm", ALPHA_WHY, evidence),
        # a cause is offered only where the curve shows its signature: the mean rising steadily from the
        # smallest value up to the best (too small) or falling steadily from the best on (too large)
        "first_rising": Finding(f"study.{name}.first_rising", first_worse and _monotone(means[: k + 1], True),
                                f"the smallest {raw['word']} is worse and the mean never falls from it up to "
                                "the best", "paired test, then the order of the means", "",
                                "a steady trend, not one low value, is what a cause of this kind predicts",
                                evidence),
        "last_falling": Finding(f"study.{name}.last_falling", last_worse and _monotone(means[k:], False),
                                f"the largest {raw['word']} is worse and the mean never rises from the best "
                                "up to it", "paired test, then the order of the means", "",
                                "a steady trend, not one low value, is what a cause of this kind predicts",
                                evidence),
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
    M0, eta0 = run["hidden_size"], run["learning_rate"]
    raw = {
        "hidden": factor_findings(
            "hidden", study["hidden_size"], family, "hidden size", lambda M: (M, eta0, 1.0)
        ),
        "rate": factor_findings(
            "rate", study["learning_rate"], family, "learning rate", lambda eta: (M0, eta, 1.0)
        ),
        "scale": factor_findings(
            "scale", study["weight_scale"], family, "weight scale", lambda s: (M0, eta0, s)
        ),
    }
    grid = study["grid"]
    cells = [cell for row in grid["test"] for cell in row]
    grid_configs = [(M, eta, 1.0) for M in grid["hidden_sizes"] for eta in grid["learning_rates"]]
    grid_best = next(c for c, cell in zip(grid_configs, cells, strict=True) if cell["best"])
    grid_indices = [
        None if cell["best"] else family.add(cell["vs_best"], _pair(c, grid_best))
        for c, cell in zip(grid_configs, cells, strict=True)
    ]
    configuration = study["run_configuration"]
    gap_index = family.add(configuration["gap"])
    family.gap_index = gap_index
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
        scale.holds and scale.best_value == 1.0,
        "the course's scale 1 has the highest mean (the first of exact ties)",
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
    best_scale = next(p for p in study["weight_scale"] if p["best"])
    found["scale"]["course_equal"] = Finding(
        "study.scale.course_equal",
        course is not best_scale and _same_mean(course["test"], best_scale["test"]),
        "the course's scale 1 has the highest mean too, after a smaller scale",
        "the means, to rounding",
        "equal",
        "a tie for the highest mean has no best",
        {"course": course, "identical": _same_every_repeat(course["test"], best_scale["test"])},
    )

    grid_verdicts = [0 if i is None else family.verdict(i) for i in grid_indices]
    rates = grid["learning_rates"]
    last_column = [v for k, v in enumerate(grid_verdicts) if k % len(rates) == len(rates) - 1]
    usable = [cell["n"] > 0 for cell in cells]
    best_cell = next(cell for cell in cells if cell["best"])
    equal = [cell is not best_cell and _same_mean(cell, best_cell) for cell in cells]
    grid_ties = sum(
        1 for v, ok, e in zip(grid_verdicts, usable, equal, strict=True) if v == 0 and ok and not e
    )
    grid_worse = sum(1 for v in grid_verdicts if v < 0)
    sizes = grid["hidden_sizes"]

    def where(k):
        return {"hidden_size": sizes[k // len(rates)], "learning_rate": rates[k % len(rates)]}

    # the rows of the grid (one hidden size each) whose highest mean is at the smallest rate
    rows = [[cell for cell in row if cell["n"] > 0] for row in grid["test"]]
    slow_rows = [
        sizes[i] for i, row in enumerate(rows)
        if len(row) > 1 and row[0] is grid["test"][i][0] and row[0]["mean"] >= max(c["mean"] for c in row)
    ]  # fmt: skip
    k0 = grid["hidden_sizes"].index(M0) * len(rates) + rates.index(eta0)
    # the run's cell minus the best, over the repeats both trained (NaN, or null in results.json, without)
    run_difference = cells[k0]["vs_best"]["mean_difference"]
    if run_difference is not None and not math.isfinite(run_difference):
        run_difference = None
    grid_evidence = {
        "cells": len(cells), "ties": grid_ties + sum(equal), "best": grid["best"], "best_stats": best_cell,
        "ties_phrase": grid_ties_phrase(len(cells) - 1, grid_ties - 1, grid_worse, sum(equal)),
        # each with its own interval: combinations of the same mean differ repeat by repeat unless identical
        "equal": [{**where(k), "ci_low": cells[k]["ci_low"], "ci_high": cells[k]["ci_high"]}
                  for k, e in enumerate(equal) if e],
        "equal_count": sum(equal),
        "identical": all(_same_every_repeat(c, best_cell) for c, e in zip(cells, equal, strict=True) if e),
        "diverged_cells": [where(k) for k, cell in enumerate(cells) if cell["n"] == 0],
        "partly": [{**where(k), "n": cell["n"], "diverged": cell["diverged"]}
                   for k, cell in enumerate(cells) if cell["n"] > 0 and cell["diverged"]],
        "trained_cells": sum(usable),
        "worse_count": grid_worse,
        "run_equal": equal[k0],
        "run_behind": (run_difference or 0) < 0,
        "same_iterations": study["iterations"] == run["iterations"],
        "run_cell": cells[k0], "run_cell_trained": cells[k0]["n"] > 0, "run_is_best": cells[k0]["best"],
        "run_vs_best": cells[k0]["vs_best"],
        "pairs_incomplete": cells[k0]["vs_best"]["n"] < len(cells[k0]["by_repeat"]),
        "run_phrase": points_phrase(run_difference, "the best") if run_difference is not None else "",
        "run_p_holm": None if grid_indices[k0] is None else family.adjusted[grid_indices[k0]],
        "largest_rate": rates[-1],
        # each rate as the grid's list writes it (10⁻¹ beside 10⁻⁵, never 0.1), and the run's among them
        "rate_text": dict(zip(rates, number_texts(rates), strict=True)),
        "run_rate_text": number_texts([run["learning_rate"]], among=rates)[0],
        "diverged": sum(cell["diverged"] for cell in cells),
    }  # fmt: skip
    test = "paired Wilcoxon signed-rank test of each combination against the best, Holm-corrected"
    found["grid"] = {
        "summary": Finding("study.grid.summary", best_cell["n"] > 0, "the best combination, its ties", test,
                           f"p < {ALPHA} after Holm", ALPHA_WHY, grid_evidence),
        "only_trained": Finding("study.grid.only_trained", sum(usable) == 1 and len(cells) > 1,
                                "of several combinations, one alone trained without diverging",
                                "count of combinations with a repeat that did not diverge", "1", "a count",
                                grid_evidence),
        "best_equal": Finding("study.grid.best_equal", any(equal),
                              "other combinations have the highest mean too",
                              "the means, to rounding", "equal", "a tie for the highest mean has no best",
                              grid_evidence),
        "fewer_repeats": Finding("study.grid.fewer_repeats", any(cell["diverged"] for cell in cells),
                                 "some combination's mean is over fewer repeats than the study's, as "
                                 "networks diverged", "count of diverged repeats per combination", "", "",
                                 grid_evidence),
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
        "run_phrase": points_phrase(
            run["train_accuracy"] - run["accuracy"],
            "on its only test point" if run["test_size"] == 1 else "on the test points",
        ),
        # the networks compared: trained for the run's iterations, on the study's repeats; when the study
        # trains for another count, they are not Section 3's networks (which it says it does not count)
        "apart": study["iterations"] != configuration["iterations"],
        "iterations": configuration["iterations"], "study_iterations": study["iterations"],
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
    found["all_diverged"] = Finding(
        "study.all_diverged",
        not any(cell["n"] for cell in cells) and not any(p["test"]["n"] for p in study["weight_scale"]),
        "every network of the study diverged",
        "count of repeats that did not diverge, over every configuration",
        "0",
        "a count",
        {"count": study_diverged(study)},
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
    # the settings with two values or more that trained and that the data cannot tell apart; one value
    # compares nothing, and a value where every network diverged is not "told apart" by an accuracy
    others = [
        names[key] for key in ("hidden", "rate", "scale")
        if names[key] not in matter and found[key]["summary"].trained_count >= 2
    ]  # fmt: skip
    symbols = {"hidden": "M", "rate": "η", "scale": "s"}
    diverged_values = [
        {"symbol": symbols[key], "phrase": found[key]["summary"].diverged_phrase}
        for key in ("hidden", "rate", "scale")
        if found[key]["summary"].diverged
    ]
    others_diverged = any(
        found[key]["summary"].diverged for key in ("hidden", "rate", "scale") if names[key] in others
    )
    found["settings_matter"] = Finding(
        "study.settings_matter", bool(matter), "some settings change the mean test accuracy detectably",
        "some value of the setting is worse than its best (paired Wilcoxon, Holm)", f"p < {ALPHA} after Holm",
        ALPHA_WHY, {"names": matter, "phrase": join_words(matter), "count": len(matter),
                    "others": join_words(others), "other_count": len(others),
                    "single": join_words(single), "single_count": len(single),
                    "others_diverged": others_diverged, "diverged_values": diverged_values,
                    "single_phrase": join_words(f"one {n}" for n in single)},
    )  # fmt: skip
    rate = found["rate"]
    found["rate"]["small_steps"] = Finding(
        "study.rate.small_steps",
        rate["first_rising"].holds and not slow_rows,
        "the smallest learning rate is worse, the mean rises steadily up to the best, and no hidden size of "
        "the grid does best at the smallest rate",
        "paired test, order of the means, the grid's rows", "",
        "steps too small to train would hold back every size; a size that trains best with them rules it out",
        {"slow_rows": slow_rows, "slow_rows_phrase": join_words(slow_rows)},
    )  # fmt: skip
    grid_best_rate = grid["best"]["learning_rate"]
    found["rate"]["grid_best_elsewhere"] = Finding(
        "study.rate.grid_best_elsewhere",
        best_cell["n"] > 0
        and rate["summary"].holds
        and grid_best_rate not in [rate["summary"].best_value, *rate["summary"].equal],
        "the grid's best combination is at another learning rate than the best at the run's hidden size",
        "", "", "", {"grid_best": grid["best"]},
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


def grid_ties_phrase(others, tied, worse, equal=0):
    """How the best combination stands against the ``others``: ``equal`` share its mean (said apart),
    ``tied`` of the rest cannot be told apart from it, ``worse`` are detectably worse, and the rest
    diverged in every repeat (never compared, so neither tied nor worse)."""
    if others == 0:
        return "it is the only combination tested"
    rest = others - equal
    other, it = ("remaining", "them") if equal else ("other", "it")
    diverged = rest - tied - worse
    if rest == 0:
        return ""  # every other combination is the same as the best in every repeat: said apart
    if tied == rest:
        if rest == 1:
            return f"the data cannot tell {it} apart from the {other} combination"
        return f"the data cannot tell {it} apart from any of the {other} {rest} combinations"
    if worse == rest:
        return (
            f"the {other} combination is worse"
            if rest == 1
            else f"each of the {other} {rest} combinations is worse"
        )
    if diverged == rest:
        if rest == 1:
            return f"the {other} combination diverged in every repeat"
        return f"each of the {other} {rest} combinations diverged in every repeat"
    parts = []
    if worse:
        parts.append(f"{worse} {'is' if worse == 1 else 'are'} worse")
    if diverged:
        parts.append(f"{diverged} diverged in every repeat")
    if tied:
        return (
            f"the data cannot tell {it} apart from {tied} of the {other} {rest} combinations; "
            + join_words(parts)
        )
    return f"of the {other} {rest} combinations, " + join_words(parts)


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
        **engine_findings(run),
        **run_vs_repeats(run, study["run_configuration"]),
    }
    # each comparison counted once (Family.distinct); all but training against test accuracy are between
    # configurations
    tested = family.tested()
    configurations = family.tested(leave_out={family.gap_index})
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
            "configurations": configurations,
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
            "comparisons": tested,
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
