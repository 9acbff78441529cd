"""Inputs that cannot be right get one ValueError naming the argument and the shapes."""

import numpy as np
import pytest

from assignment import backprop as graded
from assignment.backprop import backprop, d_sigmoid, ffnn, perceptron, sigmoid, test_nn, train_nn

x = np.array([5.1, 3.5, 1.4, 0.2])
W1 = np.zeros((5, 6))
W2 = np.zeros((7, 3))
t1 = np.array([1.0, 0.0, 0.0])
X = np.tile(x, (4, 1))
t = np.array([0, 1, 2, 1])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: ffnn(x, 6, 3, np.zeros((4, 6)), W2),
            r"W1 must have shape \(D\+1, M\) = \(5, 6\), got \(4, 6\)",
        ),
        (
            lambda: ffnn(x, 6, 3, W1, np.zeros((6, 3))),
            r"W2 must have shape \(M\+1, K\) = \(7, 3\), got \(6, 3\)",
        ),
        (lambda: ffnn(x, 5, 3, W1, W2), r"W1 must have shape \(D\+1, M\) = \(5, 5\), got \(5, 6\)"),
        (lambda: ffnn(x, 6, 2, W1, W2), r"W2 must have shape \(M\+1, K\) = \(7, 2\), got \(7, 3\)"),
        (
            lambda: ffnn(np.ones((2, 4)), 6, 3, W1, W2),
            r"x must be one input pattern of shape \(D,\) or \(1, D\)",
        ),
        (lambda: ffnn([1.0, np.nan, 0, 0], 6, 3, W1, W2), r"x must hold only finite numbers"),
        (lambda: ffnn(x, 6, 3, np.full((5, 6), np.inf), W2), r"W1 must hold only finite numbers"),
        (lambda: ffnn(x, 0, 3, W1, W2), r"M must be a positive whole number, got 0"),
        (lambda: ffnn(x, 6, 2.5, W1, W2), r"K must be a positive whole number, got 2.5"),
        (lambda: ffnn(["a", "b", "c", "d"], 6, 3, W1, W2), r"x must be numeric"),
        (
            lambda: backprop(x, [1.0, 0.0], 6, 3, W1, W2),
            r"target_y must have shape \(K,\) = \(3,\), got \(2,\)",
        ),
        (lambda: backprop(x, [np.nan, 0, 0], 6, 3, W1, W2), r"target_y must hold only finite numbers"),
        (lambda: train_nn(X, t, 6, 3, W1, W2, -1, 0.1), r"iterations must be a whole number >= 0, got -1"),
        (lambda: train_nn(X, t, 6, 3, W1, W2, 2.5, 0.1), r"iterations must be a whole number >= 0, got 2.5"),
        (lambda: train_nn(X, t, 6, 3, W1, W2, 2, np.nan), r"eta must be a finite number"),
        (
            lambda: train_nn(X, t, 6, 3, W1, W2, 2, 0.0),
            r"eta must be a finite number > 0 \(the learning rate",
        ),
        (lambda: train_nn(X, t, 6, 3, W1, W2, 2, -0.1), r"eta must be a finite number > 0 .*got -0.1"),
        (lambda: perceptron([1.0, np.nan], [0.1, 0.4]), r"x must hold only finite numbers"),
        (lambda: perceptron([1.0, 2.0], [0.1, np.inf]), r"w must hold only finite numbers"),
        (lambda: perceptron([1.0, 2.0j], [0.1, 0.4]), r"x must hold real numbers, got complex values"),
        (lambda: sigmoid(1 + 2j), r"x must hold real numbers, got complex values"),
        (lambda: d_sigmoid(np.array([1j])), r"x must hold real numbers, got complex values"),
        (lambda: ffnn(x + 0j, 6, 3, W1, W2), r"x must hold real numbers, got complex values"),
        (lambda: backprop(x, t1 + 1j, 6, 3, W1, W2), r"target_y must hold real numbers"),
        (lambda: train_nn(X, t, 6, 3, W1 + 0j, W2, 2, 0.1), r"W1 must hold real numbers"),
        (lambda: test_nn(X, 6, 3, W1, W2 + 0j), r"W2 must hold real numbers"),
        (
            lambda: train_nn(X, [0, 1, 3, 1], 6, 3, W1, W2, 2, 0.1),
            r"t_train must hold class indices 0..K-1 = 0..2",
        ),
        (lambda: train_nn(X, [0, 1, -1, 1], 6, 3, W1, W2, 2, 0.1), r"t_train must hold class indices"),
        (lambda: train_nn(X, [0, 1, 0.5, 1], 6, 3, W1, W2, 2, 0.1), r"t_train must hold class indices"),
        (
            lambda: train_nn(X, [0, 1, 2], 6, 3, W1, W2, 2, 0.1),
            r"t_train must hold one class index per point, shape \(N,\) = \(4,\), got \(3,\)",
        ),
        (lambda: train_nn(X[:, :3], t, 6, 3, W1, W2, 2, 0.1), r"X_train must have shape \(N, D\) = \(N, 4\)"),
        (
            lambda: train_nn(X[:0], t[:0], 6, 3, W1, W2, 2, 0.1),
            r"X_train must have shape \(N, D\) = \(N, 4\) with N >= 1",
        ),
        (
            lambda: train_nn(X, t, 6, 3, W1, np.zeros((7, 2)), 2, 0.1),
            r"W2 must have shape \(M\+1, K\) = \(7, 3\), got \(7, 2\)",
        ),
        (lambda: test_nn(X[:, :2], 6, 3, W1, W2), r"X_test must have shape \(N, D\) = \(N, 4\)"),
        (
            lambda: test_nn(X, 6, 3, W1, np.zeros((3, 3))),
            r"W2 must have shape \(M\+1, K\) = \(7, 3\), got \(3, 3\)",
        ),
    ],
    ids=lambda v: None if callable(v) else v.split(" must")[0].split("\\")[0],
)
def test_bad_input_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_train_nn_checks_its_inputs_once_not_once_per_point(monkeypatch):
    """The per-point loop runs backprop's arithmetic without re-checking what train_nn checked."""
    calls = []
    check = graded._as_float_array
    monkeypatch.setattr(graded, "_as_float_array", lambda *a: calls.append(a[0]) or check(*a))
    train_nn(X, t, 6, 3, W1, W2, 5, 0.1)
    assert len(calls) <= 4, calls  # W1, W2, X_train, t_train; not 5 iterations x 4 points x 4
    calls.clear()
    backprop(x, t1, 6, 3, W1, W2)  # called directly, it still checks
    assert calls[:1] == ["x"] and "target_y" in calls
