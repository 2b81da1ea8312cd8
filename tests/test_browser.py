"""Real-browser tests: Playwright drives Debian chromium against the dashboard served by Voila
(standalone, as ``backprop-widgets serve`` runs it), by the Binder route, and in JupyterLab.

Selectors are the dashboard's DOM contract (CSS classes set with ``add_class``): ``.bpw-diagram``
(an ``img``), ``.bpw-panel`` (HTML whose maths is MathML), ``.bpw-step-title``, ``.bpw-next``, ``.bpw-param-<name>``
rows with ``.bpw-text input``, ``.bpw-slider`` and ``.bpw-error``, ``.bpw-loss-value``.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from backprop_widgets import seed_example

from pages import (
    FIRST_RENDER_MS,
    MATHML_COLOURS,
    PANEL_MATH,
    UPDATE_MS,
    diagram,
    has_area,
    open_dashboard,
    open_in_jupyterlab,
    param_row,
    picture,
    run_all_cells,
)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "notebooks" / "images"
# The four roles of the colour code as text (Okabe–Ito's hues, darker): inputs, weights, activations,
# errors.
COLOURS = {
    "#966500": "rgb(150, 101, 0)",
    "#004174": "rgb(0, 65, 116)",
    "#277D5E": "rgb(39, 125, 94)",
    "#871F26": "rgb(135, 31, 38)",
}


def test_page_shows_diagram_and_panel(page: Page, voila_url: str, tmp_path):
    open_dashboard(page, voila_url)
    # laid out side by side with real area, not merely present in the DOM (recipe pitfall 3)
    assert has_area(diagram(page)), diagram(page).bounding_box()
    assert has_area(page.locator(".bpw-panel").first), page.locator(".bpw-panel").first.bounding_box()
    expect(page.locator(".bpw-step-title")).to_contain_text(re.compile(r"Step 1 of \d+"))
    expect(page.locator(".bpw-loss-value")).to_contain_text("L =")
    page.screenshot(path=tmp_path / "dashboard.png")


def test_panel_maths_is_mathml_in_the_colour_code(page: Page, voila_url: str):
    """The panel's maths is MathML from the kernel, drawn by the browser: no MathJax pass."""
    open_dashboard(page, voila_url)
    panel = page.locator(".bpw-panel").first
    # nothing left untypeset: no raw TeX in the text
    assert "\\color" not in panel.inner_text() and "$" not in panel.inner_text()
    assert panel.locator("mjx-container").count() == 0
    assert panel.locator(".bpw-piece").count() == panel.locator(".bpw-piece > math").count() > 5
    colours = set(panel.evaluate(MATHML_COLOURS))
    assert colours & set(COLOURS.values()), f"no colour of the code among {colours}"


def test_typing_a_weight_updates_panel_and_diagram(page: Page, voila_url: str):
    open_dashboard(page, voila_url)
    panel, loss = page.locator(".bpw-panel").first, page.locator(".bpw-loss-value")
    old_panel, old_src = panel.inner_text(), picture(page)
    net, x, y = seed_example()
    new_loss = net.with_param("w1,1,1", 0.5).loss_value(x, y)
    assert f"{new_loss:.4f}" != f"{net.loss_value(x, y):.4f}"

    field = param_row(page, "w1-1-1").locator(".bpw-text input")
    field.fill("0.5")
    field.press("Enter")  # continuous_update=False: the value is sent on Enter

    expect(loss).to_contain_text(f"{new_loss:.4f}", timeout=UPDATE_MS)
    page.wait_for_function("([old]) => document.querySelector('.bpw-diagram').innerHTML !== old", arg=[old_src])
    page.wait_for_function(  # the panel's numbers changed (its MathML replaced)
        "([old]) => { const p = document.querySelector('.bpw-panel');"
        " return p.innerText !== old && p.querySelector('math'); }",
        arg=[old_panel],
    )
    expect(field).to_have_value("0.5")


def test_next_changes_step_and_highlight(page: Page, voila_url: str):
    open_dashboard(page, voila_url)
    title = page.locator(".bpw-step-title")
    expect(title).to_contain_text("Step 1 of")
    old_title, old_src = title.inner_text(), picture(page)
    old_panel = page.locator(".bpw-panel").first.inner_text()

    page.locator(".bpw-next button, button.bpw-next").first.click()

    expect(title).to_contain_text("Step 2 of", timeout=UPDATE_MS)
    assert title.inner_text() != old_title
    page.wait_for_function(  # new highlight → new picture
        "([old]) => document.querySelector('.bpw-diagram').innerHTML !== old", arg=[old_src]
    )
    expect(page.locator(".bpw-panel").first).not_to_have_text(old_panel)


