"""Section 1.2: perceptron."""

import numpy as np
import pytest

from assignment import handout_examples as ex
from assignment.backprop import perceptron, sigmoid


@pytest.mark.parametrize(("inputs", "expected"), ex.PERCEPTRON_EXAMPLES, ids=["three-inputs", "two-inputs"])
def test_perceptron_handout_examples_exact(inputs, expected):
    x, w = (np.array(v) for v in inputs)
    assert perceptron(x, w) == expected


def test_perceptron_accepts_lists():
    assert perceptron([1.0, 2.3, 1.9], [0.2, 0.3, 0.1]) == ex.PERCEPTRON_EXAMPLES[0][1]


def test_perceptron_with_a_weight_matrix_is_one_unit_per_column():
    rng = np.random.default_rng(0)
    x = rng.normal(size=5)
    W = rng.normal(size=(5, 4))
    a, z = perceptron(x, W)
    assert a.shape == z.shape == (4,)
    for j in range(4):
        aj, zj = perceptron(x, W[:, j])
        assert a[j] == aj and z[j] == zj
    np.testing.assert_allclose(a, x @ W, rtol=1e-14)
    np.testing.assert_array_equal(z, sigmoid(a))


def test_perceptron_rejects_mismatched_weights():
    with pytest.raises(ValueError, match="w must have as many rows as x"):
        perceptron(np.ones(3), np.ones(4))
