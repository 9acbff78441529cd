"""The engine's inner loop: one stack of G networks of one hidden size M, on data sets of one size N.

``report.engine`` checks the inputs, cuts the networks into such stacks and runs them in threads;
this module only trains one stack. The points are on the last axis of every array: z0 as Z0T
(G, D+1, N), the outputs as (G, K, N), and the hidden layer z1 as (M+1, G, N), unit 0 the bias held
at 1.0: its hidden units are one contiguous block, which the elementwise passes (most of the time)
run over fastest. Each product is one batched matmul on (G, ...) views whose slices BLAS reads in
place, without copies.

The weights are kept negated, W1n = -W1^T (G, M, D+1) and W2n = -W2 (G, M+1, K): each forward
matmul gives -a, so the sigmoid 1 / (1 + exp(-a)) is exp, +1 and reciprocal with no negation pass,
and the backward pass carries -delta_j, -dE1. Negation is exact in floating point (a product or
sum of negated numbers is the negated result, bit for bit), so every number is the one the
positive weights would give: W1 - (dE1 eta) / N is computed as W1n - (-dE1 eta) / N.
"""

import math
from typing import NamedTuple

import numpy as np

TICK = 50  # iterations between progress reports


class StackResult(NamedTuple):
    """The trained stack: W1 (G, D+1, M), W2 (G, M+1, K) (nan where diverged); E_total, miss
    (G, iterations); test_miss (G, iterations) or None; guesses (G, N) of the last iteration;
    train_accuracy, test_accuracy (G,) (nan without a test set); diverged_at (G,) (-1: did not)."""

    W1: np.ndarray
    W2: np.ndarray
    E_total: np.ndarray
    miss: np.ndarray
    test_miss: np.ndarray | None
    guesses: np.ndarray
    train_accuracy: np.ndarray
    test_accuracy: np.ndarray
    diverged_at: np.ndarray


def _sigmoid_of_negated(A, out=None):
    """sigmoid(a) = 1 / (1 + exp(A)) for A = -a, into ``out`` (default: in place). exp may overflow
    to inf: the sigmoid is then exactly 0.0."""
    out = np.exp(A, out=A if out is None else out)
    out += 1.0
    return np.reciprocal(out, out=out)


def _guard(Y, A2n, out):
    """y with the graded sigmoid's guard, into ``out``: exactly 0.0 where a = -A2n < -100 (here y is
    tiny there, and the gradients keep it: the difference is below any rounding of the weights; but
    a point whose outputs are all 0.0 is guessed as class 0, and ln 0 makes its error +inf). nan
    stays nan."""
    return np.multiply(Y, A2n <= 100.0, out=out)


def _test_sets(tests, D):
    """Pad test sets (X (n, D), t (n,)) or None into Z0T (G, D+1, n_max) with the bias row, t (G, n_max)
    (-1 on padding and for a missing set) and the mask t >= 0 of real points."""
    n = max((0 if s is None else len(s[1]) for s in tests), default=0)
    Z0T, t = np.zeros((len(tests), D + 1, n)), np.full((len(tests), n), -1, dtype=np.intp)
    for g, test in enumerate(tests):
        if test is not None:
            X, classes = test
            Z0T[g, 0, : len(classes)] = 1.0
            Z0T[g, 1:, : len(classes)], t[g, : len(classes)] = X.T, classes
    return Z0T, t, t >= 0


def _guesses(Z0T, W1n, W2n):
    """argmax(y) for Z0T (G, D+1, n): (G, n); taken on y, so that ties go as in test_nn."""
    Z1 = np.ones((W1n.shape[1] + 1, W1n.shape[0], Z0T.shape[2]))  # unit-major, as in train_stack
    np.matmul(W1n, Z0T, out=Z1[1:].transpose(1, 0, 2))
    _sigmoid_of_negated(Z1[1:])
    A2n = np.matmul(W2n.transpose(0, 2, 1), Z1.transpose(1, 0, 2))
    return np.argmax(_guard(_sigmoid_of_negated(A2n, out=np.empty_like(A2n)), A2n, out=A2n), axis=1)


