"""Sentences of the shipped discussion that depend on a count, on results edited to make them true
and false: 'all 29 test points' (never '29 of the 29'), no 'Of these 8 repeats, 8 ...', one training
point in the singular, and the logarithm inside the cross-entropy. The build's results are edited
(the text is rendered from results alone); skipped, like tests/report/test_scenarios.py's sentence
checks, when a student has rewritten templates/discussion/."""

import copy
import re

import pytest

from report import render
from tests.report.test_scenarios import needs_shipped_text, text_of

pytestmark = pytest.mark.slow


def rendered(built, edit):
    needs_shipped_text()
    results = copy.deepcopy(built["results"])
    edit(results)
    return text_of(render.render_html(results, built["root"] / "templates"))


def with_matrix(matrix):
    def edit(results):
        run = results["run"]
        run["confusion_matrix"] = matrix
        run["test_size"] = sum(map(sum, matrix))
        run["accuracy"] = sum(matrix[i][i] for i in range(3)) / run["test_size"]

    return edit


def test_every_test_point_correct_reads_all_of_them(built):
    text = rendered(built, with_matrix([[10, 0, 0], [0, 9, 0], [0, 0, 10]]))
    assert "classifies all 29 test points correctly" in text and "all 29 held-out Iris flowers" in text
    assert "29 of the 29" not in text
    text = rendered(built, with_matrix([[10, 0, 0], [0, 8, 1], [0, 0, 10]]))
    assert "classifies 28 of the 29 test points correctly" in text and "all 29" not in text


def with_repeats(values):
    def edit(results):
        test = results["study"]["run_configuration"]["test"]
        test["values"], test["by_repeat"] = values, values

    return edit


def test_repeats_all_on_one_side_are_not_counted_as_n_of_n(built):
    accuracy = built["results"]["run"]["accuracy"]
    n = len(built["results"]["study"]["run_configuration"]["test"]["values"])
    below = rendered(built, with_repeats([accuracy - 0.1] * n))
    assert "This run is above every repeat" in below and "scored lower than this run" not in below
    same = rendered(built, with_repeats([accuracy] * n))
    assert f"{'Both' if n == 2 else f'All {n}'} of these repeats scored the same as this run" in same
    mixed = rendered(built, with_repeats([accuracy - 0.1] + [accuracy + 0.1] * (n - 1)))
    assert f"Of these {n} repeats, 1 scored lower than this run, none the same and {n - 1} higher" in mixed


def test_one_training_point_reads_in_the_singular(built):
    def one(results):
        results["run"]["train_size"] = 1

    text = rendered(built, one)
    assert "On its only training point it reaches" in text and "Trained on 1 Iris flower," in text
    assert "the mean cross-entropy over the single training point" in text
    assert "with a single one, it is either 0% or 100%" in text and "1/1 =" not in text
    text = rendered(built, lambda results: None)
    size = built["results"]["run"]["train_size"]
    assert f"On the {size} training points it reaches" in text and f"Trained on {size} Iris flowers," in text


def test_one_test_point_reads_in_the_singular(built):
    """Review 5 item 6: captions, confusion sentence and conclusion with a single test point."""
    text = rendered(built, with_matrix([[0, 0, 0], [0, 1, 0], [0, 0, 0]]))
    assert "Confusion matrix of the single test point:" in text
    assert "for comparison, the single test point classified with the same weights" in text
    assert "The single test point lies on the diagonal" in text and "Every test point" not in text
    assert "classifies its only test flower correctly (100.0%) in this run" in text
    assert "Because one split with a single test point moves the accuracy in steps of 100.0" in text
    assert "1 test point" not in text.replace("With only 1 test point", "")
    assert "of the test flowers" not in text
    wrong = rendered(built, with_matrix([[0, 0, 0], [0, 0, 1], [0, 0, 0]]))
    assert "classifies its only test flower wrongly (0.0%) in this run" in wrong
    assert "lies on the diagonal" not in wrong
    many = rendered(built, lambda results: None)
    size = built["results"]["run"]["test_size"]
    assert f"Confusion matrix of the {size} test points:" in many and "single test point" not in many
    assert f"Because one split of {size} test points moves" in many


def test_this_runs_rate_reads_in_the_notation_of_the_rates_beside_it(built):
    """Review 5 item 5: with rates down to 10⁻⁵ listed, the best rate is never written 0.1 beside them."""

    def tiny_rate(results):
        points = results["study"]["learning_rate"]
        points[0]["value"] = 1e-5  # the fixture's rates are 0.1 and 0.3: now 10⁻⁵ and 3 × 10⁻¹
        for p in points:
            p["best"] = p is points[-1]
        # the grid's columns relabelled 10⁻⁵ and 10⁻¹ (the fixture's 0.1 and 0.3; the run's 0.1 stays)
        grid = results["study"]["grid"]
        relabel = dict(zip(grid["learning_rates"], [1e-5, 0.1], strict=True))
        grid["learning_rates"] = [relabel[v] for v in grid["learning_rates"]]
        grid["best"]["learning_rate"] = relabel[grid["best"]["learning_rate"]]

    text = rendered(built, tiny_rate)
    # (4 paired repeats cannot pass the 5% level: 10⁻⁵ is a tie, never 'worse')
    assert "is reached at η = 3 × 10⁻¹. The data cannot tell it apart from η = 10⁻⁵." in text
    assert "the best learning rate was η = 3 × 10⁻¹, which the data cannot tell apart from η = 10⁻⁵" in text
    assert not re.search(r"(reached at|best learning rate was) η = 0\.3", text)
    # Section 3.4 writes the grid's rates, and the run's rate beside them, as the grid's list does
    assert re.search(r"reached with M = \d+ and η = 10⁻[¹⁵]", text)
    assert re.search(r"\( ?M = 4, η = 10⁻¹\)", text)  # the run's cell beside the grid's rates
    assert not re.search(r"reached with M = \d+ and η = 0\.", text)


def test_an_infinite_error_names_the_logarithm_inside_the_cross_entropy(built):
    def infinite(results):
        results["run"]["E_total"][1] = None  # results.json writes +inf as null

    text = rendered(built, infinite)
    assert "where the logarithm inside the cross-entropy, ln y or ln(1 − y), is ln 0" in text
    assert "logarithm of the cross-entropy" not in text
    assert "ln 0" not in rendered(built, lambda results: None)
