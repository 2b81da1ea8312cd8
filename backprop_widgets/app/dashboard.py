"""The dashboard: every value editable, the diagram beside the step-through panel, one screen.

Data flows one way: controls → :class:`~backprop_widgets.app.state.State` → one trace → the
worked example (panels) and the diagram. The Dashboard is a plain class that owns its widgets
and exposes ``.widget``; it computes no maths itself.
"""

from __future__ import annotations

import base64
import html
import re

import ipywidgets as W
from ipyevents import Event

from ..core import (
    ACTIVATIONS,
    CHECK_THRESHOLD,
    HIDDEN_ACTIVATIONS,
    LOSSES,
    Network,
    check_gradient,
    default_sample,
    fmt,
    parse_sizes,
    power_of_ten,
    sci,
    seed_example,
    sig,
)
from ..draw.diagram import DiagramTooLarge, NetworkDiagram, check_drawable
from ..draw.losscurve import LossCurve, summary
from ..explain.alt_text import diagram_table_html, node_text
from ..explain.flow import step_html
from ..explain.notation import notation_html
from ..explain.walkthrough import worked_example
from .controls import ParameterPanel, css_name, label_of
from .keys import StepKeys
from .picture import Picture
from .practice_view import PracticeView
from .share_view import ShareTab
from .sharing import Sharing, lesson_of
from .state import State
from .style import STYLE

#: the dashboard refuses architectures the diagram cannot draw (see diagram.check_drawable)
ARCH_HELP = "layer sizes from input to output, e.g. 3,2,2,1"


def _msg(text: str) -> str:
    """A refusal or a failure, shown next to the control it concerns."""
    return f"<span class='bpw-msg'>⚠ {html.escape(text)}</span>" if text else ""


def _note(text: str) -> str:
    """Information about a change that went through (not a warning)."""
    return f"<span class='bpw-note'>ℹ {html.escape(text)}</span>" if text else ""


#: a gradient check's status → the CSS class of its mark (marks: core.CHECK_MARKS)
CHECK_CSS = {"agree": "bpw-pass", "rounding": "bpw-pass", "kink": "bpw-kink",
             "disagree": "bpw-fail"}

class Dashboard(Sharing):
    """The backprop dashboard; opens on the seed worked example.

    Parameters
    ----------
    network, x, y : what to show first (default: the seed page's [3,2,2,1] network)
    target : the weight or bias whose gradient the walkthrough traces
    palette : colour code for the equations (``"okabe-ito"`` or ``"page"``)
    step : the step to open on, by id (``"bp1"``, ``"bp2-1"``, ``"check"``…)
    edge_mode : ``"gradient"`` (edges coloured by ∂L/∂w) or ``"weight"``
    practice : open in Practice mode
    hide, lock, projector : a lesson's settings (see ``share.HIDEABLE``; ``lock=["all"]`` or
        value names such as ``"w1,1,1"``, ``"x1"``; larger type and diagram)
    """

    def __init__(self, network: Network | None = None, x=None, y=None, target: str = "w1,1,1",
                 palette: str = "okabe-ito", *, step: str = "", edge_mode: str = "gradient",
                 practice: bool = False, hide=(), lock=(), projector: bool = False):
        self.state = State(network, x, y, target)
        lesson = lesson_of(self.state.network, hide, lock, projector)  # ValueError: what is wrong
        self.palette = palette
        self.step_index = 0
        self.example = None
        self.diagram: NetworkDiagram | None = None
        self._rendering = False
        self._jump_to: str | None = None  # a step id to show after the next render
        self._rendered = None  # (trace, target) last rendered: one render per change
        self._build()
        self.state.observe(self._on_state, names=["trace", "target"])
        self._render()
        if step or edge_mode != "gradient" or practice or lesson != self.lesson:
            from ..core import Snapshot

            s = self.state
            problems = self.apply(Snapshot(s.network, s.x, s.y, s.target, step, edge_mode,
                                           practice, lesson))
            if problems:
                raise ValueError("; ".join(problems))

    # -- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        self._build_header()
        self.params = ParameterPanel(self.state)
        params_col = W.VBox([W.HTML("<b>Parameters</b>"), self.params.widget])
        params_col.add_class("bpw-col-params")

        # the diagram inline (SVG, or a PNG for large nets), with a text alternative
        self.picture = Picture(layout=W.Layout(width="100%"))  # an edit patches it in place
        self.picture.add_class("bpw-diagram")
        # click an edge to trace its weight (ipyevents reports where on the picture)
        self._clicks = Event(source=self.picture, watched_events=["click"])
        self._clicks.on_dom_event(self._on_diagram_click)
        self.diagram_msg = W.HTML()
        self.edge_mode = W.ToggleButtons(
            options=[("edges: ∂L/∂w", "gradient"), ("edges: w", "weight")], value="gradient",
            style={"button_width": "110px"},
        )
        self.edge_mode.observe(self._on_edge_mode, names="value")
        # the diagram's text alternative, filled in while it is open
        self.diagram_table = W.HTML()
        self.diagram_table.add_class("bpw-table")
        self.diagram_text = W.Accordion(children=[self.diagram_table],
                                        titles=("Diagram as a table",), selected_index=None)
        self.diagram_text.add_class("bpw-diagram-text")
        self.diagram_text.observe(lambda _: self._render_diagram_table(), names="selected_index")
        self.node_info = W.HTML()  # a clicked node's numbers
        self.node_info.add_class("bpw-node-info")
        diagram_col = W.VBox([self.edge_mode, self.picture, self.node_info, self.diagram_msg,
                              self.diagram_text])
        diagram_col.add_class("bpw-col-diagram")

        self.prev = W.Button(description="◀ Prev", layout=W.Layout(width="80px"))
        self.next = W.Button(description="Next ▶", layout=W.Layout(width="80px"))
        self.prev.add_class("bpw-prev")
        self.next.add_class("bpw-next")
        self.steps = W.Dropdown(description="Step", layout=W.Layout(width="270px"))
        self.steps.style.description_width = "34px"
        self.steps.add_class("bpw-steps")
        self.step_title = W.HTML()
        self.step_title.add_class("bpw-step-title")
        self.panel = W.HTMLMath()
        self.panel.add_class("bpw-panel")
        self.prev.on_click(lambda _: self.go(self.step_index - 1))
        self.next.on_click(lambda _: self.go(self.step_index + 1))
        self.steps.observe(self._on_step_choice, names="value")
        # ← / → step through the walkthrough when the focus is not in a field
        self.keys = StepKeys(lambda d: self.go(self.step_index + d) if d in (-1, 1) else None)
        self.practice_view = PracticeView(self.palette, on_reveal=self._render_step)
        self.practice_view.widget.layout.display = "none"
        panel_col = W.VBox([self.step_title, W.HBox([self.prev, self.steps, self.next]),
                            self.practice_view.widget, self.panel, self.keys])
        panel_col.add_class("bpw-col-panel")

        main = W.Box([params_col, diagram_col, panel_col])
        main.add_class("bpw-main")
        self._build_tabs()
        self.widget = W.VBox([W.HTML(STYLE), self.header, main, self.tabs])
        self.widget.add_class("bpw-dashboard")

    def _build_header(self) -> None:
        net = self.state.network
        self.arch = W.Text(value=",".join(map(str, net.sizes)), description="Network",
                           continuous_update=False, layout=W.Layout(width="190px"),
                           tooltip=ARCH_HELP)
        self.arch.add_class("bpw-arch")
        self.arch_error = W.HTML()
        self.arch_error.add_class("bpw-arch-error")
        self.hidden = W.Dropdown(options=[(ACTIVATIONS[n].label, n) for n in HIDDEN_ACTIVATIONS],
                                 value=net.activation, description="hidden",
                                 layout=W.Layout(width="170px"))
        self.output = W.Dropdown(options=[(a.label, n) for n, a in ACTIVATIONS.items()],
                                 value=net.output_activation, description="output",
                                 layout=W.Layout(width="170px"))
        self.loss = W.Dropdown(options=[(l.label, n) for n, l in LOSSES.items()], value=net.loss,
                               description="loss", layout=W.Layout(width="200px"))
        for w in (self.hidden, self.output, self.loss):
            w.style.description_width = "48px"
        self.arch.style.description_width = "58px"
        self.seed = W.BoundedIntText(value=0, min=0, max=2**31 - 1, description="seed",
                                     layout=W.Layout(width="120px"))
        self.seed.style.description_width = "34px"
        self.random_btn = W.Button(description="Random weights", icon="random")
        self.reset_btn = W.Button(description="Reset to the worked example", icon="undo")
        self.random_btn.add_class("bpw-random")
        self.reset_btn.add_class("bpw-reset")
        self.arch.observe(self._on_arch, names="value")
        for w in (self.hidden, self.output, self.loss):
            w.observe(self._on_functions, names="value")
        self.random_btn.on_click(lambda _: self.randomize(self.seed.value))
        self.reset_btn.on_click(lambda _: self.reset())

        # Practice: the student computes each number, the app checks it (practice_view.py)
        self.practice = W.ToggleButton(value=False, description="Practice",
                                       tooltip="compute each number yourself; the app checks it",
                                       layout=W.Layout(width="auto"))
        self.practice.add_class("bpw-practice-toggle")
        self.practice.observe(lambda _: self._on_practice(), names="value")
        self.target = W.Dropdown(description="Trace ∂L/∂", layout=W.Layout(width="230px"))
        self.target.style.description_width = "72px"
        self.target.add_class("bpw-target")
        self.target.observe(self._on_target_choice, names="value")
        self.loss_value = W.HTML()
        self.loss_value.add_class("bpw-loss-value")
        self.check_value = W.HTML()
        self.check_value.add_class("bpw-check-value")
        self._fill_target_options()
        self.network_row = W.HBox([self.arch, self.hidden, self.output, self.loss, self.seed,
                                   self.random_btn, self.reset_btn],
                                  layout=W.Layout(flex_flow="row wrap"))
        self.share_msg = W.HTML()  # what a link or a file held that could not be used
        self.share_msg.add_class("bpw-share-msg")
        self.header = W.VBox([
            self.network_row,
            self.arch_error,
            self.share_msg,
            W.HBox([self.target, self.practice, self.loss_value, self.check_value],
                   layout=W.Layout(align_items="center", grid_gap="18px")),
        ])
        self.header.add_class("bpw-header")

    def _build_tabs(self) -> None:
        self.quantities = W.HTMLMath()
        self.quantities.add_class("bpw-quantities")
        self.gradcheck = W.HTML()
        self.gradcheck.add_class("bpw-table")
        self.gradcheck.add_class("bpw-gradcheck")
        # training
        self.eta = W.BoundedFloatText(value=0.5, min=1e-4, max=100.0, step=0.1, description="η",
                                      layout=W.Layout(width="140px"))
        self.n_steps = W.BoundedIntText(value=20, min=1, max=500, description="N",
                                        layout=W.Layout(width="130px"))
        for w in (self.eta, self.n_steps):
            w.style.description_width = "20px"
        self.step_btn = W.Button(description="Step", layout=W.Layout(width="80px"))
        self.run_btn = W.Button(description="Run N steps", layout=W.Layout(width="110px"))
        self.train_reset_btn = W.Button(description="Reset", layout=W.Layout(width="80px"))
        self.step_btn.add_class("bpw-train-step")
        self.run_btn.add_class("bpw-train-run")
        self.train_reset_btn.add_class("bpw-train-reset")
        self.step_btn.on_click(lambda _: self.train(1))
        self.run_btn.on_click(lambda _: self.train(self.n_steps.value))
        self.train_reset_btn.on_click(lambda _: self.reset_training())
        self.train_msg = W.HTML()
        self.train_summary = W.HTML()
        self.train_summary.add_class("bpw-train-summary")
        self.curve = LossCurve()
        self.curve_image = W.HTML(layout=W.Layout(width="420px"))
        self.curve_image.add_class("bpw-loss-curve")
        self.train_lock_note = W.HTML()
        train = W.VBox([
            W.HTML("Gradient descent on this one sample: every weight and bias moves by "
                   "−η·∂L/∂w each step. The diagram and the panels follow each step."),
            W.HBox([self.eta, self.n_steps, self.step_btn, self.run_btn, self.train_reset_btn]),
            self.train_lock_note, self.train_msg, self.train_summary, self.curve_image,
        ])
        self.share = ShareTab(on_lesson=lambda: self._render_share(), on_load=self._on_load)
        self.notation = W.HTMLMath(notation_html(self.palette))
        self.notation.add_class("bpw-notation")
        # export: a link the browser downloads (the page works offline; nothing is saved on
        # the server)
        self.download = W.HTML()
        self.download.add_class("bpw-download")
        export = W.VBox([
            W.HTML("A standalone HTML page of the current worked example (every step, with "
                   "these numbers) that you can print or hand out, and an exercise sheet with "
                   "its answer key for the same network. They need no internet."),
            self.download,
        ])
        # tab title → (content, how to bring it up to date); only the shown tab is rendered
        self._tabs = {
            "All quantities": (self.quantities, self._render_quantities),
            "Gradient check": (self.gradcheck, self._render_gradcheck),
            "Train": (train, self._render_curve),
            "Notation & colours": (self.notation, lambda: None),
            "Export handout": (export, self._render_download),
            "Share": (self.share.widget, self._render_share),
        }
        self.tabs = W.Tab(children=[child for child, _ in self._tabs.values()],
                          titles=tuple(self._tabs), selected_index=0)
        self.tabs.add_class("bpw-tabs")
        self.tabs.observe(lambda _: self._render_tab(), names="selected_index")

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # -- user actions -------------------------------------------------------------------------

    def go(self, index: int) -> None:
        """Show step ``index`` (clamped to the first/last step)."""
        if self.example is None:
            return
        index = max(0, min(index, len(self.example.steps) - 1))
        if index != self.step_index:
            self.step_index = index
            self._render_step()

    def randomize(self, seed: int = 0) -> None:
        """Random weights for the current architecture (reproducible from ``seed``)."""
        net = self.state.network
        new = Network.random(net.sizes, seed=seed, activation=net.activation,
                             output_activation=net.output_activation, loss=net.loss)
        self._replace_network(new)

    def reset(self) -> None:
        """Back to the seed page: [3,2,2,1], sigmoid, MSE, x = (1, 0.5, −1), y = 1, w₁,₁⁽¹⁾."""
        net, x, y = seed_example()
        self.step_index = 0
        self._replace_network(net, x, y, target="w1,1,1")

    def set_architecture(self, text: str) -> None:
        """Parse and apply an architecture like ``3,2,2,1`` (``ValueError`` if refused)."""
        sizes = check_drawable(parse_sizes(text))
        net = self.state.network
        if sizes == list(net.sizes):  # e.g. "3-2-2-1" for 3,2,2,1: same net, field normalised
            self._rendering = True
            try:
                self.arch.value = ",".join(map(str, sizes))
            finally:
                self._rendering = False
            return
        new = Network.random(sizes, seed=self.seed.value, activation=net.activation,
                             output_activation=net.output_activation, loss=net.loss)
        self._replace_network(new)

    def train(self, n: int) -> None:
        """``n`` gradient-descent steps on (x, y) with the current η (see ``State.train``)."""
        self.train_msg.value = _msg(self.state.train(n, self.eta.value))
        self._render_curve()

    def reset_training(self) -> None:
        """Back to the parameters from before the first training step."""
        if not self.state.reset_training():
            self.train_msg.value = _note("Nothing to reset: the network was changed since the "
                                         "last training step (or never trained).")
        self._render_curve()

    @property
    def loss_history(self) -> list[float]:
        return self.state.loss_history

    def handout(self) -> tuple[str, str]:
        """The current worked example as a standalone HTML page: ``(file name, content)``."""
        name = f"backprop-handout-{self.state.target.replace(',', '-')}.html"
        return name, self.example.to_html()

    def _render_download(self) -> None:
        """The export tab's link: the browser downloads the handout; nothing is written on
        the server."""
        from ..explain.exercise import for_network  # on first use only: it loads latex2mathml

        name, content = self.handout()
        stem = name.removeprefix("backprop-handout-").removesuffix(".html")
        sheet, key = for_network(self.example)
        self.download.value = "<br>".join(
            download_link(f"backprop-{what}-{stem}.html" if what != "handout" else name, text,
                          label)
            for what, text, label in [
                ("handout", content, "Download handout"),
                ("exercise-sheet", sheet, "Exercise sheet (every number a blank)"),
                ("answer-key", key, "Answer key"),
            ])

    # -- observers ----------------------------------------------------------------------------

    def _on_arch(self, change) -> None:
        if self._rendering:
            return
        try:
            self.set_architecture(change["new"])
        except ValueError as exc:
            self.arch_error.value = _msg(f"architecture {change['new'].strip()!r} not used: {exc}")
            self._rendering = True
            try:  # the field shows the architecture the network really has
                self.arch.value = ",".join(map(str, self.state.network.sizes))
            finally:
                self._rendering = False
            return
        self.arch_error.value = ""

    def _on_functions(self, change) -> None:
        if self._rendering:
            return
        net = self.state.network
        try:
            new = Network(net.weights, net.biases, activation=self.hidden.value,
                          output_activation=self.output.value, loss=self.loss.value)
            x, y = self.state.x, self.state.y
            note = ""
            try:
                new.check_xy(x, y)
            except ValueError as exc:  # e.g. y outside [0, 1] for cross-entropy: a valid target
                y = default_sample(new)[1]
                note = f"{exc}, so y is now ({', '.join(fmt(v, unicode=True) for v in y)})"
            if (new.output_activation == "softmax" and net.output_activation != "softmax"
                    and abs(float(sum(y)) - 1.0) > 1e-9):
                y = default_sample(new)[1]  # softmax outputs are probabilities: a one-hot target
                note = f"softmax outputs sum to 1, so y is now ({', '.join(fmt(v, unicode=True) for v in y)})"
            self._replace_network(new, x, y)
            self.arch_error.value = _note(note)
            return
        except ValueError as exc:
            self.arch_error.value = _msg(str(exc))
            self._rendering = True
            try:  # the dropdowns go back to what the network really uses
                self.hidden.value, self.output.value = net.activation, net.output_activation
                self.loss.value = net.loss
            finally:
                self._rendering = False

    def _on_practice(self) -> None:
        """Practice on: everything that would give an asked number away is hidden (the loss
        and gradient in the header, the diagram's numbers and its table, the tabs); edges show
        the given weights. Off: all comes back."""
        on = self.practice.value
        hidden = "none" if on else ""
        for w in (self.loss_value, self.check_value):
            w.layout.display = hidden
        self._show_tabs_and_table()  # hidden in practice, and as the lesson says
        self.practice_view.widget.layout.display = "" if on else "none"
        self.practice_view.start([])  # practice on: a fresh exercise (everything was visible)
        self.node_info.value = ""
        self.diagram_text.selected_index = None
        self.edge_mode.disabled = on
        self.diagram = None  # redrawn with or without its numbers
        if on and self.edge_mode.value != "weight":
            self.edge_mode.value = "weight"
        self._rendered = None
        self._render()

    def _on_edge_mode(self, change) -> None:
        if self.diagram is not None:
            self.diagram.edge_mode = change["new"]
            self._render_diagram()
        self._render_share()

    def _on_diagram_click(self, event: dict) -> None:
        """A click on the diagram. On an edge: its weight becomes the target, the panel shows
        its gradient (BP3) and its row comes into view. On a node: its numbers are shown under
        the diagram, and nothing is selected."""
        width, height = event.get("boundingRectWidth"), event.get("boundingRectHeight")
        if self.diagram is None or self.example is None or not width or not height:
            return
        hit = self.diagram.hit(event["relativeX"] / width, 1.0 - event["relativeY"] / height)
        if isinstance(hit, tuple):  # a node (l, j)
            if not self.practice.value:  # its numbers would give answers away
                self.node_info.value = html.escape(node_text(self.state.trace, *hit))
            return
        if hit is None:
            return
        self.node_info.value = ""
        p = str(hit)
        self._jump_to = "bp3"
        if p != self.state.target:
            self.state.set_target(p)  # → _render, which jumps to the step
        else:
            self.go(self.example.index("bp3"))
            self._jump_to = None
        self.params.select(p)
        self.keys.reveal(f".bpw-param-{css_name(p)}")

    def _on_target_choice(self, change) -> None:
        if not self._rendering and change["new"]:
            self.state.set_target(change["new"])
            self.params.select(change["new"])  # large nets: edit the traced value

    def _on_step_choice(self, change) -> None:
        if not self._rendering and change["new"] is not None:
            self.go(int(change["new"]))

    def _on_state(self, change) -> None:
        self._render()

    def _replace_network(self, net: Network, x=None, y=None, target=None) -> None:
        """A new network (maybe a new architecture): controls rebuilt if the shape changed."""
        old_sizes = self.state.network.sizes
        if x is None or y is None:
            if list(net.sizes) == list(old_sizes):
                x, y = self.state.x, self.state.y
            else:
                x, y = default_sample(net)
        rebuild = list(net.sizes) != list(old_sizes)
        self.state.trained = self.state.train_start = None  # a new network ends a training run
        with self.state.hold_trait_notifications():
            self.state.set(network=net, x=x, y=y, target=target)
            if rebuild:
                self.params.rebuild()
                self._fill_target_options()
        self._render_curve()

    # -- rendering ----------------------------------------------------------------------------

    def _fill_target_options(self) -> None:
        net = self.state.network
        self._rendering = True
        try:
            self.target.options = [(label_of(str(p)), str(p)) for p in net.parameters()]
            self.target.value = self.state.target
        finally:
            self._rendering = False

    def _render(self) -> None:
        """One state change → one worked example, one diagram update, one panel update."""
        s = self.state
        key = (s.trace, s.target)
        if key == self._rendered:
            return
        self._rendered = key
        net, trace = s.network, s.trace
        if self.target.value != s.target:
            if s.target not in [o[1] for o in self.target.options]:
                self._fill_target_options()
            self._rendering = True
            try:
                self.target.value = s.target
            finally:
                self._rendering = False
        self._rendering = True
        try:
            self.arch.value = ",".join(map(str, net.sizes))
            self.hidden.value, self.output.value = net.activation, net.output_activation
            self.loss.value = net.loss
        finally:
            self._rendering = False
        self.params.sync()
        # a change went through: messages about earlier refused input no longer apply, and a
        # handout link would hold the old numbers
        self.params.clear_errors()
        self.arch_error.value = self.train_msg.value = self.share_msg.value = ""
        self.loss_value.value = f"<b>L = {fmt(trace.loss, unicode=True)}</b>"
        self.node_info.value = ""
        notation = notation_html(self.palette, net.output_activation, net.loss)
        if self.notation.value != notation:  # BP1 as it applies to these functions
            self.notation.value = notation
        if self.diagram is None or self.diagram.sizes != tuple(net.sizes):
            try:
                self.diagram = NetworkDiagram(net.sizes, edge_mode=self.edge_mode.value,
                                              labels=False if self.practice.value else "auto")
                self.diagram_msg.value = ""
            except DiagramTooLarge as exc:
                self.diagram = None
                self.diagram_msg.value = _msg(str(exc))
        try:
            self.example = worked_example(net, s.x, s.y, target=s.target, palette=self.palette,
                                          trace=trace)
            self._render_check()
            if self.practice.value:  # new numbers: a new exercise
                self.practice_view.start(self.example.questions())
            steps = self.example.steps
            if self._jump_to is not None:  # a clicked edge: show its gradient step
                self.step_index, self._jump_to = self.example.index(self._jump_to), None
            self.step_index = min(self.step_index, len(steps) - 1)
            self._rendering = True
            try:
                options = [(f"{i + 1}. {st.title}", i) for i, st in enumerate(steps)]
                if list(self.steps.options) != options:
                    self.steps.options = options
            finally:
                self._rendering = False
            self._render_step()
            self._render_tab()
        except Exception as exc:  # never leave the panels showing an older network
            self._render_failed(exc)

    def _render_check(self) -> None:
        s, check = self.state, self.example.check
        note = {"rounding": " (too small to check at this ε)",
                "kink": " (a unit within ε of a kink)"}.get(check.status, "")
        self.check_value.value = (
            f"<span class='{CHECK_CSS[check.status]}'>{check.mark}</span> "
            f"∂L/∂{label_of(s.target)} = {fmt(s.trace.grad(s.target), unicode=True)}, "
            f"check: relative error {sci(check.relative_error, True, 2)}{note}"
        )

    def _render_step(self) -> None:
        if self.example is None:  # the worked example failed (_render_failed says why)
            return
        steps = self.example.steps
        step = steps[self.step_index]
        tag = f" · {step.tag}" if step.tag and not step.title.startswith(step.tag) else ""
        self.step_title.value = (
            f"Step {self.step_index + 1} of {len(steps)}{tag} · {html.escape(step.title)}"
        )
        practising = self.practice.value and not self.practice_view.shows_worked(step.id)
        if practising:
            hint = ("Compute each number below, then press Check (or Enter); "
                    "Reveal shows the worked step." if self.practice_view.asks(step.id) else
                    "This step restates numbers you are still computing: answer or reveal the "
                    "earlier steps first.")
            # a step that asks nothing restates earlier results (its text may too): the hint only
            text = f"<p>{html.escape(step.text)}</p>" if self.practice_view.asks(step.id) else ""
            self.panel.value = f"{text}<p><i>{html.escape(hint)}</i></p>"
        else:
            self.panel.value = step_html(step, self.palette)
        if self.practice.value:
            self.practice_view.show(step.id)
        self.prev.disabled = self.step_index == 0
        self.next.disabled = self.step_index == len(steps) - 1
        self._render_share()
        self._rendering = True
        try:
            self.steps.value = self.step_index
        finally:
            self._rendering = False
        self._render_diagram()

    def _render_diagram(self) -> None:
        if self.example is None:
            if self.diagram is not None:
                self._show_diagram(highlight=None)
        elif self.diagram is not None:
            self._show_diagram(highlight=self.example.steps[self.step_index].touches)

    def _show_diagram(self, highlight) -> None:
        self.diagram.update(self.state.trace, highlight=highlight)
        svg = self.diagram.render()
        if self.practice.value and isinstance(svg, str):  # no numbers in the hover titles
            svg = re.sub(r"<title>[^<]*</title>", "", svg)
        self.picture.value = picture_html(svg, self._diagram_label())
        caption = self.diagram.caption
        self.diagram_msg.value = f"<small>{html.escape(caption)}</small>" if caption else ""
        self._render_diagram_table()

    def _render_diagram_table(self) -> None:
        if self.diagram_text.selected_index == 0:
            self.diagram_table.value = diagram_table_html(self.state.trace)

    def _diagram_label(self) -> str:
        net = self.state.network
        return (f"Network diagram of the {','.join(map(str, net.sizes))} network: nodes coloured "
                "by activation, edges by " + ("∂L/∂w" if self.edge_mode.value == "gradient"
                                              else "weight") + " (dashed: negative)"
                + ". “Diagram as a table”, below it, lists the same numbers.")

    def _render_failed(self, exc: Exception) -> None:
        """The worked example could not be written for this state: say so where its numbers
        would be, rather than leave numbers of an earlier state on screen."""
        self.example = None
        text = (f"This step cannot be shown for the current numbers ({type(exc).__name__}: "
                f"{exc}). The loss above is current; please report this.")
        self.panel.value = f"<p class='bpw-render-error'>⚠ {html.escape(text)}</p>"
        self.step_title.value = "Step not available"
        self.check_value.value = ""
        self.quantities.value = self.download.value = ""
        self.practice_view.start([])  # no questions on numbers that cannot be shown
        self.practice_view.show("")
        if self.diagram is not None:  # the diagram still shows the current numbers
            self._show_diagram(highlight=None)

    def _render_tab(self) -> None:
        if not self.tabs.titles or self.tabs.selected_index is None:
            return
        title = self.tabs.titles[self.tabs.selected_index]
        if self.example is not None:
            self._tabs[title][1]()
        if title != "Share":
            self._render_share()  # the hidden Share tab marks its link stale

    def _render_quantities(self) -> None:
        table = next((k for k, st in enumerate(self.example.steps) if st.id == "table"), None)
        self.quantities.value = self.example.step_html(table) if table is not None else ""

    def _render_gradcheck(self) -> None:
        self.gradcheck.value = gradient_check_html(self.state)

    def _render_curve(self) -> None:
        if self.tabs.selected_index is not None and \
                self.tabs.titles[self.tabs.selected_index] == "Train":
            losses = self.loss_history
            self.curve.update(losses)
            self.train_summary.value = html.escape(summary(losses))
            self.curve_image.value = picture_html(self.curve.render(),
                                                  f"Loss curve: {summary(losses)}")


