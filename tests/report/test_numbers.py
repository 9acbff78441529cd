"""Numbers as prose prints them: the plain decimals agree with numpy's positional formatting (the oracle)."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from report.numbers import number_text


def numpy_text(value, digits):
    """What number_text printed when it asked numpy: the oracle for the plain decimals."""
    rounded = float(f"{value:.{digits}g}")
    text = np.format_float_positional(rounded, precision=digits, unique=True, fractional=False, trim="-")
    return text.replace("-", "−")


@given(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
    st.integers(min_value=1, max_value=17),
)
def test_plain_decimals_are_numpys(value, digits):
    rounded = float(f"{value:.{digits}g}")
    if 1e-4 <= abs(rounded) < 1e6:
        assert number_text(value, digits) == numpy_text(value, digits)


@given(st.floats(min_value=1e-4, max_value=999_999, allow_nan=False))
def test_plain_decimals_as_typed_are_numpys(value):
    exact = float(f"{value:.6g}") == value
    if float(f"{value:.{6 if exact else 3}g}") < 1e6:
        assert number_text(value) == numpy_text(value, 6 if exact else 3)


def test_edges():
    assert number_text(1e-4) == "0.0001" and number_text(100000) == "100000"
    assert number_text(999999) == "999999" and number_text(-0.25) == "−0.25"
    assert number_text(123456.5, 6) == numpy_text(123456.5, 6)
    for value in (0.1, 0.3, 1 / 3, 2 / 3, 0.00015, 12.5, 1234.5678, 0.012345):
        for digits in range(1, 18):
            assert number_text(value, digits) == numpy_text(value, digits), (value, digits)
