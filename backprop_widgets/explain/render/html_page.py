"""The worked example as one self-contained HTML page: its maths is MathML made on the server
(:mod:`.mathml`), which browsers draw natively and screen readers read; no script and no external
resource, so a handout reads the same offline."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Sequence

from ..steps import Step
from .document import MathBlock, StepBlock, TableBlock, TextBlock, document
from .fragment import html_table, parts_html
from .wrap import break_equals

if TYPE_CHECKING:
    from ..walkthrough import WorkedExample

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
.bp-step > p:first-child { font-style: italic; }
.bp-tag { font-size: 0.8em; border: 1px solid #888; border-radius: 0.3em; padding: 0 0.3em; }
"""


def _display(latex: str, palette: str) -> str:
    from ..mathml import to_mathml

    # a long chain a = b = c breaks into one "= …" a line, so that print keeps all of it
    return f'<div class="bp-math">{to_mathml(break_equals(latex, 80), True, palette)}</div>'


def _table(rows: Sequence[Sequence[str]], palette: str) -> str:
    from ..mathml import html_with_math

    def cells(row: Sequence[str], tag: str) -> str:
        return "".join(f"<{tag}>{html_with_math(c, palette)}</{tag}>" for c in row)

    head, *rest = rows
    return "\n".join(
        [
            '<table class="bp-table">',
            f"<thead><tr>{cells(head, 'th')}</tr></thead>",
            "<tbody>",
            *(f"<tr>{cells(r, 'td')}</tr>" for r in rest),
            "</tbody></table>",
        ]
    )


def _step(s: Step, palette: str) -> str:
    parts = [f'<div class="bp-step" data-step="{html.escape(s.id)}">', f"<p>{html.escape(s.text)}</p>"]
    if s.table is not None:
        parts.append(html_table(s.table, palette, plain=True))
    else:
        parts += parts_html(s, lambda latex: _display(latex, palette))
    parts.append("</div>")
    return "\n".join(parts)


def to_html(we: "WorkedExample") -> str:
    """One self-contained HTML page: the maths as MathML (converted here, drawn by the browser),
    no script and no external resource, so it reads the same offline."""
    from ..mathml import MATH_CSS, html_with_math

    pal = we.palette
    body: list[str] = []
    title = ""
    for b in document(we):
        if isinstance(b, TextBlock) and b.kind == "p":
            body.append(f"<p>{html_with_math(b.content, pal)}</p>")
        elif isinstance(b, TextBlock):
            title = b.content if b.kind == "h1" else title
            body.append(f"<{b.kind}>{html.escape(b.content)}</{b.kind}>")
        elif isinstance(b, MathBlock):
            caption, latex = b.content
            body.append((f"<p>{html.escape(caption)}</p>\n" if caption else "") + _display(latex, pal))
        elif isinstance(b, TableBlock):
            body.append(_table(b.content, pal))
        elif isinstance(b, StepBlock):
            body.append(_step(b.content, pal))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}{MATH_CSS}\n"
        ".bp-math { overflow-x: auto; overflow-y: hidden; margin: 0.6rem 0; }\n</style>\n"
        "</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )
