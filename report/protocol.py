"""The course protocol, defined once: how a split and initial weights are drawn.

The handout's recipe, used by the Section 2.3 run, the study, the bench and
the appendix: ``np.random.seed(seed)``; ``split_train_test``; then
``np.random.seed(seed)`` again and ``W1 = 2*rand(D+1, M) - 1`` followed by
``W2 = 2*rand(M+1, K) - 1``. The study derives one such seed per repeat
from ``np.random.SeedSequence``.
"""

import numpy as np

from assignment.tools import split_train_test

K = 3  # Iris has three classes


def course_split(features, targets, seed, train_ratio=0.8):
    """Seed numpy's global RNG, then split as the course does: ((X, t), (Xt, tt))."""
    np.random.seed(seed)
    return split_train_test(features, targets, train_ratio)


def course_weights(seed, D, M, scale=1.0, K=K):
    """Seed numpy's global RNG and draw W1: (D+1, M) then W2: (M+1, K), times ``scale``."""
    np.random.seed(seed)
    W1 = 2 * np.random.rand(D + 1, M) - 1
    W2 = 2 * np.random.rand(M + 1, K) - 1
    return scale * W1, scale * W2


def repeat_seeds(seed, repeats):
    """One global-RNG seed per repeat of the study: seed r of ``SeedSequence(seed)``."""
    return [int(s) for s in np.random.SeedSequence(seed).generate_state(repeats)]
