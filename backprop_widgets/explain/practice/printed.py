"""What a printed line allows: the interval of values a reader can get from the numbers it shows.

Every number the page prints stands for an interval (:mod:`backprop_widgets.core.numfmt`): a
number with d decimals for ± half a unit in its last place, a mantissa before ``\\times 10^{e}``
for ± half a unit of its own last place. A number printed with fewer decimals than a value of its
size gets (``0.25``, ``1.0``, ``0.0049``, ``0.0``) is exact: the page drops trailing zeros only of
values exact at that precision (within 10⁻¹²). An exponent or an integer without a point (the 2 of
a square, the 1 of ``1 + e^{…}``) is exact too. :func:`interval` evaluates one side of a printed
line on those intervals (sums, differences, products, quotients, integer powers, ``e^{…}`` and
``\\ln``); a side with a symbol in it (``\\sigma(0.25)``, ``a_1^{(2)}``) is not a number a reader
can evaluate, and gives ``None``.

The practice questions (:mod:`.question`) accept every answer inside the interval of a line the
page prints for it. Standard library only; the text is parsed, never evaluated.
"""

from __future__ import annotations

import math
import re

__all__ = ["Span", "half_unit", "interval", "on_page", "sides"]

#: an interval [lo, hi]
Span = tuple[float, float]

_TOKEN = re.compile(
    r"\s+|\\left|\\right|\\[,;:! ]|\\q?quad"  # skipped
    r"|(?P<num>\d+(?:\.\d+)?)"
    r"|(?P<cmd>\\[A-Za-z]+)"
    r"|(?P<ch>[-+*/()\[\]{}^_e])"
    r"|(?P<other>.)"
)
_TIMES = {r"\times", r"\cdot"}
_COLOUR = re.compile(r"\\(?:inp|wt|act|err)(?=\{)")
_PMATRIX = re.compile(r"^\{*\s*\\begin\{pmatrix\}(.*)\\end\{pmatrix\}\s*\}*$", re.S)


class _Symbolic(Exception):
    """The text is not a number a reader can evaluate."""


def half_unit(text: str, sci_mantissa: bool = False) -> float:
    """Half a unit in the last printed place of ``text``; 0 for a number the page prints as exact
    (an integer without a point, or fewer decimals than a value of its size gets: ``0.25``,
    ``0.0049``, ``0.0``), and for a mantissa before ``\\times 10^{e}`` half a unit of its own last
    place (``sci_mantissa``)."""
    if "." not in text:
        return 0.0
    d = len(text.split(".")[1])
    if sci_mantissa:
        return 0.5 * 10.0**-d
    v = abs(float(text))
    shown = 4 if v >= 0.01 or v == 0.0 else 5 if v >= 0.001 else 6  # the decimals fmt gives
    return 0.0 if d < shown else 0.5 * 10.0**-d


def _add(u: Span, v: Span) -> Span:
    return (u[0] + v[0], u[1] + v[1])


def _neg(u: Span) -> Span:
    return (-u[1], -u[0])


def _mul(u: Span, v: Span) -> Span:
    p = (u[0] * v[0], u[0] * v[1], u[1] * v[0], u[1] * v[1])
    return (min(p), max(p))


def _div(u: Span, v: Span) -> Span:
    if v[0] <= 0.0 <= v[1]:
        raise _Symbolic("a division by an interval that holds 0")
    return _mul(u, (1.0 / v[1], 1.0 / v[0]))


def _power(u: Span, n: int) -> Span:
    if n % 2 == 0 and u[0] <= 0.0 <= u[1]:
        return (0.0, max(u[0] ** n, u[1] ** n))
    if n < 0 and u[0] <= 0.0 <= u[1]:
        raise _Symbolic("a negative power of an interval that holds 0")
    ends = (u[0] ** n, u[1] ** n)
    return (min(ends), max(ends))


def _exp(u: Span) -> Span:
    try:
        return (math.exp(u[0]), math.exp(u[1]))
    except OverflowError:
        raise _Symbolic("e to a power too large") from None


def _ln(u: Span) -> Span:
    if u[0] <= 0.0:  # ln of a number a reader may read as ≤ 0: no value at all
        return (-math.inf, math.log(u[1]) if u[1] > 0 else -math.inf)
    return (math.log(u[0]), math.log(u[1]))


def _tokens(text: str) -> list[tuple[str, str]]:
    out = []
    for m in _TOKEN.finditer(text):
        if m.group("num"):
            out.append(("num", m.group("num")))
        elif m.group("cmd"):
            c = m.group("cmd")
            out.append(("ch", "*") if c in _TIMES else ("cmd", c))
        elif m.group("ch"):
            out.append(("ch", {"[": "(", "]": ")"}.get(m.group("ch"), m.group("ch"))))
        elif m.group("other"):
            out.append(("other", m.group("other")))
    return out


