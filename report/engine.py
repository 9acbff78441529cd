"""The fast engine: the graded ``train_nn``'s training, for many networks at once.

Same contract as ``assignment.backprop.train_nn``: full-batch gradient descent
``W - eta * dE_total / N``; ``E_total`` is the mean two-term cross-entropy and
the misclassification and guesses come from the forward passes of each
iteration, before its update. Here all N points go through as one matrix
product, and networks of one hidden size M and one training-set size N are
stacked on a leading axis G, so each layer is one batched matmul for all of
them (``report.engine_stack``). The stacks are cut small enough to stay in the
CPU's cache and run in threads, the most work first (numpy releases the GIL
inside its array operations).

A network whose weights stop being finite numbers (inf or nan) is flagged,
frozen at zero weights and reported as diverged at that iteration; the others
are not disturbed. An infinite E_total is not divergence: like the graded one,
it is +inf wherever an output rounds to exactly 0 or 1 (ln 0) while the weights
stay finite, and the network trains on. This module does not import the
graded one: the tests prove the two equal.
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from report.engine_stack import train_stack

__all__ = ["Dataset", "Network", "NetworkResult", "train_many", "train_nn", "default_workers"]


@dataclass(frozen=True)
class Dataset:
    """A training set, optionally with a test set: X_train (N, D), t_train (N,), X_test (N_test, D)."""

    X_train: np.ndarray
    t_train: np.ndarray
    X_test: np.ndarray | None = None
    t_test: np.ndarray | None = None


@dataclass(frozen=True)
class Network:
    """Initial W1 (D+1, M) and W2 (M+1, K), learning rate eta, index ``data`` of its Dataset."""

    W1: np.ndarray
    W2: np.ndarray
    eta: float
    data: int = 0


@dataclass
class NetworkResult:
    """Trained W1, W2 (nan if diverged); E_total, misclassification_rate (iterations,) before each
    update; test_misclassification_rate (iterations,) or None; guesses (N,) of the last iteration;
    train/test accuracy of the final weights (nan without a test set); diverged_at: the first
    iteration whose weights are not finite numbers (``iterations``: the final weights), or None."""

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


def default_workers():
    """Threads to use: the cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _floats(name, value, ndim):
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric, got {type(value).__name__}") from None
    if array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold only finite numbers (no nan or inf)")
    return array


def _points(i, part, X, t, D, K):
    """Check data set i's ``part`` ("train" or "test"): X (n, D), t (n,) class indices in 0..K-1."""
    X, t = _floats(f"datasets[{i}].X_{part}", X, 2), _floats(f"datasets[{i}].t_{part}", t, 1)
    if X.shape[1] != D or len(X) < 1:
        raise ValueError(f"datasets[{i}].X_{part} must have shape (N, D) = (N, {D}), N >= 1, got {X.shape}")
    if t.shape != X.shape[:1] or np.any(t != np.round(t)) or np.any((t < 0) | (t > K - 1)):
        raise ValueError(f"datasets[{i}].t_{part} must hold class indices 0..K-1 = 0..{K - 1}, one per point")
    return X, t.astype(np.intp)


def _check(datasets, networks, D, K):
    """Checked ((X, t), (X_test, t_test) or None) per data set, and the networks with float arrays."""
    sets, checked = [], []
    for i, data in enumerate(datasets):
        if (data.X_test is None) != (data.t_test is None):
            raise ValueError(f"datasets[{i}]: give both X_test and t_test, or neither")
        test = None if data.X_test is None else _points(i, "test", data.X_test, data.t_test, D, K)
        sets.append((_points(i, "train", data.X_train, data.t_train, D, K), test))
    for i, net in enumerate(networks):
        W1, W2 = _floats(f"networks[{i}].W1", net.W1, 2), _floats(f"networks[{i}].W2", net.W2, 2)
        M, n = W1.shape[1], f"networks[{i}]"
        if W1.shape != (D + 1, M) or M < 1:
            raise ValueError(f"{n}.W1 must have shape (D+1, M) = ({D + 1}, M), got {W1.shape}")
        if W2.shape != (M + 1, K):
            raise ValueError(f"{n}.W2 must have shape (M+1, K) = ({M + 1}, {K}), got {W2.shape}")
        if isinstance(net.eta, bool) or not np.isfinite(net.eta):
            raise ValueError(f"{n}.eta must be a finite number, got {net.eta!r}")
        if not 0 <= net.data < len(datasets):
            raise ValueError(f"{n}.data must index datasets (0..{len(datasets) - 1}), got {net.data}")
        checked.append(Network(W1, W2, float(net.eta), int(net.data)))
    return sets, checked


# A stack's hidden-layer arrays hold G (M+1) N numbers each: with about this many they stay in the
# CPU's cache. Measured on the report's study (one thread, 2-core VM): 20 000 to 40 000 are best;
# 160 000 costs about 10% more, one stack per hidden size about 30% more, and stacks much smaller
# pay numpy's per-call overhead on too few networks (10 000: 20% more).
STACK_NUMBERS = 40_000


