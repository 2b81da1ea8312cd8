"""The trace: everything one forward and backward pass computes, indexed as in the notation.

``a[0]`` is the input x; ``z[l]``, ``a[l]``, ``sigma_prime[l]``, ``delta[l]``, ``grad_W[l]``,
``grad_b[l]`` hold layer ``l = 1..L`` (index 0 of those lists is ``None``). A :class:`Trace` is
frozen and its arrays read-only: the views only format or draw it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .floats import Array
from .params import Param


@dataclass(frozen=True, eq=False)
class Trace:
    """Everything one forward + backward pass computes, indexed as in the notation.

    Arrays are read-only. ``bp1_form`` says which form of BP1 applied:

    - ``"hadamard"``: δᴸ = ∇ₐL ⊙ σ′(zᴸ), σ′ elementwise;
    - ``"sigmoid_cross_entropy"``: sigmoid outputs with cross-entropy, where ∇ₐL ⊙ σ′(zᴸ)
      simplifies to δᴸ = aᴸ − y (computed in that form, exact even when a saturates);
    - ``"softmax_cross_entropy"``: δⱼᴸ = aⱼᴸ·Σₖyₖ − yⱼ, which is aᴸ − y for targets that sum to 1;
    - ``"softmax_jacobian"``: softmax with MSE, δᴸ = Jᵀ ∇ₐL with J = diag(a) − a aᵀ.

    (:data:`~backprop_widgets.core.bp1.BP1_FORMS` holds them.)
    """

    x: Array
    y: Array
    sizes: tuple[int, ...]
    weights: tuple[Array, ...]
    biases: tuple[Array, ...]
    activations: tuple[str, ...]  # activations[l] is layer l's σ for l = 1..L; [0] is "input"
    loss_name: str
    z: list
    a: list
    sigma_prime: list
    delta: list
    grad_W: list
    grad_b: list
    grad_a: Array  # ∇ₐL at the output layer
    loss: float
    bp1_form: str

    @property
    def L(self) -> int:
        """Index of the output layer."""
        return len(self.sizes) - 1

    def grad(self, param: "str | Param") -> float:
        """∂L/∂(param) from BP3 (weights) or BP4 (biases)."""
        p = Param.parse(param)
        g = self.grad_W[p.l] if p.is_weight else self.grad_b[p.l]
        return float(g[p.index])

    def value(self, param: "str | Param") -> float:
        """The current value of a weight or bias."""
        p = Param.parse(param)
        v = self.weights[p.l - 1] if p.is_weight else self.biases[p.l - 1]
        return float(v[p.index])
