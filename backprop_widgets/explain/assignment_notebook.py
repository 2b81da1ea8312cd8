"""The text of ``backprop-widgets assignment``'s nbgrader source notebook: its cells, in order,
with their nbgrader roles (:class:`Cell`). ``cli/assignment.py`` writes them with nbformat.

Students implement ``forward`` and ``backward`` (numpy, sigmoid, MSE) for a network of their
own; the solution cells hold a reference between ``### BEGIN SOLUTION`` and ``### END SOLUTION``
(nbgrader removes it from the students' version). Four autograded test cells give partial
credit per quantity: forward, BP1, BP2, BP3/BP4 (:mod:`.assignment`); each checks the student's
network in sight and the seed and 20 random networks between ``### BEGIN HIDDEN TESTS`` and
``### END HIDDEN TESTS``. A last cell shows the dashboard of the same network to compare with.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core import Network

#: points of each graded quantity
POINTS = {"forward": 2, "BP1": 2, "BP2": 2, "BP3/BP4": 2}


@dataclass(frozen=True)
class Cell:
    """One cell. kind : ``markdown`` or ``code``; role : ``text`` (read-only), ``given``
    (read-only code), ``solution``, ``test`` (autograded, ``points``) or ``free`` (no role);
    grade_id : nbgrader's id (unique in the notebook)."""

    kind: str
    source: str
    role: str
    grade_id: str
    points: int = 0


def _literal(values) -> str:
    return repr([v.tolist() for v in values])


INTRO = """# Backpropagation in numpy

Your network has layer sizes {sizes}: every layer uses the sigmoid σ(z) = 1 / (1 + e^(−z)), and the
loss is L = ½ Σⱼ (aⱼ⁽ᴸ⁾ − yⱼ)². Implement its forward pass and its backward pass (BP1–BP4) in numpy.

* Layer l = 1 … L has weights `weights[l - 1]` (W⁽ˡ⁾, shape n⁽ˡ⁾ × n⁽ˡ⁻¹⁾) and biases `biases[l - 1]` (b⁽ˡ⁾).
* Each of forward, BP1, BP2 and BP3/BP4 earns {points} points on its own, checked on your network
  and on networks you do not see, of other sizes.
* The last cells show the dashboard of your network: every number of the page, to compare with yours."""

GIVEN = """import numpy as np

from backprop_widgets.explain.assignment import grade

weights = {weights}
weights = [np.array(W) for W in weights]
biases = {biases}
biases = [np.array(b) for b in biases]
x = np.array({x})
y = np.array({y})


def sigmoid(z):
    return 1 / (1 + np.exp(-z))"""

FORWARD_TEXT = """## The forward pass

z⁽ˡ⁾ = W⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾ and a⁽ˡ⁾ = σ(z⁽ˡ⁾), with a⁽⁰⁾ = x. Return `(zs, activations)`: `zs[l - 1]` is
z⁽ˡ⁾, and `activations[l]` is a⁽ˡ⁾, with `activations[0]` = x."""

FORWARD = """def forward(weights, biases, x):
    zs, activations = [], [x]
    ### BEGIN SOLUTION
    for W, b in zip(weights, biases):
        zs.append(W @ activations[-1] + b)
        activations.append(sigmoid(zs[-1]))
    ### END SOLUTION
    return zs, activations"""

BACKWARD_TEXT = """## The backward pass

* BP1: δ⁽ᴸ⁾ = ∇ₐL ⊙ σ′(z⁽ᴸ⁾), with ∇ₐL = a⁽ᴸ⁾ − y
* BP2: δ⁽ˡ⁾ = ((W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾) ⊙ σ′(z⁽ˡ⁾)
* BP3: ∂L/∂W⁽ˡ⁾ = δ⁽ˡ⁾ (a⁽ˡ⁻¹⁾)ᵀ
* BP4: ∂L/∂b⁽ˡ⁾ = δ⁽ˡ⁾

Return a dict of lists by layer 1 … L: `delta`, `grad_W`, `grad_b`. σ′(z) = σ(z)(1 − σ(z))."""

BACKWARD = """def sigmoid_prime(z):
    ### BEGIN SOLUTION
    return sigmoid(z) * (1 - sigmoid(z))
    ### END SOLUTION


def backward(weights, biases, x, y):
    zs, activations = forward(weights, biases, x)
    L = len(weights)
    delta = [None] * L
    grad_W = [None] * L
    grad_b = [None] * L
    ### BEGIN SOLUTION
    delta[L - 1] = (activations[L] - y) * sigmoid_prime(zs[L - 1])
    for l in range(L - 1, 0, -1):
        delta[l - 1] = (weights[l].T @ delta[l]) * sigmoid_prime(zs[l - 1])
    for l in range(1, L + 1):
        grad_W[l - 1] = np.outer(delta[l - 1], activations[l - 1])
        grad_b[l - 1] = delta[l - 1]
    ### END SOLUTION
    return {"delta": delta, "grad_W": grad_W, "grad_b": grad_b}"""

TEST = """# {quantity}: on your network
result = grade("{quantity}", {function}, network=(weights, biases, x, y))
assert result.passed, result.message
### BEGIN HIDDEN TESTS
# {quantity}: on the seed network and 20 random ones
result = grade("{quantity}", {function}, networks=20, seed={seed})
assert result.passed, result.message
### END HIDDEN TESTS"""

COMPARE_TEXT = """## Compare with the page

The dashboard of your network: every z, a, δ and gradient, on the diagram and in the equations.
`check_backprop` runs your `backward` on many networks and says which quantity is wrong first,
and which mistake explains it."""

COMPARE = """from backprop_widgets import Dashboard, Network, check_backprop

Dashboard(Network(weights, biases), x, y)"""

CHECK = "check_backprop(backward)"


def cells(net: Network, x, y, seed: int = 0) -> list[Cell]:
    """The notebook's cells for the network ``net`` (sigmoid, MSE) and its sample ``x``, ``y``;
    ``seed`` picks the hidden tests' random networks."""
    given = GIVEN.format(weights=_literal(net.weights), biases=_literal(net.biases), x=x.tolist(), y=y.tolist())
    out = [
        Cell("markdown", INTRO.format(sizes=",".join(map(str, net.sizes)), points=POINTS["forward"]), "text", "intro"),
        Cell("code", given, "given", "network"),
        Cell("markdown", FORWARD_TEXT, "text", "forward_text"),
        Cell("code", FORWARD, "solution", "forward"),
        Cell(
            "code",
            TEST.format(quantity="forward", function="forward", seed=seed),
            "test",
            "test_forward",
            POINTS["forward"],
        ),
        Cell("markdown", BACKWARD_TEXT, "text", "backward_text"),
        Cell("code", BACKWARD, "solution", "backward"),
    ]
    for quantity in ("BP1", "BP2", "BP3/BP4"):
        grade_id = "test_" + quantity.replace("/", "_").lower()
        source = TEST.format(quantity=quantity, function="backward", seed=seed)
        out.append(Cell("code", source, "test", grade_id, POINTS[quantity]))
    return out + [
        Cell("markdown", COMPARE_TEXT, "text", "compare_text"),
        Cell("code", COMPARE, "free", "dashboard"),
        Cell("code", CHECK, "free", "check"),
    ]
