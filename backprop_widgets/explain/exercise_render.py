"""The exercise sheets' documents: a few kinds of block, one small dataclass each, written as
HTML (self-contained, maths as MathML), Markdown or LaTeX by writers that dispatch on the block's
type. One writer a format; :data:`FORMATS` lists them."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from .palette import expand, preamble
from .render.formats import FORMATS as EXPORT_FORMATS
from .render.latex import tex_text
from .render.wrap import break_equals

if TYPE_CHECKING:
    from .walkthrough import WorkedExample


@dataclass(frozen=True)
class Heading:
    """The document's title (level 1) or a section's heading (level 2)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class StudentHeading:
    """An answer key's section for one student; in print, each starts a new page."""

    name: str


@dataclass(frozen=True)
class Paragraph:
    """Plain text."""

    text: str


@dataclass(frozen=True)
class Math:
    """A displayed formula (LaTeX with the colour macros)."""

    latex: str


@dataclass(frozen=True)
class Question:
    """Question ``number``: the quantity ``symbol`` (plain text) and a formula with a blank."""

    number: int
    symbol: str
    latex: str


@dataclass(frozen=True)
class Table:
    """Plain-text rows, the header first."""

    rows: Sequence[tuple[str, ...]]


@dataclass(frozen=True)
class Worked:
    """A worked example, its headings under the block before it."""

    example: "WorkedExample"


#: one block of an exercise document
Block = Heading | StudentHeading | Paragraph | Math | Question | Table | Worked


# --- Markdown ------------------------------------------------------------------------------------

#: what a name or other plain text must not be read as: emphasis, code, links, HTML, headings,
#: table cells, maths (``$``: GitHub, JupyterLab, pandoc), strikethrough (``~~``) and entities
#: (``&amp;``). CommonMark takes a backslash before any ASCII punctuation as the character itself.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|$~&])")


def _md_text(text: str) -> str:
    """Plain text that Markdown shows as it is: ``Ann $x^2$ Lee`` stays a name."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _demote(markdown: str, levels: int = 2) -> str:
    """Every heading ``levels`` levels down."""
    return re.sub(r"^(#+) ", lambda m: "#" * (len(m.group(1)) + levels) + " ", markdown, flags=re.M)


def _md_block(b: Block, palette: str) -> str:
    match b:
        case Heading(text, level):
            return ("# " if level == 1 else "## ") + _md_text(text)
        case StudentHeading(name):
            return "## " + _md_text(name)
        case Paragraph(text):
            return _md_text(text)
        case Math(latex):
            return f"$$\n{expand(latex, palette)}\n$$"
        case Question(n, symbol, latex):
            return f"**{n}.** {_md_text(symbol)}\n\n$$\n{expand(latex, palette)}\n$$"
        case Table(rows):
            head, *body = [[_md_text(c) for c in row] for row in rows]
            return "\n".join(
                ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + ["| " + " | ".join(r) + " |" for r in body]
            )
        case Worked(we):  # the worked example's headings two levels down, under the name
            return _demote(EXPORT_FORMATS["md"].render(we).rstrip("\n"))
    raise TypeError(f"not a block: {b!r}")


def to_markdown(blocks: list[Block], palette: str) -> str:
    return "\n\n".join(_md_block(b, palette) for b in blocks) + "\n"


# --- HTML ----------------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
.bp-math { overflow-x: auto; overflow-y: hidden; margin: 0.6rem 0; }
.bp-question { display: flex; gap: 0.8rem; align-items: baseline; break-inside: avoid; }
.bp-question .bp-n { font-weight: bold; min-width: 2.5em; }
.bp-blank { border: 1.5px solid currentColor; padding: 0.3em 0.5em; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } .bp-student ~ .bp-student { break-before: page; } }
"""

_BODY = re.compile(r"<body>\n(.*)\n</body>", re.S)
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def _html_math(latex: str, palette: str) -> str:
    """A display formula as MathML; the blank's box (``menclose``, which MathML Core leaves
    out) becomes a row with a CSS border, which every browser draws."""
    from .mathml import to_mathml

    mathml = to_mathml(break_equals(latex, 80), True, palette)
    mathml = mathml.replace('<menclose notation="box">', '<mrow class="bp-blank">').replace("</menclose>", "</mrow>")
    return f'<div class="bp-math">{mathml}</div>'


def _html_worked(we: "WorkedExample") -> tuple[str, str]:
    """The worked example's page (render.html_page.to_html) as (its CSS, its body with headings two
    levels down)."""
    page = EXPORT_FORMATS["html"].render(we)
    body, style = _BODY.search(page), _STYLE.search(page)
    if body is None or style is None:  # pragma: no cover - render.html_page.to_html's page changed shape
        raise RuntimeError("render.html_page.to_html no longer writes <style> and <body> as expected")
    inner = re.sub(r"<(/?)h([1-4])>", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 2}>", body.group(1))
    return style.group(1), inner


def _cells(row: Sequence[str], tag: str) -> str:
    return "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in row)


