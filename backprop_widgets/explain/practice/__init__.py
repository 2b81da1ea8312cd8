"""Practice: every number a worked example computes, as a question the student answers.

>>> from backprop_widgets import seed_example, worked_example
>>> net, x, y = seed_example()
>>> qs = worked_example(net, x, y, target="w1,1,1").questions()
>>> q = next(q for q in qs if q.step_id == "bp1")
>>> q.symbol, q.check("-0.0794").correct, q.check("0.0794").mistake
('δ⁽³⁾', True, 'sign')

The questions come in walkthrough order: z then a of every neuron, layer by layer, the loss, δ of
every neuron from BP1 down to the target's layer, the target gradient (BP3 or BP4) and the
target's value after one step of gradient descent. Each has two lines with the result left blank:
``latex``, the step's line with every operand filled in (for a panel that shows one question at
a time), and ``formula``, the same line with only the given numbers filled in (weights, biases,
x, y, η) and the results of earlier questions as symbols (for a sheet that shows them all).

When an answer is right
-----------------------
Let A be the answer (from the trace) and R the same formula evaluated on the operands as the
page prints them (:func:`~backprop_widgets.core.numfmt.fmt`, read back). A typed value v is right when

    |v − A| ≤ ½·u₃(A) + |R − A| + 10⁻¹²,

where u₃(A) = 10^(⌊log₁₀|A|⌋ − 2) is one unit in A's third significant digit (0 for |A| < 10⁻¹²,
which the page prints as 0.0). So every rounding of A to 3 or more significant digits is right
(the page's own rendering among them), and so is A computed from the page's rounded operands.
Operands given with the network (weights, biases, x, y, η) are exact and are not rounded.

The mistake catalogue
---------------------
Each mistake is the value a student gets by making it, computed from the trace by the same
formula with one thing changed (:data:`CATALOGUE`); its tolerance is the rule above applied to
that value. A mistake is kept for a question only where it differs from the right answer at this
precision: where its interval and the answer's are disjoint, and disjoint from the intervals of
the mistakes kept before it in catalogue order. A value in no interval is wrong with no mistake
named. Text that is not a number gets ``correct=False``, ``mistake=None`` and a message saying
what to type.

Where it lives
--------------
Each step kind says what it asks (``StepKind.ask`` in its module of :mod:`..steps`); this module walks
the worked example's steps and asks each one's kind. The question, its tolerance and the verdict
are in :mod:`.question`, the mistakes in :mod:`.mistakes`, the reading of typed
text in :mod:`.answer`.

numpy and the standard library only; nothing typed is ever evaluated.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .answer import AnswerError, parse_answer
from .mistakes import CATALOGUE, Mistake
from .question import BLANK, Draft, Feedback, Question

if TYPE_CHECKING:
    from ..walkthrough import WorkedExample

__all__ = ["BLANK", "CATALOGUE", "AnswerError", "Feedback", "Mistake", "Question", "parse_answer", "questions"]


def questions(we: "WorkedExample", eta: float = 0.5) -> list[Question]:
    """Every number the worked example's steps compute, in walkthrough order, as questions.

    Parameters
    ----------
    we : the worked example (:func:`~backprop_widgets.explain.walkthrough.worked_example`)
    eta : the learning rate η of the last question, the target's value after one descent step
    """
    eta = float(eta)
    if not math.isfinite(eta) or eta <= 0:
        raise ValueError(f"learning rate η must be a positive number, got {eta}")
    # here, not at the top: the step kinds themselves draft questions with this package's parts
    from ..steps.kinds import STEP_KINDS

    drafts: list[Draft] = []
    for s in we.steps:
        drafts += STEP_KINDS[s.kind].ask(we.context, s, eta)
    return [d.finish() for d in drafts]
