"""One step as an HTML fragment for an ipywidgets ``HTMLMath`` panel (MathJax typesets it):
title, sentence, equations, or the step's table. The colour macros are expanded inline, so that
every panel renders its colours without a macro defined elsewhere.

:func:`parts_html` is the one loop over a step's parts (caption, then equation) that every HTML
writer shares; each passes its own equation writer (MathJax here, MathML in the handout and the
dashboard's panel)."""

from __future__ import annotations

import html
from typing import Callable, Sequence

from ..inline import html_inline
from ..palette import expand
from ..steps import Step
from .wrap import break_equals


def html_math(latex: str, palette: str, open_: str = r"\[", close: str = r"\]") -> str:
    """A displayed formula for MathJax, in a box that scrolls sideways when it is too wide."""
    return (
        '<div class="bp-math" style="overflow-x:auto">'
        + open_
        + " "
        + html.escape(expand(latex, palette), quote=False)
        + " "
        + close
        + "</div>"
    )


def html_table(rows: Sequence[Sequence[str]], palette: str, plain: bool = False) -> str:
    """A table, the header first; ``plain`` cells are plain text, else text with ``\\( … \\)`` maths."""
    cell = (lambda c: html.escape(c)) if plain else (lambda c: html_inline(c, palette))
    head, *body = rows
    header = "".join(f"<th>{cell(c)}</th>" for c in head)
    lines = ['<table class="bp-table">', f"<thead><tr>{header}</tr></thead>", "<tbody>"]
    lines += ["<tr>" + "".join(f"<td>{cell(c)}</td>" for c in r) + "</tr>" for r in body]
    lines.append("</tbody></table>")
    return "\n".join(lines)


def parts_html(s: Step, equation: Callable[[str], str]) -> list[str]:
    """A step's parts as HTML: each part's caption as a paragraph (if it has one), then its
    LaTeX as ``equation(latex)`` writes it."""
    out = []
    for part in s.parts:
        if part.caption:
            out.append(f"<p>{html.escape(part.caption)}</p>")
        out.append(equation(part.latex))
    return out


def step_html(s: Step, palette: str = "okabe-ito", wrap: int | None = None) -> str:
    """One step as an HTML fragment for an ipywidgets HTMLMath panel: title, sentence, equations.

    Display math uses ``$$ … $$``; the colour macros are expanded inline. With ``wrap``, a chain
    of equalities wider than about ``wrap`` characters breaks into one ``= …`` per line.
    """

    def equation(latex: str) -> str:
        return html_math(latex if wrap is None else break_equals(latex, wrap), palette, "$$", "$$")

    tag = f' <span class="bp-tag">{s.tag}</span>' if s.tag else ""
    out = [
        f'<div class="bp-step" data-step="{html.escape(s.id)}">',
        f"<h4>{html.escape(s.title)}{tag}</h4>",
        f"<p>{html.escape(s.text)}</p>",
    ]
    if s.table is not None:
        out.append(html_table(s.table, palette, plain=True))
    else:
        out += parts_html(s, equation)
    out.append("</div>")
    return "\n".join(out)
