"""Render a worked example as Markdown, standalone HTML, LaTeX, or one step as an HTML fragment.

A document is a list of blocks (headings, paragraphs, display math, tables, steps) in the seed
page's order; each renderer only formats blocks. Paragraph text marks inline math with
``\\( … \\)``; step texts and captions are plain Unicode.

- Markdown and HTML expand the colour macros inline (``{\\color{#E69F00} …}``), so the colours
  render in any MathJax 3 without macro definitions: GitHub, JupyterLab, Voila.
- The HTML page is self-contained: its maths is MathML made on the server (``mathml.py``), which
  browsers draw natively and screen readers read, so a handout works offline.
- LaTeX keeps the macros and defines them once in the preamble (xcolor); the file is ASCII.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Literal, NamedTuple, Sequence

from ..core import LOSSES, fmt
from .palette import MACROS, expand, hex_colour, preamble
from .steps import Step, pmatrix, pmatrix2, reference_parts

if TYPE_CHECKING:
    from .walkthrough import WorkedExample


class TextBlock(NamedTuple):
    """A heading or a paragraph (whose text marks inline math with ``\\( … \\)``)."""

    kind: Literal["h1", "h2", "h3", "p"]
    content: str


class MathBlock(NamedTuple):
    """A displayed equation: (caption or ``None``, LaTeX)."""

    kind: Literal["math"]
    content: tuple[str | None, str]


class TableBlock(NamedTuple):
    """A table's rows, the header first."""

    kind: Literal["table"]
    content: Sequence[tuple[str, ...]]


class StepBlock(NamedTuple):
    """A step of the worked example."""

    kind: Literal["step"]
    content: Step


#: one block of a document; ``kind`` says which, ``content`` holds what it shows
Block = TextBlock | MathBlock | TableBlock | StepBlock


# --- the document ----------------------------------------------------------------------------

def _vec(values) -> str:
    return r",\; ".join(fmt(v) for v in values)


