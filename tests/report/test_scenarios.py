"""Scenarios from the defaults to the extremes: the report builds, and its sentences are true.

For each setting the HTML is built from fresh results, and the result-dependent
sentences of the produced text are recomputed here from results.json with plain
numpy and scipy, independently of report/findings.py. The sentences are those of
the shipped discussion (templates/discussion/): when a student has rewritten it
(its files no longer match tests/fixtures/discussion.sha256) the sentence checks
are skipped with that reason, while the build checks always run.
"""

import hashlib
import html
import json
import os
import re

import numpy as np
import pytest
import scipy.stats

from assignment import backprop
from report import engine, experiments, render
from report.paths import TEMPLATES
from report.settings import Settings
from tests.report.conftest import tiny_settings

pytestmark = pytest.mark.slow
DIGESTS = TEMPLATES.parent / "tests" / "fixtures" / "discussion.sha256"

SCENARIOS = {
    "fixture": ({}, {}),
    "one hidden unit": ({"hidden_size": 1}, {}),
    "size not in the grid": ({"hidden_size": 7}, {}),
    "learning rate 0.01": ({"learning_rate": 0.01}, {}),
    "learning rate 3": ({"learning_rate": 3.0}, {}),
    "learning rate 1000": ({"learning_rate": 1000.0}, {}),
    "learning rate 50: ln 0 at some iterations": ({"learning_rate": 50.0, "iterations": 100}, {}),
    "20 iterations": ({"iterations": 20}, {}),
    "5000 iterations": ({"iterations": 5000}, {}),
    "run below its repeats": ({"seed": 2}, {}),
    "3 repeats, short grids": ({}, {
        "repeats": 3, "hidden_sizes": [2], "learning_rates": [0.3], "weight_scales": [1.0]}),
    "scales without 1": ({}, {"weight_scales": [0.1, 3.0]}),
    "train ratio 0.1": ({"train_ratio": 0.1}, {}),
    "train ratio 0.95": ({"train_ratio": 0.95}, {}),
    "one iteration, sizes not sorted": ({"iterations": 1}, {"hidden_sizes": [4, 1]}),
    "two repeats, run as long as the study": ({"iterations": 30}, {"repeats": 2}),
    "learning rate 1e-5, barely moving": ({"learning_rate": 1e-5}, {"learning_rates": [1e-5, 0.1]}),
    "differences detected": ({"hidden_size": 8, "iterations": 300}, {
        "repeats": 12, "iterations": 300, "hidden_sizes": [1, 8], "learning_rates": [0.1, 3.0]}),
    # Weights stop being finite (divergence) only far beyond the accepted settings: at eta = 1e307 the
    # first update overflows. (A study where every network diverges cannot be built: the run's own
    # configuration would diverge, and a diverged run stops the build.)
    "networks diverge at some values": ({}, {
        "repeats": 2, "hidden_sizes": [4, 8], "learning_rates": [0.1, 1e307], "weight_scales": [1.0]}),
    # The error is infinite (ln 0) at most iterations of every network, run and study: not divergence.
    "infinite errors, nothing diverges": ({"learning_rate": 100000.0}, {
        "repeats": 2, "hidden_sizes": [4, 8], "learning_rates": [100000.0], "weight_scales": [1.0, 1000.0]}),
}  # fmt: skip


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def shipped_discussion():
    """True when templates/discussion/ is the shipped one, so that its sentences can be checked."""
    expected = dict(line.split()[::-1] for line in DIGESTS.read_text().splitlines() if line.strip())
    found = {p.name: digest(p) for p in sorted((TEMPLATES / "discussion").glob("*.j2"))}
    return found == expected


def text_of(page):
    return (
        html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))
        .replace(" ,", ",")
        .replace(" .", ".")
    )


@pytest.fixture(scope="module", params=list(SCENARIOS))
def built(request, tmp_path_factory):
    run, study = SCENARIOS[request.param]
    base = tiny_settings(**study)
    settings = Settings(report=base.report, run={**base.run, **run}, study=base.study)
    # The graded train_nn equals the engine's (tests/report/test_engine.py); at 5000 iterations the
    # engine is much faster, so that scenario's Section 2.3 run uses it. (Not for diverging runs: the
    # engine refuses the non-finite weights that a chunked call would hand back to it.)
    patch = pytest.MonkeyPatch()
    if settings.run["iterations"] > 1000:
        patch.setattr(backprop, "train_nn", engine.train_nn)
    try:
        results = json.loads(experiments.dumps(experiments.compute(settings)))
    finally:
        patch.undo()
    out = tmp_path_factory.mktemp("scenario") / "report.html"
    page = render.render_html(results, TEMPLATES, out)
    return {"name": request.param, "results": results, "html": page, "text": text_of(page)}


