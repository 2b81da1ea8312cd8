"""One update: the figure's changing artists set from a trace and a highlight, in place.

Nodes: one ``set_array`` (a on a norm spanning [0, 1] and any value outside it). Edges: one
vectorised ``cmap(norm(values))`` on a symmetric norm, width from the magnitude, dashed when
negative. A highlight fades everything it does not touch, widens and outlines (halo) its edges
and thickens its nodes' rims. No artist is created here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib as mpl
import numpy as np

from ..core import Trace
from ..explain.highlight import Highlight
from .colours import COLORS, DASH, EDGE_WIDTH, FADE, HALO, HALO_EXTRA, HALO_MAX_EDGES, check_edge_mode, nice
from .graph import node_values
from .labels import write_labels
from .text import label_number

if TYPE_CHECKING:
    from .figure import DiagramFigure


def paint(fig: DiagramFigure, trace: Trace, hl: Highlight | None, edge_mode: str, numbers: bool = True) -> tuple:
    """Show ``trace`` with ``hl`` emphasised (``None``: nothing) and edges by ``edge_mode``;
    ``numbers=False`` writes no number at all, not even the loss.

    Returns the state of the static part (colour-bar ends, highlight or not): when it changes,
    the cached static picture is stale.
    """
    topo = fig.topology
    on_e = on_n = None  # what the highlight touches, by edge and by node
    if hl is not None:
        on_e = np.zeros(len(topo.edgelist), bool)
        on_e[[topo.edge_index[e] for e in hl.edges if e in topo.edge_index]] = True
        on_n = np.zeros(len(topo.nodelist), bool)
        on_n[[topo.node_index[n] for n in hl.neurons if n in topo.node_index]] = True
    lo, hi = _paint_nodes(fig, node_values(trace), on_n)
    _paint_edges(fig, check_edge_mode(edge_mode).values(trace), on_e)
    pt = fig.pt(1.0)
    loss_on = hl is None or hl.loss
    fig.loss_marker.set_linewidth((3.0 if hl is not None and hl.loss else 1.5) * pt)
    fig.loss_marker.set_alpha(1.0 if loss_on else FADE + 0.1)
    fig.loss_links.set_alpha(1.0 if loss_on else FADE)
    loss = f"L = {label_number(trace.loss)}" if numbers else "L"
    fig.loss_text.set_text(fig.fit(fig.loss_text, loss))
    write_labels(fig, trace, hl)
    return lo, hi, edge_mode, hl is None, hl is not None and hl.loss


def _paint_nodes(fig: DiagramFigure, a: np.ndarray, on: np.ndarray | None) -> tuple[float, float]:
    """Node fill from ``a``, the colour bar's ends (and its 0 tick) when they move, and the
    rims and alphas of a highlight (``on``: the nodes it touches)."""
    norm, ticks = fig.node_norm, fig.node_ticks
    lo, hi = nice(min(0.0, float(a.min()))), nice(max(1.0, float(a.max())))
    if (lo, hi) != (norm.vmin, norm.vmax):
        with norm.callbacks.blocked():
            norm.vmin, norm.vmax = lo, hi
        ticks[0].set_text(fig.fit(ticks[0], label_number(lo)))
        ticks[2].set_text(fig.fit(ticks[2], label_number(hi)))
        zero = -lo / (hi - lo)  # where 0 sits on the bar: a tick there, if it has room
        ticks[1].set_text("0.0" if 0.25 <= zero <= 0.75 else "")
        x0, x1 = ticks[0].get_position()[0], ticks[2].get_position()[0]
        ticks[1].set_x(x0 + zero * (x1 - x0))
    fig.node_collection.set_array(a)
    alpha = np.ones(len(a))
    rim_px = fig.rim_px.copy()
    rim = fig.rim_rgba.copy()
    if on is not None:
        alpha[~on] = FADE + 0.1
        rim_px[on] = 2.5
        rim[on & (fig.rim_px < 2), :] = mpl.colors.to_rgba(COLORS["text"])
        rim[:, 3] = alpha
    fig.node_collection.set_alpha(alpha)
    fig.node_collection.set_edgecolor(rim)
    fig.node_collection.set_linewidth(rim_px * fig.pt(1.0))
    fig.node_alpha, fig.node_rim, fig.node_rim_px = alpha, rim, rim_px
    return lo, hi


def _paint_edges(fig: DiagramFigure, g: np.ndarray, on: np.ndarray | None) -> None:
    """Edge colours, widths and dashes from the values ``g``; a highlight's edges (``on``)
    stay, at least 2.5 px wide and outlined by the halo when few, and the rest fade."""
    m = nice(float(np.abs(g).max())) or 1.0
    if m != fig.edge_norm.vmax:
        fig.edge_norm.vmin, fig.edge_norm.vmax = -m, m
        for t, v in zip(fig.edge_ticks, (-m, 0.0, m)):
            t.set_text(fig.fit(t, label_number(v)))
    rgba = fig.edge_cmap(fig.edge_norm(g))
    widths = EDGE_WIDTH[0] + (EDGE_WIDTH[1] - EDGE_WIDTH[0]) * np.minimum(np.abs(g) / m, 1.0)
    halo = np.zeros(0, int)
    if on is not None:
        rgba[~on, 3] = FADE
        widths = np.where(on, np.maximum(widths, 2.5), widths)
        if on.sum() <= HALO_MAX_EDGES:
            halo = np.flatnonzero(on)
    pt = fig.pt(1.0)
    # the halo: a dark outline, then white where the edge goes (seen in a dashed one's gaps)
    fig.halo_collection.set_segments(np.concatenate([fig.segments[halo]] * 2))
    fig.halo_collection.set_color([HALO] * len(halo) + ["white"] * len(halo))
    fig.halo_collection.set_linewidth(np.concatenate([widths[halo] + HALO_EXTRA, widths[halo]]) * pt)
    fig.edge_collection.set_color(rgba)
    fig.edge_collection.set_linewidth(widths * pt)
    negative = g < 0
    if not np.array_equal(negative, fig.negative):  # set_linewidth scales the dashes
        fig.edge_collection.set_linestyle([(0, DASH) if n else "solid" for n in negative.tolist()])
        fig.negative = negative
    fig.edge_px = widths
