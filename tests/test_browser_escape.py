"""Typed text is never markup, in a real browser: HTML and script typed into every kind of field
(a value, the architecture, the seed, η, the lesson's lock list, a practice answer), loaded as a
file (its name and its fields) or brought by a link, runs nothing and adds no element. A link or
a file the app cannot take gets the app's own message: a 200 kB link a page of ours (not the
browser's ERR_CONNECTION_RESET), a deeply nested JSON file the Share tab's message.

Every payload carries a marker attribute (``data-bpw-xss``): an element made from one is found by
it, and any ``alert`` it ran is caught as a dialog.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Dialog, Locator, Page, expect

from pages import FIRST_RENDER_MS, PANEL_MATH, UPDATE_MS, loopback_only, open_dashboard, param_row

pytestmark = pytest.mark.browser

PAYLOADS = (
    '<img src=x data-bpw-xss onerror="alert(1)">',
    "<script data-bpw-xss>alert(2)</script>",
    '"><svg data-bpw-xss onload=alert(3)>',
)
INJECTED = "[data-bpw-xss]"
SEED_LOSS = "L = 0.0611"


class Watch:
    """A page whose dialogs are recorded (and dismissed, so the page goes on)."""

    def __init__(self, page: Page):
        self.page = page
        self.dialogs: list[str] = []
        page.on("dialog", self._dialog)

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def assert_inert(self, what: str) -> None:
        """Nothing ran and nothing was added; a moment for an ``onerror`` that would fire late."""
        self.page.wait_for_timeout(300)
        assert self.dialogs == [], f"{what}: {self.dialogs}"
        assert self.page.locator(INJECTED).count() == 0, (
            f"{what}: {self.page.locator(INJECTED).first.evaluate('e => e.outerHTML')}"
        )


@pytest.fixture
def watched(browser, browser_context_args) -> Watch:
    context = browser.new_context(**browser_context_args)
    attempted = loopback_only(context)
    page = context.new_page()
    page.set_default_navigation_timeout(FIRST_RENDER_MS)  # Voila answers once the notebook ran
    yield Watch(page)
    context.close()
    assert attempted == []


def enter(field: Locator, text: str) -> None:
    field.fill(text)
    field.press("Enter")


def load_file(page: Page, name: str, text: str) -> None:
    """Choose a file for the Share tab's "Load a JSON file", as a student does."""
    with page.expect_file_chooser() as chooser:
        page.locator(".bpw-share-load").click()
    chooser.value.set_files({"name": name, "mimeType": "application/json", "buffer": text.encode()})


def open_tab(page: Page, title: str) -> None:
    page.locator(".bpw-tabs .lm-TabBar-tab", has_text=title).click()


