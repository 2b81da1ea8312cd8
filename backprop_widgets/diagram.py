"""The network diagram: a networkx graph drawn once with matplotlib, recoloured in place.

::

    d = NetworkDiagram(net.sizes)       # graph, layout, figure and artists: once per architecture
    d.update(trace, highlight=None)     # recolour nodes/edges, rewrite labels — no new artists
    data = d.render()                   # str (SVG) or bytes (PNG), see ``d.format``

The graph
    ``d.graph`` is a :class:`networkx.DiGraph` with node ``(l, j)`` for every neuron, inputs
    included (layer ``l = 0``); ``j`` is **1-based**, as in the notation and in
    :class:`~backprop_widgets.highlight.Highlight`. Each weight w_{j,k}⁽ˡ⁾ is the edge
    ``(l-1, k) → (l, j)`` with attributes ``l, j, k, w, grad`` (``w`` and ``grad`` are refreshed
    by :meth:`NetworkDiagram.update`). ``d.nodelist`` / ``d.edgelist`` fix the drawing order:
    edges run ``l = 1..L``, then row ``j``, then column ``k``, so edge ``i`` is entry ``i`` of
    ``np.concatenate([trace.grad_W[l].ravel() for l in 1..L])``.

Colours
    Node fill: activation a on a sequential map (``YlGn``), inputs drawn with an orange rim.
    Edges: ∂L/∂w (or, with ``edge_mode="weight"``, the weight w — what TF Playground shows) on
    the diverging ``PuOr`` map with a symmetric norm centred on 0: **orange/brown = negative,
    purple = positive**, light grey near 0 (PuOr's white centre would vanish on the white
    page). PuOr does not reuse the weight blue. Line width grows with the magnitude. Text labels use the Okabe–Ito colour code of the page: inputs orange,
    weights/biases blue, activations green, errors red.

Sizes (:func:`check_size`)
    Labels (a, b, x, and optionally z and δ) are drawn when the net has ≤ 6 layers and ≤ 8
    units in every layer (``labels="auto"``); z and δ lines need ≤ 3 units a layer to fit. Up to
    64 units a layer and 10 layers are drawn without labels (and so without the biases, which
    are labels "b = …" below each neuron). Anything larger raises
    :class:`DiagramTooLarge` (a ``ValueError``) with a message a student can act on.

Speed (``benchmarks/bench_diagram.py``)
    Everything that does not change on a slider drag (titles, colour bars, loss marker) is drawn
    once and cached: as SVG text, or as Agg pixels for PNG. Each render draws only the changing
    artists on top. In SVG the edges and the number labels are written directly (their
    positions never change, only colours, widths and strings are formatted), so an update +
    render costs ~2 ms for the seed net and ~5 ms for [8,16,16,8,4], against 34 / 92 ms for a
    naive redraw (new Figure + ``nx.draw_networkx`` + ``savefig``). PNG (Agg, zlib level 1, no
    row filters) costs ~25 ms for either, half of it encoding. ``format="auto"`` picks SVG
    (crisp on HiDPI) up to :data:`SVG_MAX_EDGES` edges and PNG above, where the SVG text would
    pass ~1 MB (the largest allowed net, 29 056 edges: SVG 127 ms / 2.5 MB, PNG 0.4 s / 150 kB).

A new architecture needs a new diagram: the dashboard should keep one ``NetworkDiagram`` and
rebuild it when ``tuple(net.sizes) != d.sizes``; :meth:`NetworkDiagram.update` raises
``ValueError`` for a trace of another architecture.

Library code never imports pyplot (networkx's ``draw_networkx_*`` do, so the artists are built
here directly from the networkx graph and layout). Generate the README picture with
``python -m backprop_widgets.diagram notebooks/images/seed-diagram.png``.
"""

from __future__ import annotations

import io
import struct
import sys
import zlib
from typing import Iterable, Sequence

import matplotlib as mpl
import networkx as nx
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .core import Param, Trace, check_sizes
from .core import sub as _sub
from .highlight import Highlight, paths_highlight
from .numfmt import fmt as _numfmt
from .palette import hex_colour

__all__ = [
    "NetworkDiagram", "DiagramTooLarge", "check_size", "paths_highlight", "COLORS",
    "MAX_LAYERS", "MAX_UNITS", "LABEL_MAX_LAYERS", "LABEL_MAX_UNITS", "save_seed_picture",
]

# --- limits and colours ----------------------------------------------------------------------

MAX_LAYERS = 10  #: more layers (counting the input) than this: no figure
MAX_UNITS = 64  #: more neurons in one layer than this: no figure
LABEL_MAX_LAYERS = 6  #: number labels only up to this many layers …
LABEL_MAX_UNITS = 8  #: … and this many neurons in every layer
DETAIL_MAX_UNITS = 3  #: z and δ lines (extra flags) only up to this many neurons a layer
SVG_MAX_EDGES = 10_000  #: ``format="auto"``: SVG up to this many edges, PNG above (payload)

_SVG_RC = {"svg.fonttype": "none", "svg.hashsalt": "backprop-widgets"}  # text as <text>, stable ids

