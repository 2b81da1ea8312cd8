"""The gradient of one parameter as a sum over paths to the loss (the page's Path A / Path B).

For a parameter of layer l₀ at neuron j₀, every path runs j₀ → j_{l₀+1} → … → j_L through one
neuron per layer above. Its contribution is the product of the local factors along it::

    c · N⁽ˡ⁰⁾_{j₀} · Π_{m = l₀+1..L}  w⁽ᵐ⁾_{j_m, j_{m−1}} · N⁽ᵐ⁾_{j_m}

with c = a_k⁽ˡ⁰⁻¹⁾ for a weight w_{j₀,k}⁽ˡ⁰⁾ (1 for a bias), N⁽ᵐ⁾ = σ′(z⁽ᵐ⁾) for hidden layers and
N⁽ᴸ⁾ = δ⁽ᴸ⁾ = ∂L/∂z⁽ᴸ⁾ at the output. Using δ⁽ᴸ⁾ as the last factor makes the sum exact for every
form of BP1: with a softmax output the outputs are coupled, and δ_j⁽ᴸ⁾ already sums over every
output a_i through the softmax Jacobian (for the elementwise form δ⁽ᴸ⁾ = ∇ₐL ⊙ σ′(z⁽ᴸ⁾), which
the worked example shows as two factors).

Nothing is enumerated: the number of paths is Π n_m, which grows fast. The k largest paths by
|contribution| come from an exact k-best dynamic programme over the layers (a prefix of a top-k
path is a top-k prefix at its neuron, because |contribution| is a product of |factors|), and the
sum over all paths from a forward chain of matrix-vector products — computed from the parameter
towards the loss, the opposite direction to BP2, so that it checks the backward pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

import numpy as np

from .params import Param
from .trace import Trace


@dataclass(frozen=True)
class Path:
    """One path: ``neurons[i]`` is the neuron (1-based) in layer ``l₀ + i``; ``value`` its product."""

    neurons: tuple[int, ...]
    value: float


@dataclass(frozen=True)
class PathSum:
    """The k largest paths of one parameter and the sum over all of them.

    count : number of paths Π_{m > l₀} n_m
    top : the largest paths by |value|, largest first; every path, in neuron order, if count ≤ k
    total : the sum over every path (equals ∂L/∂θ)
    rest : the sum over the paths not in ``top``
    """

    param: Param
    count: int
    top: tuple[Path, ...]
    total: float
    rest: float


def node_factors(t: Trace, l0: int) -> list:
    """N⁽ᵐ⁾ for m = l₀..L: σ′(z⁽ᵐ⁾) below the output, δ⁽ᴸ⁾ at the output (index m; below l₀ None)."""
    L = t.L
    return [None] * l0 + [t.sigma_prime[m] for m in range(l0, L)] + [t.delta[L]]


def path_sum(t: Trace, param: "str | Param", k: int = 6) -> PathSum:
    """The ``k`` largest paths from ``param`` to the loss and the sum over all paths."""
    p = Param.parse(param)
    L, l0, j0 = t.L, p.l, p.j - 1
    N = node_factors(t, l0)
    c = float(t.a[l0 - 1][p.k - 1]) if p.is_weight else 1.0
    count = prod(t.sizes[l0 + 1 :])

    # sum over all paths: forward chain v⁽ᵐ⁾ = N⁽ᵐ⁾ ⊙ (W⁽ᵐ⁾ v⁽ᵐ⁻¹⁾), starting at the one neuron j₀
    v = np.zeros(t.sizes[l0])
    v[j0] = c * N[l0][j0]
    for m in range(l0 + 1, L + 1):
        v = N[m] * (t.weights[m - 1] @ v)
    total = float(v.sum())

    # k-best over the layers: vals[j, r] is the r-th largest prefix ending at neuron j
    vals = np.array([[c * N[l0][j0]]])
    prev_nodes = np.array([j0])
    back: list[np.ndarray] = []  # back[i][j, r]: flat index into the previous (node, rank) grid
    nodes_at: list[np.ndarray] = [prev_nodes]
    for m in range(l0 + 1, L + 1):
        F = t.weights[m - 1][:, prev_nodes].T * N[m]  # F[i, j] = w⁽ᵐ⁾_{j,i} N⁽ᵐ⁾_j
        cand = (vals[:, :, None] * F[:, None, :]).reshape(-1, F.shape[1])
        kk = min(k, cand.shape[0])
        idx = np.argpartition(-np.abs(cand), kk - 1, axis=0)[:kk]
        vals = np.take_along_axis(cand, idx, axis=0).T
        back.append(idx.T)
        prev_nodes = np.arange(F.shape[1])
        nodes_at.append(prev_nodes)
    flat = vals.ravel()
    order = np.argsort(-np.abs(flat), kind="stable")[:k]
    top = []
    for f in order:
        j, r = divmod(int(f), vals.shape[1])
        neurons = [int(nodes_at[-1][j])]
        for i in range(len(back) - 1, -1, -1):
            n_ranks_prev = 1 if i == 0 else back[i - 1].shape[1]
            j, r = divmod(int(back[i][j, r]), n_ranks_prev)
            neurons.append(int(nodes_at[i][j]))
        top.append(Path(tuple(n + 1 for n in reversed(neurons)), float(flat[f])))
    if count <= k:  # every path is listed: order them by neuron, as the page's Path A, Path B
        top.sort(key=lambda path: path.neurons)
    rest = total - sum(path.value for path in top)
    return PathSum(p, count, tuple(top), total, rest)
