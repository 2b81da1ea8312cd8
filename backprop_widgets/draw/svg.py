"""The diagram as SVG: the static part from ``savefig`` (cached) + the changing parts, written here.

Everything that does not change on a slider drag (titles, legend, loss box) is what matplotlib's
public ``savefig`` writes with the changing artists hidden; it is cached until the colour bars or
the highlight state change. The changing artists are written directly on top: their positions
never change, so only colours, widths, dashes, strings and hover titles are formatted per render
(matplotlib spends ~25 µs per path on styles and lays every text out, ~0.5 ms each). Every
changing element has an ``id`` (``edge-w1-1-1``, ``node-1-2``, ``z-1-2``, ``b-1-2``,
``delta-1-2``, ``loss``, ``tick-lo``/``tick-hi``, ``halo``), one node or halo per line, so that
a page can tell which parts changed and patch them (``app/picture.py``).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Callable

import matplotlib as mpl
import numpy as np

from ..core import Trace
from .colours import DASH
from .hover import HoverTitles

if TYPE_CHECKING:
    from .figure import DiagramFigure

SVG_RC = {"svg.fonttype": "none", "svg.hashsalt": "backprop-widgets"}  # text as <text>, stable ids
ANCHOR = {"center": "middle", "left": "start", "right": "end"}
BASELINE = {
    "bottom": "text-after-edge",
    "top": "text-before-edge",
    "center": "central",
    "baseline": "auto",
    "center_baseline": "central",
}
HALO_STYLE = ";paint-order:stroke;stroke:#ffffff;stroke-width:3px;stroke-linejoin:round"


def hex_rgb(rgba: np.ndarray) -> list[str]:
    """``#rrggbb`` of every row of an ``(n, 3 or 4)`` array of colours in [0, 1]."""
    return [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in np.round(np.asarray(rgba)[:, :3] * 255).astype(int).tolist()]


def line_d(x0: float, y0: float, x1: float, y1: float, H: float) -> str:
    """An SVG path's ``d`` for a segment in display coordinates (y up) of a figure H high."""
    return f"M {x0:.2f} {H - y0:.2f} L {x1:.2f} {H - y1:.2f}"


