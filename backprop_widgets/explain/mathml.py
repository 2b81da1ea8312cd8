"""LaTeX → MathML Core on the server, so that a page shows typeset maths with no script and no network.

Current browsers draw MathML Core natively and screen readers read it. :func:`to_mathml` converts one
formula with `latex2mathml <https://pypi.org/project/latex2mathml/>`_ and then makes the result fit
MathML Core (what Chromium draws), which leaves out some of the attributes latex2mathml writes:

=====================================  ===========================================================
before latex2mathml (LaTeX)            why
=====================================  ===========================================================
``\\inp{…}`` … → ``{\\color{#hex} …}``  the colour code (:func:`backprop_widgets.explain.palette.expand`);
                                       it becomes ``<mstyle mathcolor="#hex">``
``aligned`` → ``split``                latex2mathml knows ``split`` (same rows and ``&`` columns)
``{\\begin{pmatrix} … }``               a group of its own, so the brackets stretch to the matrix only
``\\mathrm{A}`` → ``\\text{A}``          a one-letter ``\\mathrm`` would be drawn italic
``\\text{--}`` → ``\\text{–}``           TeX's dash ligatures
=====================================  ===========================================================

=====================================  ===========================================================
after (MathML)                         MathML Core equivalent
=====================================  ===========================================================
``mathvariant="bold-italic"`` …        the Unicode mathematical letter (𝜹); Core knows only ``normal``
``mtd columnalign``                    CSS ``text-align``
``mtable columnspacing/rowspacing``    CSS ``padding`` of the cells
``mtable columnlines/rowlines``        CSS borders of the cells
=====================================  ===========================================================

The original LaTeX is kept in ``<annotation encoding="application/x-tex">`` (copy and paste, and
for tools that read TeX); browsers do not show it.
"""

from __future__ import annotations

import html
import re
import unicodedata
import xml.etree.ElementTree as ET

from latex2mathml.converter import convert_to_element

from .palette import expand

__all__ = ["to_mathml", "html_with_math", "mathml_in_html", "MATH_CSS"]

# for a page's <style>: fonts with an OpenType MATH table; DejaVu's is what Debian ships by default
MATH_CSS = 'math { font-family: "STIX Two Math", "Latin Modern Math", "Cambria Math", "DejaVu Math TeX Gyre", math; }'

_INLINE = re.compile(r"\\\((.*?)\\\)", re.S)
_MATRIX_ENV = r"(?:p|b|B|v|V)?matrix"


# --- LaTeX side ------------------------------------------------------------------------------


def _text_dashes(m: re.Match) -> str:
    return r"\text{" + m.group(1).replace("---", "—").replace("--", "–") + "}"


def preprocess(latex: str, palette: str = "okabe-ito") -> str:
    """The LaTeX latex2mathml is given: our macros expanded and the rewrites in the module's table."""
    tex = expand(latex, palette)
    tex = re.sub(r"\\(begin|end)\{aligned\}", r"\\\1{split}", tex)
    tex = re.sub(r"\\begin\{(" + _MATRIX_ENV + r")\}", r"{\\begin{\1}", tex)
    tex = re.sub(r"\\end\{(" + _MATRIX_ENV + r")\}", r"\\end{\1}}", tex)
    tex = re.sub(r"\\mathrm\{([A-Za-z0-9 ]+)\}", r"\\text{\1}", tex)
    tex = re.sub(r"\\text\{([^{}]*)\}", _text_dashes, tex)
    return tex


# --- MathML side -----------------------------------------------------------------------------

_VARIANT = {
    "bold": "BOLD",
    "italic": "ITALIC",
    "bold-italic": "BOLD ITALIC",
    "script": "SCRIPT",
    "bold-script": "BOLD SCRIPT",
    "double-struck": "DOUBLE-STRUCK",
    "fraktur": "FRAKTUR",
    "bold-fraktur": "BOLD FRAKTUR",
    "sans-serif": "SANS-SERIF",
    "monospace": "MONOSPACE",
}
_NAME = re.compile(r"(LATIN|GREEK) (SMALL|CAPITAL) LETTER (\w+)$|DIGIT (\w+)$")


def _styled_char(c: str, variant: str) -> str | None:
    """``c`` in the Mathematical Alphanumeric Symbols block, e.g. δ bold-italic → 𝜹; None if none."""
    m = _NAME.match(unicodedata.name(c, ""))
    if not m:
        return None
    if m.group(4):
        name = f"MATHEMATICAL {_VARIANT[variant]} DIGIT {m.group(4)}"
    else:
        name = f"MATHEMATICAL {_VARIANT[variant]} {m.group(2)} {m.group(3)}"
    try:
        return unicodedata.lookup(name)
    except KeyError:
        return None