def _share(hit, real):
    """Fraction of the real points (G, n) where hit (G, n) is true: (G,)."""
    return np.count_nonzero(hit & real, axis=1) / np.maximum(real.sum(axis=1), 1)


def train_stack(W1, W2, eta, X, t, tests, iterations, curves, test_curves, tick):
    """Train G networks of one hidden size M on training sets of one size N together.

    W1 (G, D+1, M), W2 (G, M+1, K), eta (G,): the initial weights and rates; X (G, N, D), t (G, N)
    class indices: each network's training set; tests: per network (X_test, t_test) or None.
    curves: E_total and the misclassification at every iteration (else at the last one only);
    test_curves: with curves, the test sets' too; tick(count): called with network-iterations done,
    or None. A network diverges when an update leaves a weight that is not a finite number (inf or
    nan), as with the graded train_nn: diverged_at is then the first iteration whose weights are not
    finite (the update before it made them so; ``iterations`` if the last one did). It is frozen at
    zero weights and rate and reported as nan from diverged_at on. An infinite E_total alone is not
    divergence: the graded E_total is +inf wherever an output rounds to exactly 0 on its target
    class or to exactly 1 on another (ln 0), and the network trains on. Returns a StackResult.
    """
    G, N, D = X.shape
    M, K = W1.shape[2], W2.shape[2]
    Z0 = np.ones((G, N, D + 1))  # (G, N, D+1): z0 of every point, bias first
    Z0[:, :, 1:] = X
    Z0T = np.ascontiguousarray(Z0.transpose(0, 2, 1))  # (G, D+1, N)
    test = _test_sets(tests, D)
    has_test = test[2].any(axis=1)
    test_curves = curves and test_curves and bool(has_test.any())
    # Both layers' weights side by side in one row per network, W = [W1n | W2n] (G, P), and so
    # their gradients: the update is then three passes over W for both layers. Their signs differ
    # (-dE1^T comes out of the backward pass, dE2 as it is), so the rate is signed per entry:
    # dE2 (-eta) / N is exactly -(dE2 eta / N).
    P1 = M * (D + 1)
    W, dE, rate = (np.empty((G, P1 + (M + 1) * K)) for _ in range(3))
    W1n, W2n = W[:, :P1].reshape(G, M, D + 1, copy=False), W[:, P1:].reshape(G, M + 1, K, copy=False)
    dE1, dE2 = dE[:, :P1].reshape(G, M, D + 1, copy=False), dE[:, P1:].reshape(G, M + 1, K, copy=False)
    np.negative(W1.transpose(0, 2, 1), out=W1n)  # -W1^T: (G, M, D+1)
    np.negative(W2, out=W2n)  # (G, M+1, K)
    rate[:, :P1], rate[:, P1:] = eta[:, None], -eta[:, None]  # set to 0 where a network diverges
    T = (t[:, None, :] == np.arange(K)[:, None]).astype(float)  # (G, K, N) one-hot targets
    not_T = (1.0 - T).reshape(G, -1)
    sign = (T - not_T.reshape(G, K, N)).reshape(G, -1)  # +1 on the target class, -1 on the others
    E_total, miss = np.full((G, iterations), np.nan), np.full((G, iterations), np.nan)
    test_miss = np.full((G, iterations), np.nan) if test_curves else None
    diverged_at = np.full(G, -1)
    # The loop's arrays are allocated once: fresh temporaries cost page faults every iteration.
    # The hidden layer's arrays are unit-major, (M, G, N): the elementwise passes then run over one
    # contiguous block (twice as fast as over the (G, M, N) view that skips every bias row), and
    # the matmuls take their (G, M, N) views, whose slices BLAS reads with a longer row stride.
    Z1 = np.ones((M + 1, G, N))  # z1, unit 0 the bias: 1.0 for good
    H, Z1T = Z1[1:], Z1.transpose(1, 0, 2)  # the hidden units (M, G, N); z1 as (G, M+1, N)
    A2n, Y, delta_k = np.empty((G, K, N)), np.empty((G, K, N)), np.empty((G, K, N))
    Yg, log_u = np.empty((G, K, N)), np.empty((G, K * N))
    delta_j, slope = np.empty((M, G, N)), np.empty((M, G, N))
    guess, wrong = np.zeros((G, N), dtype=np.intp), np.empty((G, N), dtype=bool)
    W2n_T, W2n_hidden, delta_k_T = W2n.transpose(0, 2, 1), W2n[:, 1:], delta_k.transpose(0, 2, 1)
    H_T, delta_j_T = H.transpose(1, 0, 2), delta_j.transpose(1, 0, 2)  # (G, M, N) views
    for i in range(iterations):
        if tick is not None and i % TICK == TICK - 1:
            tick(G * TICK)
        np.matmul(W1n, Z0T, out=H_T)  # -a1: (G, M, N)
        _sigmoid_of_negated(H)  # z1 = sigmoid(a1)
        np.matmul(W2n_T, Z1T, out=A2n)  # -a2: (G, K, N), kept for the error
        _sigmoid_of_negated(A2n, out=Y)  # y = sigmoid(a2)
        if curves or i == iterations - 1:
            _guard(Y, A2n, out=Yg)  # y as the graded code has it, for its error and guesses
            # E_n = -sum_k ln u_k, the two-term cross-entropy as the graded code computes it: u = y
            # on the target class, 1 - y on the others (y (+1) + 0 and y (-1) + 1: the same bits).
            # It is +inf where an output is exactly 0 on its target class or 1 on another (ln 0).
            np.multiply(Yg.reshape(G, -1), sign, out=log_u)
            log_u += not_T
            np.log(log_u, out=log_u)
            E_total[:, i] = -log_u.sum(axis=1) / N
            np.argmax(Yg, axis=1, out=guess)  # on y, as the graded code: same ties
            np.not_equal(guess, t, out=wrong)
            miss[:, i] = np.count_nonzero(wrong, axis=1) / N
            if test_curves:
                test_miss[:, i] = _share(_guesses(test[0], W1n, W2n) != test[1], test[2])
        np.subtract(Y, T, out=delta_k)  # delta_k = y - t: (G, K, N)
        np.matmul(W2n_hidden, delta_k, out=delta_j_T)  # -(W2[1:] delta_k) at every point: (G, M, N)
        np.subtract(1.0, H, out=slope)
        slope *= H  # sigma'(a1) = (1 - z1) z1
        delta_j *= slope  # -delta_j
        np.matmul(delta_j_T, Z0, out=dE1)  # -dE1^T, summed over the points: (G, M, D+1)
        np.matmul(Z1T, delta_k_T, out=dE2)  # dE2 = z1^T delta_k: (G, M+1, K)
        # W - eta * dE / N, rounded as the graded code: (dE * eta) / N, then subtracted
        dE *= rate
        dE /= N
        W -= dE
        # Divergence: a weight that is not finite. A sum is not finite if any of its terms is not
        # (inf, or nan, stays so through a sum), so one sum of all the stack's weights (one numpy
        # call: a third of one pass over the hidden layer, which is much larger) says whether to
        # look row by row; finite weights that only sum beyond the largest float are told apart there.
        if not math.isfinite(W.sum()):
            bad = ~np.isfinite(W).all(axis=1)
            if bad.any():  # freeze at zero weights (finite from then on); reported as nan at the end
                diverged_at[bad], rate[bad], W[bad] = i + 1, 0.0, 0.0
    if tick is not None and iterations % TICK:
        tick(G * (iterations % TICK))
    train_accuracy = np.mean(_guesses(Z0T, W1n, W2n) == t, axis=1)
    test_accuracy = np.where(has_test, _share(_guesses(test[0], W1n, W2n) == test[1], test[2]), np.nan)
    W1, W2 = -W1n.transpose(0, 2, 1), -W2n
    for g in np.flatnonzero(diverged_at >= 0):  # a diverged network: nan from diverged_at on
        d = diverged_at[g]
        W1[g] = W2[g] = train_accuracy[g] = test_accuracy[g] = np.nan
        E_total[g, d:] = miss[g, d:] = np.nan
        if test_curves:
            test_miss[g, d:] = np.nan
    guesses = guess.astype(float) if iterations else np.full((G, N), np.nan)
    return StackResult(W1, W2, E_total, miss, test_miss, guesses, train_accuracy, test_accuracy, diverged_at)
