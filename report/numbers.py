"""Numbers as prose and figures print them: 1000, not 1e+03."""

import math
from decimal import Decimal

SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def number_text(value, digits=None):
    """A number as prose prints it: 1000 -> '1000', 0.03 -> '0.03', 1e-05 -> '10⁻⁵', 2.5e-07 ->
    '2.5 × 10⁻⁷'. Without ``digits``, a value of at most 6 significant digits (as a student types a
    setting) is printed exactly and a longer one to 3; with ``digits``, to that many significant
    digits. Plain decimals from 0.0001 to below a million, powers of ten beyond."""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    if digits is None:
        exact = float(f"{value:.6g}")
        digits = 6 if exact == value else 3
    rounded = float(f"{value:.{digits}g}")
    if 1e-4 <= abs(rounded) < 1e6:
        # repr is the shortest text that reads back as ``rounded``: at most ``digits`` significant
        # digits, as it is the float nearest a number of that many. Positional, without trailing zeros
        # (numpy's format_float_positional(unique=True, trim="-") without importing numpy: the HTML
        # step needs nothing else of it).
        text = format(Decimal(repr(rounded)), "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.replace("-", "−")
    mantissa, exponent = f"{rounded:.{digits - 1}e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    power = f"10{str(int(exponent)).translate(SUPERSCRIPT)}"
    return (power if mantissa == "1" else f"{mantissa} × {power}").replace("-", "−")
