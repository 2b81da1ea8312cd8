"""The "Notation & colours" tab: the page's reference tables, in our own words."""

from __future__ import annotations

from ..core import BP1_FORMS, HADAMARD, LOSSES
from .palette import expand
from .steps import EQUATIONS, bp1_reference

_ROWS = [
    (r"\wt{w_{j,k}^{(l)}}",
     "the weight on the edge from neuron <i>k</i> of layer <i>l</i>−1 to neuron <i>j</i> of "
     "layer <i>l</i>. First subscript = where the signal goes (row of W), second = where it "
     "comes from (column)."),
    (r"\wt{b_j^{(l)}}", "the bias of neuron <i>j</i> in layer <i>l</i>."),
    (r"z_j^{(l)}", "the weighted sum entering neuron <i>j</i> of layer <i>l</i>: "
     r"\(z_j^{(l)} = \sum_k \wt{w_{j,k}^{(l)}}\,\act{a_k^{(l-1)}} + \wt{b_j^{(l)}}\)."),
    (r"\act{a_j^{(l)}}", r"what neuron <i>j</i> outputs: \(\act{a_j^{(l)}} = \sigma(z_j^{(l)})\). "
     r"Layer 0 is the input: \(\act{a^{(0)}} = \inp{\mathbf{x}}\)."),
    (r"\err{\delta_j^{(l)}}", r"the error at neuron <i>j</i>: how much the loss changes when "
     r"\(z_j^{(l)}\) changes, \(\err{\delta_j^{(l)}} = \partial \mathcal{L} / \partial z_j^{(l)}\)."),
    (r"L,\; n_l", "L is the number of the output layer ([3,2,2,1] has L = 3); "
     "n<sub>l</sub> is the number of neurons in layer l."),
    (r"(l)", "a superscript in parentheses is always a layer number, never a power."),
    (r"\wt{\mathbf{W}^{(l)}}", "all weights of layer l as a matrix with n<sub>l</sub> rows and "
     "n<sub>l−1</sub> columns; bold letters are vectors or matrices."),
    (r"(\cdot)^T", r"transpose: rows become columns. In BP2, \((\wt{\mathbf{W}^{(l+1)}})^T\) "
     "sends the errors backwards along the same edges."),
    (r"\odot", r"the Hadamard product: multiply two vectors entry by entry, "
     r"\([\mathbf{u}\odot\mathbf{v}]_j = u_j v_j\)."),
    (r"\act{\sigma'}", "the slope of the activation at z: how strongly a neuron passes a change on."),
]

_COLOURS = [
    (r"\inp{x_k}", "inputs"),
    (r"\wt{w_{j,k}^{(l)}},\ \wt{b_j^{(l)}}", "weights and biases"),
    (r"\act{a_j^{(l)}},\ \act{\sigma'}", "activations and slopes σ′"),
    (r"\err{\delta_j^{(l)}},\ \err{\partial\mathcal{L}/\partial w}", "errors and gradients"),
]


def _bp1_rows(output: str | None, loss: str | None) -> list[tuple[str, str, str]]:
    """BP1 as it applies to (output, loss), with the general form it simplifies; without them,
    the elementwise form and every special form of the registry."""
    if output is not None and loss is not None:
        part = bp1_reference(output, loss)
        return [("BP1", f"output error, for {output} outputs with {LOSSES[loss].text}", part.latex)]
    return [("BP1", "output error, for an elementwise σ (each output depends on its own z)",
             HADAMARD.latex)] + [
        ("BP1", f"output error, for {out} outputs with {LOSSES[loss].text}", form.latex)
        for (out, loss), form in BP1_FORMS.items()]


def notation_html(palette: str = "okabe-ito", output: str | None = None,
                  loss: str | None = None) -> str:
    """HTML (with \\( … \\) maths) for the notation tab, coloured with ``palette``.

    With ``output`` and ``loss`` (the network's output activation and loss), BP1 is stated in the
    form that applies to them, beside the general form; without, every form is listed.
    """
    rows = "".join(f"<tr><td>\\({sym}\\)</td><td style='text-align:left'>{text}</td></tr>"
                   for sym, text in _ROWS)
    equations = _bp1_rows(output, loss) + [(tag, name, latex) for tag, name, _, latex in EQUATIONS]
    eqs = "".join(f"<tr><td><b>{tag}</b></td><td style='text-align:left'>{name}</td>"
                  f"<td>\\({latex}\\)</td></tr>" for tag, name, latex in equations)
    colours = "".join(f"<tr><td>\\({sym}\\)</td><td style='text-align:left'>{what}</td></tr>"
                      for sym, what in _COLOURS)
    body = (
        "<div class='bpw-table'>"
        "<h4>Symbols</h4><table>" + rows + "</table>"
        "<h4>The four equations</h4><table>" + eqs + "</table>"
        "<p>We number them as the worked example does: BP3 is the <b>weight</b> gradient and BP4 "
        "the <b>bias</b> gradient. Some textbooks number these two the other way round.</p>"
        "<h4>Colour code</h4><table>" + colours + "</table>"
        "<p>The colours are the Okabe–Ito palette, chosen to stay distinct for the common forms "
        "of colour blindness. In the diagram, neuron fill shows the activation a (light = low, "
        "dark green = high) and edge colour shows the sign and size of ∂L/∂w (or of w).</p>"
        "</div>"
    )
    return expand(body, palette)
