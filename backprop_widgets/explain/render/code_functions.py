"""The code twins' registry: each activation and loss written as numpy and as torch code.

The core's registries (:data:`~backprop_widgets.core.ACTIVATIONS`, :data:`~backprop_widgets.core.LOSSES`)
hold the maths; this one holds how a first-course script writes the same function. A function
with no entry here has no code twin: the ``numpy`` and ``torch`` exports say so (``ValueError``)
instead of writing a script that computes something else. Templates put the layer's variables in
for ``{z}``, ``{a}``.

Forms: a script writes the textbook form, except where it is not sound in float64: the
cross-entropy of a saturated sigmoid output, whose ln(1 − a) is ln 0 = −∞ (and 0 · −∞ is NaN),
is written from z (ln σ(z) = −ln(1 + e^(−z)), ln(1 − σ(z)) = −ln(1 + e^z)), as the core does, and
softmax subtracts max z before its exponentials so that none overflows.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...core import ACTIVATIONS, LOSSES


@dataclass(frozen=True)
class ActivationCode:
    """An activation as code.

    numpy : the body of ``def <name>(z): return …`` (one expression of ``z``)
    numpy_prime : the body of ``def <name>_prime(z): return …`` (elementwise σ′; ``None`` for a
        coupled σ, whose BP1 has its own form)
    torch : σ applied to the tensor ``{z}``
    numpy_log, numpy_log1m, torch_log, torch_log1m : ln σ(z) and ln(1 − σ(z)) from ``{z}``, where
        the direct ln a, ln(1 − a) are unsound for a saturated output (``None``: from a)
    note : one comment line on a form the script writes (why it is not the textbook one)
    """

    numpy: str
    numpy_prime: str | None
    torch: str
    numpy_log: str | None = None
    numpy_log1m: str | None = None
    torch_log: str | None = None
    torch_log1m: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class LossCode:
    """A loss as code: L and ∇ₐL from ``{a}`` (and the variables ``log_a``, ``log1m_a``, ln a and
    ln(1 − a), for a loss of logarithms), numpy or torch (``lib``: ``np`` or ``torch``)."""

    value: str
    value_coupled: str
    grad_a: str


ACTIVATION_CODE: dict[str, ActivationCode] = {
    "sigmoid": ActivationCode(
        "1 / (1 + np.exp(-z))",
        "sigmoid(z) * sigmoid(-z)  # σ(z)(1 − σ(z)), with 1 − σ(z) = σ(−z)",
        "torch.sigmoid({z})",
        "-np.logaddexp(0, -{z})",
        "-np.logaddexp(0, {z})",
        "torch.nn.functional.logsigmoid({z})",
        "torch.nn.functional.logsigmoid(-{z})",
        "ln a and ln(1 − a) are computed from z, as the page does: ln(1 − a) would be ln 0 = −inf once a rounds to 1.0",
    ),
    "tanh": ActivationCode(
        "np.tanh(z)",
        "1 / np.cosh(z) ** 2  # 1 − tanh²(z) as sech²(z): a saturated unit keeps its digits",
        "torch.tanh({z})",
    ),
    "relu": ActivationCode(
        "np.maximum(z, 0.0)", "(z > 0).astype(float)  # 0 at the kink z = 0, the usual convention", "torch.relu({z})"
    ),
    "linear": ActivationCode("z", "np.ones_like(z)", "{z}"),
    "softmax": ActivationCode(
        "np.exp(z - np.max(z)) / np.sum(np.exp(z - np.max(z)))",
        None,
        "torch.softmax({z}, dim=0)",
        "z_shift - np.log(np.sum(np.exp(z_shift)))".replace("z_shift", "({z} - np.max({z}))"),
        None,
        "torch.log_softmax({z}, dim=0)",
        None,
        "softmax subtracts max z first, so that no exponential overflows",
    ),
}

LOSS_CODE: dict[str, LossCode] = {
    "mse": LossCode("0.5 * {lib}.sum(({a} - y) ** 2)", "0.5 * {lib}.sum(({a} - y) ** 2)", "{a} - y"),
    "cross_entropy": LossCode(
        "-{lib}.sum(y * log_a + (1 - y) * log1m_a)",
        "-{lib}.sum(y * log_a)",
        "({a} - y) / ({a} * (1 - {a}))",
    ),
}


def activation_code(name: str) -> ActivationCode:
    """The code twin of an activation; ``ValueError`` if it has none."""
    if name not in ACTIVATION_CODE:
        known = "registered" if name in ACTIVATIONS else "unknown"
        raise ValueError(
            f"the {name} activation ({known}) has no code twin: add it to ACTIVATION_CODE in "
            "backprop_widgets/explain/render/code_functions.py"
        )
    return ACTIVATION_CODE[name]


def loss_code(name: str) -> LossCode:
    """The code twin of a loss; ``ValueError`` if it has none."""
    if name not in LOSS_CODE:
        known = "registered" if name in LOSSES else "unknown"
        raise ValueError(
            f"the {name} loss ({known}) has no code twin: add it to LOSS_CODE in "
            "backprop_widgets/explain/render/code_functions.py"
        )
    return LOSS_CODE[name]
