"""A document as one self-contained HTML page: its maths is MathML made on the server
(:mod:`..mathml`), which browsers draw natively and screen readers read; no script and no external
resource, so a handout or a sheet reads the same offline."""

from __future__ import annotations

import html
from typing import Sequence

from ..inline import INLINE
from ..steps import Step
from .blocks import Block, Document, Heading, Math, Paragraph, Part, Question, StepBlock, Table
from .fragment import html_table, parts_html
from .wrap import break_equals

_HANDOUT_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
.bp-step > p:first-child { font-style: italic; }
.bp-tag { font-size: 0.8em; border: 1px solid #888; border-radius: 0.3em; padding: 0 0.3em; }
"""

_SHEET_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
.bp-math { overflow-x: auto; overflow-y: hidden; margin: 0.6rem 0; }
.bp-question { display: flex; gap: 0.8rem; align-items: baseline; break-inside: avoid; }
.bp-question .bp-n { font-weight: bold; min-width: 2.5em; }
.bp-blank { border: 1.5px solid currentColor; padding: 0.3em 0.5em; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } .bp-student ~ .bp-student { break-before: page; } }
"""


def _styles(look: str) -> tuple[str, str]:
    """A look's CSS, and what closes the page's style sheet after the CSS of its parts."""
    from ..mathml import MATH_CSS

    if look == "sheet":
        return _SHEET_CSS + MATH_CSS, "\n"
    return _HANDOUT_CSS + MATH_CSS + "\n.bp-math { overflow-x: auto; overflow-y: hidden; margin: 0.6rem 0; }\n", ""


def _display(latex: str, palette: str) -> str:
    """A displayed formula as MathML, a long chain a = b = c broken into one "= …" a line (so that
    print keeps all of it). A blank's box (``menclose``, which MathML Core leaves out) becomes a
    row with a CSS border, which every browser draws."""
    from ..mathml import to_mathml

    mathml = to_mathml(break_equals(latex, 80), True, palette)
    mathml = mathml.replace('<menclose notation="box">', '<mrow class="bp-blank">').replace("</menclose>", "</mrow>")
    return f'<div class="bp-math">{mathml}</div>'


def _prose(text: str, palette: str) -> str:
    """Prose of ours as HTML: the text escaped, each ``\\( … \\)`` formula as inline MathML."""
    from ..mathml import to_mathml

    out, pos = [], 0
    for m in INLINE.finditer(text):
        out += [html.escape(text[pos : m.start()], quote=False), to_mathml(m.group(1), False, palette)]
        pos = m.end()
    return "".join(out) + html.escape(text[pos:], quote=False)


def _table(rows: Sequence[Sequence[str]], prose: bool, palette: str) -> str:
    def cells(row: Sequence[str], tag: str) -> str:
        text = (lambda c: _prose(c, palette)) if prose else html.escape
        return "".join(f"<{tag}>{text(c)}</{tag}>" for c in row)

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


def _block(b: Block, palette: str, down: int) -> str:
    """``b`` as HTML; ``down``: how many levels its headings go down (a part's)."""
    match b:
        case Heading(text, level, new_page):
            h, attributes = f"h{level + down}", ' class="bp-student"' if new_page else ""
            return f"<{h}{attributes}>{html.escape(text)}</{h}>"
        case Paragraph(text, prose):
            return f"<p>{_prose(text, palette) if prose else html.escape(text)}</p>"
        case Math(latex, caption):
            return (f"<p>{html.escape(caption)}</p>\n" if caption else "") + _display(latex, palette)
        case Table(rows, prose):
            return _table(rows, prose, palette)
        case StepBlock(step):
            return _step(step, palette)
        case Question(n, _, latex):
            return f'<div class="bp-question"><span class="bp-n">{n}.</span>{_display(latex, palette)}</div>'
        case Part(document):  # its headings two levels down, under the heading before it
            return _body(document, palette, down + 2)
    raise TypeError(f"not a block: {b!r}")


def _body(doc: Document, palette: str, down: int = 0) -> str:
    return "\n".join(_block(b, palette, down) for b in doc.blocks)


def render_html(doc: Document, palette: str) -> str:
    """One self-contained HTML page: the maths as MathML (converted here, drawn by the browser),
    no script and no external resource, so it reads the same offline."""
    css, close = _styles(doc.look)
    styles = [css]
    for part in doc.parts():  # each look's CSS once
        if _styles(part.look)[0] not in styles:
            styles.append(_styles(part.look)[0])
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(doc.title)}</title>\n<style>{''.join(styles)}{close}</style>\n"
        "</head>\n<body>\n" + _body(doc, palette) + "\n</body>\n</html>\n"
    )
