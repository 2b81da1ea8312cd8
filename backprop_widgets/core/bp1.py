"""BP1, the output error δᴸ = ∂L/∂zᴸ, in the form that applies to an output activation and a loss.

An elementwise σ with any loss takes :data:`HADAMARD`, δᴸ = ∇ₐL ⊙ σ′(zᴸ). Where an output and a
loss simplify BP1 together (or a coupled σ needs its Jacobian), the form is one entry of
:data:`BP1_FORMS`, keyed by the pair of registry names: the one place that knows about pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

from .activations import Activation, sum_of_others
from .floats import Array


class Output(NamedTuple):
    """What BP1 starts from: the output layer's σ, z, a, the target y and ∇ₐL."""

    act: Activation
    z: Array
    a: Array
    y: Array
    grad_a: Array


def _one_minus_a(o: Output) -> Array:
    # 1 − a from z: the forms below keep their digits only with it, so an output σ without
    # ``complement`` cannot take them
    if o.act.complement is None:
        raise ValueError(
            f"this form of BP1 needs 1 − σ(z) computed from z, which the {o.act.name} "
            "activation does not provide (its registry entry has no complement)"
        )
    return o.act.complement(o.z)


def _output_minus_target(o: Output) -> Array:
    # δ = a − y = (1 − y)a − y(1 − a): two terms ≥ 0 for y in [0, 1], 1 − a from z
    return (1.0 - o.y) * o.a - o.y * _one_minus_a(o)


def _softmax_cross_entropy(o: Output) -> Array:
    # δ_j = a_jΣ_k y_k − y_j = a_j Σ_{k≠j} y_k − y_j(1 − a_j): two terms ≥ 0, no cancellation
    return o.a * sum_of_others(o.y) - o.y * _one_minus_a(o)


def _softmax_jacobian(o: Output) -> Array:
    # δ = Jᵀ∇ₐL with J = diag(a) − aaᵀ: δ_j = a_j(g_j − Σ_i a_i g_i) = a_j(g_j(1 − a_j) − Σ_{i≠j} a_i g_i)
    return o.a * (o.grad_a * _one_minus_a(o) - sum_of_others(o.a * o.grad_a))


@dataclass(frozen=True)
class Bp1Form:
    """One form of BP1, δᴸ = ∂L/∂zᴸ.

    delta : :class:`Output` → δᴸ, of shape (…, n_L)
    latex : the form, symbolic in layer L, with the colour macros
    general : the general form it simplifies (shown beside it), ``""`` if it is general itself
    why : one sentence: why this form
    written : how the page writes it out, by the shape of its lines (the explain layer has one
        write-out per shape, for any σ and loss): ``"hadamard"`` ([∇ₐL]_j · σ′(z_j)),
        ``"jacobian"`` (a_j([∇ₐL]_j − Σ_i a_i[∇ₐL]_i)), ``"a_minus_y"`` (a_j − y_j) or
        ``"a_sum_y_minus_y"`` (a_jΣ_k y_k − y_j, which is a_j − y_j when the targets sum to 1)
    """

    name: str
    delta: Callable[[Output], Array]
    latex: str
    general: str
    why: str
    written: str


_DELTA_L = r"\err{\boldsymbol{\delta}^{(L)}}"
#: δᴸ = aᴸ − y, symbolic in layer L
A_MINUS_Y = rf"{_DELTA_L} = \act{{\mathbf{{a}}^{{(L)}}}} - \mathbf{{y}}"
_JACOBIAN = rf"{_DELTA_L} = J^T \nabla_a \mathcal{{L}}, \quad J = \frac{{\partial \act{{\mathbf{{a}}^{{(L)}}}}}}{{\partial \mathbf{{z}}^{{(L)}}}}"

#: an elementwise σ: J = diag(σ′(z)), so Jᵀ∇ₐL = ∇ₐL ⊙ σ′(z)
HADAMARD = Bp1Form(
    "hadamard",
    lambda o: o.grad_a * o.act.prime(o.z, o.a),
    rf"{_DELTA_L} = \nabla_a \mathcal{{L}} \odot \act{{\sigma'(\mathbf{{z}}^{{(L)}})}}",
    "",
    "BP1: how the loss changes with each output, times how each output changes with its z.",
    "hadamard",
)

#: (output activation, loss) → the form BP1 takes; any other pair of an elementwise σ and a
#: loss takes :data:`HADAMARD`
BP1_FORMS: dict[tuple[str, str], Bp1Form] = {
    ("sigmoid", "cross_entropy"): Bp1Form(
        "sigmoid_cross_entropy",
        _output_minus_target,
        A_MINUS_Y,
        HADAMARD.latex,
        "With a sigmoid output, cross-entropy's ∂L/∂a = (a − y)/(a(1 − a)) and "
        "σ′(z) = a(1 − a) cancel, so δᴸ = aᴸ − y.",
        "a_minus_y",
    ),
    ("softmax", "cross_entropy"): Bp1Form(
        "softmax_cross_entropy",
        _softmax_cross_entropy,
        r"\err{\delta_j^{(L)}} = \act{a_j^{(L)}} \sum_k y_k - y_j",
        _JACOBIAN,
        "With softmax and cross-entropy the Jacobian sum collapses: δⱼ = aⱼ·Σₖyₖ − yⱼ.",
        "a_sum_y_minus_y",
    ),
    ("softmax", "mse"): Bp1Form(
        "softmax_jacobian",
        _softmax_jacobian,
        rf"{_JACOBIAN} = \mathrm{{diag}}(\act{{\mathbf{{a}}}}) - \act{{\mathbf{{a}}}}\act{{\mathbf{{a}}}}^T",
        "",
        "Softmax couples the outputs, so BP1 multiplies ∇ₐL by the softmax Jacobian "
        "J = diag(a) − a aᵀ instead of an elementwise σ′.",
        "jacobian",
    ),
}


def bp1_form(output: str, loss: str) -> Bp1Form:
    """The form of BP1 for an output activation and a loss (:data:`BP1_FORMS`, else Hadamard)."""
    return BP1_FORMS.get((output, loss), HADAMARD)
