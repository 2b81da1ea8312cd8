"""Practice questions: answers from the trace, the precision rule, the mistake catalogue, bad text.

The property tests run every activation × output × loss combination the registries allow, on
seeded random nets, for a weight and a bias target each; the mistake values they expect are
computed here again from the trace (and the path sum by enumerating every path), not taken from
the module under test.
"""

import itertools
import math
import re
import subprocess
import sys

import numpy as np
import pytest
from combos import allowed
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_widgets import Network, seed_example, worked_example
from backprop_widgets.core import ACTIVATIONS, HIDDEN_ACTIVATIONS, LOSSES, fmt
from backprop_widgets.explain.practice import BLANK, CATALOGUE, Feedback, parse_answer, questions


@pytest.fixture(scope="module")
def seed():
    net, x, y = seed_example()
    we = worked_example(net, x, y, traced="w1,1,1")
    return we, {q.name: q for q in we.questions()}


def u3(x: float) -> float:
    """One unit in the third significant digit."""
    return 10.0 ** (math.floor(math.log10(abs(x))) - 2)


def numbers_in(latex: str) -> set[str]:
    """The unsigned decimals a line shows (the blank's phantom 0.0000 is not shown)."""
    return {m.lstrip("-") for m in re.findall(r"-?\d+\.\d+", latex.replace(BLANK, ""))}


# --- the seed page, worked by hand -------------------------------------------------------------


def test_seed_questions_in_walkthrough_order(seed):
    we = seed[0]
    qs = we.questions()
    assert [(q.step_id, q.symbol, q.printed) for q in qs] == [
        ("forward-1", "z₁⁽¹⁾", "0.0"),
        ("forward-1", "z₂⁽¹⁾", "0.25"),
        ("forward-1", "a₁⁽¹⁾", "0.5"),
        ("forward-1", "a₂⁽¹⁾", "0.5622"),
        ("forward-2", "z₁⁽²⁾", "0.8997"),
        ("forward-2", "z₂⁽²⁾", "1.2122"),
        ("forward-2", "a₁⁽²⁾", "0.7109"),
        ("forward-2", "a₂⁽²⁾", "0.7707"),
        ("forward-3", "z⁽³⁾", "0.6215"),
        ("forward-3", "a⁽³⁾", "0.6506"),
        ("loss", "L", "0.0611"),
        ("bp1", "δ⁽³⁾", "-0.0794"),
        ("bp2-2", "δ₁⁽²⁾", "-0.00490"),
        ("bp2-2", "δ₂⁽²⁾", "-0.00562"),
        ("bp2-1", "δ₁⁽¹⁾", "-0.00212"),
        ("bp2-1", "δ₂⁽¹⁾", "-0.00235"),
        ("bp3", "∂L/∂w₁,₁⁽¹⁾", "-0.00212"),
        # after one descent step with η = 0.5: 0.1 − 0.5 × (−0.00212) = 0.1011
        ("bp3", "w₁,₁⁽¹⁾ − η·∂L/∂w₁,₁⁽¹⁾", "0.1011"),
    ]
    assert we.questions() == questions(we)


def test_seed_bp1_mistakes_worked_by_hand(seed):
    q = seed[1]["delta3,1"]
    # The page: a⁽³⁾ = 0.6506, z⁽³⁾ = 0.6215, y = 1.0, so ∂L/∂a = a − y = −0.3494 and
    # σ′(z⁽³⁾) = σ(z)(1 − σ(z)) = 0.6506 × 0.3494 = 0.2273: δ⁽³⁾ = −0.3494 × 0.2273 = −0.0794.
    assert q.check("-0.0794") == Feedback(True, None, "Right: δ⁽³⁾ = −0.0794.", -0.0794)
    # σ′ evaluated at a instead of z: σ(0.6506) = 1/(1 + e^−0.6506) = 1/1.5217 = 0.6572, so
    # σ′ = 0.6572 × (1 − 0.6572) = 0.6572 × 0.3428 = 0.2253 and δ = −0.3494 × 0.2253 = −0.0787.
    fb = q.check("-0.0787")
    assert (fb.correct, fb.mistake) == (False, "sigma_prime_of_a")
    assert "σ′ at a⁽³⁾ instead of at z⁽³⁾" in fb.message
    # The sign flipped, y − a = +0.3494: δ = 0.3494 × 0.2273 = +0.0794.
    fb = q.check("0.0794")
    assert (fb.correct, fb.mistake) == (False, "sign")
    assert "a − y, not y − a" in fb.message
    # Forgetting σ′: −0.3494; 2(a − y)σ′ = −0.6988 × 0.2273 = −0.1588.
    assert q.check("-0.3494").mistake == "missing_sigma_prime"
    assert q.check("-0.1588").mistake == "factor_two"


