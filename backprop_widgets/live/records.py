"""What a student page sends to the class, its limits, and the refusals a page can show.

An answer record is the live form of a row of the student's own results (``app/results.py``):
the question id, its kind, the first answer, right on the first try, the mistake it shows and
the seconds taken, plus the class round the page was in and an optional nickname.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Mapping

MAX_ANSWER = 64  # characters of an answer
MAX_NICKNAME = 24  # characters of a nickname
MAX_ID = 64  # characters of a question id, a kind or a mistake id
MAX_SECONDS = 24 * 3600.0  # seconds taken, at most a day
PAGE_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")  # a page's random id (secrets.token_urlsafe)


class Refused(Exception):
    """The store would not take an answer; ``str(e)`` is a sentence a student page can show.

    ``reason`` is one of ``size``, ``rate``, ``cap``, ``round``, ``closed``, ``class``."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


class Forbidden(Exception):
    """A teacher's action or view without the class's secret: nothing is read or changed."""


class StoreUnavailable(Exception):
    """The database cannot be reached (or stayed locked): the page is not connected to the class."""


class SchemaError(Exception):
    """The database holds a schema this version cannot use (newer, or unknown)."""


@dataclass(frozen=True)
class Answer:
    """One committed answer: ``round`` is the class round (from ``Store.student_view``)."""

    round: int
    question_id: str
    kind: str
    answer: str
    right: bool
    mistake: str = ""
    seconds: float = 0.0
    nickname: str = ""

    @classmethod
    def of(cls, record: "Answer | Mapping[str, Any] | Any") -> "Answer":
        """An ``Answer`` from itself, a mapping, or an object with a results row's names
        (``round, id, kind, first_answer, right, mistake, seconds``)."""
        if isinstance(record, Answer):
            return record
        get = record.get if isinstance(record, Mapping) else lambda k, d=None: getattr(record, k, d)

        def first(*names, default=None):
            for n in names:
                v = get(n, None)
                if v is not None:
                    return v
            return default

        return cls(
            round=first("round", default=-1),
            question_id=first("question_id", "id", default=""),
            kind=first("kind", default=""),
            answer=first("answer", "first_answer", default=""),
            right=first("right", "right_on_first_try", default=False),
            mistake=first("mistake", default="") or "",
            seconds=first("seconds", default=0.0),
            nickname=first("nickname", default="") or "",
        )

    def checked(self) -> "Answer":
        """The record with its types checked and its sizes bounded, or ``Refused('size', …)``."""
        texts = {"question id": self.question_id, "kind": self.kind, "answer": self.answer}
        texts |= {"mistake id": self.mistake, "nickname": self.nickname}
        for name, value in texts.items():
            if not isinstance(value, str):
                raise Refused("size", f"The {name} must be text.")
        limits = (("answer", MAX_ANSWER), ("nickname", MAX_NICKNAME), ("question id", MAX_ID))
        for name, limit in (*limits, ("kind", MAX_ID), ("mistake id", MAX_ID)):
            if len(texts[name]) > limit:
                raise Refused("size", f"The {name} is too long (at most {limit} characters).")
        if not self.question_id:
            raise Refused("size", "The answer has no question id.")
        if not isinstance(self.round, int) or isinstance(self.round, bool):
            raise Refused("round", "The answer names no round of the class.")
        if not isinstance(self.right, (bool, int)):
            raise Refused("size", "Right on the first try must be yes or no.")
        try:
            seconds = float(self.seconds)
        except (TypeError, ValueError):
            raise Refused("size", "The seconds taken must be a number.") from None
        if not (math.isfinite(seconds) and 0 <= seconds <= MAX_SECONDS):
            raise Refused("size", "The seconds taken are out of range.")
        return Answer(
            self.round, self.question_id, self.kind, self.answer, bool(self.right), self.mistake, seconds, self.nickname
        )


def check_page_id(page_id: object) -> str:
    """A page id as the store keeps it, or ``Refused('size', …)``."""
    if not isinstance(page_id, str) or not PAGE_ID.fullmatch(page_id):
        raise Refused("size", "The page id is not one the class gave out.")
    return page_id
