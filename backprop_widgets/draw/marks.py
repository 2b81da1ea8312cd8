"""Saturated and dead units on the diagram: a thick dark ring, dashed (saturated) or dotted (dead),
and a sentence added to the node's hover title.

The marks are the core's (:func:`~backprop_widgets.core.unit_marks`): this module only draws them,
after :func:`.recolour.paint` has set every rim from the trace (so a unit no longer marked loses
its ring on the next update). The ring is the text colour, not a colour of the code: no colour
means two things. :data:`LEGEND` says what the rings mean, for the view to show beside the picture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib as mpl
import numpy as np

from ..core import UnitMarks
from .colours import COLORS

if TYPE_CHECKING:
    from .figure import DiagramFigure

#: the ring's width in px, and its dashes (in units of its width) for each mark
RING_PX = 3.0
DASHES = {"saturated": (2.0, 1.0), "dead": (0.5, 1.0)}
#: what the rings mean, in words (the view shows it under the picture when a unit is marked)
LEGEND = {"saturated": "dashed ring: saturated", "dead": "dotted ring: dead"}


def apply_marks(fig: "DiagramFigure", marks: UnitMarks | None) -> None:
    """Ring the marked units (``None``: none) and set the notes their hover titles add:
    ``fig.node_dash`` (per node ``None`` or (on, off) in px) and ``fig.node_notes`` (per node '')."""
    nodelist = fig.topology.nodelist
    dash: list = [None] * len(nodelist)
    notes = [""] * len(nodelist)
    if marks is not None and (marks.saturated or marks.dead):
        rim = np.array(fig.node_rim, dtype=float)
        rim_px = np.array(fig.node_rim_px, dtype=float)
        ring = mpl.colors.to_rgba(COLORS["text"])
        for kind, units in (("saturated", marks.saturated), ("dead", marks.dead)):
            on, off = DASHES[kind]
            for unit in units:
                n = fig.topology.node_index.get(unit)
                if n is None:
                    continue
                rim[n, :3] = ring[:3]
                rim_px[n] = RING_PX
                dash[n] = (on * RING_PX, off * RING_PX)
                notes[n] = marks.title(*unit)
        fig.node_rim, fig.node_rim_px = rim, rim_px
        fig.node_collection.set_edgecolor(rim)
        fig.node_collection.set_linewidth(rim_px * fig.pt(1.0))
    fig.node_collection.set_linestyle([(0, (d[0] / RING_PX, d[1] / RING_PX)) if d else "solid" for d in dash])
    fig.node_dash, fig.node_notes = dash, notes


def legend(marks: UnitMarks | None) -> str:
    """What the rings on the diagram mean ('' when nothing is marked)."""
    if marks is None:
        return ""
    out = []
    if marks.saturated:
        out.append(
            f"{LEGEND['saturated']} (σ′ < {marks.threshold:g}: passes on less than "
            f"{100 * marks.threshold:.4g}% of the error reaching it)"
        )
    if marks.dead:
        out.append(f"{LEGEND['dead']} (zero on all {marks.m} samples of the batch)")
    return "; ".join(out)
