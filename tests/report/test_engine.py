"""The fast engine: the same numbers as the graded train_nn, for many networks at once."""

import numpy as np
import pytest

from assignment import backprop
from report import engine
from report.engine import Dataset, Network, train_many
from tests.oracle import draw_weights


@pytest.fixture
def split(seeded_split):
    (X, t), (Xt, tt) = seeded_split
    return X, t, Xt, tt


def assert_same_training(got, want, rtol, atol):
    """Weights and E_total to a tolerance; misclassification and guesses identical."""
    for a, b in zip(got[:3], want[:3], strict=True):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)
    np.testing.assert_array_equal(got[3], want[3])
    np.testing.assert_array_equal(got[4], want[4])


@pytest.mark.parametrize("eta", [0.001, 0.1, 1.0, 3.0, 30.0, 1000.0])
def test_one_step_equals_the_graded_train_nn(split, eta):
    X, t, _, _ = split
    W1, W2 = draw_weights(4, 10, 3)
    got = engine.train_nn(X, t, 10, 3, W1, W2, 1, eta)
    want = backprop.train_nn(X, t, 10, 3, W1, W2, 1, eta)
    assert_same_training(got, want, rtol=1e-12, atol=1e-12)


# Moderate rates: at eta = 0.5 this unscaled data makes the dynamics chaotic, and
# even two exact implementations part after ~150 iterations (rounding grows).
@pytest.mark.parametrize(("M", "eta"), [(10, 0.1), (6, 0.2), (2, 0.3)])
def test_long_runs_equal_the_graded_train_nn(split, M, eta):
    X, t, _, _ = split
    W1, W2 = draw_weights(4, M, 3)
    got = engine.train_nn(X, t, M, 3, W1, W2, 200, eta)
    want = backprop.train_nn(X, t, M, 3, W1, W2, 200, eta)
    assert_same_training(got, want, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize(("N", "D", "M", "K"), [(1, 4, 3, 3), (7, 2, 1, 3), (9, 3, 4, 1), (1, 1, 1, 1)])
def test_small_shapes_equal_the_graded_train_nn(N, D, M, K):
    rng = np.random.default_rng(N * 1000 + D * 100 + M * 10 + K)
    X = rng.normal(size=(N, D))
    t = rng.integers(0, K, N)
    W1, W2 = rng.uniform(-1, 1, (D + 1, M)), rng.uniform(-1, 1, (M + 1, K))
    got = engine.train_nn(X, t, M, K, W1, W2, 30, 0.5)
    want = backprop.train_nn(X, t, M, K, W1, W2, 30, 0.5)
    assert_same_training(got, want, rtol=1e-10, atol=1e-12)


def test_zero_iterations(split):
    X, t, _, _ = split
    W1, W2 = draw_weights(4, 3, 3)
    got = engine.train_nn(X, t, 3, 3, W1, W2, 0, 0.1)
    want = backprop.train_nn(X, t, 3, 3, W1, W2, 0, 0.1)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_array_equal(a, b)


def test_inputs_are_not_modified(split):
    X, t, _, _ = split
    W1, W2 = draw_weights(4, 3, 3)
    before = [a.copy() for a in (X, t, W1, W2)]
    engine.train_nn(X, t, 3, 3, W1, W2, 5, 0.1)
    for a, b in zip((X, t, W1, W2), before, strict=True):
        np.testing.assert_array_equal(a, b)


def mixed_batch(iris):
    """Networks of mixed hidden sizes, rates and splits (including N = 1 and a split without test)."""
    features, targets, _ = iris
    datasets = []
    for seed, ratio in ((0, 0.8), (1, 0.5), (2, 0.8)):
        np.random.seed(seed)
        (X, t), (Xt, tt) = backprop_split(features, targets, ratio)
        datasets.append(Dataset(X, t, Xt, tt))
    datasets.append(Dataset(features[:1], targets[:1]))  # N = 1, no test set
    rng = np.random.default_rng(7)
    networks = []
    for data in range(len(datasets)):
        for M in (1, 3, 10):
            for eta in (0.05, 0.2):
                networks.append(
                    Network(rng.uniform(-1, 1, (5, M)), rng.uniform(-1, 1, (M + 1, 3)), eta, data)
                )
    return datasets, networks


def backprop_split(features, targets, ratio):
    from assignment.tools import split_train_test

    return split_train_test(features, targets, ratio)


def test_batched_equals_each_network_alone(iris):
    datasets, networks = mixed_batch(iris)
    results = train_many(datasets, networks, 60, workers=2)
    assert len(results) == len(networks)
    for net, result in zip(networks, results, strict=True):
        data = datasets[net.data]
        M = net.W1.shape[1]
        want = backprop.train_nn(data.X_train, data.t_train, M, 3, net.W1, net.W2, 60, net.eta)
        got = (result.W1, result.W2, result.E_total, result.misclassification_rate, result.guesses)
        assert_same_training(got, want, rtol=1e-10, atol=1e-12)
        assert not result.diverged
        train_guesses = backprop.test_nn(data.X_train, M, 3, result.W1, result.W2)
        assert result.train_accuracy == np.mean(train_guesses == data.t_train)
        if data.X_test is None:
            assert result.test_misclassification_rate is None and np.isnan(result.test_accuracy)
        else:
            test_guesses = backprop.test_nn(data.X_test, M, 3, result.W1, result.W2)
            assert result.test_accuracy == np.mean(test_guesses == data.t_test)


def test_test_curve_uses_the_weights_before_each_update(split):
    X, t, Xt, tt = split
    W1, W2 = draw_weights(4, 5, 3)
    (result,) = train_many([Dataset(X, t, Xt, tt)], [Network(W1, W2, 0.5)], 8)
    for i in (0, 3, 7):
        W1i, W2i, *_ = backprop.train_nn(X, t, 5, 3, W1, W2, i, 0.5)
        expected = np.mean(backprop.test_nn(Xt, 5, 3, W1i, W2i) != tt)
        assert result.test_misclassification_rate[i] == expected


def test_k_equals_one(iris):
    features, targets, _ = iris
    X, t = features[:40], (targets[:40] * 0)  # one class: every target is 0
    rng = np.random.default_rng(3)
    nets = [Network(rng.uniform(-1, 1, (5, M)), rng.uniform(-1, 1, (M + 1, 1)), 0.2) for M in (1, 4)]
    for net, result in zip(nets, train_many([Dataset(X, t)], nets, 20), strict=True):
        M = net.W1.shape[1]
        want = backprop.train_nn(X, t, M, 1, net.W1, net.W2, 20, 0.2)
        assert_same_training((result.W1, result.W2, result.E_total, result.misclassification_rate, result.guesses),
                             want, rtol=1e-10, atol=1e-12)  # fmt: skip


def test_without_curves_the_final_state_is_the_same(iris):
    datasets, networks = mixed_batch(iris)
    full = train_many(datasets, networks, 40, workers=1)
    lean = train_many(datasets, networks, 40, workers=1, curves=False)
    for a, b in zip(full, lean, strict=True):
        np.testing.assert_array_equal(a.W1, b.W1)
        np.testing.assert_array_equal(a.guesses, b.guesses)
        assert (a.train_accuracy, a.E_total[-1]) == (b.train_accuracy, b.E_total[-1])
        assert np.isnan(b.E_total[:-1]).all()


def test_thread_count_does_not_change_the_results(iris):
    datasets, networks = mixed_batch(iris)
    one = train_many(datasets, networks, 30, workers=1)
    two = train_many(datasets, networks, 30, workers=2)
    for a, b in zip(one, two, strict=True):
        np.testing.assert_allclose(a.W1, b.W1, rtol=1e-12, atol=1e-14)
        np.testing.assert_array_equal(a.misclassification_rate, b.misclassification_rate)


def test_huge_inputs_and_rates_raise_no_warnings(split):
    # pytest turns every warning into an error (pyproject: filterwarnings): exp overflows, ln 0 and
    # inf - inf all happen here, with curves and without
    X, t, Xt, tt = split
    rng = np.random.default_rng(4)
    nets = [
        Network(rng.uniform(-1, 1, (5, 4)) * s, rng.uniform(-1, 1, (5, 3)) * s, eta)
        for s, eta in ((1e3, 1e3), (1e3, 1e6), (1e300, 1.0), (1.0, 1e307))
    ]
    for curves in (True, False):
        results = train_many([Dataset(X * 1e3, t, Xt * 1e3, tt)], nets, 50, curves=curves)
        assert not np.isfinite(results[0].E_total[-1])  # the error is infinite ...
        for result in results:  # ... yet a network diverges only when its weights stop being finite
            assert result.diverged or (np.isfinite(result.W1).all() and np.isfinite(result.W2).all())
        assert results[-1].diverged


def course_network(seed, M, s):
    """The course protocol of the study's repeat with this seed: the 80/20 split, then the weights
    drawn uniform in [-1, 1) (tests.oracle.draw_weights) and scaled by s."""
    from assignment.tools import load_iris, split_train_test

    features, targets, _ = load_iris()
    np.random.seed(seed)
    (X, t), (Xt, tt) = split_train_test(features, targets, 0.8)
    np.random.seed(seed)
    W1, W2 = draw_weights(4, M, 3)
    return X, t, Xt, tt, W1 * s, W2 * s


# Networks whose graded E_total is +inf at some iterations (an output rounds to exactly 0 on its target
# class or to 1 on another: ln 0) while train_nn's weights stay finite and training goes on. Both were
# reported as diverged and dropped from the study when the engine stopped a network at an infinite
# error: repeat 0 of a study at s = 1000 (every iteration's error is infinite), and a repeat at
# eta = 400 (all but the first). At eta = 300, some test points have every output below a = -100,
# where the graded sigmoid is exactly 0.0 and test_nn guesses class 0: the engine guesses the same
# (it took the largest of the tiny outputs, and this network's accuracy was 31.0%, not 37.9%).
@pytest.mark.parametrize(
    ("seed", "s", "eta", "iterations"),
    [(4215357874, 1000.0, 0.1, 300), (103865575, 1.0, 400.0, 100), (387592216, 1.0, 300.0, 100)],
)
def test_an_infinite_error_is_not_divergence(seed, s, eta, iterations):
    X, t, Xt, tt, W1, W2 = course_network(seed, 10, s)
    want = backprop.train_nn(X, t, 10, 3, W1, W2, iterations, eta)
    assert np.isinf(want[2]).sum() > iterations / 2  # the error is infinite ...
    assert np.isfinite(want[0]).all() and np.isfinite(want[1]).all()  # ... the weights are not
    for curves in (False, True):
        (result,) = train_many([Dataset(X, t, Xt, tt)], [Network(W1, W2, eta)], iterations, curves=curves)
        assert not result.diverged and result.diverged_at is None
        np.testing.assert_allclose(result.W1, want[0], rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(result.W2, want[1], rtol=1e-9, atol=1e-9)
        np.testing.assert_array_equal(result.guesses, want[4])
        assert result.test_accuracy == np.mean(backprop.test_nn(Xt, 10, 3, want[0], want[1]) == tt)
        assert result.train_accuracy == np.mean(backprop.test_nn(X, 10, 3, want[0], want[1]) == t)
        np.testing.assert_allclose(result.E_total[-1], want[2][-1], rtol=1e-9)  # inf == inf
    # with the curves (the last loop): the error, infinite at the same iterations, and the misclassification
    assert_same_training((result.W1, result.W2, result.E_total, result.misclassification_rate, result.guesses),
                         want, rtol=1e-9, atol=1e-9)  # fmt: skip
    np.testing.assert_array_equal(np.isinf(result.E_total), np.isinf(want[2]))


def graded_diverges_at(X, t, M, W1, W2, iterations, eta):
    """The first iteration whose weights (before its update) train_nn leaves not finite, or None."""
    with np.errstate(all="ignore"):  # the graded code warns of the overflow that makes them so
        for i in range(1, iterations + 1):
            W1i, W2i, *_ = backprop.train_nn(X, t, M, 3, W1, W2, i, eta)
            if not (np.isfinite(W1i).all() and np.isfinite(W2i).all()):
                return i
    return None


# A rate so large that the weights overflow: at the first update (eta = 1e307), or at the third
# (eta = 3e306: the first updates saturate every unit, the gradients shrink, then one overflows).
@pytest.mark.parametrize(("seed", "eta", "at"), [(1, 1e307, 1), (1, 3e306, 3), (2, 3e306, 3)])
def test_weights_that_stop_being_finite_diverge_where_train_nn_s_do(seed, eta, at):
    X, t, Xt, tt, W1, W2 = course_network(seed, 3, 1.0)
    assert graded_diverges_at(X, t, 3, W1, W2, 6, eta) == at
    with np.errstate(all="ignore"):
        E_want = backprop.train_nn(X, t, 3, 3, W1, W2, at, eta)[2]  # before the weights overflowed
    for curves in (False, True):
        (result,) = train_many([Dataset(X, t, Xt, tt)], [Network(W1, W2, eta)], 6, curves=curves)
        assert result.diverged and result.diverged_at == at
        assert np.isnan(result.W1).all() and np.isnan(result.W2).all() and np.isnan(result.test_accuracy)
        assert np.isnan(result.E_total[at:]).all() and np.isnan(result.misclassification_rate[at:]).all()
    np.testing.assert_allclose(result.E_total[:at], E_want, rtol=1e-9)


def test_a_diverging_network_is_reported_and_spares_the_others(split):
    X, t, Xt, tt = split
    W1, W2 = draw_weights(4, 4, 3)
    good = Network(W1, W2, 0.3)
    bad = Network(W1, W2, 1e307)  # the first update overflows the weights
    data = [Dataset(X, t, Xt, tt)]
    alone = train_many(data, [good], 20)[0]
    together = train_many(data, [bad, good, bad], 20)
    for r in (together[0], together[2]):
        assert r.diverged and r.diverged_at <= 2
        assert np.isnan(r.W1).all() and np.isnan(r.test_accuracy)
        assert np.isnan(r.E_total[r.diverged_at :]).all()
    np.testing.assert_allclose(together[1].W1, alone.W1, rtol=1e-12)
    assert not together[1].diverged and together[1].test_accuracy == alone.test_accuracy


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda d, n: train_many(d, n, -1), r"iterations must be a whole number >= 0"),
        (lambda d, n: train_many(d, [Network(np.zeros((4, 2)), np.zeros((3, 3)), 0.1)], 1),
         r"networks\[0\].W1 must have shape \(D\+1, M\) = \(5, M\), got \(4, 2\)"),
        (lambda d, n: train_many(d, [n[0], Network(np.zeros((5, 2)), np.zeros((2, 3)), 0.1)], 1),
         r"networks\[1\].W2 must have shape \(M\+1, K\) = \(3, 3\), got \(2, 3\)"),
        (lambda d, n: train_many(d, [Network(n[0].W1, n[0].W2, np.inf)], 1), r"networks\[0\].eta must be a finite"),
        (lambda d, n: train_many(d, [Network(n[0].W1, n[0].W2, 0.1, data=3)], 1), r"networks\[0\].data must index"),
        (lambda d, n: train_many([Dataset(d[0].X_train, d[0].t_train + 5)], n, 1),
         r"datasets\[0\].t_train must hold class indices 0..K-1 = 0..2"),
        (lambda d, n: train_many([Dataset(d[0].X_train, d[0].t_train, d[0].X_test)], n, 1),
         r"give both X_test and t_test"),
    ],
)  # fmt: skip
def test_bad_input_is_named(split, call, message):
    X, t, Xt, tt = split
    W1, W2 = draw_weights(4, 2, 3)
    with pytest.raises(ValueError, match=message):
        call([Dataset(X, t, Xt, tt)], [Network(W1, W2, 0.1)])


