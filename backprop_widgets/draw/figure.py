"""The persistent matplotlib figure of one architecture: every artist, built once.

The axes fill the figure and their data coordinates are figure px (origin bottom-left), so the
:class:`~backprop_widgets.draw.layout.Layout` is used as is. Artists are built here directly
from the graph and the layout (networkx's ``draw_networkx_*`` would import pyplot): one
``LineCollection`` of edges in ``edgelist`` order, one ``PathCollection`` of nodes in
``nodelist`` order, the loss box, titles, number labels (``labels.py``) and the legend. What
changes on an update is listed in :attr:`DiagramFigure.dynamic` (animated: the writers draw it
over the cached rest); ``recolour.py`` changes it.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.path import Path

from ..explain.palette import NEUTRAL
from .colours import CODE_ROW, COLORS, DASH, HALO, NODE_LABEL, check_edge_mode, edge_colormap, node_colormap
from .graph import DiagramGraph
from .labels import build_labels
from .layout import PAD, Layout, legend_height
from .text import LABEL_PX, LEGEND_PX, TITLE_PX, fitting_px, text_width


def pill(w: float, h: float, n: int = 12) -> Path:
    """A closed stadium (a circle when w == h), centred on 0, as a polygon for the scatter."""
    r = h / 2
    c = max(w / 2 - r, 0.0)
    t1 = np.linspace(-np.pi / 2, np.pi / 2, n)
    t2 = np.linspace(np.pi / 2, 3 * np.pi / 2, n)
    pts = np.concatenate(
        [
            np.c_[c + r * np.cos(t1), r * np.sin(t1)],
            np.c_[-c + r * np.cos(t2), r * np.sin(t2)],
        ]
    )
    return Path(np.vstack([pts, pts[:1]]), closed=True)


def layer_title(l: int, L: int, short: bool) -> str:
    """A column's title: "input", "hidden 1", "output" (short: "in", "h1", "out")."""
    if short:
        return "in" if l == 0 else "out" if l == L else f"h{l}"
    return "input" if l == 0 else "output" if l == L else f"hidden {l}"