def _stacks(checked, sets):
    """Cut the networks into stacks of one hidden size M and one training-set size N (so nothing
    is padded), each of at most about STACK_NUMBERS numbers G (M+1) N, cut evenly; return the
    lists of network indices, the most work first (threads take them in that order).

    The cut depends only on the networks and data sets (never on the threads), and a network's
    numbers do not depend on its stack: each matmul slice and each elementwise result is its own.
    """
    groups = {}
    for i, net in enumerate(checked):
        groups.setdefault((net.W1.shape[1], len(sets[net.data][0][1])), []).append(i)
    stacks = []
    for (M, N), members in sorted(groups.items()):
        parts = -(-len(members) // max(1, STACK_NUMBERS // (N * (M + 1))))
        stacks += [[int(i) for i in part] for part in np.array_split(members, parts)]

    def work(stack):  # ~ G N (M + 8): a network-iteration's fixed part is worth about 8 hidden units
        first = checked[stack[0]]
        return len(stack) * len(sets[first.data][0][1]) * (first.W1.shape[1] + 8)

    return sorted(stacks, key=lambda stack: -work(stack))


def _train_stack(nets, sets, iterations, curves, test_curves, tick):
    """Train one stack (networks of one M, training sets of one N); return their NetworkResults."""
    trained = train_stack(
        np.stack([net.W1 for net in nets]), np.stack([net.W2 for net in nets]),
        np.array([net.eta for net in nets]), np.stack([s[0][0] for s in sets]),
        np.stack([s[0][1] for s in sets]), [s[1] for s in sets], iterations, curves, test_curves, tick,
    )  # fmt: skip
    return [
        NetworkResult(trained.W1[g].copy(), trained.W2[g].copy(), trained.E_total[g], trained.miss[g],
                      None if trained.test_miss is None or sets[g][1] is None else trained.test_miss[g],
                      trained.guesses[g], float(trained.train_accuracy[g]), float(trained.test_accuracy[g]),
                      None if d < 0 else int(d))
        for g, d in enumerate(trained.diverged_at)
    ]  # fmt: skip


def train_many(datasets, networks, iterations, workers=None, curves=True, test_curves=True, progress=None):
    """Train many networks at once; return one ``NetworkResult`` each, in order.

    datasets: list of ``Dataset``; networks: list of ``Network`` (``data`` indexes ``datasets``);
    they share D (from the data) and K (from W2) and may differ in M, eta, weights and data set.
    iterations: weight updates per network; workers: threads (default: the available cores);
    curves: record E_total and the misclassification at every iteration (else at the last one
    only, which is cheaper); test_curves: with curves, the test set's misclassification too;
    progress: called now and then, from any thread, as ``progress(done, total)`` counting
    network-iterations. Each result equals training that network alone.
    """
    if isinstance(iterations, bool) or not isinstance(iterations, int | np.integer) or iterations < 0:
        raise ValueError(f"iterations must be a whole number >= 0, got {iterations!r}")
    if not networks:
        return []
    if not datasets:
        raise ValueError("datasets must hold at least one Dataset")
    K = _floats("networks[0].W2", networks[0].W2, 2).shape[1]
    D = _floats("datasets[0].X_train", datasets[0].X_train, 2).shape[1]
    sets, checked = _check(datasets, networks, D, K)
    stacks = _stacks(checked, sets)
    total, done, lock = len(checked) * iterations, 0, threading.Lock()

    def tick(count):
        nonlocal done
        with lock:
            done += count
            progress(done, total)

    def run(members):
        nets = [checked[i] for i in members]
        # exp overflows to inf (sigmoid exactly 0.0), ln 0 is -inf, and a diverging network makes
        # inf and nan: all handled, none warned about.
        with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
            return _train_stack(
                nets, [sets[net.data] for net in nets], iterations, curves, test_curves,
                None if progress is None else tick,
            )  # fmt: skip

    workers = min(len(stacks), default_workers() if workers is None else max(1, int(workers)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        trained = list(pool.map(run, stacks) if workers > 1 else map(run, stacks))
    by_index = dict(zip(sum(stacks, []), sum(trained, []), strict=True))
    return [by_index[i] for i in range(len(checked))]


def train_nn(X_train, t_train, M, K, W1, W2, iterations, eta):
    """Same contract as the graded ``train_nn``, all N points at once.

    X_train: (N, D); t_train: (N,) class indices; W1: (D+1, M); W2: (M+1, K).
    Returns ``W1tr, W2tr, E_total, misclassification_rate, guesses``.
    """
    W1, W2 = _floats("W1", W1, 2), _floats("W2", W2, 2)
    if W1.shape[1] != M:
        raise ValueError(f"W1 must have shape (D+1, M) = (D+1, {M}), got {W1.shape}")
    if W2.shape != (M + 1, K):
        raise ValueError(f"W2 must have shape (M+1, K) = ({M + 1}, {K}), got {W2.shape}")
    (result,) = train_many([Dataset(X_train, t_train)], [Network(W1, W2, eta)], iterations, workers=1)
    return result.W1, result.W2, result.E_total, result.misclassification_rate, result.guesses
