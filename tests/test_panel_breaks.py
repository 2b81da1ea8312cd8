"""Vectors, brackets and wide matrices break into pieces that each are a formula of their own,
and together show exactly what the whole formula shows, in the same colours (issue 21, B9).

The browser side (every piece fits the panel at 900 to 2560 px) is tests/test_browser_panel.py.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from backprop_widgets import Network, seed_example, worked_example
from backprop_widgets.core import default_sample
from backprop_widgets.explain.breaks import breaks
from backprop_widgets.explain.flow import PRODUCT_OPERATORS, mathml_piece, pieces, step_html
from backprop_widgets.explain.mathml import to_mathml

NETS = ([2, 8, 8, 8, 1], [8, 16, 16, 8, 4], [8] * 7, [3, 2, 2, 1])
#: other functions write other formulas (softmax's coupled BP1, ReLU's kinks, ln of the loss)
FUNCTIONS = (("tanh", "softmax", "cross_entropy"), ("relu", "linear", "mse"), ("sigmoid", "sigmoid", "cross_entropy"))


def leaves(tree) -> list[str]:
    return [tree] if isinstance(tree, str) else [leaf for t in tree for leaf in leaves(t)]


def shown(latex: str) -> list[tuple[str, str]]:
    """What a formula shows: each character of its MathML with the colour it is drawn in."""
    out = []

    def walk(el: ET.Element, colour: str) -> None:
        if el.tag == "annotation":
            return
        colour = el.get("mathcolor", colour)
        out.extend((c, colour) for c in (el.text or "") if not c.isspace())
        for child in el:
            walk(child, colour)

    walk(ET.fromstring(to_mathml(latex, False, "okabe-ito")), "")
    return out


def factors(net: Network):
    """Every piece the panel would set before this change (cut at =, +, −, then products)."""
    we = worked_example(net, *default_sample(net), "w1,1,1")
    for step in we.steps:
        for latex in [step.result or ""] + [p.latex for p in step.parts]:
            for term in pieces(latex) if latex else []:
                yield from pieces(term, PRODUCT_OPERATORS)


@pytest.mark.parametrize(
    "sizes, functions", [(n, ("sigmoid", None, "mse")) for n in NETS] + [([3, 8, 8, 4], f) for f in FUNCTIONS], ids=str
)
def test_pieces_show_exactly_the_formula_in_its_colours(sizes, functions):
    activation, output, loss = functions
    net = Network.random(sizes, activation=activation, output_activation=output, loss=loss)
    broken = 0
    for factor in factors(net):
        tree = breaks(factor)
        if isinstance(tree, str):
            assert tree == factor
            continue
        broken += 1
        parts = [shown(leaf) for leaf in leaves(tree)]  # each leaf is a formula of its own
        whole = shown(factor)
        joined = [c for part in parts for c in part]
        if re.search(r"\\begin\{[pb]matrix\}(?:[^&]*&){3}", factor):  # columns: the same entries
            assert Counter(joined) == Counter(whole), factor
        else:  # the same characters in the same order, in the same colours
            assert joined == whole, factor
    assert broken > 0


def test_the_result_vector_of_2_8_8_8_1_is_one_piece_an_element():
    """Issue 21, B9: a⁽¹⁾ = (0.7171, 0.5200, 0.4134, 0.4329, 0.2554, 0.7…) was one piece."""
    net = Network.random([2, 8, 8, 8, 1])
    x, y = default_sample(net)
    a1 = net.trace(x, y).a[1]
    result = worked_example(net, x, y, "w1,1,1").step("forward-1").result
    tree = breaks(pieces(result)[1])
    texts = ["".join(c for c, _ in shown(leaf)) for leaf in leaves(tree)]
    assert texts == ["=(" + f"{a1[0]:.4f},"] + [f"{a:.4f}," for a in a1[1:-1]] + [f"{a1[-1]:.4f})"]
    assert texts[:2] == ["=(0.7171,", "0.5200,"]  # the numbers
    colours = {colour for leaf in leaves(tree) for c, colour in shown(leaf) if c.isdigit()}
    assert colours == {"#277D5E"}  # the activations' text shade of green, on every line


def test_a_wide_matrix_breaks_between_its_columns():
    latex = r"\wt{\begin{pmatrix} 1 & 2 & 3 & 4 \\ 5 & 6 & 7 & 8 \end{pmatrix}}"
    columns = leaves(breaks(latex))
    assert [[c for c, _ in shown(col) if c.isdigit()] for col in columns] == [
        ["1", "5"],
        ["2", "6"],
        ["3", "7"],
        ["4", "8"],
    ]
    assert shown(columns[0])[0] == ("(", "#004174") and shown(columns[-1])[-1] == (
        ")",
        "#004174",
    )  # weights: text shade
    small = r"\begin{pmatrix} 1 & 2 & 3 \\ 4 & 5 & 6 \end{pmatrix}"
    assert breaks(small) == small  # a matrix that fits a line stays one piece


@pytest.mark.parametrize(
    "latex",
    [r"\sigma(0.93)", r"\wt{(-0.36)}", r"\frac{1}{1 + e^{-z}}", r"w_{1,1}^{(1)}", r"\left| g \right|"],
)
def test_what_has_no_place_to_break_stays_one_piece(latex):
    assert breaks(latex) == latex


def test_a_sign_after_a_comma_or_an_operator_stays_with_its_number():
    tree = breaks(r"\err{\left(-0.0297,\; -0.5 - 0.2\right)}")
    assert ["".join(c for c, _ in shown(leaf)) for leaf in leaves(tree)] == ["(−0.0297,", "−0.5", "−0.2)"]


def test_the_panel_sets_each_leaf_as_a_piece():
    we = worked_example(*seed_example())
    page = step_html(we.step("forward-1"), we.palette)
    assert '<span class="bpw-flow">' in page  # the result vector runs on like words
    assert mathml_piece(r"{}=  \act{(0.5,\; }", we.palette) in page
