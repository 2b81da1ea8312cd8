"""The notebooks in JupyterLab: opening one (its kernel started and idle) leaves it unmodified,
so a student who only reads it is never asked to save it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from pages import open_in_jupyterlab

pytestmark = pytest.mark.browser

DIRTY = "() => window.jupyterapp.shell.currentWidget.context.model.dirty"
METADATA = "() => window.jupyterapp.shell.currentWidget.context.model.sharedModel.getMetadata()"


#: counts the kernel's connection changes from now on (a drop and reconnect on a loaded machine)
WATCH = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  window.__drops = 0;
  w.sessionContext.session.kernel.connectionStatusChanged.connect((_, s) => {
    if (s !== "connected") window.__drops += 1;
  });
}"""
#: reread from disk: what a reconnect wrote into the model is dropped, and dirty is false again
REVERT = "() => window.jupyterapp.shell.currentWidget.context.revert()"


@pytest.mark.parametrize("path", ["notebooks/walkthrough.ipynb", "notebooks/dashboard.ipynb"])
def test_opening_a_notebook_does_not_modify_it(page: Page, own_lab_url: str, path: str):
    open_in_jupyterlab(page, own_lab_url, path)
    for _ in range(3):
        page.evaluate(WATCH)
        page.wait_for_timeout(1000)  # the kernel's info reply and spec arrive after idle
        if page.evaluate("() => window.__drops") == 0:
            break
        # The kernel's connection dropped (a machine loaded to 6 per core does that):
        # JupyterLab then blanks the kernelspec while it reconnects. Not the notebook's doing:
        # read it again once the kernel is back, and look again.
        page.evaluate(REVERT)
        open_in_jupyterlab(page, own_lab_url, path)
    assert page.evaluate("() => window.__drops") == 0, "the kernel's connection kept dropping"
    assert page.evaluate(DIRTY) is False, page.evaluate(METADATA)
