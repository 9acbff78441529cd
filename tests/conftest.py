"""Shared fixtures: the Iris data and the course's seeded weight draws."""

import numpy as np
import pytest

from assignment import handout_examples as ex
from assignment.tools import load_iris, split_train_test


@pytest.fixture(scope="session")
def iris():
    return load_iris()


def draw_weights(D, M, K):
    """Draw W1 then W2 uniform in [-1, 1) from the global RNG, as the handout does."""
    W1 = 2 * np.random.rand(D + 1, M) - 1
    W2 = 2 * np.random.rand(M + 1, K) - 1
    return W1, W2


@pytest.fixture
def seeded_split(iris):
    """The course protocol: seed, split, seed again (seed 1234, as in the ffnn example)."""
    features, targets, _ = iris
    np.random.seed(ex.FFNN_SEED)
    split = split_train_test(features, targets)
    np.random.seed(ex.FFNN_SEED)
    return split


def cross_entropy(y, t):
    """Two-term cross-entropy of one point, written out as in clarifications.md."""
    return -np.sum(t * np.log(y) + (1 - t) * np.log(1 - y))


def reference_sigmoid(a):
    """An independent sigmoid (via tanh) for oracles in the tests."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(a, dtype=float)))
