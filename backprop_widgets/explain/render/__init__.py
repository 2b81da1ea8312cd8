"""Documents and their formats: a worked-example handout, an exercise sheet and an answer key are
each a :class:`.blocks.Document`, written by one renderer per registered format.

- :mod:`.blocks`: the one document model (headings, paragraphs, maths, tables, steps, questions);
- :mod:`.document`: the handout of a worked example as such a document;
- :mod:`.markdown`, :mod:`.html_page`, :mod:`.latex`: one renderer each;
- :mod:`.formats`: the registered formats (``backprop-widgets export`` and ``exercise``, the
  dashboard's Export tab);
- :mod:`.fragment`: one step as an HTML fragment for a dashboard panel;
- :mod:`.wrap`: long chains of equalities broken into lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .blocks import Block, Document, Heading, Math, Paragraph, Part, Question, StepBlock, Table
from .document import document
from .formats import FORMATS, ExportFormat
from .fragment import step_html
from .latex import tex_text
from .wrap import break_equals, top_level_equals, visible_length

if TYPE_CHECKING:
    from ..walkthrough import WorkedExample


def handout(we: "WorkedExample", format_name: str) -> str:
    """The worked example's handout in the registered format ``format_name``."""
    return FORMATS[format_name].render(document(we), we.palette)


def to_markdown(we: "WorkedExample") -> str:
    """The handout as Markdown."""
    return handout(we, "md")


def to_html(we: "WorkedExample") -> str:
    """The handout as one self-contained HTML page."""
    return handout(we, "html")


def to_latex(we: "WorkedExample") -> str:
    """The handout as a LaTeX document."""
    return handout(we, "tex")


__all__ = [
    "FORMATS",
    "Block",
    "Document",
    "ExportFormat",
    "Heading",
    "Math",
    "Paragraph",
    "Part",
    "Question",
    "StepBlock",
    "Table",
    "break_equals",
    "document",
    "handout",
    "step_html",
    "tex_text",
    "to_html",
    "to_latex",
    "to_markdown",
    "top_level_equals",
    "visible_length",
]
