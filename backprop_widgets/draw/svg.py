"""The diagram as SVG: the static part from ``savefig`` (cached) + the changing parts, written here.

Everything that does not change on a slider drag (titles, legend, loss box) is what matplotlib's
public ``savefig`` writes with the changing artists hidden; it is cached until the colour bars or
the highlight state change. The changing artists are written directly on top: their positions
never change, so only colours, widths, dashes, strings and hover titles are formatted per render
(matplotlib spends ~25 µs per path on styles and lays every text out, ~0.5 ms each).

The update contract: :meth:`SvgWriter.drawing` returns an :class:`SvgDrawing`, the changing
elements by id (``edge-w1-1-1``, ``node-1-2``, ``z-1-2``, ``b-1-2``, ``delta-1-2``, ``loss``,
``tick-lo``/``tick-hi``, ``halo``) with the fixed text around them. Each element is one SVG
element carrying its own id, so a page that shows one drawing can replace, by id, the elements
that differ in the next (``app/picture.py``); :class:`SvgDrawing` refuses an element without its
id or an id twice.
"""

from __future__ import annotations

import copy
import html
import io
from dataclasses import dataclass
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


@dataclass(frozen=True, eq=False)
class SvgDrawing:
    """One SVG picture by id: ``static`` (what ``savefig`` wrote; the same object while it is
    cached), then the changing elements ``parts`` (id → element, in drawing order) with the fixed
    ``frame`` around them: the text is ``static + frame[0] + part₀ + frame[1] + … + frame[n]``.

    An element not drawn (an empty label, no halo) is not in ``parts``. Every element is one SVG
    element whose ``id`` is its key, so two drawings with the same :meth:`layout` differ only in
    the elements that :meth:`changed` names.
    """

    static: str
    frame: tuple[str, ...]
    parts: dict[str, str]

    def __post_init__(self) -> None:
        if len(self.frame) != len(self.parts) + 1:
            n = len(self.parts)
            raise ValueError(f"{n} elements need {n + 1} frame texts, not {len(self.frame)}")
        for ident, element in self.parts.items():
            check_element(ident, element)

    @property
    def text(self) -> str:
        """The whole picture as SVG text."""
        out = [self.static, self.frame[0]]
        for element, after in zip(self.parts.values(), self.frame[1:]):
            out.append(element)
            out.append(after)
        return "".join(out)

    @property
    def size(self) -> int:
        """``len(self.text)``, without writing it."""
        return len(self.static) + sum(map(len, self.frame)) + sum(map(len, self.parts.values()))

    def with_static(self, static: str) -> "SvgDrawing":
        """The same elements after another static part (e.g. the ``<svg>`` with an accessible
        name); the elements were checked once, not again."""
        new = copy.copy(self)
        object.__setattr__(new, "static", static)
        return new

    def layout(self) -> tuple:
        """What must be equal for :meth:`changed` to say every difference: all but the elements."""
        return self.static, self.frame, tuple(self.parts)

    def changed(self, base: "SvgDrawing") -> dict[str, str]:
        """The elements (by id) that differ from ``base``'s, which has the same :meth:`layout`."""
        old = base.parts
        return {ident: element for ident, element in self.parts.items() if element != old[ident]}


def check_element(ident: str, element: str) -> None:
    """Raise ``ValueError`` unless ``element`` is one SVG element whose first attribute is
    ``id="ident"``: what a page needs to replace it by id."""
    tag_end = element.find(" ")
    if not (
        element.startswith(f' id="{ident}"', tag_end)
        and element[0] == "<"
        and element[1:tag_end].isalpha()
        and (element.endswith("/>") or element.endswith(f"</{element[1:tag_end]}>"))
    ):
        raise ValueError(f"not one SVG element with id={ident!r}: {element[:80]!r}")


