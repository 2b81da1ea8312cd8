"""What a student may type into a number field: the parsing and the bounds, in one place.

:func:`parse_number` reads a field's text, :func:`check_value` bounds a number however it
arrived (a field, a slider, a script). Both raise ``ValueError`` saying what is wrong, and the
field shows that message.
"""

from __future__ import annotations

import math

#: a typed value larger than this is refused (the net would only saturate or overflow)
MAX_ABS_VALUE = 1e6


def parse_number(text: str) -> float:
    """Parse what a student typed into a number field, or raise ``ValueError`` saying why.

    Accepts ordinary decimals and scientific notation, the page's minus sign (−0.5) and
    surrounding spaces. Refuses empty text, words, ``nan``, ``inf`` and anything beyond ±10⁶.
    Never evaluates the text.
    """
    s = str(text).strip().replace("\u2212", "-").replace("\u2013", "-")
    if not s:
        raise ValueError("enter a number")
    try:
        value = float(s)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a number") from None
    if not math.isfinite(value) or s.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise ValueError(f"{text.strip()!r} is not a finite number")
    return check_value(value)


def check_value(value) -> float:
    """A finite float within ±``MAX_ABS_VALUE``, or ``ValueError``."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{value} is not a finite number")
    if abs(value) > MAX_ABS_VALUE:
        raise ValueError(f"keep values within ±{MAX_ABS_VALUE:,.0f}")
    return value
