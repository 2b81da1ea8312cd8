"""The Dataset tab in a real browser against Voila (issue 24): pick circles, run 50 epochs.

The page opens a [2,4,1] tanh network from a link; circles is picked from the tab's menu and a
Run of 50 epochs is started from the page. The losses the page shows must be the core's own
(``Network.train`` on the same data, the same settings), the loss must fall, and the boundary
picture the page shows must change. External hosts are refused (a classroom behind a firewall).
No wall time is asserted: the machine may be busy.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from backprop_widgets import Network
from backprop_widgets.core import fmt, make_dataset, split_dataset

from pages import FIRST_RENDER_MS, UPDATE_MS, loopback_only, open_dashboard, screenshot

pytestmark = pytest.mark.browser


def boundary_pixels(page: Page) -> bytes:
    """What the boundary picture shows now, as the browser paints it."""
    image = page.locator(".bpw-boundary").first
    expect(image).to_be_visible()
    return image.screenshot()


def test_circles_for_50_epochs_on_a_tanh_net_the_loss_falls_and_the_boundary_changes(page: Page, voila_url: str):
    blocked = loopback_only(page.context)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.set_default_navigation_timeout(FIRST_RENDER_MS)  # Voila runs the notebook before "load"
    open_dashboard(page, f"{voila_url}?net=2,4,1&h=tanh")
    page.get_by_role("tab", name="Dataset").click()
    status = page.locator(".bpw-data-status").first
    menu = page.locator(".bpw-data-menu select").first
    expect(status).to_contain_text("epoch 0: train L", timeout=UPDATE_MS)
    opened_with = status.inner_text()
    menu.select_option(label="XOR")
    expect(status).not_to_have_text(opened_with, timeout=UPDATE_MS)
    menu.select_option(label="circles")  # picked from the page

    d = split_dataset(*make_dataset("circles", n=200, noise=0.1, seed=0), test=0.2, seed=0)
    net = Network.random([2, 4, 1], seed=0, activation="tanh")
    run = net.train(d.X_train, d.Y_train, epochs=50, batch_size=10, eta=0.5, seed=0, X_test=d.X_test, Y_test=d.Y_test)

    def shown(e: int) -> str:
        train, test = (fmt(h[e], unicode=True) for h in (run.loss_history, run.test_loss_history))
        return f"epoch {e}: train L = {train}, test L = {test}"

    expect(status).to_contain_text(shown(0), timeout=UPDATE_MS)
    before = boundary_pixels(page)
    epochs = page.locator(".bpw-data-epochs input").first
    epochs.fill("50")
    epochs.press("Enter")
    page.locator(".bpw-data-run button, button.bpw-data-run").first.click()
    expect(status).to_contain_text(shown(50), timeout=UPDATE_MS)
    expect(page.locator(".bpw-data-run button, button.bpw-data-run").first).to_have_text("Run")
    first, last = (float(re.search(r"train L = ([\d.]+)", shown(e))[1]) for e in (0, 50))
    assert last < 0.25 * first  # the loss shown falls
    assert boundary_pixels(page) != before  # and the boundary the page paints changed
    loss_chart = page.locator(".bpw-data-loss svg").first
    expect(loss_chart).to_have_attribute("aria-label", f"Loss per epoch: {shown(50)}")
    page.locator(".bpw-tabs").first.evaluate("el => el.scrollIntoView()")  # the tab at the top of the picture
    screenshot(page, "dataset-1366.png")
    assert blocked == []
