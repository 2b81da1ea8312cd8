"""The worked example: the seed page number by number, other nets, paths, arithmetic, renderings."""

import itertools
import re

import numpy as np
import pytest

from backprop_widgets import Network, seed_example, worked_example
from backprop_widgets.core import fmt, paren
from backprop_widgets.explain.highlight import Highlight
from backprop_widgets.explain.palette import TEXT_PALETTES
from backprop_widgets.explain.steps import Step

import latex_arith


@pytest.fixture(scope="module")
def seed_we():
    net, x, y = seed_example()
    return worked_example(net, x, y, traced="w1,1,1")


def numbers_in(latex: str) -> set[str]:
    """Every printed decimal number with its sign; a binary minus (``a - 0.3``, which may be a
    term -0.3 of a sum or a subtraction of 0.3) counts as both ``-0.3`` and ``0.3``."""
    out = set()
    for sign, num in re.findall(r"(?<![\d.])(-\s?)?(\d+\.\d+)", latex):
        out.add(("-" if sign else "") + num)
        if sign == "- ":
            out.add(num)
    return out


# --- the seed page ---------------------------------------------------------------------------


def test_seed_steps_in_the_pages_order(seed_we):
    assert [s.id for s in seed_we.steps] == [
        "forward-1",
        "forward-2",
        "forward-3",
        "loss",
        "bp1",
        "bp2-2",
        "bp2-1",
        "bp3",
        "check",
        "paths",
        "table",
        "reference",
    ]
    assert [s.tag for s in seed_we.steps] == [None] * 4 + ["BP1", "BP2", "BP2", "BP3"] + [None] * 4
    assert seed_we.step("bp2-1").title == "BP2 · error in layer 1"
    assert seed_we.step("forward-1").title == "Forward pass · layer 1"
    for s in seed_we.steps:
        assert isinstance(s, Step) and isinstance(s.touches, Highlight)
        assert s.text.endswith(".") and s.text.count(". ") == 0, s.text  # one sentence
        assert s.latex.startswith(r"\[") and s.latex.count(r"\[") == len(s.parts)


# Every number the seed page prints, by the step that prints it. Where the page's text lost a
# step's equations (forward layer 3, the loss), its numbers come from the page's table and from
# the product sketch (L = 0.0611).
PAGE_NUMBERS = {
    "forward-1": "0.1 0.2 0.3 1.0 0.5 -1.0 0.4 0.6 0.25 -0.3 -0.6 0.0 0.5622",
    "forward-2": "0.7 0.8 0.9 1.0 0.5 0.5622 0.1 0.2 0.35 0.4497 0.8997 0.45 1.2122 0.7109 0.7707",
    "forward-3": "0.3 0.4 0.7109 0.7707 0.1 0.6215 0.6506",
    "loss": "0.6506 1.0 0.0611",
    "bp1": "0.6215 0.6506 0.3494 0.2273 1.0 -0.3494 -0.0794",
    "bp2-2": "0.3 0.4 -0.0794 -0.0238 -0.0318 0.8997 1.2122 0.7109 0.2891 0.7707 0.2293 "
    "0.2055 0.1767 -0.00490 -0.00562",
    # The page prints -0.00506, -0.00849 and -0.00954 here because it re-multiplied and added
    # its own rounded numbers (0.9 × -0.00562 = -0.00506; -0.00343 - 0.00506 = -0.00849). The
    # true values are 0.9 × -0.0056155 = -0.0050539, W^T δ = (-0.0084822, -0.0095337): we print
    # -0.00505, -0.00848, -0.00953, and the arithmetic still holds within display rounding.
    "bp2-1": "0.7 0.9 0.8 1.0 -0.00490 -0.00562 -0.00343 -0.00505 -0.00848 -0.00392 -0.00953 "
    "0.0 0.25 0.5 0.5622 0.4378 0.2461 -0.00212 -0.00235",
    "bp3": "1.0 -0.00212",
    "check": "0.1 0.10001 0.09999 -0.00212",
    "table": "1.0 0.5 -1.0 0.0 0.25 0.5622 0.2461 -0.00212 -0.00235 0.8997 1.2122 0.7109 0.7707 "
    "0.2055 0.1767 -0.00490 -0.00562 0.6215 0.6506 0.2273 -0.0794",
}


