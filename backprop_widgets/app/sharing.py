"""Sharing: the page's state as a link or a JSON file, and a link or a file as the page's state.

:func:`snapshot` reads everything the page shows from the state, :func:`load` makes the state
show a snapshot and puts what could not be used into ``State.notice``; :func:`to_query`,
:func:`to_json`, :func:`load_query` and :func:`load_json` are the same for links and files.
All are functions of a :class:`~backprop_widgets.app.state.State`. Also the kernel's page query.
"""

from __future__ import annotations

import html
import json
import os
import warnings
from dataclasses import replace

from ..core import (
    Lesson,
    Network,
    Snapshot,
    check_locks,
    read_json,
    read_query,
    write_json,
    write_query,
)
from ..core.validation import check_page_sizes


def page_query() -> str:
    """The query of the page this kernel serves: in Voila the request's, elsewhere ``""``.

    Voila puts it in the kernel's environment (``QUERY_STRING``) when it starts the kernel for a
    page. A preheated kernel started before anyone asked: it waits here for its page's request
    (:func:`wait_for_page`).
    """
    if os.environ.get("VOILA_PREHEAT", "False") != "False":
        wait_for_page()
    return os.environ.get("QUERY_STRING", "")


def wait_for_page(timeout: float = 5.0) -> None:
    """Wait until Voila hands this preheated kernel to a page, and take the request's environment.

    What Voila's ``voila.utils.get_query_string`` does (it reads Voila's request-info websocket,
    ``…/voila/query/<kernel id>``, whose one message is the request's environment as JSON), without
    importing ``voila.utils``: that module imports jupyter_server and jupyterlab_server, which cost
    every preheated kernel ~2.4 CPU-seconds and ~40 MB it keeps for the lesson
    (``benchmarks/bench_student.py``: 3.9 → 1.4 CPU-s per student). Tests run it against a
    stand-in for Voila's end (``tests/test_share.py``) and, through shared links, against a real
    preheated Voila (``tests/test_browser_share.py``).

    A failed connection or a message that is not an object of strings leaves the environment as
    it is (the page then shows the app without a query), with a warning. No keep-alive pings: the
    wait may last the whole time before a lesson, on the loopback, and a late pong must not lose a
    student's link.
    """
    from websockets.exceptions import WebSocketException
    from websockets.sync.client import connect

    env = os.environ.get
    base = env("VOILA_WS_BASE_URL", env("VOILA_SERVER_URL", "/"))
    url = (
        f"{env('VOILA_WS_PROTOCOL', 'ws')}://{env('VOILA_APP_IP', '127.0.0.1')}:{env('VOILA_APP_PORT', '8866')}"
        f"{base}voila/query/{env('VOILA_KERNEL_ID')}"
    )
    try:
        with connect(url, open_timeout=timeout, max_size=None, ping_interval=None) as ws:
            info = json.loads(ws.recv())
        if not isinstance(info, dict) or not all(isinstance(v, str) for v in info.values()):
            raise ValueError(f"not an object of strings: {str(info)[:80]}")
    except (OSError, TimeoutError, ValueError, WebSocketException) as e:
        warnings.warn(f"no page request from {url}: {e}", stacklevel=2)
        return
    os.environ.update({str(k): v for k, v in info.items()})


def hideable() -> dict[str, str]:
    """What a lesson can hide: the registered tabs and the page's parts (:func:`.tabs.hideable`)."""
    from .tabs import hideable  # not at the top: the Share tab imports this module

    return hideable()


def lesson_of(net: Network, hide=(), lock=(), projector=False) -> Lesson:
    """A :class:`Lesson` for ``net`` from keyword arguments; ``ValueError`` names what is wrong."""
    hide, lock = (hide,) if isinstance(hide, str) else tuple(hide), (lock,) if isinstance(lock, str) else tuple(lock)
    names = hideable()
    unknown = [h for h in hide if h not in names]
    if unknown:
        raise ValueError(f"hide: unknown {', '.join(map(repr, unknown))}; one of {', '.join(names)}")
    locks, problems = check_locks([str(n).replace(" ", "") for n in lock], net)
    if problems:
        raise ValueError("; ".join(problems))
    return Lesson(hide=hide, lock=locks, projector=bool(projector))


