"""The course's data helpers: ``load_iris`` and ``split_train_test``.

Same contract as the course's ``tools.py``, but reading the copy of the Iris
data shipped in ``assignment/data/iris.csv`` (the values scikit-learn's
``load_iris()`` returns) instead of importing scikit-learn. The file's
SHA-256 digest is checked, so a missing or altered copy fails loudly instead
of giving different numbers.
"""

import csv
import hashlib
import io
from pathlib import Path

import numpy as np

IRIS_PATH = Path(__file__).with_name("data") / "iris.csv"
IRIS_SHA256 = "3a6fc062ef64e75ac2e711cf140609279c55c7d9e17c794fc15ddc46c77287a0"
IRIS_POINTS = 150  # rows of that file: 50 of each class
CLASS_NAMES = ("setosa", "versicolor", "virginica")


class DataError(RuntimeError):
    """The shipped data file is missing or is not the expected one."""


def load_iris(path=IRIS_PATH):
    """Load Fisher's Iris data.

    Returns ``(features, targets, classes)``: a (150, 4) float array, a
    (150,) int array of class indices, and the list ``[0, 1, 2]``
    (0 = setosa, 1 = versicolor, 2 = virginica).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataError(
            f"cannot read the Iris data at {path}: {error.strerror}. "
            "Restore it with `git checkout -- assignment/data/iris.csv`."
        ) from None
    digest = hashlib.sha256(raw).hexdigest()
    if digest != IRIS_SHA256:
        raise DataError(
            f"{path} is not the expected Iris data (sha256 {digest}, expected {IRIS_SHA256}). "
            "Restore it with `git checkout -- assignment/data/iris.csv`."
        )
    rows = list(csv.reader(io.StringIO(raw.decode("ascii"))))[1:]
    features = np.array([[float(v) for v in row[:4]] for row in rows])
    targets = np.array([int(row[4]) for row in rows])
    return features, targets, [0, 1, 2]


def split_train_test(features, targets, train_ratio=0.8):
    """Shuffle the points with numpy's global RNG and split them.

    features: (N, D); targets: (N,). Seed the global RNG first
    (``np.random.seed``) for a reproducible split; this function sets none.
    Returns ``(train_features, train_targets), (test_features, test_targets)``
    with ``int(N * train_ratio)`` training points. As in the course's
    version, the last shuffled point is dropped: Iris gives 120 and 29.
    """
    features = np.asarray(features)
    targets = np.asarray(targets)
    if features.ndim != 2:
        raise ValueError(f"features must have shape (N, D), got {features.shape}")
    if targets.shape != (features.shape[0],):
        raise ValueError(
            f"targets must have shape (N,) = ({features.shape[0]},) to match features, got {targets.shape}"
        )
    if not 0 < train_ratio < 1:
        raise ValueError(f"train_ratio must be between 0 and 1 (exclusive), got {train_ratio!r}")
    p = np.random.permutation(features.shape[0])
    features = features[p]
    targets = targets[p]
    split_index = int(features.shape[0] * train_ratio)
    train_features = features[0:split_index]
    train_targets = targets[0:split_index]
    test_features = features[split_index:-1]  # [:-1] drops the last point, as the course does
    test_targets = targets[split_index:-1]
    return (train_features, train_targets), (test_features, test_targets)
