"""Which earlier results a practice line prints (explain/practice/uses.py), on the seed and on
random nets of every activation and loss: the uses are the quantities the line's formula names,
and a line whose uses are known gives no other answer away."""

from __future__ import annotations

import pytest

from backprop_widgets import Network, seed_example, worked_example
from backprop_widgets.explain.practice.uses import earlier_results, numbers, shown_by, worked_text


def seed_questions():
    return worked_example(*seed_example()).questions()


def test_the_seed_lines_use_what_the_page_says_they_use():
    qs = seed_questions()
    uses = {q.symbol: [qs[k].symbol for k in earlier_results(qs, i)[0]] for i, q in enumerate(qs)}
    # z₁⁽²⁾ = w·a⁽¹⁾ + b; a = σ(z); L from a⁽³⁾; δ⁽³⁾ = (a − y)σ′(z); δ⁽ˡ⁾ from δ⁽ˡ⁺¹⁾ and z⁽ˡ⁾;
    # ∂L/∂w₁,₁⁽¹⁾ = x₁δ₁⁽¹⁾; the update reads the gradient, not the δ equal to it (x₁ = 1.0)
    assert uses["z₁⁽²⁾"] == ["a₁⁽¹⁾", "a₂⁽¹⁾"] and uses["a₂⁽²⁾"] == ["z₂⁽²⁾"]
    assert uses["L"] == ["a⁽³⁾"] and uses["δ⁽³⁾"] == ["z⁽³⁾", "a⁽³⁾"]
    assert uses["δ₂⁽¹⁾"] == ["z₂⁽¹⁾", "δ₁⁽²⁾", "δ₂⁽²⁾"]
    assert uses["∂L/∂w₁,₁⁽¹⁾"] == ["δ₁⁽¹⁾"] and uses["w₁,₁⁽¹⁾ − η·∂L/∂w₁,₁⁽¹⁾"] == ["∂L/∂w₁,₁⁽¹⁾"]
    assert uses["z₁⁽¹⁾"] == []


def test_the_worked_bp1_shows_three_answers_of_the_seed():
    we = worked_example(*seed_example())
    qs = we.questions()
    i = next(i for i, q in enumerate(qs) if q.step_id == "bp1")
    among = {i, *earlier_results(qs, i)[0]}
    shown = shown_by(worked_text(we.step("bp1")), qs, among)
    assert sorted(qs[k].printed for k in shown) == ["-0.0794", "0.6215", "0.6506"]  # δ⁽³⁾, z⁽³⁾, a⁽³⁾
    assert numbers(r"\act{0.6506} - 1.0 = -0.3494 \cdot 1.5 \times 10^{-5}") == {
        "0.6506": 1,
        "1.0": 1,
        "-0.3494": 1,
        "1.5 \\times 10^{-5}": 1,
    }


NETS = [
    (sizes, act, out, loss, seed)
    for seed, (sizes, act, out, loss) in enumerate(
        [
            ([3, 2, 2, 1], "sigmoid", "sigmoid", "mse"),
            ([2, 3, 2], "relu", "linear", "mse"),
            ([3, 4, 3], "tanh", "softmax", "cross_entropy"),
            ([2, 2, 2], "sigmoid", "sigmoid", "cross_entropy"),
            ([4, 3, 3, 2], "linear", "tanh", "mse"),
        ]
    )
]


def named(formula: str, name: str) -> bool:
    """Whether a question's formula names the quantity ``name`` (``a2,1``: a₁⁽²⁾; ``grad``), on
    its own or as part of its layer."""
    if name == "grad":
        return r"\partial \mathcal{L}" in formula
    letter, l, j = name[: name.index(next(c for c in name if c.isdigit()))], *name.lstrip("adeltz").split(",")
    tex = {"delta": r"\delta", "a": "a", "z": "z"}[letter]
    vector = {"delta": r"\boldsymbol{\delta}", "a": r"\mathbf{a}", "z": r"\mathbf{z}"}[letter]
    layer = [f"{tex}_{i}^{{({l})}}" for i in "ijk"] + [f"{vector}^{{({l})}}"]  # Σᵢ e^{zᵢ}, a vector
    return any(t in formula for t in [f"{tex}_{{{j}}}^{{({l})}}", f"{tex}^{{({l})}}", *layer])


@pytest.mark.parametrize("sizes,act,out,loss,seed", NETS)
def test_the_results_a_line_uses_are_those_its_formula_names(sizes, act, out, loss, seed):
    net = Network.random(sizes, seed=seed, activation=act, output_activation=out, loss=loss)
    y = [1.0] + [0.0] * (sizes[-1] - 1)
    x = [0.5 * (-1) ** k for k in range(sizes[0])]
    for target in (str(net.parameters()[0]), str(net.parameters()[-1])):
        qs = worked_example(net, x, y, traced=target).questions()
        for i, q in enumerate(qs):
            used, complete = earlier_results(qs, i)
            assert all(k < i and named(q.formula, qs[k].name) for k in used), (q.symbol, used)
            if complete:  # the line adds no number to its formula but these answers
                extra = set(numbers(q.latex)) - set(numbers(q.formula))
                assert extra <= {qs[k].printed for k in used}, (q.symbol, extra)
