"""Section 2.1: train_nn, checked against an independent full-batch implementation."""

import numpy as np
import pytest

from assignment.backprop import backprop, train_nn
from tests.oracle import draw_weights, reference_sigmoid


def full_batch_reference(X, t, K, W1, W2, iterations, eta):
    """The same training, written as matrix algebra over all N points at once.

    Independent of the module under test: its own sigmoid (tanh), its own
    error (the formula of clarifications.md term by term), its own gradients.
    """
    N = X.shape[0]
    T = np.eye(K)[t]  # (N, K) one-hot
    Z0 = np.hstack([np.ones((N, 1)), X])  # (N, D+1)
    E, miss = [], []
    guesses = None
    for _ in range(iterations):
        H = reference_sigmoid(Z0 @ W1)  # (N, M)
        Z1 = np.hstack([np.ones((N, 1)), H])  # (N, M+1)
        Y = reference_sigmoid(Z1 @ W2)  # (N, K)
        E.append(np.mean(-np.sum(T * np.log(Y) + (1 - T) * np.log(1 - Y), axis=1)))
        guesses = np.argmax(Y, axis=1)
        miss.append(np.mean(guesses != t))
        delta_k = Y - T
        delta_j = H * (1 - H) * (delta_k @ W2[1:].T)
        W1 = W1 - eta * (Z0.T @ delta_j) / N
        W2 = W2 - eta * (Z1.T @ delta_k) / N
    return W1, W2, np.array(E), np.array(miss), guesses


@pytest.fixture
def small_problem(seeded_split):
    (X, t), _ = seeded_split
    W1, W2 = draw_weights(X.shape[1], 6, 3)
    return X[:20], t[:20], W1, W2


@pytest.mark.parametrize("eta", [0.3, 0.05, 1.0])
def test_train_nn_matches_an_independent_full_batch_implementation(small_problem, eta):
    X, t, W1, W2 = small_problem
    got = train_nn(X, t, 6, 3, W1, W2, 40, eta)
    want = full_batch_reference(X, t, 3, W1, W2, 40, eta)
    np.testing.assert_allclose(got[0], want[0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got[1], want[1], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got[2], want[2], rtol=1e-10)
    np.testing.assert_array_equal(got[3], want[3])
    np.testing.assert_array_equal(got[4], want[4])


def handout_loop(X, t, M, K, W1, W2, iterations, eta):
    """The handout's train_nn written literally: the public backprop for every point, every iteration."""
    N = X.shape[0]
    E_total, miss = np.zeros(iterations), np.zeros(iterations)
    guesses = np.full(N, np.nan)
    for i in range(iterations):
        dE1_total, dE2_total = np.zeros_like(W1), np.zeros_like(W2)
        E, wrong = 0.0, 0
        for n in range(N):
            target_y = np.zeros(K)
            target_y[t[n]] = 1.0
            y, dE1, dE2 = backprop(X[n, :], target_y, M, K, W1, W2)
            dE1_total += dE1
            dE2_total += dE2
            E += -np.sum(np.log(np.where(target_y == 1.0, y, 1.0 - y)))  # clarifications' error, per point
            guesses[n] = np.argmax(y)
            wrong += guesses[n] != t[n]
        W1 = W1 - eta * dE1_total / N
        W2 = W2 - eta * dE2_total / N
        E_total[i], miss[i] = E / N, wrong / N
    return W1, W2, E_total, miss, guesses


def test_train_nn_equals_the_handout_loop_over_the_public_backprop_bit_for_bit(small_problem):
    """Checking once per call instead of once per point changes no bit of the results."""
    X, t, W1, W2 = small_problem
    got = train_nn(X, t, 6, 3, W1, W2, 15, 0.3)
    want = handout_loop(X, t, 6, 3, W1, W2, 15, 0.3)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(g, w)


def test_train_nn_return_types_and_shapes(small_problem):
    X, t, W1, W2 = small_problem
    W1tr, W2tr, E_total, misclassification_rate, guesses = train_nn(X, t, 6, 3, W1, W2, 7, 0.3)
    assert W1tr.shape == (5, 6) and W2tr.shape == (7, 3)
    assert E_total.shape == misclassification_rate.shape == (7,)
    assert guesses.shape == (20,) and guesses.dtype == np.float64
    assert set(np.unique(guesses)) <= {0.0, 1.0, 2.0}
    # a rate over 20 points moves in steps of 1/20
    np.testing.assert_allclose(misclassification_rate * 20, np.round(misclassification_rate * 20), atol=1e-12)


def test_first_iteration_uses_the_initial_weights(small_problem):
    X, t, W1, W2 = small_problem
    _, _, E_total, misclassification_rate, _ = train_nn(X, t, 6, 3, W1, W2, 1, 0.3)
    _, _, E_ref, miss_ref, _ = full_batch_reference(X, t, 3, W1, W2, 1, 0.3)
    np.testing.assert_allclose(E_total, E_ref, rtol=1e-12)
    np.testing.assert_array_equal(misclassification_rate, miss_ref)


def test_one_step_is_gradient_descent(small_problem):
    """The update is W - eta * dE_total / N: the mean error falls for a small step."""
    X, t, W1, W2 = small_problem
    W1a, W2a, E, _, _ = train_nn(X, t, 6, 3, W1, W2, 1, 0.05)
    _, _, E_after, _, _ = train_nn(X, t, 6, 3, W1a, W2a, 1, 0.05)
    assert E_after[0] < E[0]


def test_train_nn_does_not_modify_its_inputs(small_problem):
    X, t, W1, W2 = small_problem
    before = [a.copy() for a in (X, t, W1, W2)]
    W1tr, W2tr, *_ = train_nn(X, t, 6, 3, W1, W2, 3, 0.3)
    for a, b in zip((X, t, W1, W2), before, strict=True):
        np.testing.assert_array_equal(a, b)
    assert W1tr is not W1 and W2tr is not W2
    assert not np.array_equal(W1tr, W1)


def test_zero_iterations_returns_the_initial_weights(small_problem):
    X, t, W1, W2 = small_problem
    W1tr, W2tr, E_total, misclassification_rate, guesses = train_nn(X, t, 6, 3, W1, W2, 0, 0.3)
    np.testing.assert_array_equal(W1tr, W1)
    np.testing.assert_array_equal(W2tr, W2)
    assert E_total.shape == misclassification_rate.shape == (0,)
    assert guesses.shape == (20,) and np.all(np.isnan(guesses))


def test_train_nn_accepts_lists_and_float_class_indices(small_problem):
    X, t, W1, W2 = small_problem
    want = train_nn(X, t, 6, 3, W1, W2, 3, 0.3)
    got = train_nn(X.tolist(), t.astype(float).tolist(), 6, 3, W1.tolist(), W2.tolist(), 3, 0.3)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_array_equal(a, b)


def test_seeded_run_on_the_training_set_learns(seeded_split):
    (X, t), _ = seeded_split
    W1, W2 = draw_weights(X.shape[1], 10, 3)
    _, _, E_total, misclassification_rate, guesses = train_nn(X, t, 10, 3, W1, W2, 200, 0.1)
    assert X.shape == (120, 4)
    assert E_total[-1] < 0.5 * E_total[0]
    assert np.all(np.diff(E_total[50:]) < 0)  # a small step: the error falls steadily
    assert misclassification_rate[-1] <= 0.05
    assert np.mean(guesses != t) == misclassification_rate[-1]