def test_seed_other_mistakes_worked_by_hand(seed):
    qs = seed[1]
    # z₂⁽¹⁾ = 0.4 + 0.25 − 0.6 + 0.2 = 0.25; without the bias 0.2: 0.05
    assert qs["z1,2"].check("0.05").mistake == "missing_bias"
    # BP2 with W⁽²⁾ instead of its transpose: row 1 (0.7, 0.8)·(−0.00490, −0.00562) = −0.00793,
    # times σ′(z₁⁽¹⁾) = 0.25: −0.00198 (the right column 1 gives −0.00849 × 0.25 = −0.00212)
    assert qs["delta1,1"].check("-0.00198").mistake == "no_transpose"
    # BP3 with a₁⁽¹⁾ = 0.5 instead of x₁ = 1.0: 0.5 × (−0.00212) = −0.00106
    assert qs["grad"].check("-0.00106").mistake == "wrong_activation"
    # BP3 with δ from the layer above: x₁ δ₁⁽²⁾ = 1.0 × (−0.00490) = −0.00490, not x₁ δ₁⁽¹⁾ = −0.00212
    fb = qs["grad"].check("-0.00490")
    assert (fb.correct, fb.mistake) == (False, "wrong_layer_delta")
    assert "δ₁⁽²⁾ = −0.00490, the error of layer 2" in fb.message and "BP3 uses δ₁⁽¹⁾" in fb.message
    # the larger path, through a₁⁽²⁾: 1.0 · 0.25 · 0.7 · 0.2055 · 0.3 · (−0.0794) = −0.00107;
    # through a₂⁽²⁾: 1.0 · 0.25 · 0.9 · 0.1767 · 0.4 · (−0.0794) = −0.00126, the largest
    assert qs["grad"].check("-0.00126").mistake == "one_path"
    # ascent: 0.1 + 0.5 × (−0.00212) = 0.0989
    assert qs["update"].check("0.0989").mistake == "ascent"
    # L = ½ (0.6506 − 1)² = ½ × 0.1221 = 0.0611; without the ½: 0.1221
    assert qs["loss"].check("0.1221").mistake == "factor_two"


def test_seed_names_every_mistake_of_the_catalogue(seed):
    named = {m.id for q in seed[1].values() for m in q.mistakes}
    assert (
        named
        == set(CATALOGUE)
        == {
            "sigma_prime_of_a",
            "missing_sigma_prime",
            "sign",
            "no_transpose",
            "wrong_activation",
            "wrong_layer_delta",
            "factor_two",
            "missing_bias",
            "one_path",
            "ascent",
        }
    )


def test_seed_answers_from_the_pages_rounded_numbers_are_right(seed):
    qs = seed[1]
    # δ⁽³⁾ from the printed a⁽³⁾ = 0.6506: (0.6506 − 1) × 0.6506 × 0.3494 = −0.079426
    assert qs["delta3,1"].check(repr((0.6506 - 1) * 0.6506 * 0.3494)).correct
    # δ₁⁽¹⁾ from the printed δ⁽²⁾: (0.7 × (−0.00490) + 0.9 × (−0.00562)) × 0.25 = −0.0021220
    assert qs["delta1,1"].check(repr((0.7 * -0.00490 + 0.9 * -0.00562) * 0.25)).correct
    # roundings to 3 or more significant digits are right, to 2 are not
    assert qs["a1,2"].check("0.562").correct and qs["a1,2"].check("0.56217").correct
    fb = qs["a1,2"].check("0.56")
    assert not fb.correct and fb.mistake is None and "3 or more significant digits" in fb.message
    # a value the page prints as 0.0 (2.8e-17 before rounding) is exactly 0
    assert qs["z1,1"].check("0").correct and qs["z1,1"].check("−0.0").correct
    assert not qs["z1,1"].check("0.001").correct


