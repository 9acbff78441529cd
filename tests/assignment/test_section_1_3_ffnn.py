"""Section 1.3: ffnn, the forward pass."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from assignment import handout_examples as ex
from assignment.backprop import ffnn, sigmoid
from tests.oracle import draw_weights, reference_sigmoid


def test_ffnn_seeded_example(seeded_split):
    (train_features, _), _ = seeded_split
    W1, W2 = draw_weights(train_features.shape[1], ex.FFNN_M, ex.FFNN_K)
    y, z0, z1, a1, a2 = ffnn(train_features[0, :], ex.FFNN_M, ex.FFNN_K, W1, W2)
    np.testing.assert_array_equal(z0, ex.FFNN_Z0)  # printed with every digit
    np.testing.assert_allclose(y, ex.FFNN_Y, rtol=0, atol=ex.TOLERANCE)
    np.testing.assert_allclose(a2, ex.FFNN_A2, rtol=0, atol=ex.TOLERANCE)


def test_handout_example_values_are_consistent_with_sigmoid():
    # The handout's own ffnn example is unseeded; its numbers can still be
    # checked against each other: z1 = [1, sigmoid(a1)] and y = sigmoid(a2).
    # 8 printed decimals, sigmoid' <= 1/4: the rounding stays below 1e-8.
    np.testing.assert_allclose(sigmoid(np.array(ex.HANDOUT_FFNN_A2)), ex.HANDOUT_FFNN_Y, atol=ex.TOLERANCE)
    np.testing.assert_allclose(
        sigmoid(np.array(ex.HANDOUT_FFNN_A1)), ex.HANDOUT_FFNN_Z1[1:], atol=ex.TOLERANCE
    )
    assert ex.HANDOUT_FFNN_Z1[0] == 1.0 and ex.HANDOUT_FFNN_Z0[0] == 1.0


def test_handout_example_z0_is_an_iris_point(iris):
    features, _, _ = iris
    assert any(np.array_equal(row, ex.HANDOUT_FFNN_Z0[1:]) for row in features)


def check_forward_invariants(x, M, K, W1, W2):
    y, z0, z1, a1, a2 = ffnn(x, M, K, W1, W2)
    D = len(x)
    assert (y.shape, z0.shape, z1.shape, a1.shape, a2.shape) == ((K,), (D + 1,), (M + 1,), (M,), (K,))
    assert z0[0] == 1.0 and z1[0] == 1.0
    np.testing.assert_array_equal(z0[1:], x)
    np.testing.assert_allclose(a1, z0 @ W1, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(z1[1:], reference_sigmoid(a1), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(a2, z1 @ W2, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(y, reference_sigmoid(a2), rtol=1e-12, atol=1e-15)


def test_ffnn_invariants_on_iris(iris):
    features, _, _ = iris
    rng = np.random.default_rng(1)
    W1, W2 = rng.uniform(-1, 1, (5, 10)), rng.uniform(-1, 1, (11, 3))
    for n in (0, 50, 149):
        check_forward_invariants(features[n], 10, 3, W1, W2)


@given(D=st.integers(1, 6), M=st.integers(1, 8), K=st.integers(1, 4), seed=st.integers(0, 2**32 - 1))
def test_ffnn_shapes_and_invariants(D, M, K, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=D)
    W1, W2 = rng.uniform(-1, 1, (D + 1, M)), rng.uniform(-1, 1, (M + 1, K))
    check_forward_invariants(x, M, K, W1, W2)


def test_ffnn_accepts_what_a_grader_may_pass(iris):
    features, _, _ = iris
    rng = np.random.default_rng(2)
    W1, W2 = rng.uniform(-1, 1, (5, 4)), rng.uniform(-1, 1, (5, 3))
    expected = ffnn(features[0, :], 4, 3, W1, W2)
    variants = [
        features[0, :].tolist(),  # a list
        features[0:1, :],  # the handout's (1, D) line vector
        np.array([5, 3, 1, 0]) + features[0] - np.array([5, 3, 1, 0]),  # same values, new array
    ]
    for x in variants:
        for got, want in zip(ffnn(x, 4, 3, W1.tolist(), W2), expected, strict=True):
            np.testing.assert_array_equal(got, want)
    y_int = ffnn(np.array([5, 3, 1, 0]), 4, 3, W1, W2)[0]  # an integer array
    np.testing.assert_array_equal(y_int, ffnn(np.array([5.0, 3.0, 1.0, 0.0]), 4, 3, W1, W2)[0])


def test_ffnn_does_not_modify_its_inputs(iris):
    features, _, _ = iris
    x = features[3].copy()
    W1, W2 = np.ones((5, 2)), np.ones((3, 3))
    ffnn(x, 2, 3, W1, W2)
    np.testing.assert_array_equal(x, features[3])
    assert np.all(W1 == 1) and np.all(W2 == 1)
