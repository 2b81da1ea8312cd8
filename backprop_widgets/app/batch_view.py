"""The batch view of the steps: "one sample" or "a batch of m", each sample's term a button.

The choice is the dataset's (``state.dataset.choice.view``, a lesson link's ``view``): the
control writes it there and shows what it holds. The batch is **the first m training points** of
the dataset (m = the Dataset tab's batch size; the split has shuffled them already), traced with
the page's network: :func:`batch_of`. In batch view the loss, BP3 and BP4 steps are the batch's
(:mod:`~backprop_widgets.explain.batch_terms`) and each sample's term shown is a button: it opens
that sample's own worked example (the page's x and y become the sample's, through the state) and
the view returns to one sample. Without data that fit the network, or outside Explore, the
control says why and the steps stay one sample's.

:func:`marks_of` gives the diagram its saturated and dead units (over the batch in batch view,
for the sample otherwise), at the threshold ``state.dataset.choice.threshold`` (a link's ``sat``).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Callable
from weakref import WeakKeyDictionary

import ipywidgets as W

from ..core import BatchTrace, UnitMarks, fmt, unit_marks
from ..draw.marks import legend as marks_legend
from ..explain.batch_terms import batch_gradient_step, batch_loss_step, gradient_terms, loss_terms
from ..explain.steps import Step
from .markup import msg, note

if TYPE_CHECKING:
    from .state import State

#: the bar's lines of text: small and close, so that the step panel below keeps its room
COMPACT = "style='line-height: 1.35; font-size: 12px; margin: 2px 0'"
#: the kinds of step the batch view replaces (``Step.kind``), and the terms each shows
BATCH_KINDS = ("loss", "gradient")

_batches: "WeakKeyDictionary[State, tuple[tuple, BatchTrace]]" = WeakKeyDictionary()


def why_no_batch(state: "State") -> str:
    """'' if the page can show a batch; else why not, in words."""
    if state.mode != "explore":
        return "the batch view is for Explore mode"
    d = state.dataset
    if d.data is None:
        return "there is no dataset"
    why = d.fits()
    return f"the dataset does not fit this network: {why}" if why else ""


def batch_of(state: "State") -> BatchTrace | None:
    """The batch of the batch view, the first m training points traced with the page's network
    (``None`` when :func:`why_no_batch` says why not). Kept while the network and data stay."""
    if why_no_batch(state):
        return None
    d = state.dataset
    data = d.data
    assert data is not None
    m = min(d.choice.batch, len(data.X_train))
    key = (state.network, data, m)
    kept = _batches.get(state)
    if kept is not None and all(a is b for a, b in zip(kept[0], key)):
        return kept[1]
    bt = state.network.batch_trace(data.X_train[:m], data.Y_train[:m])
    _batches[state] = (key, bt)
    return bt


def batch_shown(state: "State") -> BatchTrace | None:
    """The batch when the page is in batch view, else ``None``."""
    return batch_of(state) if state.dataset.choice.view == "batch" else None


def marks_of(state: "State") -> UnitMarks | None:
    """The diagram's saturated and dead units: over the batch in batch view, else the sample's;
    ``None`` while the page holds answers back."""
    if state.hides:
        return None
    bt = batch_shown(state)
    return unit_marks(bt if bt is not None else state.trace, state.dataset.choice.threshold)


class BatchView:
    """``widget``: the control and why it is off; ``below``: a button per term of the step shown
    (``terms``) and what the diagram's rings mean (``legend``).
    ``step_for(step)`` is what the panel shows for a step; ``on_change()`` redraws the panel."""

    def __init__(self, state: "State", on_change: Callable[[], None]):
        self.state, self.on_change = state, on_change
        self.toggle = W.ToggleButtons(
            options=self._options(), value=state.dataset.choice.view, style={"button_width": "105px"}
        )
        self.toggle.add_class("bpw-batch-toggle")
        # the diagram's rings: the threshold on σ′, what it means and what the rings say
        self.threshold = W.BoundedFloatText(
            value=state.dataset.choice.threshold,
            min=0.0001,
            max=1.0,
            step=0.005,
            description="saturated if σ′ <",
            layout=W.Layout(width="180px"),
        )
        self.threshold.style.description_width = "110px"
        self.threshold.add_class("bpw-threshold")
        self.threshold.observe(lambda c: state.dataset.set(threshold=float(c["new"])), names="value")
        self.legend = W.HTML()
        self.legend.add_class("bpw-marks-legend")
        self.note = W.HTML()
        self.note.add_class("bpw-batch-note")
        self.terms = W.VBox()
        self.terms.add_class("bpw-batch-terms")
        bar = W.HBox([self.toggle, self.threshold], layout=W.Layout(flex_flow="row wrap", align_items="center"))
        self.widget = W.VBox([bar, self.note])  # above the step panel
        self.widget.add_class("bpw-batch-view")
        self.below = W.VBox([self.terms, self.legend])  # under it: the terms, what the rings mean
        self.widget.add_class("bpw-batch-bar")
        self.toggle.observe(lambda c: self.choose(c["new"]), names="value")
        state.dataset.observe(lambda _: self._follow(redraw=True), names=["choice", "data"])
        state.observe(lambda _: self._follow(), names=["example", "mode", "hides"])
        self._follow()

    def _options(self) -> list[tuple[str, str]]:
        d = self.state.dataset
        m = d.choice.batch if d.data is None else min(d.choice.batch, len(d.data.X_train))
        return [("one sample", "sample"), (f"a batch of {m}", "batch")]

    def choose(self, view: str) -> None:
        """The student's choice: one sample's steps, or the batch's."""
        self.state.dataset.set(view=view)

    def _follow(self, redraw: bool = False) -> None:
        d, why = self.state.dataset, why_no_batch(self.state)
        options = self._options()
        if list(self.toggle.options) != options:
            with self.toggle.hold_trait_notifications():
                self.toggle.options = options
                self.toggle.value = d.choice.view
        self.toggle.value = d.choice.view  # the same value notifies nothing
        self.toggle.disabled = bool(why)
        bt = batch_of(self.state)
        said = ""
        if why and d.choice.view == "batch":
            said = msg(f"Only one sample: {why}.")
        elif not why and d.choice.view == "batch" and bt is not None:
            said = note(
                f"The batch: the first {bt.m} training points. The loss, BP3 and BP4 show their mean; "
                "a term under the step opens its sample."
            )
        self.note.value = f"<div {COMPACT}>{said}</div>" if said else ""
        self._show_marks()
        if redraw:
            self.on_change()

    def _show_marks(self) -> None:
        """The threshold as the state holds it, and what the diagram's rings mean (in one
        sentence when none is drawn); nothing while the page holds answers back."""
        t, hides = self.state.dataset.choice.threshold, self.state.hides
        self.threshold.value = t  # the same value notifies nothing
        self.threshold.disabled = hides
        meaning = f"a unit whose σ′ < {t:g} passes on less than {100 * t:.4g}% of the error reaching it"
        self.threshold.tooltip = meaning
        said = "" if hides else marks_legend(marks_of(self.state)) or meaning
        self.legend.value = f"<div {COMPACT}><small>Diagram: {html.escape(said)}</small></div>" if said else ""

    def active(self) -> BatchTrace | None:
        """The batch, when the steps show it."""
        return batch_shown(self.state)

    def step_for(self, step: Step) -> Step:
        """What the panel shows for ``step``: the batch's loss or gradient in batch view, and
        the step itself otherwise (also when the batch overflows)."""
        bt = self.active()
        old, self.terms.children = self.terms.children, ()
        for w in old:  # the last step's buttons: gone from the browser too
            w.close()
        if bt is None or step.kind not in BATCH_KINDS:
            return step
        try:
            if step.kind == "loss":
                batch_step, terms = batch_loss_step(bt), loss_terms(bt)
            else:
                batch_step, terms = batch_gradient_step(bt, self.state.traced), gradient_terms(bt, self.state.traced)
        except ValueError:
            return step
        buttons = []
        for t in terms.shown:
            b = W.Button(description=t.text, tooltip=f"open sample {t.i + 1}'s own worked example")
            b.layout = W.Layout(width="auto")
            b.add_class("bpw-batch-term")
            b.on_click(lambda _, i=t.i: self.open_sample(i))
            buttons.append(b)
        rest = (
            [W.HTML(html.escape(f"+ {terms.rest} more samples: Σ = {fmt(terms.rest_sum, unicode=True)}"))]
            if terms.rest
            else []
        )
        self.terms.children = (W.HTML("<b>Open a sample's worked example:</b>"), *buttons, *rest)
        return batch_step

    def open_sample(self, i: int) -> None:
        """Sample i (0-based row of the batch) becomes the page's x and y; the steps show it."""
        bt, s = self.active(), self.state
        if bt is None:
            return
        names = [f"x{k}" for k in range(1, len(s.x) + 1)] + [f"y{j}" for j in range(1, len(s.y) + 1)]
        if any(s.is_locked(n) for n in names):
            self.note.value = msg("The lesson locks x and y: a sample cannot be opened.")
            return
        s.dataset.set(view="sample")
        s.set(x=bt.X[i], y=bt.Y[i])
