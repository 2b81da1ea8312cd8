"""Readable at every size, in a real browser: nothing clipped, nothing off-screen, a keyboard way
through, and no serious accessibility violation (axe-core, from npm, see the Makefile)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from backprop_widgets import Network, worked_example
from backprop_widgets.core import default_sample
from backprop_widgets.draw.diagram import LABEL_PX

from pages import FIRST_RENDER_MS, UPDATE_MS, open_dashboard, open_in_jupyterlab, picture, run_all_cells

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
AXE = Path(os.environ.get("AXE_JS", ROOT / ".venv" / "node_modules" / "axe-core" / "axe.min.js"))

#: equations wider than their line (scrollWidth > clientWidth), ignoring a line that holds a
#: single piece wider than the panel (only that may scroll, inside the panel)
CLIPPED = """() => [...document.querySelectorAll('.bpw-panel .bpw-eq')].filter(e =>
    e.scrollWidth > e.clientWidth + 1 &&
    ![...e.querySelectorAll('.bpw-piece')].some(p => p.getBoundingClientRect().width > e.clientWidth))
  .map(e => e.innerText.replace(/\\s+/g, ' ').slice(0, 80))"""
#: pieces of the panel that are not MathML (MathJax output, raw TeX) or whose formula is wider
#: than the piece that clips it (beyond its 2 px clip margin)
NOT_MATHML_OR_CLIPPED = """() => [...document.querySelectorAll('.bpw-panel .bpw-piece')].filter(p => {
    const m = p.querySelector(':scope > math');
    return !m || p.querySelector('mjx-container') ||
      m.getBoundingClientRect().right > p.getBoundingClientRect().right + 2; })
  .map(p => p.innerText.replace(/\\s+/g, ' ').slice(0, 80))"""


def set_architecture(page: Page, sizes: str) -> None:
    """Type ``sizes`` into the architecture field and wait until the diagram and the step title
    show the new network (the title's step count is the worked example's, from the core)."""
    net = Network.random([int(n) for n in sizes.split(",")])
    steps = len(worked_example(net, *default_sample(net), "w1,1,1").steps)
    before = picture(page)
    field = page.locator(".bpw-arch input")
    field.fill(sizes)
    field.press("Enter")
    page.wait_for_function(
        "([old]) => document.querySelector('.bpw-diagram').innerHTML !== old", arg=[before], timeout=UPDATE_MS
    )
    expect(page.locator(".bpw-step-title")).to_contain_text(f"Step 1 of {steps} ", timeout=UPDATE_MS)


@pytest.mark.parametrize("width", [900, 1366, 1920, 2560])
def test_no_horizontal_scroll_and_next_on_screen(page: Page, voila_url: str, width: int):
    page.set_viewport_size({"width": width, "height": 768 if width <= 1366 else 1080})
    open_dashboard(page, voila_url)
    sw, cw = page.evaluate("() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
    assert sw <= cw, f"page scrolls sideways at {width} px: {sw} > {cw}"
    nxt = page.locator(".bpw-next").first.bounding_box()
    assert nxt["x"] >= 0 and nxt["x"] + nxt["width"] <= width, nxt
    assert nxt["y"] + nxt["height"] <= page.viewport_size["height"], nxt
    panel = page.locator(".bpw-panel").first.bounding_box()
    assert panel["width"] >= 400 and panel["x"] + panel["width"] <= width, panel
    if width >= 1200:  # side by side: the panel beside the diagram
        assert panel["y"] < 250
        # labels are at least 11 CSS px: matplotlib writes the viewBox in pt (the figure's
        # 11 px labels are 11 · 72/100 = 7.92 pt), so the scale must be at least 100/72
        shown, box = page.evaluate(
            "() => { const s = document.querySelector('.bpw-diagram svg');"
            " return [s.getBoundingClientRect().width, s.viewBox.baseVal.width]; }"
        )
        assert LABEL_PX * 0.72 * shown / box >= 11 - 0.05, (shown, box)
    else:  # the panel goes under the diagram
        assert page.locator(".bpw-diagram").first.bounding_box()["y"] < panel["y"]


@pytest.mark.parametrize("sizes", ["3,2,2,1", "4,3,3,2", "2,8,8,8,1", "8,8,8,8,8,8,8"])
def test_no_formula_is_clipped_in_any_step(page: Page, voila_url: str, sizes: str):
    open_dashboard(page, voila_url)
    if sizes != "3,2,2,1":
        set_architecture(page, sizes)
    title = page.locator(".bpw-step-title")
    n = int(title.inner_text().split(" of ")[1].split()[0])
    tab_bar_y = page.locator(".bpw-tabs").first.bounding_box()["y"]
    for i in range(1, n + 1):
        expect(title).to_contain_text(f"Step {i} of {n}", timeout=UPDATE_MS)
        page.wait_for_function(
            "() => !document.querySelector('.bpw-panel .bpw-piece') || document.querySelector('.bpw-panel math')"
        )
        assert page.evaluate(CLIPPED) == [], f"{sizes}, step {i}: {title.inner_text()}"
        assert page.evaluate(NOT_MATHML_OR_CLIPPED) == [], f"{sizes}, step {i}: {title.inner_text()}"
        # the step's result is inside the visible panel, without scrolling
        result = page.locator(".bpw-panel .bpw-result")
        if result.count():
            box, panel = result.first.bounding_box(), page.locator(".bpw-panel").first.bounding_box()
            assert panel["y"] <= box["y"] and box["y"] + box["height"] <= panel["y"] + panel["height"]
            assert box["x"] + box["width"] <= panel["x"] + panel["width"] + 1
        else:
            assert "All quantities" in title.inner_text() or "reference" in title.inner_text()
        # nothing below the panel moves when you step
        assert page.locator(".bpw-tabs").first.bounding_box()["y"] == tab_bar_y
        if i < n:
            page.locator(".bpw-next button, button.bpw-next").first.click()


def test_arrow_keys_step_unless_typing(page: Page, voila_url: str):
    open_dashboard(page, voila_url)
    title = page.locator(".bpw-step-title")
    page.locator(".bpw-step-title").click()  # focus on the page, not in a field
    page.keyboard.press("ArrowRight")
    expect(title).to_contain_text("Step 2 of", timeout=UPDATE_MS)
    page.keyboard.press("PageDown")
    expect(title).to_contain_text("Step 3 of", timeout=UPDATE_MS)
    page.keyboard.press("ArrowLeft")
    expect(title).to_contain_text("Step 2 of", timeout=UPDATE_MS)
    field = page.locator(".bpw-param-w1-1-1 .bpw-text input")
    field.focus()
    page.keyboard.press("ArrowRight")  # moves the caret, not the walkthrough
    page.wait_for_timeout(500)
    expect(title).to_contain_text("Step 2 of")


def serious_violations(page: Page) -> list:
    """axe-core's serious and critical violations on the page as it is now, every rule on."""
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["impact"], [(n["target"], n.get("failureSummary", "")[:160]) for n in v["nodes"][:3]])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_axe_finds_no_serious_violation(page: Page, voila_url: str):
    """No rule disabled, no node excepted: the page as it opens, each tab with coloured text or
    marks, and practice mode with a ✓. The colour code's maths is MathML, which axe reads: its
    text shades must reach 4.5:1 (the Okabe–Ito orange and green fills are 2.2:1 and 3.4:1)."""
    assert AXE.is_file(), f"axe-core not found at {AXE}: run `make test` (it installs it with npm)"
    page.set_default_navigation_timeout(FIRST_RENDER_MS)  # a loaded machine serves the page slowly
    open_dashboard(page, voila_url)
    page.add_script_tag(path=str(AXE))
    assert page.locator(".bpw-panel math [mathcolor]").count() > 5  # the colour code is there
    assert serious_violations(page) == [], "the page as it opens"
    tabs = {
        "All quantities": ".bpw-quantities td",
        "Gradient check": ".bpw-gradcheck .bpw-pass",
        "Notation": ".bpw-notation math [mathcolor]",
    }
    for title, shown in tabs.items():
        page.locator(".bpw-tabs .lm-TabBar-tab", has_text=title).click()
        expect(page.locator(shown).first).to_be_visible(timeout=UPDATE_MS)
        assert serious_violations(page) == [], title
    page.locator(".bpw-mode button", has_text="Practice").click()
    for _ in range(4):  # BP1 of the seed: δ⁽³⁾ = −0.0794
        page.locator(".bpw-next button, button.bpw-next").first.click()
    expect(page.locator(".bpw-step-title")).to_contain_text("BP1", timeout=UPDATE_MS)
    field = page.locator(".bpw-practice .bpw-answer input").first
    expect(field).to_have_attribute("placeholder", "δ⁽³⁾ = ?", timeout=UPDATE_MS)
    field.fill("−0.0794")
    field.press("Enter")
    expect(page.locator(".bpw-practice .bpw-feedback .bpw-pass").first).to_be_visible(timeout=UPDATE_MS)
    assert serious_violations(page) == [], "practice"
    # Predict: a card on BP2 of layer 2, committed (its verdict shown), and the card's choices
    page.locator(".bpw-mode button", has_text="Predict").click()
    page.locator(".bpw-steps select").select_option(index=5)
    card = page.locator(".bpw-card").first
    expect(card).to_contain_text("Which neuron of layer 2", timeout=UPDATE_MS)
    assert serious_violations(page) == [], "predict, a card waiting"
    card.locator(".bpw-choice").first.click()
    card.locator(".bpw-commit").click()
    expect(card.locator(".bpw-card-verdict")).to_contain_text("You predicted", timeout=UPDATE_MS)
    assert serious_violations(page) == [], "predict, a verdict"
    # Fade: the "which equation?" buttons on BP3
    page.locator(".bpw-mode button", has_text="Fade").click()
    page.locator(".bpw-stage select").select_option(index=2)
    page.locator(".bpw-steps select").select_option(index=7)
    expect(page.locator(".bpw-principle").first).to_be_visible(timeout=UPDATE_MS)
    assert serious_violations(page) == [], "fade"


