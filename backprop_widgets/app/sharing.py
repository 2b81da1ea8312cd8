"""The dashboard's side of sharing: its state as a :class:`~backprop_widgets.core.share.Snapshot`,
a snapshot (from a link or a file) as its state, and a lesson's settings applied to the page.

:class:`Sharing` is mixed into :class:`~backprop_widgets.app.Dashboard`; it uses the dashboard's
widgets and its ``_replace_network``/``go``, and computes no maths.
"""

from __future__ import annotations

import base64
import html
import os
from dataclasses import replace

from ..core import (
    HIDEABLE,
    Lesson,
    Network,
    Snapshot,
    check_locks,
    read_json,
    read_query,
    write_json,
    write_query,
)
from ..draw.diagram import check_drawable

#: tab title → the name a lesson hides it by (share.HIDEABLE)
TAB_NAMES = {"All quantities": "quantities", "Gradient check": "check", "Train": "train",
             "Notation & colours": "notation", "Export handout": "export", "Share": "share"}


def page_query() -> str:
    """The query of the page this kernel serves: in Voila the request's, elsewhere ``""``.

    Voila puts it in the kernel's environment (``QUERY_STRING``) when it starts the kernel for a
    page. A preheated kernel started before anyone asked: it waits here for its page's request
    (``voila.utils.get_query_string``, as Voila documents). That import pulls in jupyter_server
    (1.3 s), so a kernel started for a page skips it: a cold page became interactive in 4.8 s
    with it, 2.5 s without.
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return os.environ.get("QUERY_STRING", "")
    from voila.utils import get_query_string

    return get_query_string() or ""


def lesson_of(net: Network, hide=(), lock=(), projector=False) -> Lesson:
    """A :class:`Lesson` for ``net`` from keyword arguments; ``ValueError`` names what is wrong."""
    hide, lock = (hide,) if isinstance(hide, str) else tuple(hide), \
        (lock,) if isinstance(lock, str) else tuple(lock)
    unknown = [h for h in hide if h not in HIDEABLE]
    if unknown:
        raise ValueError(f"hide: unknown {', '.join(map(repr, unknown))}; "
                         f"one of {', '.join(HIDEABLE)}")
    locks, problems = check_locks([str(n).replace(" ", "") for n in lock], net)
    if problems:
        raise ValueError("; ".join(problems))
    return Lesson(hide=hide, lock=locks, projector=bool(projector))


class Sharing:
    """Snapshot ⇄ page, for :class:`~backprop_widgets.app.Dashboard`."""

    lesson: Lesson = Lesson()

    # -- the page as a snapshot ---------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """Everything the page shows; the lesson is the Share tab's (see ``share_view``)."""
        s = self.state
        step = ""
        if self.example is not None and self.step_index > 0:
            step = self.example.steps[self.step_index].id
        lesson = self.share.lesson()
        lesson = replace(lesson, lock=check_locks(lesson.lock, s.network)[0])  # only real ones
        return Snapshot(s.network, s.x, s.y, s.target, step=step,
                        edge_mode=self.edge_mode.value, practice=self.practice.value,
                        lesson=lesson)

    def to_query(self) -> str:
        """A URL query (no leading ``?``) that opens exactly this page (``from_query``)."""
        return write_query(self.snapshot())

    def to_json(self) -> str:
        """The same as JSON; ``backprop-widgets export --weights`` reads it too."""
        return write_json(self.snapshot())

    @classmethod
    def from_query(cls, text: str, **kwargs):
        """A dashboard showing the state of a query; bad fields are ignored and listed on the
        page (``share_msg``)."""
        app = cls(**kwargs)
        app.load_query(text)
        return app

    @classmethod
    def from_json(cls, text: "str | bytes", **kwargs):
        app = cls(**kwargs)
        app.load_json(text)
        return app

    # -- a snapshot as the page ---------------------------------------------------------------

    def load_query(self, text: str) -> list[str]:
        """Show the state of a query (what :meth:`to_query` wrote); returns what was ignored."""
        if not text:
            return []
        snap, problems = read_query(text)
        return self.apply(snap, problems, "link")

    def load_json(self, text: "str | bytes") -> list[str]:
        snap, problems = read_json(text)
        return self.apply(snap, problems, "file")

    def apply(self, snap: Snapshot, problems: list[str] | None = None,
              source: str = "link") -> list[str]:
        """Make the page show ``snap``; what cannot be shown is listed in ``share_msg``."""
        problems = list(problems or [])
        try:
            check_drawable(snap.network.sizes)  # what the dashboard draws (DiagramTooLarge)
            self._replace_network(snap.network, snap.x, snap.y, target=snap.target)
        except ValueError as exc:  # e.g. a network the diagram cannot draw
            problems.append(f"the network ({exc}); showing the worked example instead")
            seed = Snapshot.seed()
            self._replace_network(seed.network, seed.x, seed.y, target=seed.target)
        self.edge_mode.value = snap.edge_mode
        if self.practice.value != snap.practice:
            self.practice.value = snap.practice
        ids = [st.id for st in self.example.steps] if self.example is not None else []
        if snap.step and snap.step not in ids:
            problems.append(f"step {snap.step!r} is not a step of this example "
                            f"({', '.join(ids[:9])} …)")
        self.go(ids.index(snap.step) if snap.step in ids else 0)
        self.apply_lesson(snap.lesson)
        self.share.set_lesson(snap.lesson)
        self._render_share()
        self.share_msg.value = "" if not problems else (
            f"<span class='bpw-msg'>⚠ This {source} could not be used in full; ignored: "
            + html.escape("; ".join(problems)) + ".</span>")
        return problems

    # -- lessons -------------------------------------------------------------------------------

    def apply_lesson(self, lesson: Lesson) -> None:
        """Hide what the lesson hides, lock what it locks, set the projector layout."""
        self.lesson = lesson
        shown = [t for t in self._tabs if TAB_NAMES[t] not in lesson.hide]
        if list(self.tabs.titles) != shown:
            i = self.tabs.selected_index
            current = self.tabs.titles[i] if self.tabs.titles and i is not None else None
            self.tabs.children = [self._tabs[t][0] for t in shown]
            self.tabs.titles = tuple(shown)
            self.tabs.selected_index = shown.index(current) if current in shown else (
                0 if shown else None)
        self.network_row.layout.display = "none" if "network" in lesson.hide else ""
        self.practice.layout.display = "none" if "practice" in lesson.hide else ""
        self._show_tabs_and_table()
        all_locked = "all" in lesson.lock
        for w in (self.arch, self.hidden, self.output, self.loss, self.seed, self.random_btn,
                  self.reset_btn):
            w.disabled = all_locked
        self.params.lock(set(lesson.lock))
        # training moves every value, locked ones too
        for w in (self.step_btn, self.run_btn, self.train_reset_btn):
            w.disabled = bool(lesson.lock)
        self.train_lock_note.value = (
            "<i>Training is off in this lesson: it would change locked values.</i>"
            if lesson.lock else "")
        if lesson.projector:
            self.widget.add_class("bpw-projector")
        else:
            self.widget.remove_class("bpw-projector")

    def _show_tabs_and_table(self) -> None:
        practising = self.practice.value
        self.tabs.layout.display = "none" if practising or not self.tabs.children else ""
        self.diagram_text.layout.display = (
            "none" if practising or "table" in self.lesson.hide else "")

    # -- the Share tab ------------------------------------------------------------------------

    def _render_share(self) -> None:
        """Link and file of the current state (only while the Share tab is shown)."""
        i = self.tabs.selected_index
        link = self.share.link
        if i is None or not self.tabs.titles or self.tabs.titles[i] != "Share":
            if link.ready:  # once, on leaving the tab: never show (or copy) a stale link
                link.ready = False
                self.share.download.value = ""
            return
        with link.hold_sync():
            link.query = self.to_query()
            link.ready = True
        problems = self._lock_problems()
        self.share.show_lock_problems(problems)
        data = base64.b64encode(self.to_json().encode("utf-8")).decode("ascii")
        self.share.download.value = (
            f"<a download='backprop-state.json' href='data:application/json;base64,{data}'>"
            "⬇ Download this state as JSON</a>")

    def _lock_problems(self) -> list[str]:
        return check_locks(self.share.lesson().lock, self.state.network)[1]

    def _on_load(self, content: bytes) -> None:
        self.load_json(content)
        if not self.share_msg.value:
            self.share_msg.value = "<span class='bpw-note'>ℹ Loaded the JSON file.</span>"