def test_seed_lines(seed):
    we, qs = seed
    given = numbers_in(
        " ".join(
            fmt(v)
            for v in [*we.x, *we.y, 0.5]
            + [w for W in we.trace.weights for w in W.ravel()]
            + [b for bs in we.trace.biases for b in bs]
        )
    )
    # every printed answer with 3 or more significant digits, the numbers a sheet must not show
    answers = {q.printed.lstrip("-") for q in qs.values() if len(q.printed.lstrip("-0.")) >= 3} - given
    for q in qs.values():
        assert q.latex.endswith(" = " + BLANK) and q.formula.endswith(" = " + BLANK)
        assert q.latex.count(BLANK) == q.formula.count(BLANK) == 1
        assert numbers_in(q.formula) <= given, (q.name, q.formula)
        if q.name != "grad":  # ∂L/∂w₁,₁⁽¹⁾ = x₁δ₁⁽¹⁾ with x₁ = 1.0 prints as δ₁⁽¹⁾ itself
            assert q.printed.lstrip("-") not in numbers_in(q.latex) - given, q.latex
        assert not numbers_in(q.formula) & answers
    assert qs["delta3,1"].latex == (
        r"\err{\delta^{(3)}} = (\act{a^{(3)}} - 1.0)\,\act{\sigma'(z^{(3)})} = "
        r"(\act{0.6506} - 1.0)\,\act{\sigma'(0.6215)} = " + BLANK
    )
    assert numbers_in(qs["delta1,1"].latex) >= {"0.7", "0.8", "0.9", "1.0", "0.00490", "0.00562", "0.0"}
    assert numbers_in(qs["grad"].latex) == {"1.0", "0.00212"}
    assert qs["z2,1"].formula == (
        r"z_{1}^{(2)} = \wt{0.7}\,\act{a_{1}^{(1)}} + \wt{0.8}\,"
        r"\act{a_{2}^{(1)}} + \wt{0.1} = " + BLANK
    )


def test_lines_render_as_mathml(seed):
    from backprop_widgets.explain.mathml import to_mathml

    for q in seed[1].values():
        for latex in (q.latex, q.formula):
            assert "<menclose" in to_mathml(latex, True)


def test_eta():
    net, x, y = seed_example()
    we = worked_example(net, x, y, traced="b2,1")
    # b₁⁽²⁾ = 0.1, ∂L/∂b₁⁽²⁾ = δ₁⁽²⁾ = −0.00490: 0.1 − 0.1 × (−0.00490) = 0.100490
    update = we.questions(eta=0.1)[-1]
    assert update.step_id == "bp4" and update.name == "update"
    assert update.answer == pytest.approx(0.1 + 0.1 * 0.0048977, rel=1e-4)
    for eta in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="learning rate"):
            we.questions(eta)


# --- what the student types --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, hint",
    [
        ("abc", "is not a number"),
        ("", "Type a number"),
        ("   ", "Type a number"),
        ("1,5", "1.5 rather than 1,5"),
        ("nan", "not a finite number"),
        ("-inf", "not a finite number"),
        ("inf", "not a finite number"),
        ("NaN", "not a finite number"),
        ("1e999", "too large"),
        ("1..2", "is not a number"),
        ("0x10", "is not a number"),
        ("1_000", "is not a number"),
        ("١٢", "is not a number"),
        ("2*3", "is not a number"),
        ("__import__('os')", "is not a number"),
        ("0.5 0.6", "is not a number"),
        ("9" * 500, "too long"),
        (None, "is not a number"),
    ],
)
def test_bad_text_says_what_to_type(seed, text, hint):
    fb = seed[1]["delta3,1"].check(text)
    assert fb.correct is False and fb.mistake is None and fb.value is None
    assert hint in fb.message and ("type" in fb.message.lower() or "point" in fb.message)


