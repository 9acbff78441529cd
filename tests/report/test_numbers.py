"""Every rule printing a number (report/numbers.py). The expected texts are worked out by hand from
each rule; number_text's plain decimals also agree with numpy's positional formatting (the oracle)."""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from report.numbers import (
    decimals,
    number_text,
    number_texts,
    p_value,
    percent,
    percent_number,
    plural,
    points_phrase,
    scientific_html,
)

NBSP = "\u00a0"


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


def test_number_text_prints_numbers_as_prose_does():
    # a learning rate of 1000 once read "1e+03"; settings as typed are printed exactly
    assert number_text(1000) == "1000" and number_text(1000.0) == "1000"
    assert number_text(0.1) == "0.1" and number_text(1.0) == "1" and number_text(0.03) == "0.03"
    assert number_text(1234) == "1234" and number_text(0.12345) == "0.12345" and number_text(0.8) == "0.8"
    # values no one typed are rounded to the digits asked for
    assert number_text(2 / 3) == "0.667" and number_text(0.123456789) == "0.123"
    assert number_text(0.0625, 3) == "0.0625" and number_text(1 / 30, 2) == "0.033"
    assert number_text(0.0078125, 3) == "0.00781" and number_text(0.0078125) == "0.0078125"
    # beyond plain decimals, a power of ten, never Python's exponent notation
    assert number_text(1e-5) == "10⁻⁵" and number_text(2.5e-7) == "2.5 × 10⁻⁷"
    assert number_text(4294967295) == "4.29 × 10⁹" and number_text(1e6) == "10⁶"
    assert number_text(-2.5e-7) == "−2.5 × 10⁻⁷" and number_text(0) == "0"
    for value in (1e-9, 3e-5, 1e-4, 0.5, 7, 999999, 1e6, 12345678, 1e300):
        assert "e" not in number_text(value), value


def test_percent_is_a_fraction_times_100_to_the_digits_asked_with_its_sign():
    assert percent(0.96666) == "96.7%" and percent(1) == "100.0%" and percent(0) == "0.0%"
    assert percent(0.9, 0) == "90%" and percent(0.5, 2) == "50.00%" and percent(1 / 3) == "33.3%"
    assert percent(0.123456, 2) == "12.35%"
    assert percent(2 / 3, 0) == "67%"


def test_percent_number_is_the_percentage_without_its_sign():
    # the points filter: a difference of fractions in percentage points; the grid's heatmap cells
    assert percent_number(0.0103) == "1.0" and percent_number(0.96666) == "96.7"
    assert percent_number(0.125, 2) == "12.50" and percent_number(1) == "100.0" and percent_number(0) == "0.0"
    assert percent_number(1 / 30) == "3.3" and percent_number(1 / 30, 0) == "3"


def test_points_phrase_says_how_far_and_which_way():
    assert points_phrase(-0.017, "on the test points") == "1.7 points lower than on the test points"
    assert points_phrase(0.01) == "1.0 point higher"
    assert points_phrase(0.0096, "X") == "1.0 point higher than X"  # 0.96 points round to 1.0: singular
    assert points_phrase(0.05, "X") == "5.0 points higher than X"
    assert points_phrase(-0.2, "", "above", "below") == "20.0 points below"
    assert points_phrase(0.0004, "X") == "the same as X to 0.1 points"
    assert points_phrase(-0.0004) == "the same to 0.1 points"


def test_points_phrase_says_exactly_when_nothing_differs():
    assert points_phrase(0.0, "the best") == "exactly the same as the best"
    assert points_phrase(0.0) == "exactly the same"
    assert points_phrase(None, "the best") == "" and points_phrase(math.nan, "the best") == ""
    assert points_phrase(math.inf, "the best") == ""


def test_decimals_prints_a_fixed_number_of_decimals():
    assert decimals(0.25374) == "0.254" and decimals(3.158) == "3.158" and decimals(3, 1) == "3.0"
    assert decimals(1 / 3, 5) == "0.33333" and decimals(2.0, 0) == "2" and decimals(0) == "0.000"


def test_scientific_html_has_a_mantissa_to_the_decimals_asked_and_a_power_of_ten():
    assert scientific_html(3.36e-10) == "3.4 × 10<sup>−10</sup>"
    assert scientific_html(0.45) == "4.5 × 10<sup>−1</sup>"
    assert scientific_html(12345, 2) == "1.23 × 10<sup>4</sup>"
    assert scientific_html(1e-6, 0) == "1 × 10<sup>−6</sup>"
    assert scientific_html(-0.00025) == "−2.5 × 10<sup>−4</sup>"  # both minus signs typeset
    assert scientific_html(7) == "7.0 × 10<sup>0</sup>" and scientific_html(0) == "0"


def test_p_value_to_three_decimals_or_below_a_thousandth_never_broken():
    assert p_value(0.1104) == f"p{NBSP}={NBSP}0.110" and p_value(0.5) == f"p{NBSP}={NBSP}0.500"
    assert p_value(1) == f"p{NBSP}={NBSP}1.000" and p_value(0.001) == f"p{NBSP}={NBSP}0.001"
    assert p_value(0.00099) == f"p{NBSP}<{NBSP}0.001" and p_value(1e-5) == f"p{NBSP}<{NBSP}0.001"
    assert " " not in p_value(0.2) + p_value(0.0001)


def test_plural_counts_with_the_noun_singular_only_for_one():
    assert plural(1, "hidden unit") == "1 hidden unit" and plural(2, "hidden unit") == "2 hidden units"
    assert plural(0, "iteration") == "0 iterations" and plural(1000, "iteration") == "1000 iterations"
    assert plural(1, "child", "children") == "1 child" and plural(3, "child", "children") == "3 children"


def test_number_texts_write_a_list_in_one_notation():
    """A list with a value below 0.0001 prints every value below 1 with a power of ten; one with a
    value of a million or more, every value from 1000 on; the values between keep their decimals."""
    assert number_texts([1e-5, 1e-4, 1]) == ["10⁻⁵", "10⁻⁴", "1"]  # never '10⁻⁵ and 0.0001'
    assert number_texts([1e-5, 0.05, 0.3, 1, 3]) == ["10⁻⁵", "5 × 10⁻²", "3 × 10⁻¹", "1", "3"]
    assert number_texts([1, 1000, 1e6]) == ["1", "10³", "10⁶"]
    assert number_texts([2.5e-7, 100, 3e6]) == ["2.5 × 10⁻⁷", "100", "3 × 10⁶"]


def test_number_texts_leave_a_list_without_powers_of_ten_as_number_text_prints_it():
    values = [0.0001, 0.03, 0.1, 1, 3, 1000, 999999]
    assert number_texts(values) == [number_text(v) for v in values]
    assert number_texts([]) == []


def test_number_texts_take_the_notation_of_the_list_they_come_from():
    """Some of a setting's values, printed as the whole list of its values prints them."""
    assert number_texts([0.0001, 1], among=[1e-5, 0.0001, 1]) == ["10⁻⁴", "1"]
    assert number_texts([0.0001], among=[0.0001, 1]) == ["0.0001"]
