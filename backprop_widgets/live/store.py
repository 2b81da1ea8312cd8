"""The live class's store: classes, rounds and answers, and who may read or change them.

A student page (through its kernel) may only ``submit`` its own answers to the current round and
read ``student_view``: the round, its state and where the teacher moved the class, never
answers or counts. Everything else needs the class's teacher secret: a random token (192 bits)
of which only the SHA-256 is stored, compared with ``hmac.compare_digest``. Nothing here logs.

>>> import tempfile
>>> tmp = tempfile.TemporaryDirectory()
>>> store = open_store(f"sqlite:///{tmp.name}/class.sqlite3")
>>> class_id, secret = store.create_class()
>>> store.student_view(class_id).round
1
>>> store.submit(class_id, "page-0001", {"round": 1, "id": "q1", "kind": "sign", "first_answer": "+",
...                                      "right_on_first_try": True})
True
>>> view = store.teacher_view(class_id, secret)
>>> view.answered, view.questions[0].choices, view.questions[0].percent_right
(1, (('+', 1),), 100.0)
>>> store.close(); tmp.cleanup()
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import os
import secrets
import time
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from .backends import PostgresBackend, SqliteBackend, redact
from .records import Answer, Forbidden, Refused, check_page_id
from .summary import QuestionSummary, summarise

ENV = "BACKPROP_WIDGETS_STORE"  # the store's URL when none is given (a hub configuration sets it)
DEFAULT_FILE = "backprop-live.sqlite3"  # beside the server: the directory it runs in
RATE = 5  # answers a second per page
PER_ROUND = 5000  # answers a round takes in all
CSV_COLUMNS = ("round", "student", "question", "kind", "answer", "right_on_first_try", "mistake", "seconds")

_ROUND = "SELECT round_no, question_id, state, step, stage, prediction, answers_count FROM rounds"
_CURRENT = _ROUND + " WHERE class_id = ? ORDER BY round_no DESC LIMIT 1"


@dataclass(frozen=True)
class StudentView:
    """What every page of the class may see: the current round and where the class is."""

    round: int
    question_id: str  # "" : the class answers at its own pace
    state: str  # open, frozen or revealed
    step: int | None
    stage: str
    prediction: str


@dataclass(frozen=True)
class TeacherView:
    """The current round as the teacher's page shows it."""

    round: int
    question_id: str
    state: str
    step: int | None
    stage: str
    prediction: str
    answered: int  # answers in the round
    pages: int  # pages that answered
    nicknames: tuple[str, ...]  # as typed (the page escapes them where it shows them), sorted
    questions: tuple[QuestionSummary, ...]  # one per question answered in the round, by id


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


_NO_CLASS = _hash(secrets.token_urlsafe(24))  # compared against when the class does not exist


