"""Every printed number true, in every corner (issue 11): each reproduction, then random nets.

Hand-worked values are worked in the comments; the rest come from ``hiprec`` (decimal arithmetic
to 200 digits) or from the arithmetic the page itself prints (``latex_arith``).
"""

import argparse
import re
from decimal import Decimal

import numpy as np
import pytest

from backprop_widgets import Network, check_gradient, seed_example, worked_example
from backprop_widgets.cli import export
from backprop_widgets.core import ACTIVATIONS, HADAMARD, HIDDEN_ACTIVATIONS, LOSSES, loss_rounding_error
from backprop_widgets.explain.notation import notation_html
from backprop_widgets.explain.render import Math, Table, document

import hiprec
import latex_arith

# Python's own e-notation ("1e-05"), a negative zero ("-0.0000", "−0.0"), nan or an infinity
NOT_A_PAGE_NUMBER = re.compile(
    r"\d[eE][-+]\d"
    r"|(?<![\w.])[-−]0\.0*(?!\d*[1-9])(?![\d.])"
    r"|\bnan\b|NaN|\binf\b|\\infty|∞"
)


def page_numbers_ok(text: str) -> None:
    bad = NOT_A_PAGE_NUMBER.search(text)
    assert bad is None, text[max(0, bad.start() - 120) : bad.end() + 40]


# --- 1. saturated cross-entropy: no crash ----------------------------------------------------


def test_saturated_sigmoid_cross_entropy_renders_with_its_log():
    # z = 4·1.5 + 3·1 + 2 = 11, a = σ(11), y = 0: L = −ln(1 − a) = ln(1 + e¹¹) = 11.0000167;
    # 1 − a = σ(−11) = 1.670e-5 prints in scientific notation and its ln is taken of that
    we = worked_example(Network([[[4.0, 3.0]]], [[2.0]], loss="cross_entropy"), [1.5, 1.0], [0.0])
    line = we.step("loss").parts[1].latex
    assert line == r"\mathcal{L} = -\left(\ln {(1.67 \times 10^{-5})}\right) = 11.0000"
    assert latex_arith.check(we.to_latex())[1] == []


def test_saturated_softmax_cross_entropy_renders_with_its_log():
    # z = (5, −5), y = (0, 1): a₂ = e⁻⁵/(e⁵ + e⁻⁵) = 4.540e-5, L = −ln a₂ = ln(1 + e¹⁰) = 10.0000454
    net = Network([[[1.0], [-1.0]]], [[0.0, 0.0]], "sigmoid", "softmax", "cross_entropy")
    we = worked_example(net, [5.0], [0.0, 1.0])
    assert we.step("loss").parts[1].latex == (r"\mathcal{L} = -\left(\ln \act{(4.54 \times 10^{-5})}\right) = 10.0000")
    for text in (we.to_markdown(), we.to_latex(), we.to_html()):
        page_numbers_ok(text)


def test_export_of_a_saturated_net_succeeds(tmp_path, capsys):
    spec = tmp_path / "net.json"
    spec.write_text('{"weights": [[[4.0, 3.0]]], "biases": [[2.0]]}')
    parser = argparse.ArgumentParser()
    export.add_arguments(parser)
    out = tmp_path / "page.md"
    args = parser.parse_args(
        ["--weights", str(spec), "--loss", "cross_entropy", "--x", "1.5,1", "--y", "0", "-o", str(out)]
    )
    assert export.run(args) == 0, capsys.readouterr().err
    assert r"= 11.0000" in out.read_text(encoding="utf-8")


# --- 2. θ ± ε never in Python's e-notation ----------------------------------------------------


def test_nudged_zero_parameter_prints_as_a_decimal():
    net, x, y = seed_example()
    we = worked_example(net.with_param("w2,1,2", 0.0), x, y, traced="w2,1,2")
    check = we.step("check").latex
    assert r"\wt{0.0} + 10^{-5} = 0.00001" in check
    assert r"\wt{0.0} - 10^{-5} = -0.00001" in check
    page_numbers_ok(we.to_latex())


# --- 3. no negative zero ---------------------------------------------------------------------


