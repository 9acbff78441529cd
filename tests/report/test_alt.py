"""The figures' alt texts (report/alt.py) on hand-made results: each sentence holds where its
results make it true and is absent where they make it false. Expected texts are read off the
made-up values (the curves' values, the accuracies of each repeat), never from the code."""

from types import SimpleNamespace

from report import alt, findings, render

F = render.FILTERS


def stats(values):
    """Study statistics of accuracies, one per repeat (None: diverged)."""
    kept = [v for v in values if v is not None]
    mean = sum(kept) / len(kept) if kept else None
    low, high = (min(kept), max(kept)) if kept else (None, None)
    return {"mean": mean, "ci_low": low, "ci_high": high, "n": len(kept), "diverged": len(values) - len(kept),
            "values": kept, "by_repeat": list(values)}  # fmt: skip


def point(value, test, train=None, best=False):
    return {"value": value, "test": stats(test), "train": stats(train or test), "best": best, "added": False}


def pcts(*values):
    return [v / 100 for v in values]


# --- curves ------------------------------------------------------------------------------


def test_a_curve_stays_at_a_value_only_when_every_value_prints_as_it():
    assert alt.course(pcts(62.1, 62.1, 62.1), F["pct"]) == ("stays at 62.1%", [])
    move, extremes = alt.course(pcts(62.1, 58.6, 79.3, 62.1), F["pct"])
    assert move == "starts and ends at 62.1%"
    assert extremes == ["lowest 58.6% at iteration 2", "highest 79.3% at iteration 3"]


def test_a_curve_between_its_ends_names_no_extremes_and_one_beyond_them_does():
    assert alt.course(pcts(70, 40, 30), F["pct"]) == ("falls from 70.0% to 30.0%", [])
    assert alt.course(pcts(70, 20, 30), F["pct"]) == (
        "falls from 70.0% to 30.0%",
        ["lowest 20.0% at iteration 2"],
    )
    assert alt.course([1.0, 3.0, 2.0], F["num"], [5, 7, 9]) == (
        "rises from 1.000 to 2.000",
        ["highest 3.000 at iteration 7"],
    )


def misclassified(train, test, train_size=20, test_size=29):
    """A run's curves from counts of misclassified points, each iteration; the final network as the last."""
    return {
        "misclassification_rate": [k / train_size for k in train],
        "test_misclassification_rate": [k / test_size for k in test],
        "train_size": train_size,
        "test_size": test_size,
        "iterations": len(train),
        "train_accuracy": 1 - train[-1] / train_size,
        "accuracy": 1 - test[-1] / test_size,
    }


def test_the_test_curve_that_jumps_and_returns_is_not_said_to_stay():
    """Review item 3: a test curve at 18, 17, 23 and 18 of 29 misclassified starts and ends at 62.1%."""
    run = misclassified([10, 8, 8, 7], [18, 17, 23, 18])
    text = alt.misclassification(run, findings.misclassification_findings(run), F)
    test = text.split("; that of", 1)[1]
    assert "stays" not in test
    assert (
        "starts and ends at 62.1%, lowest 58.6% at iteration 2, highest 79.3% at iteration 3, rising at 1 "
        "of its 3 steps." in test
    )
    assert "over 4 iterations" in text and "the 29 test points" in text


def test_a_constant_test_curve_stays():
    run = misclassified([10, 8, 8, 7], [18, 18, 18, 18])
    text = alt.misclassification(run, findings.misclassification_findings(run), F)
    assert "that of the 29 test points, classified with the same weights, stays at 62.1%." in text
    assert "falls from 50.0% to 35.0% (first reached at iteration 4);" in text  # never rises: not said
    run = misclassified([10, 8, 9, 7], [18, 18, 18, 18])
    assert "to 35.0% (first reached at iteration 4), rising at 1 of its 3 steps;" in alt.misclassification(
        run, findings.misclassification_findings(run), F
    )


def test_one_point_and_one_iteration_read_in_the_singular():
    run = misclassified([1], [2], train_size=1, test_size=1)
    text = alt.misclassification(run, findings.misclassification_findings(run), F)
    assert "over 1 iteration," in text and "the single test point" in text and "1 iterations" not in text
    error = alt.error(
        {"E_total": [0.7], "train_size": 1, "iterations": 1},
        {"error_fell": SimpleNamespace(rises=0, finite_iterations=1),
         "error_decreases_every_step": SimpleNamespace(holds=False),
         "error_infinite": SimpleNamespace(holds=False), "weights_diverged": SimpleNamespace(holds=False)},
        F,
    )  # fmt: skip
    assert "over the single training point stays at 0.700 nats over 1 iteration" in error


