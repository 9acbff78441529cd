"""The course's data helpers: load_iris and split_train_test."""

import hashlib
import shutil

import numpy as np
import pytest

from assignment import tools
from assignment.tools import DataError, load_iris, split_train_test


def test_load_iris_contract(iris):
    features, targets, classes = iris
    assert features.shape == (150, 4) and features.dtype == np.float64
    assert targets.shape == (150,) and np.issubdtype(targets.dtype, np.integer)
    assert classes == [0, 1, 2]
    assert np.bincount(targets).tolist() == [50, 50, 50]
    np.testing.assert_array_equal(features[0], [5.1, 3.5, 1.4, 0.2])
    # scikit-learn's corrected rows (they differ from the raw UCI file)
    np.testing.assert_array_equal(features[34], [4.9, 3.1, 1.5, 0.2])
    np.testing.assert_array_equal(features[37], [4.9, 3.6, 1.4, 0.1])


def test_shipped_file_digest():
    assert hashlib.sha256(tools.IRIS_PATH.read_bytes()).hexdigest() == tools.IRIS_SHA256


def test_missing_data_file_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="cannot read the Iris data.*git checkout"):
        load_iris(tmp_path / "iris.csv")


def test_altered_data_file_is_a_clear_error(tmp_path):
    copy = tmp_path / "iris.csv"
    shutil.copy(tools.IRIS_PATH, copy)
    copy.write_bytes(copy.read_bytes().replace(b"5.1,3.5", b"5.2,3.5", 1))
    with pytest.raises(DataError, match="not the expected Iris data"):
        load_iris(copy)


def test_split_sizes_drop_the_last_point(iris):
    features, targets, _ = iris
    np.random.seed(0)
    (Xtr, ttr), (Xte, tte) = split_train_test(features, targets)
    assert Xtr.shape == (120, 4) and ttr.shape == (120,)
    assert Xte.shape == (29, 4) and tte.shape == (29,)


def test_split_follows_the_global_rng(iris):
    features, targets, _ = iris
    np.random.seed(1234)
    p = np.random.permutation(150)
    np.random.seed(1234)
    (Xtr, ttr), (Xte, tte) = split_train_test(features, targets)
    np.testing.assert_array_equal(Xtr, features[p[:120]])
    np.testing.assert_array_equal(ttr, targets[p[:120]])
    np.testing.assert_array_equal(Xte, features[p[120:149]])
    np.testing.assert_array_equal(tte, targets[p[120:149]])
    assert Xtr[0].tolist() == [6.1, 3.0, 4.6, 1.4]  # the seeded ffnn example's z0


def test_split_keeps_points_with_their_targets(iris):
    features, targets, _ = iris
    np.random.seed(3)
    (Xtr, ttr), (Xte, tte) = split_train_test(features, targets, 0.5)
    for X, t in ((Xtr, ttr), (Xte, tte)):
        for row, label in zip(X, t, strict=True):
            matches = np.flatnonzero(np.all(features == row, axis=1))
            assert label in targets[matches]
    assert len(Xtr) == 75 and len(Xte) == 74


@pytest.mark.parametrize("ratio", [0, 1, 1.5, -0.2])
def test_split_rejects_a_bad_ratio(iris, ratio):
    features, targets, _ = iris
    with pytest.raises(ValueError, match="train_ratio must be between 0 and 1"):
        split_train_test(features, targets, ratio)


def test_split_rejects_mismatched_targets(iris):
    features, targets, _ = iris
    with pytest.raises(ValueError, match=r"targets must have shape \(N,\) = \(150,\)"):
        split_train_test(features, targets[:-1])
