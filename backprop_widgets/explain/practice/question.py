"""A practice question: one number of the worked example, its tolerance, the mistakes it can
name, and the verdict on a typed answer; plus the helpers the step kinds write questions with.

Each step kind (``step_*`` modules) turns its numbers into :class:`Draft` questions, each with the
answer as a formula of the computed operands; :meth:`Draft.finish` derives the tolerance and keeps
the mistakes that differ from the answer at the page's precision (rules: :mod:`.practice`).
numpy and the standard library only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from ...core import ZERO, Formula, Param, Trace, fmt, paren, sub, sup
from ..steps import dL_d, role
from .answer import AnswerError, read_answer
from .mistakes import Mistake
from .printed import Span, half_unit, interval, on_page, sides

__all__ = [
    "BLANK",
    "Draft",
    "Feedback",
    "Formula",
    "Question",
    "a_num",
    "a_tex",
    "delta_tex",
    "draft",
    "grad_tex",
    "line",
    "on_page",
    "sub_if_many",
    "tex_sym",
    "unicode_sym",
]

#: The result left blank: a box the width of a signed 4-decimal number (MathJax, LaTeX with
#: amsmath and latex2mathml all know ``\boxed`` and ``\phantom``)
BLANK = r"\boxed{\phantom{-0.0000}}"

_SLACK = 1e-9  # relative slack on ½·u₃, so that a rounding exactly half-way is right
_MARGIN = 1e-3  # relative margin on a span from moved operands, for the terms of second order
_ALTERNATE = np.array([1.0, -0.7, 0.45])  # moves that do not cancel in a sum by chance


@dataclass(frozen=True)
class Feedback:
    """The verdict on one typed answer.

    correct : right at the precision the page shows (see :mod:`.practice`)
    mistake : ``None``, or the :data:`~.mistakes.CATALOGUE` id whose value the typed
        number matches
    message : one or two sentences for the student
    value : the number read from the text, ``None`` if it was not a number
    """

    correct: bool
    mistake: str | None
    message: str
    value: float | None = None


@dataclass(frozen=True)
class Question:
    """One number of the worked example for the student to compute.

    step_id : the step that computes it (``forward-1`` … ``loss``, ``bp1``, ``bp2-l``, ``bp3``
        or ``bp4``; the descent step's question belongs to ``bp3``/``bp4``, after the gradient)
    name : a short stable id of the quantity: ``z1,2``, ``a1,2``, ``loss``, ``delta3,1``,
        ``grad``, ``update``
    symbol : the quantity in Unicode, e.g. ``a₂⁽¹⁾``, ``δ⁽³⁾``, ``∂L/∂w₁,₁⁽¹⁾``
    latex : the step's line with every operand filled in and the result left blank
    formula : the line with the given numbers filled in and earlier results as symbols
    answer : the right value, from the trace
    tolerance : how far a typed value may be from ``answer`` and still be right (the larger
        side of ``span``)
    mistakes : the catalogue mistakes that differ from the answer at this precision
    span : (lo, hi), the values that are right (see :mod:`.practice`)
    """

    step_id: str
    name: str
    symbol: str
    latex: str
    formula: str
    answer: float
    tolerance: float
    mistakes: tuple[Mistake, ...] = field(default=())
    span: Span = (0.0, 0.0)

    @property
    def principle(self) -> str | None:
        """What the step applies: "forward", "loss", "BP1" … "BP4" or "update" (:mod:`.principles`)."""
        from .principles import principle_of

        return principle_of(self.step_id, self.name)

    def check_principle(self, choice: object) -> Feedback:
        """Whether ``choice`` names :attr:`principle` ("which equation gives this?"); never raises."""
        from .principles import check_principle

        return check_principle(self, choice)

    @property
    def printed(self) -> str:
        """The answer as the page prints it (LaTeX)."""
        return fmt(self.answer)

    def flipped(self, value: float) -> bool:
        """``value`` has the other sign than the answer (which the page prints as non-zero)."""
        return value != 0.0 and abs(self.answer) >= ZERO and (value > 0) != (self.answer > 0)

    def is_right(self, value: float) -> bool:
        """``value`` lies in :attr:`span` with the answer's sign."""
        return self.span[0] <= value <= self.span[1] and not self.flipped(value)

    def check(self, text: object) -> Feedback:
        """The verdict on ``text``, whatever it is; never raises."""
        try:
            typed = read_answer(text)
        except AnswerError as e:
            return Feedback(False, None, str(e))
        v = typed.value
        shown = fmt(v, unicode=True)
        if self.is_right(v):
            return Feedback(True, None, f"Right: {self.symbol} = {fmt(self.answer, unicode=True)}.", v)
        near = [m for m in self.mistakes if m.matches(v)]
        if near:  # the nearest of the mistakes whose values a student could get from the page
            m = min(near, key=lambda m: abs(v - m.value))
            return Feedback(False, m.id, f"Not {shown}. {m.message}", v)
        if self.flipped(v):  # never "close": a sign is not a matter of precision
            return Feedback(
                False, None, f"{shown} has the wrong sign for {self.symbol}: check the signs in the line.", v
            )
        lo, hi = self.span
        half = 0.5 * typed.unit * (1 + _SLACK)
        if typed.digits < 3 and lo - half <= v <= hi + half:
            return Feedback(
                False, None, f"{shown} is {self.symbol} rounded too far: give 3 or more significant digits.", v
            )
        if abs(v - self.answer) <= 10 * self.tolerance:
            return Feedback(
                False,
                None,
                f"Close, but {shown} is not {self.symbol} at the page's "
                "precision: carry 4 significant digits through the "
                "intermediate results.",
                v,
            )
        return Feedback(False, None, f"{shown} is not {self.symbol}: work through the line again.", v)


# --- the values that are right: what the printed lines allow ----------------------------------


def _u3(x: float) -> float:
    """One unit in the third significant digit of x (0 for what the page prints as 0.0)."""
    a = abs(x)
    return 0.0 if a < ZERO or not math.isfinite(a) else 10.0 ** (math.floor(math.log10(a)) - 2)


def _as_printed(v: float) -> tuple[float, float]:
    """v as the page prints it, read back: (the value, half a unit in its last printed place)."""
    shown = fmt(v)
    if "times" in shown:  # 1.23 \times 10^{-5}
        mantissa, _, power = shown.partition(r" \times 10^{")
        e = int(power.rstrip("}"))
        return float(mantissa) * 10.0**e, half_unit(mantissa, sci_mantissa=True) * 10.0**e
    try:
        return float(shown), half_unit(shown)
    except ValueError:  # ∞ or NaN: nothing to read
        return float(v), 0.0


def _page_rounded(values) -> tuple[np.ndarray, np.ndarray]:
    """Operands as the page prints them, and half a unit in the last printed place of each."""
    pairs = [_as_printed(v) for v in np.ravel(values)]
    shape = np.shape(values)
    return (
        np.array([p[0] for p in pairs], dtype=float).reshape(shape),
        np.array([p[1] for p in pairs], dtype=float).reshape(shape),
    )


def _evaluate(f: Formula, ops: dict) -> float:
    return float(f(ops))  # under np.errstate(all="ignore"): see Draft.finish


def _box(f: Formula, rounded: dict, halves: dict) -> Span:
    """The values ``f`` takes on the operands as printed, each anywhere within its last printed
    place: f at the printed operands ± the sum of the largest changes that moving each operand
    to either end of its interval makes (exact for sums and products up to second-order terms,
    which the margin covers). An infinite or undefined value gives an unbounded span."""
    c = _evaluate(f, rounded)
    if not math.isfinite(c):
        return (-math.inf, math.inf)
    radius = 0.0
    for key, values in rounded.items():
        flat = np.array(values, dtype=float).ravel()
        h = np.ravel(halves[key])
        if not h.any():
            continue
        # an operand f does not read changes nothing when all its entries move at once
        # (with alternating signs, so that the moves of a sum's terms do not cancel)
        together = flat + h * _ALTERNATE[np.arange(flat.size) % 3]
        if _evaluate(f, {**rounded, key: together.reshape(np.shape(values))}) == c:
            continue
        for i in np.flatnonzero(h):
            changes = []
            for step in (h[i], -h[i]):
                moved = flat.copy()
                moved[i] += step
                changes.append(abs(_evaluate(f, {**rounded, key: moved.reshape(np.shape(values))}) - c))
            if not all(math.isfinite(d) for d in changes):
                return (-math.inf, math.inf)
            radius += max(changes)
    radius *= 1 + _MARGIN
    return (c - radius, c + radius)


def _span(value: float, routes: list[Span]) -> Span:
    """The values that are right: every rounding of ``value`` to 3 or more significant digits,
    and every value of each route rounded to 3 or more significant digits (a route widened by
    half a unit in the 3rd significant digit of its larger end)."""
    lo, hi = value - 0.5 * _u3(value) * (1 + _SLACK), value + 0.5 * _u3(value) * (1 + _SLACK)
    for r in routes:
        widen = 0.5 * _u3(max(abs(r[0]), abs(r[1]))) * (1 + _SLACK)
        lo, hi = min(lo, r[0] - widen), max(hi, r[1] + widen)
    return (lo - ZERO, hi + ZERO)


def _apart(u: Span, v: Span) -> bool:
    return u[1] < v[0] or v[1] < u[0]


def _inside(x: float, u: Span) -> bool:
    return u[0] <= x <= u[1]


@dataclass
class Draft:
    """A question before its tolerances: the answer as a function ``f`` of the computed operands.

    ``ops`` holds the numbers the question's line prints (computed results and given numbers
    alike), which the page shows rounded; ``mistakes`` are (catalogue id, the value's formula,
    message); ``printed`` are the other expressions the page prints for this number, as LaTeX
    (the sides of its line in the step: the terms, the products …).
    """

    question: Question  # with tolerance 0 and no mistakes yet
    f: Formula
    ops: dict
    mistakes: list[tuple[str, Formula, str]] = field(default_factory=list)
    printed: list[str] = field(default_factory=list)

    def finish(self) -> Question | None:
        """The question with its span and mistakes; ``None`` where a line the page prints for it
        cannot tell the answer's sign (a saturated line such as ``1.0000 × (0.6100 − 0.6100)``):
        that number is not asked."""
        with np.errstate(all="ignore"):
            return self._finish()

    def _finish(self) -> Question | None:
        pairs = {k: _page_rounded(v) for k, v in self.ops.items()}
        rounded = {k: p[0] for k, p in pairs.items()}
        halves = {k: p[1] for k, p in pairs.items()}
        A = self.question.answer
        routes = [_box(self.f, rounded, halves)]
        for text in self.printed + sides(self.question.latex.replace(BLANK, "")):
            r = interval(text)
            if r is not None:
                routes.append(r)
        span = _span(A, routes)
        if abs(A) >= ZERO and span[0] <= 0.0 <= span[1]:
            return None
        kept: list[Mistake] = []
        for mid, f, message in self.mistakes:
            m = _evaluate(f, self.ops)
            if not math.isfinite(m):
                continue
            ms = _span(m, [_box(f, rounded, halves)])
            finite = math.isfinite(ms[0]) and math.isfinite(ms[1])
            # apart from the right values; from another mistake, apart at least by their values
            if finite and _apart(ms, span) and all(not _inside(m, k.span) and not _inside(k.value, ms) for k in kept):
                kept.append(Mistake(mid, m, max(ms[1] - m, m - ms[0]), message, ms))
        tolerance = max(span[1] - A, A - span[0])
        return replace(self.question, tolerance=tolerance, mistakes=tuple(kept), span=span)


def draft(
    step_id: str,
    name: str,
    symbol: str,
    latex: str,
    formula: str,
    answer: float,
    f: Formula,
    ops: dict,
    printed: list[str] | None = None,
) -> Draft:
    """A question's draft, with no mistakes yet (append them to ``.mistakes``); ``printed`` are
    the expressions the page prints for the number (see :class:`Draft`)."""
    return Draft(Question(step_id, name, symbol, latex, formula, float(answer), 0.0), f, ops, [], list(printed or []))


# --- how questions write their symbols ---------------------------------------------------------


def line(lhs: str, *sides: str) -> str:
    """``lhs = side = … = ▢``: a chain with the result left blank."""
    return " = ".join((lhs,) + sides + (BLANK,))


def unicode_sym(letter: str, l: int, j: int, n: int) -> str:
    """``a₂⁽¹⁾``; ``δ⁽³⁾`` in a layer of one neuron."""
    return f"{letter}{sub(j) if n > 1 else ''}{sup(l)}"


def tex_sym(letter: str, l: int, j: int, n: int) -> str:
    """``a_{2}^{(1)}``; ``a^{(3)}`` in a layer of one neuron."""
    return rf"{letter}_{{{j}}}^{{({l})}}" if n > 1 else rf"{letter}^{{({l})}}"


def a_tex(t: Trace, l: int, k: int) -> str:
    """a_k⁽ˡ⁾ coloured, written x_k (orange) for the inputs; 1-based ``k``."""
    n = t.sizes[l]
    if l == 0:
        return rf"\inp{{x_{{{k}}}}}" if n > 1 else r"\inp{x}"
    return rf"\act{{{tex_sym('a', l, k, n)}}}"


def a_num(t: Trace, l: int, k: int) -> str:
    """The printed a_k⁽ˡ⁾ (x_k for the inputs), coloured, in parentheses if negative."""
    return f"{role(l)}{{{paren(fmt(t.a[l][k - 1]))}}}"


def delta_tex(t: Trace, l: int, j: int) -> str:
    """δ_j⁽ˡ⁾ coloured as an error; 1-based ``j``."""
    delta = r"\delta"
    return rf"\err{{{tex_sym(delta, l, j, t.sizes[l])}}}"


def grad_tex(p: Param) -> str:
    """∂L/∂θ, coloured as a gradient."""
    return rf"\err{{{dL_d(p)}}}"


def sub_if_many(j: int, n: int) -> str:
    """Neuron j's (0-based) Unicode subscript, none in a layer of one neuron."""
    return sub(j + 1) if n > 1 else ""
