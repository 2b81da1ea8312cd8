"""The handout as a :class:`.blocks.Document` (headings, paragraphs, display maths, tables, steps)
in the seed page's order; each registered format (:mod:`.formats`) only renders its blocks.

Paragraph text and table cells mark inline maths with ``\\( … \\)`` (:mod:`..inline`); step
texts and captions are plain Unicode. The notation tables and the four equations come from
:mod:`.notation`, their one copy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...core import LOSSES, fmt
from ..notation import reference_parts, tables
from ..steps import pmatrix, pmatrix2
from .blocks import Block, Document, Heading, Math, Paragraph, StepBlock, Table

if TYPE_CHECKING:
    from ..walkthrough import WorkedExample


def _vec(values) -> str:
    return r",\; ".join(fmt(v) for v in values)


def _introduction(we: "WorkedExample") -> str:
    t, p = we.trace, we.param
    L = t.L
    sizes = ", ".join(str(n) for n in t.sizes)
    hidden = t.activations[1] if L > 1 else None
    out_act = t.activations[L]
    loss = LOSSES[t.loss_name].text
    layers = (
        f"{hidden} hidden layers and a{'n' if out_act[0] in 'aeiou' else ''} {out_act} output layer"
        if hidden
        else f"a single {out_act} layer"
    )
    return (
        rf"We trace the gradient \(\partial \mathcal{{L}} / \partial {p.latex}\) through a "
        rf"network with \(L = {L}\) layer{'s' if L > 1 else ''} (sizes [{sizes}]; the input is layer 0): "
        rf"{layers}, and the {loss} loss. "
        rf"The input is \(\inp{{\mathbf{{x}}}} = ({_vec(t.x)})^T\) and the target is "
        rf"\(\mathbf{{y}} = {'(' + _vec(t.y) + ')^T' if len(t.y) > 1 else fmt(t.y[0])}\)."
    )


def _parameters(we: "WorkedExample") -> Table:
    t = we.trace
    return Table(
        [("Layer", "Weights", "Biases", "Shape")]
        + [
            (
                f"l = {l}",
                rf"\(\wt{{\mathbf{{W}}^{{({l})}} = {pmatrix2([[fmt(v) for v in row] for row in t.weights[l - 1]])}}}\)",
                rf"\(\wt{{\mathbf{{b}}^{{({l})}} = {pmatrix([fmt(v) for v in t.biases[l - 1]])}}}\)",
                f"({t.sizes[l]}×{t.sizes[l - 1]})",
            )
            for l in range(1, t.L + 1)
        ],
        prose=True,
    )


def document(we: "WorkedExample") -> Document:
    """The handout, in the seed page's order."""
    t, p = we.trace, we.param
    blocks: list[Block] = [
        Heading(f"Worked example: ∂L/∂{p.unicode}", prose=True),
        Heading("Network Architecture", 2, prose=True),
        Paragraph(_introduction(we), prose=True),
        Heading("Notation Reference", 2, prose=True),
    ]
    for heading, rows in tables(t.sizes, t.loss_name, we.palette):
        blocks += [Heading(heading, 3, prose=True), Table(rows, prose=True)]
    blocks.append(Heading("The Four Equations of Backpropagation", 2, prose=True))
    blocks += [Math(part.latex, part.caption) for part in reference_parts(t.activations[t.L], t.loss_name)]
    blocks += [
        Heading("Network Parameters", 2, prose=True),
        _parameters(we),
        Heading("Step 1: Forward Pass", 2, prose=True),
        Paragraph(
            r"We propagate the input \(\inp{\mathbf{x}}\) through each layer, computing the "
            r"weighted sums \(\mathbf{z}^{(l)}\) and the activations \(\act{\mathbf{a}^{(l)}}\).",
            prose=True,
        ),
    ]
    backward_started = False
    for s in we.steps:
        if s.id == "bp1" and not backward_started:
            backward_started = True
            blocks.append(Heading("Step 2: Backward Pass", 2, prose=True))
            blocks.append(
                Paragraph(
                    r"Now we propagate the error backward, computing the error signal "
                    r"\(\err{\boldsymbol{\delta}^{(l)}}\) of each layer with BP1 and BP2, "
                    r"and finally the traced gradient with " + ("BP3." if p.is_weight else "BP4."),
                    prose=True,
                )
            )
        if s.id == "check":
            blocks.append(Heading(s.heading, 2, prose=True))
            blocks.append(StepBlock(s))
            continue
        if s.id == "paths":
            blocks.append(Heading("Summary", 2, prose=True))
        blocks.append(Heading(s.heading, 3, prose=True))
        blocks.append(StepBlock(s))
    return Document(tuple(blocks), example=we)
