"""The tabs under the panels: a registry of tab classes, and the tab bar that shows them.

A tab is one module here with one class: a :class:`Tab` subclass with a ``name`` (the name a
lesson hides it by, see :func:`hideable`, and ``State.tab``), a ``title``, a ``widget`` and a
``render()`` that shows the current state. Decorate it with :func:`register` and import its
module at the bottom of this file: the order of registration is the order of the tabs. Tabs
are found by name, never by position; only the tab shown is rendered, when it is shown and when
a state trait it ``follows`` changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as W

if TYPE_CHECKING:
    from ..state import State


class Tab:
    """One tab: ``widget`` shows the state; ``render()`` brings it up to date.

    A subclass names itself in its class line, ``class TrainTab(Tab, name="train",
    title="Train")``, and makes its widgets in :meth:`build`.
    """

    name = ""
    title = ""
    #: the state traits whose change re-renders the tab while it is shown
    follows: tuple[str, ...] = ("example", "error")
    #: whether the tab stays in Practice: it shows no number the student is asked to compute
    in_practice = False
    #: whether the tab has been rendered since it was made (its widgets may hold numbers)
    rendered = False

    def __init_subclass__(cls, name: str = "", title: str = "", **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.name, cls.title = name or cls.name, title or cls.title

    def __init__(self, state: "State"):
        self.state = state
        self.widget: W.Widget = W.HTML()
        self.build()

    def build(self) -> None:
        """Make the tab's widgets and set ``widget`` (called once, by ``__init__``)."""

    def render(self) -> None:
        """Show the current state (called only while the tab is shown)."""

    def leave(self) -> None:
        """The tab was hidden (another one is shown now)."""


#: tab name → its class, in the order of the tabs
TABS: dict[str, type[Tab]] = {}


def register(cls: type[Tab]) -> type[Tab]:
    """Add a tab (a class decorator)."""
    TABS[cls.name] = cls
    return cls


#: the parts of the page besides the tabs that a lesson can hide, by name → in words
PARTS = {
    "network": "the network row (architecture, functions, random weights, reset)",
    "mode": "the mode control (Explore, Predict, Fade, Practice)",
    "table": "the diagram's table",
}


def hideable() -> dict[str, str]:
    """What a lesson can hide, by name → in words: every registered tab, in order, then the
    :data:`PARTS` of the page. A link, a file, the Share tab and the state all check a
    lesson's ``hide`` against it, so a registered tab can be hidden with no other edit."""
    return {name: f"the “{cls.title}” tab" for name, cls in TABS.items()} | PARTS


class TabBar:
    """The tabs of :data:`TABS`, one view each; shows ``state.tab``, writes a choice into it.
    A lesson's hidden tabs leave the bar, and while the page holds answers back (``state.holds_tabs``)
    so do the tabs that would give answers away (every tab but Share), replaced by new ones; a
    bar with no tab is hidden."""

    def __init__(self, state: "State"):
        self.state = state
        self.views: dict[str, Tab] = {name: cls(state) for name, cls in TABS.items()}
        self.names: list[str] = []  # the names of the tabs on the bar, in order
        self.widget = W.Tab()
        self.widget.add_class("bpw-tabs")
        self._show_tabs()
        self.widget.observe(self._on_choice, names="selected_index")
        state.observe(self._on_tab, names="tab")
        state.observe(lambda _: self._show_tabs(), names=["lesson", "holds_tabs"])
        follows = sorted({name for view in self.views.values() for name in view.follows})
        state.observe(self._on_change, names=follows)
        self.render()

    def _show_tabs(self) -> None:
        """The tabs the lesson does not hide (in Practice, of those that stay); the one shown
        stays if it can."""
        s = self.state
        shown = [n for n, v in self.views.items() if n not in s.lesson.hide and (v.in_practice or not s.holds_tabs)]
        if s.holds_tabs:  # a tab that leaves takes the numbers it showed with it: new widgets
            for n, view in self.views.items():
                if n not in shown and view.rendered:
                    self.views[n] = type(view)(s)
                    close_all(view.widget)
        if shown != self.names or any(w is not self.views[n].widget for n, w in zip(self.names, self.widget.children)):
            self.names = shown
            self.widget.children = [self.views[n].widget for n in shown]
            self.widget.titles = tuple(self.views[n].title for n in shown)
        s.tab = s.tab if s.tab in shown else (shown[0] if shown else "")
        self.widget.selected_index = shown.index(s.tab) if s.tab else None
        self.widget.layout.display = "" if shown else "none"

    def _on_choice(self, change) -> None:
        if change["new"] is not None:  # a tab bar has no "nothing chosen" for a student
            self.state.tab = self.names[change["new"]]

    def _on_tab(self, change) -> None:
        if change["old"]:
            self.views[change["old"]].leave()
        if change["new"] in self.names:
            self.widget.selected_index = self.names.index(change["new"])
        self.render()

    def _on_change(self, change) -> None:
        if self.state.tab and change["name"] in self.views[self.state.tab].follows:
            self.render()

    def render(self) -> None:
        if self.state.tab:
            view = self.views[self.state.tab]
            view.rendered = True
            view.render()


def close_all(widget: W.Widget) -> None:
    """Close ``widget`` and every widget inside it: the browser forgets what they held."""
    for child in getattr(widget, "children", ()):
        close_all(child)
    widget.close()


# the tabs, in order: one module each
from . import quantities, check, train, dataset, notation, export, share  # noqa: E402,F401,I001
