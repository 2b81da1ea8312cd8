"""The loss registry: each loss L beside its gradient ∇ₐL, their LaTeX and its rounding error.

A :class:`Loss` carries everything the core and the page know about its name: L and ∇ₐL, their
formulas, L written out with a sample's numbers, how practice asks for L and the mistakes in
∇ₐL that its questions name, the outputs and targets it accepts and a bound on its own rounding
error. To add one, add an entry to :data:`LOSSES`: nothing else branches on
its name. What it needs from the output activation it asks of the :class:`Activation` entry
(``complement``, ``log``, ``coupled``, ``rounding``), never of its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple, Sequence

import numpy as np

from .activations import Activation
from .code_forms import LossCode
from .floats import UNIT_ROUNDOFF, Array
from .numfmt import fmt, fmt_all, paren, signed_terms

#: the loss of a network that names none
DEFAULT_LOSS = "mse"

#: a number a practice question asks (its answer, or a mistake's value), from its operands: a
#: dict of arrays by name. The registries' questions and the explain layer's share this type
Formula = Callable[[dict], float]


class Asked(NamedTuple):
    """How practice asks for L, from the printed outputs (a student works from a, not from z).

    terms : (the a_j written, the 1 − a_j written) → L written with them
    value : L from the operands ``a``, ``y`` and ``c`` (c = 1 − a)
    mistakes : (catalogue id, the value it gives from the same operands, its message)
    """

    terms: Callable[[Sequence[str], Sequence[str]], str]
    value: Formula
    mistakes: list[tuple[str, Formula, str]]


class GradMistake(NamedTuple):
    """A mistake in ∂L/∂a that carries into δᴸ as a factor: ``factor`` × the right δᴸ."""

    id: str
    factor: float
    message: str


def residual(z: Array, a: Array, y: Array, act: Activation) -> Array:
    """a − y, as (1 − y) − (1 − a) with 1 − a from z where a is near 1, so that a saturated
    output that meets its target keeps its digits."""
    if act.complement is None:
        return a - y
    return np.where(a > 0.5, (1.0 - y) - act.complement(z), a - y)


# --- MSE -----------------------------------------------------------------------------------------


def _mse(z: Array, a: Array, y: Array, act: Activation) -> Array:
    # L = ½ Σ_j (a_j − y_j)²
    d = residual(z, a, y, act)
    return 0.5 * np.sum(d * d, axis=-1)


def _write_mse(z: Array, a: Array, y: Array, act: Activation, l: int) -> str:
    A, Y = fmt_all(a), fmt_all(y)
    diffs = " + ".join(rf"(\act{{{A[j]}}} - {paren(Y[j])})^2" for j in range(len(A)))
    squares = signed_terms(fmt_all(residual(z, a, y, act) ** 2))
    return rf"0.5 \times \left({diffs}\right) = 0.5 \times \left({squares}\right) = " + fmt(float(_mse(z, a, y, act)))


def _ask_mse(y: Array, act: Activation) -> Asked:
    y_num = fmt_all(y)

    def terms(a: Sequence[str], c: Sequence[str]) -> str:
        return r"\tfrac{1}{2}\left(" + " + ".join(f"({a[j]} - {paren(y_num[j])})^2" for j in range(len(a))) + r"\right)"

    return Asked(
        terms,
        lambda o: 0.5 * np.sum((o["a"] - o["y"]) ** 2),
        [
            (
                "factor_two",
                lambda o: np.sum((o["a"] - o["y"]) ** 2),
                "That is Σ(a − y)² without the ½ of the loss L = ½Σ(a − y)².",
            )
        ],
    )


def _mse_rounding(z: Array, a: Array, y: Array, act: Activation, loss: float) -> float:
    # the residual's error (from a, or from 1 − a and 1 − y where it is near 1, as ``residual``
    # computes it) times |∂L/∂a| = |a − y|, then the squares and their sum
    n = a.shape[-1]
    held = np.where(a > 0.5, 1.0 - a, a) if act.complement else a
    err = act.rounding(z, held) + UNIT_ROUNDOFF * (np.abs(a - y) + np.abs(1.0 - y) * (held != a))
    return float(np.abs(a - y) @ err + UNIT_ROUNDOFF * 2 * (n + 2) * loss)


# --- cross-entropy -------------------------------------------------------------------------------


def log_terms(z: Array, a: Array, act: Activation) -> tuple[Array, Array | None]:
    """ln a and ln(1 − a) (``None`` for coupled outputs, whose loss does not use it), from z
    where the activation can."""
    with np.errstate(divide="ignore"):
        ln_a = act.log(z) if act.log else np.log(a)
        if act.coupled:
            return ln_a, None
        return ln_a, act.log1m(z) if act.log1m else np.log1p(-a)


def _cross_entropy(z: Array, a: Array, y: Array, act: Activation) -> Array:
    # coupled outputs (softmax): L = −Σ_j y_j ln a_j; else L = −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)].
    # Every term is ≥ 0, and a term with a zero weight is 0 even where its logarithm is −∞.
    ln_a, ln_1ma = log_terms(z, a, act)
    with np.errstate(invalid="ignore"):
        loss = np.sum(np.where(y != 0, y * -ln_a, 0.0), axis=-1)
        if ln_1ma is not None:
            loss = loss + np.sum(np.where(y != 1, (1.0 - y) * -ln_1ma, 0.0), axis=-1)
    return loss + 0.0  # never −0.0


def _write_cross_entropy(z: Array, a: Array, y: Array, act: Activation, l: int) -> str:
    ln_a, ln_1ma = log_terms(z, a, act)

    def ln(value: float, label: str, log: float, colour: str = "") -> str:
        # a value printed as 0.0 would read "ln 0.0": name it and show its logarithm instead
        shown = fmt(value)
        if shown == "0.0":
            return rf"\underbrace{{\ln {label}}}_{{{fmt(log)}}}"
        return rf"\ln {colour}{{{paren(shown)}}}"

    terms = []
    for j, yj in enumerate(y.tolist()):
        a_j = rf"\act{{a_{{{j + 1}}}^{{({l})}}}}"
        if yj != 0.0:
            terms.append(("" if yj == 1.0 else rf"{fmt(yj)} \times ") + ln(a[j], a_j, ln_a[j], r"\act"))
        if ln_1ma is not None and yj != 1.0:
            terms.append(
                ("" if yj == 0.0 else rf"{fmt(1.0 - yj)} \times ") + ln(np.exp(ln_1ma[j]), rf"(1 - {a_j})", ln_1ma[j])
            )
    inner = " + ".join(terms) if terms else "0"
    return rf"-\left({inner}\right) = {fmt(float(_cross_entropy(z, a, y, act)))}"


def _ask_cross_entropy(y: Array, act: Activation) -> Asked:
    y_num = fmt_all(y)
    coupled = act.coupled  # −Σ y ln a, without the ln(1 − a) terms

    def terms(a: Sequence[str], c: Sequence[str]) -> str:
        out = []
        for j in range(len(a)):
            yj = float(y[j])
            if yj != 0.0:
                out.append(("" if yj == 1.0 else rf"{y_num[j]}\,") + rf"\ln {a[j]}")
            if not coupled and yj != 1.0:
                out.append(("" if yj == 0.0 else rf"{fmt(1.0 - yj)}\,") + rf"\ln {c[j]}")
        return r"-\left(" + (" + ".join(out) or "0") + r"\right)"

    # which terms the line has comes from the given y (a term with a zero weight is not written)
    has_ln_a, has_ln_1ma = y != 0, y != 1

    def f(o: dict) -> float:
        a, w = o["a"], o["y"]
        with np.errstate(all="ignore"):
            s = np.sum(np.where(has_ln_a, w * np.log(a), 0.0))
            if not coupled:
                s += np.sum(np.where(has_ln_1ma, (1 - w) * np.log(o["c"]), 0.0))
        return -s

    return Asked(
        terms, f, [("sign", lambda o: -f(o), "The sign is flipped: cross-entropy is −Σ y ln a, a positive number.")]
    )


def _cross_entropy_rounding(z: Array, a: Array, y: Array, act: Activation, loss: float) -> float:
    # The terms are ≥ 0 and sum to L, which their sum adds (n + 2)·u·L to. Each term's own error:
    n = z.shape[-1]
    err = (n + 2) * loss
    if act.log is None or act.log_rounding is None:  # ln a, ln(1 − a) from a: a's error over a, 1 − a
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = np.where(y != 0, y / a, 0.0) + np.where(y != 1, (1.0 - y) / (1.0 - a), 0.0)
        err += float(slope @ act.rounding(z, a)) / UNIT_ROUNDOFF
    else:  # ln a and ln(1 − a) from z: the activation bounds its own
        err += act.log_rounding(z, y, loss)
    return float(UNIT_ROUNDOFF * err)


def _cross_entropy_grad(z: Array, a: Array, y: Array, act: Activation) -> Array:
    # ∇ₐL = −y/a + (1 − y)/(1 − a) = (a − y) / (a(1 − a)); the denominator is kept ≥ the smallest
    # normal float so that a saturated output gives a huge but finite slope instead of a division by zero
    one_minus_a = act.complement(z) if act.complement else 1.0 - a
    return residual(z, a, y, act) / np.maximum(a * one_minus_a, np.finfo(float).tiny)


# --- the registry --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Loss:
    """A loss L(a, y) summed over the output neurons, with its gradient ∇ₐL.

    value : (z, a, y, output activation) → L
    grad_a : (z, a, y, output activation) → ∇ₐL
    written : (z, a, y, output activation, layer L) → L written out with these numbers: the chain
        after ``L =``
    rounding : (z, a, y, output activation, L) → a bound on the floating-point error of
        ``value`` given exact z
    text : its name in a sentence
    asked : (y, output activation) → how practice asks for L (:class:`Asked`)
    grad_by_hand : (a, y) → ∇ₐL as a student computes it from the printed a and y
    grad_mistakes : the mistakes in ∇ₐL a question on δᴸ names (:class:`GradMistake`)
    outputs : the interval the output activation's range must lie in (``None``: any)
    targets : the interval every y_j must lie in (``None``: any)
    coupled_latex : the formula for coupled outputs, if it differs
    long_text : its name with its formula, as a practice sheet states it (``None``: ``text``)
    code : how a numpy or torch script writes L and ∇ₐL (:class:`.code_forms.LossCode`; ``None``:
        the code exports refuse it)
    """

    name: str
    label: str
    value: Callable[[Array, Array, Array, Activation], Array]
    grad_a: Callable[[Array, Array, Array, Activation], Array]
    latex: str
    grad_latex: str
    written: Callable[[Array, Array, Array, Activation, int], str]
    grad_written: Callable[[str, str], str]  # (a_j, y_j) printed → [∇ₐL]_j with them
    rounding: Callable[[Array, Array, Array, Activation, float], float]
    text: str
    asked: Callable[[Array, Activation], Asked]
    grad_by_hand: Callable[[Array, Array], Array]
    grad_mistakes: tuple[GradMistake, ...] = ()
    outputs: tuple[float, float] | None = None
    targets: tuple[float, float] | None = None
    coupled_latex: str | None = None
    long_text: str | None = None
    code: LossCode | None = None

    def accepts(self, act: Activation) -> bool:
        """Whether σ's outputs lie where this loss needs them."""
        return self.outputs is None or (self.outputs[0] <= act.range[0] and act.range[1] <= self.outputs[1])

    def formula(self, act: Activation) -> str:
        """L's formula for outputs of ``act``."""
        return self.coupled_latex if act.coupled and self.coupled_latex else self.latex


