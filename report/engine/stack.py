"""The kernel: G networks trained together on stacked arrays."""

import math

import numpy as np

from report.engine.types import NetworkResult


def _negated_sigmoid_inplace(A):
    """Overwrite A = -a with sigmoid(a) = 1 / (1 + exp(A)); return it.

    The engine keeps every weight negated (see Stack), so its matmuls give
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
_TICK = 50  # iterations between progress reports
_BIAS_UNIT = 40.0  # sigmoid(40) == 1.0 in float64; exp(-40) is a normal number


class Stack:
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

    def __init__(self, networks, sets, iterations, curves, test_curves, tick=None):
        self.tick = tick  # called with a count of network-iterations done, now and then
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
            if self.tick is not None and i % _TICK == _TICK - 1:
                self.tick(G * _TICK)
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
        if self.tick is not None and iterations % _TICK:
            self.tick(G * (iterations % _TICK))
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
