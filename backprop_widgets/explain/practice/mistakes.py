"""The mistake catalogue: every mistake the practice checker can name, and the wording and the
wrong σ′ that several steps' questions share (one copy each; the mistakes in a loss's gradient
are its registry entry's, ``Loss.grad_mistakes``).

A question (:mod:`.question`) computes each mistake's value from the trace by its own
formula with one thing changed; the step kinds (``step_*`` modules) say which mistakes each of
their questions can show.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...core import Activation, Array

__all__ = ["CATALOGUE", "Mistake", "sigma_prime_at_a", "sigma_prime_of_a"]

#: Every mistake the checker can name, in priority order: the value a student gets by making it.
CATALOGUE: dict[str, str] = {
    "sigma_prime_of_a": "σ′ evaluated at a instead of z",
    "missing_sigma_prime": "δ without the σ′ factor",
    "sign": "the sign flipped",
    "no_transpose": "BP2 with W instead of Wᵀ",
    "wrong_activation": "BP3 with a⁽ˡ⁾ instead of a⁽ˡ⁻¹⁾",
    "wrong_layer_delta": "BP3 or BP4 with δ⁽ˡ⁺¹⁾, the error of the layer above, instead of δ⁽ˡ⁾",
    "factor_two": "forgetting the ½ of the loss",
    "missing_bias": "z without its bias",
    "one_path": "the gradient as only the largest path of the sum",
    "ascent": "a descent step written w + η∂L/∂w",
}


@dataclass(frozen=True)
class Mistake:
    """A catalogue mistake on one question: the value it gives, the values a student making it
    gets from the page's printed numbers (``span``, lo to hi) and the larger side of that span
    around the value (``tolerance``)."""

    id: str
    value: float
    tolerance: float
    message: str
    span: tuple[float, float] = (0.0, 0.0)

    def matches(self, v: float) -> bool:
        return self.span[0] <= v <= self.span[1]


def sigma_prime_of_a(a: str, z: str) -> str:
    """The "sigma_prime_of_a" message for a neuron whose a and z are written ``a`` and ``z``."""
    return f"That evaluates σ′ at {a} instead of at {z}: σ′ takes the pre-activation z."


def sigma_prime_at_a(act: Activation, a: Array) -> Array:
    """σ′ evaluated at a, as if a were the pre-activation (the "sigma_prime_of_a" mistake)."""
    return act.prime(a, act.f(a))
