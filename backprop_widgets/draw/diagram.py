"""The network diagram: a networkx graph drawn once with matplotlib, recoloured in place.

::

    d = NetworkDiagram(net.sizes)       # graph, layout, figure and artists: once per architecture
    d.update(trace, highlight=None)     # recolour nodes/edges, rewrite labels — no new artists
    data = d.render()                   # str (SVG) or bytes (PNG), see ``d.format``
    d.hit(x_frac, y_frac)               # what a click hit: a node (l, j), an edge's Param, None
    d.caption                           # "" or what is left out, e.g. "b labels hidden: …"

The graph
    ``d.graph`` is a :class:`networkx.DiGraph` with node ``(l, j)`` for every neuron, inputs
    included (layer ``l = 0``); ``j`` is **1-based**, as in the notation and in
    :class:`~backprop_widgets.explain.highlight.Highlight`. Each weight w_{j,k}⁽ˡ⁾ is the edge
    ``(l-1, k) → (l, j)`` with attributes ``l, j, k, w, grad`` (``w`` and ``grad`` are refreshed
    by :meth:`NetworkDiagram.update`). ``d.nodelist`` / ``d.edgelist`` fix the drawing order:
    edges run ``l = 1..L``, then row ``j``, then column ``k``, so edge ``i`` is entry ``i`` of
    ``np.concatenate([trace.grad_W[l].ravel() for l in 1..L])``.

Colours: one meaning each (``palette.py``, checked for colour-blind eyes by tests/test_colours.py)
    Node fill: the activation a (x for inputs) from pale to the activations **green**; the number
    inside the node is that a. Input nodes have an **orange** rim. Blue numbers under a node are
    its bias b (**blue**: weights and biases); δ numbers are **crimson** (errors and gradients).
    Edges: ∂L/∂w from light grey (≈ 0) to **crimson** — the gradients' colour — or, with
    ``edge_mode="weight"`` (what TF Playground shows), w from grey to the weights' **blue**. The
    sign is the line style, not a second colour: **solid = positive, dashed = negative**. Line
    width grows with the magnitude. No colour of the diagram means two things.

Layout and labels (figure pixels; shown at its nominal size 1 figure px = 1 CSS px)
    The default figure is 560 × 500 px, the diagram column of the dashboard at a 1366 px window.
    Nodes are pills (circles when they carry no number) in columns; every edge runs from the
    right side of its source to the left side of its destination, so the strip of a column is
    free of edges and the labels stacked in it (z above a node, b and δ below) never touch one.
    Labels are :data:`LABEL_PX` px. A kind of label is shown only if the whole net fits with it:
    rows tall enough for the stack and at least :data:`EDGE_GAP_MIN` px between columns for the
    edges. Otherwise that kind is left out (δ, z, then b, then the numbers in the nodes) and
    :attr:`NetworkDiagram.caption` says so, for the dashboard to show under the diagram. A
    number wider than its slot (rare: ≥ 10 or below 0.001 with a sign) is set smaller to fit.

Hover (SVG)
    Every edge is ``<path id="edge-w2-1-1">`` with a ``<title>`` "w₁,₁⁽²⁾ = 0.4, ∂L/∂w = −0.0123";
    every node ``<g id="node-1-2">`` with a ``<title>`` "h1₂: z = …, a = …, δ = …, b = …"
    ("x₂ = 0.5" for inputs, "out₁: …" for the output layer), rewritten on every render, so that
    a browser shows them on hover when the SVG is inline. Numbers as the page prints them.

Sizes (:func:`check_drawable`)
    Up to :data:`MAX_UNITS` units a layer and :data:`MAX_LAYERS` layers are drawn (with fewer
    labels as the net grows); anything larger raises :class:`DiagramTooLarge` (a
    ``ValueError``) with a message a student can act on.

Speed (``benchmarks/bench_diagram.py``)
    Everything that does not change on a slider drag (titles, legend, loss box) is drawn once and
    cached: as SVG text, or as Agg pixels for PNG. Each render draws only the changing artists on
    top. In SVG the edges, nodes and number labels are written directly (their positions never
    change; only colours, widths, dashes, strings and hover titles are formatted), so an update
    + render costs ~1.7 ms for the seed net and ~3.7 ms for [8,16,16,8,4] (52 numbers, 596 hover
    titles), against ~21 / 54 ms for a naive redraw (new Figure + ``nx.draw_networkx`` +
    ``savefig``). PNG (Agg, zlib level 1, no row filters) costs ~12 ms for the seed; Agg lays
    each number out (~0.5 ms), so [8,16,16,8,4] takes ~40 ms — the nets drawn as PNG by default
    are larger and carry no numbers. ``format="auto"`` picks SVG (crisp on HiDPI, hover titles)
    up to :data:`SVG_MAX_EDGES` edges and PNG above, where the SVG text would pass ~1 MB.

A new architecture needs a new diagram: the dashboard should keep one ``NetworkDiagram`` and
rebuild it when ``tuple(net.sizes) != d.sizes``; :meth:`NetworkDiagram.update` raises
``ValueError`` for a trace of another architecture.

Library code never imports pyplot (networkx's ``draw_networkx_*`` do, so the artists are built
here directly from the networkx graph and layout). Generate the README picture with
``python -m backprop_widgets.draw.diagram notebooks/images/seed-diagram.png``.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from typing import Iterable, Sequence

import matplotlib as mpl
import networkx as nx
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from matplotlib.path import Path
from PIL import Image

from ..core import Param, Trace, check_sizes, fmt
from ..core import sub as _sub
from ..explain.highlight import Highlight, paths_highlight
from ..explain.palette import NEUTRAL, NODE_LIGHT, hex_colour

__all__ = [
    "NetworkDiagram", "DiagramTooLarge", "check_drawable", "paths_highlight", "COLORS",
    "MAX_LAYERS", "MAX_UNITS", "WIDTH", "HEIGHT", "LABEL_PX", "seed_picture", "save_seed_picture",
]

# --- limits, sizes and colours ---------------------------------------------------------------

MAX_LAYERS = 10  #: more layers (counting the input) than this: no figure
MAX_UNITS = 64  #: more neurons in one layer than this: no figure
SVG_MAX_EDGES = 10_000  #: ``format="auto"``: SVG up to this many edges, PNG above (payload)

WIDTH, HEIGHT = 560, 500  #: default figure size in px: the dashboard's diagram column at 1366 px
LABEL_PX = 11.0  #: number labels, in figure px (= CSS px at the nominal size)
TITLE_PX = 12.0  #: layer titles and the loss
LEGEND_PX = 11.0  #: legend text and colour-bar ticks
EDGE_GAP_MIN = 40.0  #: px between two columns, at least: narrower, a full layer pair is a smear
PAD = 6.0  #: px of margin around everything

#: the widest numbers a label's slot is sized for; wider ones are set smaller to fit
SLOTS = {"a": "−0.0000", "b": "b = −0.0000", "z": "z = −0.0000", "delta": "δ = −0.00000"}
KIND_NAMES = {"a": "a", "b": "b", "z": "z", "delta": "δ"}
DROP_ORDER = ("delta", "z", "b", "a")  #: what goes first when labels do not fit

_SVG_RC = {"svg.fonttype": "none", "svg.hashsalt": "backprop-widgets"}  # text as <text>, stable ids

#: The colour code of the page (palette.py), one meaning per colour.
COLORS = {
    "input": hex_colour("inp"),  # inputs x: orange
    "weight": hex_colour("wt"),  # weights w, biases b: blue
    "activation": hex_colour("act"),  # activations a, σ′: bluish green
    "error": hex_colour("err"),  # errors δ, gradients ∂L/∂w: crimson
    "neutral": NEUTRAL,  # an edge whose value is ≈ 0
    "text": "#222222",
    "muted": "#8a8a8a",
}
FADE = 0.15  #: alpha of what a highlight does not touch
EDGE_WIDTH = (1.0, 6.0)  #: line width in px for |value| = 0 and for the largest |value|
DASH = (3.0, 1.8)  #: negative values: dash and gap, in line widths
HALO = "#3a3a3a"  #: dark outline around highlighted edges (white inside, for the dashes' gaps) …
HALO_EXTRA = 3.5  #: … this many px wider than the edge …
HALO_MAX_EDGES = 40  #: … when a highlight has at most this many (more turn into a dark mass)

EDGE_LABELS = {
    "gradient": "edges: gradient ∂L/∂w (dashed < 0)",
    "weight": "edges: weight w (dashed < 0)",
}
NODE_LABEL = "nodes: activation a (inputs: x)"
#: the legend's last row: every colour of the code and what it means
CODE_ROW = (("input", "input x"), ("weight", "weight w, bias b"),
            ("activation", "activation a"), ("error", "error δ, gradient ∂L/∂w"))


def node_colormap() -> mpl.colors.Colormap:
    """Node fill: pale (a at the low end of the scale) to the activations green."""
    return LinearSegmentedColormap.from_list("activation", [NODE_LIGHT, COLORS["activation"]])


def edge_colormap(mode: str = "gradient") -> mpl.colors.Colormap:
    """Edges on a symmetric norm: grey at 0, the role's colour at ±max (the sign is the line
    style): crimson for ∂L/∂w, blue for w."""
    end = np.array(mpl.colors.to_rgba(COLORS["error" if mode == "gradient" else "weight"]))
    grey = np.array(mpl.colors.to_rgba(NEUTRAL))
    s = np.abs(np.linspace(-1, 1, 255))[:, None] ** 0.8  # 0 at the centre, 1 at both ends
    return mpl.colors.ListedColormap(grey * (1 - s) + end * s, name=f"{mode}_grey")


class DiagramTooLarge(ValueError):
    """The network has too many layers or neurons to draw legibly."""


def check_drawable(sizes: Sequence[int]) -> list[int]:
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


def labels_fit(sizes: Sequence[int], width: int = WIDTH, height: int = HEIGHT) -> bool:
    """Whether the numbers in the nodes fit a ``width`` × ``height`` px figure."""
    return "a" in plan_layout(check_drawable(sizes), width, height, ("a",)).kinds


def png_bytes(rgba: np.ndarray, level: int = 1) -> bytes:
    """Encode an ``(h, w, 4)`` uint8 image as an RGB PNG with Pillow (zlib at ``level``: fast,
    and a mostly white picture compresses well anyway)."""
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgba[:, :, :3])).save(buf, format="png",
                                                                compress_level=level)
    return buf.getvalue()


def label_number(v: float) -> str:
    """A number as the page prints it (``numfmt.fmt`` in text form: 0.8997, −0.00212, 1.0)."""
    return fmt(float(v), unicode=True)


def nice(v: float) -> float:
    """``v`` to 3 significant digits: a colour bar's limit, short in the page's format
    (175198.59 → 175000.0, 0.061224 → 0.0612)."""
    return float(f"{v:.3g}")


# --- text widths -----------------------------------------------------------------------------

_FONT = FontProperties(family=mpl.rcParams["font.family"])
_ADVANCE: dict[str, float] = {}  # a character's advance width in em (DejaVu Sans by default)


def text_width(s: str, px: float) -> float:
    """Width in px of ``s`` at font size ``px``, from cached per-character advances (kerning
    ignored: within ~2 %); fast enough to call on every update."""
    missing = [c for c in set(s) if c not in _ADVANCE]
    if missing:
        from matplotlib.textpath import TextToPath

        ttp = TextToPath()
        prop = _FONT.copy()
        prop.set_size(100.0)
        for c in missing:
            _ADVANCE[c] = ttp.get_text_width_height_descent(c, prop, ismath=False)[0] / 100.0
    return px * sum(_ADVANCE[c] for c in s) * 1.02


# --- layout ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Where everything goes, in figure px (origin bottom-left), for one architecture.

    kinds : the label kinds shown, of ``"a"`` (the number in a node), ``"b"``, ``"z"``, ``"delta"``
    box : node width and height (equal: a circle, when nodes carry no number)
    prefix : whether the number in a node fits with its name ("a = 0.5622", "x₁ = 1.0")
    pitch, gap : px from one node to the next in a layer, and between two columns' strips
    xs, x_loss, ys : column centres, the loss column, and each layer's node centres (top first)
    loss_box : side of the loss box
    index : whether inputs get an "x₁" label left of their node (numbers without a prefix)
    title_y, short_titles : the two title lines' tops, and whether titles are "h1" not "hidden 1"
    line : a label's line height
    """

    kinds: tuple
    box: tuple
    prefix: bool
    pitch: float
    xs: tuple
    x_loss: float
    loss_box: float
    ys: tuple
    index: bool
    title_y: tuple
    short_titles: bool
    line: float
    gap: float