LOSSES: dict[str, Loss] = {
    "mse": Loss(
        "mse",
        "MSE ½Σ(a−y)²",
        _mse,
        residual,
        r"\mathcal{L} = \tfrac{1}{2}\sum_j \left(a_j^{(L)} - y_j\right)^2",
        r"\nabla_a \mathcal{L} = \mathbf{a}^{(L)} - \mathbf{y}",
        _write_mse,
        lambda a, y: rf"\act{{{a}}} - {paren(y)}",
        _mse_rounding,
        "MSE",
        _ask_mse,
        lambda a, y: a - y,
        (
            GradMistake("sign", -1.0, "The sign is flipped: ∂L/∂a is a − y, not y − a."),
            GradMistake(
                "factor_two", 2.0, "That uses 2(a − y): the ½ of L = ½Σ(a − y)² cancels the 2, so ∂L/∂a = a − y."
            ),
        ),
        long_text="MSE ½Σ(a − y)²",
        code=LossCode("0.5 * {lib}.sum(({a} - y) ** 2)", "0.5 * {lib}.sum(({a} - y) ** 2)", "{a} - y"),
    ),
    "cross_entropy": Loss(
        "cross_entropy",
        "cross-entropy",
        _cross_entropy,
        _cross_entropy_grad,
        r"\mathcal{L} = -\sum_j \left[y_j \ln a_j^{(L)} + (1 - y_j)\ln\left(1 - a_j^{(L)}\right)\right]",
        r"\frac{\partial \mathcal{L}}{\partial a_j} = \frac{a_j - y_j}{a_j\,(1 - a_j)}",
        _write_cross_entropy,
        lambda a, y: rf"\frac{{\act{{{a}}} - {paren(y)}}}{{\act{{{paren(a)}}}\,(1 - \act{{{a}}})}}",
        _cross_entropy_rounding,
        "cross-entropy",
        _ask_cross_entropy,
        lambda a, y: (a - y) / (a * (1.0 - a)),
        (GradMistake("sign", -1.0, "The sign is flipped: ∂L/∂a is (a − y)/(a(1 − a)), not (y − a)/(a(1 − a))."),),
        outputs=(0.0, 1.0),
        targets=(0.0, 1.0),
        coupled_latex=r"\mathcal{L} = -\sum_j y_j \ln a_j^{(L)}",
        code=LossCode(
            "-{lib}.sum(y * log_a + (1 - y) * log1m_a)", "-{lib}.sum(y * log_a)", "({a} - y) / ({a} * (1 - {a}))"
        ),
    ),
}