@pytest.mark.parametrize("step_id", list(PAGE_NUMBERS))
def test_seed_every_page_number_appears_in_its_step(seed_we, step_id):
    printed = numbers_in(seed_we.step(step_id).latex)
    missing = [n for n in PAGE_NUMBERS[step_id].split() if n not in printed]
    assert not missing, (step_id, missing, sorted(printed))


def test_seed_bp2_prints_true_values_not_the_pages_rounding_artefacts(seed_we):
    latex = seed_we.step("bp2-1").latex
    assert "-0.00343 - 0.00505 = -0.00848" in latex
    assert "-0.00392 - 0.00562 = -0.00953" in latex
    assert "-0.00849" not in latex and "-0.00954" not in latex


def test_seed_lines_read_like_the_page(seed_we):
    f1 = seed_we.step("forward-1").latex
    assert (
        r"z_{1}^{(1)} = \wt{0.1}\cdot\inp{1.0} + \wt{0.2}\cdot\inp{0.5} + \wt{0.3}\cdot\inp{(-1.0)}"
        r" + \wt{0.1} = 0.1 + 0.1 - 0.3 + 0.1 = 0.0"
    ) in f1
    assert r"= 0.4 + 0.25 - 0.6 + 0.2 = 0.25" in f1
    bp1 = seed_we.step("bp1").latex
    assert r"\sigma(0.6215)\,(1 - \sigma(0.6215)) = 0.6506 \cdot 0.3494 = \act{0.2273}" in bp1
    assert r"= (\act{0.6506} - 1.0) \cdot \act{0.2273} = (-0.3494) \cdot \act{0.2273} = \err{-0.0794}" in bp1
    assert r"\begin{pmatrix} 0.7109 \cdot 0.2891 \\ 0.7707 \cdot 0.2293 \end{pmatrix}" in seed_we.step("bp2-2").latex
    assert r"\inp{1.0} \times \err{(-0.00212)} = \err{-0.00212}" in seed_we.step("bp3").latex


def test_seed_table_is_the_pages_table(seed_we):
    assert seed_we.step("table").table == (
        ("Layer", "z⁽ˡ⁾", "a⁽ˡ⁾", "σ′(z⁽ˡ⁾)", "δ⁽ˡ⁾"),
        ("l = 0", "—", "(1.0, 0.5, −1.0)", "—", "—"),
        ("l = 1", "(0.0, 0.25)", "(0.5, 0.5622)", "(0.25, 0.2461)", "(−0.00212, −0.00235)"),
        ("l = 2", "(0.8997, 1.2122)", "(0.7109, 0.7707)", "(0.2055, 0.1767)", "(−0.00490, −0.00562)"),
        ("l = 3", "0.6215", "0.6506", "0.2273", "−0.0794"),
    )


def test_seed_check_and_paths(seed_we):
    assert seed_we.passed and seed_we.relative_error < 1e-8
    check = seed_we.step("check").latex
    assert r"\checkmark" in check and r"\wt{0.1} + 10^{-5} = 0.10001" in check
    paths = seed_we.step("paths")
    # the page's Path A (through a_1^(2)) and Path B (through a_2^(2)), in neuron order
    assert seed_we.paths.count == 2
    assert [p.neurons for p in seed_we.paths.top] == [(1, 1, 1), (1, 2, 1)]
    assert r"P_{\mathrm{A}} + P_{\mathrm{B}} = -0.000857 - 0.00126 = \err{-0.00212}" in paths.latex
    assert seed_we.paths.total == pytest.approx(seed_we.gradient, rel=1e-12)


