"""Predict, then reveal: what a student can predict before a step's result is shown.

>>> from backprop_widgets import seed_example, worked_example
>>> net, x, y = seed_example()
>>> ps = {p.id: p for p in worked_example(net, x, y, traced="w1,1,1").predictions()}
>>> p = ps["sign"]
>>> p.step_id, p.choices, p.answer
('bp3', ('+', '−'), '−')
>>> print(p.check("+").message)
Not +: ∂L/∂w₁,₁⁽¹⁾ = x₁·δ₁⁽¹⁾ is negative because δ₁⁽¹⁾ = −0.00212 < 0 and x₁ = 1.0 > 0.

The kinds
---------
Each kind is one function of the worked example in :data:`KINDS` (``kinds.py``, ``nudge.py``):

- ``sign``: the sign of ∂L/∂(traced parameter), before its step (``bp3``/``bp4``);
- ``largest_edge-l``: which edge into layer l has the largest |∂L/∂w|, for each layer the page
  walks (the traced parameter's layer and those above it) with 2 edges or more, before the
  traced gradient's step;
- ``largest_delta-l``: which neuron of layer l has the largest |δ|, for each layer the page
  walks with 2 neurons or more, before the step that computes it (``bp1``, ``bp2-l``);
- ``loss_after_step``: after one step of gradient descent on every weight and bias with the
  learning rate η (``eta``, the page's 0.5 by default), does L go up or down (before ``check``);
- ``nudge``: the traced parameter grows by a round Δ (shown); the new L to 2 significant
  digits (before ``check``; its tolerance is in :mod:`.nudge`).

An item is asked only when its answer is unambiguous as the page prints numbers
(:func:`~backprop_widgets.core.fmt`): no tie for the largest among the printed magnitudes, no
sign of a gradient that prints as 0.0 (nor when a factor of its reason does), no up/down when
the new L prints as the old one.

Choices are labelled as the page writes them in text (``w₁,₂⁽²⁾``, ``δ₂⁽¹⁾``, ``+``/``−``,
``up``/``down``); :meth:`Prediction.check` also takes ``-``, ``positive``, ``negative`` and an
edge as ``w2,1,2``, and never raises. :meth:`Prediction.giveaways` lists every text at which the
page could print the answer's number (see there), for a test that searches the page for them
before the student commits. numpy and the standard library only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Mapping

from ...core import fmt
from ..practice.answer import AnswerError, read_answer
from ..practice.question import Feedback

if TYPE_CHECKING:
    from ..walkthrough import WorkedExample

__all__ = ["KINDS", "Prediction", "predictions", "register"]

_LISTED = 8  # a refusal lists at most this many choices


def _key(text: str) -> str:
    return "".join(text.split()).lower()


@dataclass(frozen=True)
class Prediction:
    """One prediction for the student to make before a step's result is revealed.

    id : stable within a worked example: ``sign``, ``largest_edge-2``, ``largest_delta-1``,
        ``loss_after_step``, ``nudge``
    kind : ``sign``, ``largest_edge``, ``largest_delta``, ``loss_after_step`` or ``nudge``
    step_id : the step whose result it precedes
    prompt : one sentence, with no number that gives the answer away
    choices : the options (labels as the page writes them), ``None`` for a number
    answer : the right choice, or for a number the value the student should give (rounded)
    messages : for a choice item, the verdict's message for each choice
    aliases : other spellings of choices (``-`` for ``−``, ``w2,1,2`` for ``w₁,₂⁽²⁾``)
    exact, tolerance, verdict : for a number, the true value, how far a right answer may be
        from it, and the message's text after "Right: " or "Not …: "
    given : the numbers the prompt shows, by symbol (``{"Δ": 0.5, "L": 0.0611…}``)
    """

    id: str
    kind: str
    step_id: str
    prompt: str
    choices: tuple[str, ...] | None
    answer: "str | float"
    messages: Mapping[str, str] = field(default_factory=dict, repr=False)
    aliases: Mapping[str, str] = field(default_factory=dict, repr=False)
    exact: float = math.nan
    tolerance: float = 0.0
    verdict: str = field(default="", repr=False)
    texts: tuple[str, ...] = field(default=(), repr=False)
    given: Mapping[str, float] = field(default_factory=dict)

    def check(self, answer: object) -> Feedback:
        """The verdict on ``answer`` (a choice's label or alias, or a number as text or float):
        ``.correct`` and ``.message``, the reason with the page's numbers. Never raises."""
        try:
            return self._check(answer)
        except Exception:  # anything else typed is no answer; the verdict must not fail
            return Feedback(False, None, self._what_to_give())

    def _what_to_give(self) -> str:
        if self.choices is None:
            return "Type a number such as 0.061."
        listed = ", ".join(self.choices[:_LISTED]) + (" …" if len(self.choices) > _LISTED else "")
        return f"Choose one of {listed}."

    def _check(self, answer: object) -> Feedback:
        if self.choices is None:
            try:
                typed = read_answer(answer)
            except AnswerError as e:
                return Feedback(False, None, str(e))
            v = typed.value
            right = abs(v - self.exact) <= self.tolerance
            head = "Right" if right else f"Not {fmt(v, unicode=True)}"
            return Feedback(right, None, f"{head}: {self.verdict}", v)
        text = answer if isinstance(answer, str) else str(answer)
        by_key = {_key(c): c for c in self.choices}
        by_key.update({_key(a): c for a, c in self.aliases.items()})
        choice = by_key.get(_key(text))
        if choice is None:
            return Feedback(False, None, self._what_to_give())
        return Feedback(choice == self.answer, None, self.messages[choice])

    def giveaways(self) -> tuple[str, ...]:
        """Every text at which the page could print the number that gives the answer away:
        the number (the gradient, the largest's and the others' magnitudes, the new L) as
        :func:`~backprop_widgets.core.fmt` prints it in LaTeX and in text, and as the check's
        table prints it (:func:`~backprop_widgets.core.sig`, 6 digits) where it can. A
        magnitude also finds the negative number (``0.00212`` is in ``−0.00212``); ``0.0`` is
        left out (it gives nothing away and is printed everywhere)."""
        return self.texts


#: kind name → the function that makes its items from a worked example and η, in a fixed order
KINDS: dict[str, Callable[["WorkedExample", float], list[Prediction]]] = {}


def register(name: str) -> Callable:
    """Register a kind of prediction under ``name`` (a decorator)."""

    def add(f: Callable[["WorkedExample", float], list[Prediction]]) -> Callable:
        if name in KINDS:
            raise ValueError(f"a prediction kind named {name!r} is registered already")
        KINDS[name] = f
        return f

    return add


def predictions(we: "WorkedExample", eta: float = 0.5) -> list[Prediction]:
    """Every prediction the worked example can ask, in page order of the steps they precede
    (items of one step in :data:`KINDS` order); ``eta`` is the learning rate of
    ``loss_after_step``."""
    eta = float(eta)
    if not math.isfinite(eta) or eta <= 0:
        raise ValueError(f"learning rate η must be a positive number, got {eta}")
    items = [p for make in KINDS.values() for p in make(we, eta)]
    order = {s.id: i for i, s in enumerate(we.steps)}
    return sorted(items, key=lambda p: order.get(p.step_id, len(order)))


from . import kinds, nudge  # noqa: E402,F401  (they register the kinds, in this order)