def download_link(name: str, content: str, label: str) -> str:
    """A link the browser downloads as ``name`` (a data: URL; nothing is saved on the server)."""
    data = base64.b64encode(content.encode("utf-8")).decode("ascii")
    size = f"{len(content.encode('utf-8')) / 1024:.0f} kB"
    name = html.escape(name)
    return (f"<a download='{name}' href='data:text/html;base64,{data}' title='{name}'>"
            f"⬇ {html.escape(label)} (HTML, {size})</a> <small>{name}</small>")


def picture_html(data: "str | bytes", label: str) -> str:
    """The diagram for an HTML widget: SVG markup inline, or a PNG as an ``<img>``; either way
    with ``label`` as its accessible name."""
    label = html.escape(label)
    if isinstance(data, bytes):
        src = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        return f'<img src="{src}" alt="{label}">'
    svg = data[data.index("<svg"):]  # inline: no XML declaration or doctype
    return svg.replace("<svg", f'<svg role="img" aria-label="{label}"', 1)


def gradient_check_html(state: State) -> str:
    """Analytic (backprop) against numerical (centred differences) for every parameter."""
    net, trace = state.network, state.trace
    gW, gb = net.numerical_gradient(state.x, state.y)
    rows, checks = [], []
    for p in net.parameters():
        c = check_gradient(trace, p, float((gW[p.l] if p.is_weight else gb[p.l])[p.index]))
        checks.append(c)
        rows.append(
            f"<tr><td style='text-align:left'>{label_of(str(p))}</td><td>{sig(c.analytic)}</td>"
            f"<td>{sig(c.numerical)}</td><td>{sci(c.relative_error, True, 2)}</td>"
            f"<td class='{CHECK_CSS[c.status]}'>{c.mark} {c.verdict}</td></tr>"
        )
    worst = max(c.relative_error for c in checks if c.status == "agree") if any(
        c.status == "agree" for c in checks) else 0.0
    n_ok = sum(c.passed for c in checks)
    n_kink = sum(c.status == "kink" for c in checks)
    if n_ok == len(checks):
        summary = (f"All {len(checks)} gradients agree (largest relative error "
                   f"{sci(worst, True, 2)} "
                   f"&lt; {power_of_ten(CHECK_THRESHOLD, unicode=True)}).")
    else:
        summary = f"{n_ok} of {len(checks)} gradients agree."
        if n_kink:
            summary += (f" {n_kink} sit behind a unit within ε of its kink: the centred "
                        "difference mixes the slopes on both sides, so it cannot check backprop "
                        "there (the check step says what backprop used).")
        if len(checks) - n_ok - n_kink:
            summary += f" {len(checks) - n_ok - n_kink} disagree."
    return (
        f"<p>{summary} Numerical: (L(θ+ε) − L(θ−ε)) / 2ε with ε = 10⁻⁵; relative error "
        "|g − ĝ| / (|g| + |ĝ|); “too small to check”: the two differ by less than the centred "
        "difference's own error at this ε.</p><table><tr><th>parameter</th><th>backprop</th>"
        "<th>numerical</th><th>relative error</th><th></th></tr>" + "".join(rows) + "</table>"
    )


def dashboard(**kwargs) -> None:
    """Build a :class:`Dashboard` and display it (for notebooks and the Voila app).

    Returns nothing, so that ``dashboard()`` as a cell's last line shows the app once; keep a
    handle with ``app = Dashboard(); app`` instead when you want to script it.
    """
    from IPython.display import display

    display(Dashboard(**kwargs).widget)
