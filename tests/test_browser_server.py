"""What the server does for a class, in a real browser: every closed or reloaded page frees its
kernel, idle-kernel culling catches a page that never said goodbye, the page loads with every
host but the server blocked, and neither the console nor the server log warns.

Kernels of standalone Voila are counted from /proc: it has no API that lists kernels (only
``/api/kernels/<id>``), and its kernels are its child processes, each started with its
connection file ``kernel-<id>.json``. The Binder route (Voila inside ``jupyter server``) has
the server's own ``GET /api/kernels``.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from playwright.sync_api import Page, expect

from backprop_widgets.cli import serve

from pages import FIRST_RENDER_MS, PANEL_MATH, loopback_only, open_dashboard

pytestmark = pytest.mark.browser

T = TypeVar("T")
RELOADS = 10
FREED_S = 20.0  # a closed page's kernel goes within this (measured: under 1 s)
# idle timeout of the culling test's own server (serve uses serve.CULL_IDLE_TIMEOUT): longer than
# a busy machine may take between the notebook's end and the page's connection (at 4 s, a page
# still loading lost its kernel to the culler under a load average of 20)
CULL_S = 60
# Warnings no setting removes (README, "Serving a class"): Voila 0.5.13's page provides
# JupyterLab 4.2.5's packages to its extensions, but two of them were built against newer ones
# and ask for them: Voila's own widget manager (@voila-dashboards/widgets-manager8, 4 of
# ^x.5.10) and JupyterLab's widget manager from jupyterlab_widgets 3.0.17 (9 of ^x.6.2), the
# version ipywidgets 8.1.9 requires. Neither is strict: the page works with 4.2.5.
VERSION_MISMATCH = re.compile(r"(Unsatisfied|No satisfying) version .*shared")
EXPLAINED_MISMATCH = re.compile(
    r"@jupyterlab/[a-z-]+.*\^\d+\.(5\.10|6\.2)\)"
    r"|\(\^\d+\.(5\.10|6\.2)\) of shared module @jupyterlab/"
)
EXPLAINED_COUNT = 4 + 9


def poll(probe: Callable[[], T], done: Callable[[T], bool], timeout: float, what: str) -> T:
    """Call ``probe`` every 0.2 s until ``done`` accepts its value; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not done(value := probe()):
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: still {value!r} after {timeout:.0f} s")
        time.sleep(0.2)
    return value


def kernels_of(pid: int) -> set[str]:
    """Ids of the live kernels that the Voila process ``pid`` started (its ipykernel children)."""
    ids = set()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            state, ppid = (proc / "stat").read_text().rsplit(")", 1)[1].split()[:2]
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError):  # the process ended while we read it
            continue
        m = re.search(r"kernel-([0-9a-f-]{36})\.json", cmdline)
        if int(ppid) == pid and state != "Z" and m:
            ids.add(m.group(1))
    return ids


def kernels_listed(api: str) -> set[str]:
    """Ids of the kernels a jupyter server lists at ``api`` (``.../api/kernels``)."""
    with urllib.request.urlopen(api, timeout=10) as resp:
        return {k["id"] for k in json.load(resp)}


def page_kernel(page: Page) -> str:
    """The id of the kernel behind the page (Voila writes it into the page config)."""
    return page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def reload_dashboard(page: Page) -> None:
    page.reload()  # beforeunload: the page asks the server to shut its kernel down
    expect(page.locator(PANEL_MATH).first).to_be_attached(timeout=FIRST_RENDER_MS)


def shutdown_refusals(log: Path) -> list[str]:
    """Shutdown requests the server answered with an error: 403 (no ``_xsrf`` cookie), or 503 (a
    refused pool refill re-raised by Voila's ``shutdown_kernel``); tornado logs "503 POST …"."""
    return [line for line in log.read_text().splitlines() if re.search(r"\b[45]\d\d POST /voila/api/shutdown/", line)]


@pytest.fixture(autouse=True)
def patient_navigation(request):
    """A page loads while its notebook runs (a cold one: its kernel starts first): on a busy
    machine that takes longer than Playwright's 30 s default for ``goto`` and ``reload``."""
    if "page" in request.fixturenames:
        request.getfixturevalue("page").set_default_navigation_timeout(FIRST_RENDER_MS)


@pytest.fixture(scope="module")
def own_voila(start_voila):
    """A Voila of this module's own, as ``serve`` starts it: no other test's page has a kernel
    there."""
    with start_voila() as server:
        yield server


@pytest.fixture(scope="module")
def culling_voila(start_voila):
    """As ``serve`` starts it, but with a 4 s idle timeout checked every second."""
    with start_voila(cull_idle_timeout=CULL_S, cull_interval=1) as server:
        yield server


