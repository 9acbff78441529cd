"""The engine's inputs and outputs."""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Dataset:
    """A training set, and optionally a test set to follow during training.

    X_train: (N, D); t_train: (N,) class indices; X_test: (N_test, D);
    t_test: (N_test,).
    """

    X_train: np.ndarray
    t_train: np.ndarray
    X_test: np.ndarray | None = None
    t_test: np.ndarray | None = None


@dataclass(frozen=True)
class Network:
    """One network to train: initial weights, learning rate, and its data set.

    W1: (D+1, M); W2: (M+1, K); eta: learning rate; data: index into the
    list of ``Dataset`` passed to ``train_many``.
    """

    W1: np.ndarray
    W2: np.ndarray
    eta: float
    data: int = 0


@dataclass
class NetworkResult:
    """What training one network gave.

    W1, W2: trained weights (all nan if it diverged); E_total,
    misclassification_rate: (iterations,) on the training set, before each
    update; test_misclassification_rate: (iterations,) on the test set, or
    None without one; guesses: (N,) float guesses of the last iteration;
    train_accuracy, test_accuracy: accuracy of the final weights (test:
    nan without a test set); diverged_at: first iteration whose error or
    weights were not finite, or None.
    """

    W1: np.ndarray
    W2: np.ndarray
    E_total: np.ndarray
    misclassification_rate: np.ndarray
    test_misclassification_rate: np.ndarray | None
    guesses: np.ndarray
    train_accuracy: float
    test_accuracy: float
    diverged_at: int | None

    @property
    def diverged(self):
        return self.diverged_at is not None
