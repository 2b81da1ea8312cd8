"""The batch view of the steps (issue 24): a batch's loss, BP3 and BP4 as the mean of the
samples' terms, and the saturated and dead units the diagram marks.

Oracles: each sample's own ``Network.trace`` (one sample at a time, not the batch's matrices),
centred differences of the mean loss, and hand-built networks whose units sit where a hand
computation puts them (σ(8) has σ′ = σ(8)(1 − σ(8)) ≈ 3.35e-4).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from backprop_widgets.core import Network, fmt, make_dataset, mean_loss, unit_marks
from backprop_widgets.explain.batch_terms import TOP, batch_gradient_step, batch_loss_step, gradient_terms, loss_terms


def circles_batch(m: int, sizes=(2, 4, 1), activation="tanh"):
    X, Y = make_dataset("circles", n=60, noise=0.1, seed=0)
    net = Network.random(list(sizes), seed=0, activation=activation)
    return net, X[:m], Y[:m]


@pytest.mark.parametrize("param", ["w1,1,1", "w2,1,3", "b1,2", "b2,1"])
@pytest.mark.parametrize("m", [3, 20])
def test_the_terms_are_each_samples_own_gradient_and_their_mean_the_batchs(param, m):
    net, X, Y = circles_batch(m)
    bt = net.batch_trace(X, Y)
    terms = gradient_terms(bt, param)
    own = [net.trace(X[i], Y[i]).grad(param) for i in range(m)]  # each sample alone
    for t in terms.shown:
        assert t.value == pytest.approx(own[t.i], rel=1e-12, abs=1e-15)
        assert t.text.startswith(f"sample {t.i + 1}: ") and t.text.endswith(fmt(own[t.i], unicode=True))
    assert len(terms.shown) == min(m, TOP) and terms.rest == m - len(terms.shown)
    shown = {t.i for t in terms.shown}
    rest = [own[i] for i in range(m) if i not in shown]
    assert terms.rest_sum == pytest.approx(math.fsum(rest), rel=1e-12, abs=1e-15)
    assert terms.total == pytest.approx(math.fsum(own), rel=1e-12, abs=1e-15)
    assert terms.mean == bt.grad(param)
    assert terms.mean == pytest.approx(math.fsum(own) / m, rel=1e-12, abs=1e-15)
    # and the mean is the slope of the mean loss: centred differences
    eps = 1e-6
    up = mean_loss(net.with_param(param, net.get(param) + eps), X, Y)
    down = mean_loss(net.with_param(param, net.get(param) - eps), X, Y)
    assert terms.mean == pytest.approx((up - down) / (2 * eps), rel=1e-6, abs=1e-9)
    if m > TOP:  # the largest terms, largest first
        sizes = [abs(t.value) for t in terms.shown]
        assert sizes == sorted(sizes, reverse=True)
        assert max(abs(own[i]) for i in range(m) if i not in shown) <= sizes[-1]


def test_the_bp3_step_prints_each_terms_factors_and_the_mean():
    net, X, Y = circles_batch(20)
    bt = net.batch_trace(X, Y)
    step = batch_gradient_step(bt, "w1,1,1")
    assert step.id == "bp3" and step.tag == "BP3" and "20 samples" in step.title
    assert step.result.endswith(f"\\err{{{fmt(bt.grad('w1,1,1'))}}}")
    latex = step.latex
    for t in gradient_terms(bt, "w1,1,1").shown:
        own = net.trace(X[t.i], Y[t.i])
        line = f"i = {t.i + 1}:"
        assert line in latex
        row = next(p.latex for p in step.parts if p.latex.startswith(line))
        assert fmt(own.a[0][0]) in row and fmt(own.delta[1][0]) in row and fmt(own.grad("w1,1,1")) in row
    rest = next(p for p in step.parts if p.caption and "more samples" in p.caption)
    assert rest.caption == "+ 12 more samples:"
    assert "\\frac{1}{20}" in latex


def test_the_loss_step_shows_the_mean_loss():
    net, X, Y = circles_batch(12)
    bt = net.batch_trace(X, Y)
    terms = loss_terms(bt)
    own = [net.trace(X[i], Y[i]).loss for i in range(12)]
    for t in terms.shown:
        assert t.value == pytest.approx(own[t.i], rel=1e-12)
    assert terms.mean == pytest.approx(mean_loss(net, X, Y), rel=1e-14)
    assert terms.mean == pytest.approx(math.fsum(own) / 12, rel=1e-12)
    step = batch_loss_step(bt)
    assert step.id == "loss" and step.result == f"\\mathcal{{L}} = {fmt(mean_loss(net, X, Y))}"
    assert "+ 4 more samples:" in [p.caption for p in step.parts]


# --- saturated and dead units ------------------------------------------------------------------


def test_a_sigmoid_unit_at_z_8_is_saturated():
    # z₁⁽¹⁾ = 1·0 + 8 = 8: σ′(8) = σ(8)(1 − σ(8)) ≈ 3.35e-4 < 0.01; z₂⁽¹⁾ = 0: σ′ = 0.25
    net = Network([[[1.0], [1.0]], [[1.0, 1.0]]], [[8.0, 0.0], [0.0]])
    marks = unit_marks(net.trace([0.0], [1.0]))
    s8 = 1 / (1 + math.exp(-8))
    assert marks.saturated == ((1, 1),) and marks.dead == ()
    assert marks.sigma_prime[(1, 1)] == pytest.approx(s8 * (1 - s8), rel=1e-12)
    assert "passes on less than 1% of the error" in marks.title(1, 1) and marks.title(1, 2) == ""
    # a threshold below σ′(8) marks nothing; one above σ′(0) = 0.25 marks both
    assert unit_marks(net.trace([0.0], [1.0]), threshold=3e-4).saturated == ()
    assert unit_marks(net.trace([0.0], [1.0]), threshold=0.3).saturated == ((1, 1), (1, 2))
    with pytest.raises(ValueError, match="threshold"):
        unit_marks(net.trace([0.0], [1.0]), threshold=0)


def test_a_relu_with_a_negative_bias_on_every_point_is_dead():
    # inputs in [−1, 1]², unit 1: z = x₁ + x₂ − 5 < 0 on every point; unit 2: z = x₁ + 5 > 0
    X, Y = make_dataset("circles", n=50, noise=0.0, seed=1)
    assert np.abs(X).max() <= 1.5
    net = Network(
        [[[1.0, 1.0], [1.0, 0.0]], [[1.0, 1.0]]], [[-5.0, 5.0], [0.0]], activation="relu", output_activation="sigmoid"
    )
    marks = unit_marks(net.batch_trace(X, Y))
    assert marks.dead == ((1, 1),) and marks.saturated == () and marks.m == 50
    assert marks.title(1, 1).startswith("dead: zero on all 50 samples of the batch")
    # one sample: never dead, and a ReLU with σ′ = 0 is off for it, not saturated
    one = unit_marks(net.trace(X[0], Y[0]))
    assert one.dead == () and one.saturated == ()
    # one point where unit 1 is on: not dead on the batch any more
    X2 = np.vstack([X, [[4.0, 4.0]]])
    Y2 = np.vstack([Y, [[1.0]]])
    assert unit_marks(net.batch_trace(X2, Y2)).dead == ()
