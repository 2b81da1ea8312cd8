"""Write the project's notebooks with nbformat, so they are reviewed as code and never carry outputs.

    python notebooks/make_notebooks.py           # (re)write them
    python notebooks/make_notebooks.py --check   # exit 1 if a committed notebook differs

- ``notebooks/walkthrough.ipynb``: the JupyterLab tutorial (library → trace → steps → dashboard).
- ``notebooks/dashboard.ipynb``: the Voila app (Binder's "Launch the app"); its only output is the
  dashboard, so it has code cells only (Voila hides code but shows Markdown cells): one builds the
  dashboard (a preheated kernel runs it early), one opens the page's link on it.
- ``backprop_widgets/served/app.ipynb``: the same app, shipped inside the package for
  ``backprop-widgets serve`` (works after a plain ``pip install``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from ipykernel.ipkernel import IPythonKernel
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]

# What JupyterLab writes into a notebook once its kernel is up (the kernel's spec and its
# language_info, Python's version included): written here in full, so that opening a notebook
# leaves it unmodified (JupyterLab compares; any difference marks the notebook as changed). The
# version is the generating Python's; --check does not compare it, and with another Python
# JupyterLab shows the notebook as modified once.
METADATA = {
    "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
    "language_info": dict(IPythonKernel.language_info),
}

APP_CELLS = [
    new_code_cell(
        "from backprop_widgets import Dashboard, page_query\n"
        "from backprop_widgets.app.teacher_page import page\n\n"
        "app = Dashboard()  # a preheated Voila kernel runs this before anyone asks"
    ),
    new_code_cell(
        "# a shared link's state, e.g. ?net=4,3,2&h=tanh; with teacher=1 the live class's teacher page\n"
        "app = page(app, page_query())\napp"
    ),
]

WALKTHROUGH_CELLS = [
    new_markdown_cell(
        "# Backpropagation, number by number\n\n"
        "A network with layers [3, 2, 2, 1], sigmoid everywhere and the squared-error loss "
        "½(a⁽³⁾ − y)², fed one example. We compute every quantity of the forward and backward "
        "pass, then follow the chain rule to one weight, w₁,₁⁽¹⁾, and check it numerically. "
        "The last cell opens the same example in the interactive dashboard."
    ),
    new_markdown_cell(
        "## The network\n\n"
        "`weights[l-1]` is W⁽ˡ⁾ with shape (n_l, n_{l−1}): row j is the destination neuron, "
        "column k the source. `biases[l-1]` is b⁽ˡ⁾."
    ),
    new_code_cell(
        "import numpy as np\n"
        "from backprop_widgets import Network\n\n"
        "net = Network(\n"
        "    weights=[[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], [[0.7, 0.8], [0.9, 1.0]], [[0.3, 0.4]]],\n"
        "    biases=[[0.1, 0.2], [0.1, 0.2], [0.1]],\n"
        '    activation="sigmoid",\n'
        '    loss="mse",\n'
        ")\n"
        "x, y = np.array([1.0, 0.5, -1.0]), np.array([1.0])\n"
        "net"
    ),
    new_markdown_cell(
        "## The trace: one forward and one backward pass\n\n"
        "`net.trace(x, y)` returns every quantity, indexed as in the notation: `t.a[0]` is x, "
        "`t.z[l]`, `t.a[l]`, `t.delta[l]` (δ⁽ˡ⁾ = ∂L/∂z⁽ˡ⁾), `t.grad_W[l]` (∂L/∂W⁽ˡ⁾) for l = 1…3."
    ),
    new_code_cell("t = net.trace(x, y)\nt.loss, t.a[3]"),
    new_code_cell("t.delta[3], t.delta[2], t.delta[1]"),
    new_code_cell('t.grad_W[1], t.grad("w1,1,1")'),
    new_markdown_cell("The same gradient by central differences, nudging w₁,₁⁽¹⁾ by ±ε:"),
    new_code_cell('net.numerical_gradient_of("w1,1,1", x, y)'),
    new_markdown_cell(
        "## The worked example, step by step\n\n"
        "`worked_example` turns the trace into the steps of the page: the forward pass layer by "
        "layer, the loss, BP1 (the output error), BP2 (the error one layer back), BP3 (the weight "
        "gradient), the numerical check. Colours: inputs orange, weights blue, activations green, "
        "errors red."
    ),
    new_code_cell(
        "from ipywidgets import HTMLMath\n"
        "from backprop_widgets import worked_example\n\n"
        'we = worked_example(net, x, y, traced="w1,1,1")\n'
        "[(i, step.title) for i, step in enumerate(we.steps)]"
    ),
    new_markdown_cell("Show one step: run the next cell, change the number, run it again."),
    new_code_cell("HTMLMath(we.step_html(0))"),
    new_markdown_cell("Or all of them, one after the other:"),
    new_code_cell(
        "from IPython.display import display\n\nfor i in range(len(we.steps)):\n    display(HTMLMath(we.step_html(i)))"
    ),
    new_markdown_cell("The same steps as Markdown, for a handout (`backprop-widgets export` writes it to a file):"),
    new_code_cell("print(we.to_markdown()[:600])"),
    new_markdown_cell(
        "## The dashboard\n\n"
        "Every number live: change a weight (slider or text field), step through the equations "
        "with Next / Prev, and watch the diagram highlight what each step uses."
    ),
    new_code_cell("from backprop_widgets import dashboard\n\ndashboard()"),
]


def build(name: str, cells: list) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells, metadata=METADATA)
    for i, cell in enumerate(nb.cells):
        cell.id = f"{name}-{i}"  # deterministic ids: regenerating gives the same bytes
    nbformat.validate(nb)
    return nb


def notebooks() -> dict[Path, nbformat.NotebookNode]:
    return {
        ROOT / "notebooks" / "walkthrough.ipynb": build("walkthrough", WALKTHROUGH_CELLS),
        ROOT / "notebooks" / "dashboard.ipynb": build("dashboard", APP_CELLS),
        ROOT / "backprop_widgets" / "served" / "app.ipynb": build("app", APP_CELLS),
    }


def without_version(text: str) -> str:
    """The notebook's text with Python's version left out of its language_info."""
    nb = nbformat.reads(text, as_version=4)
    nb.metadata.get("language_info", {}).pop("version", None)
    return nbformat.writes(nb)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path, nb in notebooks().items():
        text = nbformat.writes(nb) + "\n"
        if check:
            if not path.exists() or without_version(path.read_text(encoding="utf-8")) != without_version(text):
                stale.append(path.relative_to(ROOT))
        else:
            path.write_text(text, encoding="utf-8")
            print("wrote", path.relative_to(ROOT))
    if stale:
        print("out of date (run python notebooks/make_notebooks.py):", *map(str, stale), sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