def _title_height() -> float:
    return 2 * 1.25 * TITLE_PX + 4


def _legend_height() -> float:
    row = 1.3 * LEGEND_PX
    return row + 3 + 9 + 5 + row + 6 + row + 2  # title, bar, sign line, ticks, colour-code row


def plan_layout(sizes: Sequence[int], width: float, height: float, want: Sequence[str],
                min_gap: float = EDGE_GAP_MIN) -> Layout:
    """The layout with as many of the ``want`` label kinds as fit, leaving at least ``min_gap``
    px between columns for the edges."""
    kinds = [k for k in ("a", "b", "z", "delta") if k in want]
    while True:
        plan = _try_layout(sizes, width, height, tuple(kinds), min_gap)
        if plan is not None:
            return plan
        kinds.remove(next(k for k in DROP_ORDER if k in kinds))


def _try_layout(sizes, width, height, kinds, min_gap) -> "Layout | None":
    L, n_max = len(sizes) - 1, max(sizes)
    font = LABEL_PX
    line = 1.25 * font  # a label's line height
    sep = 2.0  # px between a node and a label, and between labels
    x0, x1 = PAD, width - PAD
    y1 = height - PAD - _title_height()
    y0 = PAD + _legend_height() + 4
    pitch = (y1 - y0) / n_max

    loss_title = text_width("L = 0.00000", TITLE_PX)  # a loss below 10⁻⁴ is set smaller
    input_title = text_width("input", TITLE_PX)
    share = 0.6  # the gap before the loss, as a share of the gap between layers
    if "a" in kinds:
        pad_h = 4.0
        value_w = text_width(SLOTS["a"], font) + 2 * pad_h
        h = line + 4
        w = max([value_w] + [text_width(SLOTS[k], font) for k in kinds if k != "a"])
        prefix = w - 2 * pad_h >= text_width("a = " + SLOTS["a"], font)
    else:  # circles: as large as rows allow, but leaving the edges most of a column's width
        column = (x1 - x0 - input_title / 2 - loss_title / 2) / (L + 1 + share)
        h = w = float(np.clip(min(0.6 * pitch, 0.4 * column), 3.0, 28.0))
        prefix = False
    above = (sep + line) if "z" in kinds else 0.0
    below = (sep + line) * sum(k in kinds for k in ("b", "delta"))
    fits_rows = pitch >= h + above + below + 2 * sep

    # input names ("x₁") left of the inputs when the numbers in the nodes carry none
    index = not prefix and pitch >= line + sep
    idx_w = text_width(f"x{_sub(sizes[0])}", font) + 4 if index else 0.0
    loss_box = max(20.0, min(h, 28.0))
    right = max(loss_box / 2, loss_title / 2)  # right of the loss column's centre
    first = max(idx_w + w / 2, input_title / 2)  # left of the input column's centre
    # x0 + first + L (w + gap) + w/2 + loss_gap + loss_box/2 + right = x1
    free = (x1 - x0) - first - L * w - w / 2 - loss_box / 2 - right
    gap = free / (L + share)
    # the output's titles and the loss's titles must not meet
    out_title = max(text_width("output", TITLE_PX), text_width(f"l = {L}", TITLE_PX))
    loss_gap = max(share * gap, (out_title + loss_title) / 2 + 6 - w / 2 - loss_box / 2)
    gap = (free - loss_gap) / L
    if kinds and (gap < min_gap or not fits_rows):
        return None

    xs = tuple(x0 + first + l * (w + gap) for l in range(L + 1))
    x_loss = xs[-1] + w / 2 + loss_gap + loss_box / 2
    mid = (y0 + y1) / 2 + (below - above) / 2  # centre of a node's stack on the mid line
    ys = tuple(tuple(mid + ((n + 1) / 2 - j) * pitch for j in range(1, n + 1)) for n in sizes)
    widest = max(text_width(f"hidden {max(L - 1, 1)}", TITLE_PX), out_title)
    short = widest + 6 > w + gap
    title_y = (height - PAD - 0.1 * TITLE_PX, height - PAD - 1.35 * TITLE_PX)
    return Layout(tuple(kinds), (w, h), prefix, pitch, xs, x_loss, loss_box, ys, index,
                  title_y, short, line, gap)