class SvgWriter:
    """Writes one :class:`~backprop_widgets.draw.figure.DiagramFigure` as SVG text.

    Make a new writer when the figure's dpi changes (the cached geometry is in its units);
    call :meth:`forget_static` when something of the static part changed.
    """

    def __init__(self, fig: DiagramFigure, hover: HoverTitles) -> None:
        self.fig, self.hover = fig, hover
        self._static: str | None = None
        self._text_head: dict = {}  # per label: its <text> start (position is fixed)
        self._edges_d, self._nodes_g, self._scale = self._geometry()
        ids = {fig.loss_text: "loss", fig.edge_ticks[0]: "tick-lo", fig.edge_ticks[2]: "tick-hi"}
        for kind, texts in (("b", fig.bias_texts), ("z", fig.z_texts), ("delta", fig.delta_texts)):
            for (l, j), t in texts.items():
                ids[t] = f"{kind}-{l}-{j}"
        # one writer per changing artist, in drawing order; the numbers in the nodes are
        # written inside their node's <g>
        collections = {
            fig.edge_collection: self._edges,
            fig.node_collection: self._nodes,
            fig.halo_collection: self._halo,
        }
        self._writers: list[Callable[[Trace], str]] = []
        for artist in fig.dynamic:
            if artist in collections:
                self._writers.append(collections[artist])
            elif isinstance(artist, mpl.text.Text) and artist in ids:
                ident = f' id="{ids[artist]}"'
                self._writers.append(lambda _, t=artist, i=ident: self._text(t, i))
            elif artist not in fig.values:  # a new kind of changing artist needs a writer
                raise TypeError(f"no SVG writer for {type(artist).__name__}")

    def forget_static(self) -> None:
        """The static part changed: ``savefig`` it again on the next render."""
        self._static = None

    def render(self, trace: Trace) -> str:
        """The whole figure as SVG text, for ``trace`` (which the figure shows)."""
        saved = {k: mpl.rcParams[k] for k in SVG_RC}
        mpl.rcParams.update(SVG_RC)  # cheaper than rc_context, which copies all rcParams
        try:
            out = [self._static_part()]
            out.extend(write(trace) for write in self._writers)
        finally:
            mpl.rcParams.update(saved)
        out.append("</svg>\n")
        return "".join(out)

    def _static_part(self) -> str:
        """The figure without the changing artists, as ``savefig`` writes it (no ``</svg>``)."""
        if self._static is None:
            shown = [(a, a.get_visible()) for a in self.fig.dynamic]
            for a, _ in shown:
                a.set_visible(False)
            try:
                buf = io.StringIO()
                self.fig.figure.savefig(buf, format="svg", metadata={"Date": None})
            finally:
                for a, visible in shown:
                    a.set_visible(visible)
            text = buf.getvalue()
            self._static = text[: text.rindex("</svg>")]
        return self._static

    def _geometry(self) -> tuple[list[str], list[str], float]:
        """Per edge its ``<path`` start (id, d); per node its ``<rect`` geometry: fixed."""
        fig = self.fig
        H = fig.figure.bbox.height
        pts = fig.ax.transData.transform(fig.segments.reshape(-1, 2)).reshape(-1, 2, 2)
        edges = [
            f'<path id="edge-{str(p).replace(",", "-")}" d="{line_d(x0, y0, x1, y1, H)}" style="stroke:'
            for p, ((x0, y0), (x1, y1)) in zip(fig.topology.params, pts.tolist())
        ]
        s = fig.figure.dpi / fig.dpi  # figure px → SVG units
        w, h = fig.layout.box[0] * s, fig.layout.box[1] * s
        centres = fig.ax.transData.transform(fig.xy)
        nodes = [
            f'<g id="node-{l}-{j}"><title>{{}}</title><rect x="{cx - w / 2:.2f}" '
            f'y="{H - cy - h / 2:.2f}" width="{w:.2f}" height="{h:.2f}" rx="{h / 2:.2f}" '
            'style="fill:'
            for (l, j), (cx, cy) in zip(fig.topology.nodelist, centres.tolist())
        ]
        return edges, nodes, s

    def _text(self, t, ident: str = "") -> str:
        """A changing label as one SVG ``<text>``: only its string, size, colour and weight are
        formatted. A white outline (``paint-order: stroke``) keeps it readable on any background
        (not inside a node)."""
        key = (id(t), t.get_position())
        head = self._text_head.get(key)
        if head is None:
            x, y = t.get_transform().transform(t.get_position())
            fp = t.get_fontproperties()
            halo = "" if t in self.fig.values else HALO_STYLE
            head = (
                f'<text{ident} x="{x:.2f}" y="{self.fig.figure.bbox.height - y:.2f}" '
                f"style=\"font-family:'{fp.get_name()}',sans-serif;"
                f"text-anchor:{ANCHOR[t.get_horizontalalignment()]};"
                f"dominant-baseline:{BASELINE[t.get_verticalalignment()]}{halo}"
            )
            self._text_head[key] = head
        text = t.get_text()
        if not text or not t.get_visible():
            return ""
        r, g, b, a = mpl.colors.to_rgba(t.get_color(), t.get_alpha())
        weight = ";font-weight:bold" if t.get_fontweight() in ("bold", 700) else ""
        opacity = "" if a >= 1 else f";opacity:{a:.3g}"
        return (
            f"{head};font-size:{t.get_fontsize():.3g}px;"
            f"fill:#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
            f'{weight}{opacity}">{text}</text>\n'
        )

    def _edges(self, trace: Trace) -> str:
        """One ``<path>`` per edge in ``edgelist`` order, with its ``<title>``."""
        fig = self.fig
        rgba = fig.edge_collection.get_color()
        alpha = rgba[:, 3].tolist()
        widths = (fig.edge_px * self._scale).tolist()
        out = ['<g id="edges" style="fill:none;stroke-linecap:butt">\n']
        for start, colour, a, w, neg, title in zip(
            self._edges_d, hex_rgb(rgba), alpha, widths, fig.negative.tolist(), self.hover.edges(trace)
        ):
            opacity = "" if a >= 1 else f";stroke-opacity:{a:.3g}"
            dash = f";stroke-dasharray:{DASH[0] * w:.3g},{DASH[1] * w:.3g}" if neg else ""
            out.append(f'{start}{colour}{opacity};stroke-width:{w:.3g}{dash}"><title>{title}</title></path>\n')
        out.append("</g>\n")
        return "".join(out)

    def _nodes(self, trace: Trace) -> str:
        """Per node a ``<g id="node-l-j">`` with its ``<title>``, its pill (fill from the node
        colour map, rim) and the number inside it: one line per node."""
        fig = self.fig
        faces = fig.node_cmap(fig.node_norm(fig.node_collection.get_array()))
        rim_w = (fig.node_rim_px * self._scale).tolist()
        values = [fig.value_texts.get(n) for n in fig.topology.nodelist]
        out = ['<g id="nodes">\n']
        for start, fill, rim, a, rw, title, t in zip(
            self._nodes_g,
            hex_rgb(faces),
            hex_rgb(fig.node_rim),
            fig.node_alpha.tolist(),
            rim_w,
            self.hover.nodes(trace),
            values,
        ):
            opacity = "" if a >= 1 else f";opacity:{a:.3g}"
            out.append(f'{start.format(title)}{fill};stroke:{rim};stroke-width:{rw:.3g}{opacity}"/>')
            if t is not None:
                out.append(self._text(t).rstrip("\n"))
            out.append("</g>\n")
        out.append("</g>\n")
        return "".join(out)

    def _halo(self, trace: Trace) -> str:
        """The highlighted edges' outline (dark, then white where the edge runs): one line."""
        halo = self.fig.halo_collection
        segments = halo.get_segments()
        if not segments:
            return ""
        H, s = self.fig.figure.bbox.height, self.fig.figure.dpi / 72.0
        colours = hex_rgb(halo.get_color())
        widths = halo.get_linewidth()
        pts = self.fig.ax.transData.transform(np.concatenate(segments)).reshape(-1, 2, 2)
        out = ['<g id="halo" style="fill:none;stroke-linecap:butt">']
        for k, ((x0, y0), (x1, y1)) in enumerate(pts.tolist()):
            out.append(
                f'<path d="{line_d(x0, y0, x1, y1, H)}" '
                f'style="stroke:{colours[k % len(colours)]};'
                f'stroke-width:{widths[k % len(widths)] * s:.3g}"/>'
            )
        out.append("</g>\n")
        return "".join(out)
