"""Check my backprop in a notebook: :func:`check_backprop`'s report with a widget.

A notebook shows a report as two outputs, one under the other:

1. the report's HTML (``Report._repr_html_``): the verdict (✓ or ✗, in the colour code's text
   shades), the first wrong quantity with the value expected and the value got, and the message
   (the mistake that explains it, the step that shows it); for a passing backward, how many
   networks it was checked on;
2. for a failing backward, the widget (:class:`CheckView`): the diagram of the network of its
   first wrong number, that quantity in the error colour (the edge of a weight's gradient, the
   neuron of a δ or a bias's gradient) and the rest faded, and "Show this step", which opens
   the worked example's step that computes it below, as a Dashboard of that network.

Why two: nbconvert, and so nbgrader's feedback, renders an output's widget view in preference
to its HTML, and without a live kernel the widget is blank; the verdict must stay readable
there, so it is an output of its own, plain HTML. The report is :class:`CheckReport`, the
explain layer's :class:`Report` with this display: every attribute stays (``passed``,
``first_wrong``, ``mistake``, ``message``, ``step`` …), and so do ``repr`` and ``_repr_html_``.
"""

from __future__ import annotations

import html
from dataclasses import fields
from functools import cached_property
from typing import Callable

import ipywidgets as W

from ..draw.diagram import DiagramTooLarge, NetworkDiagram
from ..draw.wrong import mark_wrong
from ..explain.checker import Report
from ..explain.checker import check_backprop as check
from .markup import msg, picture_html
from .style import STYLE

__all__ = ["CheckReport", "CheckView", "check_backprop"]


class CheckView:
    """The widget of a failing report: ``widget`` (a VBox, ``None`` for a report with no
    network to draw: a passing one, or one that failed before running anything), and the views
    inside it: ``diagram`` (the :class:`NetworkDiagram` drawn), ``picture`` (its HTML),
    ``caption``, ``show_step`` (the button, when there is a wrong number), ``step_box`` (where
    the step opens) and ``dashboard`` (the Dashboard it opened, or ``None``)."""

    def __init__(self, report: Report):
        self.report = report
        self.diagram: NetworkDiagram | None = None
        self.picture = W.HTML()
        self.picture.add_class("bpw-check-diagram")
        self.caption = W.HTML()
        self.caption.add_class("bpw-check-caption")
        self.show_step = W.Button(description="Show this step", layout=W.Layout(width="auto", align_self="flex-start"))
        self.show_step.add_class("bpw-show-step")
        self.show_step.on_click(lambda _: self.open_step())
        self.step_box = W.VBox()
        self.step_box.add_class("bpw-check-step")
        self.dashboard = None
        self.widget: W.VBox | None = None
        if not report.passed and self._draw():
            parts = [W.HTML(STYLE), self.picture, self.caption]
            if report.wrong is not None:
                parts += [self.show_step, self.step_box]
            self.widget = W.VBox(parts)
            self.widget.add_class("bpw-check-report")

    def _draw(self) -> bool:
        """The diagram of the network of the first wrong number (or, when the backward returned
        none, of the first network it failed on, nothing marked); whether there is one."""
        r, wrong = self.report, self.report.wrong
        shown = wrong or r.failing
        if shown is None:
            return False
        try:
            self.diagram = d = NetworkDiagram(shown.net.sizes)
        except DiagramTooLarge as e:  # checked with networks=… so many that the last ones are huge
            self.caption.value = html.escape(f"{shown.name[0].upper()}{shown.name[1:]} is too large to draw: {e}")
            return True
        trace = shown.net.trace(shown.x, shown.y)
        if wrong is None:
            d.update(trace)
            label = f"the diagram of {shown.name}"
            words = f"On {shown.name}, your function returned no number to compare."
        else:
            mark_wrong(d, trace, wrong.highlight)
            label = f"the diagram of {wrong.name}, with {wrong.symbol} marked"
            if r.failing is not None and r.failing.name == wrong.name:  # the verdict above says it
                words = f"{wrong.symbol} is marked in red on {wrong.name} (the rest is faded)."
            else:
                words = f"Its first wrong number, on {wrong.name}: {wrong.text}, marked in red (the rest is faded)."
            self.show_step.tooltip = f"the worked example's step {wrong.step} for {wrong.traced.unicode}"
        self.picture.value = picture_html(d.render(), label)
        if d.caption:  # what the diagram leaves out ("b labels hidden: …")
            words += f" {d.caption[0].upper()}{d.caption[1:]}."
        self.caption.value = html.escape(words)
        return True

    def open_step(self) -> None:
        """Open the worked example's step that computes the first wrong number, below: a
        Dashboard of that network, tracing its parameter, on that step."""
        from .dashboard import Dashboard

        wrong = self.report.wrong
        if wrong is None or self.dashboard is not None:
            return
        try:
            self.dashboard = Dashboard(wrong.net, wrong.x, wrong.y, traced=str(wrong.traced), step=wrong.step)
        except ValueError as e:  # a network larger than the dashboard takes
            self.step_box.children = (W.HTML(msg(f"This step cannot be opened: {e}")),)
            return
        self.step_box.children = (self.dashboard.widget,)
        self.show_step.disabled = True


class CheckReport(Report):
    """A :class:`~backprop_widgets.explain.checker.Report` that a notebook shows as its HTML and,
    when it failed, the widget of :class:`CheckView` (made on first display: ``report.view``)."""

    @classmethod
    def of(cls, report: Report) -> "CheckReport":
        return cls(**{f.name: getattr(report, f.name) for f in fields(report)})

    @cached_property
    def view(self) -> CheckView:
        return CheckView(self)

    def outputs(self) -> list:
        """What a notebook displays, in order: the HTML bundle, then the widget (if any)."""
        summary = {"text/plain": repr(self), "text/html": self._repr_html_()}
        return [summary] + ([self.view.widget] if self.view.widget is not None else [])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        summary, *widget = self.outputs()
        display(summary, raw=True)
        if widget:
            display(widget[0])


def check_backprop(
    backward: Callable, activation: str = "sigmoid", loss: str = "mse", networks: int = 20, seed: int = 0
) -> CheckReport:
    """:func:`backprop_widgets.explain.checker.check_backprop`, whose report a notebook shows
    with a widget. Never raises."""
    return CheckReport.of(check(backward, activation, loss, networks, seed))