PAGE_SECTIONS = [
    "Network Architecture",
    "Notation Reference",
    "Indices & Scalars",
    "Vectors, Matrices & Operators",
    "Colour Code",
    "Subscript Conventions",
    "The Four Equations of Backpropagation",
    "Network Parameters",
    "Step 1: Forward Pass",
    "Layer 1: Hidden Layer 1",
    "Layer 2: Hidden Layer 2",
    "Layer 3: Output Layer",
    "Loss Computation",
    "Step 2: Backward Pass",
    "Output Error δ⁽³⁾ BP1",
    "Hidden Error δ⁽²⁾ BP2",
    "Hidden Error δ⁽¹⁾ BP2",
    "The Target Gradient BP3",
    "Numerical Verification",
    "Summary",
    "Complete Gradient Chain",
    "All Computed Quantities",
    "Quick Reference",
]


def test_seed_markdown_has_the_pages_sections_in_order(seed_we):
    md = seed_we.to_markdown()
    headings = [h.replace(" · ", " ") for h in re.findall(r"^#{2,3} (.+)$", md, re.M)]
    assert headings == PAGE_SECTIONS
    assert md.startswith("# Worked example: ∂L/∂w₁,₁⁽¹⁾\n")
    # the page's parameter table and the final table, as Markdown tables
    assert "| l = 2 | (0.8997, 1.2122) | (0.7109, 0.7707) | (0.2055, 0.1767) | (−0.00490, −0.00562) |" in md
    assert r"\begin{pmatrix} 0.7 & 0.8 \\ 0.9 & 1.0 \end{pmatrix}" in md
    # colours expanded inline (the text shades), no macro left for a renderer to define
    c = TEXT_PALETTES["okabe-ito"]
    assert rf"{{\color{{{c['wt']}}}0.1}}\cdot{{\color{{{c['inp']}}}1.0}}" in md
    assert not re.search(r"\\(inp|wt|act|err)\{", md)


# --- the arithmetic holds at the precision shown ---------------------------------------------


def test_arithmetic_checker_catches_a_wrong_line(seed_we):
    latex = seed_we.to_latex()
    n, failures = latex_arith.check(latex)
    assert n >= 35 and failures == []
    wrong = latex.replace("= 0.1 + 0.1 - 0.3 + 0.1 = 0.0", "= 0.1 + 0.1 - 0.3 + 0.1 = 0.01")
    assert len(latex_arith.check(wrong)[1]) == 1
    wrong = latex.replace(r"= -0.00343 - 0.00505 = -0.00848", r"= -0.00343 - 0.00505 = -0.00860")
    assert len(latex_arith.check(wrong)[1]) == 1
    # a row of a vector equation
    wrong = latex.replace(r"-0.0238 \times 0.2055", r"-0.0238 \times 0.3055")
    assert len(latex_arith.check(wrong)[1]) == 1
    # tiny numbers are checked as intervals too, not waved through for being small
    assert latex_arith.check(r"\[ x = 1.2 \times 10^{-15} \times 2.0 = 2.4 \times 10^{-15} \]") == (1, [])
    assert len(latex_arith.check(r"\[ x = 1.2 \times 10^{-15} \times 2.0 = 5.0 \times 10^{-13} \]")[1]) == 1


NETS = [
    dict(),
    dict(activation="tanh"),
    dict(activation="relu", output_activation="linear"),
    dict(activation="relu", output_activation="softmax", loss="cross_entropy"),
    dict(activation="tanh", output_activation="softmax"),
    dict(activation="linear", output_activation="sigmoid", loss="cross_entropy"),
]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("kw", NETS, ids=lambda kw: "-".join(kw.values()) or "sigmoid-mse")
def test_every_arithmetic_line_holds_on_random_nets(seed, kw):
    sizes = [3, 4, 3, 2] if seed != 2 else [2, 5, 3]
    rng = np.random.default_rng(seed)
    net = Network.random(sizes, seed=seed, **kw)
    x = np.round(rng.uniform(-1, 1, sizes[0]), 3)
    y = np.eye(sizes[-1])[seed % sizes[-1]]
    total = 0
    for target in ["w1,2,1", "b1,3", f"w{len(sizes) - 1},2,1", f"b{len(sizes) - 2},1"]:
        we = worked_example(net, x, y, traced=target)
        n, failures = latex_arith.check(we.to_latex())
        assert failures == [], failures[:3]
        total += n
    assert total >= 60


