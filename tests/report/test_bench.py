"""make bench: its study is the settings' grid, drawn by the course protocol."""

import numpy as np

from assignment.tools import load_iris
from report import bench, bench_old_engine, engine
from report.protocol import course_split, course_weights, repeat_seeds
from report.settings import study_configurations
from tests.report.conftest import tiny_settings


def test_the_study_is_the_settings_grid_by_the_course_protocol():
    settings = tiny_settings(hidden_sizes=[2, 5], learning_rates=[0.1, 0.3, 1.0])
    datasets, networks = bench.study_networks(settings)
    assert len(datasets) == bench.STUDY_SEEDS
    assert len(networks) == bench.STUDY_SEEDS * 2 * 3
    assert sorted({(net.W1.shape[1], net.eta) for net in networks}) == [
        (M, eta) for M in (2, 5) for eta in (0.1, 0.3, 1.0)
    ]
    # the last repeat, M = 5: its split and weights as the course draws them
    seed = repeat_seeds(settings.run["seed"], bench.STUDY_SEEDS)[-1]
    features, targets, _ = load_iris()
    (X, t), _ = course_split(features, targets, seed, settings.run["train_ratio"])
    W1, W2 = course_weights(seed, 4, 5)
    net = next(n for n in networks if n.data == bench.STUDY_SEEDS - 1 and n.W1.shape[1] == 5)
    np.testing.assert_array_equal(datasets[net.data].X_train, X)
    np.testing.assert_array_equal(net.W1, W1)
    np.testing.assert_array_equal(net.W2, W2)


def test_the_report_study_is_every_configuration_on_the_settings_repeats():
    settings = tiny_settings(
        hidden_sizes=[2, 5], learning_rates=[0.1, 1.0], weight_scales=[0.1, 1.0], repeats=3
    )
    datasets, networks = bench.report_study_networks(settings)
    configs = study_configurations(settings.run, settings.study)
    assert len(datasets) == 3 and len(networks) == 3 * len(configs)
    assert {(n.W1.shape[1], n.eta) for n in networks} == {(M, eta) for M, eta, _ in configs}
    # the last network: the last configuration on the last repeat, drawn at its scale
    M, eta, scale = configs[-1]
    seed = repeat_seeds(settings.run["seed"], 3)[-1]
    W1, W2 = course_weights(seed, 4, M, scale)
    np.testing.assert_array_equal(networks[-1].W1, W1)
    np.testing.assert_array_equal(networks[-1].W2, W2)
    assert networks[-1].eta == eta and networks[-1].data == 2


def test_the_engine_before_trains_the_same_networks(iris):
    # make bench times the old engine beside the new one: both must do the same training
    features, targets, _ = iris
    (X, t), (Xt, tt) = course_split(features, targets, 5, 0.8)
    data = [engine.Dataset(X, t, Xt, tt)]
    nets = [engine.Network(*course_weights(5, 4, M), eta) for M in (2, 6) for eta in (0.05, 0.2)]
    for old, new in zip(
        bench_old_engine.train_many(data, nets, 50),
        engine.train_many(data, nets, 50, curves=False),
        strict=True,
    ):
        np.testing.assert_allclose(old.W1, new.W1, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(old.W2, new.W2, rtol=1e-10, atol=1e-12)
        assert (old.train_accuracy, old.test_accuracy) == (new.train_accuracy, new.test_accuracy)
