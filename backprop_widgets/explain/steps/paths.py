"""The gradient as a sum over paths: every route from the traced parameter to the loss
multiplies the local factors along it, and the products sum to the gradient (the largest are
listed, the rest summed in one term)."""

from __future__ import annotations

from ...core import ACTIVATIONS, HADAMARD, fmt, fmt_all, paren, signed_terms, sup
from ..highlight import paths_highlight
from . import Context, Part, Step, StepKind, a_sym, dL_d, role

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def path_label(i: int) -> str:
    """Path A, B, … Z, then 27, 28, …"""
    return _LETTERS[i] if i < 26 else str(i + 1)


def paths_step(c: Context) -> Step:
    """The gradient as a sum over paths from the parameter to the loss."""
    P, p, ps = c.printed, c.param, c.paths
    t = P.t
    L = t.L
    l0 = p.l
    split = t.bp1_form == HADAMARD.name  # δ⁽ᴸ⁾ = σ′ ⊙ ∇ₐL: show its two factors
    idx = [f"j_{{{m}}}" for m in range(l0 + 1, L + 1)]
    # the general product, with the page's colours
    sym = []
    if p.is_weight:
        sym.append(rf"{role(l0 - 1)}{{{a_sym(l0 - 1, p.k)}}}")

    def node(m: int, j: str) -> str:
        return rf"\act{{\sigma'(z_{{{j}}}^{{({m})}})}}" if m < L or split else rf"\err{{\delta_{{{j}}}^{{({L})}}}}"

    prev = str(p.j)
    sym.append(node(l0, prev))
    for m, jm in zip(range(l0 + 1, L + 1), idx):
        sym.append(rf"\wt{{w_{{{jm},{prev}}}^{{({m})}}}}")
        sym.append(node(m, jm))
        prev = jm
    last = idx[-1] if idx else str(p.j)
    if split:
        sym.append(rf"[\nabla_a \mathcal{{L}}]_{{{last}}}")
    sum_over = rf"\sum_{{{', '.join(idx)}}} " if idx else ""
    caption = "Every path from the parameter to the loss multiplies the local factors along it:"
    if ACTIVATIONS[t.activations[L]].coupled:
        caption = caption.replace(
            "along it:",
            f"along it (the last factor is δ{sup(L)} = ∂L/∂z{sup(L)}, which already accounts "
            "for the coupling of the outputs):",
        )
    parts = [Part(caption, rf"\err{{{dL_d(p)}}} = {sum_over}" + r" \cdot ".join(sym))]
    # printed factors of each shown path
    fac_src = [rf"{role(l0 - 1)}{{{paren(P.a(l0 - 1)[p.k - 1])}}}"] if p.is_weight else []
    values = fmt_all([path.value for path in ps.top])
    for i, path in enumerate(ps.top):
        js = path.neurons
        f = list(fac_src)
        for step_i, m in enumerate(range(l0, L + 1)):
            j = js[step_i] - 1
            if m > l0:
                f.append(rf"\wt{{{paren(P.W(m)[j][js[step_i - 1] - 1])}}}")
            if m < L:
                f.append(rf"\act{{{P.sp(m)[j]}}}")
            elif split:
                f.append(rf"\act{{{P.sp(L)[j]}}}")
                f.append(paren(P.grad_a()[j]))
            else:
                f.append(rf"\err{{{paren(P.delta(L)[j])}}}")
        route = r" \to ".join(
            [p.latex, a_sym(l0, js[0])] + [a_sym(m, js[m - l0]) for m in range(l0 + 1, L + 1)] + [r"\mathcal{L}"]
        )
        parts.append(
            Part(
                (
                    "Paths:"
                    if ps.count <= len(ps.top)
                    else f"The {len(ps.top)} largest of the {ps.count} paths by |contribution|:"
                )
                if i == 0
                else None,
                rf"P_{{\mathrm{{{path_label(i)}}}}} \;({route}) = " + r" \cdot ".join(f) + rf" = \err{{{values[i]}}}",
            )
        )
    total = fmt(ps.total)
    names = " + ".join(rf"P_{{\mathrm{{{path_label(i)}}}}}" for i in range(len(ps.top)))
    more = ps.count - len(ps.top)
    if more:
        names += rf" + (\text{{{more} more paths}})"
        caption = f"The other {more} paths sum to {fmt(ps.rest, unicode=True)}; all {ps.count} sum to the gradient:"
        terms = values + [fmt(ps.rest)]
    else:
        caption = f"The {ps.count} paths sum to the gradient:" if ps.count > 1 else "The one path is the gradient:"
        terms = values
    # one path: its value is the total, so it is written once
    sums = rf" = {signed_terms(terms)}" if len(terms) > 1 else ""
    parts.append(Part(caption, rf"\err{{{dL_d(p)}}} = {names}{sums} = \err{{{total}}}"))
    # touches: every edge on some path, the neurons they join, the parameter and the loss
    touches = paths_highlight(t.sizes, p)
    plural = "one path" if ps.count == 1 else f"{ps.count} paths"
    return Step(
        id="paths",
        title="Gradient as a sum over paths",
        tag=None,
        text=f"The chain rule adds one product of local factors for each route from {p.unicode} to the "
        f"loss ({plural}); the products sum to the gradient.",
        parts=tuple(parts),
        touches=touches,
        heading="Complete Gradient Chain",
        result=rf"\err{{{dL_d(p)}}} = \err{{{fmt(t.grad(p))}}}",
    )


def build(c: Context) -> list[Step]:
    return [paths_step(c)]


KIND = StepKind("paths", build)
