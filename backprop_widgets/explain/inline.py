"""Inline maths in document text: ``\\( … \\)`` marks it in paragraphs and table cells.

Every renderer finds the maths with :data:`INLINE`; these helpers write such text for Markdown
(``$ … $``) and for HTML that MathJax typesets (text escaped, maths kept as ``\\( … \\)``).
"""

from __future__ import annotations

import html
import re

from .palette import expand

#: one inline formula: ``\\(`` … ``\\)``, its LaTeX in group 1
INLINE = re.compile(r"\\\((.*?)\\\)", re.S)


def md_inline(text: str, palette: str) -> str:
    """Text with ``$ … $`` maths, the colour macros expanded."""
    return INLINE.sub(lambda m: "$" + expand(m.group(1), palette) + "$", text)


def html_inline(text: str, palette: str | None = None) -> str:
    """Text as HTML with ``\\( … \\)`` maths for MathJax, the colour macros expanded with
    ``palette`` (kept if it is ``None``: the caller expands them)."""
    out, pos = [], 0
    for m in INLINE.finditer(text):
        latex = m.group(1) if palette is None else expand(m.group(1), palette)
        out.append(html.escape(text[pos : m.start()], quote=False))
        out.append(r"\(" + html.escape(latex, quote=False) + r"\)")
        pos = m.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)
