"""Numbers as the seed page prints them.

The rule, in order:

1. ``|x| < 1e-12`` prints ``0.0``: at the scale of the page's numbers that is floating-point
   noise (``0.1 + 0.1 - 0.3 + 0.1 == 2.8e-17``), never a value a reader should see.
2. ``1e-4 <= |x| < 1e6`` prints in fixed notation with 4 decimal places but at least 3
   significant digits: ``0.8997``, ``-0.0794``, ``-0.00212``, ``-0.00490``, ``0.000123``.
   A value that is exact at that precision drops its trailing zeros but keeps one decimal,
   as the page prints inputs and weights: ``0.25``, ``0.5``, ``1.0``, ``-1.0``, ``0.0``.
3. Anything else (tiny gradients deep in a net, relative errors, overflowing sums) prints in
   scientific notation with 3 significant digits: ``1.23 \\times 10^{-5}`` in LaTeX,
   ``1.23×10⁻⁵`` in text.

Because of rule 2 a printed value never rounds to ``-0.0000``: below ``1e-4`` rule 3 applies.
Every printed number stands for the interval ± half a unit in its last printed place (for an
exact value: ± half a unit in the 4th decimal place); the worked example's arithmetic lines hold
within those intervals.
"""

from __future__ import annotations

import math
from decimal import Context, Decimal
from typing import Any, Iterable

#: Unicode digit tables, used wherever a message, label or title writes w₁,₂⁽³⁾ or 10⁻⁵
SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
SUBSCRIPT = str.maketrans("0123456789,", "₀₁₂₃₄₅₆₇₈₉,")

ZERO = 1e-12  # below this magnitude a value prints as 0.0
SMALL = 1e-4  # below this (and above ZERO) a value prints in scientific notation
LARGE = 1e6  # at or above this a value prints in scientific notation


def fmt(x: float, unicode: bool = False) -> str:
    """Format one number for a LaTeX formula (``unicode=False``) or for running text.

    ``unicode=True`` writes the minus sign as ``−`` and powers of ten with superscripts.

    Examples
    --------
    The seed page's z₁⁽²⁾ = 0.8997416…, a value rounding up, and two of its errors:

    >>> fmt(0.8997416), fmt(0.89976), fmt(-0.0794357), fmt(-0.00212059), fmt(-0.00489775)
    ('0.8997', '0.8998', '-0.0794', '-0.00212', '-0.00490')
    >>> fmt(0.25000000000000006), fmt(2.8e-17), fmt(1.0), fmt(-1.0, unicode=True)
    ('0.25', '0.0', '1.0', '−1.0')
    """
    x = float(x)
    a = x if x >= 0.0 else -x
    if a < 0.01:
        if a < SMALL:
            return "0.0" if a < ZERO else sci(x, unicode)
        d = 5 if a >= 0.001 else 6
    elif a < LARGE:
        d = 4
    else:  # huge, infinite or nan
        return sci(x, unicode)
    s = "%.*f" % (d, x)
    if d > 4 and abs(float(s)) >= (0.01 if d == 5 else 0.001):  # rounded up into the next band
        d -= 1
        s = "%.*f" % (d, x)
    r = x - float(s)
    if -1e-12 <= r <= 1e-12 or (a > 1.0 and abs(r) <= 1e-12 * a):  # exact at this precision
        s = s.rstrip("0")
        if s[-1] == ".":
            s += "0"
    if unicode and s[0] == "-":
        s = "−" + s[1:]
    return s


def power_of_ten(v: float, unicode: bool = False) -> str:
    """``1e-5`` as ``10^{-5}`` (LaTeX) or ``10⁻⁵``; a value that is not a power of ten as :func:`fmt`."""
    e = math.log10(v)
    if abs(e - round(e)) >= 1e-9:
        return fmt(v, unicode)
    return "10" + str(round(e)).translate(SUPERSCRIPT) if unicode else f"10^{{{round(e)}}}"


def sig(x: float, digits: int = 6, unicode: bool = True) -> str:
    """``digits`` significant digits, for a table that compares two numbers closely:
    ``-0.00212059`` → ``−0.00212059``; outside [10⁻⁴, 10⁶) in scientific notation (never
    Python's ``1e-05``)."""
    x = float(x)
    if x == 0.0:
        return "0.0"
    if SMALL <= abs(x) < LARGE:
        s = "%.*g" % (digits, x)
        return s.replace("-", "−") if unicode else s
    return sci(x, unicode, digits)


def sci(x: float, unicode: bool = False, digits: int = 3) -> str:
    """Scientific notation with ``digits`` significant digits: ``1.23 \\times 10^{-5}`` or
    ``1.23×10⁻⁵``."""
    x = float(x)
    if x != x:
        return "NaN" if unicode else r"\text{NaN}"
    if not math.isfinite(x):
        return ("−∞" if x < 0 else "∞") if unicode else (r"-\infty" if x < 0 else r"\infty")
    if x == 0.0:
        return "0.0"
    mantissa, exponent = ("%.*e" % (digits - 1, x)).split("e")
    if abs(x - float(mantissa + "e" + exponent)) <= 1e-12 * abs(x):
        mantissa = mantissa.rstrip("0")
        if mantissa.endswith("."):
            mantissa += "0"
    e = int(exponent)
    if unicode:
        mantissa = mantissa.replace("-", "−")
        return f"{mantissa}×10{str(e).translate(SUPERSCRIPT)}"
    return rf"{mantissa} \times 10^{{{e}}}"


def fmt_all(values: Iterable[float], unicode: bool = False) -> list[str]:
    """:func:`fmt` for every value of an array or sequence (flattened, in C order)."""
    tolist = getattr(values, "tolist", None)
    # numbers, or rows of numbers for a matrix: the first entry says which
    seq: list[Any] = tolist() if tolist is not None else list(values)
    if seq and isinstance(seq[0], list):  # a matrix
        seq = [v for row in seq for v in row]
    return [fmt(v, unicode) for v in seq]


def paren(s: str) -> str:
    """Wrap a printed negative number, or one in scientific notation, in parentheses, for use as
    a factor or a base: ``(-0.3494)``, ``(1.67 \\times 10^{-5})``."""
    return f"({s})" if s[0] in "-−" or "times" in s or "×" in s else s


def exponent(x: float) -> str:
    """:func:`fmt` for an exponent, where a zero reads ``e^{0}`` rather than ``e^{0.0}``."""
    s = fmt(x)
    return "0" if s == "0.0" else s


def fixed(x: float, decimals: int) -> str:
    """``x`` with exactly ``decimals`` decimals (the digits a difference needs), never ``-0.000``."""
    s = "%.*f" % (decimals, x)
    return s[1:] if s[0] == "-" and not s.strip("-0.") else s


def shifted(x: float, step: float) -> str:
    """``x + step`` as the exact sum of their shortest decimal forms, in fixed notation with at
    most 15 significant digits: ``shifted(0.1, 1e-5) == "0.10001"``, ``shifted(0.0, -1e-5)
    == "-0.00001"`` (never Python's ``1e-05``)."""
    d = Context(prec=15).plus(Decimal(repr(float(x))) + Decimal(repr(float(step))))
    if d == 0:
        return "0.0"
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s if "." in s else s + ".0"


def signed_terms(terms: list[str]) -> str:
    """Join printed terms as a sum the way the page does: ``0.1 + 0.1 - 0.3 + 0.1``."""
    out = [terms[0]]
    for t in terms[1:]:
        out.append(f" {t[0]} {t[1:]}" if t[0] in "-−" else f" + {t}")
    return "".join(out)
