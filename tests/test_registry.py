"""The page's text of a function comes from its registry entry (issue 11, item 9).

Two activations are registered here, for the tests only: softplus and leaky ReLU. Nothing else in
the package learns about them, yet their worked examples must pass the same checks as the
built-in ones: every arithmetic line holds at the precision shown, backprop agrees with finite
differences and with the gradient check, and the forward line says what σ is. A third, softsign,
shows that the core needs nothing but its registry entry (issue 12): no module of the core
outside the registries names an activation or a loss. And no module of any layer outside the
registries branches on a function's name (issue 22): no registered name keys a dict, is compared
with, subscripts a table or is a case pattern (``tests/test_new_functions.py`` shows a new
activation and a new loss going through every layer with nothing but their entries).
"""

import ast
from pathlib import Path

import numpy as np
import pytest

from backprop_widgets import Network, check_gradient, worked_example
from backprop_widgets.core import (
    ACTIVATIONS,
    BP1_FORMS,
    HADAMARD,
    LOSSES,
    Activation,
    bp1_form,
    elementwise,
    exponent,
    fmt,
    hidden_activations,
    paren,
)

import hiprec
import latex_arith


def _softplus_written(z: float) -> list[str]:
    e = np.exp(z) if z < 700 else np.inf
    return [rf"\ln(1 + e^{{{exponent(z)}}})"] + ([rf"\ln(1 + {paren(fmt(e))})"] if np.isfinite(e) else [])


def _softplus_prime_written(z: float) -> list[str]:
    e = np.exp(-z) if z > -700 else np.inf
    return [rf"\frac{{1}}{{1 + e^{{{exponent(-z)}}}}}"] + (
        [rf"\frac{{1}}{{1 + {paren(fmt(e))}}}"] if np.isfinite(e) else []
    )


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
    elementwise(_softplus_written),
    elementwise(_softplus_prime_written),
    range=(0.0, np.inf),
)


def _leaky_written(z: float) -> list[str]:
    s = fmt(z)
    return [rf"\max(0.01 \times {paren(s)}, {s})"] + ([rf"0.01 \times {paren(s)}"] if z <= 0 else [])


LEAKY_RELU = Activation(
    "leaky_relu",
    "leaky ReLU",
    lambda z: np.where(np.asarray(z) > 0, z, 0.01 * np.asarray(z)),
    lambda z, a: np.where(np.asarray(z) > 0, 1.0, 0.01),
    r"\sigma(z) = \max(0.01\,z, z)",
    r"\sigma'(z) = \begin{cases} 1 & z > 0 \\ 0.01 & z \le 0 \end{cases}",
    elementwise(_leaky_written),
    kinks=(0.0,),
)


@pytest.fixture(autouse=True)
def registered(monkeypatch):
    """Softplus and leaky ReLU in the registry for one test, and nowhere else."""
    monkeypatch.setitem(ACTIVATIONS, "softplus", SOFTPLUS)
    monkeypatch.setitem(ACTIVATIONS, "leaky_relu", LEAKY_RELU)


def test_softplus_forward_line_says_what_sigma_is():
    # z = 0.5·1 − 0.5 = 0; a = ln(1 + e⁰) = ln 2 = 0.6931 (the bug printed "a = z = 0.6931")
    net = Network([[[0.5]], [[1.0]]], [[-0.5], [0.0]], "softplus", "linear")
    we = worked_example(net, [1.0], [1.0])
    line = we.step("forward-1").parts[-1].latex
    assert line == r"\act{a_{1}^{(1)}} = \ln(1 + e^{0}) = \ln(1 + 1.0) = \act{0.6931}"
    # σ′(0) = 1/(1 + e⁰) = 0.5, written out in BP2
    assert (
        r"\begin{pmatrix} \sigma'(0.0) \end{pmatrix} = \begin{pmatrix} \frac{1}{1 + 1.0} "
        r"\end{pmatrix} = \act{\begin{pmatrix} 0.5 \end{pmatrix}}"
    ) in we.step("bp2-1").latex
    assert latex_arith.check(we.to_latex())[1] == []