def test_the_report_builds_and_every_reference_resolves(built):
    assert "xref" in built["html"]
    assert 'href="#' in built["html"]
    assert (
        not re.search(r"\bNone\b(?! of them)", built["text"]) and "nan" not in built["text"].lower().split()
    )


def needs_shipped_text():
    if not shipped_discussion():
        pytest.skip("templates/discussion/ was edited: the sentence checks read the shipped wording")


def pct(x):
    return f"{100 * x:.1f}%"


def notation(values, among=None):
    """A list of a setting's values as the text prints it, in one notation: powers of ten for every
    value below 1 when one of ``among`` (default ``values``) is below 0.0001, and for every value from
    1000 on when one is a million or more; else as typed (at most 6 significant digits)."""
    among = values if among is None else among
    small, large = any(v < 1e-4 for v in among), any(v >= 1e6 for v in among)

    def one(v):
        if not ((small and v < 1) or (large and v >= 1000) or v < 1e-4 or v >= 1e6):
            return f"{v:g}"
        mantissa, exponent = np.format_float_scientific(v, unique=True, trim="-").split("e")
        power = "10" + str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
        return power if mantissa == "1" else f"{mantissa} × {power}"

    return [one(float(v)) for v in values]


def test_no_grammar_slips(built):
    needs_shipped_text()
    text = built["text"]
    assert not re.search(
        r"(?<![\d.])1 (hidden units|iterations|repeats|points|test points|sigmoid units|flowers)\b", text
    )
    assert "after the last update" not in text
    assert not re.search(r"−?-\d[\d.]* points", text)
    assert not re.search(r"moves the accuracy by [\d.]+%", text)
    for low, high in re.findall(r"95% interval ([\d.]+)% to ([\d.]+)%", text):
        assert 0 <= float(low) <= float(high) <= 100
    assert not re.search(r"\b1 of (them|the repeats) diverged[^.]*? are\b", text)
    assert not re.search(r"\bonly 0 of them|[.:] \d+ of them diverged", text)  # "none of them", "Of these, 6"
    # neither "0 of the other 0" nor "1 of the other 1"
    assert not re.search(r"\b(\d+) of the other \1 combinations", text)
    assert not re.search(r"\d\.?\d*e[+−-]\d", text)  # 1e+03: numbers in prose read naturally
    assert "each of the 1 iterations" not in text
    assert not re.search(
        r"(?<![\d.])1 (steps|errors|test flowers|training points|misclassified test points)\b", text
    )
    assert not re.search(r"\bOf the 1 \w+ test flowers?|the last 1 (iteration|step)|\b1 of the 1\b", text)
    assert not re.search(r"[.:] \d+ errors of this run", text)  # no sentence opens with a numeral
    assert not re.search(r"The (\d+) misclassified test points are: \1 ", text)
    assert not re.search(r"\b(all|for) [012] comparisons\b", text)  # 'both comparisons'
    assert not re.search(
        r"(?<![\d.])(\d+) of the \1 (test points|held-out)|Of these (\d+) repeats, \3 ", text
    )
    assert not re.search(r"(?<![\d.])1 (Iris flowers|training points)", text)
    assert "logarithm of the cross-entropy" not in text  # the logarithm is inside it
    assert "1/1 =" not in text
    assert not re.search(r"\b(the|of) 1 test point\b", text)  # 'the single test point'


def test_accuracy_sentences(built):
    needs_shipped_text()
    text, run = built["text"], built["results"]["run"]
    matrix = np.array(run["confusion_matrix"])
    correct, total = int(np.trace(matrix)), int(matrix.sum())
    said = (
        f"classifies its only test point {'correctly' if correct else 'wrongly'}"
        if total == 1
        else f"classifies all {total} test points correctly"
        if correct == total
        else f"classifies {correct} of the {total} test points correctly"
    )
    assert f"{said}: a test accuracy of {pct(correct / total)}" in text
    gap = run["train_accuracy"] - correct / total
    if round(100 * abs(gap), 1) == 0:
        assert f"the same as on {'its only test point' if total == 1 else 'the test points'}" in text
    else:
        word = "higher" if gap > 0 else "lower"
        assert re.search(
            rf"reaches {re.escape(pct(run['train_accuracy']))}, {100 * abs(gap):.1f} points? {word}", text
        )
    repeats = [
        v for v in built["results"]["study"]["run_configuration"]["test"]["by_repeat"] if v is not None
    ]
    accuracy = correct / total
    if len(repeats) >= 2:
        lower, same = sum(v < accuracy for v in repeats), sum(v == accuracy for v in repeats)
        higher = len(repeats) - lower - same
        n = len(repeats)
        said = [str(k) if k else "none" for k in (lower, same, higher)]
        counted = f"{said[0]} scored lower than this run, {said[1]} the same and {said[2]} higher"
        if same == n:  # never "Of these 8 repeats, none scored lower, 8 the same"
            assert f"{'Both' if n == 2 else f'All {n}'} of these repeats scored the same as this run" in text
        elif n in (lower, higher):  # "This run is above every repeat" says it, not "8 of these 8"
            assert "scored lower than this run" not in text
        else:
            assert counted in text
        assert ("This run is below every repeat" in text) == (accuracy < min(repeats))
        assert ("This run is above every repeat" in text) == (accuracy > max(repeats))


