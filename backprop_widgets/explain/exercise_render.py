"""The exercise sheets' documents: a few kinds of :class:`Block`, written as HTML
(self-contained, maths as MathML), Markdown or LaTeX. One function a format; :data:`FORMATS`
lists them."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from .palette import expand, preamble


@dataclass(frozen=True)
class Block:
    kind: str  # "h1" | "h2" | "student" (a key's h2) | "p" | "math" | "question" | "table" | "worked"
    content: object


# --- Markdown ------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _demote(markdown: str, levels: int = 2) -> str:
    """Every heading ``levels`` levels down."""
    return re.sub(r"^(#+) ", lambda m: "#" * (len(m.group(1)) + levels) + " ", markdown, flags=re.M)


def to_markdown(blocks: list[Block], palette: str) -> str:
    out = []
    for b in blocks:
        if b.kind in ("h1", "h2", "student"):
            out.append(("# " if b.kind == "h1" else "## ") + _md_text(b.content))
        elif b.kind == "p":
            out.append(_md_text(b.content))
        elif b.kind == "math":
            out.append(f"$$\n{expand(b.content, palette)}\n$$")
        elif b.kind == "question":
            n, symbol, latex = b.content
            out.append(f"**{n}.** {_md_text(symbol)}\n\n$$\n{expand(latex, palette)}\n$$")
        elif b.kind == "table":
            head, *rows = [[_md_text(c) for c in row] for row in b.content]
            out.append("\n".join(["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
                                 + ["| " + " | ".join(r) + " |" for r in rows]))
        elif b.kind == "worked":  # the worked example's headings two levels down, under the name
            out.append(_demote(b.content.to_markdown().rstrip("\n")))
    return "\n\n".join(out) + "\n"


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
    from .render import break_equals

    mathml = to_mathml(break_equals(latex, 80), True, palette)
    mathml = mathml.replace('<menclose notation="box">', '<mrow class="bp-blank">').replace("</menclose>", "</mrow>")
    return f'<div class="bp-math">{mathml}</div>'


def _html_worked(we) -> tuple[str, str]:
    """The worked example's page (render.to_html) as (its CSS, its body with headings two levels down)."""
    page = we.to_html()
    body, style = _BODY.search(page), _STYLE.search(page)
    if body is None or style is None:  # pragma: no cover - render.to_html's page changed shape
        raise RuntimeError("render.to_html no longer writes <style> and <body> as expected")
    inner = re.sub(r"<(/?)h([1-4])>", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 2}>", body.group(1))
    return style.group(1), inner


def _cells(row, tag: str) -> str:
    return "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in row)


def to_html(blocks: list[Block], palette: str) -> str:
    from .mathml import MATH_CSS

    title, body, styles = "", [], [_CSS, MATH_CSS]
    for b in blocks:
        if b.kind in ("h1", "h2"):
            title = b.content if b.kind == "h1" else title
            body.append(f"<{b.kind}>{html.escape(b.content)}</{b.kind}>")
        elif b.kind == "student":  # in print, each student from a new page
            body.append(f'<h2 class="bp-student">{html.escape(b.content)}</h2>')
        elif b.kind == "p":
            body.append(f"<p>{html.escape(b.content)}</p>")
        elif b.kind == "math":
            body.append(_html_math(b.content, palette))
        elif b.kind == "question":
            n, _, latex = b.content
            body.append(f'<div class="bp-question"><span class="bp-n">{n}.</span>'
                        f"{_html_math(latex, palette)}</div>")
        elif b.kind == "table":
            head, *rows = b.content
            body.append("\n".join(['<table class="bp-table">', f"<thead><tr>{_cells(head, 'th')}</tr></thead>",
                                   "<tbody>", *(f"<tr>{_cells(r, 'td')}</tr>" for r in rows), "</tbody></table>"]))
        elif b.kind == "worked":
            style, inner = _html_worked(b.content)
            if style not in styles:
                styles.append(style)
            body.append(inner)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{''.join(styles)}\n</style>\n</head>\n"
            "<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


# --- LaTeX ---------------------------------------------------------------------------------------

def _tex_text(text: str) -> str:
    """Plain text as LaTeX: :func:`render.tex_text`, but with the Greek letters it does not know
    (η) as maths and other letters (ë, ø, ł …) kept as UTF-8, so that names keep their spelling."""
    from .render import tex_text

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
    body = latex_document[start:latex_document.rindex(r"\end{document}")].strip("\n")
    body = body.replace(r"\subsection*{", r"\subsubsection*{").replace(r"\section*{", r"\subsection*{")
    return body.replace(r"{\LARGE\bfseries ", r"{\large\bfseries ")


def to_latex(blocks: list[Block], palette: str) -> str:
    text = _tex_text
    students = 0
    # leqno: a question's number (\tag) stands left of its line
    out = [r"\documentclass[11pt,leqno]{article}", r"\usepackage[margin=2cm]{geometry}",
           r"\usepackage[T1]{fontenc}", r"\usepackage{amsmath,amssymb,array}", r"\usepackage{xcolor}",
           preamble(palette), r"\allowdisplaybreaks", r"\setlength{\parindent}{0pt}", r"\begin{document}"]
    for b in blocks:
        if b.kind == "h1":
            out.append(r"{\LARGE\bfseries " + text(b.content) + r"}\par\medskip")
        elif b.kind == "h2":
            out.append(rf"\section*{{{text(b.content)}}}")
        elif b.kind == "student":  # each student from a new page
            out.append((r"\clearpage" + "\n" if students else "") + rf"\section*{{{text(b.content)}}}")
            students += 1
        elif b.kind == "p":
            out.append(text(b.content) + "\n")
        elif b.kind == "math":
            out.append(r"\[ " + b.content + r" \]")
        elif b.kind == "question":
            n, _, latex = b.content
            out.append(r"\[ " + latex + rf" \tag*{{\textbf{{{n}.}}}} \]")
        elif b.kind == "table":
            head, *rows = b.content
            wrap = r">{\raggedright\arraybackslash}p"
            lines = [r"{\small\setlength{\tabcolsep}{3pt}",
                     rf"\begin{{tabular}}{{r{wrap}{{0.15\textwidth}}lll{wrap}{{0.3\textwidth}}}}", r"\hline",
                     " & ".join(r"\textbf{" + text(c) + "}" for c in head) + r" \\ \hline"]
            lines += [" & ".join(text(c) for c in r) + r" \\" for r in rows]
            out.append("\n".join(lines + [r"\hline", r"\end{tabular}}", r"\medskip", ""]))
        elif b.kind == "worked":
            out.append(_tex_body(b.content.to_latex()))
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


#: the formats, each with its writer
FORMATS = {"html": to_html, "md": to_markdown, "tex": to_latex}


def render(blocks: list[Block], fmt_: str, palette: str) -> str:
    return FORMATS[fmt_](blocks, palette)
