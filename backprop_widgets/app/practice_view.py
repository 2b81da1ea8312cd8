"""Practice mode's panel: the student computes each number of a step, the app checks it.

For the step on screen: what to do first (the step's sentence and the instruction), then the
earlier results its questions use ("You found: a₁⁽²⁾ = 0.7109 …", or which are still to find),
then each asked number (:func:`backprop_widgets.explain.practice.questions`) with its line, a
field and a Check button; the answer is ✓, or ✗ with the mistake it probably came from, and a
right answer fills the blank of its line. Reveal shows the worked step and counts as done the
answers it shows: the step's own and the earlier results its lines use
(:mod:`backprop_widgets.explain.practice.uses`). A line shows earlier results as numbers only
once those are answered or revealed, so that no line gives an answer away. The progress line
counts answers right on the first try. A new worked example (any edit) starts a new exercise.

Fade uses the same view on a stage's questions (``start(questions, worked=…, principles=True)``):
the steps of ``worked`` are shown worked, and before each blank's number the student says which
equation gives it (``Question.check_principle``); the field comes once the choice is right.
Every first answer goes into the student's results (:mod:`.results`).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Callable

import ipywidgets as W

from ..core import fmt
from ..explain.flow import equation_html, mathml_piece
from ..explain.practice import BLANK
from ..explain.practice.uses import earlier_results, shown_by, worked_text
from .results import Results

if TYPE_CHECKING:
    from ..explain.steps import Step

PASS = "<span class='bpw-pass'>✓</span>"
#: the principles a "which equation?" prompt offers, in page order
PRINCIPLE_CHOICES = ("forward", "loss", "BP1", "BP2", "BP3", "BP4", "update")


def question_id(q) -> str:
    """A question's id in the student's results: its step and its quantity (``bp1:delta3,1``)."""
    return f"{q.step_id}:{q.name}"


class PracticeView:
    """Questions of one worked example, the student's progress, and the widgets of one step."""

    def __init__(self, palette: str, on_reveal: Callable[[], None], results: Results | None = None):
        self.palette = palette
        self.on_reveal = on_reveal
        self.results = results if results is not None else Results()
        self.progress = W.HTML()
        self.progress.add_class("bpw-practice-progress")
        self.intro = W.HTML()  # the step's sentence and what to do: above its questions
        self.intro.add_class("bpw-practice-intro")
        self.found = W.HTML()  # the earlier results the step's questions use
        self.found.add_class("bpw-practice-found")
        self.rows = W.VBox()
        self.reveal = W.Button(description="Reveal the worked step", layout=W.Layout(width="auto"))
        self.reveal.add_class("bpw-reveal")
        self.reveal.on_click(lambda _: self._reveal())
        self.widget = W.VBox([self.progress, self.intro, self.found, self.rows, self.reveal])
        self.widget.add_class("bpw-practice")
        self.start([])

    def start(
        self, questions: list, worked: frozenset[str] = frozenset(), principles: bool = False, label: str = "Practice"
    ) -> None:
        """A new exercise: nothing answered, nothing revealed — unless the questions are the
        ones already asked (a value retyped, another step or edge clicked): then the student's
        progress stays. ``worked``: ids of steps shown worked (Fade's earlier steps);
        ``principles``: ask "which equation gives this?" before each number."""
        key = [(q.step_id, q.name, q.answer, q.latex) for q in questions] + [sorted(worked), principles, label]
        if questions and key == getattr(self, "_key", None):
            return
        self._key = key
        self.results.new_round()
        self.questions = questions
        self.worked, self.principles, self.label = frozenset(worked), principles, label
        self.principled: set[int] = set()  # question index → its equation named right
        #: question index → (the earlier questions its line prints, whether those are all it prints)
        self.uses = [earlier_results(questions, i) for i in range(len(questions))]
        self._lines: dict[int, W.HTML] = {}  # question index → its line on screen
        self.first_try: dict[int, bool] = {}  # question index → right on the first try
        self.done: set[int] = set()  # answered right, or shown by a reveal
        self.shown: set[int] = set()  # of those, shown by a reveal before they were answered
        self.revealed: set[str] = set()  # step ids
        self.step: Step | None = None
        self.step_id = ""
        self._update_progress()

    def asks(self, step_id: str) -> list[int]:
        return [i for i, q in enumerate(self.questions) if q.step_id == step_id]

    def shows_worked(self, step_id: str) -> bool:
        """Whether the worked step may be shown: revealed, or asking nothing while every
        earlier number is known (a later step, such as the path sum, restates them)."""
        if step_id in self.revealed or step_id in self.worked:
            return True
        asked = self.asks(step_id)
        if not asked:
            return len(self.done) == len(self.questions)
        return all(k in self.done for k in range(max(asked) + 1))  # it restates earlier results

    def show(self, step: "Step | None") -> None:
        """What to do, the earlier results used, and the rows of ``step``: a line with a blank,
        a field, Check and the feedback."""
        self.step, self.step_id = step, step.id if step is not None else ""
        self._lines = {}
        rows = [self._row(i) for i in self.asks(self.step_id)]
        self.rows.children = rows
        worked = self.shows_worked(self.step_id)
        self.reveal.layout.display = "none" if worked or not rows else ""
        self.intro.value = "" if step is None or worked else self._intro(step)
        self._show_found()

    def _intro(self, step: "Step") -> str:
        asked = self.asks(step.id)
        if not asked:  # it restates earlier results (its sentence may too): the hint only
            hint = "This step restates numbers you are still computing: answer or reveal the earlier steps first."
            return f"<p><i>{html.escape(hint)}</i></p>"
        if all(i in self.done for i in asked):
            hint = "You have every number of this step; its worked form shows once the earlier steps' are found too."
        else:
            hint = "Compute each number below, then press Check (or Enter); Reveal shows the worked step."
        return f"<p>{html.escape(step.text)}</p><p><i>{html.escape(hint)}</i></p>"

    def _show_found(self) -> None:
        """The earlier steps' results that this step's questions use: their values once found,
        else their names."""
        asked = self.asks(self.step_id)
        used = sorted({k for i in asked for k in self.uses[i][0] if self.questions[k].step_id != self.step_id})
        if not used or self.shows_worked(self.step_id):
            self.found.value = ""
            return
        qs = self.questions
        have = [f"{qs[k].symbol} = {fmt(qs[k].answer, unicode=True)}" for k in used if k in self.done]
        need = [qs[k].symbol for k in used if k not in self.done]
        parts = []
        if have:
            parts.append("<b>You found:</b> " + html.escape(", ".join(have)))
        if need:
            parts.append("<b>Still to find</b> (on their steps, or Reveal): " + html.escape(", ".join(need)))
        self.found.value = "<br>".join(parts)

    def _row(self, i: int) -> W.Widget:
        q = self.questions[i]
        line = self._lines[i] = W.HTML(self._line(i))
        line.add_class("bpw-practice-line")
        field = W.Text(placeholder=f"{q.symbol} = ?", layout=W.Layout(width="150px"), continuous_update=False)
        field.add_class("bpw-answer")
        field.add_class(f"bpw-answer-{i}")
        check = W.Button(description="Check", layout=W.Layout(width="70px"))
        check.add_class("bpw-check")
        feedback = W.HTML()
        feedback.add_class("bpw-feedback")
        self.results.show(question_id(q))
        if i in self.done:
            field.value, field.disabled = fmt(q.answer, unicode=True), True
            feedback.value = "shown by Reveal" if i in self.shown else PASS

        def on_check(_=None) -> None:
            fb = q.check(field.value)
            if fb.value is not None:
                self.first_try.setdefault(i, fb.correct)
                self.results.answer(question_id(q), q.principle, field.value, fb.correct, fb.mistake)
            mark = f"{PASS} " if fb.correct else "<span class='bpw-fail'>✗</span> "
            feedback.value = mark + html.escape(fb.message)
            if fb.correct:
                self.done.add(i)
                field.disabled = True
            self._update_progress()
            if fb.correct and self.shows_worked(self.step_id):
                self.on_reveal()  # the step is complete: its worked form replaces the blanks
            elif fb.correct:
                for k, shown in self._lines.items():  # its blank, and later lines, show the number
                    shown.value = self._line(k)
                self._show_found()
                if self.step is not None:
                    self.intro.value = self._intro(self.step)

        check.on_click(on_check)
        field.observe(lambda c: on_check() if c["new"] else None, names="value")
        number = W.HBox([W.Label(f"{q.symbol} ="), field, check])
        row = W.VBox([line, number, feedback])
        if self.principles and i not in self.principled and i not in self.done:
            row.children = [line, self._principle_prompt(i, number), number, feedback]
            number.layout.display = "none"  # the number comes once its equation is named
        row.add_class("bpw-question")
        return row

    def _principle_prompt(self, i: int, number: W.Widget) -> W.Widget:
        """ "Which equation gives this?": the principles as buttons; a wrong one is told why, the
        right one opens the number's field."""
        q = self.questions[i]
        choice = W.ToggleButtons(
            options=PRINCIPLE_CHOICES,
            value=None,
            description="Which equation gives this?",
            style={"button_width": "auto", "description_width": "initial"},
        )
        choice.add_class("bpw-principle")
        said = W.HTML()
        said.add_class("bpw-principle-feedback")
        box = W.VBox([choice, said])
        qid = question_id(q) + ":principle"
        self.results.show(qid)

        def on_choice(change) -> None:
            if change["new"] is None:
                return
            fb = q.check_principle(change["new"])
            self.results.answer(qid, "principle", change["new"], fb.correct, None)
            mark = f"{PASS} " if fb.correct else "<span class='bpw-fail'>✗</span> "
            said.value = mark + html.escape(fb.message)
            if fb.correct:
                self.principled.add(i)
                choice.disabled = True
                number.layout.display = ""

        choice.observe(on_choice, names="value")
        return box

    def _line(self, i: int) -> str:
        """Question ``i``'s line (MathML): the earlier results it uses as numbers once all of
        them are known (else as symbols), and its own blank filled once it is."""
        q = self.questions[i]
        used, complete = self.uses[i]
        known = all(k in self.done for k in used) if complete else all(k in self.done for k in range(i))
        latex = q.latex if known else q.formula
        if i in self.done:
            latex = latex.replace(BLANK, rf"\boxed{{{q.printed}}}")
        return equation_html(latex, self.palette, mathml_piece)

    def _reveal(self) -> None:
        """The worked step is shown: the answers it prints count as done (never as right on
        the first try) — the step's own, and the earlier results its questions use."""
        step = self.step
        if step is None:
            return
        asked = self.asks(step.id)
        among = set(asked) | {k for i in asked for k in self.uses[i][0]}
        newly = shown_by(worked_text(step), self.questions, among) - self.done
        self.revealed.add(step.id)
        self.shown |= newly
        self.done |= newly
        self._update_progress()
        self.on_reveal()

    def _update_progress(self) -> None:
        n = len(self.questions)
        right = sum(self.first_try.values())
        label = f"<b>{html.escape(self.label)}:</b>"
        if n:
            self.progress.value = f"{label} {right} of {n} right on the first try · {len(self.done)} of {n} done"
        elif self.label.startswith("Fade"):  # stage 0: the example worked in full
            self.progress.value = f"{label} every step is worked; the next stage asks you for its last step group"
        else:
            self.progress.value = ""
