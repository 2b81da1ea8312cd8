"""The notebooks in JupyterLab: opening one (its kernel started and idle) leaves it unmodified,
so a student who only reads it is never asked to save it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from pages import open_in_jupyterlab

pytestmark = pytest.mark.browser

DIRTY = "() => window.jupyterapp.shell.currentWidget.context.model.dirty"
METADATA = "() => window.jupyterapp.shell.currentWidget.context.model.sharedModel.getMetadata()"


@pytest.mark.parametrize("path", ["notebooks/walkthrough.ipynb", "notebooks/dashboard.ipynb"])
def test_opening_a_notebook_does_not_modify_it(page: Page, own_lab_url: str, path: str):
    open_in_jupyterlab(page, own_lab_url, path)
    page.wait_for_timeout(1000)  # the kernel's info reply and spec arrive after idle
    assert page.evaluate(DIRTY) is False, page.evaluate(METADATA)
