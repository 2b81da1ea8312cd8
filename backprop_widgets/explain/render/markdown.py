"""A document as Markdown with ``$$`` maths, the colour macros expanded inline, so that the colours
render in any MathJax 3 without macro definitions: GitHub, JupyterLab, Voila."""

from __future__ import annotations

import re
from typing import Sequence

from ..inline import md_inline
from ..palette import expand
from ..steps import Step
from .blocks import Block, Document, Heading, Math, Paragraph, Part, Question, StepBlock, Table

#: what plain text (a student's name) must not be read as: emphasis, code, links, HTML, headings,
#: table cells, maths (``$``: GitHub, JupyterLab, pandoc), strikethrough (``~~``) and entities
#: (``&amp;``). CommonMark takes a backslash before any ASCII punctuation as the character itself.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|$~&])")


def md_text(text: str) -> str:
    """Plain text that Markdown shows as it is: ``Ann $x^2$ Lee`` stays a name."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_table(rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table, the header first; the cells are written as given."""
    head, *body = rows
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


def _display(latex: str, palette: str) -> str:
    return f"$$\n{expand(latex, palette)}\n$$"


def _step(s: Step, palette: str) -> str:
    out = [f"*{s.text}*"]
    if s.table is not None:
        out.append(md_table(s.table))
        return "\n\n".join(out)
    for part in s.parts:
        if part.caption:
            out.append(part.caption)
        out.append(_display(part.latex, palette))
    return "\n\n".join(out)


def _cell(text: str, prose: bool, palette: str) -> str:
    return md_inline(text, palette).replace("|", r"\|") if prose else md_text(text)


def _block(b: Block, palette: str, down: int) -> str:
    """``b`` in Markdown; ``down``: how many levels its headings go down (a part's)."""
    match b:
        case Heading(text, level, _, prose):
            return "#" * (level + down) + " " + (text if prose else md_text(text))
        case Paragraph(text, prose):
            return md_inline(text, palette) if prose else md_text(text)
        case Math(latex, caption):
            return (f"{caption}\n\n" if caption else "") + _display(latex, palette)
        case Table(rows, prose):
            return md_table([[_cell(c, prose, palette) for c in row] for row in rows])
        case StepBlock(step):
            return _step(step, palette)
        case Question(n, symbol, latex):
            return f"**{n}.** {md_text(symbol)}\n\n{_display(latex, palette)}"
        case Part(document):  # its headings two levels down, under the heading before it
            return _body(document, palette, down + 2)
    raise TypeError(f"not a block: {b!r}")


def _body(doc: Document, palette: str, down: int = 0) -> str:
    return "\n\n".join(_block(b, palette, down) for b in doc.blocks)


def render_markdown(doc: Document, palette: str) -> str:
    """The whole document as Markdown."""
    return _body(doc, palette) + "\n"
