"""The network diagram: a networkx graph drawn once with matplotlib, recoloured in place.

::

    d = NetworkDiagram(net.sizes)       # graph, layout, figure and artists: once per architecture
    d.update(trace, highlight=None)     # recolour nodes/edges, rewrite labels — no new artists
    data = d.render()                   # str (SVG) or bytes (PNG), see ``d.format``
    d.svg()                             # the SVG by id: what an edit changed (``svg.py``)
    d.hit(x_frac, y_frac)               # what a click hit: a node (l, j), an edge's Param, None
    d.caption                           # "" or what is left out, e.g. "b labels hidden: …"

:class:`NetworkDiagram` is the facade; each job has its own module in this package:

=================  ==========================================================================
``graph.py``       the networkx graph and the order of nodes and edges (edge i is entry i of
                   ``np.concatenate([trace.grad_W[l].ravel() for l in 1..L])``)
``layout.py``      where everything goes in figure px; which label kinds fit; size limits
``text.py``        font sizes, numbers as the page prints them, text widths
``colours.py``     the colour code, the colour maps, and ``EDGE_MODES`` (what edges can show)
``figure.py``      the matplotlib figure and its artists, built once
``labels.py``      the numbers on the diagram (a, z, b, δ)
``recolour.py``    one update: the changing artists set from a trace and a highlight
``hover.py``       the SVG's hover titles
``svg.py``         SVG: ``savefig`` of the static part + the changing elements by id
``png.py``         PNG: Agg + Pillow
``hit.py``         which node or edge a click hit
``readme.py``      the README picture (``python -m backprop_widgets.draw.diagram OUT.png``)
=================  ==========================================================================

Speed (``benchmarks/bench_diagram.py``)
    What does not change on a slider drag (titles, legend, loss box) is drawn once and cached:
    as SVG text, or as Agg pixels for PNG; each render draws only the changing artists on top.
    An update + render costs ~1.7 ms for the seed net and ~3.7 ms for [8,16,16,8,4] in SVG,
    against ~21 / 54 ms for a naive redraw (new Figure + ``nx.draw_networkx`` + ``savefig``);
    PNG ~12 / 40 ms. ``format="auto"`` picks SVG (crisp on HiDPI, hover titles) up to
    :data:`SVG_MAX_EDGES` edges and PNG above, where the SVG text would pass ~1 MB.

A new architecture needs a new diagram: the dashboard should keep one ``NetworkDiagram`` and
rebuild it when ``tuple(net.sizes) != d.sizes``; :meth:`NetworkDiagram.update` raises
``ValueError`` for a trace of another architecture. Library code never imports pyplot.
"""

from __future__ import annotations

import sys
from typing import Sequence

import networkx as nx
import numpy as np

from ..core import Param, Trace, UnitMarks
from ..explain.highlight import Highlight
from .colours import check_edge_mode
from .figure import DiagramFigure
from .graph import DiagramGraph, node_values
from .hit import hit
from .hover import HoverTitles
from .layout import HEIGHT, WIDTH, DiagramTooLarge, check_drawable, plan_layout
from .marks import apply_marks
from .png import PngWriter
from .recolour import paint
from .svg import SvgDrawing, SvgWriter
from .text import KIND_NAMES, LABEL_PX

__all__ = ["NetworkDiagram", "DiagramTooLarge", "check_drawable", "LABEL_PX", "SVG_MAX_EDGES"]

