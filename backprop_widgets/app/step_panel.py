"""The step panel: the worked example one step at a time (◀ Prev, the step list, Next ▶, the
keys ← / →), and in Practice the questions of the step shown (:mod:`.practice_view`).

It writes the step the student asks for into ``state.step`` and shows the step the state holds:
its title, its worked form (or, in practice, its blanks), once per change.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import ipywidgets as W

from ..explain.flow import step_html
from .keys import StepKeys
from .practice_view import PracticeView

if TYPE_CHECKING:
    from .state import State

#: ends every panel: a fade and "more below" at the panel's bottom edge while there is more to
#: scroll to (the CSS in :mod:`.style` shows it only then: not at the end, not when all fits)
MORE_BELOW = '<div class="bpw-more" aria-hidden="true"><span>▼ more below</span></div>'


class StepPanel:
    """``widget``: the panel column; ``go(i)`` shows step ``i``."""

    def __init__(self, state: "State"):
        self.state = state
        self._shown: tuple = ()  # (example, step) on screen
        self.prev = W.Button(description="◀ Prev", layout=W.Layout(width="80px"))
        self.next = W.Button(description="Next ▶", layout=W.Layout(width="80px"))
        self.prev.add_class("bpw-prev")
        self.next.add_class("bpw-next")
        self.steps = self._step_choice([])
        self.step_title = W.HTML()
        self.step_title.add_class("bpw-step-title")
        self.panel = W.HTML()  # its maths is MathML (made in the kernel), drawn by the browser
        self.panel.add_class("bpw-panel")
        self.prev.on_click(lambda _: self.go(state.step - 1))
        self.next.on_click(lambda _: self.go(state.step + 1))
        # ← / → step through the walkthrough when the focus is not in a field
        self.keys = StepKeys(lambda d: self.go(state.step + d) if d in (-1, 1) else None)
        self.practice_view = PracticeView(state.palette, on_reveal=self.show_step)
        self.buttons = W.HBox([self.prev, self.steps, self.next])
        self.widget = W.VBox([self.step_title, self.buttons, self.practice_view.widget, self.panel, self.keys])
        self.widget.add_class("bpw-col-panel")
        state.observe(lambda _: self._follow_example(), names=["example", "error"])
        state.observe(lambda _: self._follow_step(), names="step")
        state.observe(lambda _: self._follow_practice(), names="practice")
        self._follow_practice()

    def go(self, index: int) -> None:
        """Show step ``index`` (clamped to the first/last step; nothing without an example)."""
        if self.state.worked is not None:
            self.state.step = index

    def _step_choice(self, options: list) -> W.Dropdown:
        """A step list with these options. New steps get a new list: new options would select
        their first entry, which is no choice of the student's."""
        steps = W.Dropdown(
            options=options,
            value=self.state.step if options else None,
            description="Step",
            layout=W.Layout(width="270px"),
        )
        steps.style.description_width = "34px"
        steps.add_class("bpw-steps")
        steps.observe(lambda c: self.go(c["new"]) if c["new"] is not None else None, names="value")
        return steps

    def _follow_practice(self) -> None:
        """Practice on: a fresh exercise (everything was visible); off: the worked steps."""
        self.practice_view.widget.layout.display = "" if self.state.practice else "none"
        self.practice_view.start([])
        self._follow_example()

    def _follow_example(self) -> None:
        s, worked = self.state, self.state.worked
        if worked is None:  # say so where the numbers would be, never show older numbers
            self._failed(s.error)
            return
        if s.practice:  # new numbers: a new exercise (the same ones: the progress stays)
            self.practice_view.start(worked.questions())
        options = [(f"{i + 1}. {st.title}", i) for i, st in enumerate(worked.steps)]
        if list(self.steps.options) != options:
            old, self.steps = self.steps, self._step_choice(options)
            self.buttons.children = (self.prev, self.steps, self.next)
            old.close()
        self.show_step()

    def _follow_step(self) -> None:
        if (self.state.example, self.state.step) != self._shown:
            self.show_step()

    def show_step(self) -> None:
        """The step the state holds: its title, and its worked form or its questions."""
        s, worked = self.state, self.state.worked
        if worked is None:
            return
        self._shown = (s.example, s.step)
        steps, view = worked.steps, self.practice_view
        step = steps[s.step]
        # in practice, until the step is worked, the practice view says what to do, above its
        # questions, and the panel gives nothing away
        worked = not s.practice or view.shows_worked(step.id)
        self.panel.value = step_html(step, s.palette) + MORE_BELOW if worked else ""
        self.panel.layout.display = "" if worked else "none"
        # the title after the panel: the page shows a step's title only once its panel has come
        tag = f" · {step.tag}" if step.tag and not step.title.startswith(step.tag) else ""
        self.step_title.value = f"Step {s.step + 1} of {len(steps)}{tag} · {html.escape(step.title)}"
        if s.practice:
            view.show(step)
        self.prev.disabled = s.step == 0
        self.next.disabled = s.step == len(steps) - 1
        self.steps.value = s.step

    def _failed(self, exc) -> None:
        """The worked example could not be written for this state."""
        self._shown = ()
        text = (
            f"This step cannot be shown for the current numbers ({type(exc).__name__}: "
            f"{exc}). The loss above is current; please report this."
        )
        self.panel.value = f"<p class='bpw-render-error'>⚠ {html.escape(text)}</p>"
        self.panel.layout.display = ""
        self.step_title.value = "Step not available"
        self.practice_view.start([])  # no questions on numbers that cannot be shown
        self.practice_view.show(None)
