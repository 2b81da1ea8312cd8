"""A document as LaTeX (article, amsmath, xcolor). It keeps the colour macros and defines them
once in the preamble (:func:`.palette.preamble`). Unicode in the text becomes LaTeX text or maths
(:func:`tex_text`): every symbol and Greek letter by a table, letters of names (ë, ł) as they are,
and anything else is an error, never a silent "?"."""

from __future__ import annotations

import unicodedata
from typing import Sequence

from ..inline import INLINE
from ..palette import MACROS, preamble
from ..steps import Step
from .blocks import Block, Document, Heading, Math, Paragraph, Part, Question, StepBlock, Table

_SUPER = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁺⁻ᴸˡᵀ²", "0123456789()+-LlT2"))
_SUBS = dict(zip("₀₁₂₃₄₅₆₇₈₉ₐᵢⱼₖ", "0123456789aijk"))
#: the Greek letters as maths: those with a command of their own, capitals like Latin ones upright
_GREEK = {
    **dict(
        zip(
            "αβγδεζηθικλμνξπρςστυφχψωϵϑϕϖϱ",
            (
                r"\alpha \beta \gamma \delta \varepsilon \zeta \eta \theta \iota \kappa \lambda \mu \nu \xi \pi "
                r"\rho \varsigma \sigma \tau \upsilon \phi \chi \psi \omega \epsilon \vartheta \phi \varpi \varrho"
            ).split(),
        )
    ),
    "ο": "o",
    **dict(zip("ΓΔΘΛΞΠΣΥΦΨΩ", r"\Gamma \Delta \Theta \Lambda \Xi \Pi \Sigma \Upsilon \Phi \Psi \Omega".split())),
    **{c: rf"\mathrm{{{latin}}}" for c, latin in zip("ΑΒΕΖΗΙΚΜΝΟΡΤΧ", "ABEZHIKMNOPTX")},
}
_TEX_TEXT = {
    **{ord(c): rf"\ensuremath{{{tex}}}" for c, tex in _GREEK.items()},
    **{ord(c): rf"\textsuperscript{{{d}}}" for c, d in _SUPER.items()},
    **{ord(c): rf"\textsubscript{{{d}}}" for c, d in _SUBS.items()},
    ord("′"): r"\ensuremath{'}",
    ord("⊙"): r"\ensuremath{\odot}",
    ord("∇"): r"\ensuremath{\nabla}",
    ord("∂"): r"\ensuremath{\partial}",
    ord("−"): r"\ensuremath{-}",
    ord("·"): r"\ensuremath{\cdot}",
    ord("×"): r"\ensuremath{\times}",
    ord("≈"): r"\ensuremath{\approx}",
    ord("✓"): r"\ensuremath{\checkmark}",
    ord("✗"): r"\ensuremath{\times}",
    ord("½"): r"\ensuremath{\tfrac12}",
    ord("→"): r"\ensuremath{\to}",
    ord("≤"): r"\ensuremath{\le}",
    ord("≥"): r"\ensuremath{\ge}",
    ord("±"): r"\ensuremath{\pm}",
    ord("⚠"): r"\textbf{!}",
    ord("—"): "---",
    ord("–"): "--",
    ord("…"): r"\ldots{}",
    ord("&"): r"\&",
    ord("%"): r"\%",
    ord("$"): r"\$",
    ord("#"): r"\#",
    ord("_"): r"\_",
    ord("{"): r"\{",
    ord("}"): r"\}",
    ord("~"): r"\textasciitilde{}",
    ord("^"): r"\textasciicircum{}",
    ord("\\"): r"\textbackslash{}",
    ord("|"): r"\textbar{}",
    ord("’"): "'",
    ord("‘"): "`",
    ord("“"): "``",
    ord("”"): "''",
    ord("‐"): "-",
    ord("\u00a0"): "~",
}


def tex_text(text: str) -> str:
    """Plain Unicode text as LaTeX text: special characters escaped, symbols and Greek letters as
    maths, other letters (a name's ë or ł) kept. ``ValueError`` for a character we have no LaTeX
    for: add it to the table rather than print a "?"."""
    out = text.translate(_TEX_TEXT)
    for c in out:
        if not c.isascii() and unicodedata.category(c)[0] not in "LM":
            name = unicodedata.name(c, "unnamed")
            raise ValueError(f"no LaTeX for {c!r} (U+{ord(c):04X} {name}) in {text!r}: give it one in render/latex.py")
    return out


def tex_mixed(text: str) -> str:
    """Text with ``\\( … \\)`` math: escape the text, keep the math."""
    out, pos = [], 0
    for m in INLINE.finditer(text):
        out.append(tex_text(text[pos : m.start()]))
        out.append(r"\(" + m.group(1).replace("σ′", r"\sigma'").replace("σ", r"\sigma").replace("δ", r"\delta") + r"\)")
        pos = m.end()
    out.append(tex_text(text[pos:]))
    return "".join(out)


