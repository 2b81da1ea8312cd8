"""The HTML handout is self-contained: its maths is MathML made on the server (no MathJax, no
network), every formula of every step converts, the numbers and the colour code survive, and
Debian chromium lays the formulas out with the network cut off."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from backprop_widgets import seed_example, worked_example
from backprop_widgets.core import ACTIVATIONS, HIDDEN_ACTIVATIONS, LOSSES, Network, default_sample
from backprop_widgets.explain.mathml import to_mathml
from backprop_widgets.explain.palette import PALETTES, TEXT_PALETTES, hex_colour
from backprop_widgets.explain.render import Math, Paragraph, Table, break_equals, document, top_level_equals

INLINE = re.compile(r"\\\((.*?)\\\)", re.S)
ANNOTATION = re.compile(r"<annotation\b.*?</annotation>", re.S)
COLOURS = {
    "#966500": "rgb(150, 101, 0)",
    "#004174": "rgb(0, 65, 116)",
    "#277D5E": "rgb(39, 125, 94)",
    "#871F26": "rgb(135, 31, 38)",
}
# every activation × loss the core accepts (cross-entropy needs outputs in (0, 1))
COMBOS = [
    (h, o, loss)
    for h in HIDDEN_ACTIVATIONS
    for o in ACTIVATIONS
    for loss in LOSSES
    if loss == "mse" or o in ("sigmoid", "softmax")
]


@pytest.fixture(scope="module")
def seed_we():
    return worked_example(*seed_example())


@pytest.fixture(scope="module")
def seed_html(seed_we):
    return seed_we.to_html()


def formulas(we) -> list[tuple[str, bool]]:
    """Every LaTeX string of a worked example, with whether it is displayed: the handout's prose,
    tables and equations, and each step's parts as the dashboard's panels show them."""
    out: list[tuple[str, bool]] = []
    for b in document(we).blocks:
        if isinstance(b, Paragraph):
            out += [(m, False) for m in INLINE.findall(b.text)]
        elif isinstance(b, Table):
            out += [(m, False) for row in b.rows for cell in row for m in INLINE.findall(cell)]
        elif isinstance(b, Math):
            out.append((b.latex, True))
    for s in we.steps:
        for part in s.parts:
            out += [(part.latex, True), (break_equals(part.latex, 30), True)]
    return out


def visible(mathml: str) -> str:
    """The characters a reader sees: every token's text, annotation left out, spaces removed."""
    root = ET.fromstring(mathml)
    return "".join(el.text or "" for el in root.iter() if el.tag not in ("annotation", "math"))


def check(mathml: str, display: bool) -> ET.Element:
    root = ET.fromstring(mathml)  # well-formed, one element
    assert root.tag == "math" and root.get("display") == ("block" if display else "inline")
    assert "xmlns" not in root.attrib and "http" not in mathml
    for el in root.iter():
        if el.tag == "annotation":
            continue
        assert "\\" not in (el.text or ""), (el.tag, el.text, mathml)  # no raw LaTeX shown
        assert el.text != "&", mathml  # an alignment tab latex2mathml did not understand
        assert el.get("mathvariant", "normal") == "normal", mathml  # MathML Core knows only normal
        assert not {"columnalign", "columnlines", "rowlines", "columnspacing"} & set(el.attrib)
        assert el.get("linebreak") is None
    return root


# --- every formula converts -------------------------------------------------------------------


def test_every_seed_formula_converts(seed_we):
    found = formulas(seed_we)
    assert len(found) > 100
    for latex, display in found:
        check(to_mathml(latex, display, seed_we.palette), display)


def test_wrapping_a_chain_keeps_every_symbol(seed_we):
    """An aligned block (break_equals) becomes an mtable whose cells hold the whole chain."""
    for s in seed_we.steps:
        for part in s.parts:
            wrapped = break_equals(part.latex, 30)
            if wrapped == part.latex:
                continue
            root = check(to_mathml(wrapped, True), True)
            table = root.find(".//mtable")
            assert table is not None and table.get("displaystyle") == "true"
            rows = table.findall("mtr")
            n = len(top_level_equals(part.latex))  # one "= …" a line, the left side maybe alone
            assert len(rows) in (n, n + 1) and len(rows) >= 2
            aligns = [c.get("style").split(";")[0] for c in rows[0]]
            assert aligns == ["text-align: right", "text-align: left"]
            assert visible(to_mathml(wrapped, True)) == visible(to_mathml(part.latex, True))