# --- other nets and targets ------------------------------------------------------------------


def test_bias_target_uses_bp4():
    net, x, y = seed_example()
    we = worked_example(net, x, y, traced="b2,1")
    assert [s.id for s in we.steps][-6:] == ["bp2-2", "bp4", "check", "paths", "table", "reference"]
    assert "bp2-1" not in [s.id for s in we.steps]
    step = we.step("bp4")
    assert step.tag == "BP4" and step.title == "BP4 · the traced gradient"
    assert we.gradient == pytest.approx(-0.00489775, abs=5e-9)
    assert r"= \err{\delta_{1}^{(2)}} = \err{-0.00490}" in step.latex
    assert step.touches == Highlight(neurons=frozenset({(2, 1)}), biases=frozenset({(2, 1)}))
    assert we.passed
    assert r"\wt{0.1} + 10^{-5} = 0.10001" in we.step("check").latex
    # one path per output neuron above: b_1^(2) -> a_1^(3) -> L
    assert we.paths.count == 1 and we.paths.total == pytest.approx(we.gradient, rel=1e-12)
    # one path is the gradient: said once, in words and in the equation (not "The 1 path … = x = x")
    md = we.to_markdown()
    assert "The one path is the gradient:" in md and "The 1 path" not in md
    last = we.step("paths").parts[-1].latex
    assert last.endswith(r"= P_{\mathrm{A}} = \err{-0.00490}"), last


def brute_force_paths(t, p):
    """Every path's product of local factors, enumerated (the slow, obvious way)."""
    L, l0 = t.L, p.l
    out = {}
    for rest in itertools.product(*[range(t.sizes[m]) for m in range(l0 + 1, L + 1)]):
        js = (p.j - 1,) + rest
        v = t.a[l0 - 1][p.k - 1] if p.is_weight else 1.0
        for i, m in enumerate(range(l0, L + 1)):
            if m > l0:
                v *= t.weights[m - 1][js[i], js[i - 1]]
            v *= t.sigma_prime[m][js[i]] if m < L else t.delta[L][js[i]]
        out[tuple(j + 1 for j in js)] = v
    return out


@pytest.mark.parametrize("target", ["w1,2,3", "b1,1", "w2,3,2", "w4,2,3"])
def test_deep_net_path_sum_equals_gradient(target):
    net = Network.random([4, 3, 3, 3, 2], seed=5)
    x, y = [0.5, -1.0, 0.25, 1.0], [1.0, 0.0]
    we = worked_example(net, x, y, traced=target, max_paths=4)
    t, p = we.trace, we.param
    paths = brute_force_paths(t, p)
    assert we.paths.count == len(paths) == int(np.prod(t.sizes[p.l + 1 :]))
    assert sum(paths.values()) == pytest.approx(t.grad(p), rel=1e-10, abs=1e-16)
    assert we.paths.total == pytest.approx(t.grad(p), rel=1e-10, abs=1e-16)
    ranked = sorted(paths.items(), key=lambda kv: -abs(kv[1]))[:4]
    if len(paths) > 4:
        assert [pt.neurons for pt in we.paths.top] == [n for n, _ in ranked]
        assert we.paths.rest == pytest.approx(sum(paths.values()) - sum(v for _, v in ranked), abs=1e-15)
        assert f"{len(paths) - 4} more paths" in we.step("paths").latex
    for pt in we.paths.top:
        assert pt.value == pytest.approx(paths[pt.neurons], rel=1e-12)