#: The Okabe–Ito colour code of the page (DESIGN.md).
COLORS = {
    "input": hex_colour("inp"),  # inputs x: orange
    "weight": hex_colour("wt"),  # weights w, biases b: blue
    "activation": hex_colour("act"),  # activations a, σ′: bluish green
    "error": hex_colour("err"),  # errors δ, gradients ∂L/∂w: vermillion
    "text": "#222222",
    "muted": "#8a8a8a",
}
NODE_CMAP = "YlGn"
EDGE_CMAP = "PuOr"  #: the diverging map edges use, with its white centre turned light grey
FADE = 0.15  #: alpha of what a highlight does not touch
EDGE_WIDTH = (0.8, 5.0)  #: line width for |value| = 0 and for the largest |value|
HALO = "#3a3a3a"  #: dark outline under highlighted edges …
HALO_MAX_EDGES = 40  #: … when a highlight has at most this many (more turn into a dark mass)

EDGE_LABELS = {
    "gradient": "edges: gradient ∂L/∂w\n(orange − , purple +)",
    "weight": "edges: weight w\n(orange − , purple +)",
}


def edge_colormap() -> mpl.colors.Colormap:
    """PuOr with a light-grey centre, so that an edge with ∂L/∂w ≈ 0 stays visible on white."""
    base = mpl.colormaps[EDGE_CMAP]
    colors = base(np.linspace(0, 1, 256))
    t = 1 - np.abs(np.linspace(-1, 1, 256))  # 1 at the centre, 0 at both ends
    grey = np.array(mpl.colors.to_rgba("#b8b8b8"))
    colors = colors * (1 - 0.9 * t[:, None] ** 3) + grey * 0.9 * t[:, None] ** 3
    return mpl.colors.ListedColormap(colors, name="PuOr_grey")


class DiagramTooLarge(ValueError):
    """The network has too many layers or neurons to draw legibly."""


def check_size(sizes: Sequence[int]) -> list[int]:
    """Validate ``sizes`` for drawing; raise :class:`DiagramTooLarge` beyond the limits.

    At most :data:`MAX_LAYERS` layers (input included) and :data:`MAX_UNITS` neurons in a layer.
    """
    sizes = check_sizes(sizes)
    if len(sizes) > MAX_LAYERS:
        raise DiagramTooLarge(
            f"the diagram shows at most {MAX_LAYERS} layers (input included); this network "
            f"{list(sizes)} has {len(sizes)}: remove some hidden layers."
        )
    big = [(l, n) for l, n in enumerate(sizes) if n > MAX_UNITS]
    if big:
        l, n = big[0]
        raise DiagramTooLarge(
            f"the diagram shows at most {MAX_UNITS} neurons in a layer; layer {l} of "
            f"{list(sizes)} has {n}: use a smaller layer."
        )
    return sizes


def labels_fit(sizes: Sequence[int]) -> bool:
    """Whether number labels fit: ≤ :data:`LABEL_MAX_LAYERS` layers, ≤ :data:`LABEL_MAX_UNITS` a layer."""
    return len(sizes) <= LABEL_MAX_LAYERS and max(sizes) <= LABEL_MAX_UNITS


def png_bytes(rgba: np.ndarray, level: int = 1) -> bytes:
    """Encode an ``(h, w, 4)`` uint8 image as an RGB PNG: zlib at ``level``, no row filters.

    Measured on the 800×500 [8,16,16,8,4] diagram: 9.8 ms and 219 kB, where Pillow's
    ``save(format="png", compress_level=1)`` takes 16.5 ms for 243 kB (its adaptive row filters
    cost more than they save on a mostly white picture); the seed net 5 ms.
    """
    h, w = rgba.shape[:2]
    rows = np.empty((h, 1 + 3 * w), np.uint8)
    rows[:, 0] = 0  # filter type "none" on every row
    rows[:, 1:].reshape(h, w, 3)[...] = rgba[:, :, :3]

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    return b"".join([
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)),  # 8-bit RGB
        chunk(b"IDAT", zlib.compress(rows.tobytes(), level)),
        chunk(b"IEND", b""),
    ])


def fmt(v: float) -> str:
    """A number as the page prints it (``numfmt.fmt`` in text form: 0.8997, −0.00212, 1.0)."""
    return _numfmt(float(v), unicode=True)




# --- the diagram -----------------------------------------------------------------------------


