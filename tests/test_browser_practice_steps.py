"""Practice as a student meets it, in a real browser on the seed: the instruction comes before
the questions, a right answer fills its blank, a Reveal counts only what it shows, and a later
step shows the earlier results it uses."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from backprop_widgets import seed_example, worked_example
from backprop_widgets.core import fmt

from pages import FIRST_RENDER_MS, UPDATE_MS, open_dashboard

pytestmark = pytest.mark.browser

NET, X, Y = seed_example()
TRACE = NET.trace(X, Y)
N = len(worked_example(NET, X, Y).questions())  # 18 on the seed: z, a, L, δ, ∂L/∂w, the update


def practice_page(page: Page, url: str) -> Page:
    page.context.set_default_navigation_timeout(FIRST_RENDER_MS)  # a page load waits for a kernel
    open_dashboard(page, url)
    page.locator(".bpw-mode button", has_text="Practice").click()
    expect(page.locator(".bpw-practice-progress")).to_contain_text(
        f"0 of {N} right on the first try · 0 of {N} done", timeout=UPDATE_MS
    )
    return page


def next_step(page: Page, n: int, title: str) -> None:
    for _ in range(n):
        page.locator("button.bpw-next, .bpw-next button").first.click()
    expect(page.locator(".bpw-step-title")).to_contain_text(title, timeout=UPDATE_MS)


def test_the_instruction_comes_first_and_a_right_answer_fills_its_blank(page: Page, voila_url: str):
    practice_page(page, voila_url)
    first = page.locator(".bpw-question").first
    expect(first).to_be_visible(timeout=UPDATE_MS)
    hint = page.get_by_text("Compute each number below")
    expect(hint).to_be_visible()
    assert hint.bounding_box()["y"] + hint.bounding_box()["height"] <= first.bounding_box()["y"]

    # z₂⁽¹⁾ = 0.4·1.0 + 0.5·0.5 + 0.6·(−1.0) + 0.2 = 0.25 (seed page)
    row = page.locator(".bpw-question").nth(1)
    line = row.locator(":scope > :first-child")
    z = fmt(TRACE.z[1][1], unicode=True)
    assert z == "0.25" and z not in line.inner_text()
    field = row.locator(".bpw-answer input")
    expect(field).to_have_attribute("placeholder", "z₂⁽¹⁾ = ?")
    field.fill("0.25")
    field.press("Enter")
    expect(row.locator(".bpw-feedback")).to_contain_text("✓", timeout=UPDATE_MS)
    expect(line).to_contain_text(z, timeout=UPDATE_MS)  # the blank, filled in
    assert line.locator("mphantom").count() == 0


def test_a_reveal_counts_what_it_shows_and_later_steps_show_earlier_results(page: Page, voila_url: str):
    practice_page(page, voila_url)
    next_step(page, 4, "BP1")
    expect(page.locator(".bpw-question")).to_have_count(1, timeout=UPDATE_MS)
    page.locator("button.bpw-reveal, .bpw-reveal button").first.click()
    # the worked BP1 shows δ⁽³⁾ = (a⁽³⁾ − y)·σ′(z⁽³⁾) = (0.6506 − 1.0)·σ′(0.6215) = −0.0794: three answers
    delta, a, z = (fmt(v, unicode=True) for v in (TRACE.delta[3][0], TRACE.a[3][0], TRACE.z[3][0]))
    assert (delta, a, z) == ("−0.0794", "0.6506", "0.6215")
    expect(page.locator(".bpw-panel .bpw-result")).to_contain_text(delta, timeout=UPDATE_MS)
    panel = page.locator(".bpw-panel").inner_text().replace("\n", " ")
    assert a in panel and z in panel
    expect(page.locator(".bpw-practice-progress")).to_contain_text(f"0 of {N} right on the first try · 3 of {N} done")

    # BP2, layer 2: δ⁽²⁾ = ((W⁽³⁾)ᵀ δ⁽³⁾) ⊙ σ′(z⁽²⁾) uses δ⁽³⁾ (revealed) and z⁽²⁾ (not yet found)
    next_step(page, 1, "BP2")
    found = page.locator(".bpw-col-panel").get_by_text("You found:")
    expect(found).to_be_visible(timeout=UPDATE_MS)
    column = page.locator(".bpw-col-panel")
    expect(column).to_contain_text(f"You found: δ⁽³⁾ = {delta}")
    expect(column).to_contain_text("z₁⁽²⁾, z₂⁽²⁾")
    assert fmt(TRACE.z[2][0], unicode=True) not in column.inner_text()  # 0.8997: still to find
