"""The Back-propagation Algorithm: Sections 1.1 to 2.2 of the handout.

This is the file that is handed in (as ``template.py``). It imports only
numpy and works as the only file in an empty folder.

Notation follows the handout: ``D`` inputs, ``M`` hidden units, ``K``
outputs, ``N`` data points; ``W1`` is ``(D+1, M)`` and ``W2`` is ``(M+1, K)``,
row 0 of each holding the bias weights. Single points are 1-D arrays (the
handout's "line vectors"), so ``z0`` prints as ``[1. 5. 3.4 1.6 0.4]``.

Where the handout is wrong, this file follows the course's clarifications:
the update is gradient *descent* (``W - eta * dE_total / N``), ``E_total`` is
the mean over the points of the two-term cross-entropy (Bishop 5.21), and
``guesses`` come from the same forward passes as that iteration's gradients.
"""

import numbers

import numpy as np

__all__ = ["sigmoid", "d_sigmoid", "perceptron", "ffnn", "backprop", "train_nn", "test_nn"]


# --- input checks -----------------------------------------------------------
# Every public function checks its inputs on each call. train_nn checks
# everything once, then runs the per-point arithmetic (_backprop, _ffnn,
# _perceptron) unchecked: the checks cost as much as the arithmetic itself.


def _as_float_array(name, value):
    """Return ``value`` as a float array of finite real numbers, or raise naming ``name``."""
    try:
        array = np.asarray(value)
        if array.dtype.kind != "c":
            array = array.astype(float, copy=False)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric, got {type(value).__name__}") from None
    if array.dtype.kind == "c":  # a cast to float would silently drop the imaginary part
        raise ValueError(f"{name} must hold real numbers, got complex values")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold only finite numbers (no nan or inf)")
    return array


