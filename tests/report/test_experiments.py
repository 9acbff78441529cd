"""make results: Section 2.3's run and the study, checked against independent recomputations."""

import json

import numpy as np
import pytest
import scipy.stats

from assignment import backprop
from assignment.tools import load_iris, split_train_test
from report import experiments
from tests.report.conftest import tiny_settings


@pytest.fixture(scope="module")
def results():
    return experiments.compute(tiny_settings())


def test_required_keys(results):
    assert {"settings", "run", "study", "versions", "verification"} <= set(results)
    for key in ("seed", "hidden_size", "learning_rate", "iterations", "repeats"):
        assert key in results["settings"]
    for key in (
        "accuracy",
        "confusion_matrix",
        "E_total",
        "misclassification_rate",
        "test_misclassification_rate",
    ):
        assert key in results["run"]
    assert {"hidden_size", "learning_rate", "weight_scale", "grid"} <= set(results["study"])
    assert results["versions"]["numpy"] == np.__version__


def test_confusion_matrix_matches_the_accuracy(results):
    run = results["run"]
    matrix = np.array(run["confusion_matrix"])
    assert matrix.shape == (3, 3)
    assert matrix.sum() == run["test_size"] == 29
    assert np.trace(matrix) / matrix.sum() == run["accuracy"]
    assert run["class_names"] == ["setosa", "versicolor", "virginica"]
    # rows: true class
    assert matrix.sum(axis=1).tolist() == np.bincount(run["test_targets"], minlength=3).tolist()


def test_the_run_equals_an_independent_recomputation(results):
    """From the recorded settings alone, with the graded functions, in one call."""
    run = results["run"]
    features, targets, _ = load_iris()
    np.random.seed(run["seed"])
    (X, t), (Xt, tt) = split_train_test(features, targets, run["train_ratio"])
    np.random.seed(run["seed"])
    M = run["hidden_size"]
    W1 = 2 * np.random.rand(X.shape[1] + 1, M) - 1
    W2 = 2 * np.random.rand(M + 1, 3) - 1
    W1tr, W2tr, E_total, miss, _ = backprop.train_nn(
        X, t, M, 3, W1, W2, run["iterations"], run["learning_rate"]
    )
    guesses = backprop.test_nn(Xt, M, 3, W1tr, W2tr)
    assert run["E_total"] == E_total.tolist()
    assert run["misclassification_rate"] == miss.tolist()
    assert run["W1"] == W1tr.tolist() and run["W2"] == W2tr.tolist()
    assert run["accuracy"] == np.mean(guesses == tt)
    assert run["test_guesses"] == guesses.tolist()
    # the engine's test curve at iteration i: test_nn on the weights before update i
    for i in (0, 17, run["iterations"] - 1):
        W1i, W2i, *_ = backprop.train_nn(X, t, M, 3, W1, W2, i, run["learning_rate"])
        assert run["test_misclassification_rate"][i] == np.mean(backprop.test_nn(Xt, M, 3, W1i, W2i) != tt)
    agreement = run["engine_agreement"]
    assert agreement["same_misclassification_rate"] and agreement["same_guesses"]
    assert agreement["same_infinite_E_total"] and agreement["max_abs_E_total_difference"] < 1e-9
    assert agreement["max_abs_weight_difference"] < 1e-9


def test_study_statistics_equal_scipys(results):
    for point in results["study"]["hidden_size"] + results["study"]["weight_scale"]:
        for stats in (point["test"], point["train"]):
            values = np.array(stats["values"])
            assert stats["n"] == len(values) == 4
            assert stats["mean"] == pytest.approx(np.mean(values), abs=1e-15)
            assert stats["std"] == pytest.approx(np.std(values, ddof=1), abs=1e-15)
            assert values.min() <= stats["ci_low"] <= stats["mean"] <= stats["ci_high"] <= values.max()
            if np.std(values) > 0:
                interval = scipy.stats.bootstrap(
                    (values,), np.mean, n_resamples=9999, method="percentile", rng=np.random.default_rng(0)
                ).confidence_interval
                assert (stats["ci_low"], stats["ci_high"]) == pytest.approx(
                    (interval.low, interval.high), abs=1e-12
                )
            else:
                assert stats["ci_low"] == stats["ci_high"] == stats["mean"]


