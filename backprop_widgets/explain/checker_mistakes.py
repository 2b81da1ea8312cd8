"""The catalogue's mistakes made in a whole backward pass: what a student's ``backward`` returns
when it makes exactly one of them (:func:`mistaken`), for :func:`.checker.check_backprop` to
name the mistake it sees.

Each mistake is one :class:`Record`: its catalogue id (:data:`.practice.mistakes.CATALOGUE`,
whose wording the report uses) and the one thing it changes in the forward pass and BP1–BP4,
written as a student would write it; a mistake that cannot be made on a network's shapes (W
instead of Wᵀ when W is not square) raises there, as the student's code does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core import HADAMARD, LOSSES, Array, Network, Output, bp1_form
from .practice.mistakes import CATALOGUE, sigma_prime_at_a


@dataclass(frozen=True)
class Record:
    """One mistake in a backward pass: what it changes (every field at its default is backprop).

    sigma_prime : where σ′ is taken: ``"z"`` (right), ``"a"`` (σ′ at a) or ``"none"`` (left out)
    transpose : BP2 with (W⁽ˡ⁺¹⁾)ᵀ (right) or W⁽ˡ⁺¹⁾
    sign : ±1 on ∇ₐL (−1: y − a)
    grad_factor : the factor of ∇ₐL (2: the ½ of MSE forgotten)
    previous_a : BP3 with a⁽ˡ⁻¹⁾ (right) or a⁽ˡ⁾
    own_delta : BP3 and BP4 with δ⁽ˡ⁾ (right) or δ⁽ˡ⁺¹⁾
    bias : z with its bias (right) or without
    """

    id: str
    sigma_prime: str = "z"
    transpose: bool = True
    sign: float = 1.0
    grad_factor: float = 1.0
    previous_a: bool = True
    own_delta: bool = True
    bias: bool = True

    @property
    def text(self) -> str:
        """The catalogue's wording."""
        return CATALOGUE[self.id]


#: the catalogue's mistakes a backward pass can make, in the catalogue's order of priority
RECORDS: tuple[Record, ...] = (
    Record("sigma_prime_of_a", sigma_prime="a"),
    Record("missing_sigma_prime", sigma_prime="none"),
    Record("sign", sign=-1.0),
    Record("no_transpose", transpose=False),
    Record("wrong_activation", previous_a=False),
    Record("wrong_layer_delta", own_delta=False),
    Record("factor_two", grad_factor=2.0),
    Record("missing_bias", bias=False),
)


def mistaken(net: Network, x: Array, y: Array, m: Record) -> tuple[list[Array], list[Array], list[Array]]:
    """(grad_W, grad_b, delta) by layer 1..L (lists of L arrays, as ``Network.weights``) with the
    mistake ``m`` made; raises (ValueError) where numpy cannot make it on these shapes."""
    L, W, b = net.L, net.weights, net.biases
    z: list = [None]
    a: list = [np.asarray(x, float)]
    with np.errstate(all="ignore"):
        for l in range(1, L + 1):
            z.append(W[l - 1] @ a[l - 1] + (b[l - 1] if m.bias else 0.0))
            a.append(net.sigma[l].f(z[l]))

        def slope(l: int) -> Array:
            act = net.sigma[l]
            if m.sigma_prime == "a":
                return sigma_prime_at_a(act, a[l])
            return np.ones_like(z[l]) if m.sigma_prime == "none" else act.prime(z[l], a[l])

        out = net.sigma[L]
        form = bp1_form(net.output_activation, net.loss_name)
        grad_a = m.sign * m.grad_factor * LOSSES[net.loss_name].grad_a(z[L], a[L], y, out)
        delta: list = [None] * (L + 2)
        if form is HADAMARD:
            delta[L] = grad_a * slope(L)
        else:  # a form without σ′ (δᴸ = aᴸ − y …): only the sign and factor can be wrong
            delta[L] = m.sign * m.grad_factor * form.delta(Output(out, z[L], a[L], y, grad_a))
        for l in range(L - 1, 0, -1):
            back = W[l].T if m.transpose else W[l]
            delta[l] = (back @ delta[l + 1]) * slope(l)
        grad_W, grad_b = [], []
        for l in range(1, L + 1):
            d = delta[l] if m.own_delta or l == L else delta[l + 1]
            grad_W.append(np.outer(d, a[l - 1] if m.previous_a else a[l]))
            grad_b.append(np.array(d, float))
    return grad_W, grad_b, [np.array(d, float) for d in delta[1 : L + 1]]