# --- the error curve (Figure 2) ----------------------------------------------------------------


def error_text(E, weights_ok=True):
    """Figure 2's alt text for the curve ``E`` (None: infinite, as results.json writes +inf)."""
    run = {
        "E_total": E,
        "train_size": 120,
        "iterations": len(E),
        "W1": [[0.5]],
        "W2": [[0.5 if weights_ok else None]],
    }
    return alt.error(run, findings.error_findings(run), F)


def test_an_error_finite_only_between_infinite_values_is_described_by_its_finite_values():
    """Review 5 item 2 (s3): finite at 5 of 100 iterations, no two in a row."""
    finite = {1: 3.049, 86: 57.773, 89: 57.196, 92: 56.696, 95: 56.195}
    text = error_text([finite.get(i) for i in range(1, 101)])
    assert "is finite at 5 of the 100 iterations and infinite (not drawn) at the other 95;" in text
    assert "its finite values run from 3.049 nats at iteration 1 to 56.195 at iteration 95" in text
    assert "highest 57.773 at iteration 86" in text and "no two of them at consecutive iterations" in text
    for false in ("never rising", "rises from", "over 100 iterations", "decreasing", "stays at"):
        assert false not in text, false


def test_a_single_finite_error_does_not_stay_at_it():
    """Review 5 item 2 (s7): one finite value, at iteration 1 of 20."""
    text = error_text([2.168] + [None] * 19)
    assert "is finite only at iteration 1 of 20, where it is 2.168 nats" in text
    assert "infinite (not drawn) at the other 19." in text
    for false in ("stays at", "never rising", "over 20 iterations", "decreasing"):
        assert false not in text, false


def test_an_error_with_gaps_counts_rises_only_between_finite_neighbours():
    # steps 2.0 -> 1.8 and 1.5 -> 1.6 -> 1.2: one rise of three; 1.8 -> 1.5 spans the gap
    text = error_text([2.0, 1.8, None, 1.5, 1.6, 1.2])
    assert "finite at 5 of the 6 iterations and infinite (not drawn) at the other one;" in text
    assert "rising at 1 of the 3 steps between consecutive iterations that are both finite" in text
    # two falls and the gap between: it fell at every step it has, but not 'at every iteration'
    text = error_text([2.0, 1.8, None, 1.5, 1.2])
    assert "rising at none of the 2 steps between consecutive iterations that are both finite" in text
    assert "decreasing at every iteration" not in text and "never rising" not in text
    text = error_text([2.0, 1.8, None, 1.5])
    assert "not rising at the one step between consecutive iterations that are both finite" in text


def test_an_error_undefined_after_a_divergence_is_not_called_infinite():
    text = error_text([2.0, 1.9, None, None], weights_ok=False)
    assert (
        "is finite at 2 of the 4 iterations and undefined from iteration 3 on (the network diverged);" in text
    )
    assert "infinite" not in text


def test_an_error_finite_throughout_reads_as_before():
    text = error_text([2.0, 1.5, 1.2])
    assert "falls from 2.000 to 1.200 nats over 3 iterations, decreasing at every iteration." in text
    assert "finite" not in text
    assert "rising at 1 of the iterations" in error_text([2.0, 2.1, 1.2])
    assert "never rising" in error_text([2.0, 2.0, 1.2])


def test_a_curve_that_prints_as_constant_has_no_direction():
    """Review 5 item 3 (s6): a fall of 2.9e-10 over 60 iterations prints as 'stays at 1.302'."""
    text = error_text([1.3016206747 - 5e-12 * k for k in range(60)])
    assert "stays at 1.302 nats over 60 iterations (it changes by less than the printed digits)." in text
    assert "decreasing" not in text and "rising" not in text
    assert error_text([0.7] * 3).endswith("stays at 0.700 nats over 3 iterations.")  # exactly constant


# --- one setting's study plot ------------------------------------------------------------------


def test_one_value_is_one_point_with_error_bars_compared_with_nothing():
    """Review item 8: one value draws a point with error bars, no line and no band."""
    only = [point(50, [0.7, 0.75], [0.9, 0.88], best=True)]
    text = alt.factor(only, "the number of hidden units M", "M", 2, F, default=50)
    assert "at the one value tried of the number of hidden units M, M = 50" in text
    assert "error bar for the test set (72.5%) and one for the training set (89.0%)" in text
    assert "band" not in text and "Best" not in text and "Line chart" not in text
    assert text.count("M = 50") == 2  # once for the point, once for the dotted line: no repeats