class DiagramFigure:
    """Figure, axes and artists of one architecture at ``width`` × ``height`` px.

    A :class:`~backprop_widgets.draw.diagram.NetworkDiagram` holds one as ``drawing``: its
    artists are ``diagram.drawing.<name>``. The current style, set by ``recolour.paint``, is kept beside them for
    the SVG writer: ``edge_px``, ``negative``, ``node_alpha``, ``node_rim``, ``node_rim_px``.
    """

    def __init__(self, topology: DiagramGraph, layout: Layout, width: int, height: int, dpi: int) -> None:
        self.topology, self.layout = topology, layout
        self.width, self.height, self.dpi = width, height, dpi
        self.L = L = len(topology.sizes) - 1
        nodelist = topology.nodelist
        self.pos = {node: layout.centre(*node) for node in nodelist}
        self.xy = np.array([self.pos[n] for n in nodelist])  # node centres, nodelist order
        fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
        FigureCanvasAgg(fig)
        self.figure = fig
        ax = fig.add_axes((0, 0, 1, 1))  # data coordinates = figure px
        ax.set_axis_off()
        ax.set_xlim(0, width)
        ax.set_ylim(0, height)
        ax.autoscale(False)
        self.ax = ax
        w, h = layout.box

        # edges: from the right side of the source to the left side of the destination, so
        # that the column strips (and the labels in them) stay free of edges
        self.segments = np.array(
            [
                [(self.pos[u][0] + w / 2, self.pos[u][1]), (self.pos[v][0] - w / 2, self.pos[v][1])]
                for u, v in topology.edgelist
            ]
        )
        self.edge_cmap = edge_colormap("gradient")
        self.edge_norm = Normalize(np.nan, np.nan)  # symmetric, set by every update
        self.halo_collection = LineCollection(
            [], colors=HALO, linewidths=1.0, zorder=0.9, capstyle="butt", label="halo"
        )
        ax.add_collection(self.halo_collection)
        self.edge_collection = LineCollection(
            self.segments, colors=NEUTRAL, linewidths=1.0, zorder=1, capstyle="butt", label="edges"
        )
        ax.add_collection(self.edge_collection)
        self.negative = np.zeros(len(self.segments), bool)  # which edges are dashed now

        # the loss: a box in its own column, joined to every output by a dotted line
        mid_y = float(np.mean(layout.ys[-1]))
        self.loss_xy = (layout.x_loss, mid_y)
        lb = layout.loss_box
        self.loss_links = LineCollection(
            [
                [(self.pos[n][0] + w / 2, self.pos[n][1]), (layout.x_loss - lb / 2, mid_y)]
                for n in nodelist
                if n[0] == L
            ],
            colors=COLORS["muted"],
            linewidths=self.pt(1.2),
            linestyles=":",
            zorder=1,
            label="loss links",
        )
        ax.add_collection(self.loss_links)
        self.loss_marker = ax.scatter(
            [layout.x_loss],
            [mid_y],
            s=self.pt(lb) ** 2,
            marker="s",
            c="white",
            edgecolors=COLORS["text"],
            linewidths=self.pt(1.5),
            zorder=3,
        )
        self.loss_glyph = ax.text(
            layout.x_loss,
            mid_y,
            "L",
            ha="center",
            va="center",
            fontsize=self.pt(TITLE_PX),
            color=COLORS["text"],
            zorder=4,
            fontweight="bold",
        )

        # nodes: one PathCollection in nodelist order, coloured through set_array
        self.node_cmap = node_colormap()
        self.node_norm = Normalize(np.nan, np.nan)  # set by the first update
        layer = np.array([l for l, _ in nodelist])
        self.rim_rgba = mpl.colors.to_rgba_array([COLORS["input"] if l == 0 else "#444444" for l in layer])
        self.rim_px = np.where(layer == 0, 2.5, 1.0)
        self.node_collection = ax.scatter(
            self.xy[:, 0],
            self.xy[:, 1],
            s=self.pt(max(w, h)) ** 2,
            marker=pill(w, h),
            c=np.zeros(len(self.xy)),
            cmap=self.node_cmap,
            norm=self.node_norm,
            edgecolors=self.rim_rgba,
            linewidths=self.pt(1) * self.rim_px,
            zorder=2,
        )

        # the current style, set by recolour.paint on every update (read by the SVG writer)
        self.edge_px = np.ones(len(self.segments))  # edge widths in px
        self.node_alpha = np.ones(len(nodelist))
        self.node_rim, self.node_rim_px = self.rim_rgba, self.rim_px
        self.node_dash: list = [None] * len(nodelist)  # a marked unit's ring (marks.py): (on, off) px
        self.node_notes: list[str] = [""] * len(nodelist)  # what a marked unit's hover title adds

        self.slot: dict = {}  # label → (slot width px, font px)
        self._build_titles()
        self.value_texts, self.bias_texts, self.z_texts, self.delta_texts, self.index_texts = build_labels(self)
        self.values = set(self.value_texts.values())  # written inside their nodes' <g>
        self._build_legend()

        # artists that change on update: drawn over the cached rest when rendering (titles,
        # legend and loss box change rarely: drawn once, again only when the writers forget)
        self.dynamic = sorted(
            [
                self.halo_collection,
                self.edge_collection,
                self.node_collection,
                self.loss_text,
                self.edge_ticks[0],
                self.edge_ticks[2],
                *self.value_texts.values(),
                *self.bias_texts.values(),
                *self.z_texts.values(),
                *self.delta_texts.values(),
            ],
            key=lambda a: a.get_zorder(),
        )
        for artist in self.dynamic:
            artist.set_animated(True)  # Figure.draw skips them; the writers draw them on top
            artist.set_clip_on(False)  # all lie inside the figure; no clip paths in the SVG

    def pt(self, px: float) -> float:
        """Figure px → points (font sizes, line widths, marker sizes)."""
        return px * 72.0 / self.dpi

    def text(self, x, y, s="", px=LABEL_PX, color=COLORS["text"], **kw):
        """A text at ``(x, y)`` figure px, ``px`` high, centred unless ``ha``/``va`` say."""
        kw.setdefault("ha", "center")
        kw.setdefault("va", "center")
        return self.ax.text(x, y, s, fontsize=self.pt(px), color=color, **kw)

    def fit(self, t, text: str) -> str:
        """Set ``t``'s font size so that ``text`` fits its slot (smaller only when it must)."""
        slot, px = self.slot[t]
        size = self.pt(fitting_px(text, slot, px))
        if size != t.get_fontsize():
            t.set_fontsize(size)
        return text

    def set_edge_mode(self, mode: str) -> None:
        """The edge colour map and its colour bar's title for ``mode`` (see ``EDGE_MODES``)."""
        self.edge_cmap = edge_colormap(mode)
        self.edge_bar.images[0].set_cmap(self.edge_cmap)
        self.edge_bar_label.set_text(check_edge_mode(mode).legend)

    def _build_titles(self) -> None:
        lay = self.layout
        ya, yb = lay.title_y
        for l, x in enumerate(lay.xs):
            self.text(x, ya, layer_title(l, self.L, lay.short_titles), TITLE_PX, va="top")
            self.text(x, yb, f"l = {l}", TITLE_PX, color=COLORS["muted"], va="top")
        self.text(lay.x_loss, ya, "loss", TITLE_PX, va="top")
        self.loss_text = self.text(lay.x_loss, yb, "L = ", TITLE_PX, va="top", zorder=4)
        left = lay.xs[-1] + text_width(f"l = {self.L}", TITLE_PX) / 2 + 6  # the output's title
        room = 2 * min(self.width - PAD - lay.x_loss, lay.x_loss - left)
        self.slot[self.loss_text] = (room, TITLE_PX)

    def _build_legend(self) -> None:
        """Two horizontal colour bars (nodes, edges) and a row naming the four colours."""
        row = 1.3 * LEGEND_PX
        top = PAD + legend_height()
        x0, x1 = PAD, self.width - PAD
        half = (x1 - x0 - 24) / 2
        bar_y = top - row - 3 - 9
        self.node_bar, self.node_ticks, self.node_bar_label = self._colour_bar(
            (x0, bar_y, half, 9), self.node_cmap, NODE_LABEL, sign=False
        )
        self.edge_bar, self.edge_ticks, self.edge_bar_label = self._colour_bar(
            (x1 - half, bar_y, half, 9), self.edge_cmap, check_edge_mode("gradient").legend, sign=True
        )
        # the colour code: a swatch and its meaning, spread over the width
        texts = [t for _, t in CODE_ROW]
        widths = [10 + 4 + text_width(t, LEGEND_PX) for t in texts]
        space = (x1 - x0 - sum(widths)) / (len(texts) - 1)
        x, y = x0, PAD + row / 2
        self.code_texts = []
        for (role, label), wd in zip(CODE_ROW, widths):
            self.ax.add_patch(Rectangle((x, y - 5), 10, 10, facecolor=COLORS[role], edgecolor="none", zorder=5))
            self.code_texts.append(self.text(x + 14, y, label, LEGEND_PX, ha="left", zorder=5))
            x += wd + space

    def _colour_bar(self, rect, cmap, label: str, sign: bool):
        x, y, w, h = rect
        fw, fh = self.width, self.height
        cax = self.figure.add_axes((x / fw, y / fh, w / fw, h / fh))
        cax.set_axis_off()
        cax.imshow(
            np.linspace(0, 1, 256)[None, :],
            aspect="auto",
            cmap=cmap,
            origin="lower",
            extent=(0, 1, 0, 1),
            interpolation="nearest",
        )
        cax.add_patch(
            Rectangle((0, 0), 1, 1, fill=False, lw=self.pt(0.8), edgecolor=COLORS["muted"], transform=cax.transAxes)
        )
        cax.set_xlim(0, 1)
        cax.set_ylim(0, 1)
        ticks_y = y - (7 if sign else 2)
        if sign:  # the line style of each half: dashed below 0, solid above
            lw = self.pt(1.5)
            self.ax.plot([x, x + w / 2 - 2], [y - 3.5, y - 3.5], color=COLORS["text"], lw=lw, ls=(0, DASH), zorder=5)
            self.ax.plot([x + w / 2 + 2, x + w], [y - 3.5, y - 3.5], color=COLORS["text"], lw=lw, zorder=5)
        ticks = [
            self.text(x + f * w, ticks_y, "", LEGEND_PX, ha=ha, va="top", zorder=5)
            for f, ha in ((0.0, "left"), (0.5, "center"), (1.0, "right"))
        ]
        title = self.text(x, y + h + 3, label, LEGEND_PX, ha="left", va="bottom", zorder=5)
        for t in ticks:
            self.slot[t] = (w / 3 - 4, LEGEND_PX)
        return cax, ticks, title
