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
from typing import Callable

import numpy as np

from ...core import ZERO, Param, Trace, fmt, paren, sub, sup
from ..steps import dL_d, role
from .answer import AnswerError, read_answer
from .mistakes import Mistake

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
    "sub_if_many",
    "tex_sym",
    "unicode_sym",
]

#: The result left blank: a box the width of a signed 4-decimal number (MathJax, LaTeX with
#: amsmath and latex2mathml all know ``\boxed`` and ``\phantom``)
BLANK = r"\boxed{\phantom{-0.0000}}"

_SLACK = 1e-9  # relative slack on ½·u₃, so that a rounding exactly half-way is right


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
    tolerance : how far a typed value may be from ``answer`` and still be right
    mistakes : the catalogue mistakes that differ from the answer at this precision
    """

    step_id: str
    name: str
    symbol: str
    latex: str
    formula: str
    answer: float
    tolerance: float
    mistakes: tuple[Mistake, ...] = field(default=())

    @property
    def printed(self) -> str:
        """The answer as the page prints it (LaTeX)."""
        return fmt(self.answer)

    def is_right(self, value: float) -> bool:
        return abs(value - self.answer) <= self.tolerance

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
        for m in self.mistakes:
            if abs(v - m.value) <= m.tolerance:
                return Feedback(False, m.id, f"Not {shown}. {m.message}", v)
        if typed.digits < 3 and abs(v - self.answer) <= 0.5 * typed.unit * (1 + _SLACK):
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


# --- tolerance ---------------------------------------------------------------------------------


def _u3(x: float) -> float:
    """One unit in the third significant digit of x (0 for what the page prints as 0.0)."""
    a = abs(x)
    return 0.0 if a < ZERO else 10.0 ** (math.floor(math.log10(a)) - 2)


def _tolerance(value: float, from_rounded: float) -> float:
    """½ unit in the 3rd significant digit, plus what the page's rounded operands move it by."""
    if not math.isfinite(from_rounded):
        from_rounded = value
    return 0.5 * _u3(value) * (1 + _SLACK) + abs(from_rounded - value) + ZERO


def _as_printed(v: float) -> float:
    try:
        return read_answer(fmt(v, unicode=True)).value
    except AnswerError:
        return float(v)


def _page_rounded(values) -> np.ndarray:
    """Operands as the page prints them."""
    return np.array([_as_printed(v) for v in np.ravel(values)]).reshape(np.shape(values))


#: a question's answer (or a mistake's value) from its computed operands
Formula = Callable[[dict], float]


def _evaluate(f: Formula, ops: dict) -> float:
    with np.errstate(all="ignore"):
        return float(f(ops))


@dataclass
class Draft:
    """A question before its tolerances: the answer as a function ``f`` of the computed operands.

    ``ops`` holds the computed quantities the formula reads (the page prints them rounded);
    given numbers (weights, biases, x, y, η) are captured in the functions, exact.
    ``mistakes`` are (catalogue id, the value's formula, message).
    """

    question: Question  # with tolerance 0 and no mistakes yet
    f: Formula
    ops: dict
    mistakes: list[tuple[str, Formula, str]] = field(default_factory=list)

    def finish(self) -> Question:
        rounded = {k: _page_rounded(v) for k, v in self.ops.items()}
        A = self.question.answer
        tol = _tolerance(A, _evaluate(self.f, rounded))
        kept: list[Mistake] = []
        for mid, f, message in self.mistakes:
            m = _evaluate(f, self.ops)
            if not math.isfinite(m):
                continue
            tm = _tolerance(m, _evaluate(f, rounded))
            if abs(m - A) > tol + tm and all(abs(m - k.value) > tm + k.tolerance for k in kept):
                kept.append(Mistake(mid, m, tm, message))
        return replace(self.question, tolerance=tol, mistakes=tuple(kept))


def draft(
    step_id: str, name: str, symbol: str, latex: str, formula: str, answer: float, f: Formula, ops: dict
) -> Draft:
    """A question's draft, with no mistakes yet (append them to ``.mistakes``)."""
    return Draft(Question(step_id, name, symbol, latex, formula, float(answer), 0.0), f, ops)


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
