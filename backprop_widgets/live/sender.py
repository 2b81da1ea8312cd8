"""A student page's line to its class: answers go to the store and where the class is comes
back, in a thread of its own, so that a widget callback never waits on the database.

:meth:`Sender.send` only queues (bounded); the thread submits, polls ``Store.student_view``
every :data:`POLL_S` seconds, and after ``StoreUnavailable`` reopens the store with a backoff of
at most :data:`MAX_BACKOFF_S` seconds. Nothing is dropped silently: an answer the queue cannot
keep, or the store refuses, is counted in ``Status.lost`` with the reason in ``Status.message``.
A refusal for speed (``Refused('rate')``) keeps the answer and retries it a second later.
``notify()`` is called from the thread whenever the status changed (the page redraws then).
"""

from __future__ import annotations

import secrets
import threading
from collections import deque
from dataclasses import dataclass, replace
from typing import Any, Callable, Mapping

from .records import MAX_NICKNAME, Refused, StoreUnavailable
from .store import Store, StudentView

POLL_S = 1.0  # seconds between two looks at where the class is (pages follow within 2 s)
MAX_BACKOFF_S = 5.0  # the longest wait before trying an unreachable store again
FIRST_BACKOFF_S = 0.5
RATE_WAIT_S = 1.0  # a throttled answer is sent again after this
QUEUE_MAX = 200  # answers kept while the store is unreachable


@dataclass(frozen=True)
class Status:
    """What the page says about its line to the class."""

    connected: bool
    sent: int  # answers the store kept (a second answer to a question is not: the first counts)
    waiting: int  # answers queued
    lost: int  # answers that could not be sent (queue full, refused)
    message: str  # the last refusal or problem, as a sentence ("" when none)
    throttled: bool  # the store said: too many answers a second
    view: StudentView | None  # where the class is, as last seen


class Sender:
    """``opener()`` opens the store (``open_store(url)``); ``page_id``: random by default."""

    def __init__(
        self,
        opener: Callable[[], Store],
        class_id: str,
        *,
        page_id: str | None = None,
        notify: Callable[[], None] = lambda: None,
        queue_max: int = QUEUE_MAX,
        poll_s: float = POLL_S,
        max_backoff_s: float = MAX_BACKOFF_S,
    ):
        self.opener, self.class_id, self.notify = opener, class_id, notify
        self.page_id = page_id or secrets.token_hex(12)
        self.nickname = ""
        self.queue_max, self.poll_s, self.max_backoff_s = queue_max, poll_s, max_backoff_s
        self.store: Store | None = None
        self._queue: deque[dict[str, Any]] = deque()
        self._lock = threading.Lock()
        self._status = Status(False, 0, 0, 0, "", False, None)
        self._backoff = 0.0
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None

    # --- the page's side (the kernel's thread): never waits on the database ------------------

    def send(self, record: Mapping[str, Any]) -> None:
        """Queue one answer (a results row's fields: ``id, kind, first_answer, right, mistake,
        seconds``); it is for the class round the page is in now."""
        with self._lock:
            s = self._status
            if len(self._queue) >= self.queue_max:
                self._status = replace(s, lost=s.lost + 1, message="The queue of answers waiting was full.")
            else:
                round_no = s.view.round if s.view is not None else None
                self._queue.append({**record, "round": round_no, "nickname": self.nickname[:MAX_NICKNAME]})
                self._status = replace(s, waiting=len(self._queue))
            connected = s.connected
        if connected:  # else the backoff decides when to try again
            self._wake.set()
        self.notify()

    def status(self) -> Status:
        with self._lock:
            return self._status

    # --- the thread's side -------------------------------------------------------------------

    def step(self) -> float:
        """One pass: open the store if need be, look where the class is, submit what waits.
        Returns the seconds until the next pass."""
        before, delay = self.status(), self.poll_s
        try:
            if self.store is None:
                self.store = self.opener()
            view = self.store.student_view(self.class_id)
            with self._lock:
                self._status = replace(self._status, connected=True, view=view)
                if not before.connected:
                    self._status = replace(self._status, message="" if not before.lost else before.message)
            self._backoff = 0.0
            if self._submit_waiting(view):
                delay = min(delay, RATE_WAIT_S)
        except (StoreUnavailable, OSError) as exc:
            self._close()
            self._backoff = min(self.max_backoff_s, max(FIRST_BACKOFF_S, 2 * self._backoff))
            with self._lock:
                self._status = replace(self._status, connected=False, message=_sentence(exc))
            delay = self._backoff
        except Refused as exc:  # the class does not exist (any more)
            self._backoff = self.max_backoff_s
            with self._lock:
                self._status = replace(self._status, connected=False, message=str(exc))
            delay = self._backoff
        if self.status() != before:
            self.notify()
        return delay

    def _submit_waiting(self, view: StudentView) -> bool:
        """Submit the queue in order; whether the store throttled the page."""
        assert self.store is not None
        while True:
            with self._lock:
                if not self._queue:
                    self._status = replace(self._status, throttled=False, waiting=0)
                    return False
                record = self._queue[0]
            if record["round"] is None:  # answered before the page knew the class's round
                record["round"] = view.round
            try:
                # False: the page answered this question in this round before, and the first
                # answer counts: nothing lost, and nothing more sent
                kept, stored, message = True, self.store.submit(self.class_id, self.page_id, record), None
            except Refused as exc:
                if exc.reason == "rate":
                    with self._lock:
                        self._status = replace(self._status, throttled=True, message=str(exc))
                    return True
                kept, message = False, str(exc)
            with self._lock:
                self._queue.popleft()
                s = self._status
                if kept:
                    self._status = replace(s, sent=s.sent + stored, waiting=len(self._queue), throttled=False)
                else:
                    self._status = replace(s, lost=s.lost + 1, waiting=len(self._queue), message=message or "")

    def _close(self) -> None:
        if self.store is not None:
            try:
                self.store.close()
            except Exception:  # a store that went away may fail to close too; it is dropped anyway
                pass
            self.store = None

    def start(self) -> "Sender":
        """Run :meth:`step` in a daemon thread until :meth:`stop`."""
        self._thread = threading.Thread(target=self._run, name="backprop-live-sender", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                delay = self.step()
            except Exception as exc:  # the page's line must outlive any surprise: say it, go on
                self._close()
                with self._lock:
                    self._status = replace(self._status, connected=False, message=f"{type(exc).__name__}: {exc}")
                self.notify()
                delay = self.max_backoff_s
            self._wake.wait(delay)
            self._wake.clear()
        self._close()  # in this thread: SQLite's connection belongs to it

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)


def _sentence(exc: BaseException) -> str:
    return "The class's database cannot be reached." if isinstance(exc, OSError) else str(exc)
