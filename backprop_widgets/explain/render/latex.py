"""The worked example as a LaTeX document (article, amsmath, xcolor). It keeps the colour macros
and defines them once in the preamble (:func:`.palette.preamble`); the file is ASCII: Unicode in
the text becomes LaTeX text or maths (:func:`tex_text`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from ..inline import INLINE
from ..palette import MACROS, preamble
from ..steps import Step
from .document import MathBlock, StepBlock, TableBlock, TextBlock, document

if TYPE_CHECKING:
    from ..walkthrough import WorkedExample

_SUPER = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁺⁻ᴸˡᵀ²", "0123456789()+-LlT2"))
_SUBS = dict(zip("₀₁₂₃₄₅₆₇₈₉ₐᵢⱼₖ", "0123456789aijk"))
_TEX_TEXT = {
    **{ord(c): rf"\textsuperscript{{{d}}}" for c, d in _SUPER.items()},
    **{ord(c): rf"\textsubscript{{{d}}}" for c, d in _SUBS.items()},
    ord("σ"): r"\ensuremath{\sigma}",
    ord("′"): r"\ensuremath{'}",
    ord("δ"): r"\ensuremath{\delta}",
    ord("⊙"): r"\ensuremath{\odot}",
    ord("∇"): r"\ensuremath{\nabla}",
    ord("∂"): r"\ensuremath{\partial}",
    ord("ε"): r"\ensuremath{\varepsilon}",
    ord("−"): r"\ensuremath{-}",
    ord("·"): r"\ensuremath{\cdot}",
    ord("×"): r"\ensuremath{\times}",
    ord("≈"): r"\ensuremath{\approx}",
    ord("✓"): r"\ensuremath{\checkmark}",
    ord("✗"): r"\ensuremath{\times}",
    ord("Σ"): r"\ensuremath{\Sigma}",
    ord("½"): r"\ensuremath{\tfrac12}",
    ord("→"): r"\ensuremath{\to}",
    ord("≤"): r"\ensuremath{\le}",
    ord("≥"): r"\ensuremath{\ge}",
    ord("±"): r"\ensuremath{\pm}",
    ord("⚠"): r"\textbf{!}",
    ord("θ"): r"\ensuremath{\theta}",
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
}


def tex_text(text: str) -> str:
    """Plain Unicode text as LaTeX text (special characters escaped, symbols as math)."""
    out = text.translate(_TEX_TEXT)
    return "".join(c if c.isascii() else "?" for c in out)


def tex_mixed(text: str) -> str:
    """Text with ``\\( … \\)`` math: escape the text, keep the math."""
    out, pos = [], 0
    for m in INLINE.finditer(text):
        out.append(tex_text(text[pos : m.start()]))
        out.append(r"\(" + m.group(1).replace("σ′", r"\sigma'").replace("σ", r"\sigma").replace("δ", r"\delta") + r"\)")
        pos = m.end()
    out.append(tex_text(text[pos:]))
    return "".join(out)


def _table(rows: Sequence[Sequence[str]]) -> str:
    ncol = len(rows[0])
    spec = "l" * (ncol - 1) + ("p{0.6\\textwidth}" if ncol == 2 else "l")
    lines = [rf"\begin{{tabular}}{{{spec}}}", r"\hline"]
    lines.append(" & ".join(r"\textbf{" + tex_mixed(c) + "}" for c in rows[0]) + r" \\ \hline")
    lines += [" & ".join(tex_mixed(c) for c in r) + r" \\" for r in rows[1:]]
    lines += [r"\hline", r"\end{tabular}", ""]
    return "\n".join(lines)


def _step(s: Step) -> list[str]:
    out = [r"\emph{" + tex_text(s.text) + "}\n"]
    for part in s.parts:
        if part.caption:
            out.append(tex_text(part.caption))
        out.append(r"\[ " + part.latex + r" \]")
    return out


_HEADING = {"h2": "section*", "h3": "subsection*"}


def to_latex(we: "WorkedExample") -> str:
    """A LaTeX document with the four colour macros defined."""
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
    for b in document(we):
        if isinstance(b, TextBlock) and b.kind == "h1":
            out.append(r"{\LARGE\bfseries " + tex_text(b.content) + r"}\par\medskip")
        elif isinstance(b, TextBlock) and b.kind == "p":
            out.append(tex_mixed(b.content) + "\n")
        elif isinstance(b, TextBlock):
            out.append(rf"\{_HEADING[b.kind]}{{{tex_text(b.content)}}}")
        elif isinstance(b, MathBlock):
            caption, latex = b.content
            out.append((tex_text(caption) + "\n" if caption else "") + "\\[ " + latex + r" \]")
        elif isinstance(b, TableBlock):
            out.append(_table(b.content))
        elif isinstance(b, StepBlock):
            out += _step(b.content)
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"