@pytest.mark.parametrize(
    "text, value",
    [
        ("-0.0794", -0.0794),
        ("−0.0794", -0.0794),
        ("– 0.0794", -0.0794),
        ("+.5", 0.5),
        ("5.", 5.0),
        ("-7.94e-2", -0.0794),
        ("-7.94E-2", -0.0794),
        ("−7.94×10⁻²", -0.0794),
        ("-7.94 x 10^-2", -0.0794),
        ("-7.94*10^(-2)", -0.0794),
        (r"-7.94 \times 10^{-2}", -0.0794),
        ("$-0.0794$", -0.0794),
        (" 2 ", 2.0),
        (3, 3.0),
        (0.25, 0.25),
    ],
)
def test_accepted_spellings(text, value):
    assert parse_answer(text) == pytest.approx(value, rel=1e-15)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=40),
        st.floats(),
        st.integers(),
        st.none(),
        st.binary(max_size=8),
        st.from_regex(r"[-−+]?[0-9]{0,3}[.,]?[0-9]{0,5}(e[-+]?[0-9]{1,4})?", fullmatch=True),
    )
)
def test_check_never_raises(text):
    q = _SEED_Q[0]
    fb = q.check(text)
    assert isinstance(fb, Feedback) and isinstance(fb.message, str) and fb.message
    if fb.correct:  # right only inside the span, with the answer's sign
        assert q.span[0] <= fb.value <= q.span[1] and fb.value * q.answer >= 0


_SEED_Q = [q for q in worked_example(*seed_example()).questions() if q.name == "delta3,1"]