def _pill(w: float, h: float, n: int = 12) -> Path:
    """A closed stadium (a circle when w == h), centred on 0, as a polygon for the scatter."""
    r = h / 2
    c = max(w / 2 - r, 0.0)
    t1 = np.linspace(-np.pi / 2, np.pi / 2, n)
    t2 = np.linspace(np.pi / 2, 3 * np.pi / 2, n)
    pts = np.concatenate([
        np.c_[c + r * np.cos(t1), r * np.sin(t1)],
        np.c_[-c + r * np.cos(t2), r * np.sin(t2)],
    ])
    return Path(np.vstack([pts, pts[:1]]), closed=True)


# --- the diagram -----------------------------------------------------------------------------


class NetworkDiagram:
    """A persistent matplotlib drawing of one architecture, recoloured by :meth:`update`.

    Parameters
    ----------
    sizes : layer sizes ``[n_0, …, n_L]``; beyond :func:`check_drawable` raises DiagramTooLarge
    edge_mode : ``"gradient"`` (colour edges by ∂L/∂w) or ``"weight"`` (by w); settable later
    labels : ``"auto"`` (the numbers a and b where they fit), ``True`` (a and b even where the
        edges get only 10 px between columns) or ``False`` (none)
    show_z, show_delta : extra lines z and δ per neuron, where they fit
    format : ``"auto"`` (SVG up to :data:`SVG_MAX_EDGES` edges, else PNG), ``"svg"``, ``"png"``
    width, height, dpi : figure size in pixels (default 560 × 500) and PNG dots per inch

    Attributes for views and tests: ``graph``, ``sizes`` (tuple), ``nodelist``, ``edgelist``,
    ``params`` (the :class:`Param` of each edge), ``pos`` (node → (x, y) in figure px, which
    are the axes' data coordinates), ``layout`` (:class:`Layout`), ``caption``, ``figure``,
    ``ax``, ``node_collection`` (PathCollection; its array is a in ``nodelist`` order),
    ``edge_collection`` (LineCollection in ``edgelist`` order; ``get_color()``,
    ``get_linewidth()``, ``get_linestyle()``), ``halo_collection``, ``node_norm``,
    ``edge_norm`` (symmetric), ``node_cmap``, ``edge_cmap``, ``value_texts`` / ``bias_texts`` /
    ``z_texts`` / ``delta_texts`` (dicts by node; empty when that kind is not shown),
    ``index_texts`` ("x₁" left of the inputs), ``code_texts`` (the legend's colour code),
    ``loss_text``, ``loss_marker``, ``loss_links``, ``node_bar`` / ``edge_bar``
    (colour-bar axes), ``node_ticks`` / ``edge_ticks`` (three tick Texts each),
    ``node_bar_label`` / ``edge_bar_label``, ``format``, ``edge_mode``, ``labels``, ``trace``,
    ``highlight``.
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
        width: int = WIDTH,
        height: int = HEIGHT,
        dpi: int = 100,
    ) -> None:
        self.sizes: tuple[int, ...] = tuple(check_drawable(sizes))
        if format not in ("auto", "svg", "png"):
            raise ValueError(f"format must be 'auto', 'svg' or 'png', got {format!r}")
        if labels not in ("auto", True, False):
            raise ValueError(f"labels must be 'auto', True or False, got {labels!r}")
        self.L = len(self.sizes) - 1
        self.width, self.height = int(width), int(height)
        want = () if labels is False else ("a", "b") + ("z",) * bool(show_z) + (
            "delta",) * bool(show_delta)
        self.layout = plan_layout(self.sizes, width, height, want)
        if labels is True and not {"a", "b"} <= set(self.layout.kinds):  # crowded edges, then
            self.layout = plan_layout(self.sizes, width, height, ("a", "b"), min_gap=10.0)
        kinds = self.layout.kinds
        self.labels: bool = "a" in kinds
        self.numbers: bool = labels is not False  # False: not even the loss is written
        self.show_z = "z" in kinds
        self.show_delta = "delta" in kinds
        self._dropped = [KIND_NAMES[k] for k in ("a", "b", "z", "delta")
                         if k in want and k not in kinds]
        self._edge_mode = "gradient"
        self.trace: Trace | None = None
        self.highlight: Highlight | None = None
        self._build_graph()
        self._dpi = dpi
        self._build_figure(dpi)
        self._format = ""
        self.format = format if format != "auto" else (
            "svg" if len(self.edgelist) <= SVG_MAX_EDGES else "png")
        self.edge_mode = edge_mode

    @property
    def caption(self) -> str:
        """What the diagram leaves out, for the dashboard to show under it: ``""`` or, e.g.,
        "b labels hidden: too many units to fit; hover a node for its numbers"."""
        names = self._dropped
        if not names:
            return ""
        said = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        hover = "; hover a node for its numbers" if self.format == "svg" else ""
        return f"{said} labels hidden: too many units to fit{hover}"

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
            self._background = self._svg_static = self._svg_geometry = None
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
        lay = self.layout
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
        # layers left → right, neuron 1 on top; in figure px (the axes' data coordinates)
        self.pos = {(l, j): (lay.xs[l], lay.ys[l][j - 1]) for l, j in self.nodelist}
        self._node_index = {node: i for i, node in enumerate(self.nodelist)}
        self._edge_index = {(p.l, p.j, p.k): i for i, p in enumerate(self.params)}

    def _pt(self, px: float) -> float:
        """Figure px → points (font sizes, line widths, marker sizes)."""
        return px * 72.0 / self._dpi

    def _build_figure(self, dpi: int) -> None:
        lay = self.layout
        fig = Figure(figsize=(self.width / dpi, self.height / dpi), dpi=dpi)
        FigureCanvasAgg(fig)
        self.figure = fig
        ax = fig.add_axes((0, 0, 1, 1))  # data coordinates = figure px
        ax.set_axis_off()
        ax.set_xlim(0, self.width)
        ax.set_ylim(0, self.height)
        ax.autoscale(False)
        self.ax = ax
        w, h = lay.box
        xy = np.array([self.pos[n] for n in self.nodelist])

        # edges: from the right side of the source to the left side of the destination, so
        # that the column strips (and the labels in them) stay free of edges
        segs = np.array([[(self.pos[u][0] + w / 2, self.pos[u][1]),
                          (self.pos[v][0] - w / 2, self.pos[v][1])] for u, v in self.edgelist])
        self.edge_cmap = edge_colormap("gradient")
        self.edge_norm = Normalize(np.nan, np.nan)  # symmetric, set by every update
        self.halo_collection = LineCollection([], colors=HALO, linewidths=1.0, zorder=0.9,
                                              capstyle="butt", label="halo")
        ax.add_collection(self.halo_collection)
        ec = LineCollection(segs, colors=NEUTRAL, linewidths=1.0, zorder=1, capstyle="butt",
                            label="edges")
        ax.add_collection(ec)
        self.edge_collection = ec
        self._segments = segs
        self._negative = np.zeros(len(segs), bool)  # which edges are dashed now

        # the loss: a box in its own column, joined to every output by a dotted line
        out = [n for n in self.nodelist if n[0] == self.L]
        mid_y = float(np.mean(lay.ys[-1]))
        self.loss_xy = (lay.x_loss, mid_y)
        lb = lay.loss_box
        self.loss_links = LineCollection(
            [[(self.pos[n][0] + w / 2, self.pos[n][1]), (lay.x_loss - lb / 2, mid_y)] for n in out],
            colors=COLORS["muted"], linewidths=self._pt(1.2), linestyles=":", zorder=1,
            label="loss links")
        ax.add_collection(self.loss_links)
        self.loss_marker = ax.scatter(
            [lay.x_loss], [mid_y], s=self._pt(lb) ** 2, marker="s", c="white",
            edgecolors=COLORS["text"], linewidths=self._pt(1.5), zorder=3)
        self.loss_glyph = ax.text(lay.x_loss, mid_y, "L", ha="center", va="center",
                                  fontsize=self._pt(TITLE_PX), color=COLORS["text"], zorder=4,
                                  fontweight="bold")

        # nodes: one PathCollection in nodelist order, coloured through set_array
        self.node_cmap = node_colormap()
        self.node_norm = Normalize(np.nan, np.nan)  # set by the first update
        layer = np.array([l for l, _ in self.nodelist])
        self._rim_rgba = mpl.colors.to_rgba_array(
            [COLORS["input"] if l == 0 else "#444444" for l in layer])
        self._rim_px = np.where(layer == 0, 2.5, 1.0)
        self._node_px = (w, h)
        self.node_collection = ax.scatter(
            xy[:, 0], xy[:, 1], s=self._pt(max(w, h)) ** 2, marker=_pill(w, h),
            c=np.zeros(len(xy)), cmap=self.node_cmap, norm=self.node_norm,
            edgecolors=self._rim_rgba, linewidths=self._pt(1) * self._rim_px, zorder=2)

        self._slot: dict = {}  # label → (slot width px, font px)
        self._build_titles()
        self.value_texts: dict = {}
        self.bias_texts: dict = {}
        self.z_texts: dict = {}
        self.delta_texts: dict = {}
        self.index_texts: dict = {}
        self._build_labels()
        self._values = set(self.value_texts.values())  # written inside their nodes' <g>
        self._build_legend()

        # artists that change on update: drawn over a cached background when rendering
        # (the rest — titles, legend, loss box — changes rarely: it is drawn once into a cached
        # background, redrawn only when _static_key changes)
        self._dynamic = sorted(
            [self.halo_collection, self.edge_collection, self.node_collection, self.loss_text,
             self.edge_ticks[0], self.edge_ticks[2], *self.value_texts.values(),
             *self.bias_texts.values(), *self.z_texts.values(), *self.delta_texts.values()],
            key=lambda a: a.get_zorder())
        for artist in self._dynamic:
            artist.set_animated(True)  # Figure.draw skips them; render() draws them on top
            artist.set_clip_on(False)  # all lie inside the figure; no clip paths in the SVG
        self._static_key = None
        self._background = None  # Agg pixels of the static part
        self._svg_static = None  # SVG text of the static part (savefig, changing artists hidden)
        self._svg_geometry = None  # the edges' and nodes' fixed SVG geometry
        self._svg_text_head: dict = {}  # per label: its SVG <text> start (position is fixed)
        self._svg_ids = None  # per changing label: its SVG id
        self._titles_static = self._svg_titles()
        self._fmt_cache: dict = {}

    def _text(self, x, y, s="", px=LABEL_PX, color=COLORS["text"], **kw):
        kw.setdefault("ha", "center")
        kw.setdefault("va", "center")
        return self.ax.text(x, y, s, fontsize=self._pt(px), color=color, **kw)

    def _build_titles(self) -> None:
        lay = self.layout
        ya, yb = lay.title_y
        for l, x in enumerate(lay.xs):
            name = "input" if l == 0 else "output" if l == self.L else f"hidden {l}"
            if lay.short_titles:
                name = "in" if l == 0 else "out" if l == self.L else f"h{l}"
            self._text(x, ya, name, TITLE_PX, va="top")
            self._text(x, yb, f"l = {l}", TITLE_PX, color=COLORS["muted"], va="top")
        self._text(lay.x_loss, ya, "loss", TITLE_PX, va="top")
        self.loss_text = self._text(lay.x_loss, yb, "L = ", TITLE_PX, va="top", zorder=4)
        left = lay.xs[-1] + text_width(f"l = {self.L}", TITLE_PX) / 2 + 6  # the output's title
        room = 2 * min(self.width - PAD - lay.x_loss, lay.x_loss - left)
        self._slot[self.loss_text] = (room, TITLE_PX)

    def _build_labels(self) -> None:
        """Per neuron: its number in the node, z above, b and δ below (inside its column)."""
        lay = self.layout
        w, h = lay.box
        sep, line = 2.0, lay.line
        kinds = lay.kinds
        for node in self.nodelist:
            l, j = node
            x, y = self.pos[node]
            if l == 0 and lay.index:
                self.index_texts[node] = self._text(
                    x - w / 2 - 3, y, f"x{_sub(j)}", ha="right", zorder=5)
            if "a" in kinds:
                t = self._text(x, y, zorder=3)
                self.value_texts[node] = t
                self._slot[t] = (w - 6, LABEL_PX)
            if l == 0:
                continue
            below = y - h / 2 - sep
            if "z" in kinds:
                t = self._text(x, y + h / 2 + sep, va="bottom", zorder=5)
                self.z_texts[node], self._slot[t] = t, (w, LABEL_PX)
            if "b" in kinds:
                t = self._text(x, below, color=COLORS["weight"], va="top", zorder=5)
                self.bias_texts[node], self._slot[t] = t, (w, LABEL_PX)
                below -= line + sep
            if "delta" in kinds:
                t = self._text(x, below, color=COLORS["error"], va="top", zorder=5)
                self.delta_texts[node], self._slot[t] = t, (w, LABEL_PX)

    def _build_legend(self) -> None:
        """Two horizontal colour bars (nodes, edges) and a row naming the four colours."""
        row = 1.3 * LEGEND_PX
        top = PAD + _legend_height()
        x0, x1 = PAD, self.width - PAD
        half = (x1 - x0 - 24) / 2
        bar_y = top - row - 3 - 9
        self.node_bar, self.node_ticks, self.node_bar_label = self._colour_bar(
            (x0, bar_y, half, 9), self.node_cmap, NODE_LABEL, sign=False)
        self.edge_bar, self.edge_ticks, self.edge_bar_label = self._colour_bar(
            (x1 - half, bar_y, half, 9), self.edge_cmap, EDGE_LABELS["gradient"], sign=True)
        # the colour code: a swatch and its meaning, spread over the width
        texts = [t for _, t in CODE_ROW]
        widths = [10 + 4 + text_width(t, LEGEND_PX) for t in texts]
        space = (x1 - x0 - sum(widths)) / (len(texts) - 1)
        x, y = x0, PAD + row / 2
        self.code_texts = []
        for (role, label), wd in zip(CODE_ROW, widths):
            self.ax.add_patch(Rectangle((x, y - 5), 10, 10, facecolor=COLORS[role],
                                        edgecolor="none", zorder=5))
            self.code_texts.append(self._text(x + 14, y, label, LEGEND_PX, ha="left", zorder=5))
            x += wd + space

    def _colour_bar(self, rect, cmap, label: str, sign: bool):
        x, y, w, h = rect
        fw, fh = self.width, self.height
        cax = self.figure.add_axes((x / fw, y / fh, w / fw, h / fh))
        cax.set_axis_off()
        cax.imshow(np.linspace(0, 1, 256)[None, :], aspect="auto", cmap=cmap, origin="lower",
                   extent=(0, 1, 0, 1), interpolation="nearest")
        cax.add_patch(Rectangle((0, 0), 1, 1, fill=False, lw=self._pt(0.8),
                                edgecolor=COLORS["muted"], transform=cax.transAxes))
        cax.set_xlim(0, 1)
        cax.set_ylim(0, 1)
        ticks_y = y - (7 if sign else 2)
        if sign:  # the line style of each half: dashed below 0, solid above
            lw = self._pt(1.5)
            self.ax.plot([x, x + w / 2 - 2], [y - 3.5, y - 3.5], color=COLORS["text"], lw=lw,
                         ls=(0, DASH), zorder=5)
            self.ax.plot([x + w / 2 + 2, x + w], [y - 3.5, y - 3.5], color=COLORS["text"],
                         lw=lw, zorder=5)
        ticks = [self._text(x + f * w, ticks_y, "", LEGEND_PX, ha=ha, va="top", zorder=5)
                 for f, ha in ((0.0, "left"), (0.5, "center"), (1.0, "right"))]
        title = self._text(x, y + h + 3, label, LEGEND_PX, ha="left", va="bottom", zorder=5)
        for t in ticks:
            self._slot[t] = (w / 3 - 4, LEGEND_PX)
        return cax, ticks, title

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
        self.edge_cmap = edge_colormap(mode)
        self.edge_bar.images[0].set_cmap(self.edge_cmap)
        self.edge_bar_label.set_text(EDGE_LABELS[mode])
        self._static_key = self._background = self._svg_static = None  # the legend is static
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
        lo, hi = nice(min(0.0, float(a.min()))), nice(max(1.0, float(a.max())))
        if (lo, hi) != (self.node_norm.vmin, self.node_norm.vmax):
            with self.node_norm.callbacks.blocked():
                self.node_norm.vmin, self.node_norm.vmax = lo, hi
            self.node_ticks[0].set_text(self._fit(self.node_ticks[0], label_number(lo)))
            self.node_ticks[2].set_text(self._fit(self.node_ticks[2], label_number(hi)))
            zero = -lo / (hi - lo)  # where 0 sits on the bar: a tick there, if it has room
            self.node_ticks[1].set_text("0.0" if 0.25 <= zero <= 0.75 else "")
            self.node_ticks[1].set_x(self.node_ticks[0].get_position()[0]
                                     + zero * (self.node_ticks[2].get_position()[0]
                                               - self.node_ticks[0].get_position()[0]))
        self.node_collection.set_array(a)

        # edges: one cmap(norm(values)) call, symmetric norm centred on 0; sign as line style
        g = self.edge_values(trace)
        m = nice(float(np.abs(g).max())) or 1.0
        if m != self.edge_norm.vmax:
            self.edge_norm.vmin, self.edge_norm.vmax = -m, m
            for t, v in zip(self.edge_ticks, (-m, 0.0, m)):
                t.set_text(self._fit(t, label_number(v)))
        rgba = self.edge_cmap(self.edge_norm(g))
        mag = np.minimum(np.abs(g) / m, 1.0)
        widths = EDGE_WIDTH[0] + (EDGE_WIDTH[1] - EDGE_WIDTH[0]) * mag
        negative = g < 0

        halo_idx = np.zeros(0, int)
        node_alpha = np.ones(len(self.nodelist))
        rim_px = self._rim_px.copy()
        rim = self._rim_rgba.copy()
        if hl is not None:
            on_e = np.zeros(len(self.edgelist), bool)
            idx = [self._edge_index[e] for e in hl.edges if e in self._edge_index]
            on_e[idx] = True
            rgba[~on_e, 3] = FADE
            widths = np.where(on_e, np.maximum(widths, 2.5), widths)
            if on_e.sum() <= HALO_MAX_EDGES:
                halo_idx = np.flatnonzero(on_e)
            on_n = np.zeros(len(self.nodelist), bool)
            idx = [self._node_index[n] for n in hl.neurons if n in self._node_index]
            on_n[idx] = True
            node_alpha[~on_n] = FADE + 0.1
            rim_px[on_n] = 2.5
            rim[on_n & (self._rim_px < 2), :] = mpl.colors.to_rgba(COLORS["text"])
            rim[:, 3] = node_alpha
        pt = self._pt(1.0)
        # the halo: a dark outline, then white where the edge goes (seen in a dashed one's gaps)
        n = len(halo_idx)
        self.halo_collection.set_segments(np.concatenate([self._segments[halo_idx]] * 2))
        self.halo_collection.set_color([HALO] * n + ["white"] * n)
        self.halo_collection.set_linewidth(
            np.concatenate([widths[halo_idx] + HALO_EXTRA, widths[halo_idx]]) * pt)
        self.edge_collection.set_color(rgba)
        self.edge_collection.set_linewidth(widths * pt)
        if not np.array_equal(negative, self._negative):  # set_linewidth scales the dashes
            self.edge_collection.set_linestyle(
                [(0, DASH) if n else "solid" for n in negative.tolist()])
            self._negative = negative
        self._edge_px = widths
        self.node_collection.set_alpha(node_alpha)
        self.node_collection.set_edgecolor(rim)
        self.node_collection.set_linewidth(rim_px * pt)
        self._node_alpha, self._node_rim, self._node_rim_px = node_alpha, rim, rim_px
        self.loss_marker.set_linewidth((3.0 if hl is not None and hl.loss else 1.5) * pt)
        self.loss_marker.set_alpha(1.0 if hl is None or hl.loss else FADE + 0.1)
        self.loss_links.set_alpha(1.0 if hl is None or hl.loss else FADE)
        # labels=False (practice mode): no number at all, the loss included
        loss = f"L = {label_number(trace.loss)}" if self.numbers else "L"
        self.loss_text.set_text(self._fit(self.loss_text, loss))

        key = (lo, hi, self._edge_mode, hl is None, hl is not None and hl.loss)
        if key != self._static_key:
            self._static_key = key
            self._background = self._svg_static = None

        self._update_labels(trace, hl)

    def _fit(self, t, text: str) -> str:
        """Set ``t``'s font size so that ``text`` fits its slot (smaller only when it must)."""
        slot, px = self._slot[t]
        need = text_width(text, px)
        size = px if need <= slot else max(px * slot / need, 6.0)
        if self._pt(size) != t.get_fontsize():
            t.set_fontsize(self._pt(size))
        return text

    def _update_labels(self, trace: Trace, hl: Highlight | None) -> None:
        faded = FADE + 0.2
        prefix = self.layout.prefix
        for node, t in self.value_texts.items():
            l, j = node
            v = label_number(trace.a[l][j - 1])
            if prefix:
                v = (f"x{_sub(j)} = " if l == 0 else "a = ") + v
            t.set_text(self._fit(t, v))
            t.set_alpha(1.0 if hl is None or node in hl.neurons else faded)
        for node, t in self.bias_texts.items():
            l, j = node
            t.set_text(self._fit(t, f"b = {label_number(trace.biases[l - 1][j - 1])}"))
            on = hl is not None and node in hl.biases
            t.set_fontweight("bold" if on else "normal")
            t.set_alpha(1.0 if hl is None or on or node in hl.neurons else faded)
        for node, t in self.z_texts.items():
            l, j = node
            t.set_text(self._fit(t, f"z = {label_number(trace.z[l][j - 1])}"))
            t.set_alpha(1.0 if hl is None or node in hl.neurons else faded)
        for node, t in self.delta_texts.items():
            l, j = node
            t.set_text(self._fit(t, f"δ = {label_number(trace.delta[l][j - 1])}"))
            t.set_alpha(1.0 if hl is None or node in hl.neurons else faded)

    # -- hover text -----------------------------------------------------------------------

    def _svg_titles(self) -> tuple[list, list]:
        """The fixed parts of the hover titles: each edge's weight name, each node's name."""
        edges = [p.unicode for p in self.params]
        nodes = []
        for l, j in self.nodelist:
            nodes.append(f"x{_sub(j)}" if l == 0 else
                         f"{'out' if l == self.L else f'h{l}'}{_sub(j)}")
        return edges, nodes

    def _fmt_all(self, values: Iterable[float]) -> list[str]:
        """:func:`fmt` of many numbers, remembered: on a slider drag most weights repeat."""
        cache = self._fmt_cache
        if len(cache) > 50_000:
            cache.clear()
        out = []
        for v in values:
            s = cache.get(v)
            if s is None:
                s = cache[v] = fmt(v, True)
            out.append(s)
        return out

    def edge_titles(self) -> list[str]:
        """Hover text of every edge, in ``edgelist`` order: "w₁,₁⁽²⁾ = 0.4, ∂L/∂w = −0.0123"."""
        trace = self.trace
        w = self._fmt_all(np.concatenate([W.ravel() for W in trace.weights]).tolist())
        g = self._fmt_all(
            np.concatenate([trace.grad_W[l].ravel() for l in range(1, self.L + 1)]).tolist())
        return [f"{name} = {wi}, ∂L/∂w = {gi}"
                for name, wi, gi in zip(self._titles_static[0], w, g)]

    def node_titles(self) -> list[str]:
        """Hover text of every node, in ``nodelist`` order: "h1₁: z = …, a = …, δ = …, b = …"
        ("x₂ = 0.5" for an input)."""
        trace, f = self.trace, label_number
        out = []
        for (l, j), name in zip(self.nodelist, self._titles_static[1]):
            if l == 0:
                out.append(f"{name} = {f(trace.a[0][j - 1])}")
            else:
                i = j - 1
                out.append(f"{name}: z = {f(trace.z[l][i])}, a = {f(trace.a[l][i])}, "
                           f"δ = {f(trace.delta[l][i])}, b = {f(trace.biases[l - 1][i])}")
        return out

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
        """SVG = the static part (cached) + the changing artists, written directly on top.

        The static part is what ``savefig`` writes with the changing artists hidden. Every
        changing element is written here with an ``id`` (``edge-w1-1-1``, ``node-1-2``,
        ``z-1-2``, ``b-1-2``, ``delta-1-2``, ``loss``, ``tick-lo``/``tick-hi``, ``halo``), so a
        page can tell which parts changed.
        """
        saved = {k: mpl.rcParams[k] for k in _SVG_RC}
        mpl.rcParams.update(_SVG_RC)  # cheaper than rc_context, which copies all rcParams
        try:
            return self._render_svg_fast()
        finally:
            mpl.rcParams.update(saved)

    _ANCHOR = {"center": "middle", "left": "start", "right": "end"}
    _BASELINE = {"bottom": "text-after-edge", "top": "text-before-edge", "center": "central",
                 "baseline": "auto", "center_baseline": "central"}

    def _svg_text(self, t, ident: str = "") -> str:
        """A changing label as one SVG ``<text>``, written directly.

        matplotlib lays every text out (~0.5 ms each) even when the SVG keeps it as text; these
        labels sit at fixed places, so only their string, size, colour and weight are formatted
        here. A white outline (``paint-order: stroke``) keeps a label readable on any background.
        """
        key = (id(t), t.get_position())
        head = self._svg_text_head.get(key)
        if head is None:
            x, y = t.get_transform().transform(t.get_position())
            fp = t.get_fontproperties()
            halo = "" if t in self._values else (
                ";paint-order:stroke;stroke:#ffffff;stroke-width:3px;stroke-linejoin:round")
            head = (
                f'<text{ident} x="{x:.2f}" y="{self.figure.bbox.height - y:.2f}" '
                f"style=\"font-family:'{fp.get_name()}',sans-serif;"
                f"text-anchor:{self._ANCHOR[t.get_horizontalalignment()]};"
                f"dominant-baseline:{self._BASELINE[t.get_verticalalignment()]}{halo}"
            )
            self._svg_text_head[key] = head
        text = t.get_text()
        if not text or not t.get_visible():
            return ""
        r, g, b, a = mpl.colors.to_rgba(t.get_color(), t.get_alpha())
        weight = ";font-weight:bold" if t.get_fontweight() in ("bold", 700) else ""
        opacity = "" if a >= 1 else f";opacity:{a:.3g}"
        return (f'{head};font-size:{t.get_fontsize():.3g}px;'
                f'fill:#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}'
                f'{weight}{opacity}">{text}</text>\n')

    def _svg_fixed(self):
        """Per edge its ``<path`` start (id, d); per node its ``<rect`` geometry: fixed."""
        if self._svg_geometry is None:
            H = self.figure.bbox.height
            pts = self.ax.transData.transform(self._segments.reshape(-1, 2)).reshape(-1, 2, 2)
            edges = [
                f'<path id="edge-{str(p).replace(",", "-")}" '
                f'd="M {x0:.2f} {H - y0:.2f} L {x1:.2f} {H - y1:.2f}" style="stroke:'
                for p, ((x0, y0), (x1, y1)) in zip(self.params, pts.tolist())
            ]
            s = self.figure.dpi / self._dpi  # figure px → SVG units
            w, h = self._node_px[0] * s, self._node_px[1] * s
            centres = self.ax.transData.transform(np.array([self.pos[n] for n in self.nodelist]))
            nodes = [
                f'<g id="node-{l}-{j}"><title>{{}}</title><rect x="{cx - w / 2:.2f}" '
                f'y="{H - cy - h / 2:.2f}" width="{w:.2f}" height="{h:.2f}" rx="{h / 2:.2f}" '
                'style="fill:'
                for (l, j), (cx, cy) in zip(self.nodelist, centres.tolist())
            ]
            self._svg_geometry = (edges, nodes, s)
        return self._svg_geometry

    def _svg_edges(self) -> str:
        """The edges as SVG, one ``<path>`` per edge in ``edgelist`` order, with its ``<title>``.

        matplotlib's SVG writer spends ~25 µs per path on styles; the edges' geometry never
        changes, so only their colours, widths, dashes and hover text are formatted here.
        """
        starts, _, s = self._svg_fixed()
        rgba = self.edge_collection.get_color()
        rgb = np.round(rgba[:, :3] * 255).astype(int).tolist()
        alpha = rgba[:, 3].tolist()
        widths = (self._edge_px * s).tolist()
        dashed = self._negative.tolist()
        titles = self.edge_titles()
        out = ['<g id="edges" style="fill:none;stroke-linecap:butt">\n']
        for start, (r, g, b), a, w, neg, title in zip(starts, rgb, alpha, widths, dashed, titles):
            opacity = "" if a >= 1 else f";stroke-opacity:{a:.3g}"
            dash = f";stroke-dasharray:{DASH[0] * w:.3g},{DASH[1] * w:.3g}" if neg else ""
            out.append(f'{start}#{r:02x}{g:02x}{b:02x}{opacity};stroke-width:{w:.3g}{dash}">'
                       f"<title>{title}</title></path>\n")
        out.append("</g>\n")
        return "".join(out)

    def _svg_nodes(self) -> str:
        """The nodes as SVG: per node a ``<g id="node-l-j">`` with its ``<title>``, its pill
        (fill from the node colour map, rim) and the number inside it."""
        _, starts, s = self._svg_fixed()
        faces = self.node_cmap(self.node_norm(self.node_collection.get_array()))
        fill = np.round(faces[:, :3] * 255).astype(int).tolist()
        rim = np.round(self._node_rim[:, :3] * 255).astype(int).tolist()
        alpha = self._node_alpha.tolist()
        rim_w = (self._node_rim_px * s).tolist()
        titles = self.node_titles()
        values = [self.value_texts.get(n) for n in self.nodelist]
        out = ['<g id="nodes">\n']
        for start, (r, g, b), (rr, rg, rb), a, rw, title, t in zip(
                starts, fill, rim, alpha, rim_w, titles, values):
            opacity = "" if a >= 1 else f";opacity:{a:.3g}"
            out.append(f'{start.format(title)}#{r:02x}{g:02x}{b:02x};stroke:#{rr:02x}{rg:02x}'
                       f'{rb:02x};stroke-width:{rw:.3g}{opacity}"/>')
            if t is not None:
                out.append(self._svg_text(t).rstrip("\n"))
            out.append("</g>\n")  # one line per node: a page can patch it (picture.py)
        out.append("</g>\n")
        return "".join(out)

    def _svg_static_part(self) -> str:
        """The figure without the changing artists, as ``savefig`` writes it (no ``</svg>``)."""
        if self._svg_static is None:
            shown = [(a, a.get_visible()) for a in self._dynamic]
            for a, _ in shown:
                a.set_visible(False)
            try:
                buf = io.StringIO()
                self.figure.savefig(buf, format="svg", metadata={"Date": None})
            finally:
                for a, visible in shown:
                    a.set_visible(visible)
            text = buf.getvalue()
            self._svg_static = text[: text.rindex("</svg>")]
        return self._svg_static

    def _svg_halo(self) -> str:
        """The highlighted edges' outline (dark, then white where the edge runs)."""
        segments = self.halo_collection.get_segments()
        if not segments:
            return ""
        H, s = self.figure.bbox.height, self.figure.dpi / 72.0
        rgba = self.halo_collection.get_color()
        widths = self.halo_collection.get_linewidth()
        pts = self.ax.transData.transform(np.concatenate(segments)).reshape(-1, 2, 2)
        out = ['<g id="halo" style="fill:none;stroke-linecap:butt">']  # one line (picture.py)
        for k, ((x0, y0), (x1, y1)) in enumerate(pts.tolist()):
            r, g, b = (round(c * 255) for c in rgba[k % len(rgba)][:3])
            w = widths[k % len(widths)] * s
            out.append(f'<path d="M {x0:.2f} {H - y0:.2f} L {x1:.2f} {H - y1:.2f}" '
                       f'style="stroke:#{r:02x}{g:02x}{b:02x};stroke-width:{w:.3g}"/>')
        out.append("</g>\n")
        return "".join(out)

    def _text_ids(self) -> dict:
        """Each changing label (text artist) → its SVG id. The numbers inside the nodes have
        none: they are written inside their node's ``<g id="node-l-j">``."""
        if self._svg_ids is None:
            ids = {self.loss_text: "loss", self.edge_ticks[0]: "tick-lo",
                   self.edge_ticks[2]: "tick-hi"}
            for kind, texts in (("b", self.bias_texts), ("z", self.z_texts),
                                ("delta", self.delta_texts)):
                for (l, j), t in texts.items():
                    ids[t] = f"{kind}-{l}-{j}"
            self._svg_ids = ids
        return self._svg_ids

    def _render_svg_fast(self) -> str:
        out = [self._svg_static_part()]
        values, ids = self._values, self._text_ids()
        for artist in self._dynamic:
            if artist is self.edge_collection:
                out.append(self._svg_edges())
            elif artist is self.node_collection:
                out.append(self._svg_nodes())
            elif artist is self.halo_collection:
                out.append(self._svg_halo())
            elif artist in values:
                continue  # written inside its node's group
            elif isinstance(artist, mpl.text.Text):
                out.append(self._svg_text(artist, f' id="{ids[artist]}"'))
            else:  # a new kind of changing artist needs its own writer here
                raise TypeError(f"no SVG writer for {type(artist).__name__}")
        out.append("</svg>\n")
        return "".join(out)

    def _repr_mimebundle_(self, include=None, exclude=None):
        key = "image/svg+xml" if self.format == "svg" else "image/png"
        return {key: self.render()}

    # -- hit test -------------------------------------------------------------------------

    def hit(self, x_frac: float, y_frac: float, tol: float = 0.012) -> "tuple | Param | None":
        """What a click at figure fraction ``(x_frac, y_frac)`` hit.

        ``(0, 0)`` is the bottom-left corner of the figure (for a click on the picture in a
        browser, ``y_frac = 1 − offsetY / height``). Returns the node ``(l, j)`` when the point
        is on a node (nodes win over the edges that end at them), else the :class:`Param` of
        the nearest edge within ``tol`` (a fraction of the figure's height; where edges cross,
        the one on top), else ``None``.
        """
        px, py = x_frac * self.width, y_frac * self.height  # data coordinates are figure px
        w, h = self.layout.box
        xy = np.array([self.pos[n] for n in self.nodelist])
        dx, dy = np.abs(xy[:, 0] - px), np.abs(xy[:, 1] - py)
        # a stadium: the distance to its centre line, within h/2 (and 2 px of slack)
        d = np.hypot(np.maximum(dx - max(w / 2 - h / 2, 0.0), 0.0), dy)
        i = int(np.argmin(d))
        if d[i] <= h / 2 + 2:
            return self.nodelist[i]
        a, b = self._segments[:, 0], self._segments[:, 1]
        ab = b - a
        p = np.array([px, py])
        t = np.clip(np.einsum("ij,ij->i", p - a, ab)
                    / np.maximum(np.einsum("ij,ij->i", ab, ab), 1e-12), 0, 1)
        d = np.hypot(*(a + t[:, None] * ab - p).T)
        # where edges cross (within half a px), the one drawn last: it is the one on top
        i = int(np.flatnonzero(d <= d.min() + 0.5)[-1])
        return self.params[i] if d[i] <= tol * self.height else None

    def edge_at(self, x_frac: float, y_frac: float, tol: float = 0.012) -> Param | None:
        """The weight whose edge a click at ``(x_frac, y_frac)`` hit; ``None`` on a node or
        away from every edge (see :meth:`hit`)."""
        found = self.hit(x_frac, y_frac, tol)
        return found if isinstance(found, Param) else None

    def __repr__(self) -> str:
        return f"NetworkDiagram({list(self.sizes)}, edge_mode={self._edge_mode!r}, format={self.format!r})"


