"""A new activation or loss is one registry entry (issue 22, item 2): softplus registered in
``ACTIVATIONS`` alone, and log-cosh in ``LOSSES`` alone, for these tests only, go through the
worked example, practice (the property test of ``test_practice.py`` over every combination they
make), the practice sheets and the dashboard's dropdowns with no other edit of the package.

What the checks expect of them is written out here again, independently of their entries: σ′ of
softplus is the sigmoid, ∇ₐ of log-cosh is tanh(a − y).
"""

import contextlib
import itertools

import numpy as np
import pytest
import registry_cases
import test_practice
from combos import allowed

from backprop_widgets import Dashboard, Network, worked_example
from backprop_widgets.core import (
    ACTIVATIONS,
    LOSSES,
    UNIT_ROUNDOFF,
    Activation,
    Asked,
    GradMistake,
    Loss,
    Param,
    elementwise,
    exponent,
    fmt,
    fmt_all,
    hidden_activations,
    paren,
    signed_terms,
)
from backprop_widgets.explain.exercise import Spec, key, make_student, sheet

import latex_arith


def _sigmoid(z):
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


SOFTPLUS = Activation(
    "softplus",
    "softplus",
    lambda z: np.logaddexp(0.0, z),
    lambda z, a: _sigmoid(z),
    r"\sigma(z) = \ln(1 + e^{z})",
    r"\sigma'(z) = \frac{1}{1 + e^{-z}}",
    elementwise(lambda z: [rf"\ln(1 + e^{{{exponent(z)}}})"]),
    range=(0.0, np.inf),
    applied=lambda j, z, z_i: rf"\ln(1 + e^{{{z[j]}}})",
)


def _log_cosh(z, a, y, act):
    # L = Σ_j ln cosh(a_j − y_j), ln cosh d = ln(e^d + e^{−d}) − ln 2 without overflow
    d = a - y
    return np.sum(np.logaddexp(d, -d) - np.log(2.0), axis=-1)


def _write_log_cosh(z, a, y, act, l):
    A, Y = fmt_all(a), fmt_all(y)
    terms = " + ".join(rf"\ln\cosh(\act{{{A[j]}}} - {paren(Y[j])})" for j in range(len(A)))
    each = signed_terms(fmt_all(np.logaddexp(a - y, y - a) - np.log(2.0)))
    return f"{terms} = {each} = {fmt(float(_log_cosh(z, a, y, act)))}"


def _ask_log_cosh(y, act):
    Y = fmt_all(y)

    def f(o):
        return float(np.sum(np.log(np.cosh(o["a"] - o["y"]))))

    return Asked(
        lambda a, c: " + ".join(rf"\ln\cosh({a[j]} - {paren(Y[j])})" for j in range(len(a))),
        f,
        [("sign", lambda o: -f(o), "The sign is flipped: ln cosh is never negative.")],
    )


LOG_COSH = Loss(
    "log_cosh",
    "log-cosh Σ ln cosh(a−y)",
    _log_cosh,
    lambda z, a, y, act: np.tanh(a - y),
    r"\mathcal{L} = \sum_j \ln\cosh\left(a_j^{(L)} - y_j\right)",
    r"\nabla_a \mathcal{L} = \tanh\left(\mathbf{a}^{(L)} - \mathbf{y}\right)",
    _write_log_cosh,
    lambda a, y: rf"\tanh(\act{{{a}}} - {paren(y)})",
    lambda z, a, y, act, loss: float(UNIT_ROUNDOFF * (8 + 4 * a.size) * (loss + np.abs(a - y).sum() + 1.0)),
    "log-cosh",
    _ask_log_cosh,
    lambda a, y: np.tanh(a - y),
    (GradMistake("sign", -1.0, "The sign is flipped: ∂L/∂a is tanh(a − y), not tanh(y − a)."),),
)


@contextlib.contextmanager
def registered(mp: pytest.MonkeyPatch | None = None):
    """Softplus and log-cosh in the registries, and the oracles of ``test_practice`` told their
    derivatives (written out here, not read from the entries)."""
    with contextlib.ExitStack() as stack:
        if mp is None:
            mp = stack.enter_context(pytest.MonkeyPatch.context())
        mp.setitem(ACTIVATIONS, "softplus", SOFTPLUS)
        mp.setitem(LOSSES, "log_cosh", LOG_COSH)
        mp.setitem(test_practice.SIGMA_PRIME, "softplus", lambda v: 1 / (1 + np.exp(-v)))
        mp.setitem(test_practice.GRAD, "log_cosh", (lambda a, y: np.tanh(a - y), {"sign": -1.0}))
        mp.setitem(test_practice.LOSS_MISTAKES, "log_cosh", lambda L: {"sign": -L})
        yield


@pytest.fixture(autouse=True)
def new_functions(monkeypatch):
    with registered(monkeypatch):
        yield


def _combos() -> list[tuple[str, str, str]]:
    """Every (hidden, output, loss) the registries allow that uses softplus, and log-cosh behind
    two hidden activations and every output it accepts."""
    with registered():
        every = itertools.product(hidden_activations(), list(ACTIVATIONS), list(LOSSES))
        return [
            (h, o, loss)
            for h, o, loss in every
            if ("softplus" in (h, o) and loss != "log_cosh" or loss == "log_cosh" and h in ("sigmoid", "softplus"))
            and allowed(h, o, loss)
        ]


COMBOS = _combos()


