"""Practice: every number a worked example computes, as a question the student answers.

>>> from backprop_widgets import seed_example, worked_example
>>> net, x, y = seed_example()
>>> qs = worked_example(net, x, y, traced="w1,1,1").questions()
>>> q = next(q for q in qs if q.step_id == "bp1")
>>> q.symbol, q.check("-0.0794").correct, q.check("0.0794").mistake
('δ⁽³⁾', True, 'sign')

The questions come in walkthrough order: z then a of every neuron, layer by layer, the loss, δ of
every neuron from BP1 down to the traced parameter's layer, the traced gradient (BP3 or BP4) and the
traced parameter's value after one step of gradient descent. Each has two lines with the result left blank:
``latex``, the step's line with every operand filled in (for a panel that shows one question at
a time), and ``formula``, the same line with only the given numbers filled in (weights, biases,
x, y, η) and the results of earlier questions as symbols (for a sheet that shows them all).

When an answer is right
-----------------------
A student computes each number from the page: from the operands its line shows, or from the
terms and intermediate results the step prints (``δ₁⁽²⁾ = −0.0238 × 0.2055 = −0.00490``), and
rounds. So an answer is right when it lies in the interval that the printed lines allow
(:mod:`.printed`): each route a student can take (the question's own line, and each side of the
step's line for this number, such as the printed products of a weighted sum) is evaluated in
interval arithmetic on the numbers as printed, each standing for ± half a unit in its last place
(a number the page prints as exact, such as ``0.25``, for itself); each route is widened by half a
unit in the third significant digit of its larger end (the student's rounding), and the hull of
the routes and of every rounding of the answer A to 3 or more significant digits is the span of
right values. A value typed with the other sign than A is never right, and never "close".

A line that cannot tell the sign of its answer (a saturated line such as
``1.0000 × (0.6100 − 0.6100) = 4.73×10⁻⁷``, whose span holds 0) is not asked: that number has no
question. An A the page prints as 0.0 (|A| < 10⁻¹²) is asked; 0 is right.

The mistake catalogue
---------------------
Each mistake is the value a student gets by making it, computed from the trace by the same
formula with one thing changed (:data:`CATALOGUE`); its span is the rule above applied to that
formula on the printed operands. A mistake is kept for a question only where its span and the
answer's are apart (so a named mistake always wins over "right"), and where its value lies in
no span of a mistake kept before it in catalogue order (nor theirs in its span); a value in the
spans of two mistakes names the nearer. A value in no span is wrong with no mistake named. Text
that is not a number gets ``correct=False``, ``mistake=None`` and a message saying what to type.

Where it lives
--------------
Each step kind says what it asks (``StepKind.ask`` in its module of :mod:`..steps`); this module walks
the worked example's steps and asks each one's kind. The question, its tolerance and the verdict
are in :mod:`.question`, the mistakes in :mod:`.mistakes`, what a printed line allows in
:mod:`.printed`, the reading of typed text in :mod:`.answer`.

numpy and the standard library only; nothing typed is ever evaluated.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .answer import AnswerError, parse_answer
from .fading import Stage
from .mistakes import CATALOGUE, Mistake
from .principles import PRINCIPLES, Principle
from .question import BLANK, Draft, Feedback, Question

if TYPE_CHECKING:
    from ..walkthrough import WorkedExample

__all__ = [
    "BLANK",
    "CATALOGUE",
    "PRINCIPLES",
    "AnswerError",
    "Feedback",
    "Mistake",
    "Principle",
    "Question",
    "Stage",
    "parse_answer",
    "questions",
]


def questions(we: "WorkedExample", eta: float = 0.5) -> list[Question]:
    """Every number the worked example's steps compute, in walkthrough order, as questions.

    Parameters
    ----------
    we : the worked example (:func:`~backprop_widgets.explain.walkthrough.worked_example`)
    eta : the learning rate η of the last question, the traced parameter's value after one descent step
    """
    eta = float(eta)
    if not math.isfinite(eta) or eta <= 0:
        raise ValueError(f"learning rate η must be a positive number, got {eta}")
    # here, not at the top: the step kinds themselves draft questions with this package's parts
    from ..steps.kinds import STEP_KINDS

    drafts: list[Draft] = []
    for s in we.steps:
        drafts += STEP_KINDS[s.kind].ask(we.context, s, eta)
    return [q for q in (d.finish() for d in drafts) if q is not None]