def test_confident_softmax_losses_are_not_negative_zero():
    # z = (−40, 40), y = (0, 1): L = ln(1 + e⁻⁸⁰) = 1.8e-35, which is 0.0000000 at 7 decimals
    net = Network([[[1.0], [-1.0]]], [[0.0, 0.0]], "linear", "softmax", "cross_entropy")
    we = worked_example(net, [-40.0], [0.0, 1.0])
    assert 0.0 <= we.trace.loss < 1e-34 and we.numerical["loss_plus"] >= 0.0
    check = we.step("check").latex
    assert r"\mathcal{L}^+ = \mathcal{L}(w_{1,1}^{(1)} + \varepsilon) = 0.0000000" in check
    for text in (we.to_latex(), we.to_markdown()):
        page_numbers_ok(text)


# --- 4. a correct gradient is never called wrong ---------------------------------------------

ISSUE_4 = dict(weights=[[[1.0]], [[12.0], [-12.0]]], biases=[[0.0], [0.0, 0.0]])


def test_issue_4_gradient_is_not_called_wrong():
    net = Network(**ISSUE_4, activation="sigmoid", output_activation="softmax", loss="cross_entropy")
    we = worked_example(net, [1.0], [1.0, 0.0], traced="w1,1,1")
    # backprop −1.13227e-7, confirmed by a 200-digit centred difference (truncation ε²L‴/6 ≈ 1e-17)
    exact = float(hiprec.centred(net, "w1,1,1", [1.0], [1.0, 0.0]))
    assert we.gradient == pytest.approx(-1.13227e-7, rel=1e-5)
    assert we.gradient == pytest.approx(exact, rel=1e-9)
    # L = ln(1 + e^(−24σ(1))) ≈ 2.4e-8 is now computed to full precision, so the centred
    # difference agrees too
    assert we.numerical["numerical"] == pytest.approx(exact, rel=1e-7)
    assert we.check.status == "agree"
    assert "disagree" not in we.step("check").text


def test_loss_rounding_bound_is_a_bound():
    # the bound of the issue-4 net, against the error of the float64 loss at θ and θ ± ε
    net = Network(**ISSUE_4, activation="sigmoid", output_activation="softmax", loss="cross_entropy")
    t = net.trace([1.0], [1.0, 0.0])
    bound = loss_rounding_error(t)
    for shift in (0.0, 1e-5, -1e-5):
        shifted = net.with_param("w1,1,1", 1.0 + shift)
        err = abs(Decimal(shifted.loss_value([1.0], [1.0, 0.0])) - hiprec.loss(shifted, [1.0], [1.0, 0.0]))
        assert float(err) <= bound
    # and it is the magnitudes summed, not |L|, that set it: L ≈ 2.4e-8 but z ≈ ±8.8
    assert bound < 1e-20


def test_too_small_to_check_is_said_so():
    # the seed net with w₁,₁⁽¹⁾ = 30: σ(30.1) saturates, ∂L/∂w ≈ −6.6e-16, and L± ≈ 0.057 agree to
    # the last digit a double holds: the centred difference cannot see the gradient
    net, x, y = seed_example()
    m = net.with_param("w1,1,1", 30.0)
    we = worked_example(m, x, y)
    exact = float(hiprec.centred(m, "w1,1,1", x, y))
    assert we.gradient == pytest.approx(exact, rel=1e-8)
    assert we.check.status == "rounding" and we.check.passed
    assert "too small to check at this ε" in we.step("check").text


def test_a_wrong_gradient_is_caught_and_says_by_how_much():
    net, x, y = seed_example()
    t = net.trace(x, y)
    c = check_gradient(t, "w1,1,1", t.grad("w1,1,1") * 1.001)
    assert c.status == "disagree"
    assert c.message.startswith("✗") and "more than the centred difference's own error" in c.message


# --- 5. BP1 stated in the form that applies --------------------------------------------------

SOFTMAX_CE = dict(activation="tanh", output_activation="softmax", loss="cross_entropy")


def test_softmax_pages_never_state_bp1_as_the_elementwise_product():
    net = Network.random([3, 3, 2], seed=1, **SOFTMAX_CE)
    we = worked_example(net, [0.5, -0.5, 1.0], [0.0, 1.0])
    equations = [b.latex for b in document(we).blocks if isinstance(b, Math)]
    quick = we.step("reference").parts
    for bp1 in (equations[0], quick[0].latex):
        # the form that applies, beside the general one it simplifies
        assert bp1.startswith(r"\err{\delta_j^{(L)}} = \act{a_j^{(L)}} \sum_k y_k - y_j")
        assert r"J^T \nabla_a \mathcal{L}" in bp1
    assert HADAMARD.latex not in we.to_latex()
    tab = notation_html(output="softmax", loss="cross_entropy")
    assert r"\sum_k y_k - y_j" in tab and r"\nabla_a \mathcal{L} \odot" not in tab
    # with no network given, the tab lists every form and when it applies
    general = notation_html()
    assert "for an elementwise σ" in general and "for softmax outputs with cross-entropy" in general


