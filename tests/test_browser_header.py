"""The header's buttons in a real browser: Random weights draws new weights on every click and
the seed field names the seed they came from."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from backprop_widgets import Network, seed_example
from backprop_widgets.core import fmt

from pages import UPDATE_MS, open_dashboard, param_row

pytestmark = pytest.mark.browser


def shown_w111(page: Page) -> float:
    return float(param_row(page, "w1-1-1").locator(".bpw-text input").input_value())


def test_random_weights_changes_the_weights_on_every_click(page: Page, voila_url: str):
    open_dashboard(page, voila_url)
    net, x, y = seed_example()
    seed_field = page.locator(".bpw-header input[type=number]").first
    expect(seed_field).to_have_value("0")
    field = param_row(page, "w1-1-1").locator(".bpw-text input")
    shown = []
    for expected_seed in (0, 1, 2):
        page.locator(".bpw-random").click()
        want = Network.random(net.sizes, seed=expected_seed, activation=net.activation, loss=net.loss_name)
        expect(seed_field).to_have_value(str(expected_seed), timeout=UPDATE_MS)
        expect(field).to_have_value(repr(float(want.weights[0][0, 0])), timeout=UPDATE_MS)
        loss = fmt(want.trace(x, y).loss, unicode=True)  # the loss of those weights, as the page prints it
        expect(page.locator(".bpw-loss-value")).to_have_text(f"L = {loss}", timeout=UPDATE_MS)
        shown.append(shown_w111(page))
    assert len(set(shown)) == 3  # every click changed the weights
    # a seed typed by hand is used as it is, and again advances only on the next click
    seed_field.fill("7")
    seed_field.press("Enter")
    page.locator(".bpw-random").click()
    want = Network.random(net.sizes, seed=7, activation=net.activation, loss=net.loss_name)
    expect(field).to_have_value(repr(float(want.weights[0][0, 0])), timeout=UPDATE_MS)
    expect(seed_field).to_have_value("7")
