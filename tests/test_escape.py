"""Typed text is never markup: every message that repeats what a student, a teacher or a link
wrote shows it as text. Kernel side: the HTML the page's widgets hold after each kind of input,
parsed as a browser would, has no element of ours that came from the input
(``test_browser_escape.py`` does the same in chromium, dialogs included).
"""

from __future__ import annotations

import html
import json
from html.parser import HTMLParser
from urllib.parse import quote

import ipywidgets as W
import pytest
from drive import upload

from backprop_widgets import Dashboard

#: HTML and script, each marked (``data-bpw-xss``) so that an element made from it is found
PAYLOADS = (
    '<img src=x data-bpw-xss=1 onerror="alert(1)">',
    "<script data-bpw-xss>alert(2)</script>",
    "'\"><svg data-bpw-xss onload=alert(3)>",
)


class Elements(HTMLParser):
    """The start tags of an HTML text, with their attributes, as a browser's parser sees them."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def injected(self) -> list[tuple[str, dict]]:
        return [(tag, attrs) for tag, attrs in self.tags if "data-bpw-xss" in attrs]


def widgets_html(widget: W.Widget) -> str:
    """The HTML of every HTML widget under ``widget`` (tabs and accordions included)."""
    out: list[str] = []
    seen: set[int] = set()

    def walk(w) -> None:
        if id(w) in seen:
            return
        seen.add(id(w))
        if isinstance(w, (W.HTML, W.HTMLMath)):
            out.append(w.value)
        for child in getattr(w, "children", ()) or ():
            walk(child)

    walk(widget)
    return "\n".join(out)


def text_of(markup: str) -> str:
    """The text a browser shows for ``markup`` (entities decoded, tags dropped)."""
    parts: list[str] = []

    class Text(HTMLParser):
        def handle_data(self, data):
            parts.append(data)

    Text(convert_charrefs=True).feed(markup)
    return "".join(parts)


def assert_inert(app: Dashboard) -> str:
    """The page holds no element made from a payload; returns the text it shows."""
    page = widgets_html(app.widget)
    assert Elements(page).injected() == [], page
    return text_of(page)


def assert_shown_as_text(app: Dashboard, payload: str) -> None:
    """No element made from ``payload``, and its tag is on the page as text (the message
    repeats what was typed)."""
    tag = payload[payload.index("<") : payload.index("<") + 4]  # "<img", "<scr", "<svg"
    assert tag in assert_inert(app)


@pytest.fixture(scope="module")
def shared_app() -> Dashboard:
    return Dashboard()


@pytest.fixture
def app(shared_app: Dashboard) -> Dashboard:
    """The module's page, back on the worked example with no message (one page: fewer builds)."""
    shared_app.state.reset()  # any change that goes through clears the messages
    assert shared_app.state.notice == "" and not shared_app.header.arch_error.value
    return shared_app


def test_a_value_field_shows_typed_markup_as_text(app):
    """The repro: the "is not a number" message put the typed text into the page as HTML."""
    for name in ("w1,1,1", "b2,1", "x1", "y1"):
        row = app.params.rows[name]
        for payload in PAYLOADS:
            row.text.value = payload
            assert row.message and "not a number" in row.message
            assert html.escape(payload) in row.error.value
            assert_shown_as_text(app, payload)


def test_the_selected_value_editor_of_a_large_net_shows_typed_markup_as_text():
    app = Dashboard.from_query("net=8,16,16,8,4")
    assert app.params.selector is not None  # one editor for the chosen value
    (row,) = app.params.rows.values()
    for payload in PAYLOADS:
        row.text.value = payload
        assert html.escape(payload) in row.error.value
        assert_shown_as_text(app, payload)


def test_the_architecture_field_shows_typed_markup_as_text(app):
    for payload in PAYLOADS:
        app.header.arch.value = payload
        assert "not used" in app.header.arch_error.value
        assert_shown_as_text(app, payload)


def test_the_lesson_lock_field_shows_typed_markup_as_text(app):
    app.state.tab = "share"  # the tab renders when shown
    for payload in PAYLOADS:
        app.tab_bar.views["share"].lock.value = "w1,1,1, " + payload
        assert "no value" in app.tab_bar.views["share"].lock_msg.value
        assert_shown_as_text(app, payload)
    app.tab_bar.views["share"].lock.value = ""
    app.state.tab = ""


def test_a_practice_answer_shows_typed_markup_as_text(app):
    app.state.set_practice(True)
    try:
        for payload in PAYLOADS:
            field = next(w for w in _all(app.widget) if isinstance(w, W.Text) and "bpw-answer" in w._dom_classes)
            field.value = payload
            feedback = next(w for w in _all(app.widget) if isinstance(w, W.HTML) and "bpw-feedback" in w._dom_classes)
            assert "✗" in feedback.value
            assert_inert(app)
    finally:
        app.state.set_practice(False)


LINK_FIELDS = ("net", "h", "o", "loss", "w", "x", "y", "t", "step", "edge", "hide", "lock", "practice", "zz")


def test_every_link_field_shows_its_markup_as_text(app):
    for field in LINK_FIELDS:
        for payload in PAYLOADS:
            app.load_query(f"{field}={quote(payload)}" + ("&b=1" if field == "w" else ""))
            assert "could not be used in full" in app.header.share_msg.value, (field, payload)
            assert_inert(app)


JSON_FIELDS = ("sizes", "activation", "output_activation", "loss", "weights", "x", "traced", "step", "edge_mode")


def test_every_json_field_shows_its_markup_as_text(app):
    for key in (*JSON_FIELDS, "lesson.lock", "lesson.hide", "colour"):
        for payload in PAYLOADS:
            if key.startswith("lesson."):
                data: dict = {"lesson": {key.removeprefix("lesson."): [payload]}}
            else:
                data = {key: [payload] if key in ("sizes", "weights", "x") else payload}
            upload(app, json.dumps(data).encode())  # the Share tab's Load
            assert "could not be used in full" in app.header.share_msg.value, (key, payload)
            assert_inert(app)


def _all(widget: W.Widget):
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _all(child)
