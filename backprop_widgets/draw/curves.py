"""The Dataset tab's charts: train and test loss per epoch, and ‖∂L/∂W⁽ˡ⁾‖ per layer (log scale).

Small SVGs written directly, as the Train tab's loss curve is (``draw/losscurve.py``: matplotlib's
Agg took 100+ ms a chart on a loaded machine, this ~1-3 ms): axes with round ticks (matplotlib's
``MaxNLocator``; powers of ten on a log scale), a light grid, one polyline per series with a
legend. A long series is drawn at :data:`MAX_POINTS` evenly spaced points (the last included).
"""

from __future__ import annotations

import html
from typing import Sequence

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_hex
from matplotlib.ticker import MaxNLocator

from .colours import COLORS
from .losscurve import plotted, tick_text

#: points drawn per series at most
MAX_POINTS = 400
#: the smallest value a log scale shows (a gradient of exactly 0 is drawn there)
LOG_FLOOR = 1e-12


def layer_colours(L: int) -> list[str]:
    """A colour per layer, dark (layer 1) to light (layer L), from viridis."""
    cmap = colormaps["viridis"]
    return [to_hex(cmap(0.85 * i / max(L - 1, 1))) for i in range(L)]


class LineChart:
    """Lines against a step or epoch count: ``update(series)``, then ``render()`` the SVG text.

    ``series``: label → (values, colour, dashed); the value at index i is at x = i.
    """

    def __init__(self, xlabel: str, ylabel: str, log: bool = False, width: int = 380, height: int = 210):
        self.xlabel, self.ylabel, self.log = xlabel, ylabel, log
        self.width, self.height = width, height
        self.left, self.right, self.top, self.bottom = 58, 12, 10, 40
        self.series: dict[str, tuple[np.ndarray, str, bool]] = {}
        self.caption = ""

    def update(self, series: dict[str, tuple[Sequence[float], str, bool]], caption: str = "") -> None:
        self.series = {k: (np.asarray(v, dtype=float), c, d) for k, (v, c, d) in series.items()}
        self.caption = caption

    def _y(self, v: np.ndarray) -> np.ndarray:
        return np.log10(np.maximum(v, LOG_FLOOR)) if self.log else v

    def limits(self) -> tuple[float, float, float, float]:
        ys = [self._y(v) for v, _, _ in self.series.values() if len(v)]
        n = max((len(v) for v, _, _ in self.series.values()), default=1)
        lo, hi = (min(float(y.min()) for y in ys), max(float(y.max()) for y in ys)) if ys else (0.0, 1.0)
        if self.log:
            return 0, max(n - 1, 1), np.floor(lo), max(np.ceil(hi), np.floor(lo) + 1)
        pad = 0.05 * (hi - lo) or 0.05 * abs(hi) or 0.05
        return 0, max(n - 1, 1), min(lo - pad, 0.0) if lo >= 0 else lo - pad, hi + pad

    def render(self) -> str:
        x0, x1, y0, y1 = self.limits()
        W, H, left, top = self.width, self.height, self.left, self.top
        right, bottom = W - self.right, H - self.bottom

        def px(x: float) -> float:
            return left + (right - left) * (x - x0) / (x1 - x0)

        def py(y: float) -> float:
            return top + (bottom - top) * (1 - (y - y0) / (y1 - y0))

        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
            'font-family="sans-serif" font-size="11">',
            f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" fill="none" stroke="#444"/>',
        ]
        for t in MaxNLocator(nbins=5, integer=True).tick_values(x0, x1):
            if x0 <= t <= x1:
                out.append(f'<line x1="{px(t):.1f}" y1="{top}" x2="{px(t):.1f}" y2="{bottom}" stroke="#ddd"/>')
                out.append(f'<text x="{px(t):.1f}" y="{bottom + 14}" text-anchor="middle">{int(t)}</text>')
        yticks = np.arange(y0, y1 + 1) if self.log else MaxNLocator(nbins=4).tick_values(y0, y1)
        if self.log and len(yticks) > 7:
            yticks = yticks[:: int(np.ceil(len(yticks) / 6))]
        for t in yticks:
            if y0 <= t <= y1:
                label = f"1e{int(t)}".replace("-", "−") if self.log else tick_text(t)
                out.append(f'<line x1="{left}" y1="{py(t):.1f}" x2="{right}" y2="{py(t):.1f}" stroke="#ddd"/>')
                out.append(f'<text x="{left - 4}" y="{py(t) + 4:.1f}" text-anchor="end">{label}</text>')
        out.append(f'<text x="{(left + right) / 2}" y="{H - 6}" text-anchor="middle">{html.escape(self.xlabel)}</text>')
        out.append(
            f'<text transform="translate(12 {(top + bottom) / 2}) rotate(-90)" text-anchor="middle">'
            f"{html.escape(self.ylabel)}</text>"
        )
        for i, (label, (values, colour, dashed)) in enumerate(self.series.items()):
            xs, ys = plotted(self._y(values).tolist(), MAX_POINTS)
            path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(xs, ys))
            dash = ' stroke-dasharray="5 3"' if dashed else ""
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.6"{dash}>'
                f"<title>{html.escape(label)}</title></polyline>"
            )
            ly = top + 12 + 13 * i
            out.append(
                f'<line x1="{right - 70}" y1="{ly - 4}" x2="{right - 56}" y2="{ly - 4}" stroke="{colour}"{dash}/>'
            )
            out.append(f'<text x="{right - 52}" y="{ly}">{html.escape(label)}</text>')
        out.append(f"<title>{html.escape(self.caption)}</title></svg>")
        return "\n".join(out)


def loss_chart() -> LineChart:
    return LineChart("epoch", "mean loss L")


def loss_series(train: Sequence[float], test: Sequence[float]) -> dict:
    """The loss chart's lines: train solid, test dashed, both in the errors' colour."""
    out = {"train": (train, COLORS["error"], False)}
    if len(test):
        out["test"] = (test, COLORS["weight"], True)
    return out


def grad_chart() -> LineChart:
    return LineChart("gradient step", "‖∂L/∂W⁽ˡ⁾‖ (log)", log=True)


def grad_series(norms, L: int) -> dict:
    """One line per layer l = 1..L: column l − 1 of ``norms`` (steps, L)."""
    norms = np.asarray(norms, dtype=float).reshape(len(norms), L)
    colours = layer_colours(L)
    return {f"layer {l}": (norms[:, l - 1], colours[l - 1], False) for l in range(1, L + 1)}
