"""The loss with numbers, as the loss's registry entry writes it; and its question, L from the
output activations, as the entry asks it (``Loss.asked``).
"""

from __future__ import annotations

import numpy as np

from ...core import ACTIVATIONS, LOSSES, fmt, log_terms, paren, sup
from ..highlight import Highlight
from ..practice.question import Draft, a_tex, draft, line, on_page
from . import Context, Part, Step, StepKind


def loss_step(c: Context) -> Step:
    """The loss with numbers, as the loss's registry entry writes it."""
    t = c.trace
    L = t.L
    act, loss = ACTIVATIONS[t.activations[L]], LOSSES[t.loss_name]
    chain = r"\mathcal{L} = " + loss.written(t.z[L], t.a[L], t.y, act, L)
    touches = Highlight(neurons=frozenset((L, j) for j in range(1, t.sizes[L] + 1)), loss=True)
    return Step(
        id="loss",
        title="Loss",
        tag=None,
        text=f"The loss compares the output a{sup(L)} with the target y; backpropagation finds how "
        "it changes with every weight.",
        parts=(Part(f"{loss.label}:", loss.formula(act)), Part(None, chain)),
        touches=touches,
        heading="Loss Computation",
        result=rf"\mathcal{{L}} = {fmt(t.loss)}",
    )


def build(c: Context) -> list[Step]:
    return [loss_step(c)]


# --- the question: L from the printed a⁽ᴸ⁾ -------------------------------------------------------
# The formula is the one a student evaluates with the printed outputs, from a (the core computes
# the loss from z where it can, which is not what the student does by hand).


def ask(c: Context, step: Step, eta: float) -> list[Draft]:
    """The loss from the output activations."""
    t = c.trace
    L = t.L
    act = ACTIVATIONS[t.activations[L]]
    terms, f, mistakes = LOSSES[t.loss_name].asked(t.y, act)
    a_printed = [rf"\act{{{fmt(v)}}}" for v in t.a[L]]
    a_syms = [a_tex(t, L, j + 1) for j in range(t.sizes[L])]
    # 1 − a as the loss step prints it: from z where the activation can, so that an output
    # near 1 keeps its digits (ln(1 − 1.0000) would tell the student nothing)
    with np.errstate(all="ignore"):  # outputs outside (0, 1) have no logarithms: MSE's, unused
        ln_1ma = log_terms(t.z[L], t.a[L], act)[1]
        comp = 1.0 - t.a[L] if ln_1ma is None else np.exp(ln_1ma)
    c_printed, c_syms = [paren(fmt(v)) for v in comp], [f"(1 - {s})" for s in a_syms]
    d = draft(
        step.id,
        "loss",
        "L",
        line(r"\mathcal{L}", terms(a_syms, c_syms), terms(a_printed, c_printed)),
        line(r"\mathcal{L}", terms(a_syms, c_syms)),
        float(t.loss),
        f,
        {"a": t.a[L], "y": t.y, "c": comp},
        on_page([part.latex for part in step.parts], r"\mathcal{L} ="),
    )
    d.mistakes += mistakes
    return [d]


KIND = StepKind("loss", build, ask)
