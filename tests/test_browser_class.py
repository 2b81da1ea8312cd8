"""A class server at its kernel cap, in a real browser: the student one too many gets a page
saying the server is full (HTTP 503) at once, not a blank or endless page, and a closed page, or
a crashed tab's kernel once idle culling frees it, makes room for the next student.

The servers are started as ``backprop-widgets serve --class`` starts Voila (serve's own command
builder, via conftest's ``start_voila``), with a cap of 2 or 1 so that a test fills them.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pages import FIRST_RENDER_MS, PANEL_MATH, open_dashboard
from test_browser_server import FREED_S, kernels_of, page_kernel, poll

pytestmark = pytest.mark.browser

FULL = "The class server is full — try again in a minute."
CULL_S = 4  # idle timeout of the culling server (serve uses serve.CULL_IDLE_TIMEOUT)


@pytest.fixture(scope="module")
def capped_voila(start_voila):
    """As ``serve --class`` starts it (a preheated pool), with room for 2 kernels in all."""
    with start_voila(pool_size=1, max_kernels=2) as server:
        yield server


@pytest.fixture(scope="module")
def capped_culling_voila(start_voila):
    """Room for one kernel, no pool, culling after 4 s idle without a page, checked every second."""
    with start_voila(pool_size=0, max_kernels=1, cull_idle_timeout=CULL_S, cull_interval=1) as server:
        yield server


def expect_full_page(page: Page, url: str) -> None:
    """Open ``url`` and check the student sees the "full" page, with status 503."""
    response = page.goto(url)
    assert response is not None and response.status == 503
    expect(page.locator("h1")).to_have_text(FULL)
    expect(page.locator("body")).to_contain_text("tries again by itself")
    expect(page.locator(".bpw-dashboard")).to_have_count(0)


def test_the_page_past_the_cap_says_the_server_is_full(browser, browser_context_args, capped_voila):
    context = browser.new_context(**browser_context_args)
    try:
        first = open_dashboard(context.new_page(), capped_voila.url)  # the preheated kernel
        second = open_dashboard(context.new_page(), capped_voila.url)  # the pool's refill
        assert kernels_of(capped_voila.pid) == {page_kernel(first), page_kernel(second)}
        third = context.new_page()
        expect_full_page(third, capped_voila.url)
        assert len(kernels_of(capped_voila.pid)) == 2, "the cap was exceeded"

        gone = page_kernel(first)
        first.close(run_before_unload=True)  # a student closes the tab: the kernel is freed
        poll(
            lambda: kernels_of(capped_voila.pid), lambda k: gone not in k, FREED_S, "kernels alive after closing a page"
        )
        third.reload()  # what the full page does by itself after a minute
        expect(third.locator(PANEL_MATH).first).to_be_attached(timeout=FIRST_RENDER_MS)
        assert kernels_of(capped_voila.pid) == {page_kernel(second), page_kernel(third)}
    finally:
        context.close()


def test_a_crashed_tab_makes_room_once_culled(browser, browser_context_args, capped_culling_voila):
    server = capped_culling_voila
    context = browser.new_context(**browser_context_args)
    try:
        crashed = open_dashboard(context.new_page(), server.url)
        lost = page_kernel(crashed)
        waiting = context.new_page()
        expect_full_page(waiting, server.url)
        crashed.close()  # no beforeunload, hence no shutdown request: only culling frees it
        poll(
            lambda: kernels_of(server.pid),
            lambda k: lost not in k,
            CULL_S + FREED_S,
            "kernel of a tab closed without a shutdown request",
        )
        assert re.search(rf"Culling .*{lost}", server.log.read_text())
        open_dashboard(waiting, server.url)
    finally:
        context.close()
