"""The loss with numbers, as the loss's registry entry writes it; and its question, L from the
output activations, written by :data:`LOSS_QUESTIONS`.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ...core import ACTIVATIONS, LOSSES, Trace, fmt, log_terms, paren, sup
from ..highlight import Highlight
from ..practice.question import Draft, Formula, a_tex, draft, line, on_page
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

#: (the loss written with the a_j and the 1 − a_j, its formula of the operands (a, y and the
#: complements c = 1 − a), its mistakes)
LossQuestion = tuple[Callable[[list[str], list[str]], str], Formula, list[tuple[str, Formula, str]]]


def _mse(t: Trace) -> LossQuestion:
    y = t.y
    y_num = [fmt(v) for v in y]

    def terms(a: list[str], c: list[str]) -> str:
        return r"\tfrac{1}{2}\left(" + " + ".join(f"({a[j]} - {paren(y_num[j])})^2" for j in range(len(a))) + r"\right)"

    def f(o: dict) -> float:
        return 0.5 * np.sum((o["a"] - o["y"]) ** 2)

    return (
        terms,
        f,
        [
            (
                "factor_two",
                lambda o: np.sum((o["a"] - o["y"]) ** 2),
                "That is Σ(a − y)² without the ½ of the loss L = ½Σ(a − y)².",
            )
        ],
    )


def _cross_entropy(t: Trace) -> LossQuestion:
    y = t.y
    y_num = [fmt(v) for v in y]
    coupled = ACTIVATIONS[t.activations[t.L]].coupled  # −Σ y ln a, without the ln(1 − a) terms

    def terms(a: list[str], c: list[str]) -> str:
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

    return terms, f, [("sign", lambda o: -f(o), "The sign is flipped: cross-entropy is −Σ y ln a, a positive number.")]


#: how the question writes and evaluates each loss (registry name)
LOSS_QUESTIONS: dict[str, Callable[[Trace], LossQuestion]] = {"mse": _mse, "cross_entropy": _cross_entropy}


def ask(c: Context, step: Step, eta: float) -> list[Draft]:
    """The loss from the output activations."""
    t = c.trace
    L = t.L
    terms, f, mistakes = LOSS_QUESTIONS[t.loss_name](t)
    a_printed = [rf"\act{{{fmt(v)}}}" for v in t.a[L]]
    a_syms = [a_tex(t, L, j + 1) for j in range(t.sizes[L])]
    # 1 − a as the loss step prints it: from z where the activation can, so that an output
    # near 1 keeps its digits (ln(1 − 1.0000) would tell the student nothing)
    with np.errstate(all="ignore"):  # outputs outside (0, 1) have no logarithms: MSE's, unused
        ln_1ma = log_terms(t.z[L], t.a[L], ACTIVATIONS[t.activations[L]])[1]
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
