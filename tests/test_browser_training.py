"""Training never freezes the page (issue 21, A5), in a real browser against Voila.

A run of 100 000 steps is started from the page; the page must show its progress while the
kernel still handles what the student does: Stop stops it (long before its end), and starting
to edit a weight stops it at the step on the screen, says so, and the typed weight applies to
that network. Every number read from the page is compared with the core's own loop run for
the step count the page reports. No wall time is asserted: the machine may be busy.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from backprop_widgets import seed_example
from backprop_widgets.core import fmt

from pages import FIRST_RENDER_MS, UPDATE_MS, open_dashboard, param_row

pytestmark = pytest.mark.browser

LONG_RUN = 100_000
ECHO_WAIT_MS = 2_000  # longer than any late update took to arrive


def loss_text(net, x, y) -> str:
    return f"L = {fmt(net.loss_value(x, y), unicode=True)}"


def trained(k: int):
    """The seed network after ``k`` steps of the core's gradient descent (η = 0.5)."""
    net, x, y = seed_example()
    for _ in range(k):
        net = net.gradient_step(x, y, eta=0.5)
    return net


def start_long_run(page: Page, url: str) -> None:
    page.set_default_navigation_timeout(FIRST_RENDER_MS)  # Voila runs the notebook before "load"
    open_dashboard(page, url)
    page.get_by_role("tab", name="Train").click()
    n = page.locator(".bpw-train-n input").first
    n.fill(str(LONG_RUN))
    n.press("Enter")
    page.locator(".bpw-train-run button, button.bpw-train-run").first.click()


def shown_step(page: Page, deadline_ms: int = UPDATE_MS * 4) -> int:
    """The step the progress line reports, once it is past 0 (the run shows a step at last)."""
    progress = page.locator(".bpw-train-progress").first
    end = time.monotonic() + deadline_ms / 1000
    while time.monotonic() < end:
        m = re.search(r"step (\d+) of (\d+)", progress.inner_text())
        if m and int(m[1]) > 0:
            assert int(m[2]) == LONG_RUN
            return int(m[1])
        page.wait_for_timeout(100)
    raise AssertionError(f"no progress shown: {progress.inner_text()!r}")


def stopped_step(page: Page, reason: str) -> int:
    message = page.locator(".bpw-train-msg").first
    expect(message).to_contain_text(f"of {LONG_RUN}: {reason}", timeout=UPDATE_MS)
    return int(re.search(r"Training stopped at step (\d+) of", message.inner_text())[1])


def test_a_long_run_shows_progress_and_stops_when_asked(page: Page, voila_url: str):
    start_long_run(page, voila_url)
    expect(page.locator(".bpw-train-run button, button.bpw-train-run").first).to_have_text("Running…")
    first = shown_step(page)
    progress = page.locator(".bpw-train-progress").first
    # the progress moves on while the page is live
    end = time.monotonic() + UPDATE_MS * 4 / 1000
    while shown_step(page) == first and time.monotonic() < end:
        page.wait_for_timeout(100)
    assert shown_step(page) > first, progress.inner_text()

    page.locator(".bpw-train-stop button, button.bpw-train-stop").first.click()
    k = stopped_step(page, "you pressed Stop")
    assert first < k < LONG_RUN  # the kernel handled Stop long before the run's end
    expect(progress).to_have_text("")
    net, x, y = seed_example()
    expected = loss_text(trained(k), x, y)
    loss = page.locator(".bpw-loss-value")
    summary = page.locator(".bpw-train-summary")
    expect(loss).to_have_text(expected, timeout=UPDATE_MS)
    expect(summary).to_have_text(f"{expected} after {k} steps", timeout=UPDATE_MS)
    page.wait_for_timeout(ECHO_WAIT_MS)  # nothing moves on after Stop
    expect(loss).to_have_text(expected)
    expect(summary).to_have_text(f"{expected} after {k} steps")
    expect(page.locator(".bpw-train-stop button, button.bpw-train-stop").first).to_be_disabled()
    expect(page.locator(".bpw-train-run button, button.bpw-train-run").first).to_have_text("Run N steps")

    page.locator(".bpw-train-reset button, button.bpw-train-reset").first.click()
    expect(loss).to_have_text(loss_text(net, x, y), timeout=UPDATE_MS)


def test_an_edit_during_a_run_stops_it_and_applies_to_the_network_shown(page: Page, voila_url: str):
    start_long_run(page, voila_url)
    shown_step(page)
    field = param_row(page, "w1-1-1").locator(".bpw-text input")
    field.click()  # starting to edit stops the run at the step on the screen
    k = stopped_step(page, "you edited w₁,₁⁽¹⁾")
    assert 0 < k < LONG_RUN
    field.fill("0.7")
    field.press("Enter")
    net, x, y = seed_example()
    expected = trained(k).with_param("w1,1,1", 0.7)
    loss = page.locator(".bpw-loss-value")
    expect(loss).to_have_text(loss_text(expected, x, y), timeout=UPDATE_MS)
    page.wait_for_timeout(ECHO_WAIT_MS)
    expect(loss).to_have_text(loss_text(expected, x, y))
    assert field.input_value() == "0.7"  # what was typed is what is shown and used
    for p in ("w2,1,1", "w3,1,2", "b1,2"):  # every other value is the one of step k
        shown = page.locator(f".bpw-param-{p.replace(',', '-')} .bpw-text input").first.input_value()
        assert float(shown) == expected.get(p), (p, shown)
    expect(page.locator(".bpw-train-msg").first).to_contain_text(f"Training stopped at step {k} of {LONG_RUN}")
