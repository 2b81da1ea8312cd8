"""Render a worked example as Markdown, standalone HTML, LaTeX, or one step as an HTML fragment.

This module gathers the renderers under their old names; each lives in its own module:

- :mod:`.document`: the handout as blocks (headings, paragraphs, maths, tables, steps);
- :mod:`.markdown`, :mod:`.html_page`, :mod:`.latex`: one format each;
- :mod:`.fragment`: one step as an HTML fragment for a dashboard panel;
- :mod:`.wrap`: long chains of equalities broken into lines;
- :mod:`.formats`: the export formats (``backprop-widgets export``).
"""

from __future__ import annotations

from .document import Block, MathBlock, StepBlock, TableBlock, TextBlock, document
from .fragment import step_html
from .html_page import to_html
from .latex import tex_text, to_latex
from .markdown import to_markdown
from .wrap import break_equals, top_level_equals, visible_length

__all__ = [
    "Block",
    "MathBlock",
    "StepBlock",
    "TableBlock",
    "TextBlock",
    "break_equals",
    "document",
    "step_html",
    "tex_text",
    "to_html",
    "to_latex",
    "to_markdown",
    "top_level_equals",
    "visible_length",
]