def document(we: "WorkedExample") -> list[Block]:
    """The blocks of the handout, in the seed page's order."""
    t, p = we.trace, we.param
    L = t.L
    sizes = ", ".join(str(n) for n in t.sizes)
    hidden = t.activations[1] if L > 1 else None
    out_act = t.activations[L]
    loss = LOSSES[t.loss_name].text
    layers = (f"{hidden} hidden layers and a{'n' if out_act[0] in 'aeiou' else ''} {out_act} output layer"
              if hidden else f"a single {out_act} layer")
    blocks: list[Block] = [
        TextBlock("h1", f"Worked example: ∂L/∂{p.unicode}"),
        TextBlock("h2", "Network Architecture"),
        TextBlock("p", rf"We trace the gradient \(\partial \mathcal{{L}} / \partial {p.latex}\) through a "
                   rf"network with \(L = {L}\) layer{'s' if L > 1 else ''} (sizes [{sizes}]; the input is layer 0): "
                   rf"{layers}, and the {loss} loss. "
                   rf"The input is \(\inp{{\mathbf{{x}}}} = ({_vec(t.x)})^T\) and the target is "
                   rf"\(\mathbf{{y}} = {'(' + _vec(t.y) + ')^T' if len(t.y) > 1 else fmt(t.y[0])}\)."),
        TextBlock("h2", "Notation Reference"),
        TextBlock("h3", "Indices & Scalars"),
        TableBlock("table", [
            ("Symbol", "Meaning"),
            (r"\(\wt{w_{j,k}^{(l)}}\)", r"Weight from neuron \(k\) in layer \(l-1\) to neuron \(j\) in layer \(l\). First subscript = destination (row), second = source (column)."),
            (r"\(\act{a_j^{(l)}}\)", r"Activation of neuron \(j\) in layer \(l\): \(a_j^{(l)} = \sigma(z_j^{(l)})\)."),
            (r"\(z_j^{(l)}\)", r"Pre-activation (weighted sum + bias) of neuron \(j\) in layer \(l\)."),
            (r"\(\err{\delta_j^{(l)}}\)", r"Error signal at neuron \(j\), layer \(l\): \(\delta_j^{(l)} = \partial\mathcal{L}/\partial z_j^{(l)}\)."),
            (r"\(L\)", rf"Index of the last (output) layer. For \([{sizes}]\), \(L = {L}\)."),
            (r"\(n_l\)", r"Number of neurons in layer \(l\)."),
        ]),
        TextBlock("h3", "Vectors, Matrices & Operators"),
        TableBlock("table", [
            ("Symbol", "Meaning"),
            (r"\(\wt{\mathbf{W}^{(l)}}\)", r"Weight matrix of layer \(l\), size \(n_l \times n_{l-1}\). Bold = matrix or vector."),
            (r"\(\err{\boldsymbol{\delta}^{(l)}}\)", r"Error vector: the \(n_l\) error signals of layer \(l\) in a column."),
            (r"\(\odot\)", r"Hadamard (element-wise) product: \([\mathbf{u} \odot \mathbf{v}]_i = u_i v_i\)."),
            (r"\((\cdot)^T\)", r"Transpose. In BP2, \((\mathbf{W}^{(l+1)})^T\) sends errors backward."),
            (r"\(\sigma, \sigma'\)", r"The activation and its derivative."),
            (r"\(\mathcal{L}\)", rf"The loss ({loss})."),
        ]),
        TextBlock("h3", "Colour Code"),
        TableBlock("table", [
            ("Colour", "Quantities"),
            (f"orange ({hex_colour('inp', we.palette)})", r"Input quantities \(\inp{x_k}\)"),
            (f"blue ({hex_colour('wt', we.palette)})", r"Weights and biases \(\wt{w_{j,k}^{(l)}},\ \wt{b_j^{(l)}}\)"),
            (f"green ({hex_colour('act', we.palette)})", r"Activations and \(\sigma'\) derivatives \(\act{a_j^{(l)}},\ \act{\sigma'(z_j^{(l)})}\)"),
            (f"red ({hex_colour('err', we.palette)})", r"Error signals and gradients \(\err{\delta_j^{(l)}},\ \err{\partial\mathcal{L}/\partial w}\)"),
        ]),
        TextBlock("h3", "Subscript Conventions"),
        TableBlock("table", [
            ("Symbol", "Meaning"),
            (r"\(w_{j,k}^{(l)}\)", r"\(j\) = destination neuron (row of \(\mathbf{W}\)), \(k\) = source neuron (column)."),
            (r"\([\boldsymbol{\delta}^{(l)}]_j\)", r"Brackets pick the \(j\)-th entry of a vector."),
            (r"Superscript \((l)\)", "Always a layer index, in parentheses so it is not read as a power. "
                                     "The page numbers the weight gradient BP3 and the bias gradient BP4; "
                                     "some textbooks swap them."),
        ]),
        TextBlock("h2", "The Four Equations of Backpropagation"),
        *[MathBlock("math", (part.caption, part.latex)) for part in reference_parts(out_act, t.loss_name)],
        TextBlock("h2", "Network Parameters"),
        TableBlock("table", [("Layer", "Weights", "Biases", "Shape")] + [
            (f"l = {l}",
             rf"\(\wt{{\mathbf{{W}}^{{({l})}} = {pmatrix2([[fmt(v) for v in row] for row in t.weights[l - 1]])}}}\)",
             rf"\(\wt{{\mathbf{{b}}^{{({l})}} = {pmatrix([fmt(v) for v in t.biases[l - 1]])}}}\)",
             f"({t.sizes[l]}×{t.sizes[l - 1]})")
            for l in range(1, L + 1)
        ]),
        TextBlock("h2", "Step 1: Forward Pass"),
        TextBlock("p", r"We propagate the input \(\inp{\mathbf{x}}\) through each layer, computing the "
                   r"weighted sums \(\mathbf{z}^{(l)}\) and the activations \(\act{\mathbf{a}^{(l)}}\)."),
    ]
    backward_started = False
    for s in we.steps:
        if s.id == "bp1" and not backward_started:
            backward_started = True
            blocks.append(TextBlock("h2", "Step 2: Backward Pass"))
            blocks.append(TextBlock("p", r"Now we propagate the error backward, computing the error signal "
                                     r"\(\err{\boldsymbol{\delta}^{(l)}}\) of each layer with BP1 and BP2, "
                                     r"and finally the target gradient with "
                                     + ("BP3." if p.is_weight else "BP4.")))
        if s.id == "check":
            blocks.append(TextBlock("h2", s.heading))
            blocks.append(StepBlock("step", s))
            continue
        if s.id == "paths":
            blocks.append(TextBlock("h2", "Summary"))
        blocks.append(TextBlock("h3", s.heading))
        blocks.append(StepBlock("step", s))
    return blocks


# --- inline math in paragraph text -----------------------------------------------------------

