"""Predict mode's panel: before a step's result is shown, the student predicts it; after Commit
the page puts the truth beside the prediction, with the reason in the page's numbers.

The predictions are the worked example's (:meth:`~backprop_widgets.explain.walkthrough.WorkedExample.predictions`),
each tied to the step whose result it precedes. A step is shown worked only once every prediction
on it and on the steps before it is committed; a later step says where the next prediction is.
A choice can be made on the diagram too: a click on an edge or a neuron among the choices picks it
(``pick``). The view keeps the score (right on the first try; how close the numbers were) and
records each answer in the student's results (:mod:`.results`).

Nothing about an answer reaches the browser before its commit: a card holds the prompt, the
choices and the student's own answer; the verdict is written only after the commit.
"""

from __future__ import annotations

import html
import statistics
from typing import TYPE_CHECKING, Callable

import ipywidgets as W

from ..core import fmt
from .predict_card import PredictCard
from .results import Results

if TYPE_CHECKING:
    from ..explain.steps import Step

PASS = "<span class='bpw-pass'>✓</span>"
FAIL = "<span class='bpw-fail'>✗</span>"
#: kinds whose answer neither the diagram nor the header prints: they need not hold those back
OFF_DIAGRAM = frozenset({"loss_after_step", "nudge"})


class PredictView:
    """The predictions of one worked example, what the student committed, and the cards of the
    step shown. ``on_commit()`` is called after each commit (the page may now show more)."""

    def __init__(self, results: Results, on_commit: Callable[[], None], on_go: Callable[[int], None]):
        self.results, self.on_commit, self.on_go = results, on_commit, on_go
        self.score = W.HTML()
        self.score.add_class("bpw-predict-score")
        self.cards = W.VBox()
        self.cards.add_class("bpw-predict-cards")
        self.ahead = W.HTML()  # on a later step: where the next prediction waits
        self.go_back = W.Button(description="Go to the prediction", layout=W.Layout(width="auto"))
        self.go_back.add_class("bpw-go-predict")
        self.go_back.on_click(lambda _: self._go_pending())
        self.widget = W.VBox([self.score, self.cards, self.ahead, self.go_back])
        self.widget.add_class("bpw-predict")
        self.closed = ""  # a live class's teacher froze the answers: why Commit does nothing
        self.focus = ""  # the prediction a live class is on: no earlier one holds it back
        self.start([], {})

    def start(self, predictions: list, order: dict[str, int]) -> None:
        """A new round: nothing committed — unless the predictions are the ones already asked (a
        step or a tab changed, not a number): then what was committed stays."""
        key = [(p.id, p.kind, str(p.answer), p.prompt) for p in predictions]
        if predictions and key == getattr(self, "_key", None):
            self.order = order
            return
        self._key = key
        self.results.new_round()
        self.predictions, self.order = predictions, order
        self.guesses: dict[int, str] = {}  # committed: prediction index → the student's answer
        self.right: dict[int, bool] = {}
        self.closeness: dict[int, float] = {}  # numeric ones: |guess − truth| / |truth|
        self.revealed: set[int] = set()  # shown by a live class's teacher before a commit
        for card in getattr(self, "_cards", {}).values():
            card.close()
        self._cards: dict[int, PredictCard] = {}
        self.cards.children = ()
        self.step_id = ""
        self._update_score()

    # -- what may be shown ---------------------------------------------------------------------

    def _position(self, i: int) -> int:
        return self.order.get(self.predictions[i].step_id, 0)

    def pending(self) -> list[int]:
        return [i for i in range(len(self.predictions)) if i not in self.guesses and i not in self.revealed]

    def holds(self) -> tuple[bool, bool]:
        """(hide the diagram's and header's numbers, hide the tabs): while predictions wait."""
        waiting = [self.predictions[i].kind for i in self.pending()]
        return any(k not in OFF_DIAGRAM for k in waiting), bool(waiting)

    def shows_worked(self, step_id: str) -> bool:
        """Every prediction on this step and on the steps before it is committed."""
        here = self.order.get(step_id, 0)
        return all(self._position(i) > here for i in self.pending())

    # -- the step on screen ----------------------------------------------------------------------

    def show(self, step: "Step | None") -> None:
        self.step_id = step.id if step is not None else ""
        here = [i for i, p in enumerate(self.predictions) if p.step_id == self.step_id]
        blocked = [i for i in self.pending() if self._position(i) < self.order.get(self.step_id, 0)]
        if any(self.predictions[i].id == self.focus for i in here):  # the class is on it
            blocked = []
        if blocked:  # a prediction waits on an earlier step: nothing here yet
            self.cards.children = ()
            self.ahead.value = (
                "<p><i>Predict first: a prediction waits on step "
                f"{self._position(blocked[0]) + 1}. This step shows once you have committed it.</i></p>"
            )
            self.go_back.layout.display = ""
            return
        self.ahead.value = ""
        self.go_back.layout.display = "none"
        self.cards.children = [self._card(i) for i in here]
        for i in here:
            self.results.show(self.predictions[i].id)

    def _go_pending(self) -> None:
        pending = self.pending()
        if pending:
            self.on_go(self._position(pending[0]))

    def _card(self, i: int) -> PredictCard:
        if i not in self._cards:
            p = self.predictions[i]
            card = PredictCard(
                on_commit=lambda: self.commit(i),
                prompt=p.prompt,
                choices=list(p.choices or ()),
                placeholder="" if p.choices else "your prediction, e.g. 0.061",
            )
            card.add_class(f"bpw-card-{p.kind}")
            self._cards[i] = card
        return self._cards[i]

    def pick(self, target) -> bool:
        """A click on the diagram (an edge's parameter name such as ``w2,1,2``, or a neuron
        ``(l, j)``): the choice of a waiting card on this step that names it (a choice's
        aliases spell edges and neurons so: ``w2,1,2``, ``delta2,1``). Whether a card took it."""
        key = f"delta{target[0]},{target[1]}" if isinstance(target, tuple) else str(target)
        for i, card in self._cards.items():
            p = self.predictions[i]
            choice = p.aliases.get(key)
            if i in self.guesses or p.step_id != self.step_id or choice not in (p.choices or ()):
                continue
            card.value = choice
            return True
        return False

    # -- commit and reveal ---------------------------------------------------------------------

    def commit(self, i: int) -> None:
        """The student commits card ``i``'s answer: the verdict, the truth beside it, the score."""
        card, p = self._cards[i], self.predictions[i]
        if i in self.guesses or i in self.revealed:
            return
        if self.closed:
            card.verdict = f"<span class='bpw-msg'>{html.escape(self.closed)}</span>"
            return
        text = card.value.strip()
        if not text:
            card.verdict = f"<span class='bpw-msg'>{html.escape(_empty(p))}</span>"
            return
        fb = p.check(text)
        if not p.choices and getattr(fb, "value", None) is None:  # not a number: say so, keep the card open
            card.verdict = f"<span class='bpw-msg'>{html.escape(fb.message)}</span>"
            return
        self.guesses[i], self.right[i] = text, bool(fb.correct)
        if not p.choices and getattr(fb, "value", None) is not None and p.answer:
            self.closeness[i] = abs(fb.value - float(p.answer)) / abs(float(p.answer))
        truth = _truth(p)
        card.verdict = (
            f"{PASS if fb.correct else FAIL} <b>You predicted</b> {html.escape(text)} · "
            f"<b>the page</b>: {truth}. {html.escape(fb.message)}"
        )
        card.committed = True
        self.results.answer(p.id, p.kind, text, fb.correct, None)
        self._update_score()
        self.on_commit()

    def reveal(self, prediction_ids) -> None:
        """Show the answers of these predictions (a live class's teacher revealed them): a card
        not yet committed shows the page's answer, as a commit would, and takes no more."""
        shown = False
        for i, p in enumerate(self.predictions):
            if p.id in prediction_ids and i not in self.guesses and i not in self.revealed:
                self.revealed.add(i)
                card = self._card(i)
                card.verdict = f"<b>Revealed by the teacher</b>: the page: {_truth(p)}."
                card.committed = True
                shown = True
        if shown:
            self.on_commit()

    def _update_score(self) -> None:
        n, done = len(self.predictions), len(self.guesses)
        if not n:
            self.score.value = ""
            return
        text = f"<b>Predict:</b> {sum(self.right.values())} of {done} right on the first try · {n - done} to go"
        if self.closeness:
            text += f" · numbers within {100 * statistics.median(self.closeness.values()):.0f} % of the truth (median)"
        self.score.value = text


def _truth(p) -> str:
    """A prediction's answer as the page prints it (HTML)."""
    return html.escape(str(p.answer) if p.choices else fmt(float(p.exact), unicode=True))


def _empty(p) -> str:
    return (
        "Choose one of the options first (or click it on the diagram)." if p.choices else "Type your prediction first."
    )
