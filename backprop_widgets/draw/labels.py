"""The numbers written on the diagram, per neuron: its a in the node, z above, b and δ below.

Labels are :data:`~backprop_widgets.draw.text.LABEL_PX` px and stay inside their column's strip
(edges run between strips). Which kinds are shown is the layout's choice (``Layout.kinds``);
a number wider than its slot (rare: ≥ 10 or below 0.001 with a sign) is set smaller to fit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core import Trace
from ..explain.highlight import Highlight
from .colours import FADE, TEXT_COLORS
from .layout import SEP
from .text import LABEL_PX, label_number, node_name

if TYPE_CHECKING:
    from .figure import DiagramFigure

LABEL_FADE = FADE + 0.2  #: alpha of a label a highlight does not touch


def build_labels(fig: DiagramFigure) -> tuple[dict, dict, dict, dict, dict]:
    """The label texts by node: values (in the node), b, z, δ, and the inputs' "x₁" index."""
    lay = fig.layout
    w, h = lay.box
    kinds = lay.kinds
    values: dict = {}
    biases: dict = {}
    zs: dict = {}
    deltas: dict = {}
    index: dict = {}
    for node in fig.topology.nodelist:
        l, j = node
        x, y = fig.pos[node]
        if l == 0 and lay.index:
            index[node] = fig.text(x - w / 2 - 3, y, node_name(0, j, fig.L), ha="right", zorder=5)
        if "a" in kinds:
            t = fig.text(x, y, zorder=3)
            values[node] = t
            fig.slot[t] = (w - 6, LABEL_PX)
        if l == 0:
            continue
        below = y - h / 2 - SEP
        if "z" in kinds:
            t = fig.text(x, y + h / 2 + SEP, va="bottom", zorder=5)
            zs[node], fig.slot[t] = t, (w, LABEL_PX)
        if "b" in kinds:
            t = fig.text(x, below, color=TEXT_COLORS["weight"], va="top", zorder=5)
            biases[node], fig.slot[t] = t, (w, LABEL_PX)
            below -= lay.line + SEP
        if "delta" in kinds:
            t = fig.text(x, below, color=TEXT_COLORS["error"], va="top", zorder=5)
            deltas[node], fig.slot[t] = t, (w, LABEL_PX)
    return values, biases, zs, deltas, index


def write_labels(fig: DiagramFigure, trace: Trace, hl: Highlight | None) -> None:
    """Every label's string for ``trace``; what ``hl`` does not touch fades, its biases are bold."""

    def alpha(node, on: bool = False) -> float:
        return 1.0 if hl is None or on or node in hl.neurons else LABEL_FADE

    prefix = fig.layout.prefix
    for node, t in fig.value_texts.items():
        l, j = node
        v = label_number(trace.a[l][j - 1])
        if prefix:
            v = (f"{node_name(0, j, fig.L)} = " if l == 0 else "a = ") + v
        t.set_text(fig.fit(t, v))
        t.set_alpha(alpha(node))
    for node, t in fig.bias_texts.items():
        l, j = node
        t.set_text(fig.fit(t, f"b = {label_number(trace.biases[l - 1][j - 1])}"))
        on = hl is not None and node in hl.biases
        t.set_fontweight("bold" if on else "normal")
        t.set_alpha(alpha(node, on))
    for texts, name, values in ((fig.z_texts, "z", trace.z), (fig.delta_texts, "δ", trace.delta)):
        for node, t in texts.items():
            l, j = node
            t.set_text(fig.fit(t, f"{name} = {label_number(values[l][j - 1])}"))
            t.set_alpha(alpha(node))
