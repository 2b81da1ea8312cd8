"""The step panel's text: long equality chains break for the narrow panel, signs read well."""

import re

import pytest

from backprop_widgets import Network, seed_example, worked_example
from backprop_widgets.explain.render import break_equals, top_level_equals, visible_length

Z1 = (
    r"z_{1}^{(1)} = \wt{0.1}\cdot\inp{1.0} + \wt{0.2}\cdot\inp{0.5} + \wt{0.3}\cdot\inp{(-1.0)}"
    r" + \wt{0.1} = 0.1 + 0.1 - 0.3 + 0.1 = 0.0"
)


def test_long_chain_breaks_at_each_top_level_equals():
    out = break_equals(Z1, 40)
    assert out.startswith(r"\begin{aligned} {}z_{1}^{(1)} &= \wt{0.1}")
    assert out.count("&=") == 3 and out.count(r"\\") == 2
    assert r"&= 0.1 + 0.1 - 0.3 + 0.1 \\ &= 0.0 \end{aligned}" in out
    # nothing but the alignment marks and line breaks was added
    stripped = out.replace(r"\begin{aligned} {}", "").replace(r" \end{aligned}", "")
    assert re.sub(r"\s|&|\\\\", "", stripped) == re.sub(r"\s", "", Z1)


def test_short_or_single_equalities_stay_as_they_are():
    assert break_equals(Z1, 200) == Z1
    assert break_equals(r"a = " + "x + " * 30 + "y", 10) == r"a = " + "x + " * 30 + "y"


def test_equals_inside_groups_do_not_count():
    latex = r"\sigma'(z) = \begin{cases} 1 & z = 1 \\ 0 \end{cases} = \left( a = b \right) = {c = d}"
    eqs = top_level_equals(latex)
    cuts = [0] + eqs + [len(latex)]
    pieces = [latex[a:b].strip(" =") for a, b in zip(cuts, cuts[1:])]
    assert pieces == [r"\sigma'(z)", r"\begin{cases} 1 & z = 1 \\ 0 \end{cases}", r"\left( a = b \right)", "{c = d}"]


def test_visible_length_ignores_colours_and_commands():
    assert visible_length(r"{\color{#0072B2}0.1}\cdot\inp{1.0}") == len("0.1x1.0")


def test_panel_html_wraps_only_when_asked():
    net, x, y = seed_example()
    we = worked_example(net, x, y)
    assert "aligned" in we.step_html("forward-1", wrap=44)
    assert "aligned" not in we.step_html("forward-1")


def test_worked_example_reuses_a_given_trace_and_refuses_a_foreign_one():
    net, x, y = seed_example()
    t = net.trace(x, y)
    we = worked_example(net, x, y, trace=t)
    assert we.trace is t
    other = Network.random([3, 2, 2, 1], seed=1)
    with pytest.raises(ValueError, match="trace must be"):
        worked_example(other, x, y, trace=t)
    with pytest.raises(ValueError, match="trace must be"):
        worked_example(net, [0.0, 0.5, -1.0], y, trace=t)


def test_a_long_left_side_gets_its_own_line():
    latex = r"P_{\mathrm{A}}\ (w_{1,1}^{(1)} \to a_1^{(1)} \to a_1^{(2)} \to \mathcal{L}) = 1.0 \cdot 0.25 = 0.25"
    out = break_equals(latex, 30)
    assert out.split(r" \\ ") == [
        r"\begin{aligned} {}P_{\mathrm{A}}\ (w_{1,1}^{(1)} \to a_1^{(1)} \to a_1^{(2)} \to \mathcal{L}) &",
        r"&= 1.0 \cdot 0.25",
        r"&= 0.25 \end{aligned}",
    ]


