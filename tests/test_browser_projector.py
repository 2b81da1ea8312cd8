"""The projector view fits the projector, and the page's text sizes agree (issue 21, A4 and A7),
read from the page in a real browser: where the diagram, the step panel and the first question
are, whether any label is cut, how large the diagram's numbers are drawn beside the controls',
and that a node's info line moves nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from backprop_widgets.app.projector import (
    CONTROLS_PX,
    DESIGN,
    MAX_LABEL_RATIO,
    PANEL_PX,
    PROJECTOR_LABEL_RATIO,
    TEXT_PX,
)

from pages import FIRST_RENDER_MS, UPDATE_MS, diagram, open_dashboard

pytestmark = pytest.mark.browser

PROJECTOR_SIZES = [(1280, 720), (1366, 768), (1920, 1080)]

#: every visible label of the dashboard whose text is wider than its box (cut, "Net…")
CUT_LABELS = """() => [...document.querySelectorAll('.bpw-dashboard .widget-label')]
    .filter(e => e.offsetParent !== null && e.innerText.trim() && e.scrollWidth > e.clientWidth)
    .map(e => [e.innerText, e.scrollWidth, e.clientWidth])"""
#: the px on screen of the diagram's numbers (the font size in the SVG's units times the
#: SVG's scale on screen, zoom included) and of the header's labels (zoom included)
TEXT_SIZES = """() => {
  const num = [...document.querySelectorAll('.bpw-diagram svg text')]
    .find(t => /^[−-]?[0-9]+[.][0-9]+$/.test(t.textContent.trim()));
  const label = document.querySelector('.bpw-header .widget-label');
  const panel = document.querySelector('.bpw-panel');
  const px = e => parseFloat(getComputedStyle(e).fontSize) * (e.currentCSSZoom || 1);
  return {number: num.textContent, label_px: parseFloat(num.style.fontSize) * num.getScreenCTM().a,
          control_px: px(label), panel_px: px(panel)};
}"""


def inside(box: dict, width: int, height: int) -> bool:
    return box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width and box["y"] + box["height"] <= height


def open_at(page: Page, url: str, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.set_default_navigation_timeout(FIRST_RENDER_MS)  # the first page may start a kernel
    open_dashboard(page, url)


@pytest.mark.parametrize("width,height", PROJECTOR_SIZES)
def test_projector_view_shows_the_diagram_and_the_step_together(page: Page, voila_url: str, width, height):
    open_at(page, voila_url + "?projector=1", width, height)
    for name, loc in (
        ("diagram", diagram(page)),
        ("step title", page.locator(".bpw-step-title").first),
        ("Next", page.locator(".bpw-next").first),
        ("step panel", page.locator(".bpw-panel").first),
    ):
        box = loc.bounding_box()
        assert box and inside(box, width, height), f"{name} is not on the first screen at {width}×{height}: {box}"
    # text is 1/40 of the image height at every size (TEXT_PX in a DESIGN-high layout), the
    # panel's PANEL_PX, the diagram's numbers at least PROJECTOR_LABEL_RATIO of the text
    sizes = page.evaluate(TEXT_SIZES)
    scale = min(height / DESIGN[1], width / DESIGN[0])
    assert sizes["control_px"] == pytest.approx(TEXT_PX * scale, rel=0.01), sizes
    assert sizes["control_px"] >= height / 40 - 0.1, sizes
    assert sizes["panel_px"] == pytest.approx(PANEL_PX * scale, rel=0.01), sizes
    ratio = sizes["label_px"] / sizes["control_px"]
    assert PROJECTOR_LABEL_RATIO - 0.01 <= ratio <= MAX_LABEL_RATIO, sizes
    assert page.evaluate(CUT_LABELS) == []


@pytest.mark.parametrize("width,height", PROJECTOR_SIZES)
def test_projector_view_in_practice_shows_the_first_question(page: Page, voila_url: str, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.set_default_navigation_timeout(FIRST_RENDER_MS)
    page.goto(voila_url + "?projector=1&practice=1")
    question = page.locator(".bpw-question").first
    expect(question).to_be_visible(timeout=FIRST_RENDER_MS)
    expect(diagram(page)).to_be_visible()
    for name, loc in (("diagram", diagram(page)), ("first question", question)):
        box = loc.bounding_box()
        assert box and inside(box, width, height), f"{name} is not on the first screen at {width}×{height}: {box}"
    field = question.locator("input").first.bounding_box()
    assert field and inside(field, width, height), field


@pytest.mark.parametrize("query", ["", "?projector=1"])
@pytest.mark.parametrize("width,height", [(1366, 768), (1920, 1080)])
def test_no_label_is_cut(page: Page, voila_url: str, query: str, width, height):
    open_at(page, voila_url + query, width, height)
    assert page.locator(".bpw-header .widget-label").count() >= 6  # Network … seed, Trace ∂L/∂
    assert page.evaluate(CUT_LABELS) == []


@pytest.mark.parametrize("width,height", [(1366, 768), (1920, 1080)])
def test_diagram_numbers_are_sized_like_the_controls(page: Page, voila_url: str, width, height):
    """At 1920 px the diagram was scaled to its wide column: its numbers 19 px beside the 13 px
    controls. They stay within MAX_LABEL_RATIO of the controls' text (and at least 11 px)."""
    open_at(page, voila_url, width, height)
    sizes = page.evaluate(TEXT_SIZES)
    assert sizes["control_px"] == CONTROLS_PX
    assert 11 - 0.05 <= sizes["label_px"] <= MAX_LABEL_RATIO * CONTROLS_PX + 0.05, sizes


@pytest.mark.parametrize("query", ["", "?projector=1"])
def test_a_node_click_moves_nothing(page: Page, voila_url: str, query: str):
    open_at(page, voila_url + query, 1366, 768)
    below = {
        "table": page.locator(".bpw-diagram-text").first,
        "tabs": page.locator(".bpw-tabs").first,
        "step panel": page.locator(".bpw-panel").first,
    }
    before = {name: loc.bounding_box() for name, loc in below.items()}
    node = page.locator(".bpw-diagram svg [id='node-1-1']").first.bounding_box()
    page.mouse.click(node["x"] + node["width"] / 2, node["y"] + node["height"] / 2)
    info = page.locator(".bpw-node-info")
    expect(info).to_contain_text("neuron 1 of layer 1: z = 0.0, a = 0.5", timeout=UPDATE_MS)
    after = {name: loc.bounding_box() for name, loc in below.items()}
    assert after == before
