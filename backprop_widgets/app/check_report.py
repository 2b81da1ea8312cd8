"""Check my backprop in a notebook: :func:`check_backprop`'s report shown as a widget.

The verdict (✓ or ✗, in the page's pass and fail colours); for a failing backward, the first
wrong quantity with the value expected and the value got, the mistake that explains it, and the
diagram of the network it went wrong on, with that quantity in the error colour (the edge of a
weight's gradient, the neuron of a δ or a bias's gradient) and the rest faded; and
"Show this step", which opens the worked example's step that computes it below, as a Dashboard
of that network. A passing report shows the verdict and how many networks it checked.

The report is :class:`CheckReport`, the explain layer's :class:`Report` with a widget view:
every attribute stays (``passed``, ``first_wrong``, ``mistake``, ``message``, ``step`` …), and
its display bundle carries both the widget and the report's HTML, so that JupyterLab shows the
widget and nbconvert (nbgrader's feedback) the HTML verdict.
"""

from __future__ import annotations

import html
from dataclasses import fields
from functools import cached_property
from typing import Callable

import ipywidgets as W

from ..draw.diagram import NetworkDiagram
from ..draw.wrong import mark_wrong
from ..explain.checker import Report
from ..explain.checker import check_backprop as check
from ..explain.practice.mistakes import CATALOGUE
from .markup import picture_html
from .style import STYLE

__all__ = ["CheckReport", "CheckView", "check_backprop"]

#: the verdict's words, by whether the backward passed (as the report's HTML words it)
VERDICT = {True: "✓ Your backprop is right", False: "✗ Not yet"}


class CheckView:
    """The widget of one report: ``widget`` (a VBox), and the views inside it: ``verdict``,
    ``wrong`` (the first wrong quantity, expected and got), ``mistake``, ``message``,
    ``diagram`` (the :class:`NetworkDiagram` drawn, or ``None``), ``picture`` (its HTML) and
    ``caption``, ``show_step`` (the button), ``step_box`` (where the step opens) and
    ``dashboard`` (the Dashboard it opened, or ``None``)."""

    def __init__(self, report: Report):
        self.report = r = report
        self.verdict = W.HTML(f"<span class='bpw-{'pass' if r.passed else 'fail'}'>{VERDICT[r.passed]}</span>")
        self.verdict.add_class("bpw-check-verdict")
        self.wrong = W.HTML(f"<b>First wrong:</b> {html.escape(r.first_wrong)}" if r.first_wrong else "")
        self.wrong.add_class("bpw-check-first-wrong")
        said = f"<b>Mistake:</b> {html.escape(CATALOGUE[r.mistake])} ({r.mistake})" if r.mistake else ""
        self.mistake = W.HTML(said)
        self.message = W.HTML(html.escape(r.message))
        self.message.add_class("bpw-check-message")
        self.diagram: NetworkDiagram | None = None
        self.picture = W.HTML()
        self.picture.add_class("bpw-check-diagram")
        self.caption = W.HTML()
        self.caption.add_class("bpw-check-caption")
        self.show_step = W.Button(description="Show this step", layout=W.Layout(width="auto"))
        self.show_step.add_class("bpw-show-step")
        self.step_box = W.VBox()
        self.step_box.add_class("bpw-check-step")
        self.dashboard = None
        self.show_step.on_click(lambda _: self.open_step())
        parts: list[W.Widget] = [W.HTML(STYLE), self.verdict]
        if not r.passed:
            parts += [self.wrong, self.mistake, self.message]
            if self._draw():
                parts += [self.picture, self.caption]
            if r.wrong is not None:
                parts += [self.show_step, self.step_box]
        else:
            parts.append(self.message)
        self.widget = W.VBox(parts)
        self.widget.add_class("bpw-check-report")

    def _draw(self) -> bool:
        """The diagram of the network of the first wrong number (or, when the backward returned
        none, of the first network it failed on, nothing marked); whether there is one."""
        r, wrong = self.report, self.report.wrong
        shown = wrong or r.failing
        if shown is None:
            return False
        self.diagram = d = NetworkDiagram(shown.net.sizes)
        trace = shown.net.trace(shown.x, shown.y)
        if wrong is None:
            d.update(trace)
            label = f"the diagram of {r.failing.name}"
            words = f"On {r.failing.name}, your function returned no number to compare."
        else:
            mark_wrong(d, trace, wrong.highlight)
            label = f"the diagram of {wrong.name}, with {wrong.symbol} marked"
            first = r.failing is not None and r.failing.name == wrong.name
            where = f"On {wrong.name}" if first else f"Its first wrong number, on {wrong.name}"
            words = f"{where}: {wrong.text}, marked in red on the diagram (the rest is faded)."
        self.picture.value = picture_html(d.render(), label)
        self.caption.value = html.escape(words)
        if wrong is not None:
            self.show_step.tooltip = f"the worked example's step {wrong.step} for {wrong.traced.unicode}"
        return True

    def open_step(self) -> None:
        """Open the worked example's step that computes the first wrong number, below: a
        Dashboard of that network, tracing its parameter, on that step."""
        from .dashboard import Dashboard

        wrong = self.report.wrong
        if wrong is None or self.dashboard is not None:
            return
        self.dashboard = Dashboard(wrong.net, wrong.x, wrong.y, traced=str(wrong.traced), step=wrong.step)
        self.step_box.children = (self.dashboard.widget,)
        self.show_step.disabled = True


class CheckReport(Report):
    """A :class:`~backprop_widgets.explain.checker.Report` that a notebook shows as a widget
    (:class:`CheckView`, made on first display: ``report.view``)."""

    @classmethod
    def of(cls, report: Report) -> "CheckReport":
        return cls(**{f.name: getattr(report, f.name) for f in fields(report)})

    @cached_property
    def view(self) -> CheckView:
        return CheckView(self)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = dict(self.view.widget._repr_mimebundle_() or {})
        bundle.update({"text/plain": repr(self), "text/html": self._repr_html_()})
        return bundle


def check_backprop(
    backward: Callable, activation: str = "sigmoid", loss: str = "mse", networks: int = 20, seed: int = 0
) -> CheckReport:
    """:func:`backprop_widgets.explain.checker.check_backprop`, whose report a notebook shows as
    a widget. Never raises."""
    return CheckReport.of(check(backward, activation, loss, networks, seed))