_INLINE = re.compile(r"\\\((.*?)\\\)", re.S)


def _md_inline(text: str, palette: str) -> str:
    return _INLINE.sub(lambda m: "$" + expand(m.group(1), palette) + "$", text)


def _html_inline(text: str, palette: str) -> str:
    out, pos = [], 0
    for m in _INLINE.finditer(text):
        out.append(html.escape(text[pos:m.start()], quote=False))
        out.append(r"\(" + html.escape(expand(m.group(1), palette), quote=False) + r"\)")
        pos = m.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


# --- Markdown --------------------------------------------------------------------------------


def _md_cell(text: str, palette: str) -> str:
    return _md_inline(text, palette).replace("|", r"\|")


def to_markdown(we: "WorkedExample") -> str:
    pal = we.palette
    out: list[str] = []
    for b in document(we):
        if b.kind in ("h1", "h2", "h3"):
            out.append("#" * int(b.kind[1]) + " " + b.content)
        elif b.kind == "p":
            out.append(_md_inline(b.content, pal))
        elif b.kind == "math":
            caption, latex = b.content
            out.append((f"{caption}\n\n" if caption else "") + f"$$\n{expand(latex, pal)}\n$$")
        elif b.kind == "table":
            out.append(_md_table([[_md_cell(c, pal) for c in row] for row in b.content]))
        elif b.kind == "step":
            out.append(_md_step(b.content, pal))
    return "\n\n".join(out) + "\n"


def _md_table(rows: list) -> str:
    head, *body = rows
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


def _md_step(s: Step, palette: str) -> str:
    out = [f"*{s.text}*"]
    if s.table is not None:
        out.append(_md_table([list(r) for r in s.table]))
        return "\n\n".join(out)
    for part in s.parts:
        if part.caption:
            out.append(part.caption)
        out.append(f"$$\n{expand(part.latex, palette)}\n$$")
    return "\n\n".join(out)


# --- HTML ------------------------------------------------------------------------------------


def _html_math(latex: str, palette: str, open_: str = r"\[", close: str = r"\]") -> str:
    return ('<div class="bp-math" style="overflow-x:auto">'
            + open_ + " " + html.escape(expand(latex, palette), quote=False) + " " + close + "</div>")


_WORD = re.compile(r"\\[a-zA-Z]+|\\.")


def visible_length(latex: str) -> int:
    """A rough count of the characters a formula shows (commands count as one, colours as none)."""
    s = re.sub(r"\\(?:color|begin|end)\{[^}]*\}|\\(?:left|right)|\\(?:inp|wt|act|err)(?=\{)", "",
               latex)
    return len(re.sub(r"[{}\s^_&]", "", _WORD.sub("x", s)))


def top_level_equals(latex: str) -> list[int]:
    """Positions of ``=`` outside every brace group, environment and ``\\left … \\right``."""
    depth, out, i = 0, [], 0
    while i < len(latex):
        c = latex[i]
        if c == "\\":
            m = _WORD.match(latex, i)
            if m is None:  # a backslash at the very end, or before a line break, starts no command
                i += 1
                continue
            word = m.group(0)
            if word in ("\\begin", "\\left"):
                depth += 1
            elif word in ("\\end", "\\right"):
                depth -= 1
            i = m.end()
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "=" and depth == 0:
            out.append(i)
        i += 1
    return out


def break_equals(latex: str, max_chars: int) -> str:
    """A chain ``a = b = c`` wider than ``max_chars`` as an ``aligned`` block, one ``= …`` a line,
    so that it fits a narrow panel; shorter formulas are returned unchanged."""
    eqs = top_level_equals(latex)
    if len(eqs) < 2 or visible_length(latex) <= max_chars:
        return latex
    cuts = [0] + eqs + [len(latex)]
    pieces = [latex[a:b].strip() for a, b in zip(cuts, cuts[1:])]  # lhs, "= b", "= c", …
    if visible_length(pieces[0] + pieces[1]) <= max_chars:
        lines = [pieces[0] + " &" + pieces[1]] + ["&" + piece for piece in pieces[2:]]
    else:  # a long left side (a path's name) gets a line of its own
        lines = [pieces[0] + " &"] + ["&" + piece for piece in pieces[1:]]
    # "{}" first: a line starting with "[" would be read as \begin{aligned}'s optional argument
    return "\\begin{aligned} {}" + " \\\\ ".join(lines) + " \\end{aligned}"