def test_reloads_and_closing_the_page_free_their_kernels(page: Page, own_voila):
    open_dashboard(page, own_voila.url)
    seen = [page_kernel(page)]
    for _ in range(RELOADS):
        reload_dashboard(page)
        seen.append(page_kernel(page))
    current, gone = seen[-1], set(seen[:-1])
    assert len(gone) == RELOADS, f"each load has a kernel of its own: {seen}"
    alive = poll(
        lambda: kernels_of(own_voila.pid),
        lambda k: not k & gone,
        FREED_S,
        f"kernels alive after {RELOADS} reloads ({len(gone)} of them closed pages)",
    )
    # the open page's kernel, and the preheated one that waits for the next visitor
    assert current in alive and len(alive) <= 1 + serve.POOL_SIZE, alive

    page.close(run_before_unload=True)  # as when a student closes the tab
    poll(
        lambda: kernels_of(own_voila.pid),
        lambda k: current not in k and len(k) <= serve.POOL_SIZE,
        FREED_S,
        "kernels alive after closing the page",
    )
    assert not shutdown_refusals(own_voila.log)


def test_culling_frees_a_page_that_never_said_goodbye(browser, browser_context_args, culling_voila):
    context = browser.new_context(**browser_context_args)
    context.set_default_navigation_timeout(FIRST_RENDER_MS)
    try:
        kept = context.new_page()
        open_dashboard(kept, culling_voila.url)
        lost = context.new_page()  # opened later, so idle for less time than `kept`
        open_dashboard(lost, culling_voila.url)
        kept_id, lost_id = page_kernel(kept), page_kernel(lost)
        lost.close()  # no beforeunload, hence no shutdown request: a crashed tab, a lost beacon
        alive = poll(
            lambda: kernels_of(culling_voila.pid),
            lambda k: lost_id not in k,
            CULL_S + FREED_S,
            "kernel of the page closed without a shutdown request",
        )
        assert re.search(rf"Culling .*{lost_id}", culling_voila.log.read_text())
        # idle for longer than the lost page, but its page is still open (connected): kept
        assert kept_id in alive
    finally:
        context.close()


@pytest.mark.parametrize("route", ["voila_url", "binder_voila_url"])
def test_page_loads_with_every_other_host_blocked(browser, browser_context_args, request, route):
    url = request.getfixturevalue(route)
    context = browser.new_context(**browser_context_args)
    context.set_default_navigation_timeout(FIRST_RENDER_MS)
    attempted = loopback_only(context)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        open_dashboard(page, url)
        page.evaluate("() => document.fonts.ready.then(() => true)")
        # Button icons (icon="random", ...) are Font Awesome glyphs: the font comes from the server
        icons = page.evaluate("""() => [...document.querySelectorAll('.widget-button i.fa')]
            .map(i => getComputedStyle(i, '::before').content)""")
        awesome = page.evaluate("""() => [...document.fonts]
            .filter(f => f.family.includes('Font Awesome') && f.status === 'loaded').length""")
        assert all(c not in ("none", "normal", '""') for c in icons), icons
        assert not icons or awesome, "icons shown but no Font Awesome font loaded"
        assert attempted == []
        assert errors == []
    finally:
        context.close()


def test_console_and_server_log_do_not_warn(page: Page, voila_server):
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    open_dashboard(page, voila_server.url)
    mismatches = [w for w in warnings if VERSION_MISMATCH.search(w)]
    assert [w for w in mismatches if not EXPLAINED_MISMATCH.search(w)] == []
    assert len(mismatches) <= EXPLAINED_COUNT, mismatches
    log = voila_server.log.read_text()
    assert "is not trusted" not in log, [x for x in log.splitlines() if "trusted" in x]


def test_binder_route_frees_kernels(page: Page, binder_voila_url):
    api = binder_voila_url.split("/voila/")[0] + "/api/kernels"
    open_dashboard(page, binder_voila_url)
    first = page_kernel(page)
    reload_dashboard(page)
    second = page_kernel(page)
    poll(lambda: kernels_listed(api), lambda k: first not in k, FREED_S, "kernels listed after a reload")
    page.close(run_before_unload=True)
    poll(lambda: kernels_listed(api), lambda k: second not in k, FREED_S, "kernels listed after closing the page")


def test_the_serve_command_gives_a_preheated_page_the_dashboard(page: Page, tmp_path):
    """`backprop-widgets serve` itself (the packaged notebook, a preheated kernel): the first
    student gets the kernel that ran the notebook before they came, and sees the dashboard, not
    a traceback."""
    import subprocess
    import sys

    log = tmp_path / "serve.log"
    with open(log, "w") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "backprop_widgets", "serve", "--port", "0", "--no-browser"],
            stdout=fh,
            stderr=subprocess.STDOUT,
        )
    try:
        url = poll(lambda: re.search(r"dashboard: (http://127\.0\.0\.1:\d+/)", log.read_text()), bool, 90, "the URL")
        poll(lambda: "Kernel pool of app.ipynb is filled" in log.read_text(), bool, 120, "the preheated kernel")
        open_dashboard(page, url.group(1))
        expect(page.locator(".bpw-loss-value").first).to_contain_text("0.0611")
        assert "Using pre-heated kernel" in log.read_text()
        assert "Traceback" not in page.locator("body").inner_text()
    finally:
        proc.terminate()
        proc.wait(timeout=60)