def test_intervals_stay_within_0_and_100_percent():
    """Five repeats with one stuck network: a t interval would pass 100%; the bootstrap stays inside."""
    stats = experiments.summarize([1.0, 1.0, 1.0, 1.0, 0.5])
    assert 0.5 <= stats["ci_low"] <= stats["ci_high"] <= 1.0
    assert (
        experiments.summarize([None, 0.9])["n"] == 1 and experiments.summarize([None, 0.9])["diverged"] == 1
    )
    assert experiments.summarize([None, None])["n"] == 0


def test_study_repeats_follow_the_course_protocol(results):
    """A study point recomputed with the graded functions from its recorded seeds."""
    study = results["study"]
    point = next(p for p in study["weight_scale"] if p["value"] == 0.5)
    run = results["run"]
    features, targets, _ = load_iris()
    expected = []
    for seed in study["seeds"]:
        np.random.seed(seed)
        (X, t), (Xt, tt) = split_train_test(features, targets, run["train_ratio"])
        np.random.seed(seed)
        M = run["hidden_size"]
        W1 = 0.5 * (2 * np.random.rand(5, M) - 1)
        W2 = 0.5 * (2 * np.random.rand(M + 1, 3) - 1)
        W1tr, W2tr, *_ = backprop.train_nn(X, t, M, 3, W1, W2, study["iterations"], run["learning_rate"])
        expected.append(np.mean(backprop.test_nn(Xt, M, 3, W1tr, W2tr) == tt))
    assert point["test"]["values"] == expected
    assert len(set(study["seeds"])) == len(study["seeds"]) == 4


def test_paired_comparison_equals_scipys(results):
    study = results["study"]
    points = study["hidden_size"]
    best = next(p for p in points if p["best"])
    assert best["test"]["mean"] == max(p["test"]["mean"] for p in points)
    for point in points:
        a, b = np.array(point["test"]["values"]), np.array(best["test"]["values"])
        comparison = point["vs_best"]
        assert comparison["mean_difference"] == pytest.approx(np.mean(a - b), abs=1e-15)
        if np.any(a != b):
            assert comparison["p_value"] == pytest.approx(
                scipy.stats.wilcoxon(a - b, zero_method="pratt").pvalue, rel=1e-12
            )
        else:
            assert comparison["p_value"] == 1.0


def test_pairs_skip_diverged_repeats():
    comparison = experiments.paired_comparison([0.9, None, 0.8], [0.7, 0.6, None])
    assert comparison["n"] == 1 and comparison["mean_difference"] == pytest.approx(0.2)
    assert experiments.paired_comparison([None], [0.5])["p_value"] is None


def test_the_run_configuration_is_always_studied():
    settings = tiny_settings(hidden_sizes=[2], learning_rates=[0.3], weight_scales=[0.5])
    configs = experiments.study_configurations(settings.run, settings.study)
    assert (4, 0.1, 1.0) in configs  # the run's M = 4, eta = 0.1 at scale 1, although no grid holds them


def test_same_settings_give_the_same_bytes(results):
    again = experiments.compute(tiny_settings())
    assert experiments.dumps(again) == experiments.dumps(results)


def test_results_file_is_strict_json(results):
    text = experiments.dumps(results)
    json.loads(text, parse_constant=lambda name: pytest.fail(f"non-standard JSON constant {name}"))


def test_bad_settings_stop_before_anything_is_written(tmp_path, settings_file, capsys):
    settings = settings_file
    settings.write_text(settings.read_text().replace("learning_rate = 0.1", "learning_rate = -0.1"))
    output = tmp_path / "results.json"
    output.write_text("previous results")
    assert experiments.main(["--settings", str(settings), "--output", str(output)]) == 2
    assert "[run] learning_rate = -0.1: must be a number > 0" in capsys.readouterr().err
    assert output.read_text() == "previous results"