# --- the README picture ----------------------------------------------------------------------


def seed_picture(param: str = "w1,1,1") -> NetworkDiagram:
    """The README picture: the seed net with z and δ, the paths of ``param`` to the loss
    highlighted and said in a caption."""
    from ..core import seed_example

    net, x, y = seed_example()
    d = NetworkDiagram(net.sizes, format="png", show_z=True, show_delta=True)
    p = Param.parse(param)
    d.update(net.trace(x, y), paths_highlight(net.sizes, p))
    # below the inputs, above the legend: empty in the seed net's layout
    d._text(PAD, d.layout.ys[0][-1] - d.layout.box[1] / 2 - 24,
            f"highlighted: every path from {p.unicode} to the loss L", LEGEND_PX, ha="left",
            va="top", zorder=5)
    d._background = None  # the caption belongs to the static part
    return d


def save_seed_picture(path: str, param: str = "w1,1,1") -> None:
    """Save :func:`seed_picture` as a PNG."""
    with open(path, "wb") as f:
        f.write(seed_picture(param).render())


def _main(argv: Iterable[str]) -> int:
    args = list(argv)
    if len(args) not in (1, 2):
        print("usage: python -m backprop_widgets.draw.diagram OUT.png [w1,1,1]", file=sys.stderr)
        return 2
    save_seed_picture(*args)
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
