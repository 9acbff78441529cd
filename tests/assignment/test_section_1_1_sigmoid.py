"""Section 1.1: sigmoid and d_sigmoid."""

import warnings

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from assignment import handout_examples as ex
from assignment.backprop import d_sigmoid, sigmoid


def test_sigmoid_handout_example_exact():
    assert sigmoid(0.5) == ex.SIGMOID_0_5


def test_d_sigmoid_handout_example_exact():
    assert d_sigmoid(0.2) == ex.D_SIGMOID_0_2


def test_sigmoid_scalar_in_scalar_out():
    assert isinstance(sigmoid(0.5), float)
    assert isinstance(sigmoid(3), float)
    assert isinstance(d_sigmoid(0.2), float)


def test_sigmoid_array_is_elementwise():
    x = np.array([[-2.0, 0.0], [0.5, 3.0]])
    s = sigmoid(x)
    assert s.shape == x.shape
    np.testing.assert_allclose(s, 1 / (1 + np.exp(-x)), rtol=0, atol=0)


def test_sigmoid_below_minus_100_is_exactly_zero():
    assert sigmoid(-100.5) == 0.0
    assert sigmoid(-1e308) == 0.0
    assert np.all(sigmoid(np.array([-101.0, -1e5, -np.inf])) == 0.0)
    assert sigmoid(-100.0) > 0.0  # the guard is strict: -100 itself is computed


def test_d_sigmoid_matches_the_handouts_closed_form():
    a = np.linspace(-20, 20, 101)
    np.testing.assert_allclose(d_sigmoid(a), np.exp(-a) / (1 + np.exp(-a)) ** 2, rtol=1e-12, atol=1e-15)
    # (atol: s * (1 - s) loses relative precision where 1 - s cancels; the
    # handout's example value is computed in that form.)


def test_d_sigmoid_matches_finite_differences():
    a = np.linspace(-8, 8, 33)
    h = 1e-6
    numeric = (sigmoid(a + h) - sigmoid(a - h)) / (2 * h)
    np.testing.assert_allclose(d_sigmoid(a), numeric, rtol=1e-6, atol=1e-9)


finite_or_inf = st.floats(allow_nan=False, allow_infinity=True)


@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=6), elements=finite_or_inf))
def test_sigmoid_range_and_silence(x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            s = sigmoid(x)
            ds = d_sigmoid(x)
    assert s.shape == x.shape
    assert np.all((s >= 0.0) & (s <= 1.0))
    assert np.all((ds >= 0.0) & (ds <= 0.25))


@given(finite_or_inf, finite_or_inf)
def test_sigmoid_is_monotone(a, b):
    with np.errstate(all="raise"):
        lo, hi = sorted([a, b])
        assert sigmoid(lo) <= sigmoid(hi)


@given(st.floats(min_value=-30, max_value=30))
def test_sigmoid_symmetry(a):
    assert abs(sigmoid(a) + sigmoid(-a) - 1.0) < 1e-15