class Store:
    """The live class on one database (see :func:`open_store`)."""

    def __init__(
        self, backend, *, rate: int = RATE, per_round: int = PER_ROUND, clock: Callable[[], float] = time.time
    ):
        self.backend, self.rate, self.per_round, self.clock = backend, rate, per_round, clock
        self.schema_found = backend.setup()  # the version the database held (0: created now)

    # --- the teacher -------------------------------------------------------------------------

    def create_class(self) -> tuple[str, str]:
        """A new class, in its first round: ``(class_id, teacher_secret)``; the secret is shown once."""
        class_id, secret = secrets.token_urlsafe(12), secrets.token_urlsafe(24)
        now = self.clock()
        with self.backend.transaction() as cur:
            cur.execute(
                "INSERT INTO classes (id, secret_hash, created) VALUES (?, ?, ?)", (class_id, _hash(secret), now)
            )
            cur.execute("INSERT INTO rounds (class_id, round_no, created) VALUES (?, 1, ?)", (class_id, now))
        return class_id, secret

    def _authorise(self, cur, class_id: object, secret: object, lock: bool = False) -> tuple:
        """The class's current round, or ``Forbidden`` (the same for a wrong class and a wrong secret)."""
        lock_sql = " FOR UPDATE" if lock and self.backend.dialect == "postgresql" else ""
        rows = []
        if isinstance(class_id, str):
            rows = cur.execute("SELECT secret_hash FROM classes WHERE id = ?" + lock_sql, (class_id,)).fetchall()
        given = _hash(secret) if isinstance(secret, str) else ""
        ok = hmac.compare_digest(given, rows[0][0] if rows else _NO_CLASS)
        if not (ok and rows and secret):
            raise Forbidden("wrong or missing teacher secret: nothing of the class is shown")
        return cur.execute(_CURRENT, (class_id,)).fetchall()[0]

    def teacher_view(self, class_id: str, secret: str) -> TeacherView:
        """How the current round is going: counts, distributions, % right, top mistakes."""
        with self.backend.transaction(write=False) as cur:
            r = self._authorise(cur, class_id, secret)
            rows = cur.execute(
                "SELECT question_id, kind, answer, right_first, mistake, page_id, nickname FROM answers "
                "WHERE class_id = ? AND round_no = ?",
                (class_id, r[0]),
            ).fetchall()
        by_question: dict[str, list[tuple[str, str, int, str]]] = {}
        for q, kind, answer, right, mistake, *_ in rows:
            by_question.setdefault(q, []).append((kind, answer, right, mistake))
        summaries = tuple(summarise(q, by_question[q]) for q in sorted(by_question))
        nicknames = tuple(sorted({row[6] for row in rows if row[6]}))
        pages = len({row[5] for row in rows})
        round_no, question_id, state, step, stage, prediction = r[:6]
        return TeacherView(
            round_no, question_id, state, step, stage, prediction, len(rows), pages, nicknames, summaries
        )

    def _new_round(self, cur, class_id: str, r: tuple, question_id: str, step, stage: str, prediction: str) -> None:
        cur.execute(
            "INSERT INTO rounds (class_id, round_no, question_id, step, stage, prediction, created) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (class_id, r[0] + 1, question_id, step, stage, prediction, self.clock()),
        )

    def move(
        self, class_id: str, secret: str, *, step: int | None = None, stage: str | None = None, prediction=None
    ) -> StudentView:
        """Move the class to a step, a stage or a prediction. A prediction other than the round's
        question starts a new round that asks it (``prediction=""``: back to the class's own pace)."""
        with self.backend.transaction() as cur:
            r = self._authorise(cur, class_id, secret, lock=True)
            new_step = r[3] if step is None else int(step)
            new_stage = r[4] if stage is None else str(stage)[:64]
            if prediction is not None and str(prediction)[:64] != r[1]:
                p = str(prediction)[:64]
                self._new_round(cur, class_id, r, p, new_step, new_stage, p)
            else:
                cur.execute(
                    "UPDATE rounds SET step = ?, stage = ? WHERE class_id = ? AND round_no = ?",
                    (new_step, new_stage, class_id, r[0]),
                )
        return self.student_view(class_id)

    def _set_state(self, class_id: str, secret: str, state: str) -> StudentView:
        with self.backend.transaction() as cur:
            r = self._authorise(cur, class_id, secret, lock=True)
            cur.execute("UPDATE rounds SET state = ? WHERE class_id = ? AND round_no = ?", (state, class_id, r[0]))
        return self.student_view(class_id)

    def reveal(self, class_id: str, secret: str) -> StudentView:
        """Show the answer on every page: the round takes no more answers."""
        return self._set_state(class_id, secret, "revealed")

    def freeze(self, class_id: str, secret: str, frozen: bool = True) -> StudentView:
        """Stop (or, with ``frozen=False``, resume) taking answers in the current round."""
        return self._set_state(class_id, secret, "frozen" if frozen else "open")

    def clear(self, class_id: str, secret: str) -> StudentView:
        """A fresh round on the same question and place; the old round's answers stay in the CSV."""
        with self.backend.transaction() as cur:
            r = self._authorise(cur, class_id, secret, lock=True)
            self._new_round(cur, class_id, r, r[1], r[3], r[4], r[5])
        return self.student_view(class_id)

    def results_csv(self, class_id: str, secret: str) -> str:
        """Every round, one row per answer; students are numbered 1, 2, … in the order they first
        answered (no page ids, no nicknames). Text that starts like a formula is quoted."""
        with self.backend.transaction(write=False) as cur:
            self._authorise(cur, class_id, secret)
            rows = cur.execute(
                "SELECT round_no, page_id, question_id, kind, answer, right_first, mistake, seconds FROM answers "
                "WHERE class_id = ? ORDER BY round_no, created, page_id, question_id",
                (class_id,),
            ).fetchall()
        student: dict[str, int] = {}
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        for round_no, page, q, kind, answer, right, mistake, seconds in rows:
            n = student.setdefault(page, len(student) + 1)
            w.writerow((round_no, n, q, kind, _cell(answer), "yes" if right else "no", mistake, f"{seconds:.1f}"))
        return out.getvalue()

    # --- a student page ----------------------------------------------------------------------

    def student_view(self, class_id: str) -> StudentView:
        """The current round as any page of the class may see it (``Refused('class')`` if none)."""
        with self.backend.transaction(write=False) as cur:
            rows = cur.execute(_CURRENT, (class_id,)).fetchall() if isinstance(class_id, str) else []
        if not rows:
            raise Refused("class", "This class does not exist, or has ended.")
        return StudentView(*rows[0][:6])

    def submit(self, class_id: str, page_id: str, record: Answer | Mapping[str, Any] | Any) -> bool:
        """Send a page's answer to the current round. ``True``: stored; ``False``: the page had
        answered that question in this round already (the first answer counts). ``Refused``: a
        sentence the page can show (too long, too fast, wrong round, frozen, round full)."""
        a = Answer.of(record).checked()
        page_id = check_page_id(page_id)
        now = self.clock()
        with self.backend.transaction() as cur:
            rows = cur.execute(_CURRENT, (class_id,)).fetchall() if isinstance(class_id, str) else []
            if not rows:
                raise Refused("class", "This class does not exist, or has ended.")
            round_no, question_id, state = rows[0][:3]
            if a.round != round_no:
                raise Refused("round", "The class has moved on: this answer was for an earlier round.")
            if state != "open":
                raise Refused("closed", f"This round is {state}: it takes no more answers.")
            if question_id and a.question_id != question_id:
                raise Refused("round", "The class is on another question now.")
            recent = cur.execute(
                "SELECT COUNT(*) FROM answers WHERE class_id = ? AND page_id = ? AND created > ?",
                (class_id, page_id, now - 1.0),
            ).fetchall()[0][0]
            if recent >= self.rate:
                raise Refused(
                    "rate", f"Too many answers at once (at most {self.rate} a second): wait, then send again."
                )
            cur.execute(
                "INSERT INTO answers (class_id, round_no, page_id, nickname, question_id, kind, answer, right_first, "
                "mistake, seconds, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (class_id, round_no, page_id, a.nickname, a.question_id, a.kind, a.answer, int(a.right), a.mistake)
                + (a.seconds, now),
            )
            if cur.rowcount == 0:
                return False
            # the cap and the state are checked again under the round's row lock (a concurrent freeze)
            cur.execute(
                "UPDATE rounds SET answers_count = answers_count + 1 "
                "WHERE class_id = ? AND round_no = ? AND state = 'open' AND answers_count < ?",
                (class_id, round_no, self.per_round),
            )
            if cur.rowcount != 1:
                raise Refused("cap", "This round has all the answers it can take.")
        return True

    def close(self) -> None:
        self.backend.close()

    def __repr__(self) -> str:
        return f"Store({self.backend!r})"


def _cell(text: str) -> str:
    """A spreadsheet must not run what a student typed."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def open_store(url: str | None = None, timeout: float = 5.0, **options) -> Store:
    """The store at ``url``: ``sqlite:///relative/file``, ``sqlite:////absolute/file`` or
    ``postgresql://user@host/db``; by default ``$BACKPROP_WIDGETS_STORE``, else a SQLite file
    ``backprop-live.sqlite3`` in the server's directory. ``timeout``: seconds to wait for a
    PostgreSQL connection before ``StoreUnavailable``. ``options``: ``rate``, ``per_round``, ``clock``."""
    url = url or os.environ.get(ENV) or f"sqlite:///{DEFAULT_FILE}"
    if url.startswith("sqlite:///"):
        return Store(SqliteBackend(url[len("sqlite:///") :]), **options)
    if url.startswith(("postgresql://", "postgres://")):
        return Store(PostgresBackend(url, timeout=timeout), **options)
    raise ValueError(f"a live-class store is sqlite:///… or postgresql://…, not {redact(url)!r}")