def test_clicking_an_edge_traces_its_weight(page: Page, voila_url: str):
    """ipyevents reports the click; the nearest edge's weight becomes the target (BP3 shown)."""
    import numpy as np

    from backprop_widgets.draw.diagram import NetworkDiagram

    open_dashboard(page, voila_url)
    d = NetworkDiagram([3, 2, 2, 1])  # same default size as the dashboard's
    (u, v) = next(e for e, p in zip(d.edgelist, d.params) if str(p) == "w2,2,1")
    fx, fy = d.drawing.ax.transData.transform((np.array(d.drawing.pos[u]) + np.array(d.drawing.pos[v])) / 2)
    fx, fy = fx / d.drawing.figure.bbox.width, fy / d.drawing.figure.bbox.height
    box = diagram(page).bounding_box()
    page.mouse.click(box["x"] + fx * box["width"], box["y"] + (1 - fy) * box["height"])
    expect(page.locator(".bpw-step-title")).to_contain_text("BP3", timeout=UPDATE_MS)
    expect(page.locator(".bpw-check-value")).to_contain_text("w₂,₁⁽²⁾")
    # its layer's section opens and its row comes into view
    expect(page.locator(".bpw-param-w2-2-1")).to_be_in_viewport(timeout=UPDATE_MS)


def test_bad_input_shows_a_message_and_keeps_the_value(page: Page, voila_url: str):
    open_dashboard(page, voila_url)
    row = param_row(page, "w1-1-1")
    loss = page.locator(".bpw-loss-value")
    old_loss, old_panel = loss.inner_text(), page.locator(".bpw-panel").first.inner_text()
    old_src = picture(page)

    field = row.locator(".bpw-text input")
    old_text = field.input_value()
    field.fill("abc")
    field.press("Enter")

    message = row.locator(".bpw-error")
    expect(message).to_be_visible(timeout=UPDATE_MS)
    expect(message).not_to_have_text(re.compile(r"^\s*$"))
    # the kernel has answered (the message came from it); nothing else moved
    assert loss.inner_text() == old_loss
    assert page.locator(".bpw-panel").first.inner_text() == old_panel
    assert picture(page) == old_src
    expect(field).to_have_value(old_text)  # the field shows the value the network holds

    # and a good value afterwards is accepted and clears the message
    field.fill("0.2")
    field.press("Enter")
    expect(loss).not_to_have_text(old_loss, timeout=UPDATE_MS)
    expect(message.filter(visible=True).filter(has_text=re.compile(r"\S"))).to_have_count(0)


def test_binder_route_renders_latex(page: Page, binder_voila_url: str):
    """/voila/render/... from the Binder venv after binder/postBuild. The step panel, the
    notation tab and practice mode's lines are MathML made in the kernel in the colour code: no
    MathJax pass and no raw $\\color...$ text anywhere (postBuild still points the route at
    Voila's bundled MathJax, so nothing would load it from a CDN)."""
    open_dashboard(page, binder_voila_url)
    panel = page.locator(".bpw-panel").first
    assert "\\color" not in panel.inner_text()
    assert set(panel.evaluate(MATHML_COLOURS)) & set(COLOURS.values())
    assert has_area(diagram(page))
    page.locator(".bpw-tabs .lm-TabBar-tab", has_text="Notation").click()
    notation = page.locator(".bpw-notation").first
    expect(notation.locator("math").first).to_be_visible(timeout=UPDATE_MS)
    assert "\\color" not in notation.inner_text()
    assert set(notation.evaluate(MATHML_COLOURS)) & set(COLOURS.values())
    page.locator(".bpw-mode button", has_text="Practice").click()
    page.locator(".bpw-next button, button.bpw-next").first.click()  # a step that asks
    question = page.locator(".bpw-practice").first
    expect(question.locator("math").first).to_be_attached(timeout=UPDATE_MS)
    assert "\\color" not in question.inner_text()
    assert set(question.evaluate(MATHML_COLOURS)) & set(COLOURS.values())
    assert question.locator("mjx-container").count() == 0


def test_jupyterlab_runs_the_walkthrough(page: Page, lab_url: str):
    """JupyterLab opens notebooks/walkthrough.ipynb, runs every cell, and the dashboard renders."""
    t0 = time.monotonic()
    open_in_jupyterlab(page, lab_url, "notebooks/walkthrough.ipynb")
    t_lab = time.monotonic() - t0
    run_all_cells(page)
    dash = page.locator(".jp-NotebookPanel .bpw-dashboard")
    expect(dash.locator(PANEL_MATH).first).to_be_attached(timeout=FIRST_RENDER_MS)
    assert has_area(dash.locator(".bpw-diagram svg, .bpw-diagram img").first)
    errors = page.locator(".jp-NotebookPanel .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    tracebacks = [t for t in errors.all_inner_texts() if "Traceback" in t or "Error" in t]
    assert not tracebacks, tracebacks
    print(f"JupyterLab: ready {t_lab:.1f} s, run-all → dashboard {time.monotonic() - t0 - t_lab:.1f} s")


@pytest.mark.parametrize("width,height", [(1366, 768), (1920, 1080)])
def test_readme_screenshot(page: Page, voila_url: str, width: int, height: int):
    """The README's pictures. Written to test-results/ every run; to replace the committed
    notebooks/images/dashboard-<width>.png run with UPDATE_SCREENSHOT=1."""
    page.set_viewport_size({"width": width, "height": height})
    open_dashboard(page, voila_url)
    page.wait_for_timeout(500)  # let the fonts settle
    out = ROOT / "test-results" / f"dashboard-{width}.png"
    out.parent.mkdir(exist_ok=True)
    page.screenshot(path=out)
    assert out.stat().st_size > 10_000
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out, SCREENSHOTS / out.name)
