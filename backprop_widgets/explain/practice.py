"""Practice: every number a worked example computes, as a question the student answers.

>>> from backprop_widgets import seed_example, worked_example
>>> net, x, y = seed_example()
>>> qs = worked_example(net, x, y, target="w1,1,1").questions()
>>> q = next(q for q in qs if q.step_id == "bp1")
>>> q.symbol, q.check("-0.0794").correct, q.check("0.0794").mistake
('δ⁽³⁾', True, 'sign')

The questions come in walkthrough order: z then a of every neuron, layer by layer, the loss, δ of
every neuron from BP1 down to the target's layer, the target gradient (BP3 or BP4) and the
target's value after one step of gradient descent. Each has two lines with the result left blank:
``latex``, the step's line with every operand filled in (for a panel that shows one question at
a time), and ``formula``, the same line with only the given numbers filled in (weights, biases,
x, y, η) and the results of earlier questions as symbols (for a sheet that shows them all).

When an answer is right
-----------------------
Let A be the answer (from the trace) and R the same formula evaluated on the operands as the
page prints them (:func:`~backprop_widgets.core.numfmt.fmt`, read back). A typed value v is right when

    |v − A| ≤ ½·u₃(A) + |R − A| + 10⁻¹²,

where u₃(A) = 10^(⌊log₁₀|A|⌋ − 2) is one unit in A's third significant digit (0 for |A| < 10⁻¹²,
which the page prints as 0.0). So every rounding of A to 3 or more significant digits is right
(the page's own rendering among them), and so is A computed from the page's rounded operands.
Operands given with the network (weights, biases, x, y, η) are exact and are not rounded.

The mistake catalogue
---------------------
Each mistake is the value a student gets by making it, computed from the trace by the same
formula with one thing changed (:data:`CATALOGUE`); its tolerance is the rule above applied to
that value. A mistake is kept for a question only where it differs from the right answer at this
precision: where its interval and the answer's are disjoint, and disjoint from the intervals of
the mistakes kept before it in catalogue order. A value in no interval is wrong with no mistake
named. Text that is not a number gets ``correct=False``, ``mistake=None`` and a message saying
what to type.

numpy and the standard library only; nothing typed is ever evaluated.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable

import numpy as np

from ..core import ACTIVATIONS, ZERO, Param, Trace, fmt, fmt_all, paren, sub, sup
from .steps import pmatrix, pmatrix2

if TYPE_CHECKING:
    from .walkthrough import WorkedExample

__all__ = ["CATALOGUE", "Feedback", "Mistake", "Question", "parse_answer", "questions"]

#: Every mistake the checker can name, in priority order: the value a student gets by making it.
CATALOGUE: dict[str, str] = {
    "sigma_prime_of_a": "σ′ evaluated at a instead of z",
    "missing_sigma_prime": "δ without the σ′ factor",
    "sign": "the sign flipped",
    "no_transpose": "BP2 with W instead of Wᵀ",
    "wrong_activation": "BP3 with a⁽ˡ⁾ instead of a⁽ˡ⁻¹⁾",
    "factor_two": "forgetting the ½ of the loss",
    "missing_bias": "z without its bias",
    "one_path": "the gradient as only the largest path of the sum",
    "ascent": "a descent step written w + η∂L/∂w",
}

#: The result left blank: a box the width of a signed 4-decimal number (MathJax, LaTeX with
#: amsmath and latex2mathml all know ``\boxed`` and ``\phantom``)
BLANK = r"\boxed{\phantom{-0.0000}}"

#: σ applied to one printed z, by activation (softmax is written out separately)
_APPLY = {"sigmoid": r"\sigma(#)", "tanh": r"\tanh(#)", "relu": r"\max(0, #)", "linear": "#"}
_SLACK = 1e-9  # relative slack on ½·u₃, so that a rounding exactly half-way is right
_MAX_TEXT = 100  # longer text is not read as a number


# --- reading what the student typed ------------------------------------------------------------

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
class _Typed:
    value: float
    digits: int  # significant digits typed
    unit: float  # one unit in the last typed place


def _read(text: object) -> _Typed:
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
        raise AnswerError(f"“{s}” is not a number: type {_EXAMPLE} (digits, a point for the "
                          "decimals, e-5 or ×10⁻⁵ for a power of ten).")
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
    return _Typed(value, digits, 10.0 ** (exponent - decimals))


def parse_answer(text: object) -> float:
    """What a student typed as a float, or ``ValueError`` with a message saying what to type.

    Accepts decimals (``-0.0794``, ``.5``), the page's minus sign (``−0.0794``) and powers of ten
    written ``1.23e-5``, ``1.23×10⁻⁵``, ``1.23 x 10^-5`` or ``1.23 \\times 10^{-5}``. Refuses empty
    text, words, a decimal comma (``1,5``), ``nan``, ``inf`` and anything that overflows
    (``1e999``). Never evaluates the text.

    >>> parse_answer("−0.0794"), parse_answer("1.23×10⁻⁵"), parse_answer(" 2e-3 ")
    (-0.0794, 1.23e-05, 0.002)
    """
    return _read(text).value


# --- questions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Feedback:
    """The verdict on one typed answer.

    correct : right at the precision the page shows (see the module's docstring)
    mistake : ``None``, or the :data:`CATALOGUE` id whose value the typed number matches
    message : one or two sentences for the student
    value : the number read from the text, ``None`` if it was not a number
    """

    correct: bool
    mistake: str | None
    message: str
    value: float | None = None


@dataclass(frozen=True)
class Mistake:
    """A catalogue mistake on one question: the value it gives and the tolerance around it."""

    id: str
    value: float
    tolerance: float
    message: str


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
            typed = _read(text)
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
            return Feedback(False, None, f"{shown} is {self.symbol} rounded too far: give 3 or "
                                         "more significant digits.", v)
        if abs(v - self.answer) <= 10 * self.tolerance:
            return Feedback(False, None, f"Close, but {shown} is not {self.symbol} at the page's "
                                         "precision: carry 4 significant digits through the "
                                         "intermediate results.", v)
        return Feedback(False, None, f"{shown} is not {self.symbol}: work through the line again.", v)


def questions(we: "WorkedExample", eta: float = 0.5) -> list[Question]:
    """Every number the worked example's steps compute, in walkthrough order, as questions.

    Parameters
    ----------
    we : the worked example (:func:`~backprop_widgets.explain.walkthrough.worked_example`)
    eta : the learning rate η of the last question, the target's value after one descent step
    """
    eta = float(eta)
    if not math.isfinite(eta) or eta <= 0:
        raise ValueError(f"learning rate η must be a positive number, got {eta}")
    t, p = we.trace, we.param
    drafts: list[_Draft] = []
    for s in we.steps:
        if s.id.startswith("forward-"):
            drafts += _forward(t, int(s.id.split("-")[1]))
        elif s.id == "loss":
            drafts.append(_loss(t))
        elif s.id == "bp1":
            drafts += _bp1(t)
        elif s.id.startswith("bp2-"):
            drafts += _bp2(t, int(s.id.split("-")[1]))
        elif s.id in ("bp3", "bp4"):
            drafts.append(_gradient(t, p, s.id, we.paths))
            drafts.append(_update(t, p, s.id, eta))
    return [d.finish() for d in drafts]


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
        return _read(fmt(v, unicode=True)).value
    except AnswerError:
        return float(v)


def _page_rounded(values) -> np.ndarray:
    """Operands as the page prints them."""
    return np.array([_as_printed(v) for v in np.ravel(values)]).reshape(np.shape(values))


def _evaluate(f: Callable[[dict], float], ops: dict) -> float:
    with np.errstate(all="ignore"):
        return float(f(ops))


Formula = Callable[[dict], float]


@dataclass
class _Draft:
    """A question before its tolerances: the answer as a function ``f`` of the computed operands.

    ``ops`` holds the computed quantities the formula reads (the page prints them rounded);
    given numbers (weights, biases, x, y, η) are captured in the functions, exact.
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


def _draft(step_id: str, name: str, symbol: str, latex: str, formula: str, answer: float,
           f: Formula, ops: dict) -> _Draft:
    return _Draft(Question(step_id, name, symbol, latex, formula, float(answer), 0.0), f, ops)


# --- symbols -----------------------------------------------------------------------------------


def _usym(letter: str, l: int, j: int, n: int) -> str:
    """``a₂⁽¹⁾``; ``δ⁽³⁾`` in a layer of one neuron."""
    return f"{letter}{sub(j) if n > 1 else ''}{sup(l)}"


def _tsym(letter: str, l: int, j: int, n: int) -> str:
    return rf"{letter}_{{{j}}}^{{({l})}}" if n > 1 else rf"{letter}^{{({l})}}"


def _a_tex(t: Trace, l: int, k: int) -> str:
    """a_k⁽ˡ⁾ coloured, written x_k (orange) for the inputs; 1-based ``k``."""
    n = t.sizes[l]
    if l == 0:
        return rf"\inp{{x_{{{k}}}}}" if n > 1 else r"\inp{x}"
    return rf"\act{{{_tsym('a', l, k, n)}}}"


def _a_num(t: Trace, l: int, k: int) -> str:
    role = r"\inp" if l == 0 else r"\act"
    return f"{role}{{{paren(fmt(t.a[l][k - 1]))}}}"


def _delta_tex(t: Trace, l: int, j: int) -> str:
    delta = r"\delta"
    return rf"\err{{{_tsym(delta, l, j, t.sizes[l])}}}"


def _dL(p: Param) -> str:
    return rf"\err{{\frac{{\partial \mathcal{{L}}}}{{\partial {p.latex}}}}}"


def _line(lhs: str, *sides: str) -> str:
    return " = ".join((lhs,) + sides + (BLANK,))


# --- the questions of each step ----------------------------------------------------------------


def _forward(t: Trace, l: int) -> list[_Draft]:
    """z_j⁽ˡ⁾ = Σ_k w_{j,k}⁽ˡ⁾ a_k⁽ˡ⁻¹⁾ + b_j⁽ˡ⁾ for every j, then a_j⁽ˡ⁾ = σ(z_j⁽ˡ⁾)."""
    W, b = t.weights[l - 1], t.biases[l - 1]
    n_out, n_in = W.shape
    step = f"forward-{l}"
    x = t.a[0]
    ops = {"a": t.a[l - 1]} if l > 1 else {}
    prev = (lambda o: o["a"]) if l > 1 else (lambda o: x)

    # one function call per neuron j: each formula's lambda closes over its own j
    def z_question(j: int) -> _Draft:
        w_fac = [rf"\wt{{{paren(fmt(W[j, k]))}}}" for k in range(n_in)]
        bias = rf"\wt{{{paren(fmt(b[j]))}}}"
        numbers = " + ".join(rf"{w_fac[k]}\cdot{_a_num(t, l - 1, k + 1)}" for k in range(n_in)) + f" + {bias}"
        symbols = " + ".join(rf"{w_fac[k]}\,{_a_tex(t, l - 1, k + 1)}" for k in range(n_in)) + f" + {bias}"
        lhs = _tsym("z", l, j + 1, n_out)
        d = _draft(step, f"z{l},{j + 1}", _usym("z", l, j + 1, n_out), _line(lhs, numbers),
                   _line(lhs, symbols if l > 1 else numbers), float(t.z[l][j]),
                   lambda o: W[j] @ prev(o) + b[j], ops)
        d.mistakes.append(("missing_bias", lambda o: W[j] @ prev(o),
                           f"That leaves out the bias b{_sub1(j, n_out)}{sup(l)} = "
                           f"{fmt(b[j], unicode=True)}: z adds it to the weighted sum."))
        return d

    name = t.activations[l]
    act = ACTIVATIONS[name]

    def a_question(j: int) -> _Draft:
        lhs = rf"\act{{{_tsym('a', l, j + 1, n_out)}}}"
        z_sym = _tsym("z", l, j + 1, n_out)
        if name == "softmax":
            z_all = fmt_all(t.z[l])
            numbers = rf"\frac{{e^{{{z_all[j]}}}}}{{{' + '.join(f'e^{{{z}}}' for z in z_all)}}}"
            symbols = rf"\frac{{e^{{{z_sym}}}}}{{\sum_i e^{{z_i^{{({l})}}}}}}"
        else:
            apply = _APPLY.get(name, r"\sigma(#)")
            numbers, symbols = apply.replace("#", fmt(t.z[l][j])), apply.replace("#", z_sym)
        d = _draft(step, f"a{l},{j + 1}", _usym("a", l, j + 1, n_out),
                   _line(lhs, symbols, numbers), _line(lhs, symbols), float(t.a[l][j]),
                   lambda o: act.f(o["z"])[j], {"z": t.z[l]})
        if name == "sigmoid":
            d.mistakes.append(("sign", lambda o: act.f(-o["z"])[j],
                               "That is σ(−z) = 1/(1 + e^z): the sigmoid is 1/(1 + e^(−z))."))
        return d

    return [z_question(j) for j in range(n_out)] + [a_question(j) for j in range(n_out)]


def _sub1(j: int, n: int) -> str:
    return sub(j + 1) if n > 1 else ""


def _loss(t: Trace) -> _Draft:
    """The loss from the output activations."""
    L = t.L
    y = t.y
    n = t.sizes[L]
    a_num = [rf"\act{{{fmt(v)}}}" for v in t.a[L]]
    a_sym = [_a_tex(t, L, j + 1) for j in range(n)]
    y_num = [fmt(v) for v in y]
    if t.loss_name == "mse":
        def terms(a):
            return r"\tfrac{1}{2}\left(" + " + ".join(
                f"({a[j]} - {paren(y_num[j])})^2" for j in range(n)) + r"\right)"

        def f(o):
            return 0.5 * np.sum((o["a"] - y) ** 2)

        mistakes = [("factor_two", lambda o: np.sum((o["a"] - y) ** 2),
                     "That is Σ(a − y)² without the ½ of the loss L = ½Σ(a − y)².")]
    else:
        softmax = t.activations[L] == "softmax"

        def terms(a):
            out = []
            for j in range(n):
                yj = float(y[j])
                if yj != 0.0:
                    out.append(("" if yj == 1.0 else rf"{y_num[j]}\,") + rf"\ln {a[j]}")
                if not softmax and yj != 1.0:
                    out.append(("" if yj == 0.0 else rf"{fmt(1.0 - yj)}\,") + rf"\ln(1 - {a[j]})")
            return r"-\left(" + (" + ".join(out) or "0") + r"\right)"

        def f(o):
            a = o["a"]
            with np.errstate(all="ignore"):
                s = np.sum(np.where(y != 0, y * np.log(a), 0.0))
                if not softmax:
                    s += np.sum(np.where(y != 1, (1 - y) * np.log(1 - a), 0.0))
            return -s

        mistakes = [("sign", lambda o: -f(o),
                     "The sign is flipped: cross-entropy is −Σ y ln a, a positive number.")]
    d = _draft("loss", "loss", "L", _line(r"\mathcal{L}", terms(a_sym), terms(a_num)),
               _line(r"\mathcal{L}", terms(a_sym)), float(t.loss), f, {"a": t.a[L]})
    d.mistakes += mistakes
    return d


def _sigma_prime_at_a(name: str, a: np.ndarray) -> np.ndarray:
    """σ′ evaluated at a, as if a were the pre-activation."""
    act = ACTIVATIONS[name]
    return act.prime(a, act.f(a))


def _bp1(t: Trace) -> list[_Draft]:
    """δ_j⁽ᴸ⁾ in the form BP1 takes for this output and loss."""
    L = t.L
    n = t.sizes[L]
    y = t.y
    name = t.activations[L]
    act = ACTIVATIONS[name]
    ops = {"a": t.a[L], "z": t.z[L]}

    def question(j: int) -> _Draft:
        lhs = _delta_tex(t, L, j + 1)
        a_s, a_n = _a_tex(t, L, j + 1), rf"\act{{{fmt(t.a[L][j])}}}"
        y_n = paren(fmt(y[j]))
        sym = _usym("δ", L, j + 1, n)
        if t.bp1_form == "hadamard":
            z_s, z_n = _tsym("z", L, j + 1, n), fmt(t.z[L][j])
            general = rf"({a_s} - {y_n})\,\act{{\sigma'({z_s})}}"
            latex = _line(lhs, general, rf"({a_n} - {y_n})\,\act{{\sigma'({z_n})}}")

            def sp(o):
                return act.prime(o["z"], o["a"])

            d = _draft("bp1", f"delta{L},{j + 1}", sym, latex, _line(lhs, general),
                       float(t.delta[L][j]), lambda o: (o["a"][j] - y[j]) * sp(o)[j], ops)
            z_u = _usym("z", L, j + 1, n)
            a_u = _usym("a", L, j + 1, n)
            d.mistakes += [
                ("sigma_prime_of_a", lambda o: (o["a"][j] - y[j]) * _sigma_prime_at_a(name, o["a"])[j],
                 f"That evaluates σ′ at {a_u} instead of at {z_u}: σ′ takes the pre-activation z."),
                ("missing_sigma_prime", lambda o: o["a"][j] - y[j],
                 f"That leaves out the factor σ′({z_u}): δ is ∂L/∂z, so ∂L/∂a is multiplied by "
                 "how a changes with z."),
                ("sign", lambda o: (y[j] - o["a"][j]) * sp(o)[j],
                 "The sign is flipped: ∂L/∂a is a − y, not y − a."),
                ("factor_two", lambda o: 2 * (o["a"][j] - y[j]) * sp(o)[j],
                 "That uses 2(a − y): the ½ of L = ½Σ(a − y)² cancels the 2, so ∂L/∂a = a − y."),
            ]
        elif t.bp1_form == "softmax_jacobian":
            a_all = [rf"\act{{{v}}}" for v in fmt_all(t.a[L])]
            y_all = [paren(v) for v in fmt_all(y)]
            general = (rf"{a_s}\left(({a_s} - {y_n}) - \sum_i \act{{a_i^{{({L})}}}}"
                       rf"(\act{{a_i^{{({L})}}}} - y_i)\right)")
            inner = " + ".join(f"{a_all[i]}({a_all[i]} - {y_all[i]})" for i in range(n))
            latex = _line(lhs, general, rf"{a_n}\left(({a_n} - {y_n}) - \left({inner}\right)\right)")

            def jac(o, j):
                g = o["a"] - y
                return o["a"][j] * (g[j] - o["a"] @ g)

            d = _draft("bp1", f"delta{L},{j + 1}", sym, latex, _line(lhs, general),
                       float(t.delta[L][j]), lambda o: jac(o, j), ops)
            d.mistakes += [
                ("missing_sigma_prime", lambda o: o["a"][j] - y[j],
                 "That is ∂L/∂a alone: δ is ∂L/∂z, so it goes through the softmax Jacobian."),
                ("sign", lambda o: -jac(o, j), "The sign is flipped: ∂L/∂a is a − y, not y − a."),
                ("factor_two", lambda o: 2 * jac(o, j),
                 "That uses 2(a − y): the ½ of L = ½Σ(a − y)² cancels the 2, so ∂L/∂a = a − y."),
            ]
        else:  # cross-entropy: δ = a − y (sigmoid), a·Σy − y (softmax)
            sum_y = float(np.sum(y))
            if t.bp1_form == "softmax_cross_entropy" and abs(sum_y - 1.0) > 1e-12:
                general = rf"{a_s} \sum_i y_i - {y_n}"
                numbers = rf"{a_n} \times {fmt(sum_y)} - {y_n}"
                scale = sum_y
            else:
                general, numbers, scale = f"{a_s} - {y_n}", f"{a_n} - {y_n}", 1.0
            d = _draft("bp1", f"delta{L},{j + 1}", sym, _line(lhs, general, numbers),
                       _line(lhs, general), float(t.delta[L][j]),
                       lambda o: o["a"][j] * scale - y[j], {"a": t.a[L]})
            d.mistakes.append(("sign", lambda o: y[j] - o["a"][j] * scale,
                               "The sign is flipped: δ is a − y, not y − a."))
        return d

    return [question(j) for j in range(n)]


def _bp2(t: Trace, l: int) -> list[_Draft]:
    """δ_k⁽ˡ⁾ = [(W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾]_k σ′(z_k⁽ˡ⁾) for every k."""
    W = t.weights[l]  # W⁽ˡ⁺¹⁾, shape (n_{l+1}, n_l)
    n_next, n = W.shape
    name = t.activations[l]
    act = ACTIVATIONS[name]
    W_tex = rf"\wt{{{pmatrix2([fmt_all(row) for row in W])}}}^T"
    d_next = fmt_all(t.delta[l + 1])
    d_num = rf"\err{{{pmatrix(d_next) if n_next > 1 else paren(d_next[0])}}}"
    d_sym = rf"\err{{\boldsymbol{{\delta}}^{{({l + 1})}}}}"
    ops = {"d": t.delta[l + 1], "z": t.z[l], "a": t.a[l]}

    def sp(o):
        return act.prime(o["z"], o["a"])

    def question(k: int) -> _Draft:
        lhs = _delta_tex(t, l, k + 1)
        z_s = _tsym("z", l, k + 1, n)
        general = (rf"\left[\wt{{(\mathbf{{W}}^{{({l + 1})}})^T}}\,{d_sym}\right]_{{{k + 1}}}"
                   rf"\,\act{{\sigma'({z_s})}}")
        numbers = rf"\left[{W_tex}\,{d_num}\right]_{{{k + 1}}}\,\act{{\sigma'({fmt(t.z[l][k])})}}"
        formula = rf"\left[{W_tex}\,{d_sym}\right]_{{{k + 1}}}\,\act{{\sigma'({z_s})}}"
        d = _draft(f"bp2-{l}", f"delta{l},{k + 1}", _usym("δ", l, k + 1, n),
                   _line(lhs, general, numbers), _line(lhs, formula), float(t.delta[l][k]),
                   lambda o: (W[:, k] @ o["d"]) * sp(o)[k], ops)
        z_u, a_u = _usym("z", l, k + 1, n), _usym("a", l, k + 1, n)
        d.mistakes += [
            ("sigma_prime_of_a", lambda o: (W[:, k] @ o["d"]) * _sigma_prime_at_a(name, o["a"])[k],
             f"That evaluates σ′ at {a_u} instead of at {z_u}: σ′ takes the pre-activation z."),
            ("missing_sigma_prime", lambda o: W[:, k] @ o["d"],
             f"That leaves out the factor σ′({z_u}): BP2 multiplies the error sent back by how "
             "much the neuron passes on."),
            ("sign", lambda o: -(W[:, k] @ o["d"]) * sp(o)[k], "The sign is flipped."),
        ]
        if n_next == n:  # W δ has the shape of δ⁽ˡ⁾ only for a square W
            d.mistakes.append((
                "no_transpose", lambda o: (W[k, :] @ o["d"]) * sp(o)[k],
                f"That uses row {k + 1} of W{sup(l + 1)} instead of its transpose: the error "
                f"comes back along the weights leaving neuron {k + 1}, column {k + 1} of W{sup(l + 1)}."))
        return d

    return [question(k) for k in range(n)]


def _path_value(t: Trace, p: Param, neurons: tuple[int, ...], o: dict) -> float:
    """One path's product of local factors (see :mod:`backprop_widgets.core.paths`) from the operands."""
    L, l0 = t.L, p.l
    v = (o["c"][p.k - 1] if p.is_weight else 1.0)
    for i, m in enumerate(range(l0, L + 1)):
        j = neurons[i] - 1
        if m > l0:
            v *= t.weights[m - 1][j, neurons[i - 1] - 1]
        v *= o[f"sp{m}"][j] if m < L else o["dL"][j]
    return v


def _gradient(t: Trace, p: Param, step: str, paths) -> _Draft:
    """BP3 ∂L/∂w_{j,k}⁽ˡ⁾ = a_k⁽ˡ⁻¹⁾ δ_j⁽ˡ⁾, or BP4 ∂L/∂b_j⁽ˡ⁾ = δ_j⁽ˡ⁾."""
    l, j = p.l, p.j - 1
    L = t.L
    lhs = _dL(p)
    delta_s = _delta_tex(t, l, p.j)
    delta_n = rf"\err{{{paren(fmt(t.delta[l][j]))}}}"
    ops = {"d": t.delta[l], "c": t.a[l - 1], "a": t.a[l], "dL": t.delta[L],
           **{f"sp{m}": t.sigma_prime[m] for m in range(l, L)}}
    if p.is_weight:
        k = p.k - 1
        a_s = _a_tex(t, l - 1, p.k)
        general = rf"{a_s}\,{delta_s}"
        numbers = rf"{_a_num(t, l - 1, p.k)} \times {delta_n}"
        latex = _line(lhs, general, numbers)
        # the sheet's line: x_k is given, a_k⁽ˡ⁻¹⁾ is an earlier answer
        formula = (_line(lhs, general, rf"{_a_num(t, 0, p.k)}\,{delta_s}") if l == 1
                   else _line(lhs, general))
        x = t.a[0]

        def f(o):
            return (x[k] if l == 1 else o["c"][k]) * o["d"][j]
    else:
        latex, formula = _line(lhs, delta_s, delta_n), _line(lhs, delta_s)

        def f(o):
            return o["d"][j]
    d = _draft(step, "grad", f"∂L/∂{p.unicode}", latex, formula, t.grad(p), f, ops)
    d.mistakes.append(("sign", lambda o: -f(o), "The sign is flipped: the gradient is "
                       + ("a·δ (BP3)." if p.is_weight else "δ itself (BP4).")))
    if p.is_weight:
        a_u = _usym("a", l, p.j, t.sizes[l])
        prev_u = (f"x{sub(p.k) if t.sizes[0] > 1 else ''}" if l == 1
                  else _usym("a", l - 1, p.k, t.sizes[l - 1]))
        d.mistakes.append((
            "wrong_activation", lambda o: o["a"][j] * o["d"][j],
            f"That multiplies by {a_u}, the activation the weight feeds; BP3 uses {prev_u}, the "
            "activation it multiplies."))
    if paths.count > 1:
        top = max(paths.top, key=lambda path: abs(path.value))
        d.mistakes.append((
            "one_path", lambda o: _path_value(t, p, top.neurons, o),
            f"That is only the largest of the {paths.count} paths from {p.unicode} to the loss; "
            "the gradient is the sum over all of them, which BP2 adds up."))
    return d


def _update(t: Trace, p: Param, step: str, eta: float) -> _Draft:
    """The parameter after one step of gradient descent, θ − η ∂L/∂θ."""
    theta = t.value(p)
    g = t.grad(p)
    lhs = rf"{p.latex} - \eta\,{_dL(p)}"
    eta_s = fmt(eta)
    latex = _line(lhs, rf"\wt{{{paren(fmt(theta))}}} - {eta_s} \times \err{{{paren(fmt(g))}}}")
    formula = _line(lhs, rf"\wt{{{paren(fmt(theta))}}} - {eta_s}\,{_dL(p)}")
    d = _draft(step, "update", f"{p.unicode} − η·∂L/∂{p.unicode}", latex, formula,
               theta - eta * g, lambda o: theta - eta * o["g"][0], {"g": np.array([g])})
    d.mistakes.append(("ascent", lambda o: theta + eta * o["g"][0],
                       "That steps uphill: descent subtracts η·∂L/∂θ, so that the loss goes down."))
    return d
