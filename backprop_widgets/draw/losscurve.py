"""The training tab's loss curve: a small SVG, written directly.

A run of training shows its loss curve a few times a second, and the kernel handles no message
(Stop, an edit) while it draws one; matplotlib's Agg (ticks and labels, then the PNG) took
130–510 ms on a loaded 2-core machine, and this 3.3 ms there. The picture is plain: axes with round ticks (matplotlib's
``MaxNLocator``), a light grid, the loss as a polyline in the errors' colour, each step marked
while there are few.
"""

from __future__ import annotations

import html
from typing import Sequence

import numpy as np
from matplotlib.ticker import MaxNLocator

from ..core import fmt
from .colours import COLORS

#: the curve draws at most this many points (a long run: evenly spaced steps, the last included)
MAX_POINTS = 1000
#: up to this many steps each one is marked
MAX_MARKERS = 60


def summary(losses: Sequence[float]) -> str:
    """``L = 0.000467 after 20 steps``: the loss as the header prints it."""
    n = len(losses) - 1
    return f"L = {fmt(losses[-1], unicode=True)} after {n} step{'s' * (n != 1)}" if losses else ""


def plotted(losses: Sequence[float], limit: int = MAX_POINTS) -> tuple[list[int], list[float]]:
    """The steps the curve draws and their losses: every step, or ``limit`` evenly spaced ones
    with the first and the last (a 420 px curve shows no more)."""
    n = len(losses)
    if n <= limit:
        return list(range(n)), [float(v) for v in losses]
    steps = np.unique(np.round(np.linspace(0, n - 1, limit)).astype(int))
    return steps.tolist(), np.asarray(losses)[steps].tolist()


def tick_text(v: float) -> str:
    return f"{v:.3g}".replace("-", "−")


class LossCurve:
    """Loss against gradient-descent step: ``update(losses)``, then ``render()`` the SVG text."""

    def __init__(self, width: int = 420, height: int = 220):
        self.width, self.height = width, height
        self.left, self.right, self.top, self.bottom = 58, 24, 10, 40  # margins (px)
        self.losses = np.zeros(0)
        self.caption = ""

    def update(self, losses: Sequence[float]) -> None:
        self.losses = np.asarray(losses, dtype=float)
        self.caption = summary(losses)

    def limits(self) -> tuple[float, float, float, float]:
        """x from step 0 to the last (at least 1), y from the lowest loss to the highest, padded."""
        losses = self.losses if len(self.losses) else np.zeros(1)
        lo, hi = float(losses.min()), float(losses.max())
        pad = 0.05 * (hi - lo) or 0.05 * abs(hi) or 0.05
        return -0.5, max(len(losses) - 0.5, 1.0), lo - pad, hi + pad

    def points(self) -> list[tuple[float, float]]:
        """The drawn points in SVG coordinates (y grows downwards)."""
        x0, x1, y0, y1 = self.limits()
        w = self.width - self.left - self.right
        h = self.height - self.top - self.bottom
        steps, values = plotted(self.losses)
        return [
            (self.left + w * (s - x0) / (x1 - x0), self.top + h * (1 - (v - y0) / (y1 - y0)))
            for s, v in zip(steps, values)
        ]

    def render(self) -> str:
        x0, x1, y0, y1 = self.limits()
        W, H, left, top = self.width, self.height, self.left, self.top
        right, bottom = W - self.right, H - self.bottom
        colour = COLORS["error"]
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
            'font-family="sans-serif" font-size="11" class="bpw-loss-svg">',
            f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" fill="none" stroke="#444"/>',
        ]
        for t in MaxNLocator(nbins=5, integer=True).tick_values(max(x0, 0), x1):
            if max(x0, 0) <= t <= x1:
                x = left + (right - left) * (t - x0) / (x1 - x0)
                out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="#ddd"/>')
                out.append(f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle">{int(t)}</text>')
        for t in MaxNLocator(nbins=4).tick_values(y0, y1):
            if y0 <= t <= y1:
                y = top + (bottom - top) * (1 - (t - y0) / (y1 - y0))
                out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#ddd"/>')
                out.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{tick_text(t)}</text>')
        out.append(f'<text x="{(left + right) / 2}" y="{H - 6}" text-anchor="middle">gradient-descent step</text>')
        out.append(
            f'<text transform="translate(12 {(top + bottom) / 2}) rotate(-90)" text-anchor="middle">loss L</text>'
        )
        pts = self.points()
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        out.append(
            f'<polyline class="bpw-loss-line" points="{path}" fill="none" stroke="{colour}" stroke-width="1.5"/>'
        )
        if len(self.losses) <= MAX_MARKERS:
            out += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>' for x, y in pts]
        out.append(f"<title>{html.escape(self.caption)}</title></svg>")
        return "\n".join(out)
