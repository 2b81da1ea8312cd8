"""The choice kinds of prediction: a gradient's sign, the largest edge, the largest error, and
whether a descent step lowers L (rules: :mod:`.`). numpy and the standard library only."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ...core import Param, fmt, sig, sub, sup
from ..practice.answer import parse_answer
from ..practice.question import unicode_sym
from . import Prediction, register

if TYPE_CHECKING:
    from ..walkthrough import WorkedExample

MINUS = "−"


def shown(v: float) -> float:
    """``v`` as the page prints it, read back."""
    return parse_answer(fmt(v, unicode=True))


def texts(*values: float, signed: bool = True) -> tuple[str, ...]:
    """The giveaway texts of these numbers (see :meth:`Prediction.giveaways`)."""
    out: dict[str, None] = {}
    for v in values:
        forms: tuple[str, ...] = (fmt(v), fmt(v, unicode=True))
        if signed and abs(v) >= 1e-4:
            forms += (sig(v, unicode=False), sig(v))
        out.update((s, None) for s in forms if s != "0.0")
    return tuple(out)


def a_sym(we: "WorkedExample", l: int, k: int) -> str:
    """aₖ⁽ˡ⁾ in text, xₖ for the inputs; 1-based ``k``."""
    n = we.trace.sizes[l]
    return f"x{sub(k) if n > 1 else ''}" if l == 0 else unicode_sym("a", l, k, n)


def delta_sym(we: "WorkedExample", l: int, j: int) -> str:
    return unicode_sym("δ", l, j, we.trace.sizes[l])


def walked(we: "WorkedExample") -> range:
    """The layers whose errors the page computes, from the output down: L … the traced layer."""
    return range(we.trace.L, we.param.l - 1, -1)


def gradient_step_id(we: "WorkedExample") -> str:
    return "bp3" if we.param.is_weight else "bp4"


def unique_largest(values: np.ndarray) -> int | None:
    """The index of the largest |value| as printed; ``None`` on a tie or when it prints as 0."""
    m = np.array([abs(shown(v)) for v in np.ravel(values)])
    i = int(np.argmax(m))
    return i if m[i] > 0 and np.count_nonzero(m == m[i]) == 1 else None


def _verdicts(choices: tuple[str, ...], answer: str, why: dict[str, str]) -> dict[str, str]:
    return {c: f"Right: {why[c]}" if c == answer else f"Not {c}: {why[c]}" for c in choices}


@register("sign")
def sign(we: "WorkedExample", eta: float) -> list[Prediction]:
    t, p = we.trace, we.param
    g = we.gradient
    d = float(t.delta[p.l][p.j - 1])
    a = float(t.a[p.l - 1][p.k - 1]) if p.is_weight else 1.0
    if fmt(g) == "0.0" or fmt(d) == "0.0" or fmt(a) == "0.0":
        return []
    grad = f"∂L/∂{p.unicode}"
    ds, word = delta_sym(we, p.l, p.j), "negative" if g < 0 else "positive"

    def rel(v: float) -> str:
        return "<" if v < 0 else ">"

    if p.is_weight:
        As = a_sym(we, p.l - 1, p.k)
        reason = (
            f"{grad} = {As}·{ds} is {word} because {ds} = {fmt(d, unicode=True)} {rel(d)} 0 "
            f"and {As} = {fmt(a, unicode=True)} {rel(a)} 0."
        )
        prompt = f"BP3 multiplies {As} by {ds}: is {grad} positive (+) or negative ({MINUS})?"
    else:
        reason = f"BP4 makes {grad} equal to {ds} = {fmt(d, unicode=True)}, which is {word}."
        prompt = f"BP4 gives {grad} from {ds}: is it positive (+) or negative ({MINUS})?"
    choices, answer = ("+", MINUS), MINUS if g < 0 else "+"
    aliases = {"-": MINUS, "negative": MINUS, "minus": MINUS, "positive": "+", "plus": "+"}
    why = {c: reason for c in choices}
    return [
        Prediction(
            "sign", "sign", gradient_step_id(we), prompt, choices, answer, _verdicts(choices, answer, why), aliases,
            texts=texts(g),
        )
    ]  # fmt: skip


@register("largest_edge")
def largest_edge(we: "WorkedExample", eta: float) -> list[Prediction]:
    t = we.trace
    out = []
    for l in walked(we):
        G = t.grad_W[l]
        if G.size < 2:
            continue
        i = unique_largest(G)
        if i is None:
            continue
        rows, cols = G.shape
        edges = [Param("w", l, j + 1, k + 1) for j in range(rows) for k in range(cols)]
        choices = tuple(e.unicode for e in edges)
        best = edges[i]
        big = fmt(abs(float(G.flat[i])), unicode=True)
        rule = (
            f"BP3 gives ∂L/∂wⱼ,ₖ{sup(l)} = aₖ{sup(l - 1)}·δⱼ{sup(l)}, so the largest pairs the largest "
            f"|δ{sup(l)}| with the largest |a{sup(l - 1)}|."
        )
        why = {}
        for e, g in zip(edges, G.ravel()):
            mag = fmt(abs(float(g)), unicode=True)
            if e == best:
                why[e.unicode] = f"|∂L/∂{e.unicode}| = {mag} is the largest into layer {l}; {rule}"
            else:
                why[e.unicode] = f"|∂L/∂{e.unicode}| = {mag} is smaller than |∂L/∂{best.unicode}| = {big}; {rule}"
        prompt = f"Which edge into layer {l} has the largest |∂L/∂w|?"
        out.append(
            Prediction(
                f"largest_edge-{l}", "largest_edge", gradient_step_id(we), prompt, choices, best.unicode,
                _verdicts(choices, best.unicode, why), {str(e): e.unicode for e in edges},
                texts=texts(*np.abs(G.ravel()), signed=False) + texts(*G.ravel()),
            )
        )  # fmt: skip
    return out


@register("largest_delta")
def largest_delta(we: "WorkedExample", eta: float) -> list[Prediction]:
    t = we.trace
    ids = {s.id for s in we.steps}
    out = []
    for l in walked(we):
        n = t.sizes[l]
        step_id = "bp1" if l == t.L else f"bp2-{l}"
        if n < 2 or step_id not in ids:
            continue
        D = t.delta[l]
        i = unique_largest(D)
        if i is None:
            continue
        choices = tuple(delta_sym(we, l, j + 1) for j in range(n))
        if l < t.L:  # BP2: δ⁽ˡ⁾ = ((W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾) ⊙ σ′(z⁽ˡ⁾), as the page's Hadamard line prints it
            back = t.weights[l].T @ t.delta[l + 1]
            sp = t.sigma_prime[l]
            size = [
                f"|{fmt(float(back[j]), unicode=True)} × {fmt(float(sp[j]), unicode=True)}| = "
                f"{fmt(abs(float(D[j])), unicode=True)}"
                for j in range(n)
            ]
        else:
            size = [fmt(abs(float(D[j])), unicode=True) for j in range(n)]
        best = choices[i]
        why = {
            c: f"|{c}| = {size[j]} is the largest error of layer {l}."
            if j == i
            else f"|{c}| = {size[j]} is smaller than |{best}| = {size[i]}."
            for j, c in enumerate(choices)
        }
        aliases = {f"delta{l},{j + 1}": c for j, c in enumerate(choices)}
        prompt = f"Which neuron of layer {l} has the largest error |δ|?"
        out.append(
            Prediction(
                f"largest_delta-{l}", "largest_delta", step_id, prompt, choices, best, _verdicts(choices, best, why),
                aliases, texts=texts(*np.abs(D), signed=False) + texts(*D),
            )
        )  # fmt: skip
    return out


@register("loss_after_step")
def loss_after_step(we: "WorkedExample", eta: float) -> list[Prediction]:
    t = we.trace
    with np.errstate(all="ignore"):
        new = we.net.gradient_step(t.x, t.y, eta, trace=t).trace(t.x, t.y).loss
        drop = eta * sum(float(np.sum(t.grad_W[l] ** 2) + np.sum(t.grad_b[l] ** 2)) for l in range(1, t.L + 1))
    L = t.loss
    if not (np.isfinite(new) and np.isfinite(drop)) or fmt(new) == fmt(L):
        return []
    answer = "down" if new < L else "up"
    moved = f"L goes {answer}, from {fmt(L, unicode=True)} to {fmt(new, unicode=True)}"
    first = f"to first order a step against the gradient lowers L by η·‖∇L‖² = {fmt(drop, unicode=True)}"
    reason = f"{moved}: {first}." if answer == "down" else f"{moved}: {first}, but a step this long overshoots."
    choices = ("up", "down")
    prompt = (
        f"After one step of gradient descent on every weight and bias with η = {fmt(eta, unicode=True)}, "
        f"does L = {fmt(L, unicode=True)} go up or down?"
    )
    return [
        Prediction(
            "loss_after_step", "loss_after_step", "check", prompt, choices, answer,
            _verdicts(choices, answer, {c: reason for c in choices}), texts=texts(new), given={"η": eta, "L": L},
        )
    ]  # fmt: skip
