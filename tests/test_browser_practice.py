"""Practice mode in a real browser, on the seed: nothing gives an answer away, a wrong BP1 gets
its diagnosis, a right one a ✓, and Reveal shows the worked step."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from backprop_widgets import seed_example, worked_example
from backprop_widgets.core import fmt

from pages import UPDATE_MS, open_dashboard, screenshot

pytestmark = pytest.mark.browser


#: every text the page shows: the document's text and the diagram's SVG texts and titles
SHOWN = """() => document.body.innerText + ' ' +
  [...document.querySelectorAll('.bpw-diagram svg text, .bpw-diagram svg title')]
    .map(e => e.textContent).join(' ')"""


def printed(v: float) -> str:
    return fmt(v, unicode=True)


def test_practice_on_the_seed(page: Page, voila_url: str):
    open_dashboard(page, voila_url)
    net, x, y = seed_example()
    questions = worked_example(net, x, y).questions()
    page.locator(".bpw-mode button", has_text="Practice").click()
    expect(page.locator(".bpw-practice-progress")).to_contain_text(
        f"0 of {len(questions)} right on the first try", timeout=UPDATE_MS
    )
    page.wait_for_function(  # the diagram was redrawn without its numbers ("L = 0.0611" is gone;
        # the loss glyph "L" is always there, so waiting for it would wait for nothing)
        """() => { const t = [...document.querySelectorAll('.bpw-diagram svg text')];
                   return t.length > 0 && !t.some(e => e.textContent.startsWith('L ='));}""",
        timeout=UPDATE_MS,
    )

    # before any answer or reveal, no asked number is on screen (numbers that are also given —
    # a weight, an input, a colour-bar tick such as 0.0 or 1.0 — are not secrets)
    given = {
        printed(v)
        for v in [
            *x,
            *y,
            *(w for W in net.weights for w in W.ravel()),
            *(b for B in net.biases for b in B),
            0.0,
            1.0,
            -1.0,
        ]
    }
    secrets = {printed(q.answer) for q in questions} - given
    assert "0.0611" in secrets and "−0.0794" in secrets and "−0.00212" in secrets

    def shown_secrets() -> set[str]:
        return set(re.findall(r"[−-]?\d+\.\d+", page.evaluate(SHOWN).replace("-", "−"))) & secrets

    for _ in range(UPDATE_MS // 250):  # the page settles: header, tabs and panel are redrawn
        if not shown_secrets():
            break
        page.wait_for_timeout(250)
    assert not shown_secrets(), shown_secrets()
    page.wait_for_timeout(500)  # and it stays so
    assert not shown_secrets(), shown_secrets()

    # BP1: σ′ taken at a gives −0.0787, the right answer is −0.0794 (seed page)
    step = page.locator(".bpw-step-title")
    for _ in range(4):
        page.locator(".bpw-next button, button.bpw-next").first.click()
    expect(step).to_contain_text("BP1", timeout=UPDATE_MS)
    field = page.locator(".bpw-practice .bpw-answer input").first
    # the rows of BP1 replaced those of the steps clicked through (views are built after the
    # title changes: typing into a row that is about to go would type into nothing)
    expect(field).to_have_attribute("placeholder", "δ⁽³⁾ = ?")
    feedback = page.locator(".bpw-practice .bpw-feedback").first
    field.fill("-0.0787")
    field.press("Enter")
    expect(feedback).to_contain_text("✗", timeout=UPDATE_MS)
    expect(feedback).to_contain_text("σ′ at a⁽³⁾ instead of at z⁽³⁾")
    screenshot(page, "practice-1366.png")  # the README's picture of a diagnosis
    field.fill("−0.0794")
    field.press("Enter")
    expect(feedback).to_contain_text("✓", timeout=UPDATE_MS)
    expect(page.locator(".bpw-practice-progress")).to_contain_text(
        f"0 of {len(questions)} right on the first try · 1 of {len(questions)} done"
    )

    # BP2 (layer 2): Reveal shows the worked step with its result
    page.locator(".bpw-next button, button.bpw-next").first.click()
    expect(step).to_contain_text("BP2", timeout=UPDATE_MS)
    assert "−0.00490" not in page.locator(".bpw-panel").first.inner_text()
    page.locator(".bpw-reveal button, button.bpw-reveal").first.click()
    expect(page.locator(".bpw-panel .bpw-result")).to_contain_text("0.00490", timeout=UPDATE_MS)
