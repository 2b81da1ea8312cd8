"""The header: the network row (architecture, functions, seed, Random, Reset), the traced
parameter, the mode (Explore, Predict, Fade, Practice), and the loss and gradient check of the current numbers.

Its fields write user edits into the state (``set_architecture``, ``set_functions``,
``set_traced``, ``set_mode``…) and show the state after every change. Showing a value the
state holds writes nothing back (the state ignores a write that changes nothing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import ipywidgets as W
from traitlets import dlink

from ..core import ACTIVATIONS, LOSSES, MODES, fmt, hidden_activations, sci
from .controls import label_of
from .markup import check_css, msg, note, sizes_text

if TYPE_CHECKING:
    from .state import State

#: the dashboard refuses architectures the diagram cannot draw (see diagram.check_drawable)
ARCH_HELP = "layer sizes from input to output, e.g. 3,2,2,1"


class Header:
    """The header's widgets; ``on_traced(name)`` is called when the student picks a parameter to trace."""

    def __init__(self, state: "State", on_traced: Callable[[str], None]):
        self.state, self.on_traced = state, on_traced
        net = state.network
        # widths in em, so that they grow with the type (the projector view's is larger)
        self.arch = W.Text(
            value=sizes_text(net.sizes),
            description="Network",
            continuous_update=False,
            layout=W.Layout(width="14.5em"),
            tooltip=ARCH_HELP,
        )
        self.arch.add_class("bpw-arch")
        self.arch_error = W.HTML()
        self.arch_error.add_class("bpw-arch-error")
        self.hidden = W.Dropdown(
            options=[(ACTIVATIONS[n].label, n) for n in hidden_activations()],
            value=net.activation,
            description="hidden",
            layout=W.Layout(width="13em"),
        )
        self.output = W.Dropdown(
            options=[(a.label, n) for n, a in ACTIVATIONS.items()],
            value=net.output_activation,
            description="output",
            layout=W.Layout(width="13em"),
        )
        self.loss = W.Dropdown(
            options=[(l.label, n) for n, l in LOSSES.items()],
            value=net.loss_name,
            description="loss",
            layout=W.Layout(width="15.5em"),
        )
        self.seed = W.BoundedIntText(value=0, min=0, max=2**31 - 1, description="seed", layout=W.Layout(width="9.5em"))
        for w in (self.arch, self.hidden, self.output, self.loss, self.seed):
            w.style.description_width = "initial"  # the label as wide as its text: never cut
        self.random_btn = W.Button(description="Random weights", icon="random")
        self.reset_btn = W.Button(description="Reset to the worked example", icon="undo")
        self.random_btn.add_class("bpw-random")
        self.reset_btn.add_class("bpw-reset")
        self.arch.observe(self._on_arch, names="value")
        self.hidden.observe(lambda c: self._on_functions(activation=c["new"]), names="value")
        self.output.observe(lambda c: self._on_functions(output_activation=c["new"]), names="value")
        self.loss.observe(lambda c: self._on_functions(loss=c["new"]), names="value")
        self.random_btn.on_click(self._on_random)
        self.reset_btn.on_click(lambda _: state.reset())

        # the mode: Explore, Predict, Fade, Practice (core.MODES; their views: step_panel.py); the
        # dashboard shows it above the diagram, beside the edge mode
        self.mode = W.ToggleButtons(
            options=[(m.button, name) for name, m in MODES.items()],
            tooltips=[m.said for m in MODES.values()],
            value=state.mode,
            style={"button_width": "auto"},
        )
        self.mode.add_class("bpw-mode")
        self.mode.observe(lambda c: state.set_mode(c["new"]), names="value")
        dlink((state, "mode"), (self.mode, "value"))
        self.traced = self._traced_choice()
        self.loss_value = W.HTML()
        self.loss_value.add_class("bpw-loss-value")
        self.check_value = W.HTML()
        self.check_value.add_class("bpw-check-value")
        self.network_row = W.HBox(
            [self.arch, self.hidden, self.output, self.loss, self.seed, self.random_btn, self.reset_btn],
            layout=W.Layout(flex_flow="row wrap"),
        )
        self.share_msg = W.HTML()  # what a link or a file held that could not be used
        self.share_msg.add_class("bpw-share-msg")
        dlink((state, "notice"), (self.share_msg, "value"))
        self.traced_row = W.HBox(
            [self.traced, self.loss_value, self.check_value],
            layout=W.Layout(align_items="center", grid_gap="18px"),
        )
        self.widget = W.VBox([self.network_row, self.arch_error, self.share_msg, self.traced_row])
        self.widget.add_class("bpw-header")
        state.observe(lambda _: self._follow(), names=["example", "error"])
        state.observe(lambda _: self._follow(), names="hides")
        state.observe(lambda _: self._follow_lesson(), names="lesson")
        self._follow()
        self._follow_lesson()

    # -- edits ------------------------------------------------------------------------------

    def _on_arch(self, change) -> None:
        try:
            self.state.set_architecture(change["new"], self.seed.value)
        except ValueError as exc:
            self.arch.value = sizes_text(self.state.network.sizes)  # the architecture in use
            self.arch_error.value = msg(f"architecture {change['new'].strip()!r} not used: {exc}")
            return
        self.arch.value = sizes_text(self.state.network.sizes)  # "3-2-2-1" reads 3,2,2,1
        self.arch_error.value = ""

    def _on_random(self, _=None) -> None:
        self.seed.value = self.state.random_weights(self.seed.value)  # the seed of what is shown

    def _on_functions(self, **functions: str) -> None:
        net = self.state.network
        try:
            news = self.state.set_functions(**functions)
        except ValueError as exc:  # the menus go back to what the network really uses
            self.hidden.value, self.output.value = net.activation, net.output_activation
            self.loss.value = net.loss_name
            self.arch_error.value = msg(str(exc))
            return
        self.arch_error.value = note(news)

    def _traced_choice(self) -> W.Dropdown:
        """A menu with this network's parameters. A new architecture gets a new menu:
        new options would select their first entry, which is no choice of the student's."""
        s = self.state
        traced = W.Dropdown(
            options=[(label_of(str(p)), str(p)) for p in s.network.parameters()],
            value=s.traced,
            description="Trace ∂L/∂",
            layout=W.Layout(width="18em"),
        )
        traced.style.description_width = "initial"
        traced.add_class("bpw-traced")
        traced.observe(self._on_traced, names="value")
        return traced

    def _on_traced(self, change) -> None:
        if change["new"] == self.state.traced:  # the menu showing the state
            return
        self.state.set_traced(change["new"])
        self.on_traced(change["new"])  # large nets: edit the traced value

    # -- following the state ------------------------------------------------------------------

    def _follow(self) -> None:
        """Any change that went through: the fields show the state, the messages about earlier
        refused input no longer apply."""
        s = self.state
        net = s.network
        options = [str(p) for p in net.parameters()]
        if [o[1] for o in self.traced.options] != options:
            old, self.traced = self.traced, self._traced_choice()
            self.traced_row.children = (self.traced,) + self.traced_row.children[1:]
            old.close()
        self.traced.value = s.traced
        self.arch.value = sizes_text(net.sizes)
        self.hidden.value, self.output.value = net.activation, net.output_activation
        self.loss.value = net.loss_name
        self.arch_error.value = ""
        # while answers are held back, the loss and the gradient would give them away: they
        # leave the page, and the browser holds no copy of them either
        self.loss_value.value = "" if s.hides else f"<b>L = {fmt(s.trace.loss, unicode=True)}</b>"
        self.check_value.value = "" if s.worked is None or s.hides else self._check_text()
        for w in (self.loss_value, self.check_value):
            w.layout.display = "none" if s.hides else ""

    def _check_text(self) -> str:
        s = self.state
        check = s.worked.check
        why = f" ({check.verdict.why})" if check.verdict.why else ""
        return (
            f"<span class='{check_css(check.verdict)}'>{check.mark}</span> "
            f"∂L/∂{label_of(s.traced)} = {fmt(s.trace.grad(s.traced), unicode=True)}, "
            f"check: relative error {sci(check.relative_error, True, 2)}{why}"
        )

    def _follow_lesson(self) -> None:
        lesson = self.state.lesson
        self.network_row.layout.display = "none" if "network" in lesson.hide else ""
        self.mode.layout.display = "none" if "mode" in lesson.hide else ""
        self.mode.disabled = "mode" in lesson.lock
        for w in (self.arch, self.hidden, self.output, self.loss, self.seed, self.random_btn, self.reset_btn):
            w.disabled = "all" in lesson.lock