def step_html(s: Step, palette: str = "okabe-ito", wrap: int | None = None) -> str:
    """One step as an HTML fragment for an ipywidgets HTMLMath panel: title, sentence, equations.

    Display math uses ``$$ … $$``; the colour macros are expanded inline. With ``wrap``, a chain
    of equalities wider than about ``wrap`` characters breaks into one ``= …`` per line.
    """
    tag = f' <span class="bp-tag">{s.tag}</span>' if s.tag else ""
    out = [f'<div class="bp-step" data-step="{html.escape(s.id)}">',
           f"<h4>{html.escape(s.title)}{tag}</h4>", f"<p>{html.escape(s.text)}</p>"]
    if s.table is not None:
        out.append(_html_table(s.table, palette, plain=True))
    else:
        for part in s.parts:
            if part.caption:
                out.append(f"<p>{html.escape(part.caption)}</p>")
            latex = part.latex if wrap is None else break_equals(part.latex, wrap)
            out.append(_html_math(latex, palette, "$$", "$$"))
    out.append("</div>")
    return "\n".join(out)


def _html_table(rows, palette: str, plain: bool = False) -> str:
    cell = (lambda c: html.escape(c)) if plain else (lambda c: _html_inline(c, palette))
    head, *body = rows
    header = "".join(f"<th>{cell(c)}</th>" for c in head)
    lines = ['<table class="bp-table">', f"<thead><tr>{header}</tr></thead>", "<tbody>"]
    lines += ["<tr>" + "".join(f"<td>{cell(c)}</td>" for c in r) + "</tr>" for r in body]
    lines.append("</tbody></table>")
    return "\n".join(lines)