def test_wide_net_paths_are_bounded_and_exact():
    net = Network.random([8, 16, 16, 8, 4], seed=0)
    x, y = np.linspace(-1, 1, 8), np.eye(4)[1]
    we = worked_example(net, x, y, traced="w1,1,1")
    paths = brute_force_paths(we.trace, we.param)
    assert we.paths.count == len(paths) == 16 * 8 * 4
    assert len(we.paths.top) == 6
    ranked = sorted(paths.values(), key=abs, reverse=True)[:6]
    assert [pt.value for pt in we.paths.top] == pytest.approx(ranked, rel=1e-12)
    assert we.paths.total == pytest.approx(we.gradient, rel=1e-9)
    assert "506 more paths" in we.step("paths").latex


def test_softmax_cross_entropy_bp1_is_a_minus_y():
    net = Network.random([3, 4, 3], seed=2, output_activation="softmax", loss="cross_entropy")
    we = worked_example(net, [1.0, 0.5, -1.0], [0.0, 1.0, 0.0], traced="w1,2,1")
    t = we.trace
    assert t.bp1_form == "softmax_cross_entropy"
    bp1 = we.step("bp1")
    assert "targets sum to 1" in bp1.text
    a2 = f"{t.a[2][1]:.4f}"
    assert rf"\err{{\delta_{{2}}^{{(2)}}}} = \act{{{a2}}} - 1.0 = " in bp1.latex
    assert r"\frac{1.0" not in bp1.latex  # no Jacobian for this pair
    assert we.paths.total == pytest.approx(we.gradient, rel=1e-10)
    assert "coupling of the outputs" in we.step("paths").parts[0].caption
    assert r"\sum_i e^{z_i}" in we.step("forward-2").latex
    assert r"\ln \act{" in we.step("loss").latex
    assert we.passed


def test_softmax_cross_entropy_with_targets_not_summing_to_one():
    net = Network.random([2, 3], seed=1, output_activation="softmax", loss="cross_entropy")
    we = worked_example(net, [1.0, -0.5], [0.5, 0.2, 0.6], traced="b1,2")
    # the sum runs over k, not over the j of δ_j
    assert r"\act{a_j^{(1)}} \sum_k y_k - y_j" in we.step("bp1").latex
    assert r"\times 1.3 - " in we.step("bp1").latex
    assert latex_arith.check(we.to_latex())[1] == []
    assert we.passed


def test_softmax_mse_uses_the_jacobian_and_paths_still_sum():
    net = Network.random([3, 3, 3], seed=4, output_activation="softmax")
    we = worked_example(net, [0.2, -0.4, 0.9], [0.0, 0.0, 1.0], traced="w1,1,2")
    assert we.trace.bp1_form == "softmax_jacobian"
    bp1 = we.step("bp1").latex
    assert r"J^T \nabla_a \mathcal{L}" in bp1 and r"\sum_i a_i [\nabla_a \mathcal{L}]_i = " in bp1
    assert we.paths.total == pytest.approx(we.gradient, rel=1e-10)
    assert sum(brute_force_paths(we.trace, we.param).values()) == pytest.approx(we.gradient, rel=1e-10)
    assert latex_arith.check(we.to_latex())[1] == []


def test_tanh_steps():
    net = Network.random([2, 3, 1], seed=3, activation="tanh")
    we = worked_example(net, [0.5, -0.5], [0.3], traced="w1,1,2")
    t = we.trace
    f1 = we.step("forward-1").latex
    z, a = fmt(t.z[1][0]), fmt(t.a[1][0])
    assert rf"\act{{a_{{1}}^{{(1)}}}} = \tanh({z}) = \act{{{a}}}" in f1
    assert r"\sigma(z) = \tanh z" in f1
    assert rf"1 - \tanh^2({fmt(t.z[2][0])}) = 1 - {paren(fmt(t.a[2][0]))}^2 = " in we.step("bp1").latex
    assert rf"1 - {paren(a)}^2" in we.step("bp2-1").latex
    assert latex_arith.check(we.to_latex())[1] == []


