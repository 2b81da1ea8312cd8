"""Backward fading: the worked example with its step groups blanked one at a time from the end.

>>> from backprop_widgets import seed_example, worked_example
>>> net, x, y = seed_example()
>>> stages = fading(worked_example(net, x, y, traced="w1,1,1"))
>>> [s.blank_groups[0] if s.blank_groups else None for s in stages]
[None, 'update', 'BP3', 'BP2', 'BP1', 'loss', 'forward']
>>> [q.symbol for q in stages[2].questions()]
['∂L/∂w₁,₁⁽¹⁾', 'w₁,₁⁽¹⁾ − η·∂L/∂w₁,₁⁽¹⁾']

The groups
----------
A group is one principle (:mod:`.principles`) with every question that applies it, in page
order: the forward pass (every ``forward-l``), the loss, BP1, BP2 (every ``bp2-l``: one group,
since the student applies one equation layer after layer), BP3 or BP4 (the traced gradient) and
the descent step (``update``, the second question of step ``bp3``/``bp4``). A principle that
asks nothing on this network is no group (BP2 when the traced parameter is in the output layer,
BP1 when its line cannot tell the sign, see :mod:`.practice`). A question of a kind of step no
principle covers forms a group of its own, named by its step id.

Stage k blanks the last k groups; stage 0 shows every step worked, the last stage blanks every
group, so there is one stage more than groups and the last stage's questions are exactly
:meth:`~..walkthrough.WorkedExample.questions`.

Which steps are worked
----------------------
A step with a question in a blanked group is blanked (``Stage.blanked``): partly blanked too,
such as ``bp3`` at stage 1, where only the descent step is asked. A step whose questions are all
in shown groups is worked. A step that asks nothing (``check``, ``paths``, ``table``,
``reference``, or a step whose questions the precision rule dropped) restates numbers: it is
worked only if no number it prints (its result, sentence, equations and table) has the value
of a blanked question's printed answer (``-0.0049`` restates ``-0.00490``) or prints as it
when printed as the page prints (:func:`~backprop_widgets.core.fmt`: the check's
L⁺ = 0.06105089699 restates L = 0.0611); otherwise it is hidden (in neither list). numpy and the standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...core import fmt
from .answer import AnswerError, parse_answer
from .question import Question

if TYPE_CHECKING:
    from ..steps import Step
    from ..walkthrough import WorkedExample

__all__ = ["Stage", "fading", "groups", "printed_numbers"]

#: a number as the page prints it in LaTeX or in text: -0.0794, −0.0794, 1.23 \times 10^{-5}, 1.23×10⁻⁵
_NUMBER = re.compile(r"[-−]?\d+\.\d+(?:\s*\\times\s*10\^\{-?\d+\}|×10[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?")


@dataclass(frozen=True)
class Stage:
    """One stage of the faded worked example.

    k : how many groups are blanked, from the end
    blank_groups : the blanked groups' names (principles), in page order
    worked : the ids of the steps shown fully worked, in page order
    blanked : the ids of the steps with a blank to fill in, in page order; a step in neither
        list restates a blanked number and is hidden
    """

    k: int
    blank_groups: tuple[str, ...]
    worked: tuple[str, ...]
    blanked: tuple[str, ...]
    _questions: tuple[Question, ...] = field(repr=False, compare=False, default=())

    def questions(self) -> list[Question]:
        """The questions of the blanked groups, in page order (practice's :class:`Question`)."""
        return list(self._questions)


def group_of(q: Question) -> str:
    """The group of a question: its principle, or its step id if no principle covers it."""
    return q.principle or q.step_id


def groups(qs: list[Question]) -> list[str]:
    """The groups of these questions, in page order."""
    return list(dict.fromkeys(group_of(q) for q in qs))


def printed_numbers(step: "Step") -> list[float]:
    """Every number a step prints (result, sentence, equations, table), read back as values."""
    text = "\n".join([step.result or "", step.text, step.latex] + [c for row in step.table or () for c in row])
    return [v for v in map(_read, _NUMBER.findall(text)) if v is not None]


def _read(text: str) -> float | None:
    try:
        return parse_answer(text)
    except AnswerError:  # ∞ or NaN: no number to compare
        return None


def _keys(values) -> set:
    """What a printed number restates: its value (``-0.0049`` is ``-0.00490``) and the value
    the page prints for it (``0.06105089699`` restates ``0.0611``)."""
    return {k for v in values for k in (v, fmt(v))}


def fading(we: "WorkedExample", eta: float = 0.5) -> list[Stage]:
    """The stages 0 … (number of groups) of the faded worked example (rules: module docstring);
    ``eta`` is the descent step's learning rate, as in :meth:`~..walkthrough.WorkedExample.questions`."""
    qs = we.questions(eta)
    names = groups(qs)
    asked_by: dict[str, set[str]] = {}
    for q in qs:
        asked_by.setdefault(q.step_id, set()).add(group_of(q))
    restated = {s.id: _keys(printed_numbers(s)) for s in we.steps if s.id not in asked_by}
    stages = []
    for k in range(len(names) + 1):
        blank = names[len(names) - k :]
        asked = tuple(q for q in qs if group_of(q) in blank)
        answers = _keys(v for v in map(_read, (q.printed for q in asked)) if v is not None)
        worked: list[str] = []
        blanked: list[str] = []
        for s in we.steps:
            if s.id in asked_by:
                (blanked if asked_by[s.id] & set(blank) else worked).append(s.id)
            elif not restated[s.id] & answers:
                worked.append(s.id)
        stages.append(Stage(k, tuple(blank), tuple(worked), tuple(blanked), asked))
    return stages
