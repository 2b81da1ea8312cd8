"""Checks on what a network is given: weights and biases, samples, the step ε.

Each turns a student's input into float arrays, or raises ``ValueError`` with a message that
names the quantity as the page does (W⁽²⁾, x₃, ε). The arrays they return are read-only.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike

from .floats import Array, readonly
from .params import check_sizes, sub, sup


def check_eps(eps: float) -> float:
    """ε as a float; ``ValueError`` unless it is a positive finite number."""
    eps = float(eps)
    if not np.isfinite(eps) or eps <= 0:
        raise ValueError(f"ε must be a small positive number, got {eps}")
    return eps


def as_float_array(value: ArrayLike, what: str) -> Array:
    """``value`` as a new float array; ``ValueError`` naming ``what`` if it is not numbers."""
    try:
        arr = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be numbers, got {value!r}") from None
    return arr


def finite_vector(value: ArrayLike, what: str, n: int) -> Array:
    """A read-only vector of ``n`` finite floats (a number if ``n`` is 1), e.g. x or y."""
    arr = as_float_array(value, what)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.shape != (n,):
        raise ValueError(f"{what} must have {n} entr{'y' if n == 1 else 'ies'}, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        i = int(np.flatnonzero(~np.isfinite(arr))[0])
        raise ValueError(f"{what}{sub(i + 1)} must be a finite number, got {arr[i]}")
    return readonly(arr)


def check_finite(arr: Array, what: str) -> None:
    """``ValueError`` naming the first non-finite entry of ``arr`` (1-based), if any."""
    if not np.isfinite(arr).all():
        idx = tuple(int(i) + 1 for i in np.argwhere(~np.isfinite(arr))[0])
        raise ValueError(f"{what} has a non-finite entry at {idx}: {arr[tuple(i - 1 for i in idx)]}")


def check_parameters(
    weights: Sequence[ArrayLike], biases: Sequence[ArrayLike]
) -> tuple[list[Array], list[Array], list[int]]:
    """Read-only W⁽ˡ⁾ of shape (n_l, n_{l−1}) and b⁽ˡ⁾ of shape (n_l,), and the sizes they give."""
    weights, biases = list(weights), list(biases)
    if not weights:
        raise ValueError("a network needs at least one layer of weights")
    if len(biases) != len(weights):
        raise ValueError(f"got {len(weights)} weight matrices but {len(biases)} bias vectors")
    Ws, bs = [], []
    for l, W in enumerate(weights, start=1):
        W = as_float_array(W, f"W{sup(l)}")
        if W.ndim != 2:
            raise ValueError(f"W{sup(l)} must be a matrix (n_{l}, n_{l - 1}), got shape {W.shape}")
        Ws.append(W)
    sizes = [Ws[0].shape[1]] + [W.shape[0] for W in Ws]
    for l, W in enumerate(Ws, start=1):
        expected = (sizes[l], sizes[l - 1])
        if W.shape != expected or min(W.shape) < 1:
            raise ValueError(f"W{sup(l)} must have shape {expected}, got {W.shape}")
        check_finite(W, f"W{sup(l)}")
        readonly(W)
    for l, b in enumerate(biases, start=1):
        b = as_float_array(b, f"b{sup(l)}")
        if b.shape != (sizes[l],):
            raise ValueError(f"b{sup(l)} must have shape ({sizes[l]},), got {b.shape}")
        check_finite(b, f"b{sup(l)}")
        bs.append(readonly(b))
    check_sizes(sizes)
    return Ws, bs, sizes