def test_html_typed_into_any_field_runs_nothing(watched: Watch, voila_url: str):
    page = watched.page
    open_dashboard(page, voila_url)

    # a value (the repro: the message repeated the text as HTML, and alert(1) ran twice)
    for name in ("w1-1-1", "x1"):
        row = param_row(page, name)
        for payload in PAYLOADS:
            enter(row.locator(".bpw-text input"), payload)
            message = row.locator(".bpw-error")
            expect(message).to_contain_text("is not a number", timeout=UPDATE_MS)
            watched.assert_inert(f"value {name}: {payload}")
            expect(message).to_contain_text(payload[:8])  # shown as text

    # the architecture
    arch_error = page.locator(".bpw-arch-error")
    for payload in PAYLOADS:
        enter(page.locator(".bpw-arch input"), payload)
        expect(arch_error).to_contain_text("not used", timeout=UPDATE_MS)
        expect(arch_error).to_contain_text(payload[:4])
        watched.assert_inert(f"architecture: {payload}")
    expect(page.locator(".bpw-loss-value")).to_have_text(SEED_LOSS)

    # number fields (the seed, η): the browser keeps only what a number may hold
    seed = page.locator(".bpw-header input[type=number]").first
    for field, what in ((seed, "seed"),):
        for payload in PAYLOADS:
            field.click()
            field.press("Control+a")
            page.keyboard.type(payload)
            field.press("Enter")
            watched.assert_inert(f"{what}: {payload}")
    open_tab(page, "Train")
    eta = page.locator(".widget-inline-hbox", has=page.locator("label", has_text="η")).locator("input").first
    for payload in PAYLOADS:
        eta.click()
        eta.press("Control+a")
        page.keyboard.type(payload)
        eta.press("Enter")
        watched.assert_inert(f"η: {payload}")

    # the lesson's lock list (Share tab)
    open_tab(page, "Share")
    for payload in PAYLOADS:
        enter(page.locator(".bpw-lesson-lock input"), "w1,1,1, " + payload)
        typed = payload.replace(" ", "")[:6]  # the lock list is read without its spaces
        expect(page.get_by_text("lock: no value").filter(has_text=typed)).to_be_visible(timeout=UPDATE_MS)
        watched.assert_inert(f"lock: {payload}")

    # a JSON file whose name and fields are HTML
    data = {"activation": PAYLOADS[0], "traced": PAYLOADS[1], "step": PAYLOADS[2], "lesson": {"lock": list(PAYLOADS)}}
    load_file(page, f"{PAYLOADS[0]}.json", json.dumps(data))
    message = page.locator(".bpw-share-msg")
    expect(message).to_contain_text("This file could not be used in full", timeout=UPDATE_MS)
    expect(message).to_contain_text("<img src=x")
    watched.assert_inert("a JSON file")

    # a practice answer
    page.locator(".bpw-mode button", has_text="Practice").click()
    field = page.locator(".bpw-practice .bpw-answer input").first
    feedback = page.locator(".bpw-practice .bpw-feedback").first
    for payload in PAYLOADS:
        enter(field, payload)
        expect(feedback).to_contain_text(payload[:10], timeout=UPDATE_MS)
        expect(feedback).to_contain_text("✗ ")
        watched.assert_inert(f"practice answer: {payload}")
    page.locator(".bpw-mode button", has_text="Explore").click()

    # the export tab's file names are ours, whatever was typed
    open_tab(page, "Export")
    names = page.locator(".bpw-download a[download]")
    expect(names.first).to_be_attached(timeout=UPDATE_MS)
    for name in names.evaluate_all("links => links.map(a => a.getAttribute('download'))"):
        assert re.fullmatch(r"backprop-(handout|exercise-sheet|answer-key)-[wb][0-9-]+\.html", name), name
    watched.assert_inert("export")


def test_html_in_a_link_runs_nothing(watched: Watch, voila_url: str):
    page = watched.page
    fields = ["h", "t", "step", "edge", "hide", "lock", "x", PAYLOADS[2]]
    query = "&".join(f"{quote(f)}={quote(PAYLOADS[i % 3])}" for i, f in enumerate(fields))
    open_dashboard(page, f"{voila_url}?{query}")
    message = page.locator(".bpw-share-msg")
    expect(message).to_contain_text("could not be used in full", timeout=UPDATE_MS)
    expect(message).to_contain_text("<img src=x")
    watched.assert_inert("a link")
    expect(page.locator(".bpw-loss-value")).to_have_text(SEED_LOSS)


def test_a_link_too_long_for_any_page_gets_a_page_of_ours(watched: Watch, voila_url: str):
    """A 200 kB link ended on chromium's ERR_CONNECTION_RESET page: tornado dropped the request
    (64 kB of headers at most) without an answer. Now the server answers it, before any kernel
    starts, with a page that says what happened and links to the app."""
    page = watched.page
    for n in (70_000, 200_000):
        response = page.goto(f"{voila_url}?net=" + "1," * (n // 2))
        assert response is not None and response.status == 414
        expect(page.locator("#link-too-long")).to_have_text("This link is too long.")
        expect(page.locator("body")).to_contain_text(f"{len('net=') + n // 2 * 2:,} characters long")
    page.locator("#open-app").click()  # the app, on the worked example
    expect(page.locator(PANEL_MATH).first).to_be_attached(timeout=FIRST_RENDER_MS)
    expect(page.locator(".bpw-loss-value")).to_have_text(SEED_LOSS)

    # a deeply nested JSON file: the app's message, not Python's
    open_tab(page, "Share")
    nested = '{"weights": ' + "[" * 50_000 + "]" * 50_000 + "}"
    load_file(page, "nested.json", nested)
    message = page.locator(".bpw-share-msg")
    expect(message).to_contain_text("the file nests lists or objects 50001 deep", timeout=UPDATE_MS)
    expect(message).not_to_contain_text("recursion")
    watched.assert_inert("a nested file")
