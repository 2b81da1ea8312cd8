"""Predict, then reveal (issue 23): the seed's items by hand, and a sweep over 1,000 random nets
where every item has exactly one right answer, found again here from the trace (the argmax of
|∂L/∂w| and |δ|, the gradient's sign, a descent step and a nudge run through the network), and
every item is asked exactly when its answer shows at the page's precision."""

import math
import re

import numpy as np
import pytest
from teach_nets import NETS, random_net, seed_loss

from backprop_widgets import Network, seed_example, worked_example
from backprop_widgets.core import Param, fmt
from backprop_widgets.explain.practice import parse_answer
from backprop_widgets.explain.predict import KINDS

JUNK = (None, "", "   ", "abc", math.nan, math.inf, 1e999, -1e999, "1e999", "nan", object(), b"+", [1], "w9,9,9")
_NUMBER = re.compile(r"[-−]?\d+\.\d+(?:×10[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?")


@pytest.fixture(scope="module")
def seed():
    net, x, y = seed_example()
    return net, x, y, {p.id: p for p in worked_example(net, x, y, traced="w1,1,1").predictions()}


def test_the_seed_asks_these_items_in_page_order(seed):
    net, x, y, ps = seed
    we = worked_example(net, x, y, traced="w1,1,1")
    assert [p.id for p in we.predictions()] == [
        "largest_delta-2",  # bp2-2
        "largest_delta-1",  # bp2-1
        "sign",  # bp3
        "largest_edge-3",
        "largest_edge-2",
        "loss_after_step",  # check
        "nudge",
    ]
    assert [p.step_id for p in we.predictions()] == ["bp2-2", "bp2-1", "bp3", "bp3", "bp3", "check", "check"]
    assert set(KINDS) == {"sign", "largest_edge", "largest_delta", "loss_after_step", "nudge"}


def test_the_seeds_sign_is_minus_because_delta_is_negative_and_x_positive(seed):
    p = seed[3]["sign"]
    assert (p.kind, p.choices, p.answer) == ("sign", ("+", "−"), "−")  # ∂L/∂w₁,₁⁽¹⁾ = −0.00212
    for typed in ("−", "-", "negative", " Negative "):
        assert p.check(typed).correct
    fb = p.check("+")
    assert not fb.correct
    assert "δ₁⁽¹⁾ = −0.00212 < 0" in fb.message and "x₁ = 1.0 > 0" in fb.message
    assert "−0.00212" in p.giveaways() and "-0.00212" in p.giveaways()


def test_the_seeds_largest_errors_and_edges_from_the_page_numbers(seed):
    ps = seed[3]
    # δ⁽²⁾ = (−0.00490, −0.00562), δ⁽¹⁾ = (−0.00212, −0.00235) on the seed page
    assert ps["largest_delta-2"].answer == "δ₂⁽²⁾" and ps["largest_delta-2"].choices == ("δ₁⁽²⁾", "δ₂⁽²⁾")
    assert ps["largest_delta-1"].answer == "δ₂⁽¹⁾"
    msg = ps["largest_delta-2"].check("δ₁⁽²⁾").message
    assert "0.00490" in msg and "0.00562" in msg and "−0.0318 × 0.1767" in msg  # the page's Hadamard line
    # ∂L/∂w⁽³⁾ = δ⁽³⁾ a⁽²⁾ = −0.0794 × (0.7109, 0.7707): the second is larger
    e3 = ps["largest_edge-3"]
    assert e3.choices == ("w₁,₁⁽³⁾", "w₁,₂⁽³⁾") and e3.answer == "w₁,₂⁽³⁾"
    assert abs(0.0794 * 0.7707 - 0.0612) < 1e-4 and "0.0612" in e3.check("w₁,₁⁽³⁾").message
    # ∂L/∂w⁽²⁾ = δ⁽²⁾ a⁽¹⁾ᵀ: the largest |δ| (δ₂⁽²⁾ = −0.00562) times the largest a (a₂⁽¹⁾ = 0.5622)
    e2 = ps["largest_edge-2"]
    assert e2.answer == "w₂,₂⁽²⁾" and e2.check("w2,2,2").correct and e2.check("w₂, ₂⁽²⁾").correct
    assert "0.00316" in e2.check("w₁,₁⁽²⁾").message and abs(0.00562 * 0.5622 - 0.00316) < 1e-5


def test_the_seeds_descent_step_lowers_the_loss(seed):
    net, x, y, ps = seed
    t = net.trace(x, y)
    # one step on every weight and bias, η = 0.5, through the loss written out by hand
    new = seed_loss([W - 0.5 * t.grad_W[l] for l, W in enumerate(net.weights, 1)],
                    [b - 0.5 * t.grad_b[l] for l, b in enumerate(net.biases, 1)], x, y)  # fmt: skip
    assert fmt(new) == "0.0546" and abs(seed_loss(net.weights, net.biases, x, y) - 0.0611) < 5e-5
    p = ps["loss_after_step"]
    assert p.answer == "down" and p.given == {"η": 0.5, "L": t.loss}
    assert "0.0611" in p.prompt and "0.5" in p.prompt and "0.0546" not in p.prompt
    assert "from 0.0611 to 0.0546" in p.check("up").message
    assert "0.0546" in p.giveaways()


