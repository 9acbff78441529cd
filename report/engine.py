"""The fast engine: the graded ``train_nn``'s training, for many networks at once.

Same contract as ``assignment.backprop.train_nn``: full-batch gradient descent
``W - eta * dE_total / N``; ``E_total`` is the mean two-term cross-entropy and
the misclassification and guesses come from the forward passes of each
iteration, before its update. Here all N points go through as one matrix
product, and the networks of one hidden size M are stacked on a leading axis
G, so each layer is one batched matmul for all of them. Stacks of different M
run in threads (numpy releases the GIL inside its array operations).

A network whose error or weights become non-finite is flagged, frozen at zero
weights and reported as diverged; the others are not disturbed. This module
does not import the graded one: the tests prove the two equal.
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

__all__ = ["Dataset", "Network", "NetworkResult", "train_many", "train_nn", "default_workers"]
_TICK = 50  # iterations between progress reports


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
    train/test accuracy of the final weights (nan without a test set); diverged_at or None."""

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


def _stacked(pairs, D):
    """Pad sets (X (n, D), t (n,)) or None into Z0 (G, n_max, D+1) with the bias column, t (G, n_max)
    (-1 on padding and for a missing set) and the mask t >= 0 of real points."""
    n = max((0 if p is None else len(p[1]) for p in pairs), default=0)
    Z0, t = np.zeros((len(pairs), n, D + 1)), np.full((len(pairs), n), -1, dtype=np.intp)
    for g, pair in enumerate(pairs):
        if pair is not None:
            Z0[g, : len(pair[1]), 0] = 1.0
            Z0[g, : len(pair[1]), 1:], t[g, : len(pair[1])] = pair
    return Z0, t, t >= 0


def _sigmoid_(A):
    """A = 1 / (1 + exp(-A)) in place. exp may overflow to inf: the sigmoid is then exactly 0.0."""
    np.negative(A, out=A)
    np.exp(A, out=A)
    A += 1.0
    return np.reciprocal(A, out=A)


def _hidden(Z0, W1x, Z1=None):
    """z1 = [1, sigmoid(a1)]: (G, n, M+1) for Z0 (G, n, D+1); W1x = [0 | W1] (see _train_stack)."""
    Z1 = _sigmoid_(np.matmul(Z0, W1x, out=Z1))
    Z1[:, :, 0] = 1.0
    return Z1


def _share(hit, real):
    """Fraction of the real points (G, n) where hit (G, n) is true: (G,)."""
    return np.count_nonzero(hit & real, axis=1) / np.maximum(real.sum(axis=1), 1)


def _guesses(Z0, W1x, W2):
    """argmax(y) for Z0 (G, n, D+1): (G, n); taken on y, so that ties go as in test_nn."""
    return np.argmax(_sigmoid_(np.matmul(_hidden(Z0, W1x), W2)), axis=2)


