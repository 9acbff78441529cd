"""A fast engine: the same training as ``backprop.train_nn``, many networks at once.

Same contract as the graded ``train_nn`` (full-batch gradient descent on the
mean two-term cross-entropy, ``W - eta * dE_total / N``, the error and the
guesses of iteration ``i`` taken before its update), but computed for all N
points at once as matrix products, and for many networks at once:

- ``train_nn`` has the graded function's signature and return values;
- ``train_many`` trains a batch of networks that may differ in hidden size,
  learning rate, initial weights and data split, and reports per network.

Networks of the same hidden size are stacked along a leading axis and
trained together (``(G, N, M)`` arrays, one batched matmul per layer), and
the stacks run on a small thread pool: numpy releases the GIL inside its
array operations, so the threads use the machine's cores.

Numerically safe: ``exp`` never over- or underflows with a warning, the
error is computed from the pre-activations with ``logaddexp`` (finite even
when an output saturates at 0 or 1, where the graded code's ``log`` gives
inf), and a network whose weights or error become non-finite is marked as
diverged and frozen without disturbing the others.

This module does not import the graded module: the tests prove the two equal.
"""

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

__all__ = ["Dataset", "Network", "NetworkResult", "train_many", "train_nn", "default_workers"]


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


def default_workers():
    """Threads to use: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# --- checks -------------------------------------------------------------------


def _float_array(name, value, ndim):
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric, got {type(value).__name__}") from None
    if array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold only finite numbers (no nan or inf)")
    return array


def _classes(name, t, N, K):
    t = _float_array(name, t, 1)
    if t.shape != (N,):
        raise ValueError(f"{name} must hold one class index per point, shape ({N},), got {t.shape}")
    if np.any(t != np.round(t)) or np.any((t < 0) | (t > K - 1)):
        raise ValueError(f"{name} must hold class indices 0..K-1 = 0..{K - 1}")
    return t.astype(np.intp)


def _check_data(index, data, D, K):
    where = f"datasets[{index}]"
    X = _float_array(f"{where}.X_train", data.X_train, 2)
    if X.shape[1] != D or X.shape[0] < 1:
        raise ValueError(f"{where}.X_train must have shape (N, D) = (N, {D}) with N >= 1, got {X.shape}")
    t = _classes(f"{where}.t_train", data.t_train, X.shape[0], K)
    if (data.X_test is None) != (data.t_test is None):
        raise ValueError(f"{where}: give both X_test and t_test, or neither")
    if data.X_test is None:
        return X, t, None, None
    Xt = _float_array(f"{where}.X_test", data.X_test, 2)
    if Xt.shape[1] != D or Xt.shape[0] < 1:
        raise ValueError(f"{where}.X_test must have shape (N_test, D) = (N_test, {D}), got {Xt.shape}")
    return X, t, Xt, _classes(f"{where}.t_test", data.t_test, Xt.shape[0], K)


# --- the batched kernel ---------------------------------------------------------


def _negated_sigmoid_inplace(A):
    """Overwrite A = -a with sigmoid(a) = 1 / (1 + exp(A)); return it.

    The engine keeps every weight negated (see _Stack), so its matmuls give
    -a directly and the sigmoid needs no negation pass. exp may overflow to
    inf (sigmoid exactly 0.0, its right limit) or underflow: both silenced
    by the caller.
    """
    np.exp(A, out=A)
    A += 1.0
    np.reciprocal(A, out=A)
    return A


# The hidden layer's output z1 = [1, sigmoid(a1)] is kept as one contiguous
# (G, n, M+1) array: its column 0 is made by a "bias unit" whose only weight
# is _BIAS_UNIT on the bias input, so that its sigmoid is exactly 1.0 and its
# derivative z (1 - z) exactly 0.0: its weights never change, and one matmul
# per layer covers the bias weights too.
_BIAS_UNIT = 40.0  # sigmoid(40) == 1.0 in float64; exp(-40) is a normal number


class _Stack:
    """G networks trained together, their hidden layers padded to one size M.

    Arrays carry the networks on their first axis. Z0: (G, N, D+1) inputs
    with the bias column. Weights are stored *negated*, W1n = -W1 with the
    bias unit in column 0: (G, D+1, M+1), and W2n = -W2: (G, M+1, K).
    Negation is exact in floating point, so every product and sum comes out
    exactly negated, and the results are those of the plain formulas.
    A network with fewer hidden units gets zero weights in the extra units,
    and a mask keeps them at zero. Data sets of different sizes are padded
    with points masked out of every sum.
    """

    def __init__(self, networks, sets, iterations, curves, test_curves):
        G = len(networks)
        D1, K = networks[0].W1.shape[0], networks[0].W2.shape[1]
        self.M = np.array([net.W1.shape[1] for net in networks])
        M = int(self.M.max())
        self.iterations = iterations
        self.N = np.array([X.shape[0] for X, _, _, _ in sets])
        self.n_test = np.array([0 if Xt is None else Xt.shape[0] for _, _, Xt, _ in sets])
        self.W1n = np.zeros((G, D1, M + 1))
        self.W1n[:, 0, 0] = -_BIAS_UNIT
        self.W2n = np.zeros((G, M + 1, K))
        self.unit_mask = np.zeros((G, M + 1, 1))
        for g, net in enumerate(networks):
            Mg = net.W1.shape[1]
            self.W1n[g, :, 1 : Mg + 1] = -net.W1
            self.W2n[g, : Mg + 1] = -net.W2
            self.unit_mask[g, : Mg + 1] = 1.0
        self.padded_units = bool((self.M != M).any())
        self.eta = np.array([net.eta for net in networks])
        self.train = self._points([(X, t) for X, t, _, _ in sets])
        self.test = self._points([(Xt, tt) for _, _, Xt, tt in sets])
        self.curves = curves
        self.test_curves = curves and test_curves and bool(self.n_test.any())

    def _points(self, pairs):
        """Stack (X, t) pairs into Z0 (G, n, D+1), t (G, n) and a mask (G, n)."""
        G, D1 = self.W1n.shape[0], self.W1n.shape[1]
        n = max((0 if X is None else X.shape[0]) for X, _ in pairs)
        Z0 = np.zeros((G, n, D1))
        t = np.full((G, n), -1, dtype=np.intp)  # -1 marks padding: never a class
        for g, (X, classes) in enumerate(pairs):
            if X is not None:
                Z0[g, : X.shape[0], 0] = 1.0
                Z0[g, : X.shape[0], 1:] = X
                t[g, : X.shape[0]] = classes
        return Z0, t, t >= 0

    def run(self):
        # Overflow in exp gives a sigmoid of exactly 0.0, underflow one of 1.0,
        # and a diverging network makes inf and nan: all handled, none warned.
        with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
            return self._run()

    def _forward(self, Z0, W1n, W2n):
        """Return y: (G, n, K) for inputs Z0: (G, n, D+1)."""
        Z1 = _negated_sigmoid_inplace(np.matmul(Z0, W1n))
        return _negated_sigmoid_inplace(np.matmul(Z1, W2n))

    def _run(self):
        Z0, t, in_train = self.train
        G, N_max, D1 = Z0.shape
        M1, K = self.W2n.shape[1], self.W2n.shape[2]
        iterations = self.iterations
        ragged = bool((self.N != N_max).any())
        Z0T = np.ascontiguousarray(Z0.transpose(0, 2, 1))  # (G, D+1, N)
        T = (t[:, :, None] == np.arange(K)).astype(float)  # (G, N, K) one-hot; 0 on padding
        not_T = (1.0 - T).reshape(G, -1)
        if ragged:
            not_T *= np.repeat(in_train, K, axis=1)
        N = self.N.astype(float)
        N3 = N[:, None, None]
        step_eta = self.eta[:, None, None].copy()
        W1n, W2n = self.W1n.copy(), self.W2n.copy()
        W2nT = W2n.transpose(0, 2, 1)
        E_total = np.full((G, iterations), np.nan)
        miss = np.full((G, iterations), np.nan)
        test_miss = np.full((G, iterations), np.nan) if self.test_curves else None
        diverged_at = np.full(G, -1)
        # Every array of the loop is allocated once: fresh large temporaries
        # cost page faults on every iteration.
        Z1 = np.empty((G, N_max, M1))  # z1 = [1, sigmoid(a1)], bias unit first
        Z1T = Z1.transpose(0, 2, 1)
        A2n = np.empty((G, N_max, K))  # -a2
        Y = np.empty((G, N_max, K))
        log_y = np.empty((G, N_max * K))
        delta_k = np.empty((G, N_max, K))
        delta_jn = np.empty((G, N_max, M1))  # -delta_j
        slope = np.empty((G, N_max, M1))
        dE1n = np.empty((G, D1, M1))  # -dE1
        dE2 = np.empty((G, M1, K))
        guess = np.zeros((G, N_max), dtype=np.intp)
        wrong = np.empty((G, N_max), dtype=bool)
        for i in range(iterations):
            # forward pass
            np.matmul(Z0, W1n, out=Z1)
            _negated_sigmoid_inplace(Z1)
            np.matmul(Z1, W2n, out=A2n)
            np.exp(A2n, out=Y)
            Y += 1.0
            np.reciprocal(Y, out=Y)
            if self.curves or i == iterations - 1:
                # E_n = sum_k [-ln y_k + (1 - t_k) a2_k]: the two-term
                # cross-entropy, as -ln(1 - y) = -ln y + a2; finite even where
                # an output rounds to 1.0, where the graded code's log gives inf.
                np.log(Y.reshape(G, -1), out=log_y)
                if ragged:
                    log_y *= np.repeat(in_train, K, axis=1)
                E_total[:, i] = -(log_y.sum(axis=1) + np.vecdot(A2n.reshape(G, -1), not_T)) / N
                np.argmax(Y, axis=2, out=guess)  # on y, as the graded code: same ties
                np.not_equal(guess, t, out=wrong)
                if ragged:
                    wrong &= in_train
                miss[:, i] = np.count_nonzero(wrong, axis=1) / N
                if self.test_curves:
                    test_miss[:, i] = self._test_misclassification(W1n, W2n)
                bad = (diverged_at < 0) & ~np.isfinite(E_total[:, i])
                if bad.any():  # freeze at harmless weights; reported as nan at the end
                    diverged_at[bad] = i
                    step_eta[bad] = 0.0
                    W1n[bad] = 0.0
                    W1n[bad, 0, 0] = -_BIAS_UNIT
                    W2n[bad] = 0.0
            # backward pass
            np.subtract(Y, T, out=delta_k)  # (G, N, K)
            if ragged:
                delta_k *= in_train[:, :, None]
            np.matmul(delta_k, W2nT, out=delta_jn)  # (G, N, M+1)
            np.subtract(1.0, Z1, out=slope)
            slope *= Z1  # sigma'(a1) = z (1 - z); exactly 0 for the bias unit
            delta_jn *= slope
            np.matmul(Z0T, delta_jn, out=dE1n)  # (G, D+1, M+1)
            np.matmul(Z1T, delta_k, out=dE2)  # (G, M+1, K)
            if self.padded_units:
                dE2 *= self.unit_mask
            # W - eta * dE / N, rounded as the graded code rounds it; negated
            dE1n *= step_eta
            dE1n /= N3
            W1n -= dE1n
            dE2 *= step_eta
            dE2 /= N3
            W2n += dE2
        return self._results(-W1n, -W2n, E_total, miss, test_miss, guess, diverged_at)

    def _test_misclassification(self, W1n, W2n):
        """Fraction of test points misclassified by the current weights: (G,)."""
        Z0, t, mask = self.test
        wrong = (np.argmax(self._forward(Z0, W1n, W2n), axis=2) != t) & mask
        return np.count_nonzero(wrong, axis=1) / np.maximum(self.n_test, 1)

    def _results(self, W1, W2, E_total, miss, test_miss, guess, diverged_at):
        iterations = self.iterations
        finite = np.isfinite(W1).all(axis=(1, 2)) & np.isfinite(W2).all(axis=(1, 2))
        diverged_at[(diverged_at < 0) & ~finite] = iterations
        if not self.curves and iterations > 1:
            # E_total was computed at the last iteration only: a network
            # whose error is not finite there has diverged on the way.
            diverged_at[(diverged_at < 0) & ~np.isfinite(E_total[:, -1])] = iterations - 1
        accuracy = {}
        for name, (Z0, t, mask) in (("train", self.train), ("test", self.test)):
            right = (np.argmax(self._forward(Z0, -W1, -W2), axis=2) == t) & mask  # on y: ties as test_nn
            accuracy[name] = np.count_nonzero(right, axis=1) / np.maximum(mask.sum(axis=1), 1)
        results = []
        for g in range(W1.shape[0]):
            Ng, has_test, d, Mg = int(self.N[g]), bool(self.n_test[g]), int(diverged_at[g]), int(self.M[g])
            result = NetworkResult(
                W1=W1[g, :, 1 : Mg + 1].copy(),
                W2=W2[g, : Mg + 1].copy(),
                E_total=E_total[g],
                misclassification_rate=miss[g],
                test_misclassification_rate=test_miss[g] if has_test and test_miss is not None else None,
                guesses=guess[g, :Ng].astype(float) if iterations else np.full(Ng, np.nan),
                train_accuracy=float(accuracy["train"][g]),
                test_accuracy=float(accuracy["test"][g]) if has_test else math.nan,
                diverged_at=None if d < 0 else d,
            )
            if d >= 0:
                result.W1[:] = np.nan
                result.W2[:] = np.nan
                for curve in (
                    result.E_total,
                    result.misclassification_rate,
                    result.test_misclassification_rate,
                ):
                    if curve is not None:
                        curve[d:] = np.nan
                result.train_accuracy = result.test_accuracy = math.nan
            results.append(result)
        return results


# --- the public functions ---------------------------------------------------------


# Cost of one iteration of a stack, in microseconds, measured on the study's
# shapes: a fixed cost per stack (numpy calls), and per network a cost for the
# output layer and one per hidden unit. Used only to plan the stacks.
_COST_STACK, _COST_NETWORK, _COST_UNIT = 60.0, 3.0, 0.45


def _stack_cost(count, M):
    return _COST_STACK + count * (_COST_NETWORK + _COST_UNIT * (M + 1))


def _plan(sizes, workers):
    """Group networks into stacks and split the stacks for the thread pool.

    sizes: hidden size M of each network. Consecutive sizes are merged into
    one stack, padded to its largest M, where that costs less than a stack
    each (dynamic programming over the sorted sizes). Each stack is then cut
    into pieces of about equal cost so that the threads stay balanced.
    Returns lists of network indices, most work first.
    """
    by_size = {}
    for i, M in enumerate(sizes):
        by_size.setdefault(M, []).append(i)
    Ms = sorted(by_size)
    counts = [len(by_size[M]) for M in Ms]
    best = [0.0] + [math.inf] * len(Ms)  # best[j]: cheapest plan of Ms[:j]
    cut = [0] * (len(Ms) + 1)
    for j in range(1, len(Ms) + 1):
        for i in range(j):
            cost = best[i] + _stack_cost(sum(counts[i:j]), Ms[j - 1])
            if cost < best[j]:
                best[j], cut[j] = cost, i
    stacks, j = [], len(Ms)
    while j > 0:
        stacks.append((sum((by_size[M] for M in Ms[cut[j] : j]), []), Ms[j - 1]))
        j = cut[j]
    target = best[-1] / (2 * workers) if workers > 1 else math.inf
    pieces = []
    for members, M in stacks:
        parts = max(1, min(len(members), round(_stack_cost(len(members), M) / target)))
        pieces += [(list(p), _stack_cost(len(p), M)) for p in np.array_split(members, parts)]
    return [p for p, _ in sorted(pieces, key=lambda piece: -piece[1])]


def train_many(datasets, networks, iterations, workers=None, curves=True, test_curves=True, progress=None):
    """Train many networks at once; return one ``NetworkResult`` each, in order.

    datasets: list of ``Dataset``; networks: list of ``Network`` (their
    ``data`` indexes ``datasets``); iterations: weight updates per network;
    workers: threads (default: the available cores); curves: record
    E_total and the misclassification at every iteration (else at the last
    one only, which is cheaper: a study of final accuracies needs no
    curves); test_curves: with curves, follow the test set's
    misclassification too (when a data set has one); progress: called as
    ``progress(networks_done, networks_total)`` as stacks finish. All networks share D
    (from the data) and K (from W2); they may differ in M, eta, weights and
    data set. Each result equals training that network alone.
    """
    if isinstance(iterations, bool) or not isinstance(iterations, int | np.integer) or iterations < 0:
        raise ValueError(f"iterations must be a whole number >= 0, got {iterations!r}")
    if not networks:
        return []
    if not datasets:
        raise ValueError("datasets must hold at least one Dataset")
    first = _float_array("networks[0].W2", networks[0].W2, 2)
    K = first.shape[1]
    D = _float_array("datasets[0].X_train", datasets[0].X_train, 2).shape[1]
    sets = [_check_data(i, data, D, K) for i, data in enumerate(datasets)]
    checked = []
    for i, net in enumerate(networks):
        W1 = _float_array(f"networks[{i}].W1", net.W1, 2)
        W2 = _float_array(f"networks[{i}].W2", net.W2, 2)
        M = W1.shape[1]
        if W1.shape != (D + 1, M) or M < 1:
            raise ValueError(f"networks[{i}].W1 must have shape (D+1, M) = ({D + 1}, M), got {W1.shape}")
        if W2.shape != (M + 1, K):
            raise ValueError(f"networks[{i}].W2 must have shape (M+1, K) = ({M + 1}, {K}), got {W2.shape}")
        if isinstance(net.eta, bool) or not np.isfinite(net.eta):
            raise ValueError(f"networks[{i}].eta must be a finite number, got {net.eta!r}")
        if not 0 <= net.data < len(datasets):
            raise ValueError(
                f"networks[{i}].data must index datasets (0..{len(datasets) - 1}), got {net.data}"
            )
        checked.append(Network(W1, W2, float(net.eta), int(net.data)))

    workers = default_workers() if workers is None else max(1, int(workers))
    pieces = _plan([net.W1.shape[1] for net in checked], workers)

    def run(piece):
        nets = [checked[i] for i in piece]
        stack = _Stack(nets, [sets[net.data] for net in nets], iterations, curves, test_curves)
        return piece, stack.run()

    results = [None] * len(checked)
    done = 0
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for piece, piece_results in pool.map(run, pieces) if workers > 1 else map(run, pieces):
            for i, result in zip(piece, piece_results, strict=True):
                results[i] = result
            done += len(piece)
            if progress is not None:
                progress(done, len(checked))
    return results


def train_nn(X_train, t_train, M, K, W1, W2, iterations, eta):
    """Same contract as the graded ``train_nn``, all N points at once.

    X_train: (N, D); t_train: (N,) class indices; W1: (D+1, M); W2: (M+1, K).
    Returns ``W1tr, W2tr, E_total, misclassification_rate, guesses``.
    """
    W1 = _float_array("W1", W1, 2)
    W2 = _float_array("W2", W2, 2)
    if W1.shape[1] != M:
        raise ValueError(f"W1 must have shape (D+1, M) = (D+1, {M}), got {W1.shape}")
    if W2.shape != (M + 1, K):
        raise ValueError(f"W2 must have shape (M+1, K) = ({M + 1}, {K}), got {W2.shape}")
    (result,) = train_many([Dataset(X_train, t_train)], [Network(W1, W2, eta)], iterations, workers=1)
    return result.W1, result.W2, result.E_total, result.misclassification_rate, result.guesses
