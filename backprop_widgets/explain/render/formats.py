"""The export formats: the single source for ``backprop-widgets export`` (its ``--format``
choices, the format an output file's extension picks, the error naming them) and for
:meth:`WorkedExample.to_markdown` and its siblings.

Adding a format is one renderer module (a function ``WorkedExample -> str``, like
:func:`.markdown.to_markdown`) and one :func:`register` call below.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .html_page import to_html
from .latex import to_latex
from .markdown import to_markdown

if TYPE_CHECKING:
    from ..walkthrough import WorkedExample


@dataclass(frozen=True)
class ExportFormat:
    """One export format.

    name : its ``--format`` value (``md``)
    title : what it is, for help texts (``Markdown``)
    extensions : file name endings that pick it, lower case with the dot, the usual one first
    render : the worked example as this format's text
    """

    name: str
    title: str
    extensions: tuple[str, ...]
    render: Callable[["WorkedExample"], str]


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
    """The format a file name's extension picks; ``None`` if no format claims it."""
    suffix = Path(path).suffix.lower()
    return next((f for f in FORMATS.values() if suffix in f.extensions), None)


def names() -> str:
    """The format names as prose: ``md, html or tex``."""
    keys = list(FORMATS)
    return keys[0] if len(keys) == 1 else ", ".join(keys[:-1]) + " or " + keys[-1]


def extensions() -> str:
    """The usual extension of each format as prose: ``.md, .html or .tex``."""
    usual = [f.extensions[0] for f in FORMATS.values()]
    return usual[0] if len(usual) == 1 else ", ".join(usual[:-1]) + " or " + usual[-1]


register(ExportFormat("md", "Markdown", (".md", ".markdown"), to_markdown))
register(ExportFormat("html", "self-contained HTML", (".html", ".htm"), to_html))
register(ExportFormat("tex", "LaTeX", (".tex",), to_latex))