def test_values_that_trained_next_to_each_other_draw_bands_and_a_lone_one_error_bars():
    points = [
        point(1, [0.5, 0.6]),
        point(2, [0.7, 0.8], best=True),
        point(4, [None, None]),
        point(8, [0.4, 0.5]),
    ]
    text = alt.factor(points, "M", "M", 2, F)
    assert text.startswith("Line chart with 95% bootstrap intervals as bands, and as error bars at M = 8,")
    lone = [point(1, [0.5, 0.6]), point(2, [None, None]), point(4, [0.7, 0.8], best=True)]
    text = alt.factor(lone, "M", "M", 2, F)
    assert text.startswith("Chart of points with 95% bootstrap intervals as error bars")
    assert "band" not in text
    one = [point(1, [None, None]), point(2, [0.7, 0.8], best=True)]
    text = alt.factor(one, "M", "M", 2, F)
    assert text.startswith("Chart of one point with its 95% bootstrap interval as an error bar, at M = 2:")
    assert "Best" not in text and "cross on the axis" in text
    joined = [point(1, [0.5, 0.6]), point(2, [0.7, 0.8], best=True)]
    assert alt.factor(joined, "M", "M", 2, F).startswith("Line chart with 95% bootstrap intervals as bands:")


def test_every_value_tied_for_the_highest_mean_is_named():
    """Review item 6: the same mean at several values is no single best (the text's tie rule)."""
    tied = [point(0.0999, [0.9, 0.94], best=True), point(0.1, [0.9, 0.94]), point(0.1001, [0.9, 0.94])]
    text = alt.factor(tied, "η", "η", 2, F)
    assert "All 3 values have the same test mean, 92.0%." in text and "Best" not in text
    some = [point(0.03, [0.6, 0.7]), point(0.1, [0.8, 0.9], best=True), point(0.3, [0.9, 0.8])]
    text = alt.factor(some, "η", "η", 2, F)
    assert "Highest test mean: 85.0%, shared by η = 0.1 and 0.3." in text and "Best" not in text
    apart = [point(0.03, [0.6, 0.7]), point(0.1, [0.8, 0.9], best=True), point(0.3, [0.8, 0.8])]
    assert "Best test mean: 85.0% at η = 0.1." in alt.factor(apart, "η", "η", 2, F)


def test_a_study_plots_values_in_one_notation():
    points = [point(1e-5, [0.7, 0.72]), point(1e-4, [0.75, 0.76]), point(1, [0.9, 0.9], best=True)]
    text = alt.factor(points, "s", "s", 2, F)
    assert "at s = 10⁻⁵, 75.5% at s = 10⁻⁴, 90.0% at s = 1" in text and "0.0001" not in text


def test_the_training_accuracy_is_listed_at_every_value_as_the_test_accuracy_is():
    """Review 5 item 3: a list in the form of a complete list names every value, here the highest
    training mean in the middle (η = 300), which the ends alone leave out."""
    points = [
        point(150, [0.35, 0.36], [0.33, 0.326], best=True),
        point(300, [0.32, 0.324], [0.34, 0.332]),
        point(400, [0.30, 0.31], [0.326, 0.326]),
        point(800, [0.30, 0.30], [0.325, 0.325]),
    ]
    text = alt.factor(points, "the learning rate η", "η", 2, F)
    assert (
        "Training accuracy: 32.8% at η = 150, 33.6% at η = 300, 32.6% at η = 400, 32.5% at η = 800." in text
    )
    assert "Test accuracy: 35.5% at η = 150, 32.2% at η = 300, 30.5% at η = 400, 30.0% at η = 800." in text
    gone = [point(1, [0.5, 0.6], [0.55, 0.65]), point(2, [None, None]), point(4, [0.7, 0.8], best=True)]
    text = alt.factor(gone, "M", "M", 2, F)
    assert "Training accuracy: 60.0% at M = 1, none (every run diverged) at M = 2, 75.0% at M = 4." in text


def test_this_runs_value_reads_in_the_notation_of_its_list():
    """Review 5 item 5: never '10⁻¹' in the list and '0.1' for the dotted line; a value off the list
    takes the list's notation too."""
    points = [point(1e-5, [0.35, 0.37]), point(1e-3, [0.35, 0.37]), point(0.1, [0.7, 0.76], best=True)]
    text = alt.factor(points, "the learning rate η", "η", 2, F, default=0.1)
    assert "Best test mean: 73.0% at η = 10⁻¹. A dotted line marks this run's value, η = 10⁻¹." in text
    assert "0.1" not in text
    text = alt.factor(points, "the learning rate η", "η", 2, F, default=0.03)
    assert "this run's value, η = 3 × 10⁻²." in text
    plain = [point(0.03, [0.6, 0.7]), point(0.3, [0.8, 0.9], best=True)]
    assert "this run's value, η = 0.1." in alt.factor(plain, "η", "η", 2, F, default=0.1)