def test_practice_imports_only_numpy():
    code = (
        "import sys, backprop_widgets.explain.practice; "
        "print(sorted(m for m in ('traitlets', 'ipywidgets', 'matplotlib', 'networkx', "
        "'latex2mathml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- the property test over random nets ----------------------------------------------------------


COMBOS = [c for c in itertools.product(HIDDEN_ACTIVATIONS, ACTIVATIONS, LOSSES) if allowed(*c)]
NETS_PER_COMBO = 6


def random_case(hidden: str, out: str, loss: str, seed: int):
    rng = np.random.default_rng([seed, len(hidden), len(out), len(loss)])
    L = int(rng.integers(1, 4))
    sizes = [int(n) for n in rng.integers(1, 4, size=L + 1)]
    if out == "softmax":
        sizes[-1] = max(2, sizes[-1])
    net = Network.random(sizes, int(rng.integers(1 << 16)), hidden, out, loss)
    x = np.round(rng.uniform(-1, 1, sizes[0]), 2)
    n = sizes[-1]
    if loss == "cross_entropy" and out == "softmax":
        y = [np.eye(n)[rng.integers(n)], np.full(n, 0.5), np.round(rng.dirichlet(np.ones(n)), 2)][seed % 3]
    elif loss == "cross_entropy":
        y = rng.choice([0.0, 1.0, 0.3], size=n)
    else:
        y = np.round(rng.uniform(-1, 1, n), 2)
    params = net.parameters()
    weight = next(p for p in rng.permutation(params) if p.is_weight)
    bias = next(p for p in rng.permutation(params) if not p.is_weight)
    return net, x, y, (weight, bias)


#: σ′ of each elementwise activation, written out here again (a test that registers another
#: adds its own); softmax's Jacobian never enters a "σ′ at a" mistake
SIGMA_PRIME = {
    "sigmoid": lambda v: 1 / (1 + np.exp(-v)) * (1 - 1 / (1 + np.exp(-v))),
    "tanh": lambda v: 1 - np.tanh(v) ** 2,
    "relu": lambda v: (v > 0).astype(float),
    "linear": lambda v: np.ones_like(v),
}

#: ∇ₐL of each loss from a and y, and the mistakes a question on δᴸ names (id → factor on δ)
GRAD = {
    "mse": (lambda a, y: a - y, {"sign": -1.0, "factor_two": 2.0}),
    "cross_entropy": (lambda a, y: (a - y) / (a * (1 - a)), {"sign": -1.0}),
}

#: the mistakes a question on L names, from L
LOSS_MISTAKES = {"mse": lambda L: {"factor_two": 2 * L}, "cross_entropy": lambda L: {"sign": -L}}


def sigma_prime_at(name: str, v: np.ndarray) -> np.ndarray:
    """σ′ written out for each activation, evaluated at v: a function this test does not know
    fails here (KeyError) rather than being taken for the identity."""
    return SIGMA_PRIME[name](v)


def largest_path(t, p) -> tuple[int, float, float]:
    """(number of paths, the largest by |value|, their sum), by enumerating every path."""
    L, l0 = t.L, p.l
    c = t.a[l0 - 1][p.k - 1] if p.is_weight else 1.0
    N = {m: (t.sigma_prime[m] if m < L else t.delta[L]) for m in range(l0, L + 1)}
    values = []
    for route in itertools.product(*(range(t.sizes[m]) for m in range(l0 + 1, L + 1))):
        js = (p.j - 1, *route)
        v = c * N[l0][js[0]]
        for i, m in enumerate(range(l0 + 1, L + 1), start=1):
            v *= t.weights[m - 1][js[i], js[i - 1]] * N[m][js[i]]
        values.append(v)
    return len(values), max(values, key=abs), sum(values)


def expected(q, net, t, p, eta):
    """The answer and the catalogue's mistake values of one question, from the trace."""
    L = t.L
    kind, l, j = re.fullmatch(r"([a-z]+)(?:(\d+),(\d+))?", q.name).groups()
    l, j = (int(l), int(j) - 1) if l else (None, None)
    if kind == "z":
        return t.z[l][j], {"missing_bias": t.z[l][j] - t.biases[l - 1][j]}
    if kind == "a":
        return t.a[l][j], ({"sign": 1 - t.a[l][j]} if t.activations[l] == "sigmoid" else {})
    if kind == "loss":
        return t.loss, LOSS_MISTAKES[t.loss_name](t.loss)
    if kind == "delta" and l == L:
        d, a, y = t.delta[L][j], t.a[L][j], t.y[j]
        grad, factors = GRAD[t.loss_name]
        g = grad(a, y)
        if t.bp1_form == "hadamard":
            return d, {
                "sigma_prime_of_a": g * sigma_prime_at(t.activations[L], t.a[L])[j],
                "missing_sigma_prime": g,
                **{m: k * d for m, k in factors.items()},
            }
        if t.bp1_form == "softmax_jacobian":
            return d, {"missing_sigma_prime": g, **{m: k * d for m, k in factors.items()}}
        return d, {"sign": -d}
    if kind == "delta":
        W, d_next = t.weights[l], t.delta[l + 1]
        e = W.T @ d_next
        out = {
            "sigma_prime_of_a": e[j] * sigma_prime_at(t.activations[l], t.a[l])[j],
            "missing_sigma_prime": e[j],
            "sign": -t.delta[l][j],
        }
        if W.shape[0] == W.shape[1]:
            out["no_transpose"] = (W @ d_next)[j] * t.sigma_prime[l][j]
        return t.delta[l][j], out
    g = t.grad(p)
    if kind == "grad":
        count, top, total = largest_path(t, p)
        assert total == pytest.approx(g, rel=1e-9, abs=1e-15)
        out = {"sign": -g}
        if p.is_weight:
            out["wrong_activation"] = t.a[p.l][p.j - 1] * t.delta[p.l][p.j - 1]
        if p.l < L and (p.j <= t.sizes[p.l + 1] or t.sizes[p.l + 1] == 1):  # δ of the layer above
            above = t.delta[p.l + 1][min(p.j, t.sizes[p.l + 1]) - 1]
            out["wrong_layer_delta"] = (t.a[p.l - 1][p.k - 1] if p.is_weight else 1.0) * above
        if count > 1:
            out["one_path"] = top
        return g, out
    assert kind == "update"
    return net.gradient_step(t.x, t.y, eta).get(p), {"ascent": t.value(p) + eta * g}


def far_apart(u: float, v: float, tol: float) -> bool:
    """Clearly different values: 10 % apart and well outside the rounding tolerances."""
    scale = max(abs(u), abs(v))
    return abs(u - v) > 0.1 * scale + 5 * tol * max(1.0, scale / max(min(abs(u), abs(v)), 1e-300))


@pytest.mark.parametrize("hidden, out, loss", COMBOS)
def test_questions_on_random_nets(hidden, out, loss):
    counts = {"mistakes": 0, "kept": 0, "answers": 0, "five_percent_checked": 0}
    eta = 0.5
    for seed in range(NETS_PER_COMBO):
        net, x, y, targets = random_case(hidden, out, loss, seed)
        t = net.trace(x, y)
        for p in targets:
            we = worked_example(net, x, y, traced=p, trace=t)
            qs = we.questions(eta)
            assert [q.step_id for q in qs] == sorted((q.step_id for q in qs), key=[s.id for s in we.steps].index)
            assert qs[-1].name == "update" and qs[-2].name == "grad"
            for q in qs:
                check_question(q, net, t, p, eta, counts)
    # the catalogue is not vacuous: many mistakes differ from the answer at display precision
    # (ReLU and linear units make σ′(a) = σ′(z), and zero gradients make every mistake 0),
    # and for most answers 5 % off is outside the tolerance
    assert counts["kept"] >= 0.4 * counts["mistakes"], counts
    assert counts["five_percent_checked"] >= 0.8 * counts["answers"], counts


def check_question(q, net, t, p, eta, counts):
    A, mistakes = expected(q, net, t, p, eta)
    # the answer is the trace's
    assert q.answer == pytest.approx(A, rel=1e-12, abs=1e-15), q.name
    # the page's rendering, and roundings to 3 or more significant digits, are right
    for text in (fmt(A), fmt(A, unicode=True), *(f"{A:.{s - 1}e}" for s in (3, 4, 7))):
        assert q.check(text).correct, (q.name, text, A, q.tolerance)
    # a zero is right as 0; its span is what the line's printed terms allow (0.2648 − 0.2648)
    assert q.tolerance >= 0.5 * u3(A) if abs(A) >= 1e-12 else q.check("0").correct and q.tolerance < 1e-3
    # the mistakes: the ones named carry the catalogue's value, and typing it names them
    kept = {m.id: m for m in q.mistakes}
    assert set(kept) <= set(mistakes) and list(kept) == [i for i in CATALOGUE if i in kept]
    for mid, v in mistakes.items():
        counts["mistakes"] += 1
        if mid in kept:
            counts["kept"] += 1
            assert kept[mid].value == pytest.approx(v, rel=1e-9, abs=1e-15), (q.name, mid)
            for text in (fmt(v), fmt(v, unicode=True), repr(float(v))):
                fb = q.check(text)
                assert (fb.correct, fb.mistake) == (False, mid), (q.name, text, fb)
        else:  # dropped only where it is close to the answer or to another mistake's value
            others = [A] + [w for i, w in mistakes.items() if i != mid]
            assert not all(far_apart(v, o, q.tolerance) for o in others), (q.name, mid, v, A)
    # 5 % off is wrong, and names no mistake unless it lands on one
    if abs(A) >= 1e-12:
        counts["answers"] += 1
        if 0.05 * abs(A) > q.tolerance:
            counts["five_percent_checked"] += 1
            for v in (A * 1.05, A * 0.95):
                fb = q.check(repr(float(v)))
                assert not fb.correct, (q.name, v)
                if not any(abs(v - m.value) <= m.tolerance for m in q.mistakes):
                    assert fb.mistake is None, (q.name, v, fb)


def test_every_form_of_bp1_names_a_write_out_of_the_page():
    """A form of BP1 in the core says how the page writes it (``Bp1Form.written``); the explain
    layer has a write-out for each shape, for any σ and loss."""
    from backprop_widgets.core import BP1_FORMS, HADAMARD
    from backprop_widgets.explain.steps.bp1 import WRITE_OUTS

    shapes = {form.written for form in BP1_FORMS.values()} | {HADAMARD.written}
    assert shapes == set(WRITE_OUTS) == {"hadamard", "jacobian", "a_minus_y", "a_sum_y_minus_y"}