def _styled_text(text: str, variant: str) -> str | None:
    """Every character of ``text`` in the Mathematical Alphanumeric Symbols block; None if one has
    no such form."""
    chars = []
    for c in text:
        styled = _styled_char(c, variant)
        if styled is None:
            return None
        chars.append(styled)
    return "".join(chars)


def _apply_variant(el: ET.Element) -> None:
    variant = el.get("mathvariant")
    if variant in _VARIANT and el.text:
        styled = _styled_text(el.text, variant)
        if styled is not None:
            el.text = styled
            del el.attrib["mathvariant"]


def _lengths(value: str | None) -> list[str]:
    return value.split() if value else []


def _nth(values: list[str], i: int) -> str:
    """The i-th entry of a non-empty MathML list attribute; the last one repeats."""
    return values[min(i, len(values) - 1)]


_LENGTH = re.compile(r"(\d*\.?\d+)([a-z%]*)$")


def _half(length: str) -> str:
    """Half a MathML length (each of two neighbouring cells pads by half the spacing)."""
    m = _LENGTH.match(length)
    if not m:
        return f"calc({length} / 2)"
    value = float(m.group(1)) / 2
    return "0" if value == 0 else f"{value:g}{m.group(2)}"


def _style_table(table: ET.Element) -> None:
    """Rewrite mtable/mtd layout attributes that MathML Core lacks as inline CSS on the cells."""
    colspacing = _lengths(table.attrib.pop("columnspacing", None))
    rowspacing = _lengths(table.attrib.pop("rowspacing", None))
    collines = _lengths(table.attrib.pop("columnlines", None))
    rowlines = _lengths(table.attrib.pop("rowlines", None))
    rows = [r for r in table if r.tag == "mtr"]
    for i, row in enumerate(rows):
        cells = [c for c in row if c.tag == "mtd"]
        for j, cell in enumerate(cells):
            css = []
            align = cell.attrib.pop("columnalign", None)
            if align:
                css.append(f"text-align: {align}")
            if colspacing:
                left = _half(_nth(colspacing, j - 1)) if j > 0 else "0"
                right = _half(_nth(colspacing, j)) if j < len(cells) - 1 else "0"
                css.append(f"padding-left: {left}; padding-right: {right}")
            if rowspacing:
                top = _half(_nth(rowspacing, i - 1)) if i > 0 else "0"
                bottom = _half(_nth(rowspacing, i)) if i < len(rows) - 1 else "0"
                css.append(f"padding-top: {top}; padding-bottom: {bottom}")
            if j < len(cells) - 1 and collines and _nth(collines, j) in ("solid", "dashed"):
                css.append(f"border-right: 1px {_nth(collines, j)} currentColor")
            if i < len(rows) - 1 and rowlines and _nth(rowlines, i) in ("solid", "dashed"):
                css.append(f"border-bottom: 1px {_nth(rowlines, i)} currentColor")
            if css:
                old = cell.get("style")
                cell.set("style", "; ".join(([old] if old else []) + css))


_PRIMES = frozenset("′″‴")
_CLOSING = frozenset(")]}⟩|‖")
_BINARY = frozenset("+−±∓·×÷⊙⊗⊕∘∗")  # TeX's binary operators that we write


def _is_primes(el: ET.Element) -> bool:
    """A superscript made only of primes: ``′``, or ``<mrow><mi>′</mi><mi>′</mi></mrow>``."""
    tokens = [e for e in el.iter() if e.tag != "mrow"]
    return bool(tokens) and all(e.tag in ("mi", "mo") and e.text and set(e.text) <= _PRIMES for e in tokens)


def _spacing(parent: ET.Element) -> None:
    """TeX's spacing where MathML Core's operator dictionary differs, in one row of children."""
    prev = None
    for i, child in enumerate(list(parent)):
        if child.tag == "msup" and len(child) == 2 and _is_primes(child[1]):
            # σ' : the prime glyph already sits at superscript height; as a superscript it flies
            # off (Chromium does not pick the font's ssty variant), so set it beside the base
            row = ET.Element("mrow")
            prime = ET.SubElement(row, "mo", lspace="0", rspace="0")
            prime.text = "".join(e.text for e in child[1].iter() if e.tag != "mrow" and e.text)
            row.insert(0, child[0])
            parent.remove(child)
            parent.insert(i, row)
            child = row
        elif (
            child.tag == "mo"
            and child.text in _BINARY
            and "form" not in child.attrib
            and (prev is None or (prev.tag == "mo" and prev.text not in _CLOSING))
        ):
            # a binary operator after nothing, an opening bracket, a relation or another operator
            # is unary: −0.3494, (−1.0), = −0.00212, (·) (TeX makes it ordinary; Core spaces it)
            child.set("form", "prefix")
            child.set("lspace", "0")
            child.set("rspace", "0")
        elif (
            child.tag == "mo"
            and child.text in ("/", "|")
            and child.get("stretchy") != "true"
            and "fence" not in child.attrib
        ):
            child.set("lspace", "0")  # ∂L/∂w and |g|: ordinary symbols in TeX
            child.set("rspace", "0")
        if child.tag != "mspace":  # \; between "," and "−1.0" leaves the sign unary
            prev = child
    # \ln a, \tanh^2 z: a thin space after a function name unless a bracket follows
    children = list(parent)
    for child, after in reversed(list(zip(children, children[1:]))):
        if _function_name(child) and not _opens(after):
            parent.insert(list(parent).index(child) + 1, ET.Element("mspace", width="0.1667em"))


