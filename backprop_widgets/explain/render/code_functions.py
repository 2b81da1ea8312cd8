"""The code twins' functions: each activation and loss written as numpy and as torch code, read
from its registry entry (``Activation.code``, ``Loss.code``: :mod:`~backprop_widgets.core.code_forms`),
so that a new function brings its code form with it.

A function whose entry has no code form has no code twin: the ``numpy`` and ``torch`` exports
say so (``ValueError``) instead of writing a script that computes something else.
"""

from __future__ import annotations

from ...core import ACTIVATIONS, LOSSES
from ...core.code_forms import ActivationCode, LossCode

__all__ = ["ActivationCode", "LossCode", "activation_code", "loss_code"]


def activation_code(name: str) -> ActivationCode:
    """The code twin of an activation; ``ValueError`` if it has none."""
    act = ACTIVATIONS.get(name)
    if act is None or act.code is None:
        known = "registered" if act is not None else "unknown"
        raise ValueError(
            f"the {name} activation ({known}) has no code twin: give its entry in "
            "backprop_widgets/core/activations.py a code=ActivationCode(…) (core/code_forms.py)"
        )
    return act.code


def loss_code(name: str) -> LossCode:
    """The code twin of a loss; ``ValueError`` if it has none."""
    loss = LOSSES.get(name)
    if loss is None or loss.code is None:
        known = "registered" if loss is not None else "unknown"
        raise ValueError(
            f"the {name} loss ({known}) has no code twin: give its entry in "
            "backprop_widgets/core/losses.py a code=LossCode(…) (core/code_forms.py)"
        )
    return loss.code
