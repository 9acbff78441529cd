"""Shared fixtures: the Iris data and the course's seeded split. Oracles are in ``tests/oracle.py``."""

import numpy as np
import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from assignment import handout_examples as ex
from assignment.tools import load_iris, split_train_test
from report import paths

# Keep hypothesis's files (example database, caches) with the other generated
# files, so that `make clean` leaves only tracked files.
set_hypothesis_home_dir(paths.BUILD / ".hypothesis")


@pytest.fixture(scope="session")
def iris():
    return load_iris()


@pytest.fixture
def seeded_split(iris):
    """The course protocol: seed, split, seed again (seed 1234, as in the ffnn example)."""
    features, targets, _ = iris
    np.random.seed(ex.FFNN_SEED)
    split = split_train_test(features, targets)
    np.random.seed(ex.FFNN_SEED)
    return split