_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
.bp-step > p:first-child { font-style: italic; }
.bp-tag { font-size: 0.8em; border: 1px solid #888; border-radius: 0.3em; padding: 0 0.3em; }
"""


def to_html(we: "WorkedExample") -> str:
    """One self-contained HTML page: the maths as MathML (converted here, drawn by the browser),
    no script and no external resource, so it reads the same offline."""
    from .mathml import MATH_CSS, html_with_math, to_mathml

    pal = we.palette

    def display(latex: str) -> str:
        # a long chain a = b = c breaks into one "= …" a line, so that print keeps all of it
        return f'<div class="bp-math">{to_mathml(break_equals(latex, 80), True, pal)}</div>'

    def table(rows) -> str:
        head, *rest = rows
        cells = lambda row, tag: "".join(f"<{tag}>{html_with_math(c, pal)}</{tag}>" for c in row)  # noqa: E731
        return "\n".join(['<table class="bp-table">', f"<thead><tr>{cells(head, 'th')}</tr></thead>", "<tbody>",
                          *(f"<tr>{cells(r, 'td')}</tr>" for r in rest), "</tbody></table>"])

    body: list[str] = []
    title = ""
    for b in document(we):
        if b.kind in ("h1", "h2", "h3"):
            if b.kind == "h1":
                title = b.content
            body.append(f"<{b.kind}>{html.escape(b.content)}</{b.kind}>")
        elif b.kind == "p":
            body.append(f"<p>{html_with_math(b.content, pal)}</p>")
        elif b.kind == "math":
            caption, latex = b.content
            body.append((f"<p>{html.escape(caption)}</p>\n" if caption else "") + display(latex))
        elif b.kind == "table":
            body.append(table(b.content))
        elif b.kind == "step":
            s = b.content
            parts = [f'<div class="bp-step" data-step="{html.escape(s.id)}">', f"<p>{html.escape(s.text)}</p>"]
            if s.table is not None:
                parts.append(_html_table(s.table, pal, plain=True))
            else:
                for part in s.parts:
                    if part.caption:
                        parts.append(f"<p>{html.escape(part.caption)}</p>")
                    parts.append(display(part.latex))
            parts.append("</div>")
            body.append("\n".join(parts))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}{MATH_CSS}\n"
        ".bp-math { overflow-x: auto; overflow-y: hidden; margin: 0.6rem 0; }\n</style>\n"
        "</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


# --- LaTeX -----------------------------------------------------------------------------------

_SUPER = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁺⁻ᴸˡᵀ²", "0123456789()+-LlT2"))
_SUBS = dict(zip("₀₁₂₃₄₅₆₇₈₉ₐᵢⱼₖ", "0123456789aijk"))
_TEX_TEXT = {
    **{ord(c): rf"\textsuperscript{{{d}}}" for c, d in _SUPER.items()},
    **{ord(c): rf"\textsubscript{{{d}}}" for c, d in _SUBS.items()},
    ord("σ"): r"\ensuremath{\sigma}", ord("′"): r"\ensuremath{'}", ord("δ"): r"\ensuremath{\delta}",
    ord("⊙"): r"\ensuremath{\odot}", ord("∇"): r"\ensuremath{\nabla}", ord("∂"): r"\ensuremath{\partial}",
    ord("ε"): r"\ensuremath{\varepsilon}", ord("−"): r"\ensuremath{-}", ord("·"): r"\ensuremath{\cdot}",
    ord("×"): r"\ensuremath{\times}", ord("≈"): r"\ensuremath{\approx}", ord("✓"): r"\ensuremath{\checkmark}",
    ord("✗"): r"\ensuremath{\times}", ord("Σ"): r"\ensuremath{\Sigma}", ord("½"): r"\ensuremath{\tfrac12}",
    ord("→"): r"\ensuremath{\to}", ord("≤"): r"\ensuremath{\le}", ord("≥"): r"\ensuremath{\ge}",
    ord("±"): r"\ensuremath{\pm}", ord("⚠"): r"\textbf{!}", ord("θ"): r"\ensuremath{\theta}",
    ord("—"): "---", ord("–"): "--", ord("…"): r"\ldots{}",
    ord("&"): r"\&", ord("%"): r"\%", ord("$"): r"\$", ord("#"): r"\#", ord("_"): r"\_",
    ord("{"): r"\{", ord("}"): r"\}", ord("~"): r"\textasciitilde{}", ord("^"): r"\textasciicircum{}",
    ord("\\"): r"\textbackslash{}", ord("|"): r"\textbar{}",
}


def tex_text(text: str) -> str:
    """Plain Unicode text as LaTeX text (special characters escaped, symbols as math)."""
    out = text.translate(_TEX_TEXT)
    return "".join(c if c.isascii() else "?" for c in out)


def _tex_mixed(text: str) -> str:
    """Text with ``\\( … \\)`` math: escape the text, keep the math."""
    out, pos = [], 0
    for m in _INLINE.finditer(text):
        out.append(tex_text(text[pos:m.start()]))
        out.append(r"\(" + m.group(1).replace("σ′", r"\sigma'").replace("σ", r"\sigma")
                   .replace("δ", r"\delta") + r"\)")
        pos = m.end()
    out.append(tex_text(text[pos:]))
    return "".join(out)


def to_latex(we: "WorkedExample") -> str:
    out = [
        r"\documentclass[11pt]{article}",
        r"\usepackage[margin=2cm]{geometry}",
        r"\usepackage{amsmath,amssymb}",
        r"\usepackage{xcolor}",
        "% the colour code: " + ", ".join(f"\\{r} = {w}" for r, w in MACROS.items()),
        preamble(we.palette),
        r"\allowdisplaybreaks",
        r"\setlength{\parindent}{0pt}",
        r"\begin{document}",
    ]
    section = {"h1": "title", "h2": "section*", "h3": "subsection*"}
    for b in document(we):
        if b.kind == "h1":
            out.append(r"{\LARGE\bfseries " + tex_text(b.content) + r"}\par\medskip")
        elif b.kind in ("h2", "h3"):
            out.append(rf"\{section[b.kind]}{{{tex_text(b.content)}}}")
        elif b.kind == "p":
            out.append(_tex_mixed(b.content) + "\n")
        elif b.kind == "math":
            caption, latex = b.content
            out.append((tex_text(caption) + "\n" if caption else "") + "\\[ " + latex + r" \]")
        elif b.kind == "table":
            rows = b.content
            ncol = len(rows[0])
            spec = "l" * (ncol - 1) + ("p{0.6\\textwidth}" if ncol == 2 else "l")
            lines = [rf"\begin{{tabular}}{{{spec}}}", r"\hline"]
            lines.append(" & ".join(r"\textbf{" + _tex_mixed(c) + "}" for c in rows[0]) + r" \\ \hline")
            lines += [" & ".join(_tex_mixed(c) for c in r) + r" \\" for r in rows[1:]]
            lines += [r"\hline", r"\end{tabular}", ""]
            out.append("\n".join(lines))
        elif b.kind == "step":
            s = b.content
            out.append(r"\emph{" + tex_text(s.text) + "}\n")
            for part in s.parts:
                if part.caption:
                    out.append(tex_text(part.caption))
                out.append(r"\[ " + part.latex + r" \]")
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"
