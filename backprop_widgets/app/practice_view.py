"""Practice mode's panel: the student computes each number of a step, the app checks it.

For the step on screen, each asked number (:func:`backprop_widgets.explain.practice.questions`) gets its
line with the result left blank, a field and a Check button; the answer is ✓, or ✗ with the
mistake it probably came from. Reveal shows the worked step. A line shows earlier results as
numbers only once those are answered or revealed, so that no line gives an answer away. The
progress line counts answers right on the first try. A new worked example (any edit) starts a
new exercise.
"""

from __future__ import annotations

import html
from typing import Callable

import ipywidgets as W

from ..explain.flow import equation_html


class PracticeView:
    """Questions of one worked example, the student's progress, and the widgets of one step."""

    def __init__(self, palette: str, on_reveal: Callable[[], None]):
        self.palette = palette
        self.on_reveal = on_reveal
        self.progress = W.HTML()
        self.progress.add_class("bpw-practice-progress")
        self.rows = W.VBox()
        self.reveal = W.Button(description="Reveal the worked step", layout=W.Layout(width="auto"))
        self.reveal.add_class("bpw-reveal")
        self.reveal.on_click(lambda _: self._reveal())
        self.widget = W.VBox([self.progress, self.rows, self.reveal])
        self.widget.add_class("bpw-practice")
        self.start([])

    def start(self, questions: list) -> None:
        """A new exercise: nothing answered, nothing revealed — unless the questions are the
        ones already asked (a value retyped, another step or edge clicked): then the student's
        progress stays."""
        key = [(q.step_id, q.name, q.answer, q.latex) for q in questions]
        if questions and key == getattr(self, "_key", None):
            return
        self._key = key
        self.questions = questions
        self._lines: dict[int, W.HTMLMath] = {}  # question index → its line on screen
        self.first_try: dict[int, bool] = {}  # question index → right on the first try
        self.done: set[int] = set()  # answered right, or revealed
        self.revealed: set[str] = set()  # step ids
        self.step_id = ""
        self._update_progress()

    def asks(self, step_id: str) -> list[int]:
        return [i for i, q in enumerate(self.questions) if q.step_id == step_id]

    def shows_worked(self, step_id: str) -> bool:
        """Whether the worked step may be shown: revealed, or asking nothing while every
        earlier number is known (a later step, such as the path sum, restates them)."""
        if step_id in self.revealed:
            return True
        asked = self.asks(step_id)
        if not asked:
            return len(self.done) == len(self.questions)
        return all(k in self.done for k in range(max(asked) + 1))  # it restates earlier results

    def show(self, step_id: str) -> None:
        """The rows of ``step_id``: a line with a blank, a field, Check and the feedback."""
        self.step_id = step_id
        self._lines = {}
        rows = []
        for i in self.asks(step_id):
            rows.append(self._row(i))
        self.rows.children = rows
        self.reveal.layout.display = "none" if self.shows_worked(step_id) or not rows else ""

    def _row(self, i: int) -> W.Widget:
        q = self.questions[i]
        line = self._lines[i] = W.HTMLMath(self._line(i))
        field = W.Text(placeholder=f"{q.symbol} = ?", layout=W.Layout(width="150px"), continuous_update=False)
        field.add_class("bpw-answer")
        field.add_class(f"bpw-answer-{i}")
        check = W.Button(description="Check", layout=W.Layout(width="70px"))
        check.add_class("bpw-check")
        feedback = W.HTML()
        feedback.add_class("bpw-feedback")
        if i in self.done:
            field.value, field.disabled = q.printed, True
            feedback.value = "<span class='bpw-pass'>✓</span>"

        def on_check(_=None) -> None:
            fb = q.check(field.value)
            if fb.value is not None:
                self.first_try.setdefault(i, fb.correct)
            mark = "<span class='bpw-pass'>✓</span> " if fb.correct else "<span class='bpw-fail'>✗</span> "
            feedback.value = mark + html.escape(fb.message)
            if fb.correct:
                self.done.add(i)
                field.disabled = True
            self._update_progress()
            if fb.correct and self.shows_worked(self.step_id):
                self.on_reveal()  # the step is complete: its worked form replaces the blanks
            elif fb.correct:
                for k, shown in self._lines.items():  # later lines may now show this number
                    shown.value = self._line(k)

        check.on_click(on_check)
        field.observe(lambda c: on_check() if c["new"] else None, names="value")
        row = W.VBox([line, W.HBox([W.Label(f"{q.symbol} ="), field, check]), feedback])
        row.add_class("bpw-question")
        return row

    def _line(self, i: int) -> str:
        """Question ``i``'s line: earlier results as numbers once all of them are known."""
        q = self.questions[i]
        known = all(k in self.done for k in range(i))
        return equation_html(q.latex if known else q.formula, self.palette)

    def _reveal(self) -> None:
        """The worked step is shown, and with it every earlier result it restates: those count
        as done, never as right on the first try."""
        asked = self.asks(self.step_id)
        self.revealed.add(self.step_id)
        self.done.update(range(max(asked) + 1) if asked else ())
        self._update_progress()
        self.on_reveal()

    def _update_progress(self) -> None:
        n = len(self.questions)
        right = sum(self.first_try.values())
        self.progress.value = (
            (f"<b>Practice:</b> {right} of {n} right on the first try · {len(self.done)} of {n} done") if n else ""
        )