def test_the_combinations_are_the_ones_main_failed_on():
    # softplus hidden behind 8 (output, loss) pairs and softplus output behind 4 hidden σ: 12 of
    # the 13 failures the issue counts, all from test_practice's oracle taking an unknown σ′ for
    # 1 (the 13th was the test that explain's tables of question writers cover every name, now
    # gone with the tables); log-cosh behind 2 hidden σ with the 5 outputs it accepts (softmax
    # needs a form of BP1), which main could not ask about (no entry in LOSS_QUESTIONS)
    assert len(COMBOS) == 12 + 10
    assert ("softplus", "softmax", "log_cosh") not in COMBOS and ("relu", "softplus", "mse") in COMBOS


@pytest.mark.parametrize("hidden, out, loss", COMBOS)
def test_practice_on_random_nets(hidden, out, loss):
    counts = {"mistakes": 0, "kept": 0, "answers": 0, "five_percent_checked": 0}
    for seed in range(test_practice.NETS_PER_COMBO):
        net, x, y, targets = test_practice.random_case(hidden, out, loss, seed)
        t = net.trace(x, y)
        for p in targets:
            qs = worked_example(net, x, y, traced=p, trace=t).questions(0.5)
            assert qs[-1].name == "update" and qs[-2].name == "grad"
            for q in qs:
                test_practice.check_question(q, net, t, p, 0.5, counts)
    assert counts["kept"] >= 0.4 * counts["mistakes"], counts
    assert counts["five_percent_checked"] >= 0.8 * counts["answers"], counts


def test_the_worked_example_writes_softplus_and_log_cosh_with_numbers():
    # z = 0.5·1 − 0.5 = 0: a = ln(1 + e⁰) = ln 2 = 0.6931; y = 1: L = ln cosh(0.6931 − 1) =
    # ln cosh(−0.3069) = 0.04636, printed 0.0464; ∂L/∂a = tanh(−0.3069) = −0.2976, δ = −0.2976 · σ′(z) with
    # σ′ = 1 for a linear output
    net = Network([[[0.5]], [[1.0]]], [[-0.5], [0.0]], "softplus", "linear", "log_cosh")
    we = worked_example(net, [1.0], [1.0])
    assert we.step("forward-1").parts[-1].latex == r"\act{a_{1}^{(1)}} = \ln(1 + e^{0}) = \act{0.6931}"
    loss = we.step("loss").parts[-1].latex
    assert loss == r"\mathcal{L} = \ln\cosh(\act{0.6931} - 1.0) = 0.0464 = 0.0464"
    assert r"[\nabla_a \mathcal{L}]_{1} = \tanh(\act{0.6931} - 1.0) = -0.2976" in we.step("bp1").latex
    assert float(we.trace.delta[2][0]) == pytest.approx(np.tanh(np.log(2.0) - 1.0), rel=1e-12)
    assert we.check.status == "agree"
    assert latex_arith.check(we.to_latex())[1] == []
    qs = {q.name: q for q in we.questions()}
    assert qs["a1,1"].formula.startswith(r"\act{a^{(1)}} = \ln(1 + e^{z^{(1)}}) = \boxed")
    assert qs["loss"].formula.startswith(r"\mathcal{L} = \ln\cosh(\act{a^{(2)}} - 1.0) = \boxed")
    assert qs["loss"].answer == pytest.approx(np.log(np.cosh(np.log(2.0) - 1.0)), rel=1e-12)
    assert qs["loss"].check("-0.04636").mistake == "sign"


@pytest.mark.parametrize("hidden, out, loss", [("softplus", "sigmoid", "mse"), ("relu", "linear", "log_cosh")])
def test_practice_sheets_and_key(hidden, out, loss):
    spec = Spec((2, 3, 2), hidden, out, loss, Param.parse("w1,2,1"), 0.5)
    students = [make_student(i, 1, name, 3, spec, "md", "okabe-ito") for i, name in enumerate(["Ada", "Bo"])]
    for s in students:
        assert s.net.activation == hidden and s.net.loss_name == loss
        t = s.we.trace
        assert np.all(np.abs(np.concatenate(t.z[1:])) <= 3)  # fit for hand calculation
        if out == "sigmoid":  # targets where a sigmoid can reach: 0 or 1
            assert set(s.y.tolist()) <= {0.0, 1.0}
        text = registry_cases.markdown(sheet(s, spec))
        assert f"{hidden} hidden layers and a" in text and f"loss {LOSSES[loss].long_text or LOSSES[loss].text}" in text
        assert text.count("**") >= 2 * len(s.questions)
    answer_key = registry_cases.markdown(key(students, spec, 3))
    assert all(fmt(q.answer, unicode=True) in answer_key for s in students for q in s.questions)


def test_the_dashboards_dropdowns_offer_and_apply_them():
    app = Dashboard()
    header = app.header
    assert ("softplus", "softplus") in header.hidden.options and ("softplus", "softplus") in header.output.options
    assert ("log-cosh Σ ln cosh(a−y)", "log_cosh") in header.loss.options
    header.hidden.value = "softplus"
    header.loss.value = "log_cosh"
    net, we = app.state.network, app.state.example
    assert (net.activation, net.loss_name) == ("softplus", "log_cosh")
    assert r"\ln(1 + e^{" in we.step("forward-1").latex and r"\ln\cosh(" in we.step("loss").latex
    assert latex_arith.check(we.to_latex())[1] == []