def test_leaky_relu_lines_and_its_kink():
    # z = −0.5 ≤ 0: a = 0.01 × (−0.5) = −0.005, σ′ = 0.01
    net = Network([[[-0.5]], [[1.0]]], [[0.0], [0.0]], "leaky_relu", "linear")
    we = worked_example(net, [1.0], [1.0])
    assert we.step("forward-1").parts[-1].latex == (
        r"\act{a_{1}^{(1)}} = \max(0.01 \times (-0.5), -0.5) = 0.01 \times (-0.5) = \act{-0.005}"
    )
    # on the kink: the convention is stated, and the check says what backprop used
    at_kink = worked_example(net.with_param("w1,1,1", 0.0), [1.0], [1.0])
    assert "backprop takes leaky ReLU′(0.0) = 0.01, the usual convention" in (at_kink.step("bp2-1").parts[-2].caption)
    assert at_kink.check.status == "kink"
    assert "mixes the slopes 0.01 and 1.0" in at_kink.step("check").text


def test_losses_refuse_outputs_outside_their_range():
    with pytest.raises(
        ValueError,
        match=r"cross-entropy needs outputs in \(0, 1\): use a sigmoid "
        r"or softmax output activation, not softplus",
    ):
        Network([[[1.0]]], [[0.0]], "softplus", loss="cross_entropy")
    assert bp1_form("softplus", "mse").name == "hadamard" and ("softplus", "mse") not in BP1_FORMS


COMBOS = [
    (hidden, out, loss)
    for hidden in ("softplus", "leaky_relu")
    for out in ("softplus", "leaky_relu", "sigmoid", "softmax")
    for loss in LOSSES
    if LOSSES[loss].accepts(ACTIVATIONS.get(out, SOFTPLUS))
]


@pytest.mark.parametrize("hidden,out,loss", COMBOS)
@pytest.mark.parametrize("seed", range(6))
def test_registered_activations_pass_the_built_in_checks(hidden, out, loss, seed):
    rng = np.random.default_rng(seed)
    sizes = [3, 4, 3, 2]
    base = Network.random(sizes, seed=seed, activation=hidden, output_activation=out, loss=loss)
    scale = 1.0 + 3.0 * seed  # up to ×16: units saturate
    net = Network([W * scale for W in base.weights], [b * scale for b in base.biases], hidden, out, loss)
    x = rng.uniform(-1, 1, 3).round(2)
    y = np.eye(2)[seed % 2]
    t = net.trace(x, y)
    # backprop against finite differences and against the verdict
    gW, gb = net.numerical_gradient(x, y)
    for p in net.parameters():
        num = float((gW[p.l] if p.is_weight else gb[p.l])[p.index])
        assert check_gradient(t, p, num).status in ("agree", "rounding", "kink")
    # and one gradient against a 200-digit centred difference, away from any kink
    p = "w3,1,2"
    if check_gradient(t, p, net.numerical_gradient_of(p, x, y)["numerical"]).status == "agree":
        assert t.grad(p) == pytest.approx(float(hiprec.centred(net, p, x, y)), rel=1e-6, abs=1e-12)
    # every arithmetic line of every step holds at the precision shown
    for target in ("w1,2,1", "b2,3", "w3,1,2"):
        tex = worked_example(net, x, y, traced=target).to_latex()
        checks, failures = latex_arith.check(tex)
        assert failures == [] and checks > 20


# --- the core needs nothing but the registry entry ------------------------------------------------

SOFTSIGN = Activation(
    "softsign",
    "softsign",
    lambda z: z / (1.0 + np.abs(z)),
    lambda z, a: 1.0 / (1.0 + np.abs(z)) ** 2,
    r"\sigma(z) = \frac{z}{1 + |z|}",
    r"\sigma'(z) = \frac{1}{(1 + |z|)^2}",
    elementwise(lambda z: [rf"\frac{{{fmt(z)}}}{{1 + {fmt(abs(z))}}}"]),
    range=(-1.0, 1.0),
)


@pytest.mark.parametrize(
    "out,loss",
    [
        ("softsign", "mse"),
        ("sigmoid", "mse"),
        ("sigmoid", "cross_entropy"),
        ("softmax", "cross_entropy"),
        ("softmax", "mse"),
    ],
)
def test_a_registered_activation_needs_nothing_else(monkeypatch, out, loss):
    # softsign a = z / (1 + |z|), σ′ = 1 / (1 + |z|)²: one registry entry, for this test only
    monkeypatch.setitem(ACTIVATIONS, "softsign", SOFTSIGN)
    assert "softsign" in hidden_activations()
    net = Network.random([3, 4, 3, 2], seed=7, activation="softsign", output_activation=out, loss=loss)
    x, y = np.array([0.9, -0.4, 0.3]), np.array([1.0, 0.0])
    t = net.trace(x, y)
    assert t.activations == ("input", "softsign", "softsign", out)
    # BP2's σ′ is the entry's: at layer 1, σ′(z) = 1 / (1 + |z|)²
    np.testing.assert_allclose(t.sigma_prime[1], 1.0 / (1.0 + np.abs(t.z[1])) ** 2, rtol=1e-15)
    gW, gb = net.numerical_gradient(x, y)
    for p in net.parameters():
        num = float((gW[p.l] if p.is_weight else gb[p.l])[p.index])
        check = check_gradient(t, p, num)
        assert check.status == "agree", (p, check.message)
        assert t.grad(p) == pytest.approx(num, rel=1e-6, abs=1e-10)
    if out == "softsign":  # an elementwise output takes the general BP1
        assert bp1_form(out, loss) is HADAMARD and t.bp1_form == "hadamard"