_OPENING = frozenset("([{|⟨‖")
_FUNCTION = re.compile(r"[A-Za-z]{2,}$")


def _function_name(el: ET.Element) -> bool:
    """``ln``, ``tanh``, ``max`` … (latex2mathml writes them as one ``mi``/``mo``), maybe with scripts."""
    if el.tag in ("msup", "msub", "msubsup") and len(el):
        el = el[0]
    return el.tag in ("mi", "mo") and el.text is not None and _FUNCTION.match(el.text) is not None


def _opens(el: ET.Element) -> bool:
    while el.tag in ("mrow", "mstyle") and len(el):
        el = el[0]
    return el.tag == "mspace" or (el.tag == "mo" and el.text in _OPENING)


def _to_core(root: ET.Element) -> None:
    for el in root.iter():
        if el.text:  # latex2mathml keeps symbols as character references in the text
            el.text = html.unescape(el.text)
        if "mathvariant" in el.attrib and el.get("mathvariant") != "normal":
            _apply_variant(el)
        if el.tag == "mo" and el.text in ("∂", "∇"):  # ordinary symbols in TeX: ∂L, ∇ₐL
            el.set("lspace", "0")
            el.set("rspace", "0")
    for el in list(root.iter()):
        if len(el) and el.tag not in (
            "mfrac",
            "msup",
            "msub",
            "msubsup",
            "munder",
            "mover",
            "munderover",
            "mroot",
            "mtable",
            "mtr",
        ):
            _spacing(el)
    for table in root.iter("mtable"):
        _style_table(table)


def to_mathml(latex: str, display: bool = False, palette: str = "okabe-ito", *, displaystyle: bool = False) -> str:
    """One formula as a ``<math>`` element of MathML Core, colours as ``mathcolor``.

    Parameters
    ----------
    latex : the formula, without delimiters; may use ``\\inp``, ``\\wt``, ``\\act``, ``\\err``
    display : a display (block) formula, else inline
    palette : the colours of the four macros (see :mod:`backprop_widgets.explain.palette`)
    displaystyle : an inline formula set in display style (full-size fractions, limits below
        sums), as TeX's ``\\displaystyle``: the dashboard's pieces, which wrap like words

    Returns
    -------
    str
        ``<math display="block|inline">…<annotation encoding="application/x-tex">…</annotation></math>``,
        without an ``xmlns`` (HTML puts ``math`` in the MathML namespace by itself)
    """
    tex = preprocess(latex, palette)
    math = convert_to_element(tex, display="block" if display else "inline")
    math.attrib.pop("xmlns", None)
    if displaystyle and not display:
        math.set("displaystyle", "true")
    _to_core(math)
    # <math><semantics><mrow>…</mrow><annotation>…</annotation></semantics></math>
    semantics = ET.Element("semantics")
    semantics.extend(list(math))
    for child in list(math):
        math.remove(child)
    if len(semantics) != 1:  # semantics presents its first child: keep everything in one mrow
        row = ET.Element("mrow")
        row.extend(list(semantics))
        for child in list(semantics):
            semantics.remove(child)
        semantics.append(row)
    annotation = ET.SubElement(semantics, "annotation", encoding="application/x-tex")
    annotation.text = expand(latex, palette)
    math.append(semantics)
    return ET.tostring(math, encoding="unicode", short_empty_elements=True)


def html_with_math(text: str, palette: str = "okabe-ito") -> str:
    """Prose with ``\\( … \\)`` inline maths as HTML: the text escaped, each formula as MathML."""
    return mathml_in_html(html.escape(text, quote=False), palette)


def mathml_in_html(markup: str, palette: str = "okabe-ito") -> str:
    """HTML with ``\\( … \\)`` inline maths, each formula replaced by MathML (the HTML around it
    is kept as it is). A browser draws it natively: no MathJax to load and run on the page."""
    return _INLINE.sub(lambda m: to_mathml(html.unescape(m.group(1)), False, palette), markup)
