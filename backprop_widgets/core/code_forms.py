"""How a first-course script writes a registered function: the code forms an :class:`Activation`
or a :class:`Loss` entry carries (``code``), as text, so that a new function brings its numpy and
torch forms with it. The core never runs them: the ``numpy`` and ``torch`` exports
(``explain/render/code_numpy.py``, ``code_torch.py``) write them into their scripts, and refuse
an entry without one (``ValueError``) instead of writing a script that computes something else.

Forms: a script writes the textbook form, except where it is not sound in float64: the
cross-entropy of a saturated sigmoid output, whose ln(1 − a) is ln 0 = −∞ (and 0 · −∞ is NaN),
is written from z (ln σ(z) = −ln(1 + e^(−z)), ln(1 − σ(z)) = −ln(1 + e^z)), as the core does, and
softmax subtracts max z before its exponentials so that none overflows.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ActivationCode:
    """An activation as code. Templates put the layer's variables in for ``{z}``.

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
    """A loss as code: L (``value``; ``value_coupled`` for coupled outputs) and ∇ₐL from ``{a}``
    (and the variables ``log_a``, ``log1m_a``, ln a and ln(1 − a), for a loss of logarithms),
    numpy or torch (``{lib}``: ``np`` or ``torch``)."""

    value: str
    value_coupled: str
    grad_a: str
