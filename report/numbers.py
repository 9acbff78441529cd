"""Every rule by which the report prints a number, each defined once.

The templates reach them as filters (``report/render.py``'s FILTERS: ``pct``, ``points``, ``num``,
``sig``, ``sci``, ``pvalue``, ``plural``), the alt text through those same filters, and the findings
and figures call them directly, so that a number reads alike in the prose, the tables, the alt
text and the figures. Plain Python: the HTML step imports neither numpy nor anything else for it.
"""

import math
from decimal import Decimal

MINUS = "−"  # U+2212, the typeset minus sign: where a rule prints one, never the hyphen
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


# --- fractions as percentages ------------------------------------------------------------


def percent_number(value, digits=1):
    """A fraction in per cent without the sign, to ``digits`` decimals: 0.96666 -> '96.7' (a cell of
    the grid's heatmap). A difference of two fractions printed so reads in percentage points (the
    ``points`` filter): 0.0103 -> '1.0'."""
    return f"{100 * float(value):.{digits}f}"


def percent(value, digits=1):
    """A fraction as a percentage, to ``digits`` decimals: 0.96666 -> '96.7%', 1 -> '100.0%';
    with ``digits=0``: 0.9 -> '90%'."""
    return f"{percent_number(value, digits)}%"


def points_phrase(difference, reference="", higher="higher", lower="lower"):
    """A signed difference of fractions in percentage points, as words:
    -0.017 -> '1.7 points lower than REFERENCE', 0.01 -> '1.0 point higher';
    0 -> 'exactly the same as REFERENCE'; below 0.05 points -> 'the same as REFERENCE to 0.1 points';
    None or not finite (nothing to compare) -> ''."""
    if difference is None or not math.isfinite(difference):
        return ""  # nothing to compare (no pair of repeats): no phrase
    than = f" than {reference}" if reference else ""
    if difference == 0:  # exactly: not "to 0.1 points"
        return f"exactly the same as {reference}" if reference else "exactly the same"
    size = round(100 * abs(difference), 1)
    if size == 0:
        return f"the same as {reference} to 0.1 points" if reference else "the same to 0.1 points"
    direction = higher if difference > 0 else lower
    return f"{percent_number(abs(difference))} point{'' if size == 1 else 's'} {direction}{than}"


# --- plain numbers -------------------------------------------------------------------------


def decimals(value, digits=3):
    """A number with a fixed number of decimals (errors in nats, weights): 0.2537 -> '0.254';
    with ``digits=1``: 3 -> '3.0'."""
    return f"{float(value):.{digits}f}"


def number_text(value, digits=None, scientific=False):
    """A number as prose prints it: 1000 -> '1000', 0.03 -> '0.03', 1e-05 -> '10⁻⁵', 2.5e-07 ->
    '2.5 × 10⁻⁷'. Without ``digits``, a value of at most 6 significant digits (as a student types a
    setting) is printed exactly and a longer one to 3; with ``digits``, to that many significant
    digits. Plain decimals from 0.0001 to below a million, powers of ten beyond; with ``scientific``,
    powers of ten for every value but 0: 0.05 -> '5 × 10⁻²' (the rule of a list: number_texts)."""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    rounded, digits = _rounded(value, digits)
    if not scientific and not _needs_power(rounded):
        # repr is the shortest text that reads back as ``rounded``: at most ``digits`` significant
        # digits, as it is the float nearest a number of that many. Positional, without trailing zeros
        # (numpy's format_float_positional(unique=True, trim="-") without importing numpy: the HTML
        # step needs nothing else of it).
        text = format(Decimal(repr(rounded)), "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.replace("-", MINUS)
    mantissa, exponent = _power_of_ten(rounded, digits - 1)
    mantissa = mantissa.rstrip("0").rstrip(".")
    power = f"10{str(exponent).translate(SUPERSCRIPT)}"
    return (power if mantissa == "1" else f"{mantissa} × {power}").replace("-", MINUS)


def _rounded(value, digits=None):
    """``value`` as number_text rounds it, with its significant digits: 6 when that is exact, else 3."""
    if digits is None:
        digits = 6 if float(f"{value:.6g}") == value else 3
    return float(f"{value:.{digits}g}"), digits


def _needs_power(rounded):
    """Whether number_text prints a (rounded, finite, non-zero) number with a power of ten."""
    return not 1e-4 <= abs(rounded) < 1e6


def number_texts(values, among=None):
    """The numbers of one list in one notation, so that no list reads '10⁻⁵ and 0.0001'.

    Each as number_text prints it, except that when some value of ``among`` (default ``values``;
    pass a setting's whole list so that every list of its values reads alike) needs a power of ten,
    every value on that side of the scale takes one too. Small side, when a value is below 0.0001:
    every value below 1, [1e-05, 0.0001, 1] -> ['10⁻⁵', '10⁻⁴', '1'], [1e-05, 0.05] ->
    ['10⁻⁵', '5 × 10⁻²']. Large side, when a value is a million or more: every value from 1000 on,
    [1, 1000, 1e6] -> ['1', '10³', '10⁶']. Values between (1, 3, 100) keep their decimals.
    """
    values = [float(v) for v in values]
    among = values if among is None else [float(v) for v in among]
    powered = [abs(r) for r, _ in (_rounded(v) for v in among if v and math.isfinite(v)) if _needs_power(r)]
    small, large = any(p < 1 for p in powered), any(p >= 1 for p in powered)

    def side(v):
        return (small and 0 < abs(v) < 1) or (large and 1000 <= abs(v) < math.inf)

    return [number_text(v, scientific=side(v)) for v in values]


def scientific_html(value, digits=1):
    """A number in scientific notation as HTML, its mantissa to ``digits`` decimals:
    3.36e-10 -> '3.4 × 10<sup>−10</sup>', 0.45 -> '4.5 × 10<sup>−1</sup>', 0 -> '0'.
    (render marks it safe HTML for the ``sci`` filter.)"""
    value = float(value)
    if value == 0:
        return "0"
    mantissa, exponent = _power_of_ten(value, digits)
    return f"{mantissa} × 10<sup>{exponent}</sup>".replace("-", MINUS)


def _power_of_ten(value, digits):
    """``value`` as (mantissa text to ``digits`` decimals, exponent): 0.45, 1 -> ('4.5', -1)."""
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    return mantissa, int(exponent)


def p_value(value):
    """A p-value as a reader expects it, never broken across lines (no-break spaces):
    0.1104 -> 'p = 0.110', 0.05 -> 'p = 0.050'; below 0.001 -> 'p < 0.001'."""
    value = float(value)
    return "p\u00a0<\u00a00.001" if value < 0.001 else f"p\u00a0=\u00a0{value:.3f}"


# --- counts --------------------------------------------------------------------------------


def plural(n, word, many=None):
    """A count with its noun, singular or plural: 1, 'hidden unit' -> '1 hidden unit';
    2 -> '2 hidden units'; ``many`` for an irregular plural: 3, 'child', 'children' -> '3 children'."""
    return f"{n} {word if n == 1 else (many or word + 's')}"