def _train_stack(nets, sets, iterations, curves, test_curves, tick):
    """Train G networks of one hidden size M together; return their NetworkResults.

    Arrays carry the networks on axis 0. The hidden layer is kept as z1 (G, N, M+1) with its bias
    entry in column 0, and W1 as W1x = [0 | W1] (G, D+1, M+1): one matmul z0 W1x gives [0, a1], and
    column 0 is then set to 1. Its slope z (1 - z) is exactly 0, so W1x's column 0 stays 0. These
    shapes also round every sum as the engine always has. Data sets of different N are padded with
    points masked out of every sum.
    """
    G, D1, M1, K = len(nets), nets[0].W1.shape[0], nets[0].W2.shape[0], nets[0].W2.shape[1]
    Z0, t, real = _stacked([s[0] for s in sets], D1 - 1)  # (G, N, D+1), (G, N), (G, N)
    test = _stacked([s[1] for s in sets], D1 - 1)
    has_test = test[2].any(axis=1)
    test_curves = curves and test_curves and bool(has_test.any())
    N_max, ragged = Z0.shape[1], not real.all()
    N = real.sum(axis=1).astype(float)  # (G,)
    W1x, W2 = np.zeros((G, D1, M1)), np.stack([net.W2 for net in nets])  # (G, D+1, M+1), (G, M+1, K)
    W1x[:, :, 1:] = np.stack([net.W1 for net in nets])
    eta = np.array([net.eta for net in nets])[:, None, None]
    Z0T = np.ascontiguousarray(Z0.transpose(0, 2, 1))  # (G, D+1, N)
    T = (t[:, :, None] == np.arange(K)).astype(float)  # (G, N, K) one-hot targets; 0 on padding
    not_T = (1.0 - T).reshape(G, -1) * np.repeat(real, K, axis=1)  # (G, N K)
    E_total, miss = np.full((G, iterations), np.nan), np.full((G, iterations), np.nan)
    test_miss = np.full((G, iterations), np.nan) if test_curves else None
    diverged_at = np.full(G, -1)
    # The loop's arrays are allocated once: fresh large temporaries cost page faults every iteration.
    Z1, A2, Y = np.empty((G, N_max, M1)), np.empty((G, N_max, K)), np.empty((G, N_max, K))
    log_y, delta_k = np.empty((G, N_max * K)), np.empty((G, N_max, K))
    delta_j, slope = np.empty((G, N_max, M1)), np.empty((G, N_max, M1))
    dE1, dE2 = np.empty((G, D1, M1)), np.empty((G, M1, K))
    guess, wrong = np.zeros((G, N_max), dtype=np.intp), np.empty((G, N_max), dtype=bool)
    for i in range(iterations):
        if tick is not None and i % _TICK == _TICK - 1:
            tick(G * _TICK)
        _hidden(Z0, W1x, Z1)  # z1: (G, N, M+1)
        np.matmul(Z1, W2, out=A2)  # a2: (G, N, K), kept for the error
        np.negative(A2, out=Y)
        np.exp(Y, out=Y)
        Y += 1.0
        np.reciprocal(Y, out=Y)  # y = sigmoid(a2)
        if curves or i == iterations - 1:
            # E_n = sum_k [-ln y_k + (1 - t_k) a2_k]: the two-term cross-entropy, using
            # -ln(1 - y) = a2 - ln y, which stays finite where y rounds to 1.0 (there the
            # graded code's log gives inf).
            np.log(Y.reshape(G, -1), out=log_y)
            if ragged:
                log_y *= np.repeat(real, K, axis=1)
            E_total[:, i] = (np.vecdot(A2.reshape(G, -1), not_T) - log_y.sum(axis=1)) / N
            np.argmax(Y, axis=2, out=guess)  # on y, as the graded code: same ties
            np.not_equal(guess, t, out=wrong)
            wrong &= real
            miss[:, i] = np.count_nonzero(wrong, axis=1) / N
            if test_curves:
                test_miss[:, i] = _share(_guesses(test[0], W1x, W2) != test[1], test[2])
            bad = (diverged_at < 0) & ~np.isfinite(E_total[:, i])
            if bad.any():  # freeze at zero weights (finite from then on); reported as nan at the end
                diverged_at[bad], eta[bad], W1x[bad], W2[bad] = i, 0.0, 0.0, 0.0
        np.subtract(Y, T, out=delta_k)  # delta_k = y - t: (G, N, K)
        if ragged:
            delta_k *= real[:, :, None]
        np.matmul(delta_k, W2.transpose(0, 2, 1), out=delta_j)  # (G, N, M+1)
        np.subtract(1.0, Z1, out=slope)
        slope *= Z1  # sigma'(a1) = z1 (1 - z1); exactly 0 in the bias column
        delta_j *= slope
        np.matmul(Z0T, delta_j, out=dE1)  # dE1 = z0^T delta_j summed over the points: (G, D+1, M+1)
        np.matmul(Z1.transpose(0, 2, 1), delta_k, out=dE2)  # dE2 = z1^T delta_k: (G, M+1, K)
        # W - eta * dE / N, rounded as the graded code: (dE * eta) / N, then subtracted
        dE1 *= eta
        dE1 /= N[:, None, None]
        W1x -= dE1
        dE2 *= eta
        dE2 /= N[:, None, None]
        W2 -= dE2
    if tick is not None and iterations % _TICK:
        tick(G * (iterations % _TICK))
    finite = np.isfinite(W1x).all(axis=(1, 2)) & np.isfinite(W2).all(axis=(1, 2))
    diverged_at[(diverged_at < 0) & ~finite] = iterations
    if not curves and iterations > 1:  # E_total only at the end: not finite there means diverged on the way
        diverged_at[(diverged_at < 0) & ~np.isfinite(E_total[:, -1])] = iterations - 1
    train_accuracy = _share(_guesses(Z0, W1x, W2) == t, real)
    test_accuracy = np.where(has_test, _share(_guesses(test[0], W1x, W2) == test[1], test[2]), np.nan)
    for g in np.flatnonzero(diverged_at >= 0):  # a diverged network: nan from diverged_at on
        d = diverged_at[g]
        W1x[g] = W2[g] = train_accuracy[g] = test_accuracy[g] = np.nan
        E_total[g, d:] = miss[g, d:] = np.nan
        if test_curves:
            test_miss[g, d:] = np.nan
    return [
        NetworkResult(W1x[g, :, 1:].copy(), W2[g].copy(), E_total[g], miss[g],
                      test_miss[g] if test_curves and has_test[g] else None,
                      guess[g, : int(N[g])].astype(float) if iterations else np.full(int(N[g]), np.nan),
                      float(train_accuracy[g]), float(test_accuracy[g]), None if d < 0 else int(d))
        for g, d in enumerate(diverged_at)
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
    stacks = {}  # one stack per hidden size M, the most work first
    for i, net in enumerate(checked):
        stacks.setdefault(net.W1.shape[1], []).append(i)
    stacks = sorted(stacks.values(), key=lambda s: -len(s) * (checked[s[0]].W1.shape[1] + 8))
    total, done, lock = len(checked) * iterations, 0, threading.Lock()

    def tick(count):
        nonlocal done
        with lock:
            done += count
            progress(done, total)

    def run(members):
        nets = [checked[i] for i in members]
        # exp overflows to inf (sigmoid exactly 0.0) and a diverging network makes inf and nan:
        # all handled, none warned about.
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