def test_confusion_sentences(built):
    needs_shipped_text()
    text, run = built["text"], built["results"]["run"]
    matrix, names = np.array(run["confusion_matrix"]), run["class_names"]
    wrong = int(matrix.sum() - np.trace(matrix))
    every = "The single test point lies" if matrix.sum() == 1 else "Every test point lies"
    assert (f"{every} on the diagonal" in text) == (wrong == 0)
    expected = [
        (str(matrix[i, j]), names[i], names[j]) for i in range(3) for j in range(3) if i != j and matrix[i, j]
    ]
    if wrong == 1:
        ((_, true, predicted),) = expected
        assert f"The one misclassified test point is a {true} flower predicted as {predicted}." in text
    elif len(expected) == 1:
        ((n, true, predicted),) = expected
        all_n = "Both" if n == "2" else f"All {n}"
        assert f"{all_n} misclassified test points are {true} flowers predicted as {predicted}." in text
    elif wrong:
        stated = re.search(r"misclassified test points are: (.*?)\. Setosa", text).group(1)
        assert re.findall(r"(\d+) (\w+) flowers? predicted as (\w+)", stated) == expected
    setosa = int(matrix[0].sum() - matrix[0, 0] + matrix[:, 0].sum() - matrix[0, 0])
    if setosa:
        involved = (
            "the only error"
            if wrong == 1
            else f"all {wrong} errors"
            if setosa == wrong
            else f"{setosa} of the {wrong} errors"
        )
        assert f"Setosa, the separable species, is involved in {involved} of this run." in text
    off = [(names[i], names[j]) for i in range(3) for j in range(3) if i != j and matrix[i, j]]
    only = bool(off) and all(set(p) == {"versicolor", "virginica"} for p in off)
    assert ("Every error of this run falls between these two overlapping species" in text) == only
    for i, name in enumerate(names):  # each species with a missed flower: how many were recognised
        correct, total = int(matrix[i, i]), int(matrix[i].sum())
        if correct == total:
            assert f"Of the {total} {name} test flowers" not in text
        elif total == 1:
            assert f"The only {name} test flower is not recognised." in text
        elif correct == 0:
            assert f"Of the {total} {name} test flowers, none is recognised." in text
        else:
            verb = "is" if correct == 1 else "are"
            share = f"{100 * correct / total:.0f}%"
            assert f"Of the {total} {name} test flowers, {correct} {verb} recognised ({share})." in text


def section(text, start, end):
    return text[text.index(start) : text.index(end, text.index(start))]


def count(n, word):
    return f"{n} {word if n == 1 else word + 's'}"


