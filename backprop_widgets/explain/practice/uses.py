"""Which earlier results a practice line shows, and which answers a worked step shows.

A question's ``latex`` is its ``formula`` with the earlier results it reads printed as numbers
(:func:`~backprop_widgets.core.fmt`), and given numbers (weights, biases, x, y, η) printed in
both. So the numbers ``latex`` holds that ``formula`` does not are the earlier results the
question uses, and each of them is the printed answer of an earlier question — or of none (an
intermediate the page does not ask, such as σ′), which :func:`earlier_results` reports. (A
result that prints exactly like a given number of the same line is not told apart from it: the
line shows that number anyway.)

>>> from backprop_widgets import seed_example, worked_example
>>> qs = worked_example(*seed_example()).questions()
>>> i = next(i for i, q in enumerate(qs) if q.step_id == "bp1")
>>> [qs[k].symbol for k in earlier_results(qs, i)[0]]
['z⁽³⁾', 'a⁽³⁾']

Text only: numbers are compared as the page prints them, nothing is computed.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Sequence

from .question import Question

if TYPE_CHECKING:
    from ..steps import Step

__all__ = ["earlier_results", "numbers", "shown_by", "worked_text"]

#: a number as fmt prints it in LaTeX: ``-0.0794``, ``0.25``, ``1.23 \times 10^{-5}``
_NUMBER = re.compile(r"(?<![\d.])-?\d+\.\d+(?:\s*\\times\s*10\^\{-?\d+\})?")


def numbers(latex: str) -> Counter[str]:
    """The printed numbers of a LaTeX text (or of running text with ``−`` and ``×10⁻⁵``), as a
    multiset of their texts."""
    return Counter(_NUMBER.findall(latex.replace("−", "-")))


def earlier_results(questions: Sequence[Question], i: int) -> tuple[list[int], bool]:
    """The earlier questions whose answers question ``i``'s line prints, in order, and whether
    every number that line prints beyond its formula is one of them.

    Where two earlier answers print alike, the one whose symbol the line names is taken, else
    the later one (the line uses the newest result: the descent step reads ∂L/∂θ, not the equal
    δ it came from) — both if the number is printed twice.
    """
    q = questions[i]
    by_text: dict[str, list[int]] = {}
    for k in range(i):
        by_text.setdefault(questions[k].printed, []).append(k)
    found: set[int] = set()
    complete = True
    given = numbers(q.formula)
    for text, count in numbers(q.latex).items():
        if text in given:
            continue
        ks = by_text.get(text, [])
        if not ks:
            complete = False
        named = sorted(ks, key=lambda k: (_names(q.latex, questions[k].name), k))
        found.update(named[-count:])
    return sorted(found), complete


_QUANTITY = re.compile(r"(z|a|delta)(\d+),(\d+)")


def _names(latex: str, name: str) -> bool:
    """Whether ``latex`` names the quantity of the question called ``name`` (``a2,1``: a₁⁽²⁾,
    ``grad``), by its symbol or its layer's vector."""
    m = _QUANTITY.fullmatch(name)
    if m is None:
        return name == "grad" and r"\partial \mathcal{L}" in latex
    letter, l, j = m.groups()
    tex = r"\delta" if letter == "delta" else letter
    bold = r"\boldsymbol{\delta}" if letter == "delta" else rf"\mathbf{{{letter}}}"
    return any(s in latex for s in (f"{tex}_{{{j}}}^{{({l})}}", f"{tex}^{{({l})}}", f"{bold}^{{({l})}}"))


def worked_text(step: "Step") -> str:
    """Everything a worked step prints: its result, sentence and equations."""
    return "\n".join((step.result or "", step.text, step.latex))


def shown_by(text: str, questions: Sequence[Question], among) -> set[int]:
    """The questions of ``among`` (indices) whose printed answer ``text`` prints, sign included."""
    printed = numbers(text)
    return {k for k in among if questions[k].printed in printed}
