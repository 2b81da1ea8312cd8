"""Hidden units that pass on (almost) no error: saturated units and dead ones.

BP2 multiplies the error reaching a hidden unit by its σ′(z): δ_j⁽ˡ⁾ = ((W⁽ˡ⁺¹⁾)ᵀδ⁽ˡ⁺¹⁾)_j σ′(z_j⁽ˡ⁾).
A unit whose σ′ is below a threshold (default :data:`SATURATION`, 0.01) passes on less than that
share of the error reaching it, so the weights below it hardly learn: it is **saturated** (a
sigmoid at z = 8 has σ′ ≈ 0.00034). A unit whose σ′ is exactly 0 on every sample of a batch
(a ReLU whose z ≤ 0 on all of them) passes on nothing at all, whatever the sample: it is **dead**.
For one sample only saturation is marked: being dead is a statement about many samples, and a
unit whose σ′ is 0 on the one sample (a ReLU below its kink) is simply off for it, so not marked.

The output layer is left out: whether its σ′ matters depends on the loss (with cross-entropy
it cancels in BP1). Nothing here branches on an activation's name; σ′ comes from the trace.

>>> from backprop_widgets.core import Network
>>> net = Network([[[1.0]], [[1.0]]], [[8.0], [0.0]])  # z⁽¹⁾ = x + 8: far out on the sigmoid
>>> unit_marks(net.trace([0.0], [1.0])).saturated
((1, 1),)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .numfmt import fmt

if TYPE_CHECKING:
    from .batch import BatchTrace
    from .trace import Trace

#: the default threshold on σ′: a unit below it passes on less than 1% of the error reaching it
SATURATION = 0.01


@dataclass(frozen=True)
class UnitMarks:
    """The marked hidden units, each ``(l, j)`` with j 1-based as the notation counts.

    saturated : 0 < σ′ < ``threshold`` (the largest σ′ over the samples of a batch)
    dead : σ′ = 0 on every sample of a batch of ``m`` ≥ 2 samples (never for one sample)
    sigma_prime : the largest σ′ over the samples of each marked unit, by ``(l, j)``
    """

    threshold: float
    m: int
    saturated: tuple[tuple[int, int], ...]
    dead: tuple[tuple[int, int], ...]
    sigma_prime: dict

    def title(self, l: int, j: int) -> str:
        """What a unit's hover title adds ('' for an unmarked unit)."""
        if (l, j) in self.dead:
            return f"dead: zero on all {self.m} samples of the batch (σ′ = 0 on each: it passes on no error)"
        if (l, j) in self.saturated:
            sp, pct = fmt(self.sigma_prime[(l, j)], unicode=True), f"{100 * self.threshold:.4g}"
            on = f" on all {self.m} samples of the batch (at most {sp})" if self.m > 1 else f" (σ′ = {sp})"
            return f"saturated: σ′ < {self.threshold:g}{on}: it passes on less than {pct}% of the error reaching it"
        return ""


def check_threshold(threshold: float) -> float:
    """``threshold`` as a float in (0, 1]; ``ValueError`` saying why not."""
    t = float(threshold)
    if not 0 < t <= 1:
        raise ValueError(f"the saturation threshold must be a number in (0, 1], not {threshold!r}")
    return t


def unit_marks(trace: "Trace | BatchTrace", threshold: float = SATURATION) -> UnitMarks:
    """The saturated and dead hidden units of a :class:`Trace` (one sample: σ′ of shape (n_l,))
    or a :class:`BatchTrace` (m samples: σ′ of shape (m, n_l))."""
    t = check_threshold(threshold)
    saturated, dead, largest = [], [], {}
    m = 1
    for l in range(1, trace.L):
        sp = np.asarray(trace.sigma_prime[l], dtype=float)
        sp = sp[None, :] if sp.ndim == 1 else sp  # one row per sample
        m = len(sp)
        top = sp.max(axis=0)  # the most of the error any sample's unit passes on
        for j in range(sp.shape[1]):
            unit = (l, j + 1)
            if m > 1 and top[j] == 0:  # σ′ = 0 on every sample
                dead.append(unit)
            elif 0 < top[j] < t:  # σ′ = 0 on one sample (a ReLU below its kink) is off there, not saturated
                saturated.append(unit)
            else:
                continue
            largest[unit] = float(top[j])
    return UnitMarks(t, m, tuple(saturated), tuple(dead), largest)