def test_progress_counts_every_network_iteration(iris):
    datasets, networks = mixed_batch(iris)
    calls = []
    train_many(
        datasets,
        networks,
        120,
        workers=2,
        curves=False,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls[-1] == (len(networks) * 120, len(networks) * 120)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def assert_identical(a, b):
    """Two NetworkResults equal bit for bit (nan where both are nan)."""
    for name in ("W1", "W2", "E_total", "misclassification_rate", "guesses"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    if a.test_misclassification_rate is None:
        assert b.test_misclassification_rate is None
    else:
        np.testing.assert_array_equal(a.test_misclassification_rate, b.test_misclassification_rate)
    np.testing.assert_array_equal([a.train_accuracy, a.test_accuracy], [b.train_accuracy, b.test_accuracy])
    assert a.diverged_at == b.diverged_at


def test_a_network_gets_the_same_numbers_however_the_work_is_cut(iris, monkeypatch):
    # The engine cuts the networks into stacks of one M and one N and runs them in threads; each
    # matmul slice and each elementwise result belongs to one network, so neither the cut nor the
    # threads may change a single bit. A diverging network rides along to show it spares the others.
    # (Not with a single training point: there numpy picks its matrix-vector routine by the
    # strides, which depend on the stack, and the sums round differently in the last digit;
    # test_batched_equals_each_network_alone covers that case.)
    datasets, networks = mixed_batch(iris)
    networks = [net for net in networks if len(datasets[net.data].t_train) > 1]
    W1, W2 = networks[0].W1, networks[0].W2
    networks = [*networks, Network(W1 * 1e3, W2 * 1e3, 1e307, 1)]
    batched = train_many(datasets, networks, 40, workers=2)
    assert batched[-1].diverged and not any(r.diverged for r in batched[:-1])
    for net, together in zip(networks, batched, strict=True):
        (alone,) = train_many([datasets[net.data]], [Network(net.W1, net.W2, net.eta)], 40, workers=1)
        assert_identical(together, alone)
    monkeypatch.setattr(engine, "STACK_NUMBERS", 1)  # every network its own stack
    for a, b in zip(batched, train_many(datasets, networks, 40, workers=3), strict=True):
        assert_identical(a, b)


def test_stacks_hold_one_hidden_size_and_one_training_size_each(iris, monkeypatch):
    datasets, networks = mixed_batch(iris)
    networks = networks * 5  # 120 networks: several stacks per size at a small limit
    monkeypatch.setattr(engine, "STACK_NUMBERS", 2000)
    sets, checked = engine._check(datasets, networks, 4, 3)
    stacks = engine._stacks(checked, sets)
    assert sorted(i for stack in stacks for i in stack) == list(range(len(networks)))
    assert stacks == engine._stacks(checked, sets)  # from the inputs alone
    work = []
    for stack in stacks:
        sizes = {(checked[i].W1.shape[1], len(sets[checked[i].data][0][1])) for i in stack}
        assert len(sizes) == 1
        ((M, N),) = sizes
        assert len(stack) <= max(1, 2000 // (N * (M + 1)))
        work.append(len(stack) * N * (M + 8))
    assert work == sorted(work, reverse=True)  # the most work first
