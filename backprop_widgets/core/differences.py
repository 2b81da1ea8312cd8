"""Centred differences, (L(θ + ε) − L(θ − ε)) / 2ε: the gradient without backprop, to check it.

Each parameter really is set to θ ± ε and the loss recomputed; the layers below the parameter's
run once, the rows that change are recomputed in one batch, and the layers above run once for
the whole batch. :meth:`Network.numerical_gradient` and :meth:`Network.numerical_gradient_of`
call these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from .floats import Array
from .losses import LOSSES
from .validation import check_eps

if TYPE_CHECKING:
    from .network import Network
    from .params import Param

#: the step ε of the centred differences (θ ± ε)
EPS = 1e-5


def losses_from(net: Network, l: int, z_l: Array, y: Array) -> Array:
    """Losses for a batch of pre-activations ``z_l`` (shape (P, n_l)) of layer ``l``,
    each run forward to the loss."""
    for m in range(l, net.L + 1):
        a_m = net.sigma[m].f(z_l)
        if m == net.L:
            return LOSSES[net.loss_name].value(z_l, a_m, y, net.sigma[m])
        z_l = a_m @ net.weights[m].T + net.biases[m]
    raise AssertionError("unreachable")


def perturbed_losses(
    net: Network, l: int, a_prev: Array, y: Array, eps: float, rows: Array, cols: Array
) -> tuple[Array, Array]:
    """L⁺ and L⁻ for parameters of layer ``l``, in one batch.

    ``rows[i]`` is j − 1 and ``cols[i]`` is k − 1 of the i-th parameter (``cols[i] = -1``
    for the bias b_j). Each parameter really is set to value ± ε and z⁽ˡ⁾ recomputed from it:
    only row j of W⁽ˡ⁾ (or b_j⁽ˡ⁾) differs, so only z_j⁽ˡ⁾ is recomputed, as the dot product
    of the perturbed row with a⁽ˡ⁻¹⁾. The layers above run once for the whole batch.
    """
    W, b = net.weights[l - 1], net.biases[l - 1]
    n = len(rows)
    rows2 = np.concatenate([rows, rows])
    cols2 = np.concatenate([cols, cols])
    sign = np.repeat([eps, -eps], n)
    W_rows = W[rows2]  # fancy indexing copies: the network's own W is untouched
    b_rows = b[rows2]
    is_w = cols2 >= 0
    w_at = np.flatnonzero(is_w)
    W_rows[w_at, cols2[w_at]] += sign[w_at]
    b_rows[~is_w] += sign[~is_w]
    Z = np.broadcast_to(W @ a_prev + b, (2 * n, len(b))).copy()
    Z[np.arange(2 * n), rows2] = W_rows @ a_prev + b_rows
    losses = losses_from(net, l, Z, y)
    return losses[:n], losses[n:]


def numerical_gradient(net: Network, x: ArrayLike, y: ArrayLike, eps: float = EPS) -> tuple[list[Array], list[Array]]:
    """Centred differences (L(θ + ε) − L(θ − ε)) / 2ε for every weight and bias.

    Returns ``(gW, gb)`` indexed like ``Trace.grad_W`` / ``grad_b``: ``gW[l]`` has W⁽ˡ⁾'s
    shape, ``gW[0]`` is ``None``. Vectorised: one batched forward pass per layer, reusing
    the unchanged activations below that layer.
    """
    x, y = net.check_xy(x, y)
    eps = check_eps(eps)
    a = net.forward(x)
    gW: list = [None]
    gb: list = [None]
    for l in range(1, net.L + 1):
        n_out, n_in = net.sizes[l], net.sizes[l - 1]
        # every w_{j,k}⁽ˡ⁾ row by row (matching W⁽ˡ⁾.ravel()), then every b_j⁽ˡ⁾
        rows = np.concatenate([np.repeat(np.arange(n_out), n_in), np.arange(n_out)])
        cols = np.concatenate([np.tile(np.arange(n_in), n_out), np.full(n_out, -1)])
        plus, minus = perturbed_losses(net, l, a[l - 1], y, eps, rows, cols)
        g = (plus - minus) / (2 * eps)
        n_w = net.sizes[l] * net.sizes[l - 1]
        gW.append(g[:n_w].reshape(net.sizes[l], net.sizes[l - 1]))
        gb.append(g[n_w:])
    return gW, gb


def numerical_gradient_of(net: Network, param: "str | Param", x: ArrayLike, y: ArrayLike, eps: float = EPS) -> dict:
    """The centred difference for one parameter, with everything a panel shows.

    Returns ``{"value", "eps", "loss_plus", "loss_minus", "numerical"}``.
    """
    p = net.check_param(param)
    x, y = net.check_xy(x, y)
    eps = check_eps(eps)
    a = net.forward(x)
    rows, cols = np.array([p.j - 1]), np.array([p.k - 1 if p.is_weight else -1])
    plus, minus = perturbed_losses(net, p.l, a[p.l - 1], y, eps, rows, cols)
    return {
        "value": net.get(p),
        "eps": eps,
        "loss_plus": float(plus[0]),
        "loss_minus": float(minus[0]),
        "numerical": float((plus[0] - minus[0]) / (2 * eps)),
    }
