"""All computed quantities in one table: z, a, σ′ and δ of every layer, for looking things up."""

from __future__ import annotations

from ...core import ACTIVATIONS, Array, fmt_all
from ..highlight import Highlight
from . import Context, Part, Step, StepKind


def _cell(values: list[str]) -> str:
    return values[0] if len(values) == 1 else "(" + ", ".join(values) + ")"


def _unicode_cell(values: Array) -> str:
    return _cell(fmt_all(values, unicode=True))


def table_step(c: Context) -> Step:
    """All computed quantities: z, a, σ′ and δ per layer (σ′ blank for a coupled layer, whose BP1
    uses its Jacobian)."""
    P = c.printed
    t = P.t
    L = t.L
    rows = [("Layer", "z⁽ˡ⁾", "a⁽ˡ⁾", "σ′(z⁽ˡ⁾)", "δ⁽ˡ⁾")]
    tex = [
        r"l & \mathbf{z}^{(l)} & \act{\mathbf{a}^{(l)}} & \act{\sigma'(\mathbf{z}^{(l)})} & \err{\boldsymbol{\delta}^{(l)}} \\ \hline"
    ]
    u = _unicode_cell
    rows.append(("l = 0", "—", u(t.a[0]), "—", "—"))
    tex.append(rf"0 & \text{{--}} & \inp{{{_cell(P.a(0))}}} & \text{{--}} & \text{{--}} \\")
    coupled = []
    for l in range(1, L + 1):
        act = ACTIVATIONS[t.activations[l]]
        if act.coupled:
            coupled.append(act.label)
        sp, sp_tex = ("—", r"\text{--}") if act.coupled else (u(t.sigma_prime[l]), rf"\act{{{_cell(P.sp(l))}}}")
        rows.append((f"l = {l}", u(t.z[l]), u(t.a[l]), sp, u(t.delta[l])))
        tex.append(rf"{l} & {_cell(P.z(l))} & \act{{{_cell(P.a(l))}}} & {sp_tex} & \err{{{_cell(P.delta(l))}}} \\")
    latex = r"\begin{array}{c|c|c|c|c} " + " ".join(tex) + r" \end{array}"
    neurons = frozenset((l, j) for l in range(L + 1) for j in range(1, t.sizes[l] + 1))
    note = "".join(f"; the {label} layer has no elementwise σ′, as BP1 uses its Jacobian" for label in coupled)
    return Step(
        id="table",
        title="All quantities",
        tag=None,
        text=f"Every number of the forward and backward pass, layer by layer, for looking things up{note}.",
        parts=(Part(None, latex),),
        touches=Highlight(neurons=neurons),
        heading="All Computed Quantities",
        table=tuple(rows),
    )


def build(c: Context) -> list[Step]:
    return [table_step(c)]


KIND = StepKind("table", build)
