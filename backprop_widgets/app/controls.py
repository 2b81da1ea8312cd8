"""Parameter controls: a slider and an exact text entry per value, written into the State.

Controls never compute maths: a user edit becomes one ``state.set_value(name, v)``; the state
answers with a new trace (and the controls re-read their values from it) or with a
``ValueError``, which is shown next to the field while the last good value stays. The panel
follows the state: new controls for a new architecture, the lesson's locks.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import ipywidgets as W
from ipywidgets.widgets.widget_string import HTMLStyle, LabelStyle, TextStyle

from ..core import Param, sub, sup
from .markup import msg
from .run_pace import RunPace
from .slider import ValueSlider
from .values import parse_number

if TYPE_CHECKING:
    from .state import State

#: a network with more adjustable values than this gets one "selected value" editor instead
#: of a slider per value (hundreds of sliders make the page slow and unreadable)
MAX_SLIDERS = 60


def label_of(name: str) -> str:
    """Unicode label of a control name: ``w1,2,3`` → w₂,₃⁽¹⁾, ``x2`` → x₂, ``y1`` → y₁."""
    if name[0] in "xy":
        return name[0] + sub(name[1:])
    return Param.parse(name).unicode


def css_name(name: str) -> str:
    """``w1,2,3`` → ``w1-2-3`` (for the row's CSS class ``bpw-param-w1-2-3``)."""
    return name.replace(",", "-")


def fmt_exact(v: float) -> str:
    """A value for the text entry, exactly: the shortest text that reads back as the same float
    (0.1 stays 0.1, 0.123 stays 0.123, a trained weight shows all the digits it has)."""
    text = "0" if v == 0 else repr(float(v))
    return text.removesuffix(".0")


def slider_range(v: float, base: float) -> float:
    """Half-width of a slider range that holds ``v``: ``base``, or the next power of two above |v|."""
    if abs(v) <= base:
        return base
    return float(2 ** math.ceil(math.log2(abs(v))))


#: a drag moves a value in steps of this size
SLIDER_STEP = 0.01


class RowLook:
    """The layouts and styles the rows of one panel share.

    Every ipywidgets widget has a layout and most a style, each a widget model of its own that a
    page creates when it opens: a row made its own 9 of them (15 models a row, 537 on the seed
    page). The rows' layouts and styles never change after they are built, so the rows of a
    panel share one of each (a message row is shown and hidden by a CSS class, ``bpw-quiet``).
    """

    def __init__(self) -> None:
        self.label = W.Layout(width="58px")
        self.slider = W.Layout(width="140px")
        self.text = W.Layout(width="96px")
        self.line = W.Layout()
        self.row = W.Layout(margin="0", overflow="visible")
        self.error = W.Layout(margin="0 0 2px 6px")
        self.label_style = LabelStyle()
        self.text_style = TextStyle()
        self.error_style = HTMLStyle()


class ValueRow:
    """One value (weight, bias, input or target): label, slider, exact text, message.

    The slider (:class:`~backprop_widgets.app.slider.ValueSlider`) holds the state's value exactly
    and sends only what the student drags to. A slider value or a text is an edit only when it
    differs from the state's value (as the field shows it); anything else is the view catching
    up with the state.
    """

    def __init__(self, state: "State", name: str, base_range: float = 2.0, look: RowLook | None = None):
        self.state = state
        self.base_range = base_range
        look = look or RowLook()
        self.label = W.Label(layout=look.label, style=look.label_style)
        self.slider = ValueSlider(min=-base_range, max=base_range, step=SLIDER_STEP, layout=look.slider)
        self.slider.add_class("bpw-slider")
        self.text = W.Text(continuous_update=False, layout=look.text, style=look.text_style)
        self.text.add_class("bpw-text")
        self.error = W.HTML(layout=look.error, style=look.error_style)
        self.error.add_class("bpw-error")
        self.error.add_class("bpw-quiet")
        self.widget = W.VBox(
            [W.HBox([self.label, self.slider, self.text], layout=look.line), self.error], layout=look.row
        )
        self.slider.observe(self._on_slider, names="value")
        self.text.observe(self._on_text, names="value")
        self.name = ""
        self.bind(name)

    def set_locked(self, locked: bool) -> None:
        """Read-only, visibly (a lesson locked this value); the state refuses edits too."""
        self.slider.disabled = self.text.disabled = locked
        self.text.tooltip = "locked by the lesson" if locked else None
        if locked:
            self.widget.add_class("bpw-locked")
        else:
            self.widget.remove_class("bpw-locked")

    def bind(self, name: str) -> None:
        """Point this row at another value (the selected-value editor reuses one row)."""
        if self.name:
            self.widget.remove_class(f"bpw-param-{css_name(self.name)}")
        self.name = name
        self.widget.add_class(f"bpw-param-{css_name(name)}")
        self.label.value = self.slider.label = label_of(name)
        self.show_error("")
        self.sync()

    @property
    def value(self) -> float:
        return self.state.value(self.name)

    def sync(self) -> None:
        """Show the state's value (after any change, from anywhere)."""
        v = self.value
        r = slider_range(v, self.base_range)
        s = self.slider
        if (s.min, s.max, s.value, s.text) != (-r, r, v, fmt_exact(v)):  # text: after a drag
            with s.hold_sync():  # one message: range and value together
                s.min, s.max, s.value, s.text = -r, r, v, fmt_exact(v)
        if self.text.value != fmt_exact(v):
            self.text.value = fmt_exact(v)

    def show_error(self, message: str) -> None:
        self.message = message  # what the row says now ("": nothing; its message line is hidden)
        self.error.value = msg(message)  # escaped: the message may repeat what was typed
        if message:
            self.error.remove_class("bpw-quiet")
        else:
            self.error.add_class("bpw-quiet")

    def _apply(self, value: float) -> None:
        try:
            self.state.set_value(self.name, value)
        except ValueError as exc:
            self.show_error(str(exc))
            self.sync()  # the last good value stays, in the slider and in the text
        else:
            self.show_error("")

    def _on_slider(self, change) -> None:
        if change["new"] != self.value:  # a drag, not the slider showing the state
            self._apply(change["new"])
            self.slider.acknowledge()  # the browser may send the newest position now

    def _on_text(self, change) -> None:
        if change["new"] == fmt_exact(self.value):  # the field showing the state
            return
        try:
            value = parse_number(change["new"])
        except ValueError as exc:
            self.show_error(str(exc))
            # the field goes back to the last good value: it never shows a number the
            # network does not hold, and the message says what was wrong with the typed text
            self.text.value = fmt_exact(self.value)
            return
        self._apply(value)


def value_names(state: "State") -> dict[str, list[str]]:
    """Every adjustable value, grouped: ``{"input x, target y": [x1…, y1…], "layer 1 …": […]}``."""
    net = state.network
    groups = {
        "input x, target y": [f"x{k}" for k in range(1, net.sizes[0] + 1)]
        + [f"y{j}" for j in range(1, net.sizes[-1] + 1)]
    }
    for l in range(1, net.L + 1):
        groups[f"layer {l}: W{sup(l)}, b{sup(l)}"] = [str(p) for p in net.parameters() if p.l == l]
    return groups


class ParameterPanel:
    """All values as rows grouped per layer (an accordion), or — for large nets — one row for
    the value chosen in a dropdown."""

    def __init__(self, state: "State"):
        self.state = state
        self.widget = W.VBox(layout=W.Layout(width="100%"))
        self.widget.add_class("bpw-params")
        self.rows: dict[str, ValueRow] = {}
        self.look = RowLook()
        self.rebuild()
        self.pace = RunPace(state, self._follow)  # a Run on the dataset: once a second
        state.observe(lambda _: self._follow(), names=["example", "error"])
        state.observe(lambda _: self._follow_lesson(), names="lesson")

    def _follow(self) -> None:
        """Any change that went through: controls for a new architecture, else the new values;
        messages about earlier refused input no longer apply."""
        if self.pace.waits():
            return
        if self.sizes != list(self.state.network.sizes):
            self.rebuild()
        self.sync()
        self.clear_errors()

    def rebuild(self) -> None:
        """Build controls for the current architecture."""
        groups = value_names(self.state)
        self.sizes = list(self.state.network.sizes)
        n_values = sum(len(v) for v in groups.values())
        self.rows = {}
        self.selector = None
        self.accordion: W.Accordion | None = None
        if n_values <= MAX_SLIDERS:
            sections = []
            for names in groups.values():
                rows = [self._row(name) for name in names]
                sections.append(W.VBox([r.widget for r in rows]))
            # layer 1 open, as in the sketch: the weights are what a student explores first
            acc = W.Accordion(children=sections, titles=tuple(groups), selected_index=1)
            acc.add_class("bpw-accordion")
            self.accordion = acc
            self.widget.children = [acc]
        else:
            options = [
                (f"{label_of(n)}   ({title.split(':')[0]})", n) for title, names in groups.items() for n in names
            ]
            self.selector = W.Dropdown(
                options=options, value=options[0][1], description="value", layout=W.Layout(width="300px")
            )
            self.selector.add_class("bpw-selector")
            row = self._row(options[0][1])
            self.selector.observe(lambda c: self._select(c["new"]), names="value")
            note = W.HTML(f"<small>{n_values} values: too many for a slider each — choose one to edit.</small>")
            self.widget.children = [note, self.selector, row.widget]

    def _row(self, name: str) -> ValueRow:
        row = ValueRow(self.state, name, base_range=1.0 if name[0] == "y" else 2.0, look=self.look)
        row.set_locked(self.state.is_locked(name))
        self.rows[name] = row
        return row

    def _select(self, name: str) -> None:
        (row,) = self.rows.values()
        self.rows = {name: row}
        row.bind(name)
        row.set_locked(self.state.is_locked(name))

    def _follow_lesson(self) -> None:
        """Lock what the lesson locks, unlock the others."""
        for name, row in self.rows.items():
            row.set_locked(self.state.is_locked(name))

    def select(self, name: str) -> None:
        """Bring ``name``'s row up: open its layer's section, or show it in the selected-value
        editor of a large net."""
        if self.selector is not None and name in [o[1] for o in self.selector.options]:
            self.selector.value = name
        elif self.accordion is not None and name in self.rows:
            sections = list(value_names(self.state).values())
            self.accordion.selected_index = next(i for i, names in enumerate(sections) if name in names)

    def sync(self) -> None:
        for row in self.rows.values():
            row.sync()

    def clear_errors(self) -> None:
        for row in self.rows.values():
            if row.error.value:
                row.show_error("")