def test_jupyterlab_with_its_file_browser_open(page: Page, lab_url: str):
    """JupyterLab at 1366×768 with the file browser open: the dashboard fits its output area."""
    open_in_jupyterlab(page, lab_url, "notebooks/walkthrough.ipynb")
    page.evaluate("() => window.jupyterapp.shell.activateById('filebrowser')")
    expect(page.locator("#filebrowser")).to_be_visible()
    run_all_cells(page)
    dash = page.locator(".jp-NotebookPanel .bpw-dashboard").first
    expect(dash.locator(".bpw-panel .bpw-piece").first).to_be_attached(timeout=FIRST_RENDER_MS)
    dash.scroll_into_view_if_needed()
    width, scroll = dash.evaluate("e => [e.clientWidth, e.scrollWidth]")
    assert scroll <= width, (scroll, width)
    output = page.locator(".jp-OutputArea-output", has=page.locator(".bpw-dashboard")).first.bounding_box()
    for selector in (".bpw-next", ".bpw-random", ".bpw-reset", ".bpw-panel"):
        box = dash.locator(selector).first.bounding_box()
        assert box["x"] + box["width"] <= output["x"] + output["width"] + 1, (selector, box, output)
    diagram = dash.locator(".bpw-diagram svg").first.bounding_box()
    assert diagram["width"] >= 360, diagram
    news = page.get_by_role("button", name="No", exact=True)  # JupyterLab's news toast
    if news.count():
        news.first.click()
    out = ROOT / "test-results" / "jupyterlab-1366.png"  # the README's picture
    out.parent.mkdir(exist_ok=True)
    page.screenshot(path=out)
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(out, ROOT / "notebooks" / "images" / out.name)


def test_hovering_the_diagram_names_the_numbers(page: Page, voila_url: str):
    """The inline SVG's <title>s are what a hover shows: w and ∂L/∂w on an edge, z, a, δ, b on
    a node (the seed page's numbers)."""
    open_dashboard(page, voila_url)
    edge = page.locator(".bpw-diagram svg #edge-w1-1-1 > title")
    expect(edge).to_have_text("w₁,₁⁽¹⁾ = 0.1, ∂L/∂w = −0.00212")
    node = page.locator(".bpw-diagram svg #node-1-1 > title")
    expect(node).to_contain_text("z = 0.0, a = 0.5, δ = −0.00212, b = 0.1")
    page.locator(".bpw-diagram svg #edge-w1-1-1").hover()  # hovering is possible (it is on top)
