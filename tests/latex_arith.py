"""Check the arithmetic of printed LaTeX: every chain ``a = b = c`` of numeric expressions holds
within display rounding.

Each printed number stands for an interval: a number with d printed decimals for ± half a unit in
its last place, and at least ± 0.5e-4 (the formatter drops trailing zeros only of values exact at
4 decimals, so ``0.25`` means 0.2500 ± 0.00005); an integer without a decimal point is exact; a
mantissa before ``\\times 10^{e}`` for ± half a unit of its own last place. An expression is
evaluated in interval arithmetic; two neighbouring numeric sides of ``=`` must overlap. That is
exactly "a reader re-adding the printed terms gets the printed result within display rounding".
Sides with symbols (``z_1^{(1)}``, ``\\sigma'(0.25)``) are skipped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class I:
    lo: float
    hi: float

    def __add__(self, o):
        return I(self.lo + o.lo, self.hi + o.hi)

    def __sub__(self, o):
        return I(self.lo - o.hi, self.hi - o.lo)

    def __neg__(self):
        return I(-self.hi, -self.lo)

    def __mul__(self, o):
        p = (self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi)
        return I(min(p), max(p))

    def __truediv__(self, o):
        if o.lo <= 0 <= o.hi:
            raise Symbolic("division by an interval containing 0")
        return self * I(1 / o.hi, 1 / o.lo)

    def power(self, n: int):
        if n == 2 and self.lo <= 0 <= self.hi:
            return I(0.0, max(self.lo**2, self.hi**2))
        vals = (self.lo**n, self.hi**n)
        return I(min(vals), max(vals))

    def ln(self):
        if self.lo <= 0:
            raise Symbolic("ln of a non-positive interval")
        return I(math.log(self.lo), math.log(self.hi))

    def overlaps(self, o, slack: float = 1e-12) -> bool:
        # the slack only absorbs the rounding of the interval ends, so it is relative: two tiny
        # numbers (1.2e-15 and 3.4e-15) must overlap as intervals, not by being small
        s = slack * max(abs(self.lo), abs(self.hi), abs(o.lo), abs(o.hi))
        return self.lo <= o.hi + s and o.lo <= self.hi + s


class Symbolic(Exception):
    """The expression is not purely numeric."""


_TOKEN = re.compile(
    r"\s+|\\left|\\right|\\[,;:! ]|\\q?quad"  # skipped
    r"|(?P<num>\d+(?:\.\d+)?)"
    r"|(?P<cmd>\\[A-Za-z]+)"
    r"|(?P<ch>[-+*/()\[\]{}^])"
    r"|(?P<other>.)"
)
_OPS = {r"\times": "*", r"\cdot": "*"}


def tokens(text: str) -> list[tuple[str, str]]:
    out = []
    for m in _TOKEN.finditer(text):
        if m.group("num"):
            out.append(("num", m.group("num")))
        elif m.group("cmd"):
            c = m.group("cmd")
            out.append(("ch", _OPS[c]) if c in _OPS else ("cmd", c))
        elif m.group("ch"):
            out.append(("ch", {"[": "(", "]": ")"}.get(m.group("ch"), m.group("ch"))))
        elif m.group("other"):
            out.append(("other", m.group("other")))
    return out


class _Parser:
    def __init__(self, toks, exact: bool = False):
        self.t, self.i, self.exact = toks, 0, exact

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else ("end", "")

    def take(self, kind=None, value=None):
        tok = self.peek()
        if (kind and tok[0] != kind) or (value is not None and tok[1] != value):
            raise Symbolic(f"expected {value or kind}, got {tok}")
        self.i += 1
        return tok

    def expr(self) -> I:
        sign = None
        if self.peek() in (("ch", "-"), ("ch", "+")):
            sign = self.take()[1]
        v = self.term()
        if sign == "-":
            v = -v
        while self.peek() in (("ch", "+"), ("ch", "-")):
            op = self.take()[1]
            w = self.term()
            v = v + w if op == "+" else v - w
        return v

    def term(self) -> I:
        v = self.factor()
        while self.peek() in (("ch", "*"), ("ch", "/")):
            op = self.take()[1]
            w = self.factor()
            v = v * w if op == "*" else v / w
        return v

    def factor(self) -> I:
        v = self.primary()
        if self.peek() == ("ch", "^"):
            self.take()
            if self.peek() == ("ch", "{"):
                self.take()
                e = self.exponent()
                self.take("ch", "}")
            else:
                e = int(self.take("num")[1])
            v = v.power(e)
        return v

    def exponent(self) -> int:
        neg = False
        if self.peek() == ("ch", "-"):
            self.take()
            neg = True
        e = int(self.take("num")[1])
        return -e if neg else e

    def primary(self) -> I:
        kind, val = self.peek()
        if kind == "num":
            self.take()
            # a mantissa before \times 10^{e}: ± half a unit of its own last place
            nxt = self.t[self.i : self.i + 3]
            sci = len(nxt) == 3 and nxt[0] == ("ch", "*") and nxt[1] == ("num", "10") and nxt[2] == ("ch", "^")
            return number(val, sci, self.exact)
        if kind == "ch" and val in "({":
            self.take()
            v = self.expr()
            self.take("ch", ")" if val == "(" else "}")
            return v
        if kind == "ch" and val == "-":
            self.take()
            return -self.factor()
        if kind == "cmd" and val == r"\ln":
            self.take()
            return self.factor().ln()
        if kind == "cmd" and val == r"\frac":
            self.take()
            self.take("ch", "{")
            a = self.expr()
            self.take("ch", "}")
            self.take("ch", "{")
            b = self.expr()
            self.take("ch", "}")
            return a / b
        raise Symbolic(f"not numeric: {self.peek()}")


def number(text: str, sci_mantissa: bool = False, exact: bool = False) -> I:
    v = float(text)
    if "." not in text or exact:
        return I(v, v)  # integers (2, 10, 0.5 × … written as 0.5 are not integers) are exact
    d = len(text.split(".")[1])
    h = 0.5 * 10.0 ** -(d if sci_mantissa else max(d, 4))
    return I(v - h, v + h)


def evaluate(expr: str, exact: bool = False) -> I:
    """The interval of a numeric expression (``exact``: every number as printed, a point, as a
    reader computes with it)."""
    p = _Parser(tokens(expr), exact)
    v = p.expr()
    if p.peek()[0] != "end":
        raise Symbolic(f"trailing {p.peek()}")
    return v


_MACRO = re.compile(r"\\(?:inp|wt|act|err)(?=\{)")
_PMATRIX = re.compile(r"^\{*\s*\\begin\{pmatrix\}(.*)\\end\{pmatrix\}\s*\}*$", re.S)


def split_top(text: str, sep: str = "=") -> list[str]:
    """Split at ``sep`` outside braces."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def side(text: str):
    """A side of an equation: an interval, a list of row intervals (column vector), or None."""
    text = text.strip()
    m = _PMATRIX.match(text)
    if m and text.count(r"\begin{pmatrix}") == 1:
        rows = m.group(1).split(r"\\")
        if any("&" in r for r in rows):
            return None
        out = []
        for r in rows:
            try:
                out.append(evaluate(r))
            except Symbolic:
                out.append(None)
        return out if any(v is not None for v in out) else None
    try:
        return evaluate(text)
    except (Symbolic, ValueError, OverflowError):
        return None


def displays(latex: str) -> list[str]:
    """The ``\\[ … \\]`` display equations of a LaTeX text."""
    return [m.group(1) for m in re.finditer(r"\\\[(.*?)\\\]", latex, re.S)]


def check(latex: str) -> tuple[int, list[str]]:
    """Check every chain in every display equation: (number of checks, failures)."""
    checks, failures = 0, []
    for eq in displays(latex):
        plain = _MACRO.sub("", eq)
        sides = [side(s) for s in split_top(plain)]
        for a, b in zip(sides, sides[1:]):
            if a is None or b is None:
                continue
            if isinstance(a, I) and isinstance(b, I):
                checks += 1
                if not a.overlaps(b):
                    failures.append(f"{a} ≠ {b} in {eq.strip()}")
            elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
                for r, (u, v) in enumerate(zip(a, b)):
                    if u is not None and v is not None:
                        checks += 1
                        if not u.overlaps(v):
                            failures.append(f"row {r + 1}: {u} ≠ {v} in {eq.strip()}")
    return checks, failures
