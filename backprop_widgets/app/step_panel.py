"""The step panel: the worked example one step at a time (◀ Prev, the step list, Next ▶, the
keys ← / →), and what the mode asks of the step shown: in Predict its predictions
(:mod:`.predict_view`), in Fade the blanks of the stage chosen and in Practice every number's
question (:mod:`.practice_view`); "Download my results" (:mod:`.results`) in all three.

It writes the step the student asks for into ``state.step`` and shows the step the state holds:
its title, its worked form (or what the student is still to give), once per change. As the
student answers, it tells the state what must still be held back (``state.set_hides``).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import ipywidgets as W

from ..explain.flow import step_html
from .batch_view import BatchView
from .keys import StepKeys
from .practice_view import PracticeView
from .predict_view import PredictView
from .results import Results
from .run_pace import RunPace

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
        # during a Run in Explore the steps follow once a second (writing them was ~16 ms of ~30)
        self.pace = RunPace(state, self._follow_example, only_in=("explore",))
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
        self.results = Results()  # the student's own answers, for "Download my results"
        self.practice_view = PracticeView(state.palette, on_reveal=self._answered, results=self.results)
        self.predict_view = PredictView(self.results, on_commit=self._answered, on_go=self.go)
        # Fade: the stage, and the next one once this one is done
        self.stage = W.Dropdown(options=[("0", 0)], value=0, description="Stage", layout=W.Layout(width="auto"))
        self.stage.add_class("bpw-stage")
        self.stage.observe(lambda c: state.set_mode("fade", c["new"]) if state.mode == "fade" else None, names="value")
        self.next_stage = W.Button(description="Next stage ▶", layout=W.Layout(width="auto"))
        self.next_stage.add_class("bpw-next-stage")
        self.next_stage.on_click(lambda _: state.set_mode("fade", state.stage + 1))
        self.fade_bar = W.HBox([self.stage, self.next_stage])
        self.fade_bar.add_class("bpw-fade-bar")
        self.download = W.HTML()
        self.download.add_class("bpw-results")
        self.results.on_answer = self._show_download
        self.buttons = W.HBox([self.prev, self.steps, self.next])
        self.batch_view = BatchView(state, on_change=self.show_step)  # "one sample" or "a batch of m"
        self.widget = W.VBox(
            [
                self.step_title,
                self.buttons,
                self.batch_view.widget,
                self.fade_bar,
                self.predict_view.widget,
                self.practice_view.widget,
                self.panel,
                self.batch_view.below,
                self.download,
                self.keys,
            ]
        )
        self.widget.add_class("bpw-col-panel")
        state.observe(lambda _: self._follow_example(), names=["example", "error"])
        state.observe(lambda _: self._follow_step(), names="step")
        state.observe(lambda _: self._follow_mode(), names=["mode", "stage"])
        self._follow_mode()

    def restart(self) -> None:
        """The same mode afresh: its questions asked again, in a new round of the results (a
        live class's teacher cleared the round)."""
        self._follow_mode()

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

    def _follow_mode(self) -> None:
        """Another mode or stage: a fresh start (what was visible before gave answers away)."""
        mode = self.state.mode
        self.practice_view.widget.layout.display = "" if mode in ("practice", "fade") else "none"
        self.predict_view.widget.layout.display = "" if mode == "predict" else "none"
        self.fade_bar.layout.display = "" if mode == "fade" else "none"
        self.practice_view.start([])
        self.predict_view.start([], {})
        self._follow_example()

    def _start(self, worked) -> None:
        """The mode's questions for this worked example (the same ones: the progress stays)."""
        s = self.state
        if s.mode == "practice":
            self.practice_view.start(worked.questions())
        elif s.mode == "fade":
            stages = worked.fading()
            options = [(stage_label(st), st.k) for st in stages]
            if list(self.stage.options) != options:
                self.stage.options = options
            self.stage.value = s.stage
            stage = stages[s.stage]
            label = f"Fade, stage {s.stage} of {len(stages) - 1}"
            self.practice_view.start(stage.questions(), worked=frozenset(stage.worked), principles=True, label=label)
        elif s.mode == "predict":
            self.predict_view.start(worked.predictions(), {st.id: i for i, st in enumerate(worked.steps)})

    def _answered(self) -> None:
        """An answer, a reveal or a commit: the page may show more."""
        self._hold()
        self.show_step()

    def _hold(self) -> None:
        """Tell the state what the mode still holds back."""
        s = self.state
        if s.mode == "predict":
            s.set_hides(*self.predict_view.holds())
        elif s.mode in ("practice", "fade"):
            view = self.practice_view
            done = len(view.done) == len(view.questions) and (bool(view.questions) or s.mode == "fade")
            s.set_hides(not done, not done)
            self.next_stage.layout.display = "" if s.mode == "fade" and done and s.stage < s.stages() - 1 else "none"
        else:
            s.set_hides(False, False)

    def _show_download(self) -> None:
        self.download.value = self.results.link()

    def _follow_example(self) -> None:
        if self.pace.waits():
            return
        s, worked = self.state, self.state.worked
        if worked is None:  # say so where the numbers would be, never show older numbers
            self._failed(s.error)
            return
        self._start(worked)
        self._hold()
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
        step = self.batch_view.step_for(steps[s.step])  # in batch view: the batch's loss, BP3, BP4
        # until the step may be shown worked, the mode's view says what to do, above its
        # questions, and the panel gives nothing away
        if s.mode in ("practice", "fade"):
            worked = view.shows_worked(step.id)
        elif s.mode == "predict":
            worked = self.predict_view.shows_worked(step.id)
        else:
            worked = True
        # the panel scrolls a long step: its body takes the keyboard's focus (↑ / ↓ scroll it)
        label = html.escape(step.title, quote=True)
        body = f"<div class='bpw-panel-body' tabindex='0' role='region' aria-label='{label}'>"
        self.panel.value = body + step_html(step, s.palette) + "</div>" + MORE_BELOW if worked else ""
        self.panel.layout.display = "" if worked else "none"
        # the title after the panel: the page shows a step's title only once its panel has come
        tag = f" · {step.tag}" if step.tag and not step.title.startswith(step.tag) else ""
        self.step_title.value = f"Step {s.step + 1} of {len(steps)}{tag} · {html.escape(step.title)}"
        if s.mode in ("practice", "fade"):
            view.show(step)
        elif s.mode == "predict":
            self.predict_view.show(step)
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
        self.predict_view.start([], {})
        self.predict_view.show(None)


def stage_label(stage) -> str:
    """A Fade stage in the stage menu: what the student completes in it."""
    if not stage.k:
        return "0 · every step worked"
    return f"{stage.k} · you complete {', '.join(stage.blank_groups)}"
