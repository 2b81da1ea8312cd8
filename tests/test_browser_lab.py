"""The notebooks in JupyterLab: opening one (its kernel started and idle) leaves it unmodified,
so a student who only reads it is never asked to save it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Page, expect

from pages import FIRST_RENDER_MS, open_in_jupyterlab, run_all_cells

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]

DIRTY = "() => window.jupyterapp.shell.currentWidget.context.model.dirty"
METADATA = "() => window.jupyterapp.shell.currentWidget.context.model.sharedModel.getMetadata()"


@pytest.mark.parametrize("path", ["notebooks/walkthrough.ipynb", "notebooks/dashboard.ipynb"])
def test_opening_a_notebook_does_not_modify_it(page: Page, own_lab_url: str, path: str):
    open_in_jupyterlab(page, own_lab_url, path)
    page.wait_for_timeout(1000)  # the kernel's info reply and spec arrive after idle
    assert page.evaluate(DIRTY) is False, page.evaluate(METADATA)


# A student's backward with σ′ left out of BP1 and BP2 (the mistake 'missing_sigma_prime')
BUGGY = """import numpy as np

from backprop_widgets import check_backprop


def backward(weights, biases, x, y):
    a, zs = [x], []
    for W, b in zip(weights, biases):
        zs.append(W @ a[-1] + b)
        a.append(1 / (1 + np.exp(-zs[-1])))
    delta = [a[-1] - y]  # σ′(z⁽ᴸ⁾) left out
    for W in weights[:0:-1]:
        delta.insert(0, W.T @ delta[0])  # and here
    return [np.outer(d, a_) for d, a_ in zip(delta, a)], delta"""


def test_check_backprop_shows_its_widget_and_opens_the_step(page: Page, own_lab_url: str):
    """``check_backprop(buggy)`` as a cell: the verdict and the first wrong number (the seed
    page's δ⁽³⁾ = −0.0794357; without σ′, a⁽³⁾ − y = 0.650569 − 1), then the widget: the diagram,
    and "Show this step", which opens the dashboard on BP1's step below."""
    path = ROOT / "test-results" / "check-report.ipynb"  # ignored: JupyterLab autosaves outputs
    path.parent.mkdir(exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(BUGGY), nbformat.v4.new_code_cell("check_backprop(backward)")]
    # the kernel to start (without one, JupyterLab asks which, and no kernel starts)
    nb.metadata.kernelspec = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nbformat.write(nb, path)
    page.set_default_navigation_timeout(FIRST_RENDER_MS)
    open_in_jupyterlab(page, own_lab_url, "test-results/check-report.ipynb")
    run_all_cells(page)
    verdict = page.locator(".jp-NotebookPanel .bpw-check").first  # the report's HTML output
    expect(verdict.locator("p").first).to_have_text("✗ Not yet", timeout=FIRST_RENDER_MS)
    expect(verdict.locator("mark")).to_have_text("∂L/∂b⁽³⁾[0]: expected -0.0794357, got -0.349431 on the seed network")
    report = page.locator(".jp-NotebookPanel .bpw-check-report").first  # the widget below it
    expect(report.locator(".bpw-check-diagram svg")).to_be_visible(timeout=FIRST_RENDER_MS)
    expect(report.locator(".bpw-check-caption")).to_contain_text("marked in red")
    # the README's picture: the cell's two outputs, before the step opens
    page.add_style_tag(content=".Toastify { display: none !important; }")  # JupyterLab's news toast
    page.set_viewport_size({"width": 1000, "height": 1100})
    shot = ROOT / "test-results" / "check-report.png"
    cell = page.locator(".jp-Cell", has=page.locator(".bpw-check-report")).first  # other notebooks are open
    cell.locator(".jp-OutputArea").screenshot(path=shot)
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(shot, ROOT / "notebooks" / "images" / "check-report.png")
    report.locator(".bpw-show-step").click()
    title = report.locator(".bpw-check-step .bpw-step-title")
    expect(title).to_contain_text("BP1 · output error δ⁽³⁾", timeout=FIRST_RENDER_MS)
