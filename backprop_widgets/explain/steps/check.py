"""The numerical check: the traced parameter nudged by ±ε, L⁺ and L⁻, the centred difference and its
relative error to backprop's gradient, against the core's threshold and verdict.
"""

from __future__ import annotations

import numpy as np

from ...core import CHECK_THRESHOLD, fixed, fmt, paren, power_of_ten, sci, shifted
from ..highlight import Highlight
from . import Context, Part, Step, StepKind, dL_d


def difference_decimals(num: float, eps: float, losses: tuple[float, float]) -> int:
    """How many decimals L⁺ and L⁻ need for (L⁺ − L⁻)/2ε to show ``num`` as printed (one to
    spare), within the 17 significant digits a double holds (and at most 20 decimals)."""
    shown = fmt(num)
    decimals = 2 - int(np.floor(np.log10(abs(num)))) if "times" in shown else len(shown.split(".")[1])
    decimals += int(np.ceil(-np.log10(2 * eps))) + 1
    top = max(abs(v) for v in losses)
    if top > 0:
        decimals = min(decimals, 16 - int(np.floor(np.log10(top))))
    return int(min(max(decimals, 1), 20))


def check_step(c: Context) -> Step:
    """Numerical verification: θ ± ε, L⁺, L⁻, the centred difference, the relative error."""
    P, p, numerical, check = c.printed, c.param, c.numerical, c.check
    num, eps = numerical["numerical"], numerical["eps"]
    rel = check.relative_error
    E, T = power_of_ten(eps), power_of_ten(CHECK_THRESHOLD)
    value = P.W(p.l)[p.j - 1][p.k - 1] if p.is_weight else P.b(p.l)[p.j - 1]
    v = numerical["value"]
    num_s = fmt(num)
    losses = numerical["loss_plus"], numerical["loss_minus"]
    dec = difference_decimals(num, eps, losses)
    Lp, Lm = (fixed(loss, dec) for loss in losses)
    sym = p.latex
    below = check.status == "agree"  # the relative error is below the threshold
    parts = [
        Part(
            f"Centred difference with ε = {power_of_ten(eps, unicode=True)}:",
            rf"{dL_d(p)} \approx \frac{{\mathcal{{L}}({sym} + \varepsilon) - \mathcal{{L}}({sym} - \varepsilon)}}{{2\varepsilon}}",
        ),
        Part(
            "Nudge the parameter up and run the full forward pass:",
            rf"{sym} + \varepsilon = \wt{{{value}}} + {E} = {shifted(v, eps)}",
        ),
        Part(None, rf"\mathcal{{L}}^+ = \mathcal{{L}}({sym} + \varepsilon) = {Lp}"),
        Part("Nudge it down:", rf"{sym} - \varepsilon = \wt{{{value}}} - {E} = {shifted(v, -eps)}"),
        Part(None, rf"\mathcal{{L}}^- = \mathcal{{L}}({sym} - \varepsilon) = {Lm}"),
        Part(
            "The centred difference:",
            rf"\frac{{\mathcal{{L}}^+ - \mathcal{{L}}^-}}{{2\varepsilon}} = \frac{{{Lp} - {paren(Lm)}}}{{2 \times {E}}} = {num_s}",
        ),
        Part(
            f"Backpropagation gave {fmt(check.analytic, unicode=True)}; the relative error is",
            rf"\frac{{|g_{{\text{{BP}}}} - g_{{\text{{num}}}}|}}{{|g_{{\text{{BP}}}}| + |g_{{\text{{num}}}}|}} = {sci(rel) if rel > 0 else '0.0'} "
            + (rf"< {T} \quad \checkmark" if below else rf"\ge {T}"),
        ),
    ]
    touches = Highlight(
        edges=frozenset({(p.l, p.j, p.k)}) if p.is_weight else frozenset(),
        biases=frozenset() if p.is_weight else frozenset({(p.l, p.j)}),
        loss=True,
    )
    mark = r" \quad \checkmark" if check.passed else ""
    return Step(
        id="check",
        title="Numerical check",
        tag=None,
        text=f"Nudging {p.unicode} by ±ε and re-running the network estimates the gradient without "
        f"backpropagation: {check.message} (threshold {power_of_ten(CHECK_THRESHOLD, unicode=True)}).",
        parts=tuple(parts),
        touches=touches,
        heading="Numerical Verification",
        result=rf"\frac{{\mathcal{{L}}^+ - \mathcal{{L}}^-}}{{2\varepsilon}} = {fmt(check.numerical)}{mark}",
    )


def build(c: Context) -> list[Step]:
    return [check_step(c)]


KIND = StepKind("check", build)