def test_the_seeds_nudge_is_right_within_the_first_order_estimate(seed):
    net, x, y, ps = seed
    p = ps["nudge"]
    assert p.choices is None and p.given["Δ"] == 0.5
    W = [w.copy() for w in net.weights]
    W[0][0, 0] += 0.5
    new = seed_loss(W, net.biases, x, y)  # w₁,₁⁽¹⁾ = 0.1 → 0.6
    assert p.exact == pytest.approx(new, abs=1e-12) and p.answer == 0.06
    estimate = 0.0611 + (-0.00212) * 0.5  # from the page's printed L and ∂L/∂w: 0.06004
    fb = p.check(f"{estimate:.2g}")
    assert fb.correct and "0.0611 + (−0.00212) × 0.5 = 0.0600" in fb.message and fmt(new, unicode=True) in fb.message
    assert not p.check("0.061").correct  # L unchanged
    assert not p.check("0.062").correct  # the gradient's sign flipped: 0.0611 + 0.00106


def _independent(we, p):
    """The right answer of item p found again from the trace."""
    t, prm = we.trace, we.param
    if p.kind == "sign":
        return "−" if we.gradient < 0 else "+"
    if p.kind in ("largest_edge", "largest_delta"):
        l = int(p.id.split("-")[1])
        values = t.grad_W[l] if p.kind == "largest_edge" else t.delta[l]
        j = np.unravel_index(int(np.argmax(np.abs(values))), values.shape)
        if p.kind == "largest_edge":
            return Param("w", l, j[0] + 1, j[1] + 1).unicode
        return p.choices[j[0]]
    if p.kind == "loss_after_step":
        return "down" if _stepped_loss(we, p.given["η"]) < t.loss else "up"
    assert p.kind == "nudge"
    return we.net.with_param(prm, t.value(prm) + p.given["Δ"]).trace(t.x, t.y).loss


def _stepped_loss(we, eta: float) -> float:
    """L after one step of gradient descent on every weight and bias."""
    t = we.trace
    stepped = Network(
        [W - eta * t.grad_W[l] for l, W in enumerate(we.net.weights, 1)],
        [b - eta * t.grad_b[l] for l, b in enumerate(we.net.biases, 1)],
        we.net.activation, we.net.output_activation, we.net.loss_name,
    )  # fmt: skip
    return stepped.trace(t.x, t.y).loss


def _shown(v: float) -> float:
    return abs(parse_answer(fmt(float(v), unicode=True)))


def _expected_ids(we) -> set[str]:
    """The choice items the page can ask unambiguously, by the rules of issue 23."""
    t, prm = we.trace, we.param
    ids = set()
    steps = {s.id for s in we.steps}
    for l in range(t.L, prm.l - 1, -1):
        for kind, values in (("largest_edge", t.grad_W[l]), ("largest_delta", t.delta[l])):
            if kind == "largest_delta" and ("bp1" if l == t.L else f"bp2-{l}") not in steps:
                continue
            m = sorted((_shown(v) for v in np.ravel(values)), reverse=True)
            if len(m) >= 2 and m[0] > m[1]:
                ids.add(f"{kind}-{l}")
    return ids


@pytest.mark.parametrize("chunk", range(10))
def test_every_prediction_has_exactly_one_right_answer(chunk):
    """1,000 nets in 10 chunks (for pytest -n): every choice item's answer is the one found from
    the trace, check accepts it and refuses every other choice; a number's true value and its
    rounding to 2 digits are right, junk is refused without raising; no prompt prints a giveaway."""
    asked = {k: 0 for k in KINDS}
    for i in range(chunk * NETS // 10, (chunk + 1) * NETS // 10):
        net, x, y, traced = random_net(i)
        we = worked_example(net, x, y, traced=traced)
        ps = we.predictions()
        assert len({p.id for p in ps}) == len(ps)
        assert {p.id for p in ps if p.kind in ("largest_edge", "largest_delta")} == _expected_ids(we), i
        for p in ps:
            asked[p.kind] += 1
            truth = _independent(we, p)
            gives = set(p.giveaways())
            assert "0.0" not in gives
            if p.kind == "loss_after_step":  # the new L gives it away, unless it prints 0.0
                new = _stepped_loss(we, p.given["η"])
                assert fmt(new) != fmt(we.trace.loss) and (fmt(new) in gives or fmt(new) == "0.0"), i
            else:
                assert gives
            assert not gives & set(_NUMBER.findall(p.prompt)), (i, p.id, p.prompt)
            if p.choices is None:
                assert p.check(p.answer).correct and p.check(repr(truth)).correct, (i, p.id)
                assert abs(p.answer - truth) <= p.tolerance and fmt(truth) in gives
                assert p.tolerance < abs(truth - p.given["L"])  # the old L is wrong
                # the honest first-order answer from the printed L and ∂L/∂w, to 2 digits, is right
                L, g, delta = (parse_answer(fmt(v)) for v in (we.trace.loss, we.gradient, p.given["Δ"]))
                assert p.check(f"{L + g * delta:.2g}").correct, (i, L, g, delta, truth)
                assert not p.check(f"{L - g * delta:.6g}").correct  # the gradient's sign flipped
            else:
                assert p.answer == truth, (i, p.id)
                right = [c for c in p.choices if p.check(c).correct]
                assert right == [p.answer], (i, p.id)
                assert all(p.check(c).message for c in p.choices)
            for junk in JUNK:
                fb = p.check(junk)
                assert not fb.correct and fb.message
        if "sign" not in {p.id for p in ps}:  # only when the gradient or a factor prints 0.0
            factors = [we.gradient, float(we.trace.delta[traced.l][traced.j - 1])]
            if traced.is_weight:
                factors.append(float(we.trace.a[traced.l - 1][traced.k - 1]))
            assert "0.0" in [fmt(v) for v in factors], i
    assert asked["largest_edge"] and asked["largest_delta"] and asked["sign"] and asked["loss_after_step"]
