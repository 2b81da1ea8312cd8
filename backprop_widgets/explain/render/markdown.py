"""The worked example as Markdown with ``$$`` maths, the colour macros expanded inline, so that
the colours render in any MathJax 3 without macro definitions: GitHub, JupyterLab, Voila."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from ..inline import md_inline
from ..palette import expand
from ..steps import Step
from .document import MathBlock, StepBlock, TableBlock, TextBlock, document

if TYPE_CHECKING:
    from ..walkthrough import WorkedExample


def md_table(rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table, the header first; the cells are written as given."""
    head, *body = rows
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


def _cell(text: str, palette: str) -> str:
    return md_inline(text, palette).replace("|", r"\|")


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


def to_markdown(we: "WorkedExample") -> str:
    """The whole worked example as Markdown."""
    pal = we.palette
    out: list[str] = []
    for b in document(we):
        if isinstance(b, TextBlock):
            out.append(md_inline(b.content, pal) if b.kind == "p" else "#" * int(b.kind[1]) + " " + b.content)
        elif isinstance(b, MathBlock):
            caption, latex = b.content
            out.append((f"{caption}\n\n" if caption else "") + _display(latex, pal))
        elif isinstance(b, TableBlock):
            out.append(md_table([[_cell(c, pal) for c in row] for row in b.content]))
        elif isinstance(b, StepBlock):
            out.append(_step(b.content, pal))
    return "\n\n".join(out) + "\n"