def test_error_curve_sentences(built):
    """E_total: infinite values (ln 0) are not divergence; the curve is described by its finite values."""
    needs_shipped_text()
    text, run = built["text"], built["results"]["run"]
    part = section(text, "Error during training", "Misclassification during training")
    T = len(run["E_total"])
    E = np.array([np.nan if v is None else v for v in run["E_total"]], dtype=float)
    ok = np.isfinite(E)
    diverged = any(v is None for M in (run["W1"], run["W2"]) for row in M for v in row)  # null: not finite
    assert ("diverged" in part) == diverged
    tail = T if not diverged else (int(np.flatnonzero(ok)[-1]) + 1 if ok.any() else 0)
    infinite = int(np.sum(~ok[:tail]))
    assert ("it is infinite" in part or "It is infinite at" in part) == bool(infinite)
    if infinite and ok.any():
        first_bad = int(np.argmin(ok[:tail])) + 1
        assert (
            f"At {infinite} of the {T} iterations (the first is iteration {first_bad}) it is infinite" in part
        )
    values, at = E[ok], np.flatnonzero(ok) + 1
    if len(values) == 0:
        return
    first, last = values[0], values[-1]
    if len(values) == 1:
        assert f"{first:.3f}" in part
        return
    ends = "before the last update" if at[-1] == T else f"at iteration {at[-1]}, its last finite value"
    barely = abs(last - first) < 0.001 * abs(first)
    if barely:
        assert f"It barely moves: from {first:.3f} before the first update" in part
    elif last < first:
        assert f"It falls from {first:.3f} before the first update to {last:.3f} {ends}" in part
    else:
        assert f"It starts at {first:.3f} and is {last:.3f} {ends}: it did not fall" in part
    steps = np.array([E[i + 1] - E[i] for i in range(T - 1) if ok[i] and ok[i + 1]])
    every = bool(ok.all() and len(steps) and np.all(steps < 0))
    assert ("It decreases at every iteration" in part) == every
    rises = int(np.sum(steps > 0))
    if rises:
        said = "its one step" if len(steps) == 1 else f"{rises} of the {len(steps)} steps"
        assert f"It rises at {said} between iterations" in part
    assert ("above its starting value" in part) == (values.max() > first)
    fall = first - values.min()  # the fall from the start to the lowest value, the one meaning of "fall"
    k = max(1, int(np.ceil(0.1 * len(values))))
    end = E[T - 1 - k :] if T > k and ok[T - 1 - k :].all() else np.array([])
    shaped = not barely and fall > 0 and len(end) > 0
    d = np.diff(end)
    # levelled off: flat over the window, and at the window's mean slope as many iterations again as the run
    # would move E by at most 1% of its fall (a slope, not the window's fall: a window is 10% of the run)
    projected = (end[0] - end[-1]) / k * T / fall if shaped else 0.0
    level = shaped and np.ptp(end) <= 0.01 * fall and abs(projected) <= 0.01
    still = shaped and not level and bool(np.all(d <= 0))
    swings = shaped and not level and bool(np.any(d > 0) and np.any(d < 0))
    assert ("It is still falling at the end" in part) == still
    assert ("it has levelled off" in part) == level
    assert ("it has not settled" in part) == swings
    if level:
        assert f"rate another {count(T, 'iteration')} would move it by at most 1% of that fall" in part
    if still:
        assert (
            f"{100 * (end[0] - end[-1]) / fall:.1f}% of its fall from the start to its lowest value" in part
        )
        said = (
            f"at that rate another {count(T, 'iteration')} would lower it by a further {100 * projected:.1f}%"
        )
        assert (said in part) == (end[0] - end[-1] <= 0.01 * fall)
    if swings:
        assert f"goes up and down between {end.min():.3f} and {end.max():.3f}" in part
    half = next((a for a, v in zip(at, values, strict=True) if v <= first - fall / 2), None)
    fast = not barely and fall > 0 and half is not None and half <= 0.25 * T
    assert ("It first gets halfway from its start to its lowest value" in part) == fast
    if fast:
        assert f"halfway from its start to its lowest value at iteration {half}," in part


def test_misclassification_sentences(built):
    """The curves are before each update; the final network (after the last) is the one of Section 2.1."""
    needs_shipped_text()
    text, run = built["text"], built["results"]["run"]
    part = section(text, "Misclassification during training", "Changing the network")
    N, N_test = run["train_size"], run["test_size"]
    matrix = np.array(run["confusion_matrix"])
    final_test = int(matrix.sum() - np.trace(matrix))
    final_train = int(round((1 - run["train_accuracy"]) * N))
    miss = np.array(run["misclassification_rate"])
    points = np.rint(miss * N).astype(int)
    assert "ends at" not in part and "At the end" not in part  # the curves' last values are not the end
    if len(miss) == 1:
        stated = f"has one value, computed with the random initial weights: {pct(miss[0])} of the training"
        assert stated in part
        assert "It never goes up" not in part and "first reaches" not in part
    else:
        assert f"always a multiple of 1/{N} = {100 / N:.2f} percentage points" in part
        jumps = np.abs(np.diff(points))
        if not jumps.any():
            assert f"It stays at {pct(miss[0])} at every iteration" in part
        else:
            first_reached = int(np.argmax(points == points[-1])) + 1
            assert (
                f"starts at {pct(miss[0])} with the random initial weights and is {pct(miss[-1])} before the "
                f"last update, a level it first reaches at iteration {first_reached}; its largest change "
                f"from one iteration to the next is {count(int(jumps.max()), 'training point')}" in part
            )
        assert ("It never goes up" in part) == (jumps.any() and not np.any(np.diff(points) > 0))
    said = f"the final network misclassifies {pct(final_train / N)} of the training points"
    assert (said in part) == (final_train != points[-1])
    # the gap's repeats are trained for the run's iterations: Section 3's own networks only when the study's
    # iterations are the same (else Section 3 says it does not count them, and this sentence says so)
    study = built["results"]["study"]
    gap = study["run_configuration"]["gap"]
    if gap["p_value"] is not None:
        apart = study["iterations"] != run["iterations"]
        assert ("of this configuration in Section 3" in part) == (not apart)
        its, theirs = count(run["iterations"], "iteration"), count(study["iterations"], "iteration")
        said = (
            f"Retrained for the run's {its} on the {count(gap['n'], 'repeat')} of Section 3 (networks that "
            f"Section 3, which trains for {theirs}, does not count)"
        )
        assert (said in part) == apart
    test = np.array([v for v in run["test_misclassification_rate"] if v is not None])
    test_points = np.rint(test * N_test).astype(int)
    said = f"the final network misclassifies {count(final_test, 'test point')} ({pct(final_test / N_test)})"
    assert (said in part) == (len(test) == 0 or final_test != test_points[-1])
    if len(test) == 0:
        return
    lowest_at = int(np.argmin(test_points))
    above = final_test - int(test_points[lowest_at])
    assert ("more than the test curve at its lowest" in part) == (above > 0)
    assert "overfitting" not in part.split("Over the")[0] or above > 0
    if above > 0:
        assert f"misclassifies {count(above, 'test point')} more than the test curve at its lowest" in part
        rose = final_train > points[lowest_at]
        fits = run["train_accuracy"] >= 0.9
        assert ("so this is not overfitting" in part) == rose
        assert ("the beginning of overfitting" in part) == (not rose and fits)
        assert ("it does not fit them" in part) == (not rose and not fits)
        if not rose:  # "meanwhile" only when the training count never rose from that iteration on
            window = np.append(points[lowest_at:], final_train)
            assert ("did not rise meanwhile" in part) == bool(np.all(np.diff(window) <= 0))


