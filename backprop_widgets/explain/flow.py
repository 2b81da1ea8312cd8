"""Equations that wrap at the panel's real width: a step as HTML whose formulas break at operators.

A formula on one line cannot know how wide the panel is, and neither MathML nor MathJax 3 breaks
lines. So every displayed equation is cut at its top-level relations and signs (``=``, ``+``,
``−``) into terms, and each term is set on its own as an inline-block: the browser wraps the
terms like words, at the width the panel really has. A term too wide for a line of its own (a
long product along a path) wraps before its ``·``, ``×`` or ``⊙``; a piece that is still too
wide (a vector, a bracket, a matrix of many columns) wraps after its commas, before the signs
inside its brackets, or between its columns (:mod:`.breaks`). A continuation line is indented.

The step panel's pieces are MathML made here (:func:`mathml_piece`), which the browser draws
natively, with no typesetting pass per edit; :func:`tex_piece` writes a piece for MathJax
instead (an ``HTMLMath`` widget). Cutting happens only outside every brace group,
``\\left … \\right`` and environment, so each piece is valid LaTeX on its own; a piece that
starts with an operator gets an empty ``{}`` in front, so that it keeps the spacing of a binary
operator or relation.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Callable

from .breaks import Tree, breaks
from .mathml import MATH_CSS, to_mathml
from .palette import expand
from .render import step_html as table_html
from .render.fragment import parts_html
from .steps import Step

_TOKEN = re.compile(r"\\[a-zA-Z]+|\\.|.", re.S)
#: a formula breaks into terms before relations and signs, and a term that is wider than the
#: panel on its own breaks before its products
TERM_OPERATORS = frozenset({"=", "+", "-", "<", ">", "\\approx", "\\to", "\\quad", "\\qquad"})
PRODUCT_OPERATORS = frozenset({"\\cdot", "\\times", "\\odot"})
_OPENERS = {"\\begin", "\\left"}
_CLOSERS = {"\\end", "\\right"}

#: writes one piece of a formula as HTML: (LaTeX, palette) → an inline-block ``bpw-piece``
PieceWriter = Callable[[str, str], str]


def pieces(latex: str, operators=TERM_OPERATORS) -> list[str]:
    """``latex`` cut before each top-level operator: ``a = b + c`` → ``["a", "= b", "+ c"]``.

    Nothing is cut inside braces, parentheses, brackets, ``\\left … \\right`` or an
    environment. A sign that starts the formula or follows another operator (``= -0.3``) is a
    unary minus, and one after ``^`` or ``_`` is a script (``\\mathcal{L}^+``): neither is a
    place to break.
    """
    out, start, depth, prev = [], 0, 0, None  # prev: the last top-level token's kind
    for m in _TOKEN.finditer(latex):
        t = m.group(0)
        if t.isspace():
            continue
        if prev == "script" and depth == 0:  # the script's one token (or group, below)
            prev = "x"
            if t == "{":
                depth += 1
            continue
        if t in _OPENERS or t in "{([":
            depth += 1
        elif t in _CLOSERS or t in "})]":
            depth -= 1
        elif depth == 0 and t in operators:
            if t not in "+-" or prev == "x":  # binary: a place to break
                out.append(latex[start : m.start()].strip())
                start = m.start()
            prev = "op"
            continue
        if depth == 0:
            prev = "script" if t in "^_" else "x"
    out.append(latex[start:].strip())
    return [p for p in out if p]


def _spaced(piece: str) -> str:
    """A piece that starts with an operator keeps the spacing of a binary operator or relation."""
    return "{}" + piece if piece.startswith(tuple(TERM_OPERATORS | PRODUCT_OPERATORS)) else piece


def tex_piece(piece: str, palette: str) -> str:
    """A piece for MathJax (an ``HTMLMath`` widget typesets it), in display style."""
    tex = html.escape(expand(_spaced(piece), palette), quote=False)
    return f'<span class="bpw-piece">\\(\\displaystyle {tex}\\)</span>'


@lru_cache(maxsize=4096)
def mathml_piece(piece: str, palette: str) -> str:
    """A piece as MathML, in display style, which the browser draws itself. Cached: most
    pieces of a step (the formulas, the unchanged numbers) repeat from one edit to the next."""
    return f'<span class="bpw-piece">{to_mathml(_spaced(piece), False, palette, displaystyle=True)}</span>'


_COLUMN = "\\begin{matrix}"  # a matrix's column, as :func:`.breaks.breaks` writes it


def _tree_html(tree: Tree, palette: str, piece: PieceWriter, tag: str = "bpw-term") -> str:
    """A tree of :func:`.breaks.breaks` as pieces: a list is a span (``bpw-term``, which stays
    on one line if it can; ``bpw-flow`` for a group's items, which run on like words)."""
    if isinstance(tree, str):  # a column of a matrix that wraps is numbered (see CSS)
        return f'<span class="bpw-column">{piece(tree, palette)}</span>' if _COLUMN in tree else piece(tree, palette)
    return f'<span class="{tag}">' + "<wbr>".join(_tree_html(t, palette, piece) for t in tree) + "</span>"


def _factor(factor: str, palette: str, piece: PieceWriter) -> str:
    """A factor as one piece, or (a vector, a bracket, a wide matrix) as pieces that wrap."""
    return _tree_html(breaks(factor), palette, piece, "bpw-flow")


def _term(term: str, palette: str, piece: PieceWriter) -> str:
    factors = pieces(term, PRODUCT_OPERATORS)
    if len(factors) == 1:
        return _factor(term, palette, piece)
    return '<span class="bpw-term">' + "<wbr>".join(_factor(f, palette, piece) for f in factors) + "</span>"


def equation_html(latex: str, palette: str = "okabe-ito", piece: PieceWriter = tex_piece) -> str:
    """One displayed equation as terms that wrap before ``=``, ``+`` and ``−``; a term too wide
    for a line on its own wraps before its products. ``piece`` writes each piece: for MathJax
    (:func:`tex_piece`, the default) or as MathML (:func:`mathml_piece`)."""
    return '<div class="bpw-eq">' + "<wbr>".join(_term(t, palette, piece) for t in pieces(latex)) + "</div>"


def step_html(step: Step, palette: str = "okabe-ito") -> str:
    """A step for the dashboard's panel (a plain ``HTML`` widget): its sentence and its
    equations as MathML, which wrap to fit."""
    if step.table is not None:  # a table wraps by itself
        return table_html(step, palette)

    def equation(latex: str) -> str:
        return equation_html(latex, palette, mathml_piece)

    out = [f'<div class="bp-step" data-step="{html.escape(step.id)}">']
    if step.result:  # what the step computes, first, so that it is seen without scrolling
        out.append(
            '<div class="bpw-result" role="status"><span class="bpw-result-label">'
            "Result</span>" + equation(step.result) + "</div>"
        )
    out.append(f"<p>{html.escape(step.text)}</p>")
    out += parts_html(step, equation)
    out.append("</div>")
    return "\n".join(out)


#: the panel's CSS for the pieces and the fonts of its MathML (the dashboard adds it once)
CSS = (
    """
.bpw-eq { margin: 4px 0; padding: 2px 0 2px 1.5em; text-indent: -1.5em; line-height: 2.4;
  overflow-x: auto; overflow-y: hidden; }
.bpw-result { background: #f6f6f6; border-radius: 4px; padding: 0 6px; margin: 4px 0 8px; }
.bpw-result-label { font-size: 11px; font-weight: bold; color: #444; text-transform: uppercase; }
.bpw-result .bpw-eq { margin: 0; }
.bpw-piece, .bpw-term { display: inline-block; text-indent: 0; white-space: nowrap; }
.bpw-piece { padding-right: 4px; overflow-x: clip; overflow-clip-margin: 2px; }  /* holds its ink */
.bpw-term { white-space: normal; }
.bpw-flow { display: inline; white-space: normal; text-indent: 0; }
/* a wide matrix wraps between its columns: each column is numbered, so that a line that
   continues the matrix reads as its further columns, not as more rows */
.bpw-flow, .bpw-term { counter-reset: bpw-column; }
.bpw-column { display: inline-block; text-indent: 0; }
.bpw-column::before { counter-increment: bpw-column; content: counter(bpw-column); display: block;
  text-align: center; font-size: 10px; line-height: 1.2; color: #555; }
.bpw-column:first-child::before { text-align: right; padding-right: 0.6em; }
.bpw-column:last-child::before { text-align: left; padding-left: 0.6em; }
.bpw-piece math { font-size: 1.25em; }  /* as MathJax sizes it: the text's x-height */
.bpw-piece:has(> math) { padding-right: 1px; }  /* MathML spaces its operators itself */
"""
    + MATH_CSS
    + "\n"
)
