"""Registries of activations and losses: each function beside its derivative.

numpy only. Every function works on a single vector (shape ``(n,)``) or on a batch
(shape ``(P, n)``): the last axis is always the neuron index ``j``.

The LaTeX formula text lives next to the function it describes, so panels and
dropdowns read it from here instead of repeating it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

Array = np.ndarray


# --- activations -----------------------------------------------------------------------------


def _sigmoid(z: Array) -> Array:
    # σ(z) = 1 / (1 + e^{-z}). For z < −709, e^{-z} overflows to inf and σ = 1/inf = 0 exactly,
    # which is the right value (relative accuracy holds everywhere); only the warning is silenced.
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def _sigmoid_prime(z: Array, a: Array) -> Array:
    # σ′(z) = σ(z)(1 − σ(z))
    return a * (1.0 - a)


def _tanh(z: Array) -> Array:
    return np.tanh(z)


def _tanh_prime(z: Array, a: Array) -> Array:
    # tanh′(z) = 1 − tanh²(z)
    return 1.0 - a * a


def _relu(z: Array) -> Array:
    return np.maximum(z, 0.0)


def _relu_prime(z: Array, a: Array) -> Array:
    # ReLU′(z) = 1 for z > 0, else 0 (the usual convention at the kink z = 0)
    return (z > 0).astype(float)


def _linear(z: Array) -> Array:
    return np.array(z, dtype=float, copy=True)


def _linear_prime(z: Array, a: Array) -> Array:
    return np.ones_like(z, dtype=float)


def _softmax(z: Array) -> Array:
    # softmax(z)_j = e^{z_j} / Σ_i e^{z_i}, shifted by max(z) so that nothing overflows
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def _softmax_prime(z: Array, a: Array) -> Array:
    # the diagonal of the Jacobian ∂a_j/∂z_j = a_j(1 − a_j); the full Jacobian is diag(a) − a aᵀ
    return a * (1.0 - a)


@dataclass(frozen=True)
class Activation:
    """An activation σ with its derivative σ′ and the formulas a panel prints.

    ``prime(z, a)`` returns σ′ elementwise (for softmax: the Jacobian's diagonal).
    """

    name: str
    label: str
    f: Callable[[Array], Array]
    prime: Callable[[Array, Array], Array]
    latex: str  # σ(z) = …
    prime_latex: str  # σ′(z) = …
    output_only: bool = False


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(
        "sigmoid", "sigmoid σ", _sigmoid, _sigmoid_prime,
        r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z))",
    ),
    "tanh": Activation(
        "tanh", "tanh", _tanh, _tanh_prime,
        r"\sigma(z) = \tanh z", r"\sigma'(z) = 1 - \tanh^2 z",
    ),
    "relu": Activation(
        "relu", "ReLU", _relu, _relu_prime,
        r"\sigma(z) = \max(0, z)", r"\sigma'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}",
    ),
    "linear": Activation(
        "linear", "linear (identity)", _linear, _linear_prime,
        r"\sigma(z) = z", r"\sigma'(z) = 1",
    ),
    "softmax": Activation(
        "softmax", "softmax", _softmax, _softmax_prime,
        r"\sigma(\mathbf{z})_j = \frac{e^{z_j}}{\sum_i e^{z_i}}",
        r"\frac{\partial a_j}{\partial z_i} = a_j\,([i = j] - a_i)",
        output_only=True,
    ),
}

HIDDEN_ACTIVATIONS = tuple(name for name, act in ACTIVATIONS.items() if not act.output_only)


# --- losses ----------------------------------------------------------------------------------


def _softplus(z: Array) -> Array:
    # ln(1 + e^z) without overflow
    return np.logaddexp(0.0, z)


def _mse(z: Array, a: Array, y: Array, output: str) -> Array:
    # L = ½ Σ_j (a_j − y_j)²
    d = a - y
    return 0.5 * np.sum(d * d, axis=-1)


def _mse_grad(a: Array, y: Array) -> Array:
    # ∇ₐL = a − y
    return a - y


def _cross_entropy(z: Array, a: Array, y: Array, output: str) -> Array:
    if output == "softmax":
        # L = −Σ_j y_j ln a_j, with ln a_j = z_j − logsumexp(z) computed stably
        m = np.max(z, axis=-1, keepdims=True)
        log_a = z - (m + np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True)))
        return -np.sum(y * log_a, axis=-1)
    # L = −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)] with a = σ(z):
    # −ln σ(z) = softplus(−z) and −ln(1 − σ(z)) = softplus(z)
    return np.sum(y * _softplus(-z) + (1.0 - y) * _softplus(z), axis=-1)


def _cross_entropy_grad(a: Array, y: Array) -> Array:
    # ∇ₐL = −y/a + (1 − y)/(1 − a) = (a − y) / (a(1 − a)); the denominator is kept ≥ the smallest
    # normal float so that a saturated output gives a huge but finite slope instead of a division by zero
    return (a - y) / np.maximum(a * (1.0 - a), np.finfo(float).tiny)


@dataclass(frozen=True)
class Loss:
    """A loss L(a, y) summed over the output neurons, with its gradient ∇ₐL."""

    name: str
    label: str
    value: Callable[[Array, Array, Array, str], Array]  # (z, a, y, output activation) → L
    grad_a: Callable[[Array, Array], Array]
    latex: str
    grad_latex: str


LOSSES: dict[str, Loss] = {
    "mse": Loss(
        "mse", "MSE ½Σ(a−y)²", _mse, _mse_grad,
        r"\mathcal{L} = \tfrac{1}{2}\sum_j \left(a_j^{(L)} - y_j\right)^2",
        r"\nabla_a \mathcal{L} = \mathbf{a}^{(L)} - \mathbf{y}",
    ),
    "cross_entropy": Loss(
        "cross_entropy", "cross-entropy", _cross_entropy, _cross_entropy_grad,
        r"\mathcal{L} = -\sum_j \left[y_j \ln a_j^{(L)} + (1 - y_j)\ln\left(1 - a_j^{(L)}\right)\right]",
        r"\frac{\partial \mathcal{L}}{\partial a_j} = \frac{a_j - y_j}{a_j\,(1 - a_j)}",
    ),
}

# cross-entropy's formula with softmax outputs (one-hot or probability targets)
SOFTMAX_CROSS_ENTROPY_LATEX = r"\mathcal{L} = -\sum_j y_j \ln a_j^{(L)}"