@pytest.mark.parametrize("hidden, output, loss", COMBOS)
def test_random_networks_convert(hidden, output, loss):
    for sizes, seed in (([2, 3, 2], 1), ([3, 2, 3, 2], 7)):
        net = Network.random(sizes, seed=seed, activation=hidden, output_activation=output, loss=loss)
        x, y = default_sample(net)
        for target in ("w1,1,1", f"b{len(sizes) - 1},1"):
            we = worked_example(net, x, y, traced=target)
            for latex, display in formulas(we):
                check(to_mathml(latex, display, we.palette), display)
            page = we.to_html()
            assert "\\" not in ANNOTATION.sub("", page)


# --- the seed's numbers and colours -----------------------------------------------------------


def test_seed_numbers_survive(seed_we):
    """The seed page's values (the worked example ``core/example.py`` builds), read back from the MathML."""

    def shown(step_id: str) -> str:
        return "".join(visible(to_mathml(p.latex, True)) for p in seed_we.step(step_id).parts)

    assert shown("loss").endswith("=0.5×((0.6506−1.0)2)=0.5×(0.1221)=0.0611")
    assert shown("bp1").endswith("=(0.6506−1.0)·0.2273=(−0.3494)·0.2273=−0.0794")
    assert "(−0.00212−0.00235)" in shown("bp2-1")  # δ⁽¹⁾, a column vector
    assert shown("bp3").endswith("=1.0×(−0.00212)=−0.00212")
    assert "≈" in shown("check") and "=−0.00212" in shown("check")


def test_seed_handout_numbers_and_colours(seed_html):
    text = re.sub(r"<[^>]+>", "", ANNOTATION.sub("", seed_html))
    for value in ("0.0611", "0.5622", "0.8997", "−0.0794", "−0.00212", "−0.00235", "−0.00490"):
        assert value in text, value
    for colour in COLOURS:
        assert seed_html.count(f'mathcolor="{colour}"') >= 5, colour
    # the gradient itself is drawn in the errors' colour (its text shade)
    assert (
        '<mstyle mathcolor="#871F26"><mo form="prefix" lspace="0" rspace="0">−</mo><mn>0.00212</mn></mstyle>'
    ) in seed_html


@pytest.mark.parametrize("palette", list(PALETTES))
def test_both_palettes_colour_the_maths(palette):
    we = worked_example(*seed_example(), palette=palette)
    page = we.to_html()
    for role, colour in TEXT_PALETTES[palette].items():
        assert f'mathcolor="{colour}"' in page, (role, colour)
        assert f"text {colour}, diagram {hex_colour(role, palette)}" in page  # the colour table names both


def test_handout_is_self_contained(seed_html):
    assert seed_html.startswith("<!DOCTYPE html>")
    assert "<script" not in seed_html and "mathjax" not in seed_html.lower()
    assert not re.search(r"https?://|\bsrc=|\burl\(|@import|<link\b", seed_html)
    assert 'font-family: "STIX Two Math", "Latin Modern Math", "Cambria Math"' in seed_html
    outside = ANNOTATION.sub("", seed_html)
    assert "\\" not in outside  # no \( \[ \frac … left for a script to typeset
    assert seed_html.count("<math ") == seed_html.count("</math>") > 100
    assert seed_html.count("<annotation ") == seed_html.count("<math ")  # the TeX source rides along


# --- the small transformations latex2mathml needs ------------------------------------------------


