"""Checks on what a network is given: weights and biases, samples, the step ε, and the largest
network the page takes.

Each turns a student's input into float arrays, or raises ``ValueError`` with a message that
names the quantity as the page does (W⁽²⁾, x₃, ε). The arrays they return are read-only.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike

from .floats import Array, readonly
from .params import check_sizes, sub, sup

#: The largest network the page takes, from a link, a JSON file or the architecture field alike:
#: one it updates within 100 ms of kernel CPU after an edit, at every step
#: (``benchmarks/bench_dashboard.py --largest``). The diagram could draw more (10 layers of 64
#: neurons), but an edit of that costs ~1 CPU-s and opening it ~3.4 CPU-s.
MAX_LAYERS = 10  # input included
MAX_UNITS = 16  # neurons in a layer
MAX_PARAMS = 1_000  # weights and biases
PAGE_LIMIT = (
    f"the page takes networks it updates within 0.1 s of an edit: at most {MAX_LAYERS} layers "
    f"(input included), {MAX_UNITS} neurons a layer and {MAX_PARAMS:,} weights and biases"
)


def n_params(sizes: Sequence[int]) -> int:
    """Weights and biases of a network of layer sizes ``sizes``."""
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes, sizes[1:]))


def check_page_sizes(sizes: Sequence[int]) -> list[int]:
    """``sizes`` as a list if the page takes such a network (:data:`PAGE_LIMIT`), else
    ``ValueError`` saying which limit and why. Nothing is built: call it before building."""
    sizes = check_sizes(sizes)
    shown = ",".join(map(str, sizes[: MAX_LAYERS + 1])) + (",…" if len(sizes) > MAX_LAYERS + 1 else "")
    if len(sizes) > MAX_LAYERS:
        what = f"{len(sizes)} layers"
    elif max(sizes) > MAX_UNITS:
        l = max(range(len(sizes)), key=lambda i: sizes[i])
        what = f"{sizes[l]} neurons in layer {l}"
    elif n_params(sizes) > MAX_PARAMS:
        what = f"{n_params(sizes):,} weights and biases"
    else:
        return sizes
    raise ValueError(f"network {shown} has {what}: {PAGE_LIMIT}")


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
