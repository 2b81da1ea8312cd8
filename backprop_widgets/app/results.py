"""The student's own results: one row per question, "which equation?" prompt or prediction, kept
in the kernel of their own page and downloaded as CSV from the browser ("Download my results").

A round is one exercise on one worked example (a new mode, stage or set of numbers starts the
next). In each round only a question's first answer counts (first answer, right on the first
try, the mistake it shows, the seconds from when the question was shown to that answer).
Nothing is written on the server: the file is a data: link made in the kernel of the page.
"""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass
from typing import Callable

from .markup import download_link

COLUMNS = ("round", "id", "kind", "first_answer", "right_on_first_try", "mistake", "seconds")


@dataclass
class Row:
    round: int
    id: str
    kind: str
    first_answer: str
    right: bool
    mistake: str
    seconds: float


class Results:
    """Rows by (round, question id), in the order they were first answered."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.round = 0
        self.rows: dict[tuple[int, str], Row] = {}
        self.shown: dict[tuple[int, str], float] = {}  # (round, question id) → when it was first shown
        self.on_answer: Callable[[], None] = lambda: None  # called after each kept answer
        self.listeners: list[Callable[[Row], None]] = []  # each called with each kept row (a live class)

    def new_round(self) -> None:
        """A new exercise: its questions are asked afresh."""
        if any(k[0] == self.round for k in self.shown):
            self.round += 1

    def show(self, qid: str) -> None:
        """The question is on screen: its time starts (the first time only)."""
        self.shown.setdefault((self.round, qid), self.clock())

    def answer(self, qid: str, kind: str, text: str, right: bool, mistake: str | None = None) -> None:
        """An answer; only a question's first answer is kept."""
        key = (self.round, qid)
        if key in self.rows:
            return
        now = self.clock()
        start = self.shown.get(key, now)
        self.rows[key] = row = Row(
            self.round, qid, kind, str(text)[:64], bool(right), mistake or "", round(now - start, 1)
        )
        self.on_answer()
        for listener in self.listeners:
            listener(row)

    def csv(self) -> str:
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(COLUMNS)
        for r in self.rows.values():
            # a spreadsheet must not run what a student typed: text that starts like a formula is quoted
            text = "'" + r.first_answer if _formula_like(r.first_answer) else r.first_answer
            w.writerow((r.round, r.id, r.kind, text, "yes" if r.right else "no", r.mistake, f"{r.seconds:.1f}"))
        return out.getvalue()

    def link(self, name: str = "my-results.csv") -> str:
        """The download link (HTML), or a note when nothing has been answered yet."""
        if not self.rows:
            return "<small>Your results can be downloaded once you have answered a question.</small>"
        right = sum(r.right for r in self.rows.values())
        label = f"Download my results ({right} of {len(self.rows)} right on the first try)"
        return download_link(name, self.csv(), label, kind="CSV", media_type="text/csv")


def _formula_like(text: str) -> bool:
    """Text a spreadsheet would run as a formula (``=1+1``, ``@x``, ``-2+3``); a number or a
    lone sign such as ``+`` is kept as typed."""
    if text[:1] in ("=", "@", "\t", "\r"):
        return True
    if text[:1] in ("+", "-") and len(text) > 1:
        try:
            float(text)
        except ValueError:
            return True
    return False