def test_engine_agreement_sentences(built):
    """Section 1 claims the same numbers only when Appendix A shows them; each quantity said as it is."""
    needs_shipped_text()
    text, run = built["text"], built["results"]["run"]
    a = run["engine_agreement"]
    weights, errors = a["max_abs_weight_difference"], a["max_abs_E_total_difference"]
    close = (
        weights is not None and weights <= 1e-6 and (errors is None or errors <= 1e-6)
        and a["same_infinite_E_total"] and a["same_misclassification_rate"] and a["same_guesses"]
    )  # fmt: skip
    assert ("checked to give the same numbers, to rounding" in text) == close
    appendix = section(text, "Verification", "Reproducing these results")
    assert ("The two give the same numbers, to rounding" in appendix) == close
    if weights is not None:
        rates = "identical" if a["same_misclassification_rate"] else "not identical"
        guesses = "identical" if a["same_guesses"] else "not identical"
        assert (
            f"its misclassification rates are {rates} and its guesses at the last iteration {guesses}"
            in appendix
        )
        assert "cannot be compared" not in appendix
        # E_total: infinite (ln 0) at the same iterations, compared where train_nn's is finite
        infinite = sum(1 for v in run["E_total"] if v is None or not np.isfinite(v))
        assert ("is not infinite at the same iterations as" in appendix) == (not a["same_infinite_E_total"])
        if a["same_infinite_E_total"]:
            assert ("is infinite at every iteration, as" in appendix) == (errors is None)
            many = "iteration" if infinite == 1 else count(infinite, "iteration")
            both = f"both are infinite at the same {many})"
            assert (both in appendix) == (errors is not None and infinite > 0)


def holm(p):
    p = np.asarray(p, dtype=float)
    order = np.argsort(p, kind="stable")
    adjusted = np.minimum(1, np.maximum.accumulate((len(p) - np.arange(len(p))) * p[order]))
    out = np.empty_like(adjusted)
    out[order] = adjusted
    return out


def wilcoxon(a, b):
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    d = np.array([x - y for x, y in pairs])
    if len(d) == 0:
        return None, 0.0
    if np.all(d == 0):
        return 1.0, 0.0
    return scipy.stats.wilcoxon(d, zero_method="pratt").pvalue, float(np.mean(d))


