"""Section 2.2: test_nn."""

import numpy as np

from assignment.backprop import ffnn, test_nn, train_nn
from tests.oracle import reference_sigmoid


def test_test_nn_guesses_the_argmax_of_each_output(iris):
    features, _, _ = iris
    rng = np.random.default_rng(5)
    W1, W2 = rng.uniform(-1, 1, (5, 4)), rng.uniform(-1, 1, (5, 3))
    guesses = test_nn(features, 4, 3, W1, W2)
    assert guesses.shape == (150,) and guesses.dtype == np.float64
    Z0 = np.hstack([np.ones((150, 1)), features])
    Y = reference_sigmoid(np.hstack([np.ones((150, 1)), reference_sigmoid(Z0 @ W1)]) @ W2)
    np.testing.assert_array_equal(guesses, np.argmax(Y, axis=1))
    assert guesses[7] == np.argmax(ffnn(features[7], 4, 3, W1, W2)[0])


def test_test_nn_on_the_trained_weights_agrees_with_the_next_iterations_guesses(seeded_split):
    # guesses of iteration i use the weights before its update, so test_nn on
    # the weights after k iterations equals the guesses of run k+1.
    (X, t), _ = seeded_split
    rng = np.random.default_rng(6)
    W1, W2 = rng.uniform(-1, 1, (5, 3)), rng.uniform(-1, 1, (4, 3))
    W1tr, W2tr, *_ = train_nn(X[:30], t[:30], 3, 3, W1, W2, 4, 0.5)
    *_, guesses_next = train_nn(X[:30], t[:30], 3, 3, W1, W2, 5, 0.5)
    np.testing.assert_array_equal(test_nn(X[:30], 3, 3, W1tr, W2tr), guesses_next)
