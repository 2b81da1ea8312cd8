"""The diagram column: the network drawn with the current numbers, the edge mode, a clicked
node's numbers, and the diagram as a table (its text alternative).

It follows the state (the worked example, the step shown, the edge mode, what the mode holds back, the lesson)
and draws once per change: the diagram's artists are updated, the picture is patched in place
(:class:`~backprop_widgets.app.picture.Picture`). A click on an edge is handed to ``on_edge``; a
click on a node to ``on_node``, when it takes it (Predict: the click is the student's answer).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Callable

import ipywidgets as W
from ipyevents import Event
from traitlets import link

from ..core import EDGE_MODES
from ..draw.diagram import DiagramTooLarge, NetworkDiagram
from ..draw.layout import HEIGHT, WIDTH
from ..explain.alt_text import diagram_table_html, node_text
from .batch_view import marks_of
from .markup import msg, picture_html, sizes_text
from .picture import Picture
from .projector import FIGURE

if TYPE_CHECKING:
    from .state import State


class DiagramView:
    """``widget``: the diagram column. ``diagram`` is ``None`` when the net is too large."""

    def __init__(
        self, state: "State", on_edge: Callable[[str], None], on_node: Callable[[int, int], bool] = lambda l, j: False
    ):
        self.state, self.on_edge, self.on_node = state, on_edge, on_node
        self.diagram: NetworkDiagram | None = None
        self._diagrams: dict[tuple, NetworkDiagram] = {}  # (sizes, numbers, size) → its diagram
        self._drawn: tuple = ()  # what the picture shows: (example, step, edge mode, hides, size)
        self._static_labelled: tuple = ((), "")  # ((static SVG, label), it with the label)
        # the diagram inline (SVG, or a PNG for large nets), with a text alternative
        self.picture = Picture(layout=W.Layout(width="100%"))  # an edit patches it in place
        self.picture.add_class("bpw-diagram")
        # click an edge to trace its weight (ipyevents reports where on the picture)
        self._clicks = Event(source=self.picture, watched_events=["click"])
        self._clicks.on_dom_event(self.on_click)
        self.diagram_msg = W.HTML()
        self.edge_mode = W.ToggleButtons(
            options=[(mode.button, name) for name, mode in EDGE_MODES.items()],
            value=state.edge_mode,
            style={"button_width": "110px"},
        )
        link((state, "edge_mode"), (self.edge_mode, "value"))
        # the diagram's text alternative, filled in while it is open
        self.diagram_table = W.HTML()
        self.diagram_table.add_class("bpw-table")
        self.diagram_text = W.Accordion(
            children=[self.diagram_table], titles=("Diagram as a table",), selected_index=None
        )
        self.diagram_text.add_class("bpw-diagram-text")
        self.diagram_text.observe(lambda _: self._render_table(), names="selected_index")
        self.node_info = W.HTML()  # a clicked node's numbers
        self.node_info.add_class("bpw-node-info")
        # above the picture: the edge mode (and, placed there by the dashboard, the page's mode)
        self.toolbar = W.HBox([self.edge_mode], layout=W.Layout(flex_flow="row wrap", grid_gap="12px"))
        self.toolbar.add_class("bpw-diagram-toolbar")
        self.widget = W.VBox([self.toolbar, self.picture, self.node_info, self.diagram_msg, self.diagram_text])
        self.widget.add_class("bpw-col-diagram")
        state.observe(lambda _: self.render(), names=["example", "error", "step", "edge_mode"])
        state.observe(lambda _: self._follow_hides(), names="hides")
        state.observe(lambda _: self._follow_lesson(), names="lesson")
        state.dataset.observe(lambda _: self.render(), names=["choice", "data"])  # the batch, the threshold
        self._follow_hides()

    def _follow_hides(self) -> None:
        """While answers are held back: no numbers on the diagram, nor in its table (closed,
        hidden, emptied); the edge mode is fixed to the given weights."""
        on = self.state.hides
        self.node_info.value = ""
        self.diagram_text.selected_index = None
        if on:
            self.diagram_table.value = ""
        self.edge_mode.disabled = on
        self.edge_mode.layout.display = "none" if on else ""  # the diagram shows w, whatever it says
        self._show_table()
        self.render()

    def _follow_lesson(self) -> None:
        self._show_table()
        self.render()  # the projector view draws a wider figure

    def _show_table(self) -> None:
        hidden = self.state.hides or "table" in self.state.lesson.hide
        self.diagram_text.layout.display = "none" if hidden else ""

    def render(self) -> None:
        """Draw the state, unless the picture already shows it."""
        s = self.state
        size = FIGURE if s.lesson.projector else (WIDTH, HEIGHT)  # a landscape screen: wider
        c = s.dataset.choice
        drawn = (s.error if s.example is None else s.example, s.step, s.edge_mode, s.hides, size)
        # the marks: over the batch, or the sample (the data by identity: kept alive by self._data)
        drawn += (c.view, c.threshold, c.batch, id(s.dataset.data))
        self._data = s.dataset.data
        if drawn == self._drawn:
            return
        if not self._drawn or drawn[0] is not self._drawn[0]:
            self.node_info.value = ""  # a new example: a node's numbers would be old
        self._drawn = drawn
        numbers = not s.hides  # the numbers would give answers away
        # one diagram with numbers and one without, kept: a mode that holds answers back and
        # its reveal switch between them without drawing a figure again
        key = (tuple(s.network.sizes), numbers, size)
        if key in self._diagrams:
            self.diagram = self._diagrams[key]
            self.diagram_msg.value = ""
        d = self.diagram
        if d is None or d.sizes != tuple(s.network.sizes) or d.numbers != numbers or (d.width, d.height) != size:
            try:
                self.diagram = NetworkDiagram(
                    s.network.sizes,
                    edge_mode="weight" if s.hides else s.edge_mode,
                    labels="auto" if numbers else False,
                    width=size[0],
                    height=size[1],
                )
                self._diagrams = {k: v for k, v in self._diagrams.items() if k[0] == key[0] and k[2] == key[2]}
                self._diagrams[key] = self.diagram
                self.diagram_msg.value = ""
            except DiagramTooLarge as exc:
                self.diagram = None
                self.diagram_msg.value = msg(str(exc))
                return
        self.diagram.edge_mode = "weight" if s.hides else s.edge_mode  # gradients would give answers away
        worked = s.worked
        # saturated and dead units ringed (the threshold and the legend: the step panel's batch bar)
        marks = marks_of(s)
        self.diagram.update(s.trace, highlight=None if worked is None else worked.steps[s.step].touches, marks=marks)
        if self.diagram.format == "svg":  # by id: an edit sends the elements it changed
            drawing = self.diagram.svg(titles=numbers)  # in practice no numbers in hover titles
            self.picture.show(drawing.with_static(self._labelled(drawing.static)))
        else:
            self.picture.value = picture_html(self.diagram.render(), self._label())
        caption = self.diagram.caption
        self.diagram_msg.value = f"<small>{html.escape(caption)}</small>" if caption else ""
        self._render_table()

    def _render_table(self) -> None:
        if self.diagram_text.selected_index == 0:
            self.diagram_table.value = diagram_table_html(self.state.trace)

    def _labelled(self, static: str) -> str:
        """The SVG's start with the picture's accessible name (kept while both stay the same)."""
        key = (static, self._label())
        if self._static_labelled[0] != key:
            self._static_labelled = (key, picture_html(static, key[1]))
        return self._static_labelled[1]

    def _label(self) -> str:
        net = self.state.network
        return (
            f"Network diagram of the {sizes_text(net.sizes)} network: nodes coloured "
            "by activation, edges by "
            + EDGE_MODES["weight" if self.state.hides else self.state.edge_mode].said
            + " (dashed: negative)"
            + ". “Diagram as a table”, below it, lists the same numbers."
        )

    def on_click(self, event: dict) -> None:
        """A click on the diagram. On an edge: ``on_edge(weight)``. On a node: its numbers are
        shown under the diagram, and nothing is selected."""
        width, height = event.get("boundingRectWidth"), event.get("boundingRectHeight")
        if self.diagram is None or self.state.worked is None or not width or not height:
            return
        hit = self.diagram.hit(event["relativeX"] / width, 1.0 - event["relativeY"] / height)
        if isinstance(hit, tuple):  # a node (l, j)
            if self.on_node(*hit):
                return
            if not self.state.hides:  # its numbers would give answers away
                self.node_info.value = html.escape(node_text(self.state.trace, *hit))
            return
        if hit is not None:
            self.node_info.value = ""
            self.on_edge(str(hit))