def test_notation_is_one_copy_for_the_handout_and_the_tab():
    """The handout's tables and equations and the dashboard's tab come from notation.py."""
    from backprop_widgets.explain.notation import EQUATIONS, reference_parts, tables

    net = Network.random([3, 3, 2], seed=1, **SOFTMAX_CE)
    we = worked_example(net, [0.5, -0.5, 1.0], [0.0, 1.0], palette="page")
    blocks = document(we).blocks
    shown = [tuple(b.rows) for b in blocks if isinstance(b, Table)][:4]
    assert shown == [rows for _, rows in tables((3, 3, 2), "cross_entropy", "page")]
    assert [(b.caption, b.latex) for b in blocks if isinstance(b, Math)] == [
        (part.caption, part.latex) for part in reference_parts("softmax", "cross_entropy")
    ]
    tab = notation_html("page", "softmax", "cross_entropy", sizes=(3, 3, 2))
    for heading, rows in tables((3, 3, 2), "cross_entropy", "page"):
        assert heading.replace("&", "&amp;") in tab and len(rows) > 2
    assert r"For \([3, 3, 2]\), \(L = 2\)" in tab and "The loss (cross-entropy)." in tab
    for law in EQUATIONS:
        assert law.tag in tab and law.name in tab


def test_softmax_mse_pages_state_the_jacobian():
    net = Network.random([2, 3], seed=4, activation="tanh", output_activation="softmax")
    we = worked_example(net, [0.2, -0.4], [0.0, 0.0, 1.0])
    bp1 = we.step("reference").parts[0]
    assert r"J^T \nabla_a \mathcal{L}" in bp1.latex and r"\mathrm{diag}" in bp1.latex
    assert "holds only when each output depends on its own z alone" in bp1.caption


# --- 6. the kink message says what backprop used ---------------------------------------------


def kinked(z1: float) -> Network:
    # x = 1, w₁,₁⁽¹⁾ = z1, so z₁⁽¹⁾ = z1; a ReLU unit, then a linear output with weight 1, MSE, y = 1
    return Network([[[z1]], [[1.0]]], [[0.0], [0.0]], "relu", "linear")


def test_kink_message_near_the_kink_says_backprop_used_slope_one():
    # z = 2.01e-6 > 0: backprop uses ReLU′ = 1, δ = a − y = 2.01e-6 − 1; nudging w by ±1e-5
    # moves z to 1.2e-5 and −8.0e-6, across the kink: L⁻ = ½(0 − 1)² = 0.5
    we = worked_example(kinked(2.01e-6), [1.0], [1.0])
    assert we.gradient == pytest.approx(2.01e-6 - 1.0, rel=1e-12)
    assert we.check.status == "kink"
    k = we.check.kink
    assert (k.l, k.j, k.z, k.at, k.used, k.slopes) == (1, 1, 2.01e-6, 0.0, 1.0, (0.0, 1.0))
    text = we.step("check").text
    assert "backprop used ReLU′(2.01×10⁻⁶) = 1.0, the slope at z" in text
    assert "ReLU′(0) = 0" not in text
    assert "?" not in we.to_latex()  # ⚠, ±, ′ and ⁻ all have a LaTeX form


def test_kink_message_on_the_kink_states_the_convention():
    we = worked_example(kinked(0.0), [1.0], [1.0])
    assert we.check.status == "kink" and we.check.kink.used == 0.0
    assert "backprop used ReLU′(0.0) = 0.0, the convention at the kink" in we.step("check").text


def test_a_kink_out_of_reach_is_not_blamed():
    # z = 0.01 is a thousand ε away from the kink: the check agrees
    we = worked_example(kinked(0.01), [1.0], [1.0])
    assert we.check.status == "agree" and we.check.kink is None


# --- 7. σ′ keeps its digits where the unit saturates ------------------------------------------


