"""The round trip through a real browser: what the browser sends back must never change a number.

Each test drives the page as a student would and reads the page, then compares with the core
computed here. They wait 2 s after the first visible update, because the defects they guard
against (a slider sending back a rounded copy of the value the kernel set) arrive a few hundred
ms after the update and then silently replace it.
"""

from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import Page, expect

from backprop_widgets import seed_example
from backprop_widgets.core import fmt

from pages import UPDATE_MS, open_dashboard, param_row

pytestmark = pytest.mark.browser

ECHO_WAIT_MS = 2_000  # longer than any echo took to come back (0.3 s seen)


def loss_text(net, x, y) -> str:
    """The header's loss as the page prints it."""
    return f"L = {fmt(net.loss_value(x, y), unicode=True)}"


def type_value(page: Page, name: str, text: str) -> None:
    field = param_row(page, name).locator(".bpw-text input")
    field.fill(text)
    field.press("Enter")


def field_value(page: Page, name: str) -> str:
    """The text field of a value (rows in folded sections are read too)."""
    return page.locator(f".bpw-param-{name} .bpw-text input").first.input_value()


def type_and_settle(page: Page, url: str, text: str) -> None:
    """Type ``text`` into w₁,₁⁽¹⁾ on a fresh seed page; the loss must show the core's value for
    it, and still show it (and the field the typed text) once any echo had time to arrive."""
    open_dashboard(page, url)
    net, x, y = seed_example()
    expected = loss_text(net.with_param("w1,1,1", float(text)), x, y)
    type_value(page, "w1-1-1", text)
    loss = page.locator(".bpw-loss-value")
    expect(loss).to_have_text(expected, timeout=UPDATE_MS)
    page.wait_for_timeout(ECHO_WAIT_MS)
    expect(loss).to_have_text(expected)
    assert field_value(page, "w1-1-1") == text


def test_a_typed_value_is_kept_exactly(page: Page, voila_url: str):
    type_and_settle(page, voila_url, "0.123")
    # step 1 (forward, layer 1) writes z₁⁽¹⁾ = w₁,₁⁽¹⁾·x₁ + …: the typed weight, not 0.12
    panel = page.locator(".bpw-panel").first.inner_text()
    assert "0.123" in panel, panel


def test_a_value_beyond_the_slider_widens_it_on_the_first_try(page: Page, voila_url: str):
    type_and_settle(page, voila_url, "3")
    slider = param_row(page, "w1-1-1").locator(".bpw-slider input[type=range]").first
    assert float(slider.get_attribute("max")) >= 3 and float(slider.input_value()) == 3


def test_dragging_a_slider_sets_the_value_it_shows(page: Page, voila_url: str):
    """The keyboard moves a slider by one step (0.01): a real edit goes through."""
    open_dashboard(page, voila_url)
    net, x, y = seed_example()
    handle = param_row(page, "x2").locator(".bpw-slider input[type=range]").first
    expect(handle).to_have_attribute("aria-label", "x₂")
    handle.focus()
    handle.press("ArrowRight")  # x₂: 0.5 → 0.51
    expected_loss = loss_text(net, [1.0, 0.51, -1.0], y)
    expect(page.locator(".bpw-loss-value")).to_have_text(expected_loss, timeout=UPDATE_MS)
    page.wait_for_timeout(ECHO_WAIT_MS)
    assert field_value(page, "x2") == "0.51"
    expect(page.locator(".bpw-loss-value")).to_have_text(expected_loss)


def open_tab(page: Page, title: str) -> None:
    page.get_by_role("tab", name=title).click()


def test_training_in_the_browser_equals_the_cores_loop(page: Page, voila_url: str):
    open_dashboard(page, voila_url)
    net, x, y = seed_example()
    expected = net
    for _ in range(20):
        expected = expected.gradient_step(x, y, eta=0.5)
    open_tab(page, "Train")
    page.locator(".bpw-train-run button, button.bpw-train-run").first.click()  # N = 20, η = 0.5
    loss = page.locator(".bpw-loss-value")
    expect(loss).to_have_text(loss_text(expected, x, y), timeout=UPDATE_MS)
    page.wait_for_timeout(ECHO_WAIT_MS)
    expect(loss).to_have_text(loss_text(expected, x, y))
    for p in expected.parameters():
        shown = field_value(page, str(p).replace(",", "-"))
        assert float(shown) == pytest.approx(expected.get(p), rel=0, abs=1e-12), (p, shown)
    # the curve's caption names the same loss as the header
    expect(page.locator(".bpw-train-summary")).to_have_text(f"{loss_text(expected, x, y)} after 20 steps")
    expect(page.locator(".bpw-loss-curve svg").first).to_be_visible()

    page.locator(".bpw-train-reset button, button.bpw-train-reset").first.click()
    expect(loss).to_have_text(loss_text(net, x, y), timeout=UPDATE_MS)
    page.wait_for_timeout(ECHO_WAIT_MS)
    for p in net.parameters():
        assert float(field_value(page, str(p).replace(",", "-"))) == net.get(p), p
    expect(loss).to_have_text(loss_text(net, x, y))


def test_the_handout_is_a_browser_download(page: Page, voila_url: str, tmp_path):
    open_dashboard(page, voila_url)
    open_tab(page, "Export handout")
    link = page.locator(".bpw-download a").first
    expect(link).to_be_visible(timeout=UPDATE_MS)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "backprop-handout-w1-1-1.html"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = path.read_text(encoding="utf-8")
    net, x, y = seed_example()
    assert f"{net.loss_value(x, y):.4f}" in text  # L = 0.0611, the page's numbers
    href = link.get_attribute("href")
    assert base64.b64decode(re.sub("^data:text/html;base64,", "", href)).decode() == text


def test_a_mouse_drag_ends_on_the_value_the_slider_shows(page: Page, voila_url: str):
    """A fast drag sends many positions; the kernel takes the newest each time, and where the
    drag stops is the value the field, the slider and the loss all show."""
    open_dashboard(page, voila_url)
    net, x, y = seed_example()
    slider = param_row(page, "x2").locator(".bpw-slider input[type=range]").first
    box = slider.bounding_box()
    yy = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] / 2, yy)
    page.mouse.down()
    for i in range(40):  # sweep right, then back to about a third of the way
        f = 0.5 + 0.45 * (i / 39) if i < 20 else 0.95 - 0.6 * ((i - 20) / 19)
        page.mouse.move(box["x"] + f * box["width"], yy)
    page.mouse.up()
    shown = float(slider.input_value())
    assert shown != 0.5 and abs(shown * 100 - round(shown * 100)) < 1e-9  # on the 0.01 grid
    expected = loss_text(net, [1.0, shown, -1.0], y)
    expect(page.locator(".bpw-loss-value")).to_have_text(expected, timeout=UPDATE_MS)
    page.wait_for_timeout(ECHO_WAIT_MS)
    expect(page.locator(".bpw-loss-value")).to_have_text(expected)
    assert float(field_value(page, "x2")) == shown