SVG_MAX_EDGES = 10_000  #: ``format="auto"``: SVG up to this many edges, PNG above (payload)


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
    ``params`` (the :class:`Param` of each edge), ``layout`` (:class:`Layout`), ``caption``,
    ``format``, ``edge_mode``, ``labels``, ``trace``, ``highlight``, and ``drawing`` (the
    :class:`DiagramFigure`), which holds the artists: ``drawing.pos`` (node → (x, y) in figure px,
    the axes' data coordinates), ``segments``, ``figure``, ``ax``, ``node_collection``
    (PathCollection; its array is a in ``nodelist`` order), ``edge_collection``
    (LineCollection in ``edgelist`` order), ``halo_collection``, ``node_norm``, ``edge_norm``
    (symmetric), ``node_cmap``, ``edge_cmap``, ``value_texts`` / ``bias_texts`` / ``z_texts`` /
    ``delta_texts`` (dicts by node; empty when that kind is not shown), ``index_texts``,
    ``code_texts``, ``loss_text``, ``loss_marker``, ``loss_links``, ``loss_xy``, ``node_bar`` /
    ``edge_bar``, ``node_ticks`` / ``edge_ticks``, ``node_bar_label`` / ``edge_bar_label``.
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
        want = () if labels is False else ("a", "b") + ("z",) * bool(show_z) + ("delta",) * bool(show_delta)
        self.layout = plan_layout(self.sizes, width, height, want)
        if labels is True and not {"a", "b"} <= set(self.layout.kinds):  # crowded edges, then
            self.layout = plan_layout(self.sizes, width, height, ("a", "b"), min_gap=10.0)
        kinds = self.layout.kinds
        self.labels: bool = "a" in kinds
        self.numbers: bool = labels is not False  # False: not even the loss is written
        self.show_z = "z" in kinds
        self.show_delta = "delta" in kinds
        self._dropped = [KIND_NAMES[k] for k in KIND_NAMES if k in want and k not in kinds]
        self._edge_mode = ""  # none yet: the setter below draws the one asked for
        self.trace: Trace | None = None
        self.highlight: Highlight | None = None
        self.marks: UnitMarks | None = None  # the saturated and dead units ringed
        self._topology = topo = DiagramGraph(self.sizes)
        self.nodelist, self.edgelist, self.params = topo.nodelist, topo.edgelist, topo.params
        self.drawing = DiagramFigure(topo, self.layout, self.width, self.height, dpi)
        self._hover = HoverTitles(topo)
        self._static_key: tuple | None = None
        self._writer: SvgWriter | PngWriter | None = None
        self._format = ""
        self.format = format if format != "auto" else ("svg" if len(self.edgelist) <= SVG_MAX_EDGES else "png")
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
            self.drawing.figure.set_dpi(72 if value == "svg" else self.drawing.dpi)
            self._writer = SvgWriter(self.drawing, self._hover) if value == "svg" else PngWriter(self.drawing)

    @property
    def graph(self) -> nx.DiGraph:
        """The networkx graph; its ``a``, ``w`` and ``grad`` attributes hold the last trace's
        numbers (filled in when the graph is read, not on every update)."""
        return self._topology.filled(self.trace)

    @property
    def edge_mode(self) -> str:
        """What the edges show, a key of ``colours.EDGE_MODES``: ``"gradient"`` (∂L/∂w) or
        ``"weight"`` (w, as TF Playground)."""
        return self._edge_mode

    @edge_mode.setter
    def edge_mode(self, mode: str) -> None:
        check_edge_mode(mode)
        if mode == self._edge_mode:  # nothing to redraw: the static part (its legend) stays cached
            return
        self._edge_mode = mode
        self.drawing.set_edge_mode(mode)
        self._forget_static()  # the legend is static
        if self.trace is not None:
            self._apply(self.trace, self.highlight)

    def edge_values(self, trace: Trace) -> np.ndarray:
        """The values edges show, in ``edgelist`` order: ∂L/∂w or w, depending on ``edge_mode``."""
        return check_edge_mode(self._edge_mode).values(trace)

    def node_values(self, trace: Trace) -> np.ndarray:
        """Activations a (inputs x for l = 0), in ``nodelist`` order."""
        return node_values(trace)

    def update(self, trace: Trace, highlight: Highlight | None = None, marks: UnitMarks | None = None) -> None:
        """Show ``trace`` (and emphasise ``highlight``; ``None`` clears) by changing artists in place;
        ring the saturated and dead units of ``marks`` (``core.unit_marks``; ``None``: none)."""
        self.marks = marks
        if tuple(trace.sizes) != self.sizes:
            raise ValueError(
                f"this diagram draws a {list(self.sizes)} network, the trace is of "
                f"{list(trace.sizes)}: make a new NetworkDiagram for the new architecture"
            )
        self._apply(trace, highlight)

    def _apply(self, trace: Trace, highlight: Highlight | None) -> None:
        self.trace = trace
        self.highlight = None if highlight is None or highlight.empty else highlight
        key = paint(self.drawing, trace, self.highlight, self._edge_mode, self.numbers)
        apply_marks(self.drawing, self.marks)
        if key != self._static_key:
            self._forget_static()
            self._static_key = key

    def _forget_static(self) -> None:
        self._static_key = None
        if self._writer is not None:
            self._writer.forget_static()

    def add_text(self, x: float, y: float, s: str, px: float = LABEL_PX, **kw):
        """A fixed text at ``(x, y)`` figure px (part of the static picture): a caption."""
        t = self.drawing.text(x, y, s, px, **kw)
        self._forget_static()
        return t

    def edge_titles(self) -> list[str]:
        """Hover text of every edge, in ``edgelist`` order: "w₁,₁⁽²⁾ = 0.4, ∂L/∂w = −0.0123"."""
        return self._hover.edges(self.trace)

    def node_titles(self) -> list[str]:
        """Hover text of every node, in ``nodelist`` order: "h1₁: z = …, a = …, δ = …, b = …"
        ("x₂ = 0.5" for an input)."""
        return self._hover.nodes(self.trace)

    def render(self) -> "str | bytes":
        """The figure as SVG text (``format == "svg"``) or PNG bytes (``"png"``)."""
        if self.trace is None:
            raise RuntimeError("nothing to draw yet: call update(trace) before render()")
        return self._writer.render(self.trace)

    def svg(self, titles: bool = True) -> SvgDrawing:
        """The figure as SVG by id (``format == "svg"``): the changing elements, each with its
        id, and the fixed text around them; ``titles=False`` leaves out the hover titles.
        ``svg().text == render()``."""
        if self.trace is None:
            raise RuntimeError("nothing to draw yet: call update(trace) before svg()")
        if not isinstance(self._writer, SvgWriter):
            raise ValueError(f"this diagram draws {self.format}, not SVG")
        return self._writer.drawing(self.trace, titles)

    def _repr_mimebundle_(self, include=None, exclude=None):
        key = "image/svg+xml" if self.format == "svg" else "image/png"
        return {key: self.render()}

    def hit(self, x_frac: float, y_frac: float, tol: float = 0.012) -> "tuple | Param | None":
        """What a click at figure fraction ``(x_frac, y_frac)`` hit.

        ``(0, 0)`` is the bottom-left corner of the figure (for a click on the picture in a
        browser, ``y_frac = 1 − offsetY / height``). Returns the node ``(l, j)`` when the point
        is on a node (nodes win over the edges that end at them), else the :class:`Param` of
        the nearest edge within ``tol`` (a fraction of the figure's height; where edges cross,
        the one on top), else ``None``.
        """
        return hit(self.drawing, x_frac * self.width, y_frac * self.height, tol * self.height)

    def edge_at(self, x_frac: float, y_frac: float, tol: float = 0.012) -> Param | None:
        """The weight whose edge a click at ``(x_frac, y_frac)`` hit; ``None`` on a node or
        away from every edge (see :meth:`hit`)."""
        found = self.hit(x_frac, y_frac, tol)
        return found if isinstance(found, Param) else None

    def __repr__(self) -> str:
        return f"NetworkDiagram({list(self.sizes)}, edge_mode={self._edge_mode!r}, format={self.format!r})"


if __name__ == "__main__":
    from .readme import main

    raise SystemExit(main(sys.argv[1:]))
