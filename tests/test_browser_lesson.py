"""A Practice lesson made in the page, as a teacher makes it: with Practice on, the Share tab is
still there, every setting of a link is set from the page and the link follows each one; the
link then opens a page with exactly those settings."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from backprop_widgets import seed_example, worked_example
from backprop_widgets.app.tabs import hideable
from backprop_widgets.core import Lesson, Snapshot, write_query

from pages import FIRST_RENDER_MS, UPDATE_MS, open_dashboard, param_row

pytestmark = pytest.mark.browser


def test_a_practice_lesson_is_made_from_the_page(page: Page, voila_url: str):
    page.context.set_default_navigation_timeout(FIRST_RENDER_MS)  # a page load waits for a kernel
    open_dashboard(page, voila_url)
    page.locator(".bpw-tabs .lm-TabBar-tab", has_text="Share").click()
    link = page.locator("input.bpw-share-url")
    expect(link).to_have_value(voila_url, timeout=UPDATE_MS)
    page.locator(".bpw-col-diagram button", has_text="edges: w").click()  # the edge colouring
    expect(link).to_have_value(f"{voila_url}?edge=weight", timeout=UPDATE_MS)
    page.locator(".bpw-mode button", has_text="Practice").click()
    expect(page.locator(".bpw-practice-progress")).to_contain_text("0 of 18 right", timeout=UPDATE_MS)

    # Share stays on the tab bar (the only tab: the others would give answers away)
    tabs = page.locator(".bpw-tabs .lm-TabBar-tab")
    expect(tabs).to_have_text(["Share"], timeout=UPDATE_MS)
    expect(tabs.first).to_be_visible()
    tabs.first.click()
    expect(link).to_have_value(f"{voila_url}?mode=practice", timeout=UPDATE_MS)  # Practice shows w: implied

    def link_has(pattern: str) -> None:
        expect(link).to_have_value(re.compile(pattern), timeout=UPDATE_MS)

    # the numbers: one weight typed (w₁,₂⁽²⁾ = 0.8 on the seed page)
    field = param_row(page, "w2-1-2").locator(".bpw-text input")
    field.fill("0.125")
    field.press("Enter")
    link_has(r"\?w=0\.1,0\.2,0\.3,0\.4,0\.5,0\.6,0\.7,0\.125,0\.9,1,0\.3,0\.4&b=")
    # the traced parameter, from the header's menu
    page.locator(".bpw-traced select").select_option(label="b₁⁽²⁾")
    link_has(r"&traced=b2,1&")
    # the step to open on: BP1, four steps on
    for _ in range(4):
        page.locator("button.bpw-next, .bpw-next button").first.click()
    expect(page.locator(".bpw-step-title")).to_contain_text("BP1", timeout=UPDATE_MS)
    link_has(r"&step=bp1&mode=practice$")
    # the lesson settings of the Share tab: hide, lock, projector
    page.locator(".bpw-lesson-hide select").select_option(label=[hideable()["train"], hideable()["mode"]])
    link_has(r"&hide=train,mode$")
    lock = page.locator(".bpw-lesson-lock input")
    lock.fill("w1,1,1, x1")
    lock.press("Enter")
    link_has(r"&lock=w1,1,1,x1$")
    page.locator(".bpw-lesson-projector input[type=checkbox]").check()
    link_has(r"&projector=1$")

    net, x, y = seed_example()
    net = net.with_param("w2,1,2", 0.125)
    lesson = Lesson(hide=("train", "mode"), lock=("w1,1,1", "x1"), projector=True)
    snap = Snapshot(net, x, y, traced="b2,1", step="bp1", edge_mode="weight", mode="practice", lesson=lesson)
    expected = f"{voila_url}?{write_query(snap)}"
    expect(link).to_have_value(expected)
    expect(page.locator(".bpw-share-summary")).to_have_text(
        "It opens on step 5. BP1 · output error δ⁽³⁾ · tracing ∂L/∂b₁⁽²⁾ · Practice mode · "
        "hidden: train, mode · locked: w1,1,1, x1 · projector"
    )

    # the link opens a page with those settings
    other = page.context.new_page()
    other.goto(expected, timeout=FIRST_RENDER_MS)
    n = len(worked_example(net, x, y, traced="b2,1").questions())  # 16: BP4 asks what BP3 did
    expect(other.locator(".bpw-practice-progress")).to_contain_text(
        f"0 of {n} right on the first try · 0 of {n} done", timeout=FIRST_RENDER_MS
    )
    expect(other.locator(".bpw-step-title")).to_contain_text("BP1")
    assert other.locator(".bpw-traced select").evaluate("s => s.options[s.selectedIndex].text") == "b₁⁽²⁾"
    expect(other.locator(".bpw-mode")).to_be_hidden()
    expect(other.locator(".bpw-dashboard")).to_have_class(re.compile(r"\bbpw-projector\b"))
    for name in ("w1-1-1", "x1"):
        expect(param_row(other, name).locator(".bpw-text input")).to_be_disabled()
    weight = param_row(other, "w2-1-2").locator(".bpw-text input")
    expect(weight).to_be_enabled()
    expect(weight).to_have_value("0.125")
    expect(other.locator(".bpw-tabs .lm-TabBar-tab")).to_have_text(["Share"])
    expect(other.locator("input.bpw-share-url")).to_have_value(expected, timeout=UPDATE_MS)
    other.close()
