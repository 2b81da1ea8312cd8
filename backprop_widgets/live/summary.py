"""What the teacher's page shows of a round, computed from its answers (no database here).

A question's answers are numbers when every one of them reads as a finite number: they are
shown as a histogram. Otherwise they are choices (a sign, an edge, an equation), counted.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

MAX_BINS = 10


@dataclass(frozen=True)
class QuestionSummary:
    question_id: str
    kind: str
    answered: int  # answers to this question in the round (one per page)
    right_first: int  # of them, right on the first try
    histogram: tuple[tuple[float, float, int], ...]  # (low, high, count); the last bin holds its high end
    choices: tuple[tuple[str, int], ...]  # (answer, count), most chosen first
    top_mistakes: tuple[tuple[str, int], ...]  # (mistake id, count), the three most common

    @property
    def percent_right(self) -> float:
        """% right on the first try (0 when nobody has answered)."""
        return 100.0 * self.right_first / self.answered if self.answered else 0.0


def _number(text: str) -> float | None:
    try:
        x = float(text)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def histogram(xs: list[float]) -> tuple[tuple[float, float, int], ...]:
    """Equal-width bins over [min, max], about √n of them (at most ten).

    >>> histogram([0.0, 0.5, 1.0, 1.0])
    ((0.0, 0.5, 1), (0.5, 1.0, 3))
    """
    if not xs:
        return ()
    lo, hi = min(xs), max(xs)
    if lo == hi:
        return ((lo, hi, len(xs)),)
    k = max(1, min(MAX_BINS, math.ceil(math.sqrt(len(xs)))))
    width = (hi - lo) / k
    counts = [0] * k
    for x in xs:
        counts[min(k - 1, int((x - lo) / width))] += 1
    edges = [lo + i * width for i in range(k)] + [hi]
    return tuple((edges[i], edges[i + 1], counts[i]) for i in range(k))


def summarise(question_id: str, rows: list[tuple[str, str, int, str]]) -> QuestionSummary:
    """``rows``: (kind, answer, right on the first try, mistake id) of one question's answers."""
    numbers = [_number(r[1]) for r in rows]
    numeric = bool(rows) and all(x is not None for x in numbers)
    choices = Counter(r[1] for r in rows)
    mistakes = Counter(r[3] for r in rows if r[3])
    kinds = Counter(r[0] for r in rows)
    return QuestionSummary(
        question_id=question_id,
        kind=kinds.most_common(1)[0][0] if kinds else "",
        answered=len(rows),
        right_first=sum(1 for r in rows if r[2]),
        histogram=histogram([x for x in numbers if x is not None]) if numeric else (),
        choices=() if numeric else tuple(sorted(choices.items(), key=lambda kv: (-kv[1], kv[0]))),
        top_mistakes=tuple(sorted(mistakes.items(), key=lambda kv: (-kv[1], kv[0]))[:3]),
    )