def _table(rows: Sequence[Sequence[str]], prose: bool) -> str:
    """A handout's table: a wide second column when there are two."""
    cell = tex_mixed if prose else tex_text
    ncol = len(rows[0])
    spec = "l" * (ncol - 1) + ("p{0.6\\textwidth}" if ncol == 2 else "l")
    lines = [rf"\begin{{tabular}}{{{spec}}}", r"\hline"]
    lines.append(" & ".join(r"\textbf{" + cell(c) + "}" for c in rows[0]) + r" \\ \hline")
    lines += [" & ".join(cell(c) for c in r) + r" \\" for r in rows[1:]]
    lines += [r"\hline", r"\end{tabular}", ""]
    return "\n".join(lines)


def _dense_table(rows: Sequence[Sequence[str]], prose: bool) -> str:
    """A sheet's table (an answer key's): small, numbers right, the second and last columns wrapped."""
    cell = tex_mixed if prose else tex_text
    head, *body = rows
    wrap = r">{\raggedright\arraybackslash}p"
    middle = "l" * (len(head) - 3)
    lines = [
        r"{\small\setlength{\tabcolsep}{3pt}",
        rf"\begin{{tabular}}{{r{wrap}{{0.15\textwidth}}{middle}{wrap}{{0.3\textwidth}}}}",
        r"\hline",
        " & ".join(r"\textbf{" + cell(c) + "}" for c in head) + r" \\ \hline",
    ]
    lines += [" & ".join(cell(c) for c in r) + r" \\" for r in body]
    return "\n".join(lines + [r"\hline", r"\end{tabular}}", r"\medskip", ""])


def _step(s: Step) -> str:
    out = [r"\emph{" + tex_text(s.text) + "}\n"]
    for part in s.parts:
        if part.caption:
            out.append(tex_text(part.caption))
        out.append(r"\[ " + part.latex + r" \]")
    return "\n".join(out)


#: the sections by level, from 2; a part's go one level down
_SECTION = ["section*", "subsection*", "subsubsection*"]


class _Writer:
    """Writes one document's blocks; counts the sections that start a new page."""

    def __init__(self, look: str) -> None:
        self.look, self.new_pages = look, 0

    def block(self, b: Block, down: int) -> str:
        match b:
            case Heading(text, 1):
                return (r"{\LARGE" if down == 0 else r"{\large") + r"\bfseries " + tex_text(text) + r"}\par\medskip"
            case Heading(text, level, new_page):
                heading = rf"\{_SECTION[level - 2 + down]}{{{tex_text(text)}}}"
                if new_page:
                    self.new_pages += 1
                    return ("" if self.new_pages == 1 else "\\clearpage\n") + heading
                return heading
            case Paragraph(text, prose):
                return (tex_mixed if prose else tex_text)(text) + "\n"
            case Math(latex, caption):
                return (tex_text(caption) + "\n" if caption else "") + "\\[ " + latex + r" \]"
            case Table(rows, prose):
                return (_dense_table if self.look == "sheet" else _table)(rows, prose)
            case StepBlock(step):
                return _step(step)
            case Question(n, _, latex):
                return r"\[ " + latex + rf" \tag*{{\textbf{{{n}.}}}} \]"
            case Part(document):  # its own look, its sections one level down
                return _Writer(document.look).body(document, down + 1).strip("\n")
        raise TypeError(f"not a block: {b!r}")

    def body(self, doc: Document, down: int = 0) -> str:
        return "\n".join(self.block(b, down) for b in doc.blocks)


def _preamble(look: str, palette: str) -> list[str]:
    if look == "sheet":  # leqno: a question's number (\tag) stands left of its line
        return [
            r"\documentclass[11pt,leqno]{article}",
            r"\usepackage[margin=2cm]{geometry}",
            r"\usepackage[T1]{fontenc}",
            r"\usepackage{amsmath,amssymb,array}",
            r"\usepackage{xcolor}",
            preamble(palette),
        ]
    return [
        r"\documentclass[11pt]{article}",
        r"\usepackage[margin=2cm]{geometry}",
        r"\usepackage{amsmath,amssymb}",
        r"\usepackage{xcolor}",
        "% the colour code: " + ", ".join(f"\\{r} = {w}" for r, w in MACROS.items()),
        preamble(palette),
    ]


def render_latex(doc: Document, palette: str) -> str:
    """A LaTeX document with the four colour macros defined."""
    out = _preamble(doc.look, palette) + [r"\allowdisplaybreaks", r"\setlength{\parindent}{0pt}", r"\begin{document}"]
    out += [_Writer(doc.look).body(doc), r"\end{document}"]
    return "\n".join(out) + "\n"
