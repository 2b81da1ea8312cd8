"""The training tab's loss curve: one small persistent matplotlib figure, updated in place."""

from __future__ import annotations

import io
from typing import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..core import fmt
from .colours import COLORS


def summary(losses: Sequence[float]) -> str:
    """``L = 0.000467 after 20 steps``: the loss as the header prints it."""
    n = len(losses) - 1
    return f"L = {fmt(losses[-1], unicode=True)} after {n} step{'s' * (n != 1)}" if losses else ""


#: the curve draws at most this many points (a long run: evenly spaced steps, the last included)
MAX_POINTS = 1000
#: up to this many steps each one is marked
MAX_MARKERS = 60


def plotted(losses: Sequence[float], limit: int = MAX_POINTS) -> tuple[list[int], list[float]]:
    """The steps the curve draws and their losses: every step, or ``limit`` evenly spaced ones
    with the first and the last (a 420 px curve shows no more; drawing 100 000 costs ~0.3 s)."""
    n = len(losses)
    steps = list(range(n)) if n <= limit else sorted({round(i * (n - 1) / (limit - 1)) for i in range(limit)})
    return steps, [losses[i] for i in steps]


class LossCurve:
    """Loss against gradient-descent step; ``render()`` returns PNG bytes."""

    def __init__(self, width: int = 420, height: int = 220, dpi: int = 100):
        self.figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
        FigureCanvasAgg(self.figure)
        self.ax = self.figure.add_subplot()
        (self.line,) = self.ax.plot([], [], color=COLORS["error"], marker="o", markersize=3, lw=1.5)
        self.ax.set_xlabel("gradient-descent step")
        self.ax.set_ylabel("loss L")
        self.ax.grid(alpha=0.3)
        self.figure.tight_layout()

    def update(self, losses: Sequence[float]) -> None:
        steps, values = plotted(losses)
        self.line.set_data(steps, values)
        self.line.set_marker("o" if len(losses) <= MAX_MARKERS else "")
        if losses:
            lo, hi = min(losses), max(losses)
            pad = 0.05 * (hi - lo) or 0.05 * abs(hi) or 0.05
            self.ax.set_xlim(-0.5, max(len(losses) - 0.5, 1))
            self.ax.set_ylim(lo - pad, hi + pad)
        self.ax.set_title(summary(losses))

    def render(self) -> bytes:
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", pil_kwargs={"compress_level": 1})
        return buf.getvalue()
