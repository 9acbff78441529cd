"""A fast engine: the same training as ``backprop.train_nn``, many networks at once.

Same contract as the graded ``train_nn`` (full-batch gradient descent on the
mean two-term cross-entropy, ``W - eta * dE_total / N``, the error and the
guesses of iteration ``i`` taken before its update), but computed for all N
points at once as matrix products, and for many networks at once:

- ``train_nn`` has the graded function's signature and return values;
- ``train_many`` trains a batch of networks that may differ in hidden size,
  learning rate, initial weights and data split, and reports per network.

Modules: ``api`` (the two functions and their checks), ``stack`` (the kernel:
networks stacked on a leading axis, one batched matmul per layer), ``plan``
(which networks share a stack, and how the stacks are shared among threads).
numpy releases the GIL inside its array operations, so the threads use the
machine's cores.

Numerically safe: overflow in ``exp`` gives the sigmoid's exact limit and
is not warned about, the error is computed as ``-ln y + (1 - t) a2`` (finite
where an output rounds to 1.0 and the graded code's ``ln(1 - y)`` gives inf),
and a network whose weights or error become non-finite is marked as diverged
and frozen without disturbing the others.

This package does not import the graded module: the tests prove the two equal.
"""

from report.engine.api import Dataset, Network, NetworkResult, default_workers, train_many, train_nn

__all__ = ["Dataset", "Network", "NetworkResult", "train_many", "train_nn", "default_workers"]
