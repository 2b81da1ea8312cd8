"""The handout as a list of blocks (headings, paragraphs, display maths, tables, steps) in the
seed page's order; each renderer (``markdown``, ``html_page``, ``latex``) only
formats them.

Paragraph text and table cells mark inline maths with ``\\( … \\)`` (:mod:`..inline`); step
texts and captions are plain Unicode. The notation tables and the four equations come from
:mod:`.notation`, their one copy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NamedTuple, Sequence

from ...core import LOSSES, fmt
from ..notation import reference_parts, tables
from ..steps import Step, pmatrix, pmatrix2

if TYPE_CHECKING:
    from ..walkthrough import WorkedExample


class TextBlock(NamedTuple):
    """A heading or a paragraph (whose text marks inline math with ``\\( … \\)``)."""

    kind: Literal["h1", "h2", "h3", "p"]
    content: str


class MathBlock(NamedTuple):
    """A displayed equation: (caption or ``None``, LaTeX)."""

    kind: Literal["math"]
    content: tuple[str | None, str]


class TableBlock(NamedTuple):
    """A table's rows, the header first."""

    kind: Literal["table"]
    content: Sequence[tuple[str, ...]]


class StepBlock(NamedTuple):
    """A step of the worked example."""

    kind: Literal["step"]
    content: Step


#: one block of a document; ``kind`` says which, ``content`` holds what it shows
Block = TextBlock | MathBlock | TableBlock | StepBlock


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


def _parameters(we: "WorkedExample") -> TableBlock:
    t = we.trace
    return TableBlock(
        "table",
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
    )


def document(we: "WorkedExample") -> list[Block]:
    """The blocks of the handout, in the seed page's order."""
    t, p = we.trace, we.param
    blocks: list[Block] = [
        TextBlock("h1", f"Worked example: ∂L/∂{p.unicode}"),
        TextBlock("h2", "Network Architecture"),
        TextBlock("p", _introduction(we)),
        TextBlock("h2", "Notation Reference"),
    ]
    for heading, rows in tables(t.sizes, t.loss_name, we.palette):
        blocks += [TextBlock("h3", heading), TableBlock("table", rows)]
    blocks.append(TextBlock("h2", "The Four Equations of Backpropagation"))
    blocks += [
        MathBlock("math", (part.caption, part.latex)) for part in reference_parts(t.activations[t.L], t.loss_name)
    ]
    blocks += [
        TextBlock("h2", "Network Parameters"),
        _parameters(we),
        TextBlock("h2", "Step 1: Forward Pass"),
        TextBlock(
            "p",
            r"We propagate the input \(\inp{\mathbf{x}}\) through each layer, computing the "
            r"weighted sums \(\mathbf{z}^{(l)}\) and the activations \(\act{\mathbf{a}^{(l)}}\).",
        ),
    ]
    backward_started = False
    for s in we.steps:
        if s.id == "bp1" and not backward_started:
            backward_started = True
            blocks.append(TextBlock("h2", "Step 2: Backward Pass"))
            blocks.append(
                TextBlock(
                    "p",
                    r"Now we propagate the error backward, computing the error signal "
                    r"\(\err{\boldsymbol{\delta}^{(l)}}\) of each layer with BP1 and BP2, "
                    r"and finally the traced gradient with " + ("BP3." if p.is_weight else "BP4."),
                )
            )
        if s.id == "check":
            blocks.append(TextBlock("h2", s.heading))
            blocks.append(StepBlock("step", s))
            continue
        if s.id == "paths":
            blocks.append(TextBlock("h2", "Summary"))
        blocks.append(TextBlock("h3", s.heading))
        blocks.append(StepBlock("step", s))
    return blocks
