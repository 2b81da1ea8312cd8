"""The batch view of the steps: a batch's loss and gradient as the mean of its samples' terms.

A batch of m samples has the loss L = (1/m) Σᵢ Lᵢ, so ∂L/∂w = (1/m) Σᵢ ∂Lᵢ/∂w: BP3 and BP4 of the
batch are the means of each sample's BP3 (a_k,ᵢ⁽ˡ⁻¹⁾ δ_j,ᵢ⁽ˡ⁾) and BP4 (δ_j,ᵢ⁽ˡ⁾). The steps here
replace the one-sample loss, BP3 and BP4 steps (same ids, same highlight) with every sample's term
and its numbers, in the colour code. A batch of more than :data:`TOP` samples shows the
:data:`TOP` largest terms by |term| and the others as one sum.

Samples are numbered from 1 on the page, as the notation counts (sample i is row i − 1 of X).
Every number comes from :class:`~backprop_widgets.core.BatchTrace`: the terms are
``bt.contributions(param)`` (and ``bt.losses``), the mean is ``bt.grad(param)`` (and ``bt.loss``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core import BatchTrace, Param, fmt, paren, sub, sup
from .highlight import Highlight
from .steps import Part, Step, a_sym, dL_d, role

#: a batch of more samples shows this many terms, the largest by |term|, and the rest as one sum
TOP = 8


@dataclass(frozen=True)
class Term:
    """One sample's term: ``i`` its row in X (0-based; the page says sample i + 1), ``value``
    its ∂Lᵢ/∂θ (or Lᵢ), ``factors`` the printed numbers it is the product of, ``text`` it in
    plain words ("sample 3: x₁·δ₁⁽¹⁾ = 0.5 × (−0.0123) = −0.00615")."""

    i: int
    value: float
    factors: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Terms:
    """The terms of a batch's mean: those shown, and the others as one sum."""

    m: int
    shown: tuple[Term, ...]
    rest: int  # how many samples are in the one sum
    rest_sum: float  # their terms' sum
    total: float  # Σᵢ of every term
    mean: float  # the batch's value, from the core (bt.grad or bt.loss)


def _pick(values: np.ndarray, top: int) -> tuple[list[int], list[int]]:
    """The samples whose terms are shown (all in order, or the ``top`` largest by |term|, largest
    first) and the others."""
    m = len(values)
    if m <= top:
        return list(range(m)), []
    order = sorted(range(m), key=lambda i: (-abs(float(values[i])), i))
    return order[:top], sorted(order[top:])


def gradient_terms(bt: BatchTrace, param: "str | Param", top: int = TOP) -> Terms:
    """Each sample's ∂Lᵢ/∂θ of the batch (BP3 for a weight, BP4 for a bias), and their mean."""
    p = bt.network.check_param(param)
    values = bt.contributions(p)
    d_col = bt.delta[p.l][:, p.j - 1]
    shown, rest = _pick(values, top)
    terms = []
    for i in shown:
        d, a = float(d_col[i]), float(bt.a[p.l - 1][i, p.k - 1]) if p.is_weight else 0.0
        g = fmt(float(values[i]), unicode=True)
        if p.is_weight:
            a_u = f"x{sub(p.k)}" if p.l == 1 else f"a{sub(p.k)}{sup(p.l - 1)}"
            du = paren(fmt(d, unicode=True))
            text = f"sample {i + 1}: {a_u}·δ{sub(p.j)}{sup(p.l)} = {fmt(a, unicode=True)} × {du} = {g}"
            factors: tuple[str, ...] = (fmt(a), fmt(d))
        else:
            text = f"sample {i + 1}: δ{sub(p.j)}{sup(p.l)} = {g}"
            factors = (fmt(d),)
        terms.append(Term(i, float(values[i]), factors, text))
    rest_sum = float(values[rest].sum()) if rest else 0.0
    return Terms(bt.m, tuple(terms), len(rest), rest_sum, float(values.sum()), bt.grad(p))


def loss_terms(bt: BatchTrace, top: int = TOP) -> Terms:
    """Each sample's loss Lᵢ, and their mean, the batch's loss."""
    shown, rest = _pick(bt.losses, top)
    terms = tuple(
        Term(i, float(bt.losses[i]), (), f"sample {i + 1}: L{sub(i + 1)} = {fmt(float(bt.losses[i]), unicode=True)}")
        for i in shown
    )
    rest_sum = float(bt.losses[rest].sum()) if rest else 0.0
    return Terms(bt.m, terms, len(rest), rest_sum, float(bt.losses.sum()), bt.loss)


