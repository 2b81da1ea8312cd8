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


SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def page_number(text: str) -> float:
    """A number as the page prints it (``−0.00212``, ``1.23×10⁻⁵``)."""
    text = text.replace("−", "-")
    if "×10" in text:
        mantissa, power = text.split("×10")
        return float(mantissa) * 10.0 ** int(power.translate(SUPERSCRIPT))
    return float(text)


def test_a_batch_term_opens_its_sample(page: Page, voila_url: str):
    """Choose the batch view, read BP3's terms from the page, click one: the page's x is that
    sample's (the dataset drawn again from its seed; each term from the sample's own trace)."""
    blocked = loopback_only(page.context)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.set_default_navigation_timeout(FIRST_RENDER_MS)
    open_dashboard(page, f"{voila_url}?net=2,4,1&h=tanh&step=bp3")
    title = page.locator(".bpw-step-title").first
    expect(title).to_contain_text("BP3 · the traced gradient")
    page.locator(".bpw-batch-toggle button", has_text="a batch of 10").first.click()
    expect(title).to_contain_text("BP3 · the batch's gradient (10 samples)", timeout=UPDATE_MS)
    terms = page.locator("button.bpw-batch-term, .bpw-batch-term button")
    expect(terms).to_have_count(8, timeout=UPDATE_MS)
    expect(page.locator(".bpw-batch-terms").first).to_contain_text("+ 2 more samples: Σ = ")

    d = split_dataset(*make_dataset("circles", n=200, noise=0.1, seed=0), test=0.2, seed=0)
    net = Network.random([2, 4, 1], seed=0, activation="tanh")
    mean = net.batch_trace(d.X_train[:10], d.Y_train[:10]).grad("w1,1,1")
    expect(page.locator(".bpw-panel .bpw-result").first).to_contain_text(fmt(mean, unicode=True))
    texts = terms.all_inner_texts()
    for text in texts:  # "sample 7: x₁·δ₁⁽¹⁾ = 0.5 × (−0.0123) = −0.00615"
        i = int(re.match(r"sample (\d+): ", text)[1]) - 1
        own = net.trace(d.X_train[i], d.Y_train[i])
        assert text.endswith(f" = {fmt(own.grad('w1,1,1'), unicode=True)}")
        assert f"= {fmt(own.a[0][0], unicode=True)} × " in text
    screenshot(page, "batch-view-1366.png")
    i = int(re.match(r"sample (\d+): ", texts[2])[1]) - 1
    terms.nth(2).click()
    expect(title).to_contain_text("BP3 · the traced gradient", timeout=UPDATE_MS)
    for k in (1, 2):  # the page's x is the sample's, every digit
        field = page.locator(f".bpw-param-x{k} .bpw-text input").first
        expect(field).to_have_value(repr(float(d.X_train[i][k - 1])).removesuffix(".0"), timeout=UPDATE_MS)
    assert blocked == []


def test_a_deep_sigmoid_nets_layer_1_gradient_is_100_times_below_the_last_layers(page: Page, voila_url: str):
    """After one epoch of training, the gradient chart's text gives each layer's ‖∂L/∂W‖ at the
    last step: layer 1's is read off the page, at least 100× below layer 6's."""
    page.set_viewport_size({"width": 1366, "height": 768})
    page.set_default_navigation_timeout(FIRST_RENDER_MS)
    open_dashboard(page, f"{voila_url}?net=2,8,8,8,8,8,1")  # sigmoid, random weights from seed 0
    page.get_by_role("tab", name="Dataset").click()
    page.locator(".bpw-data-step button, button.bpw-data-step").first.click()
    chart = page.locator(".bpw-data-grads svg").first
    expect(chart).to_have_attribute("aria-label", re.compile(r"at step 16: layer 1 "), timeout=UPDATE_MS)
    said = chart.get_attribute("aria-label")
    norms = dict(re.findall(r"layer (\d) ([^,]+)", said.split("at step 16: ")[1]))
    assert sorted(norms) == ["1", "2", "3", "4", "5", "6"]
    assert page_number(norms["6"]) >= 100 * page_number(norms["1"])
