"""make bench: its study is the settings' grid, drawn by the course protocol."""

import numpy as np

from assignment.tools import load_iris
from report import bench
from report.protocol import course_split, course_weights, repeat_seeds
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
