"""The diagram as PNG: Agg pixels of the static part (cached) + the changing artists, via Pillow.

Pillow at zlib level 1: PNG encoding at matplotlib's default level costs more than drawing, and
a mostly white picture compresses well anyway. Agg lays every number out (~0.5 ms each), so
PNG is for the large nets, which carry no numbers.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

if TYPE_CHECKING:
    from .figure import DiagramFigure


def png_bytes(rgba: np.ndarray, level: int = 1) -> bytes:
    """Encode an ``(h, w, 4)`` uint8 image as an RGB PNG with Pillow (zlib at ``level``: fast,
    and a mostly white picture compresses well anyway)."""
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgba[:, :, :3])).save(buf, format="png", compress_level=level)
    return buf.getvalue()


class PngWriter:
    """Renders one :class:`~backprop_widgets.draw.figure.DiagramFigure` as PNG bytes."""

    def __init__(self, fig: DiagramFigure) -> None:
        self.fig = fig
        self._background = None  # Agg pixels of the static part

    def forget_static(self) -> None:
        """The static part changed: draw it again on the next render."""
        self._background = None

    def render(self, trace: object = None) -> bytes:
        """The whole figure as PNG bytes (the figure already shows the trace)."""
        figure = self.fig.figure
        canvas = figure.canvas
        if self._background is None:
            canvas.draw()  # everything but the animated (changing) artists
            self._background = canvas.copy_from_bbox(figure.bbox)
        canvas.restore_region(self._background)
        for artist in self.fig.dynamic:
            figure.draw_artist(artist)
        return png_bytes(np.asarray(canvas.buffer_rgba()))