def _html_block(b: Block, palette: str, styles: list[str]) -> str:
    """``b`` as HTML; a worked example adds its CSS to ``styles`` (once)."""
    match b:
        case Heading(text, level):
            return f"<h{level}>{html.escape(text)}</h{level}>"
        case StudentHeading(name):  # in print, each student from a new page
            return f'<h2 class="bp-student">{html.escape(name)}</h2>'
        case Paragraph(text):
            return f"<p>{html.escape(text)}</p>"
        case Math(latex):
            return _html_math(latex, palette)
        case Question(n, _, latex):
            return f'<div class="bp-question"><span class="bp-n">{n}.</span>{_html_math(latex, palette)}</div>'
        case Table(rows):
            head, *body = rows
            return "\n".join(
                [
                    '<table class="bp-table">',
                    f"<thead><tr>{_cells(head, 'th')}</tr></thead>",
                    "<tbody>",
                    *(f"<tr>{_cells(r, 'td')}</tr>" for r in body),
                    "</tbody></table>",
                ]
            )
        case Worked(we):
            style, inner = _html_worked(we)
            if style not in styles:
                styles.append(style)
            return inner
    raise TypeError(f"not a block: {b!r}")


def to_html(blocks: list[Block], palette: str) -> str:
    from .mathml import MATH_CSS

    styles = [_CSS, MATH_CSS]
    title = ([b.text for b in blocks if isinstance(b, Heading) and b.level == 1] or [""])[-1]
    body = [_html_block(b, palette, styles) for b in blocks]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{''.join(styles)}\n</style>\n</head>\n"
        "<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


# --- LaTeX ---------------------------------------------------------------------------------------


def _tex_text(text: str) -> str:
    """Plain text as LaTeX: :func:`.render.latex.tex_text`, but with the Greek letters it does not
    know (η) as maths and other letters (ë, ø, ł …) kept as UTF-8, so that names keep their spelling."""

    def char(c: str) -> str:
        out = tex_text(c) if c != "±" else r"\ensuremath{\pm}"
        if out != "?" or c.isascii():
            return out
        name = unicodedata.name(c, "")
        if name.startswith("GREEK SMALL LETTER ") and " " not in name[19:]:
            return rf"\ensuremath{{\{name[19:].lower().replace('lamda', 'lambda')}}}"
        return c if unicodedata.category(c)[0] in "LM" else out

    return "".join(char(c) for c in text)


def _tex_body(latex_document: str) -> str:
    start = latex_document.index(r"\begin{document}") + len(r"\begin{document}")
    body = latex_document[start : latex_document.rindex(r"\end{document}")].strip("\n")
    body = body.replace(r"\subsection*{", r"\subsubsection*{").replace(r"\section*{", r"\subsection*{")
    return body.replace(r"{\LARGE\bfseries ", r"{\large\bfseries ")


def _tex_table(rows: Sequence[tuple[str, ...]]) -> str:
    head, *body = rows
    wrap = r">{\raggedright\arraybackslash}p"
    lines = [
        r"{\small\setlength{\tabcolsep}{3pt}",
        rf"\begin{{tabular}}{{r{wrap}{{0.15\textwidth}}lll{wrap}{{0.3\textwidth}}}}",
        r"\hline",
        " & ".join(r"\textbf{" + _tex_text(c) + "}" for c in head) + r" \\ \hline",
    ]
    lines += [" & ".join(_tex_text(c) for c in r) + r" \\" for r in body]
    return "\n".join(lines + [r"\hline", r"\end{tabular}}", r"\medskip", ""])


def _tex_block(b: Block, first_student: bool) -> str:
    match b:
        case Heading(text, 1):
            return r"{\LARGE\bfseries " + _tex_text(text) + r"}\par\medskip"
        case Heading(text, _):
            return rf"\section*{{{_tex_text(text)}}}"
        case StudentHeading(name):  # each student from a new page
            return ("" if first_student else r"\clearpage" + "\n") + rf"\section*{{{_tex_text(name)}}}"
        case Paragraph(text):
            return _tex_text(text) + "\n"
        case Math(latex):
            return r"\[ " + latex + r" \]"
        case Question(n, _, latex):
            return r"\[ " + latex + rf" \tag*{{\textbf{{{n}.}}}} \]"
        case Table(rows):
            return _tex_table(rows)
        case Worked(we):
            return _tex_body(EXPORT_FORMATS["tex"].render(we))
    raise TypeError(f"not a block: {b!r}")


def to_latex(blocks: list[Block], palette: str) -> str:
    # leqno: a question's number (\tag) stands left of its line
    out = [
        r"\documentclass[11pt,leqno]{article}",
        r"\usepackage[margin=2cm]{geometry}",
        r"\usepackage[T1]{fontenc}",
        r"\usepackage{amsmath,amssymb,array}",
        r"\usepackage{xcolor}",
        preamble(palette),
        r"\allowdisplaybreaks",
        r"\setlength{\parindent}{0pt}",
        r"\begin{document}",
    ]
    students = 0
    for b in blocks:
        out.append(_tex_block(b, students == 0))
        students += isinstance(b, StudentHeading)
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


#: the formats, each with its writer
FORMATS = {"html": to_html, "md": to_markdown, "tex": to_latex}


def render(blocks: list[Block], fmt_: str, palette: str) -> str:
    """``blocks`` as one document in the format ``fmt_`` (a key of :data:`FORMATS`)."""
    return FORMATS[fmt_](blocks, palette)
