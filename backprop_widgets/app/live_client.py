"""A student page in a live class (the lesson field ``live=1``): it sends each kept answer to
the class, says how its line to the class is, and follows the teacher.

The server passes the class by environment (``BACKPROP_WIDGETS_STORE``, the store's URL, and
``BACKPROP_WIDGETS_CLASS``, the class id; never the teacher's secret). The page gets a random
id; with ``nick=1`` it asks for an optional nickname; nothing else about the student is sent.
Every answer the student's results keep (:mod:`.results`, its ``listeners``) goes to a
:class:`~backprop_widgets.live.sender.Sender`, whose thread talks to the store: a widget
callback never waits on the database. The thread only calls :meth:`LiveClient.notify`, which
hands the redraw to the kernel's event loop; there the page reads the status and follows the
teacher through the state (one-way: the state changes, the views follow).

Where the teacher moves the class (``Store.move``): ``stage`` is a mode or Fade's stage
(:func:`~backprop_widgets.live.links.place_of_stage`), ``step`` a step's index, ``prediction``
a prediction's id; "revealed" shows that prediction's answer, "frozen" stops Commit, and a new
round on the same prediction (the teacher cleared it) asks the mode's questions afresh.
"""

from __future__ import annotations

import asyncio
import html
import os
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Callable

import ipywidgets as W

from ..live import MAX_NICKNAME, StudentView, open_store
from ..live.links import CLASS_ENV, place_of_stage
from ..live.sender import Sender, Status
from ..live.store import ENV as STORE_ENV

if TYPE_CHECKING:
    from .state import State
    from .step_panel import StepPanel

CONNECT_TIMEOUT_S = 3.0  # a PostgreSQL store that does not answer: "not connected", retry later


def _answers(k: int) -> str:
    return f"{k} answer{'s' if k != 1 else ''}"


def status_text(st: Status) -> str:
    """The status line, in words (``Status`` → one sentence or two).

    >>> from backprop_widgets.live.sender import Status
    >>> status_text(Status(True, 3, 0, 2, "The queue of answers waiting was full.", False, None))
    'Connected to the class · 3 answers sent · 2 answers could not be sent (The queue of answers waiting was full)'
    """
    n = _answers
    if not st.connected:
        if st.view is None and not st.message:
            text = "Joining the class…"
        else:
            text = f"Not connected to the class — retrying; {n(st.waiting)} waiting"
    elif st.throttled:
        text = f"Throttled: {st.message}"
    elif st.view is not None and st.view.state == "frozen":
        text = "Answers are frozen by the teacher"
    elif st.view is not None and st.view.state == "revealed":
        text = f"The teacher revealed the answer · {n(st.sent)} sent"
    else:
        text = f"Connected to the class · {n(st.sent)} sent" + (f" · {st.waiting} waiting" if st.waiting else "")
    if st.lost:
        text += f" · {n(st.lost)} could not be sent"
        if st.message:
            text += f" ({st.message.rstrip('.')})"
    return text


class LiveClient:
    """The live class of one page: ``widget`` (the status line, and the nickname field if the
    lesson asks); ``sender``; ``apply()`` brings the page up to date with the sender's status."""

    def __init__(self, state: "State", panel: "StepPanel", sender: Sender, *, nick: bool = False):
        self.state, self.panel, self.sender = state, panel, sender
        self.status = W.HTML(value=self._line(sender.status()))
        self.status.add_class("bpw-live-status")
        self.nickname = W.Text(
            placeholder=f"nickname (optional, at most {MAX_NICKNAME} characters)",
            description="Nickname",
            layout=W.Layout(width="320px", display="" if nick else "none"),
        )
        self.nickname.add_class("bpw-live-nick")
        self.nickname.observe(lambda c: setattr(sender, "nickname", c["new"].strip()[:MAX_NICKNAME]), names="value")
        self.widget = W.HBox([self.status, self.nickname])
        self.widget.add_class("bpw-live")
        self.seen: StudentView | None = None  # where the class was when the page last followed it
        try:  # inside a kernel (a cell runs in its event loop): redraw there
            self.loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:  # a script or a test: it calls apply() itself
            self.loop = None
        panel.results.listeners.append(lambda row: sender.send(asdict(row)))

    def notify(self) -> None:
        """From the sender's thread: redraw in the kernel's loop (widgets are touched there only)."""
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.apply)

    def _line(self, st: Status) -> str:
        return f"<span class='bpw-live-line' role='status'>{html.escape(status_text(st))}</span>"

    def apply(self) -> None:
        """The status line, and the page where the teacher moved the class."""
        st = self.sender.status()
        line = self._line(st)
        if self.status.value != line:
            self.status.value = line
        if st.view is not None and st.view != self.seen:
            old, self.seen = self.seen, st.view
            self.follow(old, st.view)

    def follow(self, old: StudentView | None, new: StudentView) -> None:
        """Go where the teacher moved the class: only what changed since ``old``."""
        s, pv = self.state, self.panel.predict_view
        changed = (lambda name: getattr(new, name) != getattr(old, name)) if old else (lambda name: True)
        place = place_of_stage(new.stage)
        if changed("stage") and place is not None:
            s.set_mode(place[0], place[1])
        if old is not None and new.round != old.round and new.prediction == old.prediction:
            self.panel.restart()  # cleared: the questions afresh, a new round of the results
        if changed("step") and new.step is not None and s.worked is not None:
            self.panel.go(max(0, min(int(new.step), len(s.worked.steps) - 1)))
        pv.focus = new.prediction
        if changed("prediction") and new.prediction:
            self._go_to_prediction(new.prediction)
        pv.closed = "Answers are frozen by the teacher." if new.state == "frozen" else ""
        if new.state == "revealed":
            on_step = {p.id for p in pv.predictions if p.step_id == pv.step_id}
            pv.reveal({new.prediction} if new.prediction else on_step)

    def _go_to_prediction(self, prediction_id: str) -> None:
        s = self.state
        if s.mode != "predict":
            s.set_mode("predict")
        found = [p for p in self.panel.predict_view.predictions if p.id == prediction_id]
        if found and s.worked is not None:
            self.panel.go(s.worked.index(found[0].step_id))
            self.panel.show_step()  # the focus changed what the step shows


def join_class(
    state: "State",
    panel: "StepPanel",
    *,
    nick: bool = False,
    env: Any = os.environ,
    opener: Callable[[], Any] | None = None,
    start: bool = True,
) -> LiveClient:
    """The page joins the class the server named in ``env``; its line runs in a thread
    (``start=False``: the caller runs ``client.sender.step()`` and ``client.apply()``)."""
    url, class_id = env.get(STORE_ENV, ""), env.get(CLASS_ENV, "")
    sender = Sender(opener or (lambda: open_store(url or None, timeout=CONNECT_TIMEOUT_S)), class_id)
    client = LiveClient(state, panel, sender, nick=nick)
    sender.notify = client.notify
    if not class_id:
        client.status.value = (
            "<span class='bpw-live-line' role='status'>No live class on this server "
            "(the teacher starts one with <code>backprop-widgets serve --live</code>).</span>"
        )
        return client
    if start:
        sender.start()
    return client
