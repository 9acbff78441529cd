"""The findings, each made true and false on constructed results (no training, no student files)."""

import math

import numpy as np
import pytest

from report import experiments, findings
from report.findings import holm, join_words

NAMES = ["setosa", "versicolor", "virginica"]


@pytest.fixture(autouse=True)
def quick_bootstrap(monkeypatch):
    """The findings do not read the intervals: fewer resamples keep these tests quick."""
    monkeypatch.setattr(experiments, "BOOTSTRAP_RESAMPLES", 99)


def study_of(values, run_values=None, added=()):
    """A study whose every configuration has the per-repeat test accuracies ``values[config]``.

    values: {(M, eta, scale): list}; the grid is every (M, eta) at scale 1.
    """
    run = {"hidden_size": 4, "learning_rate": 0.1, "iterations": 100}
    configs = list(values)
    Ms = sorted({c[0] for c in configs if c[2] == 1.0})
    etas = sorted({c[1] for c in configs if c[2] == 1.0})
    scales = sorted({c[2] for c in configs})
    raw = {c: (v, v) for c, v in values.items()}
    cells = [experiments.summarize(raw[(M, eta, 1.0)][0]) for M in Ms for eta in etas]
    flat = [{"test": c} for c in cells]
    best = experiments._against_best(flat)
    for cell, marked in zip(cells, flat, strict=True):
        cell["best"], cell["vs_best"] = marked["best"], marked["vs_best"]
    n = len(next(iter(values.values())))
    config = (4, 0.1, 1.0)
    test = run_values if run_values is not None else values[config]
    return {
        "repeats": n,
        "iterations": 100,
        "networks": len(values) * n,
        "hidden_size": experiments.factor(raw, Ms, lambda M: (M, 0.1, 1.0), added),
        "learning_rate": experiments.factor(raw, etas, lambda eta: (4, eta, 1.0)),
        "weight_scale": experiments.factor(raw, scales, lambda s: (4, 0.1, s)),
        "grid": {
            "hidden_sizes": Ms,
            "learning_rates": etas,
            "test": [cells[i * len(etas) : (i + 1) * len(etas)] for i in range(len(Ms))],
            "best": {"hidden_size": Ms[best // len(etas)], "learning_rate": etas[best % len(etas)]},
        },
        "run_configuration": {
            "iterations": 100,
            "test": experiments.summarize(test),
            "train": experiments.summarize(test),
            "gap": experiments.paired_comparison(
                [min(1.0, v + 0.05) if v is not None else None for v in test], test
            ),
        },
        "standard": {"bootstrap_resamples": 9999, "confidence": 0.95},
    }, run


def plain_study(n=20, good=0.95):
    """Sizes 1, 4, 8 at eta 0.1 and 1; scales 0.1 and 1. Size 1 and eta 1 clearly worse."""
    rng = np.random.default_rng(1)
    values = {}
    for M in (1, 4, 8):
        for eta in (0.1, 1.0):
            level = good if M > 1 and eta < 1 else 0.5
            values[(M, eta, 1.0)] = list(np.clip(level + rng.integers(-1, 2, n) / 29, 0, 1))
    values[(4, 0.1, 0.1)] = list(values[(4, 0.1, 1.0)])
    return values


AGREE = {"max_abs_weight_difference": 1e-15, "max_abs_E_total_difference": 1e-15,
         "same_infinite_E_total": True, "same_misclassification_rate": True,
         "same_guesses": True}  # fmt: skip


def results(matrix=None, E=None, miss=None, test_miss=None, accuracy=None, values=None, run_values=None,
            train_accuracy=0.95, W1=None, agreement=None):  # fmt: skip
    matrix = matrix if matrix is not None else [[10, 0, 0], [0, 9, 1], [0, 0, 9]]
    E = E if E is not None else list(3.0 * np.exp(-np.arange(100) / 10) + 0.2)
    miss = miss if miss is not None else [0.6] * 10 + [0.05] * 90
    test_miss = test_miss if test_miss is not None else [0.6] * 10 + [0.04] * 90
    study, run = study_of(values or plain_study(), run_values)
    correct = sum(matrix[i][i] for i in range(3))
    total = sum(map(sum, matrix))
    return {
        "run": {
            **run,
            "confusion_matrix": matrix,
            "class_names": NAMES,
            "E_total": E,
            "misclassification_rate": miss,
            "test_misclassification_rate": test_miss,
            "train_size": 120,
            "test_size": total,
            "accuracy": correct / total if accuracy is None else accuracy,
            "train_accuracy": train_accuracy,
            "W1": W1 if W1 is not None else [[0.5, -0.5]] * 5,
            "W2": [[0.1, 0.2, 0.3]] * 3,
            "engine_agreement": {**AGREE, **(agreement or {})},
        },
        "study": study,
        "verification": {"gradient_check": [{"dE1_relative_error": 1e-9, "dE2_relative_error": 2e-9}],
                         "handout_examples": [{"ok": True}]},
    }  # fmt: skip


def run_f(**kwargs):
    return findings.derive(results(**kwargs))["run"]


# --- language --------------------------------------------------------------------


def test_language_helpers():
    """(The numbers' phrases, plural and points_phrase, are tested in test_numbers.py.)"""
    assert join_words([]) == "" and join_words(["a"]) == "a"
    assert join_words(["a", "b"]) == "a and b" and join_words(["a", "b", "c"]) == "a, b and c"


def test_holm_matches_a_hand_computation():
    # p sorted: 0.01 (x4 = 0.04), 0.02 (x3 = 0.06), 0.03 (x2 = 0.06), 0.04 (x1 = 0.04 -> monotone 0.06)
    assert holm([0.03, 0.01, None, 0.04, 0.02]) == pytest.approx([0.06, 0.04, None, 0.06, 0.06])
    assert holm([]) == [] and holm([None]) == [None]
    assert holm([0.9, 0.8]) == [1.0, 1.0]


# --- the confusion matrix -----------------------------------------------------------


def test_all_correct():
    f = run_f(matrix=[[10, 0, 0], [0, 10, 0], [0, 0, 9]])
    assert f["all_correct"].holds and not f["errors_only_versicolor_virginica"].holds


def test_one_test_point_wrong():
    f = run_f(matrix=[[10, 0, 0], [0, 9, 1], [0, 0, 9]])
    c = f["all_correct"]
    assert not c.holds and c.wrong == 1 and c.be == "is"
    assert c.phrase == "1 versicolor flower predicted as virginica"
    assert f["errors_only_versicolor_virginica"].holds


def test_two_way_confusion_reads_naturally():
    c = run_f(matrix=[[10, 0, 0], [0, 8, 2], [0, 1, 8]])["all_correct"]
    assert (
        c.phrase
        == "2 versicolor flowers predicted as virginica and 1 virginica flower predicted as versicolor"
    )
    assert c.be == "are"


def test_all_wrong_involves_setosa():
    f = run_f(matrix=[[0, 10, 0], [0, 0, 10], [9, 0, 0]])
    assert f["all_correct"].wrong == 29 and f["all_correct"].correct == 0
    assert not f["errors_only_versicolor_virginica"].holds
    assert f["all_correct"].setosa_errors == 19
    assert [m["recall"] for m in f["all_correct"].missed] == [0, 0, 0]


# --- the error curve ------------------------------------------------------------------


def test_falling_curve():
    f = run_f()
    assert f["error_fell"].holds and f["error_decreases_every_step"].holds and f["error_fast_start"].holds
    assert f["error_ends_at_minimum"].holds and not f["error_peak_above_start"].holds
    assert not f["error_infinite"].holds and not f["weights_diverged"].holds
    # 3 e^{-i/10}: the last 10 iterations fall by 3 (e^{-8.9} - e^{-9.9}) of a total 3 (1 - e^{-9.9})
    assert f["error_still_falling"].recent_share == pytest.approx(
        (math.exp(-8.9) - math.exp(-9.9)) / (1 - math.exp(-9.9)), rel=1e-9
    )
    assert not f["error_still_falling"].holds and f["error_levelled_off"].holds


def test_still_falling_curve():
    f = run_f(E=list(np.linspace(3, 1, 20)))
    assert f["error_still_falling"].holds and not f["error_levelled_off"].holds
    assert not f["error_fast_start"].holds  # a straight line reaches half its fall at half the run


def test_flat_curve():
    f = run_f(E=[1.0] * 50)
    assert not f["error_fell"].holds and not f["error_decreases_every_step"].holds
    assert not f["error_still_falling"].holds and not f["error_levelled_off"].holds
    assert not f["error_fast_start"].holds and f["error_ends_at_minimum"].holds
    assert f["error_fell"].rises == 0


def test_a_curve_that_barely_moves():
    f = run_f(E=list(2.226 - 1e-5 * np.arange(50)))  # a learning rate of 1e-5: 0.0005 in 50 steps
    assert f["error_barely_moves"].holds and f["error_fell"].holds and f["error_decreases_every_step"].holds
    assert f["error_barely_moves"].change == pytest.approx(-49e-5, rel=1e-9)
    assert not f["error_still_falling"].holds and not f["error_levelled_off"].holds
    assert not f["error_fast_start"].holds
    assert not run_f()["error_barely_moves"].holds  # the default curve falls from 3.2 to 0.2
    assert not run_f(E=[2.0])["error_barely_moves"].holds  # one value: no change to speak of
    assert (
        run_f(E=[2.0, 2.0009])["error_barely_moves"].holds
        and not run_f(E=[2.0, 2.003])["error_barely_moves"].holds
    )


def test_rising_curve():
    f = run_f(E=list(np.linspace(1, 2, 30)))
    assert not f["error_fell"].holds and f["error_peak_above_start"].holds
    assert f["error_fell"].rises == 29 and f["error_fell"].peak_at == 30


def test_overshooting_curve_above_its_minimum():
    E = [3.0, 3.5, 2.0, 1.0, 0.5, 0.8, 0.9, 0.9, 0.95, 1.0]
    f = run_f(E=E)
    assert f["error_peak_above_start"].holds and f["error_peak_above_start"].peak == 3.5
    assert not f["error_ends_at_minimum"].holds and f["error_fell"].min_at == 5
    assert f["error_rising_at_end"].holds and f["error_fell"].rises == 5


def test_an_infinite_error_at_some_iterations_is_not_divergence():
    # ln 0 at iterations 3 and 5 while the weights stay finite: the curve is described by its finite values
    # over the whole run, and the network did not diverge
    E = [2.0, 1.5, None, 1.2, None, 3.0, 1.4]
    f = run_f(E=E)
    assert f["error_infinite"].holds and not f["weights_diverged"].holds
    assert f["error_infinite"].count == 2 and f["error_infinite"].at == 3
    e = f["error_fell"]
    assert e.finite_iterations == 5 and e.last == 1.4 and e.last_at == 7 and e.holds
    assert e.peak == 3.0 and e.peak_at == 6 and f["error_peak_above_start"].holds
    assert e.min == 1.2 and e.min_at == 4
    # steps only between two finite neighbours: 2.0 -> 1.5 and 3.0 -> 1.4; neither rises
    assert e.steps == 2 and e.rises == 0 and not f["error_decreases_every_step"].holds
    # the window is the last step, 3.0 -> 1.4, both finite
    assert e.window == 1 and e.recent_fall == pytest.approx(1.6) and f["error_still_falling"].holds
    # an infinite value within the window's steps: no claim about the end
    f = run_f(E=[2.0, 1.5, 1.2, None, 1.0])
    assert not any(f[k].holds for k in ("error_still_falling", "error_levelled_off", "error_rising_at_end",
                                        "error_oscillates_at_end"))  # fmt: skip


def test_an_error_infinite_everywhere():
    f = run_f(E=[None, None])
    assert f["error_infinite"].holds and f["error_infinite"].all and f["error_fell"].finite_iterations == 0
    assert not f["error_fell"].holds and not f["error_still_falling"].holds


def test_weights_that_are_not_finite_mean_divergence():
    f = run_f(E=[2.0, 1.5, None, None], W1=[[0.5, None]] * 5)
    assert f["weights_diverged"].holds and f["weights_diverged"].undefined_from == 3
    assert not f["error_infinite"].holds  # the undefined tail is the divergence, not ln 0
    assert f["error_fell"].holds and f["error_fell"].finite_iterations == 2
    f = run_f(E=[2.0, None, 1.5, None], W1=[[0.5, None]] * 5)
    assert f["weights_diverged"].undefined_from == 4 and f["error_infinite"].count == 1


def test_an_oscillating_end_is_neither_falling_nor_levelled():
    # falls overall, then zig-zags: the last 2 steps rise and fall (the review's S7 shape)
    E = list(np.linspace(10, 1, 18)) + [2.5, 0.9]
    f = run_f(E=E)
    assert f["error_fell"].window == 2
    assert f["error_fell"].recent_fall == pytest.approx(1.0 - 0.9)  # net fall over the window ...
    assert not f["error_still_falling"].holds  # ... but one of its steps rises
    assert not f["error_levelled_off"].holds and not f["error_rising_at_end"].holds
    o = f["error_oscillates_at_end"]
    assert o.holds and o.recent_low == 0.9 and o.recent_high == 2.5 and o.recent_rises == 1
    # every step of the window non-increasing: still falling
    f = run_f(E=list(np.linspace(10, 1, 18)) + [0.9, 0.9])
    assert f["error_still_falling"].holds and not f["error_oscillates_at_end"].holds


def test_a_first_step_that_rises_still_allows_a_fast_start_but_says_halfway():
    E = [9.9, 17.1] + list(np.linspace(3, 1, 38))
    f = run_f(E=E)
    assert f["error_fast_start"].holds and f["error_fell"].half_at == 3  # 3.0 <= (9.9 + 1) / 2
    assert f["error_fell"].total_fall == pytest.approx(9.9 - 1)  # the fall from the start to the lowest


def test_levelled_off_is_a_narrow_range_over_the_window():
    E = [3.0] + [1.0 + 0.001 * (i % 2) for i in range(19)]  # fall 2.0; the end wobbles by 0.001
    f = run_f(E=E)
    assert f["error_levelled_off"].holds and not f["error_oscillates_at_end"].holds
    assert f["error_fell"].recent_range_share == pytest.approx(0.0005)


def test_a_short_run_still_falling_at_a_constant_slope_is_not_levelled_off():
    """The review's S20: 60 iterations, the last 6 steps each lower E by 0.14% of its fall. Their range,
    0.8% of the fall, is within 1%, yet the curve is as steep as before: as many iterations again at that
    slope lower E by 8.3% of its fall."""
    t = np.arange(60)
    E = 1.0 + 2.0 * np.exp(-t / 5) - 0.003 * t  # the exponential has died out: a straight line at the end
    f = run_f(E=list(E))
    e = f["error_fell"]
    fall = E[0] - E[-1]
    assert e.window == 6 and e.recent_range_share == pytest.approx((E[-7] - E[-1]) / fall, rel=1e-9)
    assert e.recent_range_share < 0.01  # what alone made it "levelled off" before
    assert e.recent_rate == pytest.approx((E[-7] - E[-1]) / 6 / fall, rel=1e-9)
    assert e.projected == pytest.approx(60 * 0.003 / fall, rel=1e-2) and e.projected > 0.08
    assert f["error_still_falling"].holds and not f["error_levelled_off"].holds
    assert e.window_fall_small  # the sentence says why: the projection, not the window's fall
    # the review's S2: 400 iterations, a 4x flatter end (0.023% of the fall per step): still falling too,
    # by 9% of its fall over another 400 iterations
    t = np.arange(400)
    E = 1.0 + 2.0 * np.exp(-t / 30) - 0.0005 * t
    f = run_f(E=list(E))
    assert f["error_fell"].projected == pytest.approx(400 * 0.0005 / (E[0] - E[-1]), rel=1e-2)
    assert f["error_still_falling"].holds and not f["error_levelled_off"].holds
    # the same run with the slope gone: 400 more iterations would move E by far less than 1% of its fall
    f = run_f(E=list(1.0 + 2.0 * np.exp(-t / 30)))
    assert f["error_levelled_off"].holds and not f["error_still_falling"].holds
    assert abs(f["error_fell"].projected) <= 0.01


def test_a_wobble_that_drifts_has_not_levelled_off():
    # within 1% of the fall over the window, but drifting down by 0.5% of the fall per step on average with
    # one step up: as many iterations again would lower it by far more than 1%
    E = list(np.linspace(3.0, 1.0, 36)) + [0.995, 0.99, 0.992, 0.985]
    f = run_f(E=E)
    assert f["error_fell"].window == 4 and f["error_fell"].recent_range_share <= 0.01
    assert not f["error_levelled_off"].holds and f["error_oscillates_at_end"].holds
    assert not f["error_still_falling"].holds and not f["error_rising_at_end"].holds


def test_one_iteration():
    f = run_f(E=[2.0], miss=[0.5], test_miss=[0.5])
    assert not f["error_fell"].holds and not f["error_still_falling"].holds
    assert f["one_iteration"].holds and not run_f()["one_iteration"].holds


def test_the_last_training_error_level_is_first_reached_exactly():
    # at or below is not "reached": 0.05 at iteration 2 is not the last level, 0.2
    f = run_f(miss=[0.5, 0.05, 0.3, 0.2])
    assert f["train_miss_rises"].last_reached == 4
    # a rate that ends above its start (a diverged run): the start is not that level
    f = run_f(miss=[79 / 120, 82 / 120, 80 / 120, 82 / 120])
    assert f["train_miss_rises"].last_reached == 2
    assert run_f(miss=[0.5, 0.2, 0.2])["train_miss_rises"].last_reached == 2


def test_the_training_rate_moves_by_whole_points_of_any_size():
    m = run_f(miss=[0.6, 0.6, 0.3, 0.25])["train_miss_moves"]  # 72, 72, 36, 30 of 120 points
    assert m.holds and m.largest_jump == 36 and m.step == 1 / 120
    m = run_f(miss=[82 / 120] * 3)["train_miss_moves"]
    assert not m.holds and m.largest_jump == 0


def test_the_final_network_is_told_apart_from_the_curves_last_values():
    # the curves end at 6 training and 1 test error before the last update; after it, 30 and 9
    f = run_f(accuracy=20 / 29, train_accuracy=0.75)
    m = f["final_differs"]
    assert m.holds and m.final_train_wrong == 30 and m.final_test_wrong == 9
    assert m.final_train_differs and m.final_test_differs
    f = run_f()  # 6 of 120 and 1 of 29 on both
    assert not f["final_differs"].holds


def test_test_error_ends_above_its_minimum():
    # the final network (3 of 29 wrong) is 3 points above the test curve's lowest, 0
    f = run_f(test_miss=[0.5, 0.0, 0.1034], accuracy=26 / 29)
    assert f["test_miss_ends_above_min"].holds and f["test_miss_ends_above_min"].test_points_above_min == 3
    # the curve ends above its lowest, but the final network is back at it: no rise to explain
    assert not run_f(test_miss=[0.5, 0.0, 0.1034], accuracy=1.0)["test_miss_ends_above_min"].holds
    assert not run_f(test_miss=[0.5, 0.0, 0.0], accuracy=1.0)["test_miss_ends_above_min"].holds


def test_a_test_rise_with_the_training_error_is_not_called_overfitting():
    # the test rate is lowest at iteration 2 (3 of 29); the final network has 9 test and 48 training errors
    f = run_f(miss=[0.5, 0.2, 0.4], test_miss=[0.5, 0.1, 0.3], accuracy=20 / 29, train_accuracy=0.6)
    assert f["test_miss_ends_above_min"].holds and f["test_rise_with_training"].holds
    assert f["test_rise_with_training"].train_at_test_min == 0.2
    assert not f["overfitting_possible"].holds


def test_overfitting_is_offered_only_when_the_training_error_never_rose_and_the_network_fits():
    test = {"test_miss": [0.5, 0.1, 0.3], "accuracy": 20 / 29}
    # 24, 12 then 10 training errors: never rising, 92% on the training points
    f = run_f(miss=[0.5, 0.2, 0.1], train_accuracy=0.92, **test)
    assert f["overfitting_possible"].holds and not f["test_rise_with_training"].holds
    # never rising, but 45% on the training points: the network is not fitting them
    f = run_f(miss=[0.7, 0.6, 0.55], train_accuracy=0.45, **test)
    assert not f["overfitting_possible"].holds and f["overfitting_possible"].train_never_rose
    # ends lower, but rose in between (24 -> 36 -> 12 -> 10): no net rise, but not "never rose"
    f = run_f(
        miss=[0.5, 0.2, 0.3, 0.1], test_miss=[0.5, 0.1, 0.2, 0.3], accuracy=20 / 29, train_accuracy=0.92
    )
    assert f["overfitting_possible"].holds and not f["test_rise_with_training"].holds
    assert not f["overfitting_possible"].train_never_rose
    # no rise of the test error: nothing to explain
    f = run_f(miss=[0.5, 0.2, 0.1], test_miss=[0.5, 0.1, 0.1], accuracy=26 / 29, train_accuracy=0.92)
    assert not f["overfitting_possible"].holds and not f["test_rise_with_training"].holds


def test_the_engine_agrees_only_to_rounding_and_when_everything_is_identical():
    assert run_f()["engine_agrees"].holds
    # chaotic training: the weights drift apart by 0.45 although the guesses are identical
    f = run_f(agreement={"max_abs_weight_difference": 0.45, "max_abs_E_total_difference": 0.31,
                         "same_misclassification_rate": False})  # fmt: skip
    assert not f["engine_agrees"].holds and not f["engine_stopped"].holds
    assert f["engine_agrees"].same_guesses and not f["engine_agrees"].same_misclassification_rate
    assert not run_f(agreement={"max_abs_weight_difference": 2e-6})["engine_agrees"].holds
    assert not run_f(agreement={"same_guesses": False})["engine_agrees"].holds
    # both errors infinite at every iteration (no difference to take), weights equal: the same numbers
    assert run_f(agreement={"max_abs_E_total_difference": None})["engine_agrees"].holds
    # but not when the engine's error is infinite at other iterations than train_nn's
    assert not run_f(agreement={"same_infinite_E_total": False})["engine_agrees"].holds
    # the engine stopped the network (its weights not finite, its test curve null from iteration 3 on)
    # while train_nn went on with finite weights
    f = run_f(test_miss=[0.5, 0.1, None, None], agreement={"max_abs_weight_difference": None})
    assert f["engine_stopped"].holds and f["engine_stopped"].stopped_at == 3
    assert not f["engine_agrees"].holds and f["test_curve_stops"].holds
    # both stopped: train_nn's weights are not finite either, so it did not "carry on"
    f = run_f(test_miss=[0.5, 0.1, None, None], agreement={"max_abs_weight_difference": None},
              W1=[[None, 0.5]] * 5)  # fmt: skip
    assert f["weights_diverged"].holds and not f["engine_stopped"].holds and f["test_curve_stops"].holds


# --- the run among its repeats -----------------------------------------------------


def test_run_below_and_above_every_repeat():
    values = plain_study()
    low = min(values[(4, 0.1, 1.0)])
    f = run_f(accuracy=low - 1 / 29, values=values)
    assert f["below_every_repeat"].holds and not f["above_every_repeat"].holds
    f = run_f(accuracy=low, values=values)  # a tie with the lowest repeat is not below it
    assert not f["below_every_repeat"].holds and f["below_every_repeat"].same >= 1
    f = run_f(accuracy=1.0, values={**values, (4, 0.1, 1.0): [0.9] * 20})
    assert f["above_every_repeat"].holds and f["repeats_trained"].higher == 0


def test_repeats_that_all_diverged():
    f = run_f(run_values=[None, None, None] + [None] * 17)
    assert not f["repeats_trained"].holds and not f["below_every_repeat"].holds


# --- the study ------------------------------------------------------------------------


def study_f(values=None, **kwargs):
    return findings.derive(results(values=values, **kwargs))["study"]


def test_clear_differences_are_called_and_ties_named():
    s = study_f()
    hidden = s["hidden"]
    assert hidden["matters"].holds and hidden["first_worse"].holds
    assert hidden["summary"].worse == [1]
    assert set(hidden["summary"].ties) == {4, 8}  # 4 and 8 have the same distribution: a tie, named
    assert hidden["best_tied"].holds and hidden["enough"].holds and hidden["enough"].value == 4
    assert s["rate"]["last_worse"].holds and s["grid"]["largest_rate_fails"].holds
    assert s["grid"]["some_worse"].holds
    assert s["settings_matter"].names == ["hidden size", "learning rate"]


def test_nothing_is_called_with_three_repeats():
    s = study_f(plain_study(n=3))
    assert not s["hidden"]["matters"].holds and not s["rate"]["matters"].holds
    assert not s["settings_matter"].holds and not s["grid"]["largest_rate_fails"].holds
    assert not s["grid"]["some_worse"].holds
    assert s["hidden"]["enough"].value == 1  # every size is a tie with the best...
    # ...so "from M = 1 on, no size can be told apart from the best" would say nothing: not claimed
    assert not s["hidden"]["enough"].holds and s["hidden"]["enough"].all_tied
    assert not s["hidden"]["largest_not_tied"].holds


def test_one_hidden_unit_only():
    values = {(4, 0.1, 1.0): [0.9] * 5 + [0.8] * 5, (4, 0.1, 0.5): [0.9] * 10}
    s = study_f(values)
    assert s["hidden"]["summary"].ties == [4] and not s["hidden"]["best_tied"].holds
    assert s["hidden"]["enough"].value == 4 and s["hidden"]["enough"].is_largest


def test_best_at_the_largest_size_is_flagged():
    rng = np.random.default_rng(0)
    values = {
        (M, 0.1, 1.0): list(np.clip(0.5 + 0.1 * M / 8 + rng.integers(0, 2, 20) / 29, 0, 1)) for M in (1, 4, 8)
    }
    values[(8, 0.1, 1.0)] = [1.0] * 20
    s = study_f(values)
    assert s["hidden"]["summary"].best_value == 8 and s["hidden"]["enough"].is_largest
    assert s["hidden"]["enough"].largest_is_best


def test_largest_size_worse_than_the_best_means_no_enough():
    values = {(1, 0.1, 1.0): [0.95] * 20, (4, 0.1, 1.0): [0.95] * 20, (8, 0.1, 1.0): [0.3] * 20}
    hidden = study_f(values)["hidden"]
    assert not hidden["enough"].holds and hidden["largest_not_tied"].holds


def test_enough_needs_the_size_below_to_be_worse():
    hidden = study_f()["hidden"]  # size 1 clearly worse, 4 and 8 tied with the best
    assert hidden["enough"].holds and hidden["enough"].value == 4 and hidden["enough"].below == 1
    assert not hidden["enough"].all_tied and not hidden["largest_not_tied"].holds
    values = {(1, 0.1, 1.0): [0.9] * 20, (4, 0.1, 1.0): [0.9] * 20, (8, 0.1, 1.0): [0.9] * 20}
    hidden = study_f(values)["hidden"]  # a flat curve: every size ties, nothing is "enough"
    assert not hidden["enough"].holds and hidden["enough"].all_tied and hidden["enough"].below is None


def test_a_setting_with_one_value_compares_nothing():
    values = {(M, 0.1, 1.0): v for (M, eta, scale), v in plain_study().items() if eta == 0.1 and scale == 1.0}
    s = study_f(values)  # one learning rate, one scale; sizes 1 (worse), 4, 8
    assert s["rate"]["single"].holds and s["scale"]["single"].holds and not s["hidden"]["single"].holds
    matter = s["settings_matter"]
    assert matter.holds and matter.phrase == "hidden size" and matter.other_count == 0
    assert matter.single == "learning rate and scale of the initial weights" and matter.single_count == 2
    assert matter.single_phrase == "one learning rate and one scale of the initial weights"
    s = study_f()  # two rates, two scales: the scale cannot be told apart, nothing is single
    assert not s["rate"]["single"].holds and s["settings_matter"].others == "scale of the initial weights"
    assert s["settings_matter"].single_count == 0


def test_grid_ties_read_naturally():
    phrase = findings.grid_ties_phrase
    assert phrase(0, 0, 0) == "it is the only combination tested"
    assert phrase(1, 1, 0) == "the data cannot tell it apart from the other combination"
    assert phrase(1, 0, 1) == "the other combination is worse"
    assert phrase(5, 5, 0) == "the data cannot tell it apart from any of the other 5 combinations"
    assert phrase(5, 0, 5) == "each of the other 5 combinations is worse"
    # the rest are named: worse, or diverged in every repeat (never compared, so not "the other 3")
    assert phrase(5, 2, 3) == "the data cannot tell it apart from 2 of the other 5 combinations; 3 are worse"
    assert phrase(8, 6, 0) == (
        "the data cannot tell it apart from 6 of the other 8 combinations; 2 diverged in every repeat"
    )
    assert phrase(5, 1, 2) == (
        "the data cannot tell it apart from 1 of the other 5 combinations; "
        "2 are worse and 2 diverged in every repeat"
    )
    assert phrase(5, 0, 4) == "of the other 5 combinations, 4 are worse and 1 diverged in every repeat"
    assert phrase(3, 0, 0) == "each of the other 3 combinations diverged in every repeat"
    assert phrase(1, 0, 0) == "the other combination diverged in every repeat"
    # combinations sharing the best's mean are said apart: the phrase is about the remaining ones
    assert (
        phrase(5, 2, 0, equal=3) == "the data cannot tell them apart from any of the remaining 2 combinations"
    )
    assert phrase(3, 0, 0, equal=3) == ""
    assert study_f()["grid"]["summary"].ties_phrase == (
        "the data cannot tell it apart from 1 of the other 5 combinations; 4 are worse"
    )  # plain_study: only sizes 4 and 8 at eta 0.1 are good; the other four cells are clearly worse


def test_run_trained_for_other_iterations_than_the_study():
    r = results()
    assert not findings.derive(r)["study"]["run_trained_apart"].holds
    assert findings.derive(r)["study"]["grid"]["summary"].same_iterations
    r["run"]["iterations"] = 1
    s = findings.derive(r)["study"]
    assert s["run_trained_apart"].holds and not s["grid"]["summary"].same_iterations
    assert s["run_trained_apart"].iterations == 1 and s["run_trained_apart"].study_iterations == 100


def test_the_gap_names_the_networks_it_averages():
    """The review's S1/S12: the gap's repeats were trained for the run's iterations; when the study trains
    for another count, they are not Section 3's networks, and the sentence must say which they are."""
    r = results()
    gap = findings.derive(r)["study"]["gap"]["train_above_test"]
    assert not gap.apart and gap.iterations == gap.study_iterations == 100
    r["run"]["iterations"] = r["study"]["run_configuration"]["iterations"] = 3000  # as experiments stores it
    gap = findings.derive(r)["study"]["gap"]["train_above_test"]
    assert gap.apart and gap.iterations == 3000 and gap.study_iterations == 100
    assert gap.n == 20 and gap.mean == pytest.approx(0.05, abs=0.02)  # the run-length networks' numbers


def test_exact_ties_are_not_called_best():
    values = {(1, 0.1, 1.0): [0.9] * 20, (4, 0.1, 1.0): [0.9] * 20, (8, 0.1, 1.0): [0.9] * 20}
    s = study_f(values)
    summary = s["hidden"]["summary"]
    # the first of the equals carries the numbers; the others share its mean, said as such, not as ties
    assert summary.best_value == 1 and summary.equal == [4, 8] and summary.identical
    assert summary.equal_phrase == "1, 4 and 8" and summary.equal_others_phrase == "4 and 8"
    assert s["hidden"]["best_equal"].holds and not s["hidden"]["best_tied"].holds
    assert summary.other_ties == [] and not s["hidden"]["matters"].holds
    assert s["grid"]["best_equal"].holds and s["grid"]["summary"].equal_count == 2
    assert s["grid"]["summary"].identical and s["grid"]["summary"].ties_phrase == ""
    assert s["grid"]["summary"].run_equal  # the run's cell (4, 0.1) shares the best's mean
    assert not s["grid"]["summary"].run_behind


def test_the_same_mean_from_other_accuracies_is_a_tie_for_the_highest_mean_too():
    a, b = [1.0, 0.0, 0.0, 0.5] * 5, [0.0, 1.0, 0.5, 0.0] * 5  # both average 0.375
    values = {(1, 0.1, 1.0): [0.2] * 20, (4, 0.1, 1.0): a, (8, 0.1, 1.0): b}
    summary = study_f(values)["hidden"]["summary"]
    assert summary.best_value == 4 and summary.equal == [8] and not summary.identical
    values[(8, 0.1, 1.0)] = [0.0, 1.0, 0.5, 0.25] * 5  # 1/16 lower on average: a difference, not a tie
    assert study_f(values)["hidden"]["summary"].equal == []
    assert not study_f()["hidden"]["best_equal"].holds  # plain_study: 4 and 8 differ repeat by repeat


def test_each_value_of_the_highest_mean_has_its_own_interval():
    """The review's S8: M = 10 and 20 share the mean, not the repeats, so not the interval."""
    a, c = [1.0, 0.0, 0.0, 0.5] * 5, [0.25, 0.5] * 10  # both average 0.375; c spreads far less
    s = study_f({(1, 0.1, 1.0): [0.2] * 20, (4, 0.1, 1.0): a, (8, 0.1, 1.0): c})
    summary = s["hidden"]["summary"]
    assert s["hidden"]["best_equal"].holds and not summary.identical
    stats = {e["value"]: e["stats"] for e in summary.equal_stats}
    assert list(stats) == [4, 8] and stats[4]["values"] == a and stats[8]["values"] == c
    assert [e["text"] for e in summary.equal_stats] == ["4", "8"]
    own = {v: (stats[v]["ci_low"], stats[v]["ci_high"]) for v in (4, 8)}
    assert own[4] == experiments.bootstrap_interval(a) and own[8] == experiments.bootstrap_interval(c)
    assert own[4] != own[8]  # one interval for both would be false for one of them
    grid = s["grid"]["summary"]  # the same two cells in the grid (one rate): each with its own interval
    assert s["grid"]["best_equal"].holds and not grid.identical
    assert (grid.best_stats["ci_low"], grid.best_stats["ci_high"]) == own[4]
    assert [(e["hidden_size"], (e["ci_low"], e["ci_high"])) for e in grid.equal] == [(8, own[8])]
    # identical in every repeat: one interval, true of each
    s = study_f({(1, 0.1, 1.0): [0.2] * 20, (4, 0.1, 1.0): a, (8, 0.1, 1.0): list(a)})
    assert s["hidden"]["summary"].identical and s["grid"]["summary"].identical


def test_the_course_scale_sharing_the_highest_mean_with_a_smaller_one():
    values = plain_study()
    values[(4, 0.1, 0.1)] = list(values[(4, 0.1, 1.0)])  # identical in every repeat, and listed first
    s = study_f(values)
    assert s["scale"]["course_equal"].holds and s["scale"]["course_equal"].identical
    assert not s["scale"]["course_is_best"].holds and not s["scale"]["course_worse"].holds
    values[(4, 0.1, 0.1)] = [1.0] * 20
    assert not study_f(values)["scale"]["course_equal"].holds


def test_a_study_where_every_network_diverged_is_described_not_a_crash():
    values = {config: [None] * 5 for config in plain_study()}
    s = study_f(values)
    assert s["all_diverged"].holds and s["diverged"].count == 7 * 5
    for key in ("hidden", "rate", "scale"):
        assert not s[key]["summary"].holds and not s[key]["trained"].holds, key
        assert s[key]["summary"].spread is None and not s[key]["only_trained"].holds
        assert not s[key]["some_diverged"].holds  # nothing trained to set the diverged values apart from
    assert not s["grid"]["summary"].holds and not s["grid"]["only_trained"].holds
    assert not s["scale"]["course_is_best"].holds and not s["settings_matter"].holds
    assert s["settings_matter"].other_count == 0
    f = findings.derive(results(values=values))
    assert f["standard"]["comparisons"] == 0 and not f["study"]["too_few_repeats"].holds
    assert not study_f()["all_diverged"].holds


def test_a_value_that_diverged_in_every_repeat_is_named_not_compared():
    values = plain_study()
    for M in (1, 4, 8):
        values[(M, 1.0, 1.0)] = [None] * 20  # the larger rate diverges at every size
    s = study_f(values)
    rate = s["rate"]
    assert rate["only_trained"].holds and rate["some_diverged"].holds
    assert rate["summary"].diverged == [1.0] and rate["summary"].diverged_phrase == "1"
    assert not rate["matters"].holds and not rate["best_tied"].holds and not rate["last_worse"].holds
    matter = s["settings_matter"]
    # the learning rate is neither "told apart" nor "cannot be told apart": it is named as diverged
    assert "learning rate" not in matter.names and "learning rate" not in matter.others
    assert matter.diverged_values == [{"symbol": "η", "phrase": "1"}]
    assert s["grid"]["summary"].ties_phrase == (
        "the data cannot tell it apart from 1 of the other 5 combinations; "
        "1 is worse and 3 diverged in every repeat"
    )
    assert len(s["grid"]["summary"].diverged_cells) == 3 and s["grid"]["fewer_repeats"].holds
    assert not s["grid"]["largest_rate_fails"].holds  # untested, not worse
    assert not study_f()["rate"]["some_diverged"].holds and not study_f()["rate"]["only_trained"].holds


def test_values_that_diverged_in_some_repeats_are_counted():
    values = plain_study()
    values[(8, 0.1, 1.0)] = [None] * 6 + values[(8, 0.1, 1.0)][6:]
    s = study_f(values)
    assert s["hidden"]["summary"].partly == [{"value": 8, "diverged": 6, "repeats": 20}]
    assert s["grid"]["summary"].partly == [{"hidden_size": 8, "learning_rate": 0.1, "n": 14, "diverged": 6}]
    assert s["grid"]["fewer_repeats"].holds and not s["hidden"]["some_diverged"].holds
    assert not study_f()["grid"]["fewer_repeats"].holds and study_f()["hidden"]["summary"].partly == []


def rate_curve(means, n=20):
    """Rates 0.01, 0.1, 1, 10 at size 4 (sizes 4 and 8 in the grid), each mean +- one test point."""
    rng = np.random.default_rng(2)
    values = {}
    for M in (4, 8):
        for eta, mean in zip((0.01, 0.1, 1.0, 10.0), means, strict=True):
            values[(M, eta, 1.0)] = list(np.clip(mean + rng.integers(-1, 2, n) / 29, 0, 1))
    return values


def test_a_cause_is_offered_only_where_the_curve_shows_it():
    s = study_f(rate_curve([0.95, 0.8, 0.6, 0.3]))  # falls steadily from the best on
    assert s["rate"]["last_worse"].holds and s["rate"]["last_falling"].holds
    s = study_f(rate_curve([0.95, 0.3, 0.6, 0.5]))  # the largest rate is worse but not the worst (S16)
    assert s["rate"]["last_worse"].holds and not s["rate"]["last_falling"].holds
    s = study_f(rate_curve([0.3, 0.6, 0.95, 0.9]))  # rises steadily up to the best
    assert s["rate"]["first_worse"].holds and s["rate"]["first_rising"].holds
    assert s["rate"]["small_steps"].holds and s["rate"]["small_steps"].slow_rows == []
    s = study_f(rate_curve([0.3, 0.9, 0.6, 0.95]))  # the smallest rate is worse, but the curve dips between
    assert s["rate"]["first_worse"].holds and not s["rate"]["first_rising"].holds
    s = study_f(rate_curve([0.6, 0.8, 0.95, 0.3]))  # one step down from the best: a difference, not a trend
    assert s["rate"]["last_worse"].holds and not s["rate"]["last_falling"].holds
    s = study_f(rate_curve([0.3, 0.95, 0.9, 0.8]))  # one step up to the best
    assert s["rate"]["first_worse"].holds and not s["rate"]["first_rising"].holds


def test_the_conclusion_says_every_other_combination_only_when_each_is_worse():
    values = rate_curve([0.3, 0.3, 0.95, 0.3])
    values[(8, 1.0, 1.0)] = list(values[(8, 0.01, 1.0)])  # size 8 is poor at every rate
    grid = study_f(values)["grid"]
    assert grid["some_worse"].holds and grid["summary"].worse_count == grid["summary"].cells - 1 == 7
    grid = study_f(rate_curve([0.3, 0.9, 0.95, 0.3]))["grid"]  # 0.1 cannot be told apart from 1
    assert grid["some_worse"].holds and 0 < grid["summary"].worse_count < grid["summary"].cells - 1


def test_steps_are_not_called_too_small_when_a_size_trains_best_with_them():
    values = rate_curve([0.3, 0.6, 0.95, 0.9])
    values[(8, 0.01, 1.0)] = [1.0] * 20  # size 8 does best at the smallest rate (S12)
    s = study_f(values)
    assert s["rate"]["first_rising"].holds and not s["rate"]["small_steps"].holds
    assert s["rate"]["small_steps"].slow_rows == [8] and s["rate"]["small_steps"].slow_rows_phrase == "8"
    # and the conclusion's "best learning rate" (at the run's size) is not the grid's
    assert s["rate"]["grid_best_elsewhere"].holds
    assert s["rate"]["grid_best_elsewhere"].grid_best == {"hidden_size": 8, "learning_rate": 0.01}
    assert not study_f(rate_curve([0.3, 0.6, 0.95, 0.9]))["rate"]["grid_best_elsewhere"].holds


def test_too_few_repeats_knows_when_no_configurations_are_compared():
    values = {(4, 0.1, 1.0): plain_study(n=3)[(4, 0.1, 1.0)]}  # one value of each setting
    f = findings.derive(results(values=values))["study"]["too_few_repeats"]
    assert f.holds and f.comparisons == 1 and f.configurations == 0  # the gap alone
    f = findings.derive(results(values=plain_study(n=3)))["study"]["too_few_repeats"]
    assert f.configurations == f.comparisons - 1 > 0  # every tested comparison but the gap


def test_diverged_networks_are_left_out_and_counted():
    values = plain_study()
    values[(8, 1.0, 1.0)] = [None] * 20
    s = study_f(values)
    assert s["diverged"].holds and s["diverged"].count == 20
    assert s["grid"]["summary"].cells == 6


def test_course_scale_worse_than_a_smaller_one():
    values = plain_study()
    values[(4, 0.1, 0.1)] = [1.0] * 20
    s = study_f(values)
    assert s["scale"]["summary"].best_value == 0.1 and s["scale"]["course_worse"].holds
    assert not s["scale"]["course_is_best"].holds


def test_size_added_to_the_grid_is_reported():
    values = plain_study()
    study, run = study_of(values, added={4})
    assert [p["added"] for p in study["hidden_size"]] == [False, True, False]


def spread(level, n=20, seed=0):
    """``n`` accuracies around ``level``, each a whole number of 29 test points off (-1, 0 or +1)."""
    return list(np.clip(level + np.random.default_rng(seed).integers(-1, 2, n) / 29, 0, 1))


def test_holm_counts_every_comparison_the_text_makes_once():
    # sizes 1 and 4 at eta 0.1 and 1, scales 0.1 and 1 at the run's (4, 0.1), the clear best
    values = {(1, 0.1, 1.0): spread(0.6, seed=1), (1, 1.0, 1.0): spread(0.5, seed=2),
              (4, 0.1, 1.0): spread(0.95, seed=3), (4, 1.0, 1.0): spread(0.7, seed=4),
              (4, 0.1, 0.1): spread(0.8, seed=5)}  # fmt: skip
    f = findings.derive(results(values=values))
    # the text compares (1, 0.1) and (4, 1) with (4, 0.1) twice, one at a time and in the grid: the same
    # pairs on the same repeats, each one test. Distinct: 3 grid cells, the scale 0.1, and the gap
    assert f["standard"]["comparisons"] == 5
    assert (
        f["study"]["too_few_repeats"].comparisons == 5 and f["study"]["too_few_repeats"].configurations == 4
    )
    # the adjusted p-values are Holm's over those 5 (scipy's test on the differences: the oracle)
    import scipy.stats

    best = values[(4, 0.1, 1.0)]

    def p(a, b):
        return scipy.stats.wilcoxon(np.subtract(a, b), zero_method="pratt").pvalue

    others = [values[c] for c in [(1, 0.1, 1.0), (4, 1.0, 1.0), (1, 1.0, 1.0), (4, 0.1, 0.1)]]
    raw = [p(v, best) for v in others] + [p([min(1.0, v + 0.05) for v in best], best)]
    adjusted = holm(raw)
    s = f["study"]
    hidden, rate = s["hidden"]["summary"].points, s["rate"]["summary"].points
    assert hidden[0]["p_holm"] == pytest.approx(adjusted[0], rel=1e-9)  # M = 1 against M = 4
    assert rate[1]["p_holm"] == pytest.approx(adjusted[1], rel=1e-9)  # eta = 1 against eta = 0.1
    assert s["scale"]["summary"].points[0]["p_holm"] == pytest.approx(adjusted[3], rel=1e-9)
    assert s["gap"]["train_above_test"].p_holm == pytest.approx(adjusted[4], rel=1e-9)


def test_a_study_list_of_one_value_does_not_count_a_comparison_twice():
    # one learning rate and one scale: the sizes one at a time are the grid's only row, and the same pairs
    values = {(M, 0.1, 1.0): spread(level, seed=M) for M, level in ((1, 0.5), (4, 0.95), (8, 0.9))}
    f = findings.derive(results(values=values))
    assert f["standard"]["comparisons"] == 2 + 1  # sizes 1 and 8 against 4, and the gap (not 2 + 2 + 1)
    import scipy.stats

    best = values[(4, 0.1, 1.0)]

    def p(a, b):
        return scipy.stats.wilcoxon(np.subtract(a, b), zero_method="pratt").pvalue

    raw = [p(values[(1, 0.1, 1.0)], best), p(values[(8, 0.1, 1.0)], best)]
    adjusted = holm([*raw, p([min(1.0, v + 0.05) for v in best], best)])
    points = f["study"]["hidden"]["summary"].points
    assert [points[0]["p_holm"], points[2]["p_holm"]] == pytest.approx(adjusted[:2], rel=1e-9)
    # two rates: the 5 grid pairs with the best (4, 0.1) hold the sizes' and the rate's; and the gap
    for M, level in ((1, 0.5), (4, 0.6), (8, 0.55)):
        values[(M, 1.0, 1.0)] = spread(level, seed=10 + M)
    assert findings.derive(results(values=values))["standard"]["comparisons"] == 2 + 3 + 1


def test_the_generalisation_gap():
    s = study_f()  # training accuracy 5 points above test on every repeat
    assert s["gap"]["train_above_test"].holds and not s["gap"]["test_above_train"].holds
    s = study_f(plain_study(n=3))
    assert not s["gap"]["train_above_test"].holds


def test_every_finding_states_its_claim_and_evidence():
    found = findings.derive(results())
    names = [f.name for f in findings.all_findings(found)]
    assert len(names) == len(set(names)) >= 30
    for f in findings.all_findings(found):
        assert f.claim and isinstance(f.holds, bool), f.name
        if f.threshold:
            assert f.why, f.name
    with pytest.raises(AttributeError):
        _ = found["run"]["all_correct"].no_such_evidence


def test_derive_does_not_change_the_results():
    r = results()
    before = repr(r)
    findings.derive(r)
    assert repr(r) == before


def test_too_few_repeats_to_call_anything():
    f = findings.derive(results(values=plain_study(n=3)))["study"]["too_few_repeats"]
    assert f.holds and f.smallest_p <= 0.25
    assert not findings.derive(results())["study"]["too_few_repeats"].holds  # 20 repeats: 2^-19 * 11 < 5%
    assert not f.left_out  # every comparison has its 3 pairs
    r = results(values=plain_study(n=3))
    r["study"]["repeats"] = 4  # as if one repeat of every compared pair had diverged
    assert findings.derive(r)["study"]["too_few_repeats"].left_out


@pytest.mark.parametrize("n", [*range(1, 20), 25, 30, 50, 51, 60, 100, 200])
def test_smallest_signed_rank_p_is_scipys(n):
    """Written out without scipy (its import is slow): scipy's test on n differences of one sign,
    all equal (ties) and all different, is the oracle."""
    import scipy.stats

    equal = float(scipy.stats.wilcoxon(np.ones(n), zero_method="pratt").pvalue)
    different = float(scipy.stats.wilcoxon(np.arange(1.0, n + 1), zero_method="pratt").pvalue)
    if n <= 50:  # scipy's exact distribution: only the two all-one-sign outcomes are as extreme
        assert different == pytest.approx(2 / 2**n, rel=1e-12)
    assert findings.smallest_signed_rank_p(n) == pytest.approx(min(2 / 2**n, equal), rel=1e-12)


def test_intervals_from_few_repeats_are_called_rough():
    assert findings.derive(results(values=plain_study(n=3)))["study"]["rough_intervals"].holds
    assert findings.derive(results(values=plain_study(n=9)))["study"]["rough_intervals"].holds
    assert not findings.derive(results(values=plain_study(n=10)))["study"]["rough_intervals"].holds
    assert not findings.derive(results())["study"]["rough_intervals"].holds  # 20 repeats


def test_alt_text_of_an_error_infinite_at_some_iterations():
    from report import alt, render

    data = results(E=[2.0, None, 1.5, None, 1.2])
    text = alt.error(data["run"], findings.derive(data)["run"], render.FILTERS)
    assert "finite at 3 of the 5 iterations and infinite (not drawn) at the other 2;" in text
    assert "its finite values run from 2.000 nats at iteration 1 to 1.200 at iteration 5" in text
    assert "diverged" not in text
    data = results(E=[None, None])
    text = alt.error(data["run"], findings.derive(data)["run"], render.FILTERS)
    assert "no finite value in" in text and "nothing is drawn" in text