def test_negative_weights_and_biases_are_parenthesised_in_sums():
    # z = (−0.5)·1.0 + 0.25·(−2.0) + (−0.25) = −0.5 − 0.5 − 0.25 = −1.25
    net = Network([[[-0.5, 0.25]]], [[-0.25]], activation="linear")
    we = worked_example(net, [1.0, -2.0], [0.0])
    line = we.step("forward-1").parts[1].latex
    assert "+ -" not in line and "+ \\wt{-" not in line
    assert line == (
        r"z_{1}^{(1)} = \wt{(-0.5)}\cdot\inp{1.0} + \wt{0.25}\cdot\inp{(-2.0)} + \wt{(-0.25)}"
        r" = -0.5 - 0.5 - 0.25 = -1.25"
    )


def test_negative_targets_are_parenthesised():
    net = Network.random([2, 2, 1], seed=4, activation="tanh")
    we = worked_example(net, [0.5, -0.5], [-0.5])
    text = we.step("loss").parts[1].latex + we.step("bp1").latex
    assert "- -" not in text and "- (-0.5)" in text


def test_softmax_cross_entropy_says_why_when_targets_do_not_sum_to_one():
    net = Network.random([2, 2], seed=1, activation="linear", output_activation="softmax", loss="cross_entropy")
    assert "because the targets sum to 1" in worked_example(net, [1, 0], [0, 1]).step("bp1").text
    text = worked_example(net, [1, 0], [1, 1]).step("bp1").text
    assert "do not sum to 1" in text and "because the targets sum to 1" not in text


@pytest.mark.parametrize(
    "w,y,label,value", [(40.0, 0.0, r"(1 - \act{a_{1}^{(1)}})", "-40.5"), (-800.0, 1.0, r"\act{a_{1}^{(1)}}", "-799.5")]
)
def test_saturated_cross_entropy_shows_the_log_not_ln_zero(w, y, label, value):
    # σ(40.5) prints as 1.0, so ln(1 − a) would read "ln 0.0"; its value −40.5 is exact: −softplus(40.5)
    net = Network([[[w]]], [[0.5]], loss="cross_entropy")
    line = worked_example(net, [1.0], [y]).step("loss").parts[1].latex
    assert r"\ln 0.0" not in line
    assert rf"\underbrace{{\ln {label}}}_{{{value}}}" in line and line.endswith(value.lstrip("-"))


def test_a_left_side_starting_with_a_bracket_is_not_an_optional_argument():
    # "\begin{aligned}[" would make MathJax read "[…]" as the environment's position argument
    latex = r"[(\mathbf{W}^{(2)})^T \boldsymbol{\delta}^{(2)}]_{1} = 0.78 \times (-0.2779) = -0.2168"
    assert break_equals(latex, 10).startswith(r"\begin{aligned} {}[(\mathbf{W}")


def test_panel_equations_are_mathml_pieces_that_wrap():
    """The dashboard's panel: each piece of an equation is MathML in display style (drawn by
    the browser, no MathJax), the colour code as mathcolor, no TeX left outside annotations."""
    import xml.etree.ElementTree as ET

    from backprop_widgets.explain.flow import mathml_piece, step_html

    we = worked_example(*seed_example())
    for step in we.steps:
        page = step_html(step, we.palette)
        assert "\\(" not in page and "$$" not in page
        shown = re.sub(r"<annotation\b.*?</annotation>", "", page, flags=re.S)
        assert "\\" not in shown, step.id
        for piece in re.findall(r'<span class="bpw-piece">(.*?)</span>', page, re.S):
            root = ET.fromstring(piece)
            assert root.tag == "math" and root.get("display") == "inline" and root.get("displaystyle") == "true"
    z1 = step_html(we.step("forward-1"), we.palette)
    assert z1.count('class="bpw-piece"') > 10 and '<div class="bpw-result"' in z1
    assert 'mathcolor="#004174"' in z1 and "<wbr>" in z1  # weights' text shade; a place to wrap
    assert mathml_piece(r"+ \wt{0.2}", "okabe-ito") is mathml_piece(r"+ \wt{0.2}", "okabe-ito")  # cached
