"""The ``nudge`` prediction: the traced parameter grows by Δ; what is the new L?

The student estimates it to first order, L + ∂L/∂w·Δ, from the numbers the page prints, and
gives it to 2 significant digits. Δ is the smallest round step (1, 2 or 5 × 10ᵉ, from 0.001 to 5)
whose first-order change |∂L/∂w·Δ| is at least a unit in L's second significant digit (so
that the answer is not L itself) and whose first-order error |L + ∂L/∂w·Δ − L(w + Δ)| is at most
a quarter of that change (so that the estimate is worth making); with no such Δ, or a gradient
that prints as 0.0, it is not asked.

A guess G is right when |G − L(w + Δ)| ≤ |first-order error| + ½ unit in the second significant
digit of the larger of L(w + Δ) and the estimate + what the printed L and ∂L/∂w may be off
(half a unit in their last printed place, the latter times |Δ|): the honest first-order answer,
rounded to 2 significant digits from the printed numbers, is always right. The item is asked
only if then the old L and the estimate with the gradient's sign flipped are both wrong.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ...core import fmt
from ..practice.printed import half_unit
from . import Prediction, register
from .kinds import texts

if TYPE_CHECKING:
    from ..walkthrough import WorkedExample

#: the round steps Δ, smallest first
STEPS = tuple(m * 10.0**e for e in range(-3, 1) for m in (1.0, 2.0, 5.0))
_SLACK = 1e-9  # relative slack on the tolerance, for a guess exactly at its edge


def unit2(v: float) -> float:
    """One unit in the second significant digit of ``v`` (0 for 0)."""
    a = abs(v)
    return 0.0 if a == 0.0 or not math.isfinite(a) else 10.0 ** (math.floor(math.log10(a)) - 1)


def printed_half(v: float) -> float:
    """Half a unit in the last place of ``v`` as the page prints it."""
    s = fmt(v)
    if "times" in s:
        mantissa, _, power = s.partition(r" \times 10^{")
        return half_unit(mantissa, sci_mantissa=True) * 10.0 ** int(power.rstrip("}"))
    try:
        return half_unit(s)
    except ValueError:  # ∞ or NaN
        return math.inf


def two_digits(v: float) -> float:
    """``v`` rounded to 2 significant digits."""
    return float(f"{v:.2g}")


@register("nudge")
def nudge(we: "WorkedExample", eta: float) -> list[Prediction]:
    t, p = we.trace, we.param
    L, g = t.loss, we.gradient
    if fmt(g) == "0.0" or not (math.isfinite(L) and math.isfinite(g)):
        return []
    w = t.value(p)
    for step in STEPS:
        if abs(g * step) < unit2(L):
            continue
        with np.errstate(all="ignore"):
            new = float(we.net.with_param(p, w + step).trace(t.x, t.y).loss)
        estimate = L + g * step
        error = abs(estimate - new)
        if not math.isfinite(new) or error > 0.25 * abs(g * step):
            continue
        tolerance = (error + 0.5 * max(unit2(new), unit2(estimate)) + printed_half(L) + step * printed_half(g)) * (
            1 + _SLACK
        )
        if abs(two_digits(L) - new) <= tolerance or abs(L - g * step - new) <= tolerance:
            continue
        return [_item(we, step, new, estimate, tolerance)]
    return []


def _item(we: "WorkedExample", step: float, new: float, estimate: float, tolerance: float) -> Prediction:
    p, L, g = we.param, we.trace.loss, we.gradient
    u = lambda v: fmt(v, unicode=True)  # noqa: E731
    gs = f"({u(g)})" if g < 0 else u(g)
    prompt = (
        f"If {p.unicode} grows by Δ = {u(step)} and nothing else changes, what does "
        f"L = {u(L)} become (to 2 significant digits)?"
    )
    verdict = (
        f"to first order L + ∂L/∂{p.unicode}·Δ = {u(L)} + {gs} × {u(step)} = {u(estimate)}, and the "
        f"new L is {u(new)} (right within ±{fmt(tolerance, unicode=True)})."
    )
    return Prediction(
        "nudge", "nudge", "check", prompt, None, two_digits(new), exact=new, tolerance=tolerance, verdict=verdict,
        texts=texts(new), given={"Δ": step, "L": L},
    )  # fmt: skip