def test_relu_steps_show_the_kink():
    W1 = [[1.0, -1.0], [0.5, 0.5]]
    net = Network([W1, [[1.0, 1.0]]], [[0.0, 0.0], [0.0]], activation="relu", output_activation="linear")
    we = worked_example(net, [0.25, 0.75], [1.0], traced="w1,1,1")
    f1 = we.step("forward-1").latex
    assert r"\act{a_{1}^{(1)}} = \max(0, -0.5) = \act{0.0}" in f1
    assert r"\act{a_{2}^{(1)}} = \max(0, 0.5) = \act{0.5}" in f1
    bp2 = we.step("bp2-1").latex
    assert r"\act{\begin{pmatrix} 0.0 \\ 1.0 \end{pmatrix}}" in bp2
    assert we.gradient == 0.0 and we.paths.total == 0.0
    assert r"\err{0.0}" in we.step("bp3").latex


# --- touches, panels, renderings ------------------------------------------------------------


def test_touches_follow_the_equations(seed_we):
    f1 = seed_we.step("forward-1").touches
    assert f1.edges == {(1, j, k) for j in (1, 2) for k in (1, 2, 3)}
    assert f1.biases == {(1, 1), (1, 2)} and (0, 3) in f1.neurons and not f1.loss
    assert seed_we.step("loss").touches.loss
    assert seed_we.step("bp2-1").touches.edges == {(2, j, k) for j in (1, 2) for k in (1, 2)}
    assert seed_we.step("bp3").touches == Highlight(neurons=frozenset({(0, 1), (1, 1)}), edges=frozenset({(1, 1, 1)}))
    paths = seed_we.step("paths").touches
    assert paths.loss and (1, 1, 1) in paths.edges and (2, 1, 2) not in paths.edges
    assert (2, 2, 1) in paths.edges and (3, 1, 2) in paths.edges


def test_step_html_expands_colours_inline(seed_we):
    html = seed_we.step_html("bp3")
    c = TEXT_PALETTES["okabe-ito"]
    assert rf"{{\color{{{c['inp']}}}1.0}} \times {{\color{{{c['err']}}}(-0.00212)}}" in html
    assert "$$" in html and "<h4>BP3 · the traced gradient" in html
    assert not re.search(r"\\(inp|wt|act|err)\{", html)
    assert seed_we.step_html(7) == html
    net, x, y = seed_example()
    page = worked_example(net, x, y, palette="page").step_html("bp3")
    assert r"{\color{#9C6300}1.0} \times {\color{#E10000}(-0.00212)}" in page  # its text shades
    # pmatrix's & survives HTML as &amp;, which MathJax reads back as &
    assert "&amp;" in seed_we.step_html("bp2-1")


def test_latex_document_defines_the_macros_once(seed_we):
    tex = seed_we.to_latex()
    # plain ASCII, and no "?" left where a character could not be written as LaTeX
    assert tex.isascii() and "?" not in tex
    for macro, colour in TEXT_PALETTES["okabe-ito"].items():  # the text shades: xcolor colours text
        assert tex.count(rf"\newcommand{{\{macro}}}") == 1
        assert rf"\definecolor{{bp{macro}}}{{HTML}}{{{colour[1:]}}}" in tex
    assert r"\wt{0.1}\cdot\inp{1.0}" in tex and r"{\color{#" not in tex
    assert tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    assert tex.count(r"\begin{") == tex.count(r"\end{")


def test_html_page_is_standalone_with_mathml(seed_we):
    html = seed_we.to_html()
    assert html.startswith("<!DOCTYPE html>") and "<math" in html and "<script" not in html
    assert r"{\color{#277D5E}0.5622}" in html  # the activations' text shade
    assert not re.search(r"\\(inp|wt|act|err)\{", html)
    assert "<td>(−0.00490, −0.00562)</td>" in html


def test_bad_arguments():
    net, x, y = seed_example()
    with pytest.raises(ValueError, match="does not exist"):
        worked_example(net, x, y, traced="w4,1,1")
    with pytest.raises(ValueError, match="not understood"):
        worked_example(net, x, y, traced="v1")
    with pytest.raises(ValueError, match="palette"):
        worked_example(net, x, y, palette="rainbow")
    with pytest.raises(KeyError, match="no step"):
        worked_example(net, x, y).step("bp4")