def test_study_sentences_follow_one_standard(built):
    """The ties and differences the text states, recomputed: Wilcoxon per comparison, Holm over all."""
    needs_shipped_text()
    text, study = built["text"], built["results"]["study"]
    family = []  # (key, p, mean difference)

    def best_of(cells):
        means = [c["mean"] if c["n"] else -np.inf for c in cells]
        return int(np.argmax(means))

    # the configuration (M, eta, s) at each value; the same two configurations on the same repeats are one
    # comparison, however often the text makes it (one-at-a-time and in the grid)
    run = built["results"]["run"]
    M0, eta0 = run["hidden_size"], run["learning_rate"]
    configs = {"hidden_size": lambda M: (M, eta0, 1.0), "learning_rate": lambda eta: (M0, eta, 1.0),
               "weight_scale": lambda s: (M0, eta0, s)}  # fmt: skip
    pair = {}  # text's comparison -> the configurations it compares
    factors = {}
    for key in ("hidden_size", "learning_rate", "weight_scale"):
        points = study[key]
        b = best_of([p["test"] for p in points])
        factors[key] = (points, b)
        for i, p in enumerate(points):
            if i != b:
                family.append(((key, i),) + wilcoxon(p["test"]["by_repeat"], points[b]["test"]["by_repeat"]))
                pair[(key, i)] = frozenset((configs[key](p["value"]), configs[key](points[b]["value"])))
    cells = [c for row in study["grid"]["test"] for c in row]
    where = [(M, eta, 1.0) for M in study["grid"]["hidden_sizes"] for eta in study["grid"]["learning_rates"]]
    g = best_of(cells)
    for i, c in enumerate(cells):
        if i != g:
            family.append((("grid", i),) + wilcoxon(c["by_repeat"], cells[g]["by_repeat"]))
            pair[("grid", i)] = frozenset((where[i], where[g]))
    gap = study["run_configuration"]
    family.append((("gap", 0),) + wilcoxon(gap["train"]["by_repeat"], gap["test"]["by_repeat"]))
    pair[("gap", 0)] = "gap"
    assert ("these intervals are rough" in text) == (study["repeats"] < 10)
    tested = [f for f in family if f[1] is not None]
    distinct = {}
    for f in tested:
        distinct.setdefault(pair[f[0]], f[1])
    if len(distinct) == 2:
        assert "Holm's correction for both comparisons" in text
    elif len(distinct) > 1:
        assert f"Holm's correction for all {len(distinct)} comparisons" in text
    elif distinct:
        assert "Holm's correction for the one comparison" in text
    else:
        assert "here no comparison could be made" in text
    once = dict(zip(distinct, holm(list(distinct.values())), strict=True))
    adjusted = {f[0]: once[pair[f[0]]] for f in tested}
    worse = {f[0] for f in tested if adjusted[f[0]] < 0.05 and f[2] < 0}
    symbols = {"hidden_size": "M", "learning_rate": "η", "weight_scale": "s"}

    def listed(values, among=None):
        values = notation(values, among)
        return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " and " + values[-1]

    for key, (points, b) in factors.items():
        symbol = symbols[key]
        all_values = [p["value"] for p in points]
        diverged = [p["value"] for p in points if p["test"]["n"] == 0]
        if not points[b]["test"]["n"]:
            continue
        if diverged:  # named, never compared
            assert f"At {symbol} = {listed(diverged, all_values)} every network diverged" in text, key
        for p in points:
            if p["test"]["n"] and p["test"]["diverged"]:
                repeats = p["test"]["n"] + p["test"]["diverged"]
                assert (
                    f"At {symbol} = {p['value']:g}, {p['test']['diverged']} of the {repeats} repeats" in text
                )
        name = listed([points[b]["value"]], all_values)  # as the list writes it (10⁻¹ beside 10⁻⁵)
        if len(points) == 1:  # one value: nothing is "best"
            assert f"Only {symbol} = {name} was tried" in text
            continue
        if len(points) - len(diverged) == 1:  # one value trained: nothing is "best" either
            assert f"Only {symbol} = {name} trained without diverging" in text
            continue
        top = points[b]["test"]["mean"]
        level = [p["value"] for p in points if p["test"]["n"] and abs(p["test"]["mean"] - top) < 1e-9]
        if len(level) > 1:  # a tie for the highest mean is not a best
            tied = [p for p in points if p["value"] in level]
            if all(p["test"]["by_repeat"] == points[b]["test"]["by_repeat"] for p in tied):
                said = (
                    f"is reached at {symbol} = {listed(level, all_values)}, with the same accuracy in every "
                )
                said += "repeat"
            else:  # the same mean from other repeats: each value with its own interval, none shared
                own = [
                    f"{symbol} = {text} (95% interval {pct(p['test']['ci_low'])} to "
                    f"{pct(p['test']['ci_high'])})"
                    for p, text in zip(tied, notation([p["value"] for p in tied], all_values), strict=True)
                ]
                said = "is reached at " + (", ".join(own[:-1]) + " and " + own[-1])
                assert f"The highest mean, {pct(top)}, {said}" in text, key
            assert f"The highest mean, {pct(top)}" in text and said in text, key
            assert f"The best mean, {pct(top)}" not in text.split(said)[0][-200:]
        else:
            assert f"The best mean, {pct(top)}" in text and f"is reached at {symbol} = {name}" in text
        values = [p["value"] for i, p in enumerate(points) if (key, i) in worse]
        if values:
            said = re.escape(listed(values, all_values))
            assert re.search(
                rf"{symbol} = {said} (is|are) worse|At {symbol} = {said} the accuracy is worse|"
                + ("The other" if len(points) == 2 else "Every other"),
                text,
            ), (key, values)
    # a setting whose every network diverged is said so; and a study where all did
    emptied = sum(1 for points, _ in factors.values() if not any(p["test"]["n"] for p in points))
    assert text.count("Every network with these settings diverged.") == emptied
    assert ("Every network of the grid diverged." in text) == (not any(c["n"] for c in cells))
    nothing = not any(c["n"] for c in cells) and not any(p["test"]["n"] for p in study["weight_scale"])
    assert ("Every network of the study diverged" in text) == nothing
    # the conclusion's "cannot tell apart" holds: no value of those settings is worse, and the values that
    # diverged in every repeat are excepted in words
    conclusion = text[text.index("Conclusion") :]
    # "varied together" only where both were varied; "every other" combination only of several
    sizes, rates = len(study["grid"]["hidden_sizes"]), len(study["grid"]["learning_rates"])
    assert "Varied together" not in conclusion or (sizes > 1 and rates > 1)
    assert "every other combination" not in conclusion or sizes * rates > 2
    names = {
        "hidden_size": "hidden size",
        "learning_rate": "learning rate",
        "weight_scale": "scale of the initial",
    }
    said = r"the data cannot tell apart the values of the (.*?)(?: that trained without diverging)?[.:;]"
    stated = re.search(said, conclusion)
    for key, (points, _) in factors.items():
        if stated and names[key] in stated.group(1):
            assert not any((key, i) in worse for i in range(len(points))), key
            assert sum(1 for p in points if p["test"]["n"]) >= 2, key
            if any(p["test"]["n"] == 0 for p in points):
                assert "that trained without diverging" in stated.group(0), key
    top = cells[g]["mean"]
    same = {i for i, c in enumerate(cells) if i != g and c["n"] and abs(c["mean"] - top) < 1e-9}
    ties = sum(
        1 for i, c in enumerate(cells) if i != g and c["n"] and ("grid", i) not in worse and i not in same
    )
    others, below = len(cells) - 1, sum(1 for i in range(len(cells)) if ("grid", i) in worse)
    empty = sum(1 for c in cells if not c["n"])
    rest = others - len(same)
    other, it = ("remaining", "them") if same else ("other", "it")
    if cells[g]["n"] and empty == others and others:
        assert "trained without diverging" in text and f"the other {others} combination" in text
    elif cells[g]["n"]:
        if others == 0:
            assert "The only combination tested" in text
        if same:  # a tie for the highest mean is not a best
            assert f"The highest mean, {pct(top)}" in text
            if len(same) <= 3 and any(cells[i]["by_repeat"] != cells[g]["by_repeat"] for i in same):
                for i in same:  # the same mean from other repeats: each cell with its own interval
                    M, eta, _ = where[i]
                    interval = f"(95% interval {pct(cells[i]['ci_low'])} to {pct(cells[i]['ci_high'])})"
                    assert f"M = {M} with η = {eta:g} {interval}" in text
        if rest == 0:
            pass
        elif ties == rest:
            assert (
                f"the data cannot tell {it} apart from "
                + (f"the {other} combination" if rest == 1 else f"any of the {other} {rest} combinations")
                in text
            )
        elif below == rest:
            assert (f"the {other} combination is worse" if rest == 1 else f"each of the {other}") in text
        elif ties:
            assert f"the data cannot tell {it} apart from {ties} of the {other} {rest} combinations" in text
        if empty and ties + below:
            assert f"{empty} diverged in every repeat" in text
    # the caption's repeat counts: cells over fewer repeats are named with their count
    for M, row in zip(study["grid"]["hidden_sizes"], study["grid"]["test"], strict=True):
        for eta, c in zip(study["grid"]["learning_rates"], row, strict=True):
            if c["n"] and c["diverged"]:
                assert f"{c['n']} at M = {M}, η = {eta:g}" in text
    assert ("“–”: every network diverged" in text) == bool(empty)
    grid = text[text.index("shows the mean test accuracy of every combination") :]
    # the grid's cell is the run's configuration only when trained for the run's iterations
    assert ("The run's configuration (" in grid) == (study["iterations"] == run["iterations"] and others > 0)