# --- the grid ----------------------------------------------------------------------------------


def grid_of(sizes, rates, rows, repeats=2):
    """A study whose grid has the accuracies ``rows`` (one list of repeats per cell); the best cell is
    the first with the highest mean, as the study marks it."""
    cells = [[stats(c) for c in row] for row in rows]
    means = [c["mean"] for row in cells for c in row if c["mean"] is not None]
    best = next(c for row in cells for c in row if c["mean"] is not None and c["mean"] == max(means))
    best["best"] = True
    for row in cells:
        for c in row:
            c.setdefault("best", False)
    return {"repeats": repeats, "grid": {"hidden_sizes": sizes, "learning_rates": rates, "test": cells}}


FOUND = {
    "grid": {
        "summary": SimpleNamespace(ties_phrase="the data cannot tell it apart from the other combinations")
    }
}


def test_a_grid_of_one_cell_compares_nothing():
    """Review item 8: no '1 hidden sizes', no 'lowest' and 'highest' of one cell, no '0 of the other 0'."""
    study = grid_of([50], [0.05], [[[0.7, 0.75]]])
    text = alt.grid(study, {"hidden_size": 50, "learning_rate": 0.05}, FOUND, F)
    assert text.startswith(
        "Heatmap of one cell, the mean test accuracy over 2 repeats at M = 50 with η = 0.05"
    )
    assert "72.5%" in text and "It is this run's combination." in text
    for wrong in ("1 hidden sizes", "Lowest", "highest", "of the other", "Range"):
        assert wrong not in text


def test_a_grid_of_one_row_names_its_cells_by_rate():
    study = grid_of([10], [20, 30], [[[0.4, 0.3], [0.3, 0.2]]])
    text = alt.grid(study, {"hidden_size": 10, "learning_rate": 30}, FOUND, F)
    assert "for one hidden size, M = 10 (one row) and 2 learning rates η (20 to 30, columns)" in text
    assert (
        "η = 20: 35.0%; η = 30: 25.0%." in text and "Lowest 25.0% at η = 30; highest 35.0% at η = 20" in text
    )
    assert "Range over the hidden sizes" not in text


def test_every_cell_tied_for_the_highest_mean_is_named_by_row():
    """Review item 6: three identical cells are all the highest, not the last of them."""
    study = grid_of([10, 11], [0.0999, 0.1, 0.1001], [[[0.9, 0.94]] * 3, [[0.98, 0.99]] * 3])
    text = alt.grid(study, {"hidden_size": 10, "learning_rate": 0.1}, FOUND, F)
    assert "Lowest 92.0% at M = 10 with η = 0.0999, 0.1 and 0.1001" in text
    assert "highest 98.5% at M = 11 with η = 0.0999, 0.1 and 0.1001;" in text
    apart = grid_of([10, 11], [0.1, 0.3], [[[0.9, 0.94], [0.5, 0.6]], [[0.98, 0.99], [0.7, 0.7]]])
    text = alt.grid(apart, {"hidden_size": 10, "learning_rate": 0.1}, FOUND, F)
    assert "Lowest 55.0% at M = 10 with η = 0.3; highest 98.5% at M = 11 with η = 0.1;" in text


def test_many_tied_cells_are_counted():
    study = grid_of([1, 2, 3], [0.1, 0.3], [[[1.0, 1.0]] * 2] * 2 + [[[0.5, 0.5], [1.0, 1.0]]])
    text = alt.grid(study, {"hidden_size": 1, "learning_rate": 0.1}, FOUND, F)
    assert "highest 100.0% at 5 cells;" in text


def test_the_confusion_matrix_counts_its_diagonal_in_words():
    def text(matrix):
        run = {"class_names": ["setosa", "versicolor", "virginica"], "confusion_matrix": matrix,
               "test_size": sum(map(sum, matrix))}  # fmt: skip
        return alt.confusion(run, findings.confusion_findings(run), F)

    assert text([[2, 0, 0], [0, 2, 0], [0, 0, 3]]).endswith("All 7 lie on the diagonal.")  # not '7 of 7'
    assert text([[2, 0, 0], [0, 1, 1], [0, 0, 3]]).endswith("6 of 7 lie on the diagonal.")
    assert text([[0, 1, 0], [0, 0, 0], [0, 0, 0]]).endswith("It lies off the diagonal.")
    assert text([[0, 1, 0], [0, 0, 1], [1, 0, 0]]).endswith("None lies on the diagonal.")