def test_walkthrough_and_export_import_only_numpy_and_stdlib():
    import subprocess
    import sys

    code = (
        "import sys, backprop_widgets.explain.walkthrough, backprop_widgets.cli.export,"
        " backprop_widgets.explain.render;"
        "bad = [m for m in ('matplotlib', 'ipywidgets', 'networkx', 'traitlets') if m in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_every_step_states_its_result_first(seed_we):
    """The one-line result at the top of each step, with the seed page's numbers."""
    results = {st.id: st.result for st in seed_we.steps}
    assert results["forward-1"].endswith(r"\act{\left(0.5,\; 0.5622\right)}")  # a⁽¹⁾
    assert results["forward-3"] == r"\act{a_1^{(3)}} = \act{0.6506}"
    assert results["loss"] == r"\mathcal{L} = 0.0611"
    assert results["bp1"] == r"\err{\delta_1^{(3)}} = \err{-0.0794}"
    assert results["bp2-1"].endswith(r"\err{\left(-0.00212,\; -0.00235\right)}")  # δ⁽¹⁾
    assert results["bp3"].endswith(r"= \err{-0.00212}") and results["paths"] == results["bp3"]
    assert results["check"].endswith(r"= -0.00212 \quad \checkmark")
    assert results["table"] is None and results["reference"] is None


def test_a_new_kind_of_step_is_one_module_and_one_registration():
    """A kind of step is one StepKind (its module) plus one register() line: registered for this
    test only, it appears where it was placed, with its result, in the handout and in practice."""
    from backprop_widgets.explain.practice.question import draft, line
    from backprop_widgets.explain.steps import Part, StepKind
    from backprop_widgets.explain.steps.kinds import STEP_KINDS, register, unregister

    # --- the module: how the step is built and what it asks ---
    def build(c):
        t = c.trace
        mean = fmt(float(t.a[t.L].mean()))
        return [
            Step(
                "mean-output",
                "Mean output",
                None,
                "The mean of the outputs.",
                (Part("The mean:", rf"\bar{{a}} = {mean}"),),
                Highlight(loss=True),
                "Mean Output",
                result=rf"\bar{{a}} = {mean}",
            )
        ]

    def ask(c, step, eta):
        t = c.trace
        return [
            draft(
                step.id,
                "mean",
                "ā",
                line(r"\bar{a}"),
                line(r"\bar{a}"),
                float(t.a[t.L].mean()),
                lambda o: o["a"].mean(),
                {"a": t.a[t.L]},
            )
        ]

    net, x, y = seed_example()
    before = [s.id for s in worked_example(net, x, y).steps]
    # --- the registration ---
    register(StepKind("mean", build, ask), before="table")
    try:
        with pytest.raises(ValueError, match="registered already"):
            register(StepKind("mean", build))
        we = worked_example(net, x, y)
        ids = [s.id for s in we.steps]
        assert ids == before[: before.index("table")] + ["mean-output"] + before[before.index("table") :]
        step = we.step("mean-output")
        assert step.kind == "mean" and step.result == r"\bar{a} = 0.6506"
        assert "Mean Output" in we.to_markdown()
        q = we.questions()[-1]  # the walk's last question is the new step's
        assert (q.step_id, q.symbol) == ("mean-output", "ā") and q.check("0.6506").correct
    finally:
        unregister("mean")
    assert "mean" not in STEP_KINDS and [s.id for s in worked_example(net, x, y).steps] == before


def test_every_step_names_its_registered_kind(seed_we):
    from backprop_widgets.explain.steps.kinds import STEP_KINDS

    kinds = [s.kind for s in seed_we.steps]
    assert kinds == ["forward"] * 3 + ["loss", "bp1", "bp2", "bp2", "gradient", "check", "paths", "table", "reference"]
    assert list(dict.fromkeys(kinds)) == list(STEP_KINDS)  # in registry order, every kind present