class _Builder:
    """Collects an :class:`SvgDrawing`: frame text and elements, in order."""

    def __init__(self) -> None:
        self.frame, self.parts = [""], {}

    def add(self, text: str) -> None:
        """Fixed text (a group's tags, line ends) after the last element."""
        self.frame[-1] += text

    def element(self, ident: str, element: str, after: str = "\n") -> None:
        """An element, and the fixed text after it (its line end)."""
        if ident in self.parts:
            raise ValueError(f"two changing elements with id={ident!r}")
        self.parts[ident] = element
        self.frame.append(after)

    def elements(self, idents: list[str], elements: list[str], after: str = "\n") -> None:
        """Many elements, each with the same fixed text after it."""
        n = len(self.parts)
        self.parts.update(zip(idents, elements, strict=True))
        if len(self.parts) != n + len(idents):
            raise ValueError("two changing elements with one id")
        self.frame.extend([after] * len(idents))


class SvgWriter:
    """Writes one :class:`~backprop_widgets.draw.figure.DiagramFigure` as SVG: by id
    (:meth:`drawing`) or as text (:meth:`render`).

    Make a new writer when the figure's dpi changes (the cached geometry is in its units);
    call :meth:`forget_static` when something of the static part changed.
    """

    def __init__(self, fig: DiagramFigure, hover: HoverTitles) -> None:
        self.fig, self.hover = fig, hover
        self._static: str | None = None
        self._text_head: dict = {}  # per label: its <text> start (position is fixed)
        self._edge_ids, self._edges_d, self._node_ids, self._nodes_g, self._scale = self._geometry()
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
        self._writers: list[Callable[[_Builder, Trace, bool], None]] = []
        for artist in fig.dynamic:
            if artist in collections:
                self._writers.append(collections[artist])
            elif isinstance(artist, mpl.text.Text) and artist in ids:
                self._writers.append(lambda out, trace, titles, t=artist, i=ids[artist]: self._label(out, t, i))
            elif artist not in fig.values:  # a new kind of changing artist needs a writer
                raise TypeError(f"no SVG writer for {type(artist).__name__}")

    def forget_static(self) -> None:
        """The static part changed: ``savefig`` it again on the next render."""
        self._static = None

    def render(self, trace: Trace, titles: bool = True) -> str:
        """The whole figure as SVG text, for ``trace`` (which the figure shows)."""
        return self.drawing(trace, titles).text

    def drawing(self, trace: Trace, titles: bool = True) -> SvgDrawing:
        """The figure for ``trace`` (which it shows) by id; ``titles=False``: no hover titles."""
        saved = {k: mpl.rcParams[k] for k in SVG_RC}
        mpl.rcParams.update(SVG_RC)  # cheaper than rc_context, which copies all rcParams
        out = _Builder()
        try:
            static = self._static_part()
            for write in self._writers:
                write(out, trace, titles)
        finally:
            mpl.rcParams.update(saved)
        out.add("</svg>\n")
        return SvgDrawing(static, tuple(out.frame), out.parts)

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

    def _geometry(self) -> tuple[list[str], list[str], list[str], list[str], float]:
        """Per edge its id and ``<path`` start (id, d); per node its id and ``<rect`` geometry
        (``{}``: where its title goes): fixed."""
        fig = self.fig
        H = fig.figure.bbox.height
        pts = fig.ax.transData.transform(fig.segments.reshape(-1, 2)).reshape(-1, 2, 2)
        edge_ids = [f"edge-{str(p).replace(',', '-')}" for p in fig.topology.params]
        edges = [
            f'<path id="{ident}" d="{line_d(x0, y0, x1, y1, H)}" style="stroke:'
            for ident, ((x0, y0), (x1, y1)) in zip(edge_ids, pts.tolist())
        ]
        s = fig.figure.dpi / fig.dpi  # figure px → SVG units
        w, h = fig.layout.box[0] * s, fig.layout.box[1] * s
        centres = fig.ax.transData.transform(fig.xy)
        node_ids = [f"node-{l}-{j}" for l, j in fig.topology.nodelist]
        nodes = [
            f'<g id="{ident}">{{}}<rect x="{cx - w / 2:.2f}" '
            f'y="{H - cy - h / 2:.2f}" width="{w:.2f}" height="{h:.2f}" rx="{h / 2:.2f}" '
            'style="fill:'
            for ident, (cx, cy) in zip(node_ids, centres.tolist())
        ]
        return edge_ids, edges, node_ids, nodes, s

    def _label(self, out: _Builder, t, ident: str) -> None:
        """A changing label with its id, if it shows."""
        element = self._text(t, f' id="{ident}"')
        if element:
            out.element(ident, element)

    def _text(self, t, ident: str = "") -> str:
        """A changing label as one SVG ``<text>`` (``""`` if it does not show): only its string,
        size, colour and weight are formatted. A white outline (``paint-order: stroke``) keeps it
        readable on any background (not inside a node)."""
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
            f'{weight}{opacity}">{text}</text>'
        )

    def _edges(self, out: _Builder, trace: Trace, titles: bool) -> None:
        """One ``<path>`` per edge in ``edgelist`` order, with its ``<title>``."""
        fig = self.fig
        rgba = fig.edge_collection.get_color()
        alpha = rgba[:, 3].tolist()
        widths = (fig.edge_px * self._scale).tolist()
        hover = [f"<title>{t}</title>" for t in self.hover.edges(trace)] if titles else [""] * len(widths)
        out.add('<g id="edges" style="fill:none;stroke-linecap:butt">\n')
        elements = []
        for start, colour, a, w, neg, title in zip(
            self._edges_d, hex_rgb(rgba), alpha, widths, fig.negative.tolist(), hover
        ):
            opacity = "" if a >= 1 else f";stroke-opacity:{a:.3g}"
            dash = f";stroke-dasharray:{DASH[0] * w:.3g},{DASH[1] * w:.3g}" if neg else ""
            elements.append(f'{start}{colour}{opacity};stroke-width:{w:.3g}{dash}">{title}</path>')
        out.elements(self._edge_ids, elements)
        out.add("</g>\n")

    def _nodes(self, out: _Builder, trace: Trace, titles: bool) -> None:
        """Per node a ``<g id="node-l-j">`` with its ``<title>``, its pill (fill from the node
        colour map, rim) and the number inside it."""
        fig = self.fig
        faces = fig.node_cmap(fig.node_norm(fig.node_collection.get_array()))
        rim_w = (fig.node_rim_px * self._scale).tolist()
        values = [fig.value_texts.get(n) for n in fig.topology.nodelist]
        notes = [f" · {html.escape(n)}" if n else "" for n in fig.node_notes]
        hover = (
            [f"<title>{t}{n}</title>" for t, n in zip(self.hover.nodes(trace), notes)] if titles else [""] * len(values)
        )
        dashes = fig.node_dash
        out.add('<g id="nodes">\n')
        elements = []
        for start, fill, rim, a, rw, title, t, d in zip(
            self._nodes_g,
            hex_rgb(faces),
            hex_rgb(fig.node_rim),
            fig.node_alpha.tolist(),
            rim_w,
            hover,
            values,
            dashes,
        ):
            opacity = "" if a >= 1 else f";opacity:{a:.3g}"
            number = "" if t is None else self._text(t)
            ring = "" if d is None else f";stroke-dasharray:{d[0] * self._scale:.3g},{d[1] * self._scale:.3g}"
            pill = f'{start.format(title)}{fill};stroke:{rim};stroke-width:{rw:.3g}{opacity}{ring}"/>'
            elements.append(f"{pill}{number}</g>")
        out.elements(self._node_ids, elements)
        out.add("</g>\n")

    def _halo(self, out: _Builder, trace: Trace, titles: bool) -> None:
        """The highlighted edges' outline (dark, then white where the edge runs), if any."""
        halo = self.fig.halo_collection
        segments = halo.get_segments()
        if not segments:
            return
        H, s = self.fig.figure.bbox.height, self.fig.figure.dpi / 72.0
        colours = hex_rgb(halo.get_color())
        widths = halo.get_linewidth()
        pts = self.fig.ax.transData.transform(np.concatenate(segments)).reshape(-1, 2, 2)
        paths = ['<g id="halo" style="fill:none;stroke-linecap:butt">']
        for k, ((x0, y0), (x1, y1)) in enumerate(pts.tolist()):
            paths.append(
                f'<path d="{line_d(x0, y0, x1, y1, H)}" '
                f'style="stroke:{colours[k % len(colours)]};'
                f'stroke-width:{widths[k % len(widths)] * s:.3g}"/>'
            )
        paths.append("</g>")
        out.element("halo", "".join(paths))