def _mean_chain(lhs: str, terms: Terms, wrap: str) -> str:
    """``lhs = (1/m)(t₁ + t₂ + … + Σ rest) = (1/m)·Σ = mean``, every number printed."""
    shown = [rf"{wrap}{{{paren(fmt(t.value))}}}" for t in terms.shown]
    if terms.rest:
        shown.append(rf"{wrap}{{{paren(fmt(terms.rest_sum))}}}")
    m = terms.m
    return (
        rf"{lhs} = \frac{{1}}{{{m}}}\left({' + '.join(shown)}\right)"
        rf" = \frac{{1}}{{{m}}} \times {wrap}{{{paren(fmt(terms.total))}}} = {wrap}{{{fmt(terms.mean)}}}"
    )


def _rest_note(terms: Terms) -> str:
    if not terms.rest:
        return ""
    return (
        f" The {len(terms.shown)} largest terms by size are shown; the last term of the sum adds up the "
        f"other {terms.rest} samples' terms."
    )


def _rest_part(terms: Terms, wrap: str) -> tuple[Part, ...]:
    """ "+ 12 more samples: Σ = …" (none when every term is shown)."""
    if not terms.rest:
        return ()
    return (Part(f"+ {terms.rest} more samples:", rf"\Sigma = {wrap}{{{fmt(terms.rest_sum)}}}"),)


def batch_gradient_step(bt: BatchTrace, param: "str | Param", top: int = TOP) -> Step:
    """BP3 (a weight) or BP4 (a bias) of the batch: (1/m) Σᵢ of each sample's term."""
    p = bt.network.check_param(param)
    terms = gradient_terms(bt, p, top)
    g = fmt(terms.mean)
    lhs = rf"\err{{{dL_d(p)}}}"
    d_i = rf"\err{{\delta_{{{p.j},i}}^{{({p.l})}}}}"
    if p.is_weight:
        src = role(p.l - 1)
        a_i = src + "{" + a_sym(p.l - 1, f"{p.k},i") + "}"
        general = rf"{lhs} = \frac{{1}}{{m}}\sum_{{i=1}}^{{m}} {a_i}\,{d_i}"
        lines = [
            rf"i = {t.i + 1}:\; {src}{{{paren(t.factors[0])}}} \times \err{{{paren(t.factors[1])}}}"
            rf" = \err{{{fmt(t.value)}}}"
            for t in terms.shown
        ]
        what = "a weight's gradient is the mean over the batch of each sample's activation times its error"
        touches = Highlight(neurons=frozenset({(p.l - 1, p.k), (p.l, p.j)}), edges=frozenset({(p.l, p.j, p.k)}))
    else:
        general = rf"{lhs} = \frac{{1}}{{m}}\sum_{{i=1}}^{{m}} {d_i}"
        lines = [rf"i = {t.i + 1}:\; \err{{{fmt(t.value)}}}" for t in terms.shown]
        what = "a bias's gradient is the mean over the batch of each sample's error"
        touches = Highlight(neurons=frozenset({(p.l, p.j)}), biases=frozenset({(p.l, p.j)}))
    tag = "BP3" if p.is_weight else "BP4"
    term_caption = "each sample's term (largest first):" if terms.rest else "each sample's term:"
    return Step(
        id=tag.lower(),
        title=f"{tag} · the batch's gradient ({bt.m} samples)",
        tag=tag,
        text=f"{tag} for a batch of {bt.m} samples: {what}, ∂L/∂{p.unicode} = (1/m) Σᵢ ∂Lᵢ/∂{p.unicode}."
        + _rest_note(terms),
        parts=(
            Part(None, general),
            *(Part(term_caption if n == 0 else None, line) for n, line in enumerate(lines)),
            *_rest_part(terms, r"\err"),
            Part("their mean:", _mean_chain(lhs, terms, r"\err")),
        ),
        touches=touches,
        heading=f"The Target Gradient of a Batch · {tag}",
        result=rf"{lhs} = \err{{{g}}}",
        kind="gradient",
    )


def batch_loss_step(bt: BatchTrace, top: int = TOP) -> Step:
    """The batch's loss: the mean of its samples' losses."""
    terms = loss_terms(bt, top)
    L = bt.L
    return Step(
        id="loss",
        title=f"Loss · the batch's mean ({bt.m} samples)",
        tag=None,
        text=f"The loss of a batch of {bt.m} samples is the mean of the samples' losses, L = (1/m) Σᵢ Lᵢ, "
        f"each Lᵢ comparing sample i's output a{sup(L)} with its target." + _rest_note(terms),
        parts=(
            Part(None, r"\mathcal{L} = \frac{1}{m}\sum_{i=1}^{m} \mathcal{L}_i"),
            *_rest_part(terms, ""),
            Part("their mean:", _mean_chain(r"\mathcal{L}", terms, "")),
        ),
        touches=Highlight(neurons=frozenset((L, j) for j in range(1, bt.sizes[L] + 1)), loss=True),
        heading="Loss of a Batch",
        result=rf"\mathcal{{L}} = {fmt(terms.mean)}",
        kind="loss",
    )