@pytest.mark.parametrize(
    "name,z", [("tanh", 16.0), ("tanh", -20.0), ("sigmoid", 30.0), ("sigmoid", -35.0), ("tanh", 0.3), ("sigmoid", 0.3)]
)
def test_sigma_prime_is_accurate_from_z(name, z):
    out = "sigmoid" if name == "tanh" else "tanh"
    t = Network([[[z]], [[1.0]]], [[0.0], [0.0]], name, out).trace([1.0], [0.5])
    exact = hiprec.sigma_prime(name, z)
    assert abs(Decimal(t.sigma_prime[1][0]) - exact) <= Decimal(4e-16) * exact


def test_saturated_tanh_page_shows_the_digits_of_its_slope():
    # tanh′(10) = (1 − tanh 10)(1 + tanh 10): 1 − tanh 10 = 2/(e²⁰ + 1) = 4.1223e-9, and
    # sech²(10) = 4/(e¹⁰ + e⁻¹⁰)² = 8.2446e-9
    net = Network([[[10.0]], [[1.0]]], [[0.0], [0.0]], "tanh", "tanh")
    we = worked_example(net, [1.0], [0.5])
    bp2 = we.step("bp2-1").latex
    assert (
        r"\begin{pmatrix} (4.12 \times 10^{-9}) \times 2.0000 \end{pmatrix} = "
        r"\act{\begin{pmatrix} 8.24 \times 10^{-9} \end{pmatrix}}"
    ) in bp2
    assert latex_arith.check(we.to_latex())[1] == []


# --- 8. smaller ones -------------------------------------------------------------------------


def test_softmax_layer_has_no_elementwise_sigma_prime_in_the_table():
    net = Network.random([3, 3, 2], seed=1, **SOFTMAX_CE)
    we = worked_example(net, [0.5, -0.5, 1.0], [0.0, 1.0])
    table = we.step("table")
    assert table.table[-1][3] == "—" and table.table[-2][3] != "—"  # the tanh layer keeps σ′
    assert "no elementwise σ′" in table.text


def test_relu_on_its_kink_states_the_convention():
    net, x, y = seed_example()
    relu = Network(net.weights, net.biases, "relu", "sigmoid")  # z₁⁽¹⁾ = 0.0 exactly
    caption = worked_example(relu, x, y).step("bp2-1").parts[-2].caption
    assert "z₁⁽¹⁾ = 0.0 sits on the kink" in caption
    assert "backprop takes ReLU′(0.0) = 0.0, the usual convention" in caption


def test_softmax_bp1_sums_over_its_own_index():
    net = Network.random([2, 3], seed=1, activation="linear", output_activation="softmax", loss="cross_entropy")
    step = worked_example(net, [1.0, -0.5], [0.5, 0.2, 0.6]).step("bp1")
    assert "δⱼ = aⱼ·Σₖyₖ − yⱼ" in step.text and "Σᵢyᵢ" not in step.text
    assert r"\sum_k y_k - y_j" in step.latex


def test_sigmoid_of_zero_is_written_e_to_the_zero():
    net, x, y = seed_example()
    f1 = worked_example(net, x, y).step("forward-1").latex
    assert r"\act{a_{1}^{(1)}} = \sigma(0.0) = \frac{1}{1 + e^{0}} = \act{0.5}" in f1
    assert "e^{0.0}" not in f1 and "e^{-0.0}" not in f1


def test_handout_names_the_layer_count_as_the_notation_does():
    net, x, y = seed_example()
    we = worked_example(net, x, y)
    md = we.to_markdown()
    assert "network with $L = 3$ layers (sizes [3, 2, 2, 1]; the input is layer 0)" in md
    assert "4-layer" not in md and r"\(L = 3\)" in we.to_latex()


# --- random nets: every activation × output × loss, saturated ---------------------------------

COMBOS = [
    (hidden, out, loss)
    for hidden in HIDDEN_ACTIVATIONS
    for out in ACTIVATIONS
    for loss in LOSSES
    if LOSSES[loss].accepts(ACTIVATIONS[out])
]
NETS = 400