def test_no_module_of_the_core_outside_the_registries_names_a_function():
    # what a σ or a loss does comes from its entry, never from an `if name == …` elsewhere
    core = Path(__file__).parents[1] / "backprop_widgets" / "core"
    registries = {"activations.py", "losses.py", "bp1.py", "example.py"}  # example: the seed page's
    registries.add("datasets.py")  # the dataset registry: "linear" there is a dataset, not σ
    names = set(ACTIVATIONS) | set(LOSSES)
    found = {}
    for path in sorted(core.glob("*.py")):
        if path.name not in registries:
            hits = [
                node.value
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(node, ast.Constant) and node.value in names
            ]
            if hits:
                found[path.name] = hits
    assert found == {}


# --- no layer branches on a function's name (issue 22) ---------------------------------------------

PACKAGE = Path(__file__).parents[1] / "backprop_widgets"
#: the registries themselves: the one place a function's name keys its entry
REGISTRIES = {"core/activations.py", "core/losses.py", "core/bp1.py"}


def named_functions(source: str, names: set[str]) -> list[tuple[int, str, str]]:
    """(line, how, name) for every string literal equal to a registered name that keys a dict
    (``{"mse": …}``), is compared (``== "relu"``, ``in ("relu", …)``, ``case "relu":``) or
    subscripts (``TABLE["sigmoid", "mse"]``)."""

    def literals(node: ast.AST | None) -> list[ast.Constant]:
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return [c for e in node.elts for c in literals(e)]
        return [node] if isinstance(node, ast.Constant) and node.value in names else []

    hits = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            found = [("dict key", c) for k in node.keys for c in literals(k)]
        elif isinstance(node, ast.Compare):
            found = [("comparison", c) for side in (node.left, *node.comparators) for c in literals(side)]
        elif isinstance(node, ast.Subscript):
            found = [("subscript", c) for c in literals(node.slice)]
        elif isinstance(node, ast.MatchValue):
            found = [("case", c) for c in literals(node.value)]
        else:
            found = []
        hits += [(c.lineno, how, c.value) for how, c in found]
    return hits


def test_the_guard_finds_each_way_of_branching_on_a_name():
    source = (
        'x = {"mse": 1}\nif name == "relu": pass\nif name in ("tanh", "foo"): pass\n'
        'f = FORMS["sigmoid", "cross_entropy"]\nmatch name:\n    case "softmax": pass\n'
        'ok = {"relu_like": 1, "mode": "linear"}\ncall(activation="sigmoid")\n'
    )
    assert named_functions(source, set(ACTIVATIONS) | set(LOSSES)) == [
        (1, "dict key", "mse"),
        (2, "comparison", "relu"),
        (3, "comparison", "tanh"),
        (4, "subscript", "sigmoid"),
        (4, "subscript", "cross_entropy"),
        (6, "case", "softmax"),
    ]


def test_no_layer_outside_the_registries_branches_on_a_function_name():
    # core, explain, draw, app, cli, voila: what a σ or a loss does comes from its entry. A
    # default's name (``activation="sigmoid"``) is no branch and stays allowed.
    names = set(ACTIVATIONS) | set(LOSSES)
    paths = sorted(PACKAGE.rglob("*.py"))
    layers = {p.relative_to(PACKAGE).parts[0] for p in paths}
    assert {"core", "explain", "draw", "app", "cli", "voila"} <= layers
    found = {
        str(rel): hits
        for path in paths
        if (rel := path.relative_to(PACKAGE).as_posix()) not in REGISTRIES
        and (hits := named_functions(path.read_text(encoding="utf-8"), names))
    }
    assert found == {}
