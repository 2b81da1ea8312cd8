"""The export formats: the single source for every document we write in them, handouts, exercise
sheets and answer keys alike. ``backprop-widgets export`` and ``exercise`` take their ``--format``
choices and help, file extensions and writers from here, and the dashboard's Export tab its
choice of format.

Adding a format is one renderer (a function ``(Document, palette) -> str`` over the blocks of
:mod:`.blocks`, like :func:`.markdown.render_markdown`) and one :func:`register` call below.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .blocks import Document
from .code_lines import code_for
from .code_numpy import numpy_script
from .code_torch import torch_script
from .html_page import render_html
from .latex import render_latex
from .markdown import render_markdown


@dataclass(frozen=True)
class ExportFormat:
    """One export format.

    name : its ``--format`` value (``md``)
    title : what it is, for help texts (``Markdown``)
    extensions : file name endings that pick it, lower case with the dot, the usual one first
    render : a document as this format's text, in a colour palette (``render(doc, "okabe-ito")``)
    media_type : its MIME type, for a browser's download
    """

    name: str
    title: str
    extensions: tuple[str, ...]
    render: Callable[[Document, str], str]
    media_type: str = "text/plain"


#: every export format by name, in the order the help lists them
FORMATS: dict[str, ExportFormat] = {}


def register(fmt: ExportFormat) -> ExportFormat:
    """Add ``fmt`` (replacing one of the same name); returns it."""
    FORMATS[fmt.name] = fmt
    return fmt


def unregister(name: str) -> None:
    """Remove the format ``name`` (``KeyError`` if there is none)."""
    del FORMATS[name]


def format_for(path: str) -> ExportFormat | None:
    """The format a file name's extension picks (the longest that fits: ``seed.torch.py`` is
    torch's, ``seed.py`` numpy's); ``None`` if no format claims it."""
    name = Path(path).name.lower()
    fits = [(len(e), f) for f in FORMATS.values() for e in f.extensions if name.endswith(e) and len(name) > len(e)]
    return max(fits, key=lambda fit: fit[0])[1] if fits else None


def names() -> str:
    """The format names as prose: ``md, html or tex``."""
    keys = list(FORMATS)
    return keys[0] if len(keys) == 1 else ", ".join(keys[:-1]) + " or " + keys[-1]


def extensions() -> str:
    """The usual extension of each format as prose: ``.md, .html or .tex``."""
    usual = [f.extensions[0] for f in FORMATS.values()]
    return usual[0] if len(usual) == 1 else ", ".join(usual[:-1]) + " or " + usual[-1]


register(ExportFormat("md", "Markdown", (".md", ".markdown"), render_markdown, "text/markdown"))
register(ExportFormat("html", "self-contained HTML", (".html", ".htm"), render_html, "text/html"))
register(ExportFormat("tex", "LaTeX", (".tex",), render_latex, "application/x-tex"))
register(ExportFormat("numpy", "numpy script", (".py",), lambda doc, _: code_for(doc, numpy_script), "text/x-python"))
register(
    ExportFormat("torch", "PyTorch script", (".torch.py",), lambda doc, _: code_for(doc, torch_script), "text/x-python")
)
