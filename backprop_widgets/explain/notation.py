"""The notation, once: the four equations of backpropagation and the reference tables.

The handout (:func:`.render.document.document`), the quick-reference step and the dashboard's
"Notation & colours" tab (:func:`notation_html`) all take them from here. BP1's forms live in
the core's registry (:data:`~backprop_widgets.core.BP1_FORMS`); BP2–BP4 have one form for every
network and live in :data:`EQUATIONS`. Table cells are plain text with ``\\( … \\)`` marking
inline maths, written with the colour macros (:mod:`.palette`).
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

from ..core import BP1_FORMS, HADAMARD, LOSSES, bp1_form
from .inline import html_inline
from .palette import PALETTES, expand, hex_colour, text_colour


class Equation(NamedTuple):
    """A displayed equation with an optional plain-text caption above it (the shape of a step's
    ``Part``)."""

    caption: str | None
    latex: str


class Law(NamedTuple):
    """One of BP2–BP4: its tag, its name, what it does and its formula."""

    tag: str
    name: str
    what: str
    latex: str


#: BP2–BP4: one form for every network
EQUATIONS: tuple[Law, ...] = (
    Law(
        "BP2",
        "error propagation",
        "backpropagate through layers",
        r"\err{\boldsymbol{\delta}^{(l)}} = \left((\wt{\mathbf{W}^{(l+1)}})^T \err{\boldsymbol{\delta}^{(l+1)}}\right) \odot \act{\sigma'(\mathbf{z}^{(l)})}",
    ),
    Law(
        "BP3",
        "weight gradient",
        "gradient with respect to any weight",
        r"\err{\frac{\partial \mathcal{L}}{\partial w_{j,k}^{(l)}}} = \act{a_k^{(l-1)}}\,\err{\delta_j^{(l)}}",
    ),
    Law(
        "BP4",
        "bias gradient",
        "gradient with respect to any bias",
        r"\err{\frac{\partial \mathcal{L}}{\partial b_j^{(l)}}} = \err{\delta_j^{(l)}}",
    ),
)


def equation(tag: str) -> str:
    """The LaTeX of ``"BP2"``, ``"BP3"`` or ``"BP4"``; ``KeyError`` for another tag."""
    for law in EQUATIONS:
        if law.tag == tag:
            return law.latex
    raise KeyError(f"no equation {tag!r}; BP1 depends on the network (bp1_reference)")


def bp1_reference(output: str, loss: str) -> Equation:
    """BP1 as it applies to this output and loss, with the general form beside a special one."""
    form = bp1_form(output, loss)
    caption = "BP1 · output error: the error at the output layer"
    if form is HADAMARD:
        return Equation(caption + ".", form.latex)
    pair = f"{output} outputs with {LOSSES[loss].text}"
    if form.general:
        return Equation(
            f"{caption}, in the form it takes for {pair}, beside the general form it simplifies.",
            rf"{form.latex} \qquad \text{{from}} \qquad {form.general}",
        )
    return Equation(
        f"{caption}, as it is for {pair}: the elementwise ∇ₐL ⊙ σ′(zᴸ) holds only when "
        "each output depends on its own z alone.",
        form.latex,
    )


def reference_parts(output: str, loss: str) -> tuple[Equation, ...]:
    """The four equations, BP1 in the form that applies to this output and loss."""
    return (
        bp1_reference(output, loss),
        *(Equation(f"{law.tag} · {law.name}: {law.what}.", law.latex) for law in EQUATIONS),
    )


# --- the reference tables --------------------------------------------------------------------

#: what each colour of the code marks (the colour's name is the ``page`` palette's)
COLOUR_CODE: dict[str, str] = {
    "inp": r"Input quantities \(\inp{x_k}\)",
    "wt": r"Weights and biases \(\wt{w_{j,k}^{(l)}},\ \wt{b_j^{(l)}}\)",
    "act": r"Activations and \(\sigma'\) derivatives \(\act{a_j^{(l)}},\ \act{\sigma'(z_j^{(l)})}\)",
    "err": r"Error signals and gradients \(\err{\delta_j^{(l)}},\ \err{\partial\mathcal{L}/\partial w}\)",
}

Table = tuple[tuple[str, ...], ...]  # rows, the header first


def tables(
    sizes: Sequence[int] = (3, 2, 2, 1), loss: str | None = None, palette: str = "okabe-ito"
) -> tuple[tuple[str, Table], ...]:
    """The notation reference as (heading, table) pairs, in the seed page's order.

    ``sizes`` is the example the row of L names; ``loss`` the loss function's registry name.
    """
    shown = ", ".join(str(n) for n in sizes)
    L = len(sizes) - 1
    the_loss = f"The loss ({LOSSES[loss].text})." if loss is not None else "The loss function."
    symbol = ("Symbol", "Meaning")
    return (
        (
            "Indices & Scalars",
            (
                symbol,
                (
                    r"\(\wt{w_{j,k}^{(l)}}\)",
                    r"Weight from neuron \(k\) in layer \(l-1\) to neuron \(j\) in layer \(l\). First subscript = destination (row), second = source (column).",
                ),
                (r"\(\wt{b_j^{(l)}}\)", r"Bias of neuron \(j\) in layer \(l\)."),
                (
                    r"\(\act{a_j^{(l)}}\)",
                    r"Activation of neuron \(j\) in layer \(l\): \(a_j^{(l)} = \sigma(z_j^{(l)})\). Layer 0 is the input: \(\act{\mathbf{a}^{(0)}} = \inp{\mathbf{x}}\).",
                ),
                (
                    r"\(z_j^{(l)}\)",
                    r"Pre-activation (weighted sum + bias) of neuron \(j\) in layer \(l\): \(z_j^{(l)} = \sum_k \wt{w_{j,k}^{(l)}}\,\act{a_k^{(l-1)}} + \wt{b_j^{(l)}}\).",
                ),
                (
                    r"\(\err{\delta_j^{(l)}}\)",
                    r"Error signal at neuron \(j\), layer \(l\): \(\delta_j^{(l)} = \partial\mathcal{L}/\partial z_j^{(l)}\).",
                ),
                (r"\(L\)", rf"Index of the last (output) layer. For \([{shown}]\), \(L = {L}\)."),
                (r"\(n_l\)", r"Number of neurons in layer \(l\)."),
            ),
        ),
        (
            "Vectors, Matrices & Operators",
            (
                symbol,
                (
                    r"\(\wt{\mathbf{W}^{(l)}}\)",
                    r"Weight matrix of layer \(l\), size \(n_l \times n_{l-1}\). Bold = matrix or vector.",
                ),
                (
                    r"\(\err{\boldsymbol{\delta}^{(l)}}\)",
                    r"Error vector: the \(n_l\) error signals of layer \(l\) in a column.",
                ),
                (r"\(\odot\)", r"Hadamard (element-wise) product: \([\mathbf{u} \odot \mathbf{v}]_i = u_i v_i\)."),
                (r"\((\cdot)^T\)", r"Transpose. In BP2, \((\mathbf{W}^{(l+1)})^T\) sends errors backward."),
                (
                    r"\(\sigma, \act{\sigma'}\)",
                    r"The activation and its derivative, the slope at \(z\): how strongly a neuron passes a change on.",
                ),
                (r"\(\mathcal{L}\)", the_loss),
            ),
        ),
        (
            "Colour Code",
            (
                ("Colour", "Quantities"),
                *(
                    (
                        f"{PALETTES['page'][role]} (text {text_colour(role, palette)}, diagram {hex_colour(role, palette)})",
                        what,
                    )
                    for role, what in COLOUR_CODE.items()
                ),
            ),
        ),
        (
            "Subscript Conventions",
            (
                symbol,
                (
                    r"\(w_{j,k}^{(l)}\)",
                    r"\(j\) = destination neuron (row of \(\mathbf{W}\)), \(k\) = source neuron (column).",
                ),
                (r"\([\boldsymbol{\delta}^{(l)}]_j\)", r"Brackets pick the \(j\)-th entry of a vector."),
                (
                    r"Superscript \((l)\)",
                    "Always a layer index, in parentheses so it is not read as a power. "
                    "The page numbers the weight gradient BP3 and the bias gradient BP4; "
                    "some textbooks swap them.",
                ),
            ),
        ),
    )


# --- the dashboard's tab ---------------------------------------------------------------------


def _bp1_rows(output: str | None, loss: str | None) -> list[tuple[str, str, str]]:
    """BP1 as it applies to (output, loss), with the general form it simplifies; without them,
    the elementwise form and every special form of the registry."""
    if output is not None and loss is not None:
        part = bp1_reference(output, loss)
        return [("BP1", f"output error, for {output} outputs with {LOSSES[loss].text}", part.latex)]
    return [("BP1", "output error, for an elementwise σ (each output depends on its own z)", HADAMARD.latex)] + [
        ("BP1", f"output error, for {out} outputs with {LOSSES[loss].text}", form.latex)
        for (out, loss), form in BP1_FORMS.items()
    ]


def _html_table(rows: Table) -> str:
    head, *body = rows

    def cells(row: tuple[str, ...], tag: str) -> str:
        return "".join(f"<{tag} style='text-align:left'>{html_inline(c)}</{tag}>" for c in row)

    return (
        "<table><tr>"
        + cells(head, "th")
        + "</tr>"
        + "".join("<tr>" + cells(r, "td") + "</tr>" for r in body)
        + "</table>"
    )


def notation_html(
    palette: str = "okabe-ito", output: str | None = None, loss: str | None = None, sizes: Sequence[int] | None = None
) -> str:
    """HTML (with \\( … \\) maths) for the notation tab, coloured with ``palette``.

    With ``output`` and ``loss`` (the network's output activation and loss), BP1 is stated in the
    form that applies to them, beside the general form; without, every form is listed. ``sizes``
    is the network the row of L names (default: the seed page's [3, 2, 2, 1]).
    """
    groups = tables(sizes if sizes is not None else (3, 2, 2, 1), loss, palette)
    equations = _bp1_rows(output, loss) + [(law.tag, law.name, law.latex) for law in EQUATIONS]
    eqs = "".join(
        f"<tr><td><b>{tag}</b></td><td style='text-align:left'>{name}</td>"
        f"<td style='text-align:left'>\\(\\displaystyle {latex}\\)</td></tr>"
        for tag, name, latex in equations
    )
    symbols = "".join(f"<h4>{html_inline(heading)}</h4>" + _html_table(rows) for heading, rows in groups)
    body = (
        "<div class='bpw-table'>" + symbols + "<h4>The four equations</h4><table>" + eqs + "</table>"
        "<p>The colours are the Okabe–Ito palette, chosen to stay distinct for the common forms "
        "of colour blindness. Text takes a darker shade of each colour, readable on white (contrast "
        "4.5:1 or more, WCAG AA). In the diagram, neuron fill shows the activation a (light = low, "
        "dark green = high) and edge colour shows the sign and size of ∂L/∂w (or of w).</p>"
        "</div>"
    )
    return expand(body, palette)
