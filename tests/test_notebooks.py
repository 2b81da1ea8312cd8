"""The notebooks: committed without outputs, in sync with their generator, and executable
headless (nbclient, no browser) top to bottom in a fresh kernel."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + [ROOT / "backprop_widgets" / "served" / "app.ipynb"]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def test_the_notebooks_exist():
    names = {p.relative_to(ROOT).as_posix() for p in NOTEBOOKS}
    assert {"notebooks/walkthrough.ipynb", "notebooks/dashboard.ipynb", "backprop_widgets/served/app.ipynb"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [
        i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs or execution counts"
    assert "widgets" not in nb.metadata, f"{path.name}: saved widget state in metadata"


def test_notebooks_match_their_generator():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "notebooks" / "make_notebooks.py"), "--check"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def test_dashboard_notebook_shows_only_the_dashboard():
    """Voila hides code but renders Markdown: the app notebook is code cells only, and only
    the last one shows something (the dashboard, after the link's query was applied)."""
    for path in (ROOT / "notebooks" / "dashboard.ipynb", ROOT / "backprop_widgets" / "served" / "app.ipynb"):
        nb = nbformat.read(path, as_version=4)
        assert [c.cell_type for c in nb.cells] == ["code", "code"]
        assert nb.cells[0].source.rstrip().splitlines()[-1].startswith("app = Dashboard()")
        assert nb.cells[1].source.splitlines()[-1] == "app"


def execute(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


@pytest.mark.parametrize("name", ["walkthrough.ipynb", "dashboard.ipynb"])
def test_notebook_executes(name: str):
    nb = execute(ROOT / "notebooks" / name)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.get("name") == "stderr" and "Warning" in o.get("text", "")]
    # the last cell displays the dashboard as a widget view
    last = [c for c in nb.cells if c.cell_type == "code"][-1]
    assert any(WIDGET_VIEW in o.get("data", {}) for o in last.outputs), last.outputs
