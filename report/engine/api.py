"""``train_many`` and ``train_nn``: checks, planning, threads."""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from report.engine.plan import plan_stacks
from report.engine.stack import Stack
from report.engine.types import Dataset, Network, NetworkResult

__all__ = ["Dataset", "Network", "NetworkResult", "train_many", "train_nn", "default_workers"]


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


def train_many(datasets, networks, iterations, workers=None, curves=True, test_curves=True, progress=None):
    """Train many networks at once; return one ``NetworkResult`` each, in order.

    datasets: list of ``Dataset``; networks: list of ``Network`` (their
    ``data`` indexes ``datasets``); iterations: weight updates per network;
    workers: threads (default: the available cores); curves: record
    E_total and the misclassification at every iteration (else at the last
    one only, which is cheaper: a study of final accuracies needs no
    curves); test_curves: with curves, follow the test set's
    misclassification too (when a data set has one); progress: called now
    and then, from any thread, as ``progress(done, total)`` counting
    network-iterations. All networks share D
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
    pieces = plan_stacks([net.W1.shape[1] for net in checked], workers)

    total = len(checked) * iterations
    done = 0
    lock = threading.Lock()

    def tick(count):
        nonlocal done
        with lock:
            done += count
            progress(done, total)

    def run(piece):
        nets = [checked[i] for i in piece]
        stack = Stack(nets, [sets[net.data] for net in nets], iterations, curves, test_curves,
                      tick=None if progress is None else tick)  # fmt: skip
        return piece, stack.run()

    results = [None] * len(checked)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for piece, piece_results in pool.map(run, pieces) if workers > 1 else map(run, pieces):
            for i, result in zip(piece, piece_results, strict=True):
                results[i] = result
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
