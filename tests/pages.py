"""What a student sees, for the browser tests: open the dashboard, find a value's row, the
diagram. Selectors are the dashboard's DOM contract (CSS classes set with ``add_class``)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Locator, Page, Route, expect

#: how much slower than an idle machine this one is now: waits are ceilings, not measurements,
#: and a machine at load 20 on 2 cores (CI beside other jobs) needs them ~10× longer
PATIENCE = min(10.0, max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1)))
FIRST_RENDER_MS = round(90_000 * PATIENCE)  # kernel start + notebook execution happen inside this wait
UPDATE_MS = round(15_000 * PATIENCE)
DEFAULT_MS = round(30_000 * PATIENCE)  # Playwright's own default, for every other wait

#: the step panel's maths: MathML made in the kernel, which the browser draws (no MathJax)
PANEL_MATH = ".bpw-panel math"
# MathML: \color became mathcolor; report every colour drawn under a locator.
MATHML_COLOURS = """(root) => [...root.querySelectorAll('math [mathcolor]')]
    .map(e => getComputedStyle(e).color)"""


def open_dashboard(page: Page, url: str) -> Page:
    """Load the page and wait until diagram and panel are painted (the panel's maths drawn)."""
    page.goto(url)
    expect(page.locator(PANEL_MATH).first).to_be_attached(timeout=FIRST_RENDER_MS)
    expect(diagram(page)).to_be_visible()
    return page


def diagram(page: Page) -> Locator:
    """The diagram: inline SVG (or, for large nets, a PNG image)."""
    return page.locator(".bpw-diagram svg, .bpw-diagram img").first


def picture(page: Page) -> str:
    """What the diagram shows now, to compare before and after a change."""
    return page.locator(".bpw-diagram").first.inner_html()


def param_row(page: Page, name: str) -> Locator:
    """The row of one value, its accordion section opened if it is folded away."""
    row = page.locator(f".bpw-param-{name}").first
    expect(row).to_be_attached()
    if not row.is_visible():
        header = page.locator("[class*='Collapse']", has=row).locator("[class*='Collapse-header']")
        header.last.click()
        expect(row).to_be_visible()
    return row


def has_area(loc: Locator) -> bool:
    box = loc.bounding_box()
    return bool(box and box["width"] > 10 and box["height"] > 10)


def open_in_jupyterlab(page: Page, lab_url: str, path: str) -> None:
    """Open a notebook in JupyterLab and wait until it is the current document and its kernel is
    idle (run-all before that may drop cells). The current document is checked by its path:
    JupyterLab first restores the notebooks an earlier test left open, and one of those, idle,
    is current for a moment, while this notebook's kernel is still starting."""
    page.goto(f"{lab_url}/tree/{path}")
    page.wait_for_function(
        "path => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " return w && w.context && w.context.path === path && w.sessionContext"
        " && w.sessionContext.isReady && w.sessionContext.session"
        " && w.sessionContext.session.kernel.status === 'idle'; }",
        arg=path,
        timeout=FIRST_RENDER_MS,
        polling=100,
    )


def run_all_cells(page: Page) -> None:
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")


def loopback_only(context: BrowserContext) -> list[str]:
    """Refuse every request of ``context`` to a host other than 127.0.0.1 (a classroom behind a
    firewall); returns the list the refused URLs are added to."""
    attempted: list[str] = []

    def route(r: Route) -> None:
        parts = urlsplit(r.request.url)
        if parts.scheme in ("http", "https") and parts.hostname != "127.0.0.1":
            attempted.append(r.request.url)
            r.abort()
        else:
            r.continue_()

    context.route("**/*", route)
    return attempted


def screenshot(page: Page, name: str) -> None:
    """A README picture: kept in test-results/, copied into notebooks/images with UPDATE_SCREENSHOT=1."""
    root = Path(__file__).resolve().parents[1]
    out = root / "test-results" / name
    out.parent.mkdir(exist_ok=True)
    page.screenshot(path=out)
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(out, root / "notebooks" / "images" / name)
