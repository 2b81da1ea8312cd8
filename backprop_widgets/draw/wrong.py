"""The check's picture: the diagram of the network a student's backward got wrong, with the
wrong quantity in the error colour and everything else faded.

The diagram's own highlight (:mod:`.recolour`) fades what it does not touch and outlines its
edges (the halo) and its neurons' rims in dark grey; here the wrong edge's outline, or the
wrong neuron's rim, turns the error colour (crimson, ``COLORS["error"]``), so the wrong number
stands out from the two neurons an edge joins. Only the figure's existing artists change.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np

from ..core import Trace
from ..explain.highlight import Highlight
from .colours import COLORS
from .diagram import NetworkDiagram

#: the rim of a wrong neuron, in px (the highlight's rims are 2.5)
WRONG_RIM_PX = 4.0


def mark_wrong(diagram: NetworkDiagram, trace: Trace, wrong: Highlight) -> None:
    """Show ``trace`` on ``diagram`` with ``wrong`` emphasised in the error colour: its edges'
    outlines when it has edges (a weight's gradient), else its neurons' rims (a δ or a bias's
    gradient). The rest is faded, as any highlight fades it."""
    diagram.update(trace, wrong)
    fig = diagram.drawing
    red = mpl.colors.to_rgba(COLORS["error"])
    if wrong.edges:
        # the halo is its edges' dark outlines, then as many white insides (recolour.py)
        colours = fig.halo_collection.get_colors()
        n = len(colours) // 2
        colours[:n] = red
        fig.halo_collection.set_color(colours)
        return
    on = np.array([node in wrong.neurons for node in diagram.nodelist])
    rim, rim_px = fig.node_rim.copy(), fig.node_rim_px.copy()
    rim[on, :3], rim_px[on] = red[:3], WRONG_RIM_PX
    fig.node_collection.set_edgecolor(rim)
    fig.node_collection.set_linewidth(rim_px * fig.pt(1.0))
    fig.node_rim, fig.node_rim_px = rim, rim_px  # what the SVG writer draws