def snapshot(state) -> Snapshot:
    """Everything the page shows, with the Share tab's lesson (only its real locks)."""
    worked = state.worked
    step = worked.steps[state.step].id if worked is not None and state.step > 0 else ""
    lesson = replace(state.link_lesson, lock=check_locks(state.link_lesson.lock, state.network)[0])
    return Snapshot(
        state.network,
        state.x,
        state.y,
        state.traced,
        step=step,
        edge_mode=state.edge_mode,
        mode=state.mode,
        stage=state.stage,
        lesson=lesson,
        data=state.dataset.choice,
    )


def show(state, snap: Snapshot, follow_lesson: bool = True) -> list[str]:
    """Make the state show ``snap`` (from a link or a file); returns what could not be shown.
    ``follow_lesson=False`` (a file loaded in the Share tab) puts the lesson into the Share tab
    only: the teacher's own page is never hidden or locked by it."""
    problems = []
    try:
        check_page_sizes(snap.network.sizes)  # what the page takes (a snapshot made in Python)
        state.replace_network(snap.network, snap.x, snap.y, traced=snap.traced)
    except ValueError as exc:  # e.g. a network too large to stay interactive
        problems.append(f"the network ({exc}); showing the worked example instead")
        seed = Snapshot.seed()
        state.replace_network(seed.network, seed.x, seed.y, traced=seed.traced)
    state.edge_mode = snap.edge_mode
    state.set_mode(snap.mode, snap.stage)
    if snap.mode == "fade" and state.stage != snap.stage:
        problems.append(f"stage {snap.stage} (this example's last stage is {state.stages() - 1}, shown instead)")
    worked = state.worked
    ids = [st.id for st in worked.steps] if worked is not None else []
    if snap.step and snap.step not in ids:
        problems.append(f"step {snap.step[:20]!r} is not a step of this example ({', '.join(ids[:9])} …)")
    if worked is not None:
        state.step = ids.index(snap.step) if snap.step in ids else 0
    if snap.data != state.dataset.choice:
        state.dataset.set(**vars(snap.data))  # a link's dataset (checked when it was read)
    if follow_lesson:
        state.lesson = snap.lesson
    state.link_lesson = snap.lesson
    return problems


def load(state, snap: Snapshot, problems: list[str] | None = None, source: str = "link") -> list[str]:
    """Make the page show ``snap``; what cannot be shown is listed in ``state.notice``."""
    problems = list(problems or []) + show(state, snap, follow_lesson=source != "file")
    state.notice = (
        ""
        if not problems
        else (
            f"<span class='bpw-msg'>⚠ This {source} could not be used in full; ignored: "
            + html.escape("; ".join(problems))
            + ".</span>"
        )
    )
    return problems


def load_file(state, content: "str | bytes") -> list[str]:
    """A JSON file (the Share tab's Load) as the page's state."""
    snap, read_problems = read_json(content, hideable())
    problems = load(state, snap, read_problems, "file")
    if not problems:
        lesson = (
            " Its lesson settings are in the Share tab: they go into the link, this page stays editable."
            if snap.lesson != Lesson()
            else ""
        )
        state.notice = f"<span class='bpw-note'>ℹ Loaded the JSON file.{lesson}</span>"
    return problems


def to_query(state) -> str:
    """A URL query (no leading ``?``) that opens exactly the page the state shows."""
    return write_query(snapshot(state))


def to_json(state) -> str:
    """The same as JSON; ``backprop-widgets export --weights`` reads it too."""
    return write_json(snapshot(state))


def load_query(state, text: str) -> list[str]:
    """Show the state of a query (what :func:`to_query` wrote); returns what was ignored."""
    if not text:
        return []
    return load(state, *read_query(text, hideable()), "link")


def load_json(state, text: "str | bytes") -> list[str]:
    """Show the state of a JSON file (what :func:`to_json` wrote), lesson and all; returns what
    was ignored. The Share tab's Load is :func:`load_file`, which keeps the teacher's page open."""
    return load(state, *read_json(text, hideable()), "file")
