"""``backprop-widgets assignment``: an nbgrader source notebook in which students implement
backprop in numpy.

    backprop-widgets assignment -o course/source/backprop --sizes 3,2,2,1 --seed 7

writes ``course/source/backprop/backprop.ipynb`` (nbgrader's source version, with the solutions
and the hidden tests); ``nbgrader generate_assignment backprop`` makes the students' version.
Students implement ``forward`` and ``backward``; four autograded cells give partial credit per
quantity: forward, BP1, BP2, BP3/BP4 (:mod:`backprop_widgets.explain.assignment_notebook`).
The network is ``Network.random(sizes, seed)`` with sigmoid and MSE, and its default sample.

Bad options print one line on stderr and exit with code 2, writing nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

from ..core import Network, default_sample, parse_sizes
from ..explain.assignment_notebook import Cell, cells

PROG = "backprop-widgets assignment"
NOTEBOOK = "backprop.ipynb"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The assignment command's options."""
    parser.add_argument(
        "-o",
        "--output",
        metavar="FOLDER",
        required=True,
        help=f"folder for the source notebook {NOTEBOOK} (nbgrader's source/<assignment>; created)",
    )
    parser.add_argument("--sizes", metavar="N0,N1,...", default="3,2,2,1", help="layer sizes (default 3,2,2,1)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the network's numbers (default 7)")
    parser.add_argument("--force", action="store_true", help=f"replace {NOTEBOOK} if it exists")

    def one_line_error(message: str) -> None:  # argparse's usage + error would be two lines
        print(f"{PROG}: error: {message}", file=sys.stderr)
        raise SystemExit(2)

    parser.error = one_line_error


def _metadata(cell: Cell) -> dict:
    """nbgrader's cell metadata (schema 3) for a cell's role."""
    return {
        "nbgrader": {
            "grade": cell.role == "test",
            "grade_id": cell.grade_id,
            "locked": cell.role in ("text", "given", "test"),
            "schema_version": 3,
            "solution": cell.role == "solution",
            "task": False,
            **({"points": cell.points} if cell.role == "test" else {}),
        }
    }


def notebook(sizes: list[int], seed: int) -> nbformat.NotebookNode:
    """The source notebook for a network of ``sizes`` drawn with ``seed``."""
    net = Network.random(sizes, seed=seed)
    x, y = default_sample(net)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for cell in cells(net, x, y, seed):
        make = nbformat.v4.new_markdown_cell if cell.kind == "markdown" else nbformat.v4.new_code_cell
        nb.cells.append(make(cell.source, metadata=_metadata(cell) if cell.role != "free" else {}))
    for i, c in enumerate(nb.cells):  # ids stable from one run to the next
        c["id"] = f"cell-{i}"
    nbformat.validate(nb)
    return nb


def run(args: argparse.Namespace) -> int:
    """Write the source notebook; 0 on success, 2 (one line on stderr, nothing written) for bad
    options or a folder it cannot write."""
    out = Path(args.output)
    path = out / NOTEBOOK
    try:
        sizes = parse_sizes(args.sizes)
        if args.seed < 0:
            raise ValueError(f"--seed must be 0 or more, got {args.seed}")
        if len(sizes) < 3:
            raise ValueError(f"--sizes {args.sizes} has no hidden layer: BP2 needs one, e.g. 3,2,2,1")
        if path.exists() and not args.force:
            raise ValueError(f"{path} exists: choose another -o or pass --force to replace it")
        if out.exists() and not out.is_dir():
            raise ValueError(f"cannot write {out}: it exists and is not a folder")
        text = nbformat.writes(notebook(sizes, args.seed))
        out.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except ValueError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"{PROG}: error: cannot write {path}: {e.strerror or e}", file=sys.stderr)
        return 2
    print(f"wrote {path}: run `nbgrader generate_assignment {out.name}` in its course folder", file=sys.stderr)
    return 0