class NetworkDiagram:
    """A persistent matplotlib drawing of one architecture, recoloured by :meth:`update`.

    Parameters
    ----------
    sizes : layer sizes ``[n_0, …, n_L]``; beyond :func:`check_size` raises DiagramTooLarge
    edge_mode : ``"gradient"`` (colour edges by ∂L/∂w) or ``"weight"`` (by w); settable later
    labels : ``"auto"`` (when :func:`labels_fit`), ``True`` or ``False``: a, b and x values
    show_z, show_delta : extra lines z_j and δ_j per neuron (only when ≤ 3 neurons a layer)
    format : ``"auto"`` (SVG up to :data:`SVG_MAX_EDGES` edges, else PNG), ``"svg"``, ``"png"``
    width, height, dpi : figure size in pixels (default 800 × 500) and dots per inch

    Attributes for views and tests: ``graph``, ``sizes`` (tuple), ``nodelist``, ``edgelist``,
    ``params`` (the :class:`Param` of each edge), ``pos`` (node → (x, y)), ``figure``, ``ax``,
    ``node_collection`` (PathCollection; its array is a in ``nodelist`` order),
    ``edge_collection`` (LineCollection in ``edgelist`` order; ``get_color()``,
    ``get_linewidth()``), ``halo_collection`` (outline under highlighted edges), ``node_norm``,
    ``edge_norm`` (symmetric), ``node_cmap``, ``edge_cmap``, ``value_texts`` / ``bias_texts`` /
    ``z_texts`` / ``delta_texts`` (dicts by node, empty without labels), ``loss_text``,
    ``loss_marker``, ``loss_links``, ``node_bar`` / ``edge_bar`` (colour-bar axes),
    ``node_ticks`` / ``edge_ticks`` (their three tick Texts), ``node_bar_label`` /
    ``edge_bar_label``, ``format``, ``edge_mode``, ``labels``, ``trace``, ``highlight``.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        *,
        edge_mode: str = "gradient",
        labels: "bool | str" = "auto",
        show_z: bool = False,
        show_delta: bool = False,
        format: str = "auto",
        width: int = 800,
        height: int = 500,
        dpi: int = 100,
    ) -> None:
        self.sizes: tuple[int, ...] = tuple(check_size(sizes))
        if format not in ("auto", "svg", "png"):
            raise ValueError(f"format must be 'auto', 'svg' or 'png', got {format!r}")
        if labels not in ("auto", True, False):
            raise ValueError(f"labels must be 'auto', True or False, got {labels!r}")
        self.L = len(self.sizes) - 1
        self.labels: bool = labels_fit(self.sizes) if labels == "auto" else bool(labels)
        detail = self.labels and max(self.sizes) <= DETAIL_MAX_UNITS
        self.show_z = bool(show_z) and detail
        self.show_delta = bool(show_delta) and detail
        self._edge_mode = "gradient"
        self.trace: Trace | None = None
        self.highlight: Highlight | None = None
        self._build_graph()
        self._dpi = dpi
        self._build_figure(width, height, dpi)
        self._format = ""
        self.format = format if format != "auto" else (
            "svg" if len(self.edgelist) <= SVG_MAX_EDGES else "png")
        self.edge_mode = edge_mode

    @property
    def format(self) -> str:
        """``"svg"`` (:meth:`render` returns str) or ``"png"`` (bytes); settable."""
        return self._format

    @format.setter
    def format(self, value: str) -> None:
        if value not in ("svg", "png"):
            raise ValueError(f"format must be 'svg' or 'png', got {value!r}")
        if value != self._format:
            self._format = value
            # SVG is drawn at 72 dpi, as FigureCanvasSVG does; PNG at the requested dpi
            self.figure.set_dpi(72 if value == "svg" else self._dpi)
            self._background = self._svg_static = self._svg_edge_d = None
            self._svg_text_head = {}

    @property
    def graph(self) -> nx.DiGraph:
        """The networkx graph; its ``a``, ``w`` and ``grad`` attributes hold the last trace's
        numbers (filled in when the graph is read, not on every update)."""
        trace = self.trace
        if trace is not None and self._graph_trace is not trace:
            G = self._graph
            grads = np.concatenate([trace.grad_W[l].ravel() for l in range(1, self.L + 1)])
            weights = np.concatenate([W.ravel() for W in trace.weights])
            for e, w, dw in zip(self.edgelist, weights.tolist(), grads.tolist()):
                attrs = G.edges[e]
                attrs["w"], attrs["grad"] = w, dw
            for node, v in zip(self.nodelist, self.node_values(trace).tolist()):
                G.nodes[node]["a"] = v
            self._graph_trace = trace
        return self._graph

    # -- construction ---------------------------------------------------------------------

    def _build_graph(self) -> None:
        G = nx.DiGraph()
        for l, n in enumerate(self.sizes):
            for j in range(1, n + 1):
                G.add_node((l, j), layer=l, j=j, a=np.nan)
        edgelist = []
        for l in range(1, self.L + 1):
            for j in range(1, self.sizes[l] + 1):
                for k in range(1, self.sizes[l - 1] + 1):
                    e = ((l - 1, k), (l, j))
                    G.add_edge(*e, l=l, j=j, k=k, w=np.nan, grad=np.nan)
                    edgelist.append(e)
        self._graph = G
        self._graph_trace = None  # the trace whose numbers the graph's attributes hold
        self.nodelist = list(G.nodes)  # layer by layer, j = 1..n_l
        self.edgelist = edgelist
        self.params = [Param("w", v[0], v[1], u[1]) for u, v in edgelist]
        raw = nx.multipartite_layout(G, subset_key="layer", align="vertical")
        # layers run left → right; flip y so that neuron 1 is at the top
        self.pos = {node: (float(x), -float(y)) for node, (x, y) in raw.items()}
        self._node_index = {node: i for i, node in enumerate(self.nodelist)}
        self._edge_index = {(p.l, p.j, p.k): i for i, p in enumerate(self.params)}

    def _build_figure(self, width: int, height: int, dpi: int) -> None:
        fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
        FigureCanvasAgg(fig)
        self.figure = fig
        right = 0.775
        ax = fig.add_axes((0.01, 0.02, right - 0.02, 0.86))
        ax.set_axis_off()
        self.ax = ax

        xy = np.array([self.pos[n] for n in self.nodelist])
        xs = np.unique(xy[:, 0])
        dx = float(xs[1] - xs[0]) if len(xs) > 1 else 1.0
        max_n = max(self.sizes)
        half_h = max(float(np.abs(xy[:, 1]).max()), dx * 0.3)
        x_loss = xs[-1] + 0.55 * dx
        pad_y = half_h * (0.28 if self.labels else 0.08) + dx * 0.05
        left_pad = (0.32 if self.labels else 0.2) * dx
        ax.set_xlim(xs[0] - left_pad, x_loss + 0.32 * dx)
        ax.set_ylim(-half_h - pad_y, half_h + pad_y)
        ax.autoscale(False)

        # node size from the pixel spacing between neighbours in the fullest layer
        ax_h_px = 0.86 * height
        spacing_px = ax_h_px * (2 * half_h / max(max_n - 1, 1)) / (2 * half_h + 2 * pad_y)
        if max_n == 1:
            spacing_px = ax_h_px / 2
        dense = max_n > 4
        diam_pt = float(np.clip(spacing_px * (0.6 if not self.labels else 0.32 if dense else 0.42)
                                * 72 / dpi, 3, 26))
        self._node_size = diam_pt**2

        # edges: one LineCollection in edgelist order, below the nodes
        segs = np.array([[self.pos[u], self.pos[v]] for u, v in self.edgelist])
        self.edge_cmap = edge_colormap()
        self.edge_norm = Normalize(np.nan, np.nan)  # symmetric, set by every update
        # a dark outline under highlighted edges only (its segments are set on update)
        self.halo_collection = LineCollection([], colors=HALO, linewidths=1.0, zorder=0.9)
        ax.add_collection(self.halo_collection)
        ec = LineCollection(segs, colors="#cccccc", linewidths=1.0, zorder=1)
        ax.add_collection(ec)
        self.edge_collection = ec
        self._segments = segs

        # loss node, joined to every output neuron by a dotted line
        out = [n for n in self.nodelist if n[0] == self.L]
        loss_xy = (x_loss, 0.0)
        self.loss_xy = loss_xy
        self.loss_links = LineCollection(
            [[self.pos[n], loss_xy] for n in out], colors=COLORS["muted"], linewidths=1.0,
            linestyles=":", zorder=1,
        )
        ax.add_collection(self.loss_links)
        loss_pt = max(diam_pt * 1.05, 18.0)  # the loss square stays readable on large nets
        self.loss_marker = ax.scatter(
            [loss_xy[0]], [loss_xy[1]], s=loss_pt**2, marker="s", c="white",
            edgecolors=COLORS["text"], linewidths=1.5, zorder=3,
        )
        self.loss_glyph = ax.text(loss_xy[0], loss_xy[1], "L", ha="center", va="center", fontsize=9,
                color=COLORS["text"], zorder=4, fontweight="bold")
        pt = dpi / 72 / (0.86 * height) * (ax.get_ylim()[1] - ax.get_ylim()[0])  # 1 pt in data
        self.loss_text = ax.text(
            loss_xy[0], loss_xy[1] - (loss_pt / 2 + 4) * pt, "L = ", ha="center", va="top",
            fontsize=10, color=COLORS["text"], zorder=4,
            bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.85))

        # nodes: one PathCollection in nodelist order, coloured through set_array
        self.node_cmap = mpl.colormaps[NODE_CMAP]
        self.node_norm = Normalize(np.nan, np.nan)  # set by the first update
        rims = [COLORS["input"] if l == 0 else "#444444" for l, _ in self.nodelist]
        self._rim_rgba = mpl.colors.to_rgba_array(rims)
        self._rim_width = np.where(np.array([l for l, _ in self.nodelist]) == 0, 2.0, 1.0)
        nc = ax.scatter(
            xy[:, 0], xy[:, 1], s=self._node_size, c=np.zeros(len(xy)), cmap=self.node_cmap,
            norm=self.node_norm, edgecolors=self._rim_rgba, linewidths=self._rim_width, zorder=2,
        )
        self.node_collection = nc

        # layer titles (static)
        for l in range(self.L + 1):
            name = "input" if l == 0 else "output" if l == self.L else f"hidden {l}"
            color = COLORS["input"] if l == 0 else COLORS["text"]
            ax.text(xs[l], 1.0, f"{name}\nl = {l}", transform=ax.get_xaxis_transform(),
                    ha="center", va="bottom", fontsize=10, color=color, linespacing=1.1)
        ax.text(loss_xy[0], 1.0, "loss\n", transform=ax.get_xaxis_transform(), ha="center",
                va="bottom", fontsize=10, color=COLORS["text"], linespacing=1.1)

        # number labels
        self.value_texts: dict = {}
        self.bias_texts: dict = {}
        self.z_texts: dict = {}
        self.delta_texts: dict = {}
        if self.labels:
            self._build_labels(diam_pt, dpi, ax_h_px)

        # colour bars, stacked on the right: an image and text ticks in an axes without
        # axis machinery; only the three tick texts change on update
        self.node_bar, self.node_ticks, self.node_bar_label = self._colour_bar(
            (0.79, 0.56, 0.025, 0.30), self.node_cmap, "nodes:\nactivation a", COLORS["activation"])
        self.edge_bar, self.edge_ticks, self.edge_bar_label = self._colour_bar(
            (0.79, 0.08, 0.025, 0.30), self.edge_cmap, EDGE_LABELS["gradient"], COLORS["error"])

        # artists that change on update: drawn over a cached background when rendering PNG
        # (the rest — titles, colour bars, loss marker — changes rarely: it is drawn once into a
        # cached background, redrawn only when _static_key changes)
        self.edge_ticks[1].set_text("0.0")
        self._dynamic = sorted(
            [self.halo_collection, self.edge_collection, self.node_collection, self.loss_text,
             self.edge_ticks[0], self.edge_ticks[2], *self.value_texts.values(),
             *self.bias_texts.values(), *self.z_texts.values(), *self.delta_texts.values()],
            key=lambda a: a.get_zorder())
        for artist in self._dynamic:
            artist.set_animated(True)  # Figure.draw skips them; render() draws them on top
            artist.set_clip_on(False)  # all lie inside their axes; no clip paths in the SVG
        self._static_key = None
        self._background = None  # Agg pixels of the static part
        self._svg_static = None  # SVG text of the static part, and its renderer's group counters
        self._svg_edge_d = None  # the edges' SVG path data (geometry is fixed)
        self._svg_text_head: dict = {}  # per label: its SVG <text> start (position is fixed)

    def _colour_bar(self, rect, cmap, label: str, color: str):
        cax = self.figure.add_axes(rect)
        cax.set_axis_off()
        cax.imshow(np.linspace(0, 1, 256)[:, None], aspect="auto", cmap=cmap, origin="lower",
                   extent=(0, 1, 0, 1), interpolation="nearest")
        cax.add_patch(Rectangle((0, 0), 1, 1, fill=False, lw=0.6,
                                            edgecolor=COLORS["muted"], transform=cax.transAxes))
        cax.set_xlim(0, 1)
        cax.set_ylim(0, 1)
        ticks = [cax.text(1.25, f, "", transform=cax.transAxes, ha="left", va="center",
                          fontsize=8, color=COLORS["text"], zorder=5) for f in (0.0, 0.5, 1.0)]
        title = cax.text(0.0, 1.06, label, transform=cax.transAxes, ha="left", va="bottom",
                         fontsize=9, color=color, linespacing=1.15, zorder=5)
        return cax, ticks, title

    def _build_labels(self, diam_pt: float, dpi: int, ax_h_px: float) -> None:
        """Per neuron: a above (x for inputs), b below; z above a and δ below b on request."""
        ax = self.ax
        y0, y1 = ax.get_ylim()
        pt = dpi / 72 / ax_h_px * (y1 - y0)  # one point in data units
        size = 9 if max(self.sizes) <= 4 else 8 if max(self.sizes) <= 6 else 7
        gap = (diam_pt / 2 + 2) * pt  # from the centre to the nearest label
        line = 1.5 * size * pt  # one label line, with its box
        # a white box keeps a label readable where an edge passes behind it
        box = dict(boxstyle="round,pad=0.12", facecolor="white", edgecolor="none", alpha=0.85)

        def label(x, y, above: bool, color: str):
            return ax.text(x, y, "", ha="center", va="bottom" if above else "top", fontsize=size,
                           color=color, zorder=5, bbox=box)

        for node in self.nodelist:
            l, _ = node
            x, y = self.pos[node]
            if l == 0:
                self.value_texts[node] = label(x, y + gap, True, COLORS["input"])
                continue
            self.value_texts[node] = label(x, y + gap, True, COLORS["activation"])
            self.bias_texts[node] = label(x, y - gap, False, COLORS["weight"])
            if self.show_z:
                self.z_texts[node] = label(x, y + gap + line, True, COLORS["text"])
            if self.show_delta:
                self.delta_texts[node] = label(x, y - gap - line, False, COLORS["error"])

    # -- edge mode ------------------------------------------------------------------------

    @property
    def edge_mode(self) -> str:
        """``"gradient"``: edges coloured by ∂L/∂w; ``"weight"``: by w (as TF Playground)."""
        return self._edge_mode

    @edge_mode.setter
    def edge_mode(self, mode: str) -> None:
        if mode not in EDGE_LABELS:
            raise ValueError(f"edge_mode must be 'gradient' or 'weight', got {mode!r}")
        self._edge_mode = mode
        self.edge_bar_label.set_text(EDGE_LABELS[mode])
        self.edge_bar_label.set_color(COLORS["error" if mode == "gradient" else "weight"])
        self._static_key = self._background = self._svg_static = None  # the label is static
        if self.trace is not None:
            self._apply(self.trace, self.highlight)

    # -- updates --------------------------------------------------------------------------

    def edge_values(self, trace: Trace) -> np.ndarray:
        """The values edges show, in ``edgelist`` order: ∂L/∂w or w, depending on ``edge_mode``."""
        if self._edge_mode == "gradient":
            return np.concatenate([trace.grad_W[l].ravel() for l in range(1, self.L + 1)])
        return np.concatenate([W.ravel() for W in trace.weights])

    def node_values(self, trace: Trace) -> np.ndarray:
        """Activations a (inputs x for l = 0), in ``nodelist`` order."""
        return np.concatenate([np.asarray(a, float) for a in trace.a])

    def update(self, trace: Trace, highlight: Highlight | None = None) -> None:
        """Show ``trace`` (and emphasise ``highlight``; ``None`` clears) by changing artists in place."""
        if tuple(trace.sizes) != self.sizes:
            raise ValueError(
                f"this diagram draws a {list(self.sizes)} network, the trace is of "
                f"{list(trace.sizes)}: make a new NetworkDiagram for the new architecture"
            )
        self._apply(trace, highlight)

    def _apply(self, trace: Trace, highlight: Highlight | None) -> None:
        self.trace = trace
        self.highlight = None if highlight is None or highlight.empty else highlight
        hl = self.highlight

        # nodes: one set_array; the norm spans [0, 1] and any activation or input outside it
        a = self.node_values(trace)
        lo, hi = min(0.0, float(a.min())), max(1.0, float(a.max()))
        if (lo, hi) != (self.node_norm.vmin, self.node_norm.vmax):
            with self.node_norm.callbacks.blocked():
                self.node_norm.vmin, self.node_norm.vmax = lo, hi
            mid = 0.0 if lo < 0 < hi else (lo + hi) / 2
            for t, v in zip(self.node_ticks, (lo, mid, hi)):
                t.set_text(fmt(v))
                t.set_y((v - lo) / (hi - lo))
        self.node_collection.set_array(a)

        # edges: one cmap(norm(values)) call, symmetric norm centred on 0
        g = self.edge_values(trace)
        m = float(np.abs(g).max())
        m = m if m > 0 else 1.0
        if m != self.edge_norm.vmax:
            self.edge_norm.vmin, self.edge_norm.vmax = -m, m
            for t, v in zip(self.edge_ticks, (-m, 0.0, m)):
                t.set_text(fmt(v))
        rgba = self.edge_cmap(self.edge_norm(g))
        widths = EDGE_WIDTH[0] + (EDGE_WIDTH[1] - EDGE_WIDTH[0]) * np.abs(g) / m

        halo_idx = np.zeros(0, int)
        node_alpha = np.ones(len(self.nodelist))
        node_lw = self._rim_width.copy()
        rim = self._rim_rgba.copy()
        if hl is not None:
            on_e = np.zeros(len(self.edgelist), bool)
            idx = [self._edge_index[e] for e in hl.edges if e in self._edge_index]
            on_e[idx] = True
            rgba[~on_e, 3] = FADE
            widths = np.where(on_e, np.maximum(widths, 2.0), widths)
            if on_e.sum() <= HALO_MAX_EDGES:
                halo_idx = np.flatnonzero(on_e)
            on_n = np.zeros(len(self.nodelist), bool)
            idx = [self._node_index[n] for n in hl.neurons if n in self._node_index]
            on_n[idx] = True
            node_alpha[~on_n] = FADE + 0.1
            node_lw[on_n] = 2.8
            rim[on_n & (self._rim_width < 2), :] = mpl.colors.to_rgba(COLORS["text"])
            rim[:, 3] = node_alpha
        self.halo_collection.set_segments(self._segments[halo_idx])
        self.halo_collection.set_linewidth(widths[halo_idx] + 2.5)
        self.edge_collection.set_color(rgba)
        self.edge_collection.set_linewidth(widths)
        self.node_collection.set_alpha(node_alpha)
        self.node_collection.set_edgecolor(rim)
        self.node_collection.set_linewidth(node_lw)
        self.loss_marker.set_linewidth(3.0 if hl is not None and hl.loss else 1.5)
        self.loss_marker.set_alpha(1.0 if hl is None or hl.loss else FADE + 0.1)
        self.loss_links.set_alpha(1.0 if hl is None or hl.loss else FADE)
        self.loss_text.set_text(f"L = {fmt(trace.loss)}")

        key = (lo, hi, self._edge_mode, hl is None, hl is not None and hl.loss)
        if key != self._static_key:
            self._static_key = key
            self._background = self._svg_static = None

        if self.labels:
            self._update_labels(trace, hl)

    def _update_labels(self, trace: Trace, hl: Highlight | None) -> None:
        faded = FADE + 0.2
        for node, t in self.value_texts.items():
            l, j = node
            v = trace.a[l][j - 1]
            t.set_text(f"x{_sub(j)} = {fmt(v)}" if l == 0 else f"a = {fmt(v)}")
            t.set_alpha(1.0 if hl is None or node in hl.neurons else faded)
        for node, t in self.bias_texts.items():
            l, j = node
            t.set_text(f"b = {fmt(trace.biases[l - 1][j - 1])}")
            on = hl is not None and node in hl.biases
            t.set_fontweight("bold" if on else "normal")
            t.set_alpha(1.0 if hl is None or on or node in hl.neurons else faded)
        for node, t in self.z_texts.items():
            l, j = node
            t.set_text(f"z = {fmt(trace.z[l][j - 1])}")
            t.set_alpha(1.0 if hl is None or node in hl.neurons else faded)
        for node, t in self.delta_texts.items():
            l, j = node
            t.set_text(f"δ = {fmt(trace.delta[l][j - 1])}")
            t.set_alpha(1.0 if hl is None or node in hl.neurons else faded)

    # -- output ---------------------------------------------------------------------------

    def render(self) -> "str | bytes":
        """The figure as SVG text (``format == "svg"``) or PNG bytes (``"png"``)."""
        if self.trace is None:
            raise RuntimeError("nothing to draw yet: call update(trace) before render()")
        return self._render_svg() if self.format == "svg" else self._render_png()

    def _render_png(self) -> bytes:
        canvas = self.figure.canvas
        if self._background is None:
            canvas.draw()  # everything but the animated (changing) artists
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        canvas.restore_region(self._background)
        for artist in self._dynamic:
            self.figure.draw_artist(artist)
        return png_bytes(np.asarray(canvas.buffer_rgba()))

    def _render_svg(self) -> str:
        """SVG = the static part (cached) + a fragment with the changing artists on top.

        The fragment is drawn by one RendererSVG kept between renders (so matplotlib's text
        metrics cache, keyed on the renderer, hits for labels that did not change), reset to
        the state the static part ended in. If a matplotlib release changes those internals,
        this falls back to one full ``savefig``.
        """
        saved = {k: mpl.rcParams[k] for k in _SVG_RC}
        mpl.rcParams.update(_SVG_RC)  # cheaper than rc_context, which copies all rcParams
        try:
            try:
                return self._render_svg_fast()
            except (AttributeError, TypeError, KeyError):  # another matplotlib release
                self._svg_static = None
                buf = io.StringIO()
                self.figure.savefig(buf, format="svg", metadata={"Date": None})
                return buf.getvalue()
        finally:
            mpl.rcParams.update(saved)

    _ANCHOR = {"center": "middle", "left": "start", "right": "end"}
    _BASELINE = {"bottom": "text-after-edge", "top": "text-before-edge", "center": "central",
                 "baseline": "auto", "center_baseline": "central"}

    def _svg_text(self, t) -> str:
        """A changing label as one SVG ``<text>``, written directly.

        matplotlib lays every text out (~0.5 ms each) even when the SVG keeps it as text; these
        labels sit at fixed places, so only their string, colour and weight are formatted here.
        A white outline (``paint-order: stroke``) stands in for the PNG labels' white box.
        """
        head = self._svg_text_head.get(id(t))
        if head is None:
            x, y = t.get_transform().transform(t.get_position())
            fp = t.get_fontproperties()
            head = (
                f'<text x="{x:.2f}" y="{self.figure.bbox.height - y:.2f}" '
                f"style=\"font-family:'{fp.get_name()}',sans-serif;"
                f"font-size:{fp.get_size_in_points():.3g}px;"
                f"text-anchor:{self._ANCHOR[t.get_horizontalalignment()]};"
                f"dominant-baseline:{self._BASELINE[t.get_verticalalignment()]};"
                "paint-order:stroke;stroke:#ffffff;stroke-width:3px;stroke-linejoin:round"
            )
            self._svg_text_head[id(t)] = head
        text = t.get_text()
        if not text or not t.get_visible():
            return ""
        r, g, b, a = mpl.colors.to_rgba(t.get_color(), t.get_alpha())
        weight = ";font-weight:bold" if t.get_fontweight() in ("bold", 700) else ""
        opacity = "" if a >= 1 else f";opacity:{a:.3g}"
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return (f'{head};fill:#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}'
                f'{weight}{opacity}">{text}</text>\n')

    def _svg_edges(self) -> str:
        """The edge LineCollection as SVG, one ``<path>`` per edge in ``edgelist`` order.

        matplotlib's SVG writer spends ~25 µs per path on styles; the edges' geometry never
        changes, so their ``d`` strings are computed once and only the colours and widths are
        formatted here.
        """
        if self._svg_edge_d is None:
            h = self.figure.bbox.height
            pts = self.ax.transData.transform(self._segments.reshape(-1, 2)).reshape(-1, 2, 2)
            self._svg_edge_d = [
                f"M {x0:.2f} {h - y0:.2f} L {x1:.2f} {h - y1:.2f}"
                for (x0, y0), (x1, y1) in pts.tolist()
            ]
        rgba = self.edge_collection.get_color()
        rgb = np.round(rgba[:, :3] * 255).astype(int).tolist()
        alpha = rgba[:, 3].tolist()
        widths = np.broadcast_to(self.edge_collection.get_linewidth(), len(rgba)).tolist()
        out = ['<g id="edges" style="fill:none;stroke-linecap:butt">\n']
        for d, (r, g, b), a, w in zip(self._svg_edge_d, rgb, alpha, widths):
            opacity = "" if a >= 1 else f";stroke-opacity:{a:.3g}"
            out.append(f'<path d="{d}" style="stroke:#{r:02x}{g:02x}{b:02x}{opacity};'
                       f'stroke-width:{w:.3g}"/>\n')
        out.append("</g>\n")
        return "".join(out)

    def _render_svg_fast(self) -> str:
        from matplotlib.backends.backend_mixed import MixedModeRenderer
        from matplotlib.backends.backend_svg import RendererSVG, _XMLWriter

        fig = self.figure
        w, h = fig.get_size_inches() * 72
        if self._svg_static is None:
            # the static part, as FigureCanvasSVG.print_svg draws it (animated artists skipped)
            buf = io.StringIO()
            svg = RendererSVG(w, h, buf, image_dpi=fig.dpi, metadata={"Date": None})
            fig.draw(MixedModeRenderer(fig, w / 72, h / 72, fig.dpi, svg))
            state = (dict(svg._groupd), svg._path_collection_id)
            svg.finalize()
            text = buf.getvalue()
            self._svg_static = (text[: text.rindex("</svg>")], state, svg)
        static, (groups, n_collections), svg = self._svg_static
        buf = io.StringIO()
        svg.writer = _XMLWriter(buf)
        svg._groupd = dict(groups)  # continue the static part's ids: no id appears twice
        svg._path_collection_id = n_collections
        svg._markers, svg._clipd, svg._hatchd = {}, {}, {}
        for artist in self._dynamic:
            if artist is self.edge_collection:
                buf.write(self._svg_edges())  # every artist before it closed its groups
            elif isinstance(artist, mpl.text.Text):
                buf.write(self._svg_text(artist))
            else:
                artist.draw(svg)
        svg._write_clips()
        svg._write_hatches()
        svg.writer.flush()
        return static + buf.getvalue() + "</svg>\n"

    def _repr_mimebundle_(self, include=None, exclude=None):
        key = "image/svg+xml" if self.format == "svg" else "image/png"
        return {key: self.render()}

    # -- hit test -------------------------------------------------------------------------

    def edge_at(self, x_frac: float, y_frac: float, tol: float = 0.012) -> Param | None:
        """The weight whose edge is nearest a click at figure fraction ``(x_frac, y_frac)``.

        ``(0, 0)`` is the bottom-left corner of the figure (for a click on the image in a
        browser, ``y_frac = 1 − offsetY / height``). Returns ``None`` when no edge is within
        ``tol`` (a fraction of the figure's height).
        """
        fig = self.figure
        w, h = fig.bbox.width, fig.bbox.height
        pts = self.ax.transData.transform(self._segments.reshape(-1, 2)).reshape(-1, 2, 2)
        p = np.array([x_frac * w, y_frac * h])
        a, b = pts[:, 0], pts[:, 1]
        ab = b - a
        t = np.clip(np.einsum("ij,ij->i", p - a, ab) / np.maximum(np.einsum("ij,ij->i", ab, ab), 1e-12), 0, 1)
        d = np.hypot(*(a + t[:, None] * ab - p).T)
        i = int(np.argmin(d))
        return self.params[i] if d[i] <= tol * h else None

    def __repr__(self) -> str:
        return f"NetworkDiagram({list(self.sizes)}, edge_mode={self._edge_mode!r}, format={self.format!r})"


# --- the README picture ----------------------------------------------------------------------


def save_seed_picture(path: str, param: str = "w1,1,1") -> None:
    """Save the seed net, with the paths of ``param`` to the loss highlighted, as a PNG."""
    from .core import seed_example

    net, x, y = seed_example()
    d = NetworkDiagram(net.sizes, format="png", show_z=True, show_delta=True)
    p = Param.parse(param)
    d.update(net.trace(x, y), paths_highlight(net.sizes, p))
    d.figure.text(0.01, 0.015, f"highlighted: every path from {p.unicode} to the loss L",
                  fontsize=9, color=COLORS["text"], ha="left", va="bottom")
    d._background = None  # the caption belongs to the static part
    with open(path, "wb") as f:
        f.write(d.render())


def _main(argv: Iterable[str]) -> int:
    args = list(argv)
    if len(args) not in (1, 2):
        print("usage: python -m backprop_widgets.diagram OUT.png [w1,1,1]", file=sys.stderr)
        return 2
    save_seed_picture(*args)
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