def test_preprocessing_and_mathml_core_fixes():
    # a prime sits beside its base (as a superscript it flies off in Chromium)
    m = to_mathml(r"\sigma'(z)", True)
    assert '<mrow><mi>σ</mi><mo lspace="0" rspace="0">′</mo></mrow>' in m and "<msup>" not in m
    # a sign after an operator or an opening bracket is unary; between operands it stays binary
    m = to_mathml(r"(-1.0) \cdot 2 = -0.3 - 0.1", True)
    assert m.count('form="prefix"') == 2 and m.count("<mo>−</mo>") == 1
    m = to_mathml(r"(1.0,\; -1.0)^T \; (\cdot)^T \; u \odot v", False)
    assert m.count('form="prefix"') == 2 and "<mo>⊙</mo>" in m
    # ∂ and ∇ are ordinary symbols: no operator space around them
    assert '<mo lspace="0" rspace="0">∂</mo><mi>ℒ</mi>' in to_mathml(r"\partial\mathcal{L}", False)
    # \boldsymbol: the Unicode bold italic letter (MathML Core has no mathvariant="bold-italic")
    assert "<mi>𝜹</mi>" in to_mathml(r"\boldsymbol{\delta}", False)
    # one-letter \mathrm stays upright
    assert "<mtext>A</mtext>" in to_mathml(r"P_{\mathrm{A}}", False)
    # a thin space after a function name, none before a bracket
    assert '<mi>tanh</mi><mspace width="0.1667em" /><mi>z</mi>' in to_mathml(r"\tanh z", False)
    assert "<mi>ln</mi><mrow><mo" in to_mathml(r"\ln\left(1 - a\right)", False)
    # a matrix is a group of its own, so its brackets stretch to it and not to its neighbours
    m = to_mathml(r"\frac{1}{2} \begin{pmatrix} 1 \\ 2 \end{pmatrix}", True)
    assert re.search(r"<mrow><mo>\(</mo><mtable>.*</mtable><mo>\)</mo></mrow>", m)
    # array rules become cell borders; TeX's -- an en dash
    m = to_mathml(r"\begin{array}{c|c} a & b \\ \hline \text{--} & d \end{array}", True)
    assert m.count("border-right: 1px solid") == 2 and m.count("border-bottom: 1px solid") == 2
    assert "<mtext>–</mtext>" in m
    # colours: every macro, as mathcolor, in either palette
    m = to_mathml(r"\inp{x} \wt{w} \act{a} \err{\delta}", False, "page")
    assert re.findall(r'mathcolor="(#\w+)"', m) == ["#9C6300", "#0000FF", "#008000", "#E10000"]  # text shades
    with pytest.raises(ValueError, match="palette"):
        to_mathml("x", False, "rainbow")


# --- in the browser, offline --------------------------------------------------------------------


@pytest.mark.browser
def test_handout_renders_offline_in_chromium(context, seed_html, tmp_path):
    path = tmp_path / "handout.html"
    path.write_text(seed_html, encoding="utf-8")
    attempted: list[str] = []

    def offline(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    context.route("**/*", offline)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")

    assert attempted == [] and errors == []
    boxes = page.evaluate("""() => [...document.querySelectorAll('math')].map(m => {
        const r = m.getBoundingClientRect(); return [r.width, r.height]; })""")
    assert len(boxes) == seed_html.count("<math ")
    assert all(w > 0 and h > 0 for w, h in boxes), [b for b in boxes if not (b[0] > 0 and b[1] > 0)]
    text = page.evaluate("document.body.innerText")
    for raw in ("\\frac", "\\[", "\\(", "\\begin", "\\color"):
        assert raw not in text
    assert "0.0611" in text and "−0.00212" in text
    # typeset, not merely present: a numerator sits above its denominator, a vector's entries
    # stack, and the vector's brackets stretch over both
    layout = page.evaluate("""() => {
        const frac = document.querySelector('.bp-math mfrac');
        const [num, den] = [...frac.children].map(c => c.getBoundingClientRect());
        const vec = document.querySelector('[data-step="bp2-1"] mtable');
        const [r1, r2] = [...vec.querySelectorAll('mtr')].map(c => c.getBoundingClientRect());
        const paren = vec.previousElementSibling.getBoundingClientRect();
        const line = document.querySelector('p').getBoundingClientRect();
        return {num: num.bottom, den: den.top, r1: r1.bottom, r2: r2.top,
                paren: paren.height, rows: r1.height + r2.height};
    }""")
    assert layout["num"] <= layout["den"] and layout["r1"] <= layout["r2"], layout
    assert layout["paren"] >= 0.9 * layout["rows"], layout
    # the colour code is drawn
    drawn = set(
        page.evaluate("() => [...document.querySelectorAll('mstyle[mathcolor]')].map(e => getComputedStyle(e).color)")
    )
    assert set(COLOURS.values()) <= drawn, drawn
    page.screenshot(path=tmp_path / "handout.png", full_page=True)
