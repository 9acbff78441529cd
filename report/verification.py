"""Checks shown in the report's appendix: the handout's examples and a gradient check.

Each check recomputes a value with the graded functions and sets it beside
the expected one: the handout's printed values, or centred finite
differences of the per-point cross-entropy.
"""

import numpy as np

from assignment import backprop
from assignment import handout_examples as ex
from assignment.tools import load_iris
from report.protocol import course_split, course_weights


def _entry(name, expected, computed, exact):
    expected = np.asarray(expected, dtype=float)
    computed = np.asarray(computed, dtype=float)
    error = float(np.max(np.abs(expected - computed)))
    ok = (
        bool(np.array_equal(expected, computed))
        if exact
        else error <= ex.TOLERANCE + 1e-8 * float(np.max(np.abs(expected)))
    )
    return {
        "name": name,
        "expected": expected.tolist(),
        "computed": computed.tolist(),
        "max_abs_error": error,
        "tolerance": 0.0 if exact else ex.TOLERANCE,
        "ok": ok,
    }


def handout_examples():
    """Recompute every reproducible example value of the handout."""
    features, targets, _ = load_iris()
    rows = [
        _entry("sigmoid(0.5)", ex.SIGMOID_0_5, backprop.sigmoid(0.5), exact=True),
        _entry("d_sigmoid(0.2)", ex.D_SIGMOID_0_2, backprop.d_sigmoid(0.2), exact=True),
    ]
    for (x, w), expected in ex.PERCEPTRON_EXAMPLES:
        computed = backprop.perceptron(np.array(x), np.array(w))
        rows.append(_entry(f"perceptron({x}, {w})", expected, computed, exact=True))

    D, M, K = ex.BACKPROP_D, ex.BACKPROP_M, ex.BACKPROP_K
    W1, W2 = course_weights(ex.BACKPROP_SEED, D, M, K=K)
    y, dE1, dE2 = backprop.backprop(features[0], np.eye(K)[targets[0]], M, K, W1, W2)
    rows += [
        _entry("backprop: y", ex.BACKPROP_Y, y, exact=False),
        _entry("backprop: dE1", ex.BACKPROP_DE1, dE1, exact=False),
        _entry("backprop: dE2", ex.BACKPROP_DE2, dE2, exact=False),
    ]

    (train_features, _), _ = course_split(features, targets, ex.FFNN_SEED)
    M, K = ex.FFNN_M, ex.FFNN_K
    W1, W2 = course_weights(ex.FFNN_SEED, D, M, K=K)
    y, z0, _, _, a2 = backprop.ffnn(train_features[0], M, K, W1, W2)
    rows += [
        _entry("seeded ffnn: z0", ex.FFNN_Z0, z0, exact=True),
        _entry("seeded ffnn: y", ex.FFNN_Y, y, exact=False),
        _entry("seeded ffnn: a2", ex.FFNN_A2, a2, exact=False),
    ]
    return rows


def _point_error(x, target_y, M, K, W1, W2):
    y = backprop.ffnn(x, M, K, W1, W2)[0]
    return -np.sum(target_y * np.log(y) + (1 - target_y) * np.log(1 - y))


def _numerical_gradient(f, W, h=1e-5):
    grad = np.zeros_like(W)
    for index in np.ndindex(W.shape):
        old = W[index]
        W[index] = old + h
        plus = f()
        W[index] = old - h
        minus = f()
        W[index] = old
        grad[index] = (plus - minus) / (2 * h)
    return grad


def _relative_error(a, b):
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300))


def gradient_check(shapes=((4, 10, 3), (4, 1, 3), (4, 6, 1), (2, 3, 2)), seed=0):
    """Compare backprop's dE1, dE2 with centred finite differences on Iris points.

    Returns one row per (D, M, K): the relative errors ||a - b|| / (||a|| + ||b||).
    """
    features, targets, _ = load_iris()
    rng = np.random.default_rng(seed)
    rows = []
    for D, M, K in shapes:
        n = int(rng.integers(len(features)))
        x = features[n, :D]
        target_y = np.eye(K)[targets[n] % K]
        W1, W2 = rng.uniform(-1, 1, (D + 1, M)), rng.uniform(-1, 1, (M + 1, K))
        _, dE1, dE2 = backprop.backprop(x, target_y, M, K, W1, W2)

        def error(W1=W1, W2=W2, x=x, target_y=target_y, M=M, K=K):
            return _point_error(x, target_y, M, K, W1, W2)

        rows.append(
            {
                "D": D,
                "M": M,
                "K": K,
                "dE1_relative_error": _relative_error(dE1, _numerical_gradient(error, W1)),
                "dE2_relative_error": _relative_error(dE2, _numerical_gradient(error, W2)),
            }
        )
    return rows
