"""Hit-testing a click on the diagram: which node or edge is under a point.

Nodes win over the edges that end at them; where edges cross, the one drawn last (on top)
wins. Coordinates are figure px, which are the axes' data coordinates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..core import Param

if TYPE_CHECKING:
    from .figure import DiagramFigure


def hit(fig: DiagramFigure, px: float, py: float, tol_px: float) -> "tuple | Param | None":
    """The node ``(l, j)`` under ``(px, py)``, else the :class:`Param` of the nearest edge
    within ``tol_px``, else ``None``."""
    w, h = fig.layout.box
    dx, dy = np.abs(fig.xy[:, 0] - px), np.abs(fig.xy[:, 1] - py)
    # a stadium: the distance to its centre line, within h/2 (and 2 px of slack)
    d = np.hypot(np.maximum(dx - max(w / 2 - h / 2, 0.0), 0.0), dy)
    i = int(np.argmin(d))
    if d[i] <= h / 2 + 2:
        return fig.topology.nodelist[i]
    a, b = fig.segments[:, 0], fig.segments[:, 1]
    ab = b - a
    p = np.array([px, py])
    t = np.clip(np.einsum("ij,ij->i", p - a, ab) / np.maximum(np.einsum("ij,ij->i", ab, ab), 1e-12), 0, 1)
    d = np.hypot(*(a + t[:, None] * ab - p).T)
    # where edges cross (within half a px), the one drawn last: it is the one on top
    i = int(np.flatnonzero(d <= d.min() + 0.5)[-1])
    return fig.topology.params[i] if d[i] <= tol_px else None
