"""Section 1.4: backprop, its handout example and a gradient check."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assignment import handout_examples as ex
from assignment.backprop import backprop, d_sigmoid, ffnn
from tests.oracle import cross_entropy, draw_weights, reference_sigmoid


@pytest.fixture
def handout_backprop(iris):
    features, targets, _ = iris
    np.random.seed(ex.BACKPROP_SEED)
    W1, W2 = draw_weights(ex.BACKPROP_D, ex.BACKPROP_M, ex.BACKPROP_K)
    target_y = np.zeros(ex.BACKPROP_K)
    target_y[targets[0]] = 1.0
    return features[0, :], target_y, W1, W2


def test_backprop_example_y(handout_backprop):
    x, target_y, W1, W2 = handout_backprop
    y, _, _ = backprop(x, target_y, ex.BACKPROP_M, ex.BACKPROP_K, W1, W2)
    np.testing.assert_allclose(y, ex.BACKPROP_Y, rtol=0, atol=ex.TOLERANCE)


def test_backprop_example_dE1(handout_backprop):
    x, target_y, W1, W2 = handout_backprop
    _, dE1, _ = backprop(x, target_y, ex.BACKPROP_M, ex.BACKPROP_K, W1, W2)
    np.testing.assert_allclose(dE1, ex.BACKPROP_DE1, rtol=1e-8, atol=ex.TOLERANCE)


def test_backprop_example_dE2(handout_backprop):
    x, target_y, W1, W2 = handout_backprop
    _, _, dE2 = backprop(x, target_y, ex.BACKPROP_M, ex.BACKPROP_K, W1, W2)
    np.testing.assert_allclose(dE2, ex.BACKPROP_DE2, rtol=1e-8, atol=ex.TOLERANCE)


def test_iris_first_point_is_the_one_in_the_examples(iris):
    features, targets, classes = iris
    np.testing.assert_array_equal(features[0], ex.IRIS_FIRST_POINT)
    assert targets[0] == ex.IRIS_FIRST_CLASS and classes == [0, 1, 2]


def test_backprop_invariants(handout_backprop):
    x, target_y, W1, W2 = handout_backprop
    M, K = ex.BACKPROP_M, ex.BACKPROP_K
    y, dE1, dE2 = backprop(x, target_y, M, K, W1, W2)
    y_f, z0, z1, a1, _ = ffnn(x, M, K, W1, W2)
    delta_k = y - target_y
    np.testing.assert_array_equal(y, y_f)
    assert dE1.shape == W1.shape and dE2.shape == W2.shape
    np.testing.assert_allclose(dE2[0], delta_k, rtol=1e-15)  # z1[0] = 1: the bias row is delta_k
    np.testing.assert_allclose(dE2, np.outer(z1, delta_k), rtol=1e-15)
    delta_j = dE1[0]  # z0[0] = 1
    s = reference_sigmoid(a1)
    np.testing.assert_allclose(delta_j, s * (1 - s) * (W2[1:] @ delta_k), rtol=1e-12)
    np.testing.assert_allclose(dE1, np.outer(z0, delta_j), rtol=1e-15)


def test_backprop_is_the_handouts_five_steps_bit_for_bit(iris):
    """The handout's steps written out with the public functions, entry by entry: the same bits.

    (backprop takes d_sigmoid(a1) from the sigmoid ffnn already computed, and
    builds dE1 and dE2 as broadcast products: neither may change a digit.)
    """
    features, targets, _ = iris
    rng = np.random.default_rng(5)
    M, K = 7, 3
    for n in range(0, 150, 13):
        W1, W2 = rng.uniform(-3, 3, (5, M)), rng.uniform(-3, 3, (M + 1, K))
        target_y = np.zeros(K)
        target_y[targets[n]] = 1.0
        y, z0, z1, a1, _ = ffnn(features[n], M, K, W1, W2)  # 1. run ffnn on the input
        delta_k = y - target_y  # 2.
        delta_j = d_sigmoid(a1) * (W2[1:] @ delta_k)  # 3. (the sum over k rounded as matmul does)
        dE1, dE2 = np.zeros_like(W1), np.zeros_like(W2)  # 4.
        for i in range(W1.shape[0]):  # 5.
            for j in range(M):
                dE1[i, j] = delta_j[j] * z0[i]
        for j in range(M + 1):
            for k in range(K):
                dE2[j, k] = delta_k[k] * z1[j]
        got = backprop(features[n], target_y, M, K, W1, W2)
        for g, w in zip(got, (y, dE1, dE2), strict=True):
            np.testing.assert_array_equal(g, w)


def numerical_gradient(f, W, h=1e-5):
    """Centred finite differences of the scalar function f at W, entry by entry."""
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


def relative_error(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300)


def independent_error(x, t, W1, W2):
    """E_n from a forward pass written without the module under test."""
    z0 = np.concatenate([[1.0], x])
    z1 = np.concatenate([[1.0], reference_sigmoid(z0 @ W1)])
    y = reference_sigmoid(z1 @ W2)
    return cross_entropy(y, t)


def gradient_errors(x, t, W1, W2):
    """Relative errors of backprop's dE1, dE2 against centred finite differences."""
    M, K = W2.shape[0] - 1, W2.shape[1]
    _, dE1, dE2 = backprop(x, t, M, K, W1, W2)

    def error():
        return independent_error(x, t, W1, W2)

    return relative_error(dE1, numerical_gradient(error, W1)), relative_error(
        dE2, numerical_gradient(error, W2)
    )


@pytest.mark.parametrize(("D", "M", "K"), [(4, 6, 3), (4, 1, 3), (4, 10, 1), (1, 1, 1), (3, 5, 2), (7, 3, 4)])
def test_gradient_check(D, M, K):
    rng = np.random.default_rng(100 * D + 10 * M + K)
    for _ in range(3):
        x = rng.normal(size=D)
        W1, W2 = rng.uniform(-1, 1, (D + 1, M)), rng.uniform(-1, 1, (M + 1, K))
        t = np.eye(K)[rng.integers(K)]
        error1, error2 = gradient_errors(x, t, W1, W2)
        assert error1 < 1e-6 and error2 < 1e-6, (error1, error2)


def test_gradient_check_would_catch_a_wrong_gradient():
    rng = np.random.default_rng(9)
    x, W1, W2 = rng.normal(size=4), rng.uniform(-1, 1, (5, 6)), rng.uniform(-1, 1, (7, 3))
    t = np.eye(3)[1]
    _, dE1, _ = backprop(x, t, 6, 3, W1, W2)
    numeric = numerical_gradient(lambda: independent_error(x, t, W1, W2), W1)
    assert relative_error(dE1 * 1.001, numeric) > 1e-4


@settings(max_examples=40)
@given(D=st.integers(1, 5), M=st.integers(1, 6), K=st.integers(1, 4), seed=st.integers(0, 2**32 - 1))
def test_backprop_shapes(D, M, K, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=D)
    W1, W2 = rng.normal(size=(D + 1, M)), rng.normal(size=(M + 1, K))
    t = np.eye(K)[rng.integers(K)]
    W1_before, W2_before, x_before = W1.copy(), W2.copy(), x.copy()
    y, dE1, dE2 = backprop(x, t, M, K, W1, W2)
    assert y.shape == (K,) and dE1.shape == (D + 1, M) and dE2.shape == (M + 1, K)
    assert np.all(np.isfinite(dE1)) and np.all(np.isfinite(dE2))
    np.testing.assert_array_equal(W1, W1_before)
    np.testing.assert_array_equal(W2, W2_before)
    np.testing.assert_array_equal(x, x_before)