def _check_size(name, value):
    """Return ``value`` as an int >= 1, or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive whole number, got {value!r}")
    return int(value)


def _check_shape(name, array, expected, meaning):
    if array.shape != expected:
        raise ValueError(f"{name} must have shape {meaning} = {expected}, got {array.shape}")


def _as_point(name, x):
    """Return one input pattern as a 1-D float array of length D.

    Accepts ``(D,)`` or the handout's ``(1, D)`` line vector.
    """
    x = _as_float_array(name, x)
    if x.ndim == 2 and x.shape[0] == 1:
        x = x[0]
    if x.ndim != 1:
        raise ValueError(f"{name} must be one input pattern of shape (D,) or (1, D), got {x.shape}")
    return x


def _check_network(x, M, K, W1, W2):
    """Check one point and the weights; return them as float arrays."""
    x = _as_point("x", x)
    M = _check_size("M", M)
    K = _check_size("K", K)
    W1 = _as_float_array("W1", W1)
    W2 = _as_float_array("W2", W2)
    _check_shape("W1", W1, (x.shape[0] + 1, M), "(D+1, M)")
    _check_shape("W2", W2, (M + 1, K), "(M+1, K)")
    return x, M, K, W1, W2


def _as_points(name, X, D):
    """Return a data set as an ``(N, D)`` float array with N >= 1."""
    X = _as_float_array(name, X)
    if X.ndim != 2 or X.shape[1] != D or X.shape[0] < 1:
        raise ValueError(
            f"{name} must have shape (N, D) = (N, {D}) with N >= 1 (D from W1's D+1 rows), got {X.shape}"
        )
    return X


def _as_class_indices(name, t, N, K):
    """Return class indices as an ``(N,)`` int array with values in ``0..K-1``."""
    t = _as_float_array(name, t)
    if t.shape != (N,):
        raise ValueError(f"{name} must hold one class index per point, shape (N,) = ({N},), got {t.shape}")
    if np.any(t != np.round(t)) or np.any(t < 0) or np.any(t > K - 1):
        raise ValueError(f"{name} must hold class indices 0..K-1 = 0..{K - 1}")
    return t.astype(int)


# --- Section 1.1 ------------------------------------------------------------


def _sigmoid(a):
    """sigmoid without the input check (a: a real float array or float)."""
    # Clipping to [-100, 700] keeps exp(-a) between exp(-700) and exp(100):
    # no overflow nor underflow, under any np.seterr. It changes no result:
    # below -100 the guard gives 0.0, and above 37 the sigmoid is already
    # exactly 1.0 in float64. (np.maximum and np.minimum clip as np.clip
    # does, nan included, at a fraction of its call cost: train_nn calls
    # this twice per point.)
    s = 1.0 / (1.0 + np.exp(-np.minimum(np.maximum(a, -100.0), 700.0)))
    if s.ndim == 0:
        return 0.0 if a < -100.0 else float(s)
    # the guard: times 0.0 below -100 (+0.0, as s >= 0), times 1.0 (exact) elsewhere
    return s * (a >= -100.0)


def sigmoid(x):
    """Return the logistic sigmoid ``1 / (1 + exp(-x))`` of a scalar or an array.

    x: scalar, or array of any shape (elementwise). Returns a float for a
    scalar, else an array of x's shape. Where ``x < -100`` the result is
    exactly ``0.0`` (the handout's overflow guard).
    """
    a = np.asarray(x)
    if a.dtype.kind == "c":  # a cast to float would silently drop the imaginary part
        raise ValueError("x must hold real numbers, got complex values")
    return _sigmoid(a.astype(float, copy=False))


def d_sigmoid(x):
    """Return the derivative of the sigmoid, ``sigmoid(x) * (1 - sigmoid(x))``.

    x: scalar or array (elementwise); returns the same kind as ``sigmoid``.
    """
    s = sigmoid(x)
    return s * (1 - s)


# --- Section 1.2 ------------------------------------------------------------


def _perceptron(x, w):
    """perceptron without the input checks: x (D,), w (D,) or (D, M) float arrays."""
    # Elementwise product then sum, as in the handout's examples
    # (np.dot rounds the second example differently in the last digit).
    a = np.add.reduce(x * w.T, axis=-1)  # what np.sum calls, without its Python wrapper
    if a.ndim == 0:
        a = float(a)
    return a, _sigmoid(a)


def perceptron(x, w):
    """Return the weighted sum of ``x`` and ``w``, and its sigmoid.

    x: (D,) inputs. w: (D,) weights of one unit, or (D, M) for M units at once.
    Returns ``(a, sigmoid(a))``: two floats for one unit, two (M,) arrays for M.
    """
    x = _as_float_array("x", x)
    w = _as_float_array("w", w)
    if w.shape[:1] != x.shape:
        raise ValueError(f"w must have as many rows as x has entries ({x.shape[0]}), got shape {w.shape}")
    return _perceptron(x, w)


# --- Section 1.3 ------------------------------------------------------------


def _ffnn(x, W1, W2):
    """ffnn without the input checks: x (D,), W1 (D+1, M), W2 (M+1, K) float arrays."""
    z0 = np.concatenate(([1.0], x))  # (D+1,)  the 1.0 meets the bias weights in W1's row 0
    a1, z1 = _perceptron(z0, W1)  # (M,), (M,)
    z1 = np.concatenate(([1.0], z1))  # (M+1,)
    a2, y = _perceptron(z1, W2)  # (K,), (K,)
    return y, z0, z1, a1, a2


def ffnn(x, M, K, W1, W2):
    """Propagate one input pattern forward through the network.

    x: (D,) input pattern (or (1, D)); W1: (D+1, M); W2: (M+1, K).
    Returns ``y, z0, z1, a1, a2`` with shapes (K,), (D+1,), (M+1,), (M,), (K,):
    z0 is x with 1.0 inserted first, a1 = z0 W1, z1 is sigmoid(a1) with 1.0
    inserted first, a2 = z1 W2, y = sigmoid(a2).
    """
    x, M, K, W1, W2 = _check_network(x, M, K, W1, W2)
    return _ffnn(x, W1, W2)


# --- Section 1.4 ------------------------------------------------------------


def _backprop(x, target_y, W1, W2):
    """backprop without the input checks: x (D,), target_y (K,), W1, W2 float arrays."""
    # 1. run ffnn on the input
    y, z0, z1, a1, a2 = _ffnn(x, W1, W2)
    # 2. delta_k = y_k - target_y_k (sigmoid outputs with cross-entropy)
    delta_k = y - target_y  # (K,)
    # 3. delta_j = sigma'(a1_j) * sum_k w_{k, j+1} delta_k; the +1 skips
    #    W2's bias row, which no hidden unit feeds.
    #    d_sigmoid(a1) = sigmoid(a1) (1 - sigmoid(a1)), and ffnn has already
    #    computed sigmoid(a1): it is z1 without its leading 1.0 (the same
    #    numbers, bit for bit, without computing the sigmoid twice).
    s = z1[1:]
    delta_j = s * (1 - s) * (W2[1:, :] @ delta_k)  # (M,)
    # 4.-5. dE1[i, j] = delta_j z0_i and dE2[j, k] = delta_k z1_j: new
    #    (D+1, M) and (M+1, K) matrices, each an outer product (written as
    #    a broadcast product: np.outer's own result, without its call cost).
    dE1 = z0[:, None] * delta_j
    dE2 = z1[:, None] * delta_k
    return y, dE1, dE2


def backprop(x, target_y, M, K, W1, W2):
    """Return the output and the error gradients for one pattern.

    x: (D,) input; target_y: (K,) one-hot target; W1: (D+1, M); W2: (M+1, K).
    Returns ``y, dE1, dE2`` with shapes (K,), (D+1, M), (M+1, K), where
    dE1[i, j] = dE_n/dW1[i, j] and dE2[j, k] = dE_n/dW2[j, k] for the
    cross-entropy error E_n of this one pattern.
    """
    x, M, K, W1, W2 = _check_network(x, M, K, W1, W2)
    target_y = _as_float_array("target_y", target_y)
    _check_shape("target_y", target_y, (K,), "(K,)")
    return _backprop(x, target_y, W1, W2)


# --- Section 2.1 ------------------------------------------------------------


def _cross_entropy(y, is_target):
    """Return -sum_k [t_k ln y_k + (1 - t_k) ln(1 - y_k)] for a one-hot target.

    is_target: (K,) booleans, t_k == 1. With t_k in {0, 1} each term is
    ln y_k or ln(1 - y_k); picking it exactly
    avoids 0 * ln 0 = nan when an output saturates at 0.0 or 1.0 (the error is
    then honestly +inf: call it under ``np.errstate(divide="ignore")`` for no
    numpy warning (train_nn enters that state once, not once per point).
    """
    return -np.add.reduce(np.log(np.where(is_target, y, 1.0 - y)))  # np.sum's own reduction


def train_nn(X_train, t_train, M, K, W1, W2, iterations, eta):
    """Train the network by full-batch gradient descent.

    X_train: (N, D) points; t_train: (N,) class indices in 0..K-1;
    W1: (D+1, M) and W2: (M+1, K) initial weights (not modified);
    iterations: number of weight updates; eta: learning rate (> 0).
    Returns ``W1tr, W2tr, E_total, misclassification_rate, guesses``:
    the trained (D+1, M) and (M+1, K) weights; (iterations,) arrays of the
    mean cross-entropy and of the fraction of misclassified points, each from
    the forward passes of that iteration (weights before its update); and
    the (N,) float array of argmax guesses of the last iteration (all nan if
    iterations is 0).
    """
    # 1. initialise the variables, checking every input once: the loop below
    #    then calls backprop's arithmetic (_backprop) without re-checking.
    W1 = _as_float_array("W1", W1).copy()  # copies: the caller's arrays stay as they are
    W2 = _as_float_array("W2", W2).copy()
    M = _check_size("M", M)
    K = _check_size("K", K)
    if W1.ndim != 2:
        raise ValueError(f"W1 must have shape (D+1, M) = (D+1, {M}), got {W1.shape}")
    D = W1.shape[0] - 1
    X_train = _as_points("X_train", X_train, D)
    N = X_train.shape[0]
    t_train = _as_class_indices("t_train", t_train, N, K)
    _check_shape("W1", W1, (D + 1, M), "(D+1, M)")
    _check_shape("W2", W2, (M + 1, K), "(M+1, K)")
    if isinstance(iterations, bool) or not isinstance(iterations, numbers.Integral) or iterations < 0:
        raise ValueError(f"iterations must be a whole number >= 0, got {iterations!r}")
    if isinstance(eta, bool) or not isinstance(eta, numbers.Real) or not np.isfinite(eta) or not eta > 0:
        raise ValueError(
            f"eta must be a finite number > 0 (the learning rate: the step taken down the gradient), "
            f"got {eta!r}"
        )
    targets = np.eye(K)[t_train]  # (N, K): row n is the one-hot target of point n
    is_target = targets == 1.0  # (N, K): the same, as booleans for the error

    E_total = np.zeros(iterations)
    misclassification_rate = np.zeros(iterations)
    guesses = np.full(N, np.nan)
    # 2. loop for `iterations` iterations (ln 0 = -inf in _cross_entropy is
    #    an honest +inf error, not a numpy warning)
    with np.errstate(divide="ignore"):
        for i in range(iterations):
            # 3. collect the gradients of every point
            dE1_total = np.zeros_like(W1)
            dE2_total = np.zeros_like(W2)
            E = 0.0
            misclassified = 0
            # 4. loop over the data points, calling backprop for each (its
            #    arithmetic: the inputs were checked once above)
            for n in range(N):
                target_y = targets[n]
                y, dE1, dE2 = _backprop(X_train[n], target_y, W1, W2)
                dE1_total += dE1
                dE2_total += dE2
                # 6. cross-entropy error and guess of this point, before the update
                E += _cross_entropy(y, is_target[n])
                guesses[n] = y.argmax()
                if guesses[n] != t_train[n]:
                    misclassified += 1
            # 5. gradient descent: the handout's "+" is a typo (see clarifications)
            W1 = W1 - eta * dE1_total / N
            W2 = W2 - eta * dE2_total / N
            E_total[i] = E / N
            misclassification_rate[i] = misclassified / N
    # 7. return
    return W1, W2, E_total, misclassification_rate, guesses


# --- Section 2.2 ------------------------------------------------------------


def test_nn(X_test, M, K, W1, W2):
    """Classify every point of a data set with the trained network.

    X_test: (N, D) points; W1: (D+1, M); W2: (M+1, K).
    Returns the (N,) float array of guesses, ``argmax(y)`` for each point.
    """
    W1 = _as_float_array("W1", W1)
    if W1.ndim != 2:
        raise ValueError(f"W1 must have shape (D+1, M), got {W1.shape}")
    X_test = _as_points("X_test", X_test, W1.shape[0] - 1)
    # the first point checks M, K and the weights for all of them
    _, M, K, W1, W2 = _check_network(X_test[0], M, K, W1, W2)
    guesses = np.zeros(X_test.shape[0])
    for n in range(X_test.shape[0]):
        y, z0, z1, a1, a2 = _ffnn(X_test[n, :], W1, W2)
        guesses[n] = np.argmax(y)
    return guesses


# The name starts with "test_", so keep pytest from collecting it as a test
# when a test module imports it.
test_nn.__test__ = False