def test_alt_texts_say_what_is_drawn(built):
    """The figures' alt texts, recomputed: a curve 'stays at' a value only when it is constant and is
    otherwise described by values it takes, up to its lowest and highest; a setting tried at one value
    is one point with error bars, compared with nothing; exact ties for the highest mean are all named."""
    results = built["results"]
    run, study = results["run"], results["study"]
    alts = [html.unescape(a) for a in re.findall(r'<img [^>]*alt="([^"]*)"', built["html"])]
    joined = " ".join(alts)
    assert not re.search(r"(?<![\d.])1 (hidden sizes|learning rates|repeats|iterations|\w+ points)\b", joined)
    assert not re.search(r"\b(\d+) of the other \1 cells|\b0 of the other", joined)
    miss = next(a for a in alts if a.startswith("Line chart: over"))
    test = [v for v in run["test_misclassification_rate"] if v is not None]
    part = miss.split("; that of", 1)[1]
    shown = {pct(v) for v in test}
    assert ("stays at" in part) == (len(shown) == 1)
    assert pct(min(test)) in part and pct(max(test)) in part
    assert set(re.findall(r"[\d.]+%", part)) <= shown  # every share it names, the curve takes
    symbols = {"hidden_size": "M", "learning_rate": "η", "weight_scale": "s"}
    subjects = {
        "hidden_size": "hidden units M",
        "learning_rate": "the learning rate η",
        "weight_scale": "scale s",
    }
    defaults = {"hidden_size": run["hidden_size"], "learning_rate": run["learning_rate"], "weight_scale": 1.0}
    for key, symbol in symbols.items():
        points = study[key]
        text = next(a for a in alts if subjects[key] in a and "accuracy over" in a)
        scored = [p for p in points if p["test"]["n"]]
        all_values = [p["value"] for p in points]
        # this run's value in the list's notation (never 0.1 beside 10⁻⁵)
        assert f"this run's value, {symbol} = {notation([defaults[key]], all_values)[0]}." in text, key
        if len(points) > 1 and scored:  # both sets at every value: a complete list, not its ends
            trains = ", ".join(
                f"{'none (every run diverged)' if p['train']['mean'] is None else pct(p['train']['mean'])}"
                f" at {symbol} = {v}"
                for p, v in zip(points, notation(all_values), strict=True)
            )
            assert f"Training accuracy: {trains}." in text, key
        if not scored:
            assert "every repeat diverged at every value tried" in text and "Best" not in text, key
            continue
        if len(points) == 1:
            assert "one value tried" in text and "error bar" in text, key
            assert "band" not in text and "Best" not in text and "Training accuracy:" not in text, key
            continue
        if len(scored) < 2:
            continue
        top = max(p["test"]["mean"] for p in scored)
        level = [p["value"] for p in scored if abs(p["test"]["mean"] - top) < 1e-9]
        if len(level) == 1:
            assert (
                f"Best test mean: {pct(top)} at {symbol} = {notation(level, [p['value'] for p in points])[0]}"
                in text
            )
        elif len(level) == len(scored):
            assert f"the same test mean, {pct(top)}" in text and "Best" not in text, key
        elif len(level) <= 4:
            said = notation(level, [p["value"] for p in points])
            listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
            assert f"shared by {symbol} = {listed}" in text, key
        else:
            assert f"shared by {len(level)} values" in text, key
    grid = study["grid"]
    text = next(a for a in alts if a.startswith("Heatmap of") and "mean test accuracy" in a)
    cells = [(c, M, eta) for M, row in zip(grid["hidden_sizes"], grid["test"], strict=True)
             for eta, c in zip(grid["learning_rates"], row, strict=True)]  # fmt: skip
    if len(cells) == 1:
        assert text.startswith("Heatmap of one cell") and "Lowest" not in text
        return
    scored = [c for c in cells if c[0]["n"]]
    if len(scored) < 2:
        return
    top = max(c[0]["mean"] for c in scored)
    level = [c for c in scored if abs(c[0]["mean"] - top) < 1e-9]
    if len(level) == len(scored):
        assert f"the same mean, {pct(top)}" in text and "highest" not in text
    elif len(level) > 4:
        assert f"highest {pct(top)} at {len(level)} cells" in text
    else:
        highest = text.split(f"highest {pct(top)} at ", 1)[1]
        etas = dict(zip(grid["learning_rates"], notation(grid["learning_rates"]), strict=True))
        for _, M, eta in level:  # each tied cell named (by its row's size, when there are several rows)
            named = re.search(rf"(η = |, | and ){re.escape(etas[eta])}(?![\d])", highest)
            assert len(grid["learning_rates"]) == 1 or named
            assert len(grid["hidden_sizes"]) == 1 or f"M = {M}" in highest


def test_the_discussion_digests_are_current():
    """The shipped discussion and its digests agree (in CI, where nobody has rewritten it).

    Developers: after editing templates/discussion/, check that the sentence checks above still
    read the new wording, then update the digests:
    sha256sum templates/discussion/*.j2 | sed 's|templates/discussion/||' > tests/fixtures/discussion.sha256
    """
    if shipped_discussion():
        return
    message = (
        "templates/discussion/ differs from tests/fixtures/discussion.sha256: "
        "the sentence checks are skipped. "
        "Students: this is expected after rewriting the discussion. Developers: update the digests "
        "(command in this test's docstring)."
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