class _Parser:
    """Recursive descent over the tokens: expr = ±term {± term}, term = factor {×/÷ factor}."""

    def __init__(self, toks: list[tuple[str, str]]) -> None:
        self.t, self.i = toks, 0

    def peek(self, ahead: int = 0) -> tuple[str, str]:
        i = self.i + ahead
        return self.t[i] if i < len(self.t) else ("end", "")

    def take(self, kind: str, value: str | None = None) -> str:
        tok = self.peek()
        if tok[0] != kind or (value is not None and tok[1] != value):
            raise _Symbolic(f"expected {value or kind}, got {tok}")
        self.i += 1
        return tok[1]

    def expr(self) -> Span:
        sign = self.peek()
        if sign in (("ch", "-"), ("ch", "+")):
            self.i += 1
        v = self.term()
        if sign == ("ch", "-"):
            v = _neg(v)
        while self.peek() in (("ch", "+"), ("ch", "-")):
            minus = self.peek() == ("ch", "-")
            self.i += 1
            w = self.term()
            v = _add(v, _neg(w) if minus else w)
        return v

    def term(self) -> Span:
        v = self.factor()
        while self.peek() in (("ch", "*"), ("ch", "/")):
            divide = self.peek() == ("ch", "/")
            self.i += 1
            w = self.factor()
            v = _div(v, w) if divide else _mul(v, w)
        return v

    def factor(self) -> Span:
        v = self.primary()
        if self.peek() == ("ch", "^"):
            self.i += 1
            v = _power(v, self.exponent())
        return v

    def exponent(self) -> int:
        braced = self.peek() == ("ch", "{")
        if braced:
            self.i += 1
        neg = self.peek() == ("ch", "-")
        if neg:
            self.i += 1
        text = self.take("num")
        if "." in text:
            raise _Symbolic("a power that is not an integer")
        if braced:
            self.take("ch", "}")
        return -int(text) if neg else int(text)

    def group(self) -> Span:
        close = {"(": ")", "{": "}"}[self.take("ch")] if self.peek()[1] in "({" else None
        if close is None:
            raise _Symbolic(f"expected a group, got {self.peek()}")
        v = self.expr()
        self.take("ch", close)
        return v

    def primary(self) -> Span:
        kind, val = self.peek()
        if kind == "num":
            self.i += 1
            # a mantissa before \times 10^{e}: ± half a unit of its own last place, times 10^e
            if self.peek() == ("ch", "*") and self.peek(1) == ("num", "10") and self.peek(2) == ("ch", "^"):
                self.i += 3
                e = self.exponent()
                h = half_unit(val, sci_mantissa=True)
                return ((float(val) - h) * 10.0**e, (float(val) + h) * 10.0**e)
            h = half_unit(val)
            return (float(val) - h, float(val) + h)
        if kind == "ch" and val in "({":
            return self.group()
        if kind == "ch" and val == "-":
            self.i += 1
            return _neg(self.factor())
        if kind == "ch" and val == "e" and self.peek(1) == ("ch", "^"):
            self.i += 2
            return _exp(self.group() if self.peek() == ("ch", "{") else self.primary())
        if kind == "cmd" and val == r"\ln":
            self.i += 1
            return _ln(self.factor())
        if kind == "cmd" and val in (r"\frac", r"\tfrac", r"\dfrac"):
            self.i += 1
            return _div(self.group(), self.group())
        raise _Symbolic(f"not a number: {self.peek()}")


#: the commands of a numeric side; any other command or letter (``\\sigma``, ``a_1``) makes it symbolic
_NUMERIC_COMMAND = re.compile(r"\\(?:frac|tfrac|dfrac|ln|times|cdot|left|right)(?![A-Za-z])")
_SYMBOL = re.compile(r"\\[A-Za-z]|[A-Za-df-z_]")


def interval(text: str) -> Span | None:
    """The interval of values one side of a printed line allows, or ``None`` if the side is not
    numeric (or has no value at all: ``\\ln`` of a number that may be ≤ 0).

    >>> interval(r"-0.0238 \\times 0.2055")
    (-0.0049023675, -0.0048794375)
    >>> interval(r"\\sigma(0.25)") is None
    True
    """
    text = _COLOUR.sub("", text)
    if _SYMBOL.search(_NUMERIC_COMMAND.sub(" ", text)):  # not a number: say so before parsing
        return None
    p = _Parser(_tokens(text))
    try:
        v = p.expr()
    except (_Symbolic, ValueError, OverflowError, ZeroDivisionError):
        return None
    if p.peek()[0] != "end" or not (math.isfinite(v[0]) and math.isfinite(v[1])):
        return None
    return v


def split_top(text: str, sep: str = "=") -> list[str]:
    """``text`` split at ``sep`` outside braces."""
    parts, depth, start = [], 0, 0
    for m in re.finditer("[{}" + re.escape(sep) + "]", text):
        c = m.group()
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0:
            parts.append(text[start : m.start()])
            start = m.end()
    parts.append(text[start:])
    return parts


def sides(line: str, row: int | None = None) -> list[str]:
    """The sides of a printed chain ``a = b = c`` (for a column vector's chain, row ``row``,
    0-based, of each side that is a column vector; other sides are left out)."""
    out = []
    for s in split_top(line):
        s = _COLOUR.sub("", s).strip()
        if row is None:
            out.append(s)
            continue
        m = _PMATRIX.match(s)
        if m and s.count(r"\begin{pmatrix}") == 1:
            rows = m.group(1).split(r"\\")
            if row < len(rows) and "&" not in rows[row]:
                out.append(rows[row].strip())
    return out


def on_page(lines: list[str], lhs: str, row: int | None = None) -> list[str]:
    """What the page prints for a number: the sides after the first of every line in ``lines``
    that starts with ``lhs`` (of a column vector's line, row ``row``, 0-based)."""
    out: list[str] = []
    for text in lines:
        if text.startswith(lhs):
            out += sides(text, row)[0 if row is not None else 1 :]
    return out
