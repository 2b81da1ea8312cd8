"""A class server at its kernel cap, in a real browser: the student one too many gets a page
saying the server is full (HTTP 503) at once, not a blank or endless page; a closed page frees
its kernel at any fill level, or a crashed tab's once idle culling frees it; and the pool of
preheated kernels refills as soon as there is room, so the next student gets a preheated page.

The servers are started as ``backprop-widgets serve --class`` starts Voila (serve's own command
builder, via conftest's ``start_voila``), for a class of 2 or 3, or with a cap of 2 or 1.

A page is preheated when its kernel was alive before the page was asked for, and Voila started
it for the pool: with ``VOILA_PREHEAT=True`` in its environment (a page's own kernel: ``False``),
read from /proc like the kernels themselves (standalone Voila lists no kernels).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from backprop_widgets.cli import serve

from pages import FIRST_RENDER_MS, PANEL_MATH, open_dashboard
from test_browser_server import FREED_S, kernels_of, page_kernel, poll, shutdown_refusals

pytestmark = pytest.mark.browser

FULL = "The class server is full — try again in a minute."
# idle timeout of the culling server (serve uses serve.CULL_IDLE_TIMEOUT): longer than a busy
# machine may take between the notebook's end and the page's connection, which saves a kernel
CULL_S = 60
# the pool starts kernels and runs the notebook in each: generous on a busy 2-core machine
POOL_S = 2 * serve.EXECUTOR_STARTUP_TIMEOUT


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


@pytest.fixture(scope="module")
def class_of_2(start_voila):
    """``serve --class 2``: 2 preheated kernels, at most 4."""
    plan = serve.class_plan(2)
    with start_voila(pool_size=plan.pool_size, max_kernels=plan.max_kernels) as server:
        yield server


def kernel_environ(server_pid: int, kernel_id: str) -> dict[str, str]:
    """The environment the server started the kernel ``kernel_id`` with."""
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and f"kernel-{kernel_id}.json".encode() in (proc / "cmdline").read_bytes():
                if int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1]) == server_pid:
                    pairs = (proc / "environ").read_bytes().decode(errors="replace").split("\0")
                    return dict(p.split("=", 1) for p in pairs if "=" in p)
        except (OSError, ValueError):  # the process ended while we read it
            continue
    raise AssertionError(f"no kernel {kernel_id} of server {server_pid}")


def pool_ready(server, size: int, gone: set[str] = frozenset()) -> set[str]:
    """Wait until the server runs exactly ``size`` kernels, none of ``gone``, all preheated."""
    return poll(
        lambda: kernels_of(server.pid),
        lambda k: len(k) == size and not k & gone and all(preheated(server, kid) for kid in k),
        POOL_S + FREED_S,
        f"the kernels of a pool of {size} (without the {len(gone)} closed pages')",
    )


def preheated(server, kernel_id: str) -> bool:
    try:
        return kernel_environ(server.pid, kernel_id).get("VOILA_PREHEAT") == "True"
    except AssertionError:  # gone meanwhile
        return False


def expect_preheated_page(context: BrowserContext, server) -> Page:
    """The next student: the dashboard, on a kernel that the pool started before they came."""
    before = kernels_of(server.pid)
    page = open_dashboard(context.new_page(), server.url)
    kernel = page_kernel(page)
    assert kernel in before, f"a cold start: kernel {kernel} was not among the pool's {before}"
    assert kernel_environ(server.pid, kernel)["VOILA_PREHEAT"] == "True"
    return page


def class_context(browser: Browser, browser_context_args: dict) -> BrowserContext:
    """The students' browser. A page loads while its notebook runs (a cold one: its kernel
    starts first): on a busy machine that takes longer than Playwright's 30 s default."""
    context = browser.new_context(**browser_context_args)
    context.set_default_navigation_timeout(FIRST_RENDER_MS)
    return context


def close_all(pages: list[Page]) -> None:
    """As students closing their tabs: each page asks the server to shut its kernel down."""
    for page in pages:
        page.close(run_before_unload=True)


