"""The "Train" tab: gradient descent on the one sample (``state.training``), and its loss curve.

Run N steps goes on in the background (``Training.start``): the tab shows its progress
(the step on the screen, of N, and its loss), Run waits and Stop stops it; the rest of the page
stays live, and an edit stops the run first (the tab says so).
"""

from __future__ import annotations

import html
from functools import cached_property

import ipywidgets as W

from ...core import fmt
from ...draw.losscurve import LossCurve, summary
from ..edit_guard import EditGuard
from ..markup import note, picture_html
from . import Tab, register

#: the longest run the page offers (a run can be stopped at any step)
MAX_STEPS = 100_000


@register
class TrainTab(Tab, name="train", title="Train"):
    def build(self) -> None:
        self.eta = W.BoundedFloatText(
            value=0.5, min=1e-4, max=100.0, step=0.1, description="η", layout=W.Layout(width="140px")
        )
        self.n_steps = W.BoundedIntText(value=20, min=1, max=MAX_STEPS, description="N", layout=W.Layout(width="150px"))
        for w in (self.eta, self.n_steps):
            w.style.description_width = "20px"
        self.eta.add_class("bpw-train-eta")
        self.n_steps.add_class("bpw-train-n")
        self.step_btn = W.Button(description="Step", layout=W.Layout(width="80px"))
        self.run_btn = W.Button(description="Run N steps", layout=W.Layout(width="110px"))
        self.stop_btn = W.Button(description="Stop", disabled=True, layout=W.Layout(width="80px"))
        self.train_reset_btn = W.Button(description="Reset", layout=W.Layout(width="80px"))
        self.step_btn.add_class("bpw-train-step")
        self.run_btn.add_class("bpw-train-run")
        self.stop_btn.add_class("bpw-train-stop")
        self.train_reset_btn.add_class("bpw-train-reset")
        self.step_btn.on_click(lambda _: self.train(1))
        self.run_btn.on_click(lambda _: self.state.training.start(self.n_steps.value, self.eta.value))
        self.stop_btn.on_click(lambda _: self.state.training.stop("you pressed Stop"))
        self.train_reset_btn.on_click(lambda _: self.reset_training())
        self.train_progress = W.HTML()
        self.train_progress.add_class("bpw-train-progress")
        self.train_msg = W.HTML()
        self.train_msg.add_class("bpw-train-msg")
        self.local_msg = ""  # the tab's own message, until the next change ("Nothing to reset")
        self.train_summary = W.HTML()
        self.train_summary.add_class("bpw-train-summary")
        self.curve_image = W.HTML(layout=W.Layout(width="420px"))
        self.curve_image.add_class("bpw-loss-curve")
        self.train_lock_note = W.HTML()
        self.guard = EditGuard(self._on_edit)
        self.widget = W.VBox(
            [
                W.HTML(
                    "Gradient descent on this one sample: every weight and bias moves by "
                    "−η·∂L/∂w each step. The diagram and the panels follow the run; Stop, or "
                    "any edit, stops it at the step shown."
                ),
                W.HBox([self.eta, self.n_steps, self.step_btn, self.run_btn, self.stop_btn, self.train_reset_btn]),
                self.train_lock_note,
                self.train_progress,
                self.train_msg,
                self.train_summary,
                self.curve_image,
                self.guard,
            ]
        )
        self.state.observe(lambda _: self._on_change(), names=["example", "error"])
        self.state.training.observe(lambda _: self._follow_run(), names=["run", "note"])
        self.state.observe(lambda _: self._follow_run(), names="lesson")
        self.state.observe(lambda _: self._follow_lesson(), names="lesson")
        self._follow_lesson()
        self._follow_run()

    def train(self, n: int) -> None:
        """``n`` gradient-descent steps with the current η, now (see ``Training.train``)."""
        self.state.training.train(n, self.eta.value)

    def reset_training(self) -> None:
        """Back to the parameters from before the first training step (a run stops first)."""
        if not self.state.training.reset():
            self.local_msg = note(
                "Nothing to reset: the network was changed since the last training step (or never trained)."
            )
            self._show_msg()

    def _on_edit(self, name: str) -> None:
        """The page says a student started to edit the value ``name`` (see :mod:`..edit_guard`)."""
        try:
            self.state.value(name)  # a value of this network, not whatever the browser sent
        except (ValueError, KeyError, IndexError):
            return
        self.state.training.stop_for_edit(name)

    def _on_change(self) -> None:
        """A change went through: a message about an earlier reset no longer applies; a run
        in progress shows its new step."""
        self.local_msg = ""
        self._show_msg()
        self._show_progress()

    def _follow_run(self) -> None:
        """A run started or ended: what the buttons may do, the progress, the message."""
        running = self.state.training.run is not None
        locked = bool(self.state.lesson.lock)  # training moves every value, locked ones too
        self.step_btn.disabled = self.run_btn.disabled = locked or running
        self.eta.disabled = self.n_steps.disabled = running
        self.stop_btn.disabled = not running
        self.run_btn.description = "Running…" if running else "Run N steps"
        self.guard.running = running
        self._show_progress()
        self._show_msg()

    def _show_progress(self) -> None:
        run = self.state.training.run
        if run is None:
            self.train_progress.value = ""
            return
        loss = fmt(self.state.trace.loss, unicode=True)
        self.train_progress.value = (
            f"<progress max='{run.n}' value='{run.shown}' aria-label='training progress'></progress> "
            f"<span class='bpw-busy'>Training… step {run.shown} of {run.n}, L = {loss}</span>"
        )

    def _show_msg(self) -> None:
        self.train_msg.value = self.local_msg or self.state.training.note

    @cached_property
    def curve(self) -> LossCurve:
        """The loss curve, made when the tab is first shown."""
        return LossCurve()

    def render(self) -> None:
        losses = self.state.training.loss_history
        self.curve.update(losses)
        self.train_summary.value = html.escape(summary(losses))
        self.curve_image.value = picture_html(self.curve.render(), f"Loss curve: {summary(losses)}")

    def _follow_lesson(self) -> None:
        locked = bool(self.state.lesson.lock)
        self.train_reset_btn.disabled = locked
        self.train_lock_note.value = (
            "<i>Training is off in this lesson: it would change locked values.</i>" if locked else ""
        )
