"""The engine as it was before its stacks were cut to fit the cache (commit 22dfbca), for ``make bench``.

``make bench`` times the report's study with this loop and with ``report.engine`` side by side, in
one run, so that the gain of the current engine is measured on the machine at hand. Only the bench
imports this module; it is the old ``_train_stack`` unchanged (one stack per hidden size M, the
networks on axis 0 and the points on axis 1) with a ``train_many`` that trusts its inputs (the
bench builds them by the course protocol).
"""

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from report.engine import NetworkResult

_TICK = 50  # iterations between progress reports


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


def train_many(datasets, networks, iterations, workers=2, curves=False):
    """Train the networks as the old engine did: one stack per hidden size, the stacks in threads."""
    sets = [
        (
            (d.X_train, d.t_train.astype(np.intp)),
            None if d.X_test is None else (d.X_test, d.t_test.astype(np.intp)),
        )
        for d in datasets
    ]
    stacks = {}
    for i, net in enumerate(networks):
        stacks.setdefault(net.W1.shape[1], []).append(i)
    stacks = sorted(stacks.values(), key=lambda s: -len(s) * (networks[s[0]].W1.shape[1] + 8))

    def run(members):
        nets = [networks[i] for i in members]
        with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
            return _train_stack(nets, [sets[net.data] for net in nets], iterations, curves, True, None)

    with ThreadPoolExecutor(max_workers=min(len(stacks), workers)) as pool:
        trained = list(pool.map(run, stacks))
    by_index = dict(zip(sum(stacks, []), sum(trained, []), strict=True))
    return [by_index[i] for i in range(len(networks))]
