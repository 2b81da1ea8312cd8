"""The "Train" tab: gradient descent on the one sample (``State.train``), and its loss curve."""

from __future__ import annotations

import html
from functools import cached_property

import ipywidgets as W

from ...draw.losscurve import LossCurve, summary
from ..markup import msg, note, picture_html
from . import Tab, register


@register
class TrainTab(Tab, name="train", title="Train"):
    def build(self) -> None:
        self.eta = W.BoundedFloatText(
            value=0.5, min=1e-4, max=100.0, step=0.1, description="η", layout=W.Layout(width="140px")
        )
        self.n_steps = W.BoundedIntText(value=20, min=1, max=500, description="N", layout=W.Layout(width="130px"))
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
        self.curve_image = W.HTML(layout=W.Layout(width="420px"))
        self.curve_image.add_class("bpw-loss-curve")
        self.train_lock_note = W.HTML()
        self.widget = W.VBox(
            [
                W.HTML(
                    "Gradient descent on this one sample: every weight and bias moves by "
                    "−η·∂L/∂w each step. The diagram and the panels follow each step."
                ),
                W.HBox([self.eta, self.n_steps, self.step_btn, self.run_btn, self.train_reset_btn]),
                self.train_lock_note,
                self.train_msg,
                self.train_summary,
                self.curve_image,
            ]
        )
        # a change went through: a message about an earlier run no longer applies
        self.state.observe(lambda _: setattr(self.train_msg, "value", ""), names="example")
        self.state.observe(lambda _: self._follow_lesson(), names="lesson")
        self._follow_lesson()

    def train(self, n: int) -> None:
        """``n`` gradient-descent steps with the current η (see ``State.train``)."""
        self.train_msg.value = msg(self.state.train(n, self.eta.value))

    def reset_training(self) -> None:
        """Back to the parameters from before the first training step."""
        if not self.state.reset_training():
            self.train_msg.value = note(
                "Nothing to reset: the network was changed since the last training step (or never trained)."
            )

    @cached_property
    def curve(self) -> LossCurve:
        """The loss curve's figure, made when the tab is first shown: a page that never opens the
        tab does not pay for it (~40 ms of every kernel's start-up)."""
        return LossCurve()

    def render(self) -> None:
        losses = self.state.loss_history
        self.curve.update(losses)
        self.train_summary.value = html.escape(summary(losses))
        self.curve_image.value = picture_html(self.curve.render(), f"Loss curve: {summary(losses)}")

    def _follow_lesson(self) -> None:
        locked = bool(self.state.lesson.lock)  # training moves every value, locked ones too
        for w in (self.step_btn, self.run_btn, self.train_reset_btn):
            w.disabled = locked
        self.train_lock_note.value = (
            "<i>Training is off in this lesson: it would change locked values.</i>" if locked else ""
        )
