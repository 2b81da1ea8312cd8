"""Shared links in a real browser, offline: a link opens exactly its state (loss, step, traced
parameter, lesson), the Share tab gives the same link back, a bad link opens the worked example
with a message and the page keeps working. Both routes: ``backprop-widgets serve`` (a preheated
kernel waits for the request's query) and Binder's ``/voila/render`` after ``postBuild``.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import Locator, Page, expect

from backprop_widgets import Network
from backprop_widgets.core import Lesson, Snapshot, fmt, write_json, write_query

from pages import DEFAULT_MS, UPDATE_MS, loopback_only, open_dashboard, param_row

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SEED_LOSS = "L = 0.0611"


def lesson_link() -> tuple[Snapshot, str]:
    """A random 4,3,2 tanh network (full-precision numbers) traced at b2,1 on step BP4, with
    the Train tab hidden and w1,1,1 locked."""
    rng = np.random.default_rng(2026)
    net = Network(
        [rng.normal(size=(3, 4)), rng.normal(size=(2, 3))], [rng.normal(size=3), rng.normal(size=2)], activation="tanh"
    )
    x, y = rng.normal(size=4), rng.uniform(size=2)
    snap = Snapshot(net, x, y, traced="b2,1", step="bp4", lesson=Lesson(hide=("train",), lock=("w1,1,1",)))
    return snap, write_query(snap)


@pytest.fixture
def offline_page(browser, browser_context_args):
    """A page whose requests to any host but 127.0.0.1 are refused (and recorded)."""
    context = browser.new_context(**browser_context_args)
    context.set_default_timeout(DEFAULT_MS)
    attempted = loopback_only(context)
    page = context.new_page()
    yield page
    context.close()
    assert attempted == []


def tab_titles(page: Page) -> list[str]:
    return [t.strip() for t in page.locator(".bpw-tabs .lm-TabBar-tab").all_inner_texts()]


def shown_target(page: Page) -> str:
    return page.locator(".bpw-traced select").evaluate("s => s.options[s.selectedIndex].text")


def open_share_tab(page: Page) -> Locator:
    """Open the Share tab; its link field (empty, Copy off, until the kernel sent the link)."""
    page.locator(".bpw-tabs .lm-TabBar-tab", has_text="Share").click()
    return page.locator("input.bpw-share-url")


@pytest.mark.parametrize("route", ["voila_url", "binder_voila_url"])
def test_a_lesson_link_opens_its_state(offline_page: Page, request, route):
    base = request.getfixturevalue(route)
    snap, query = lesson_link()
    page = open_dashboard(offline_page, f"{base}?{query}")

    loss = snap.network.trace(snap.x, snap.y).loss
    expect(page.locator(".bpw-loss-value")).to_have_text(f"L = {fmt(loss, unicode=True)}", timeout=UPDATE_MS)
    assert fmt(loss, unicode=True) != "0.0611"
    expect(page.locator(".bpw-step-title")).to_contain_text("BP4")
    assert shown_target(page) == "b₁⁽²⁾"
    expect(page.locator(".bpw-share-msg")).to_have_text("")

    # the lesson: w1,1,1 is read-only (field and slider), w1,1,2 is not; Train is hidden
    locked = param_row(page, "w1-1-1")
    expect(locked.locator(".bpw-text input")).to_be_disabled()
    expect(locked.locator(".bpw-slider input[type=range]")).to_be_disabled()
    expect(param_row(page, "w1-1-2").locator(".bpw-text input")).to_be_enabled()
    titles = tab_titles(page)
    assert "Train" not in titles and "Share" in titles and "Gradient check" in titles

    # the Share tab gives this page's link back, lesson included
    link = open_share_tab(page)
    expect(link).to_have_value(f"{base}?{query}", timeout=UPDATE_MS)
    expect(page.locator("button.bpw-share-copy")).to_be_enabled()
    if route == "voila_url":  # the README's picture of a lesson page and its Share tab
        out = ROOT / "test-results" / "share-1366.png"
        out.parent.mkdir(exist_ok=True)
        page.evaluate("() => document.fonts.ready.then(() => true)")  # the padlock glyph
        page.set_viewport_size({"width": 1366, "height": 1080})  # room for the Share tab
        page.locator(".bpw-share-url").scroll_into_view_if_needed()
        page.screenshot(path=out)
        if os.environ.get("UPDATE_SCREENSHOT") == "1":
            shutil.copyfile(out, ROOT / "notebooks" / "images" / out.name)


def test_the_share_link_reopens_an_edited_page(offline_page: Page, voila_url: str):
    page = open_dashboard(offline_page, voila_url)
    field = param_row(page, "w2-1-2").locator(".bpw-text input")
    field.fill("0.123456789012345")
    field.press("Enter")
    loss = page.locator(".bpw-loss-value")
    expect(loss).not_to_have_text(SEED_LOSS, timeout=UPDATE_MS)
    edited = loss.inner_text()
    field = open_share_tab(page)
    expect(field).to_have_value(re.compile(r"w=.*0\.123456789012345"), timeout=UPDATE_MS)
    link = field.input_value()
    assert link.startswith(voila_url + "?w=0.1,0.2,")  # the seed's shape is not written

    other = page.context.new_page()
    open_dashboard(other, link)
    expect(other.locator(".bpw-loss-value")).to_have_text(edited, timeout=UPDATE_MS)
    expect(param_row(other, "w2-1-2").locator(".bpw-text input")).to_have_value("0.123456789012345")
    other.close()


def test_a_bad_link_opens_the_worked_example_and_says_so(offline_page: Page, voila_url: str):
    page = open_dashboard(offline_page, f"{voila_url}?net=3,0,1&w=nan,abc&zz=1")
    msg = page.locator(".bpw-share-msg")
    expect(msg).to_contain_text("could not be used in full", timeout=UPDATE_MS)
    expect(msg).to_contain_text("zz")
    expect(page.locator(".bpw-loss-value")).to_have_text(SEED_LOSS)
    # the kernel is alive and the page works: an edit changes the loss
    field = param_row(page, "w1-1-1").locator(".bpw-text input")
    field.fill("0.5")
    field.press("Enter")
    expect(page.locator(".bpw-loss-value")).not_to_have_text(SEED_LOSS, timeout=UPDATE_MS)


def test_a_locked_lesson_file_goes_into_the_share_tab_not_onto_the_teachers_page(
    offline_page: Page, voila_url: str, tmp_path: Path
):
    """A teacher loads a lesson saved with lock=all and the Share tab hidden: the numbers come
    onto the page, the lesson into the Share tab's settings, and the teacher's own page stays
    editable (Reset included), so the lesson can be changed and handed out again."""
    snap, _ = lesson_link()
    snap = Snapshot(snap.network, snap.x, snap.y, traced=snap.traced, lesson=Lesson(hide=("share",), lock=("all",)))
    path = tmp_path / "lesson.json"
    path.write_text(write_json(snap))
    page = open_dashboard(offline_page, voila_url)
    open_share_tab(page)
    with page.expect_file_chooser() as chooser:  # the upload button's <input type=file> is not in the DOM
        page.locator(".bpw-share-load").click()
    chooser.value.set_files(str(path))

    loss = snap.network.trace(snap.x, snap.y).loss
    expect(page.locator(".bpw-loss-value")).to_have_text(f"L = {fmt(loss, unicode=True)}", timeout=UPDATE_MS)
    expect(page.locator(".bpw-share-msg")).to_contain_text("Loaded the JSON file")
    expect(page.locator(".bpw-share-msg")).to_contain_text("lesson settings are in the Share tab")
    # the lesson is in the Share tab's fields, and in its link
    expect(page.locator(".bpw-lesson-lock input")).to_have_value("all")
    expect(page.locator("input.bpw-share-url")).to_have_value(re.compile(r"lock=all"), timeout=UPDATE_MS)
    # the teacher's page: Share still shown, fields and Reset enabled, an edit goes through
    assert "Share" in tab_titles(page)
    expect(page.locator(".bpw-reset")).to_be_enabled()
    field = param_row(page, "b2-1").locator(".bpw-text input")
    expect(field).to_be_enabled()
    field.fill("2")
    field.press("Enter")
    edited = snap.network.with_param("b2,1", 2.0).trace(snap.x, snap.y).loss
    assert fmt(edited, unicode=True) != fmt(loss, unicode=True)
    expect(page.locator(".bpw-loss-value")).to_have_text(f"L = {fmt(edited, unicode=True)}", timeout=UPDATE_MS)
    page.locator(".bpw-reset").click()
    expect(page.locator(".bpw-loss-value")).to_have_text(SEED_LOSS, timeout=UPDATE_MS)