def random_net(i: int):
    """Net i: combination i mod len(COMBOS), 1–3 hidden layers of 1–4 units, weights and biases
    of ``Network.random`` scaled by 1–12 so that units saturate, and a target on a weight (i even)
    or a bias (i odd)."""
    rng = np.random.default_rng(i)
    hidden, out, loss = COMBOS[i % len(COMBOS)]
    sizes = [int(n) for n in rng.integers(1, 5, size=int(rng.integers(2, 5)))]
    if ACTIVATIONS[out].coupled:
        sizes[-1] = max(2, sizes[-1])
    base = Network.random(sizes, seed=i, activation=hidden, output_activation=out, loss=loss)
    scale = float(rng.uniform(1.0, 12.0))
    net = Network([W * scale for W in base.weights], [b * scale for b in base.biases], hidden, out, loss)
    x = rng.uniform(-1.0, 1.0, sizes[0]).round(2)
    n = sizes[-1]
    if ACTIVATIONS[out].coupled:
        y = np.eye(n)[rng.integers(n)] if i % 3 else rng.dirichlet(np.ones(n)).round(2)
    elif loss == "cross_entropy":
        y = rng.choice([0.0, 0.25, 0.5, 1.0], n)
    else:
        y = rng.uniform(-1.0, 1.0, n).round(2)
    params = [p for p in net.parameters() if p.is_weight == (i % 2 == 0)]
    return net, x, y, params[int(rng.integers(len(params)))]


@pytest.fixture(scope="module")
def random_pages():
    return [(i, *random_net(i)) for i in range(NETS)]


def test_random_nets_cover_every_combination_and_saturate(random_pages):
    seen = {(net.activation, net.output_activation, net.loss_name) for _, net, *_ in random_pages}
    assert seen == set(COMBOS)
    saturated = sum(
        any(np.abs(net.trace(x, y).z[l]).max() > 10 for l in range(1, net.L + 1)) for _, net, x, y, _ in random_pages
    )
    assert saturated > NETS // 4


def test_random_nets_render_true_numbers_in_every_format(random_pages):
    for i, net, x, y, p in random_pages:
        we = worked_example(net, x, y, traced=p)
        tex = we.to_latex()
        checks, failures = latex_arith.check(tex)
        assert failures == [], (i, failures[:2])
        assert checks > 0
        assert tex.isascii() and "?" not in tex, i  # every symbol of the text has a LaTeX form
        pages = [tex, we.to_markdown()] + ([we.to_html()] if i % 8 == 0 else [])
        for text in pages:
            page_numbers_ok(text)


def test_random_nets_no_correct_gradient_is_called_wrong(random_pages):
    statuses = {}
    for i, net, x, y, _ in random_pages:
        t = net.trace(x, y)
        gW, gb = net.numerical_gradient(x, y)
        for p in net.parameters():
            c = check_gradient(t, p, float((gW[p.l] if p.is_weight else gb[p.l])[p.index]))
            statuses[c.status] = statuses.get(c.status, 0) + 1
            assert c.status in ("agree", "kink", "rounding"), (i, str(p), c)
    assert statuses["agree"] > 0.8 * sum(statuses.values()) and statuses["rounding"] > 0


class _WrongBackprop:
    """A test double of a trace whose backprop is off: every gradient ``factor`` times too big."""

    def __init__(self, trace, factor: float) -> None:
        self._trace, self._factor = trace, factor

    def __getattr__(self, name):
        return getattr(self._trace, name)

    def grad(self, p) -> float:
        return self._trace.grad(p) * self._factor


def test_random_nets_a_wrong_gradient_is_still_caught(random_pages):
    caught = 0
    for i, net, x, y, _ in random_pages[::4]:
        t = net.trace(x, y)
        gW, gb = net.numerical_gradient(x, y)
        for p in net.parameters():
            num = float((gW[p.l] if p.is_weight else gb[p.l])[p.index])
            right = check_gradient(t, p, num)
            if right.status != "agree" or abs(right.analytic) + abs(num) <= 1e-12:
                continue  # a gradient of 0 stays 0, and one too small to check stays so
            wrong = check_gradient(_WrongBackprop(t, 1.5), p, num)
            assert wrong.status == "disagree", (i, str(p), wrong)
            caught += 1
    assert caught > 500


def test_random_nets_loss_rounding_bound_holds(random_pages):
    # |float64 L − exact L| ≤ the bound, at θ and at θ + ε, against 200-digit decimal arithmetic
    for i, net, x, y, p in random_pages[::2]:
        bound = loss_rounding_error(net.trace(x, y))
        for shifted in (net, net.with_param(p, net.get(p) + 1e-5)):
            err = abs(Decimal(shifted.loss_value(x, y)) - hiprec.loss(shifted, x, y))
            assert float(err) <= bound, (i, float(err), bound)
