"""Reading what a student typed as a number: decimals, the page's minus sign and powers of ten.

The practice questions (:mod:`.question`) check answers with it; nothing typed is ever
evaluated. Standard library only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ["AnswerError", "Typed", "parse_answer", "read_answer"]

_MAX_TEXT = 100  # longer text is not read as a number
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_NUMBER = re.compile(
    r"(?P<sign>[+-]?)\s*(?P<mant>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?:[eE](?P<e1>[+-]?[0-9]+)"  # 1.23e-5
    r"|\s*(?:[×xX*·]|\\times|\\cdot)\s*10\s*"  # 1.23 × 10^-5, 1.23*10^(-5), 1.23 \times 10^{-5}
    r"(?:\^\s*(?:\{\s*(?P<e2>[+-]?[0-9]+)\s*\}|\(\s*(?P<e3>[+-]?[0-9]+)\s*\)|(?P<e4>[+-]?[0-9]+))"
    r"|(?P<e5>[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)))?",  # 1.23×10⁻⁵, as the page writes it in text
)
_DECIMAL_COMMA = re.compile(r"[+-]?\s*[0-9]*,[0-9]+")
_EXAMPLE = "a number such as −0.0794 or 1.23e-5"


class AnswerError(ValueError):
    """Text that is not a number; the message says what to type."""


@dataclass(frozen=True)
class Typed:
    """A number as typed: its value, how many significant digits were typed and one unit in the
    last typed place."""

    value: float
    digits: int
    unit: float


def read_answer(text: object) -> Typed:
    """What a student typed, with its precision; :class:`AnswerError` if it is not a number."""
    try:
        s = (text if isinstance(text, str) else str(text)).strip()
    except Exception:  # an object whose str() fails is no number either
        s = "?"
    if not s:
        raise AnswerError(f"Type {_EXAMPLE}.")
    if len(s) > _MAX_TEXT:
        raise AnswerError(f"That is too long to be one number: type {_EXAMPLE}.")
    s = s.replace("\u2212", "-").replace("\u2013", "-").replace("\u2012", "-").replace("\ufe63", "-")
    if s.startswith("$") and s.endswith("$") and len(s) > 1:  # pasted from the page's LaTeX
        s = s.strip("$").strip()
    m = _NUMBER.fullmatch(s)
    if m is None:
        if _DECIMAL_COMMA.fullmatch(s):
            raise AnswerError(f"Write the decimals with a point: {s.replace(',', '.')} rather than {s}.")
        if s.lower().lstrip("+-").strip() in ("nan", "inf", "infinity", "∞"):
            raise AnswerError(f"{s} is not a finite number: type {_EXAMPLE}.")
        raise AnswerError(
            f"“{s}” is not a number: type {_EXAMPLE} (digits, a point for the "
            "decimals, e-5 or ×10⁻⁵ for a power of ten)."
        )
    e = m.group("e1") or m.group("e2") or m.group("e3") or m.group("e4")
    if e is None and m.group("e5"):
        e = m.group("e5").translate(_SUPERSCRIPT_DIGITS)
    exponent = 0 if e is None else max(-9999, min(9999, int(e)))  # beyond: 0 or inf all the same
    mant = m.group("mant")
    value = float(f"{m.group('sign')}{mant}e{exponent}")
    if not math.isfinite(value):
        raise AnswerError(f"{s} is too large to be an answer: type {_EXAMPLE}.")
    decimals = len(mant.split(".")[1]) if "." in mant else 0
    digits = len(mant.replace(".", "").lstrip("0"))
    return Typed(value, digits, 10.0 ** (exponent - decimals))


def parse_answer(text: object) -> float:
    """What a student typed as a float, or ``ValueError`` with a message saying what to type.

    Accepts decimals (``-0.0794``, ``.5``), the page's minus sign (``−0.0794``) and powers of ten
    written ``1.23e-5``, ``1.23×10⁻⁵``, ``1.23 x 10^-5`` or ``1.23 \\times 10^{-5}``. Refuses empty
    text, words, a decimal comma (``1,5``), ``nan``, ``inf`` and anything that overflows
    (``1e999``). Never evaluates the text.

    >>> parse_answer("−0.0794"), parse_answer("1.23×10⁻⁵"), parse_answer(" 2e-3 ")
    (-0.0794, 1.23e-05, 0.002)
    """
    return read_answer(text).value