def expect_full_page(page: Page, url: str) -> None:
    """Open ``url`` and check the student sees the "full" page, with status 503."""
    response = page.goto(url)
    assert response is not None and response.status == 503
    expect(page.locator("h1")).to_have_text(FULL)
    expect(page.locator("body")).to_contain_text("tries again by itself")
    expect(page.locator(".bpw-dashboard")).to_have_count(0)


def test_the_page_past_the_cap_says_the_server_is_full(browser, browser_context_args, capped_voila):
    context = class_context(browser, browser_context_args)
    try:
        pool_ready(capped_voila, 1)
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
        # the pool refills as soon as there is room: the next student's page is preheated
        pool_ready_beside = poll(
            lambda: kernels_of(capped_voila.pid) - {page_kernel(second)},
            lambda k: len(k) == 1 and all(preheated(capped_voila, kid) for kid in k),
            POOL_S,
            "the pool's kernel after a page closed at the cap",
        )
        third.reload()  # what the full page does by itself after a minute
        expect(third.locator(PANEL_MATH).first).to_be_attached(timeout=FIRST_RENDER_MS)
        assert kernels_of(capped_voila.pid) == {page_kernel(second), page_kernel(third)}
        assert {page_kernel(third)} == pool_ready_beside
    finally:
        context.close()


def test_a_crashed_tab_makes_room_once_culled(browser, browser_context_args, capped_culling_voila):
    server = capped_culling_voila
    context = class_context(browser, browser_context_args)
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


def test_a_full_class_that_leaves_frees_every_kernel_and_the_pool_refills(browser, browser_context_args, class_of_2):
    """``serve --class 2``: 4 students fill the cap, a fifth gets the "full" page; all close
    their tabs. Every kernel is freed (no close refused), the pool is preheated again, and the
    next student gets a preheated dashboard."""
    server, plan = class_of_2, serve.class_plan(2)
    context = class_context(browser, browser_context_args)
    try:
        pool_ready(server, plan.pool_size)
        pages = [open_dashboard(context.new_page(), server.url) for _ in range(plan.max_kernels)]
        full = context.new_page()
        expect_full_page(full, server.url)
        taken = {page_kernel(p) for p in pages}
        assert kernels_of(server.pid) == taken and len(taken) == plan.max_kernels
        close_all([full, *pages])
        pool_ready(server, plan.pool_size, gone=taken)
        assert not shutdown_refusals(server.log)
        close_all([expect_preheated_page(context, server)])  # the server serves the next test too
    finally:
        context.close()


def test_after_a_burst_of_2n_page_loads_the_class_is_freed_and_preheated(browser, browser_context_args, class_of_2):
    """``serve --class 2``: 4 page loads at once, as many as the cap (the pool's refills
    included: on the old code every refill past them was refused and kept in Voila's pool). All
    close: every kernel is freed, no close refused, and the next page is preheated."""
    server, plan = class_of_2, serve.class_plan(2)
    context = class_context(browser, browser_context_args)
    try:
        pool_ready(server, plan.pool_size)
        pages = [context.new_page() for _ in range(2 * 2)]
        for page in pages:  # navigate all without waiting for any
            page.evaluate("url => { window.location.href = url }", server.url)
        dashboard_or_full = f"{PANEL_MATH}, h1#server-full"
        for page in pages:
            expect(page.locator(dashboard_or_full).first).to_be_attached(timeout=2 * FIRST_RENDER_MS)
        served = [p for p in pages if p.locator(PANEL_MATH).count()]
        taken = {page_kernel(p) for p in served}
        # (a page that asked for a kernel of its own while the pool was being refilled gets the
        # "full" page, and a kernel waits in the pool; it tries again by itself)
        alive = kernels_of(server.pid)
        assert served and taken <= alive and len(alive) <= plan.max_kernels, (len(served), alive)
        close_all([p for p in pages if p not in served] + served)
        pool_ready(server, plan.pool_size, gone=taken)
        assert not shutdown_refusals(server.log)
        close_all([expect_preheated_page(context, server)])  # the server serves the next test too
    finally:
        context.close()
